/* SPDX-License-Identifier: MIT */
/*
 * The lifetimes of Linux's user_events (6.4 on), written against the
 * uapi only (tests/uevent/lifetimes.t). What the kernel does, from
 * kernel/trace/trace_events_user.c:
 *
 *  - a user_events_data file holds a reference to each event registered
 *    through it (user_events_ref_add) until the file is released
 *    (user_events_release): the write_index stays valid on that file after
 *    DIAG_IOCSUNREG, and DIAG_IOCSDEL is EBUSY meanwhile
 *    (user_event_last_ref); the same event on the same file has the same
 *    index, a new one the next index, never one given back; a
 *    registration whose enable bit cannot be written (EFAULT) has taken its
 *    index already; another file counts from 0;
 *  - a registration is an enabler of the process's mm: the same address
 *    and bit twice is EADDRINUSE through any file, DIAG_IOCSUNREG works
 *    through any file (user_events_ioctl_unreg), and the enabler outlives
 *    the file that made it; a fork child has copies (user_event_mm_dup),
 *    an exec drops them (user_events_execve: unregistering then is
 *    ENOENT);
 *  - a write reads its event from the file's references under RCU
 *    (user_events_write_core): unregistering while another thread writes
 *    is safe, each write is the event's.
 *
 * Run with -e uevent=lt_b (a tracer of lt_b: its writes return their
 * bytes). One line per step: its result (the number, or errno's name).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "uevent_calls.h"

#define DATA "/sys/kernel/tracing/user_events_data"
#define EMITS 2000

static volatile uint32_t wa, wb, wc, wd, we, wt;
static int up[2], down[2];

static long del(int fd, const char *name)
{
	return ioctl(fd, DIAG_IOCSDEL, name);
}

static void tell(int fd)
{
	if (write(fd, "x", 1) != 1)
		_exit(3);
}

static void await(int fd)
{
	char c;

	if (read(fd, &c, 1) != 1)
		_exit(4);
}

struct emitter {
	int fd;
	uint32_t index;
	int bytes, other;
};

static void *emitter(void *p)
{
	struct emitter *e = p;

	for (int i = 0; i < EMITS; i++) {
		long r = emit(e->fd, e->index, (uint32_t)i);

		if (r == 8)
			e->bytes++;
		else
			e->other++;
	}
	return 0;
}

int main(int argc, char **argv)
{
	uint32_t i = 99, i2 = 99;
	int fd, fd2, fd3;
	void *hole;
	pid_t pid;

	if (argc == 2 && !strcmp(argv[1], "exec")) {
		/* the image after an exec: the enablers of the one before
		   went with its mm */
		fd = open(DATA, O_RDWR);
		printf("exec_unreg=%s\n", err(unreg(fd, &wa, 0)));
		return 0;
	}
	setvbuf(stdout, 0, _IONBF, 0);
	fd = open(DATA, O_RDWR);
	if (fd < 0) {
		printf("open=%s\n", err(-1));
		return 0;
	}
	if (pipe(up) || pipe(down))
		return 1;

	/* a file's references and their write_index */
	printf("reg_a=%s", err(reg(fd, "lt_a u32 v", &wa, 0, &i)));
	printf(" index=%u\n", i);
	printf("reg_b=%s", err(reg(fd, "lt_b u32 v", &wb, 0, &i)));
	printf(" index=%u bit=%u\n", i, wb);
	printf("unreg_b=%s", err(unreg(fd, &wb, 0)));
	printf(" bit=%u\n", wb);
	printf("write_after_unreg=%s\n", err(emit(fd, 1, 1)));
	printf("unreg_a=%s\n", err(unreg(fd, &wa, 0)));
	printf("write_after_unreg_untraced=%s\n", err(emit(fd, 0, 2)));
	printf("del_after_unreg_file_open=%s\n", err(del(fd, "lt_a")));
	printf("reg_b_again=%s", err(reg(fd, "lt_b u32 v", &wb, 1, &i)));
	printf(" index=%u\n", i);
	printf("reg_c=%s", err(reg(fd, "lt_c u32 v", &wc, 0, &i)));
	printf(" index=%u\n", i);
	hole = mmap(0, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	printf("reg_d_unwritable_bit=%s\n",
	       err(reg(fd, "lt_d u32 v", hole, 0, 0)));
	printf("reg_d=%s", err(reg(fd, "lt_d u32 v", &wd, 0, &i)));
	printf(" index=%u\n", i);
	printf("reg_e=%s", err(reg(fd, "lt_e u32 v", &we, 0, &i)));
	printf(" index=%u\n", i);

	/* another file: its own indexes; the enablers are the process's */
	fd2 = open(DATA, O_RDWR);
	printf("reg_same_bit_other_file=%s\n",
	       err(reg(fd2, "lt_c u32 v", &wc, 0, 0)));
	printf("reg_c_other_file=%s", err(reg(fd2, "lt_c u32 v", &wc, 1, &i)));
	printf(" index=%u\n", i);
	printf("write_index_of_other_file=%s\n", err(emit(fd2, 4, 3)));
	close(fd);
	printf("del_enabler_outlives_file=%s\n", err(del(fd2, "lt_d")));
	printf("unreg_through_other_file=%s\n", err(unreg(fd2, &wd, 0)));
	printf("del_after_unreg_and_close=%s\n", err(del(fd2, "lt_d")));
	printf("del_released_by_close=%s\n", err(del(fd2, "lt_a")));
	fd3 = open(DATA, O_RDWR);
	printf("write_index_of_deleted_event=%s\n", err(emit(fd3, 0, 4)));
	printf("reg_a_new_file=%s", err(reg(fd3, "lt_a u32 v", &wa, 0, &i)));
	printf(" index=%u\n", i);
	unreg(fd3, &wa, 0);
	close(fd3);

	/* fork: the child's copies of the descriptor and the enablers */
	printf("reg_b_fd2=%s", err(reg(fd2, "lt_b u32 v", &wb, 2, &i2)));
	printf(" index=%u\n", i2);
	pid = fork();
	if (pid == 0) {
		printf("child_write=%s\n", err(emit(fd2, i2, 5)));
		printf("child_reg_same_bit=%s\n",
		       err(reg(fd2, "lt_c u32 v", &wc, 1, 0)));
		printf("child_unreg=%s\n", err(unreg(fd2, &wc, 1)));
		/* and the copy of the parent's first one: only the file
		   holds lt_c here now */
		unreg(fd2, &wc, 0);
		tell(up[1]);
		await(down[0]); /* the parent let its own go */
		close(fd2);
		tell(up[1]);
		await(down[0]);
		_exit(0);
	}
	await(up[0]);
	printf("parent_unreg_after_child_unreg=%s\n", err(unreg(fd2, &wc, 1)));
	unreg(fd2, &wc, 0);
	fd3 = open(DATA, O_RDWR);
	close(fd2);
	printf("del_while_fork_child_has_file=%s\n", err(del(fd3, "lt_c")));
	tell(down[1]);
	await(up[0]);
	printf("del_after_fork_child_closed=%s\n", err(del(fd3, "lt_c")));
	tell(down[1]);
	waitpid(pid, 0, 0);

	/* exec: the registrations go */
	printf("reg_before_exec=%s\n", err(reg(fd3, "lt_a u32 v", &wa, 0, 0)));
	pid = fork();
	if (pid == 0) {
		execl("/proc/self/exe", argv[0], "exec", (char *)0);
		_exit(5);
	}
	waitpid(pid, 0, 0);

	/* unregistering and registering again while a thread writes */
	{
		struct emitter e = { .fd = fd3 };
		pthread_t t;

		reg(fd3, "lt_b u32 v", &wt, 0, &e.index);
		pthread_create(&t, 0, emitter, &e);
		for (int k = 0; k < 200; k++) {
			unreg(fd3, &wt, 0);
			reg(fd3, "lt_b u32 v", &wt, 0, 0);
		}
		pthread_join(t, 0);
		printf("emits_during_unreg=%d other=%d\n", e.bytes, e.other);
	}

	/* close_range releases the files it closes, as close does */
	fd3 = open(DATA, O_RDWR); /* before: it does not take fd's number */
	fd = open(DATA, O_RDWR);
	reg(fd, "lt_f u32 v", &wt, 7, 0);
	unreg(fd, &wt, 7);
	syscall(SYS_close_range, fd, fd, 0);
	printf("del_after_close_range=%s\n", err(del(fd3, "lt_f")));
	close(fd3);

	/* files opened and closed by the tens of thousands while one stays
	   open (fd3, lt_b at index 0): each new one counts from 0, never
	   taken for the open one */
	{
		int bad = 0;

		for (int k = 0; k < 33000; k++) {
			fd = open(DATA, O_RDWR);
			if (k >= 32500) {
				i = 99;
				if (reg(fd, "lt_c u32 v", &wc, 5, &i) || i)
					bad++;
				unreg(fd, &wc, 5);
			}
			close(fd);
		}
		printf("new_files_count_from_0=%d bad=%d\n", 500, bad);
	}
	return 0;
}
