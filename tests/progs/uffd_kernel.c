/* SPDX-License-Identifier: MIT */
/*
 * The kernel's accesses to pages of a userfaultfd registration
 * (tests/syscalls/uffd_kernel.t). uffd_kernel CASE KIND:
 *
 *   CASE read   write() to a pipe from a missing page
 *        path   open() of a path in a missing page
 *        wait   wait4's status into a missing page
 *        wp     wait4's status into a write-protected page
 *   KIND um     a uffd made with UFFD_USER_MODE_ONLY: the kernel's
 *               access fails with EFAULT, nothing asks the handler
 *        all    one that handles the kernel's faults too: the handler
 *               thread resolves them and the call succeeds
 *        dev    um, made through /dev/userfaultfd's USERFAULTFD_IOC_NEW
 *   uffd_kernel CASE KIND kill: the same under a seccomp filter that kills
 *        the process at process_vm_readv and process_vm_writev (systemd's
 *        SystemCallFilter= without @debug)
 *
 * A thread resolves each fault (fills the page, or lifts the write
 * protection) and counts them; the program prints the call's result and
 * the count before it touches the page itself. "skip REASON" (status 77)
 * where this kernel or user may not make such a uffd.
 */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stddef.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <linux/userfaultfd.h>

#ifndef UFFD_USER_MODE_ONLY
#define UFFD_USER_MODE_ONLY 1
#endif
#ifndef USERFAULTFD_IOC_NEW
#define USERFAULTFD_IOC_NEW _IO(0xAA, 0x00)
#endif

static int uffd;
static volatile int done;
static int faults;

static void *resolver(void *arg)
{
	static char fill[4096];

	(void)arg;
	memset(fill, 'Q', sizeof(fill));
	strcpy(fill, "/dev/null");
	while (!done) {
		struct pollfd pf = { uffd, POLLIN, 0 };
		struct uffd_msg m;
		unsigned long page;

		if (poll(&pf, 1, 50) <= 0)
			continue;
		if (read(uffd, &m, sizeof(m)) != sizeof(m) ||
		    m.event != UFFD_EVENT_PAGEFAULT)
			continue;
		__atomic_add_fetch(&faults, 1, __ATOMIC_SEQ_CST);
		page = m.arg.pagefault.address & ~4095ul;
		if (m.arg.pagefault.flags & UFFD_PAGEFAULT_FLAG_WP) {
			struct uffdio_writeprotect w = { { page, 4096 }, 0 };

			ioctl(uffd, UFFDIO_WRITEPROTECT, &w);
		} else {
			struct uffdio_copy c = { page, (unsigned long)fill,
						 4096, 0, 0 };

			ioctl(uffd, UFFDIO_COPY, &c);
		}
	}
	return 0;
}

static int make_uffd(const char *kind)
{
	int flags = O_CLOEXEC | O_NONBLOCK |(strcmp(kind, "all") ? UFFD_USER_MODE_ONLY : 0);
	int dev, u;

	if (strcmp(kind, "dev"))
		return syscall(SYS_userfaultfd, flags);
	dev = open("/dev/userfaultfd", O_RDWR | O_CLOEXEC);
	if (dev < 0)
		return -1;
	u = ioctl(dev, USERFAULTFD_IOC_NEW, flags);
	close(dev);
	return u;
}

/* process_vm_readv and process_vm_writev kill the process */
static int deny_vm(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_process_vm_readv, 2, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_process_vm_writev, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
	};
	struct sock_fprog p = { sizeof(f) / sizeof(f[0]), f };

	return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	       prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &p);
}

int main(int argc, char **argv)
{
	const char *what = argc > 2 ? argv[1] : "read";
	const char *kind = argc > 2 ? argv[2] : "um";
	int wp = !strcmp(what, "wp");
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register r;
	pthread_t t;
	char *m;
	long ret;
	int p[2], e;

	uffd = make_uffd(kind);
	if (uffd < 0) {
		printf("skip no userfaultfd (%s): %s\n", kind, strerror(errno));
		return 77;
	}
	if (ioctl(uffd, UFFDIO_API, &api)) {
		printf("skip UFFDIO_API: %s\n", strerror(errno));
		return 77;
	}
	m = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		 -1, 0);
	if (wp)
		memset(m, 0, 4096); /* present: only its protection faults */
	r = (struct uffdio_register){
		.range = { (unsigned long)m, 4096 },
		.mode = wp ? UFFDIO_REGISTER_MODE_WP :
			     UFFDIO_REGISTER_MODE_MISSING,
	};
	if (ioctl(uffd, UFFDIO_REGISTER, &r)) {
		printf("skip UFFDIO_REGISTER: %s\n", strerror(errno));
		return 77;
	}
	if (wp) {
		struct uffdio_writeprotect w = {
			{ (unsigned long)m, 4096 }, UFFDIO_WRITEPROTECT_MODE_WP
		};

		if (ioctl(uffd, UFFDIO_WRITEPROTECT, &w)) {
			printf("skip UFFDIO_WRITEPROTECT: %s\n",
			       strerror(errno));
			return 77;
		}
	}
	if (argc > 3 && !strcmp(argv[3], "kill") && deny_vm()) {
		printf("skip seccomp: %s\n", strerror(errno));
		return 77;
	}
	pthread_create(&t, 0, resolver, 0);
	if (!strcmp(what, "read")) {
		if (pipe(p))
			return 1;
		errno = 0;
		ret = write(p[1], m, 16);
	} else if (!strcmp(what, "path")) {
		errno = 0;
		ret = open(m, O_RDONLY);
		if (ret >= 0) {
			close(ret);
			ret = 0; /* the number may differ: whether it opened */
		}
	} else {
		pid_t pid = fork();

		if (!pid)
			_exit(7);
		errno = 0;
		ret = wait4(pid, (int *)m, 0, 0);
		if (ret == pid)
			ret = 1;
	}
	e = errno;
	printf("%s %s: ret %ld errno %d faults %d\n", what, kind, ret, e,
	       __atomic_load_n(&faults, __ATOMIC_SEQ_CST));
	/* the program's own access: the handler resolves it whatever kind */
	m[0] = 1;
	if (strcmp(what, "read") && strcmp(what, "path"))
		printf("status word %#x\n", *(int *)m & ~0xff);
	done = 1;
	pthread_join(t, 0);
	return 0;
}
