/* SPDX-License-Identifier: MIT */
/*
 * A thread that writes many records in its ring's first lap, where the
 * runtime makes the ring's next pages present ahead of it with madvise
 * (src/runtime/ring.c, ring_ahead), in the two states where that call
 * must not be made:
 *   strict N  a child in seccomp strict mode (any call but read, write,
 *             exit and rt_sigreturn kills it) makes N writes to /dev/null,
 *             then exit(0); the parent says how the child ended;
 *   filter N  after a seccomp filter that kills the process at
 *             madvise(MADV_POPULATE_WRITE) (other advice goes through, as
 *             a filter that lists the advice it allows lets it),
 *             N getppid calls, then "filter: done";
 *   filterexec PROG ARG...  the same filter, then execv PROG: a filter
 *             the new image inherits;
 *   killprctl N  after a filter (installed with seccomp(2)) that kills
 *             the process at any prctl, N getppid calls, then
 *             "killprctl: done": the runtime must not ask the kernel
 *             about filters once the program installed one.
 * Raw system calls only after the switch to strict mode. Deterministic
 * output.
 */
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rawsys.h"

#define MADV_POPULATE_WRITE_ 23 /* Linux 5.14 */

static int strict(long n)
{
	static const char buf[64];
	int fd = open("/dev/null", O_WRONLY), st;
	pid_t pid;

	if (fd < 0)
		return 1;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		if (raw3(SYS_seccomp, SECCOMP_SET_MODE_STRICT, 0, 0) != 0)
			raw3(SYS_exit, 1, 0, 0);
		for (long i = 0; i < n; i++)
			raw3(SYS_write, fd, (long)buf, sizeof(buf));
		raw3(SYS_exit, 0, 0, 0);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return 1;
	if (WIFEXITED(st))
		printf("strict: exited %d\n", WEXITSTATUS(st));
	else
		printf("strict: killed by %s\n", sigabbrev_np(WTERMSIG(st)));
	return 0;
}

static int filter(long n, char **exec)
{
	struct sock_filter prog[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_madvise, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, args[2])),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, MADV_POPULATE_WRITE_, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog fp = { sizeof(prog) / sizeof(prog[0]), prog };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fp, 0, 0) != 0) {
		perror("seccomp filter");
		return 1;
	}
	if (exec) {
		execv(exec[0], exec);
		perror("execv");
		return 1;
	}
	for (long i = 0; i < n; i++)
		getppid();
	printf("filter: done\n");
	return 0;
}

static int killprctl(long n)
{
	struct sock_filter prog[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_prctl, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog fp = { sizeof(prog) / sizeof(prog[0]), prog };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fp) != 0) {
		perror("seccomp filter");
		return 1;
	}
	for (long i = 0; i < n; i++)
		getppid();
	printf("killprctl: done\n");
	return 0;
}

int main(int argc, char **argv)
{
	long n = argc > 2 ? atol(argv[2]) : 1000;

	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc > 1 && !strcmp(argv[1], "strict"))
		return strict(n);
	if (argc > 1 && !strcmp(argv[1], "filter"))
		return filter(n, NULL);
	if (argc > 1 && !strcmp(argv[1], "killprctl"))
		return killprctl(n);
	if (argc > 2 && !strcmp(argv[1], "filterexec"))
		return filter(0, argv + 2);
	fprintf(stderr, "usage: ring_first_lap strict|filter N | "
			"filterexec PROG ARG... | killprctl N\n");
	return 2;
}
