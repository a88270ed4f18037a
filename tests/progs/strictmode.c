/* SPDX-License-Identifier: MIT */
/*
 * Seccomp strict mode: after seccomp(SECCOMP_SET_MODE_STRICT) or
 * prctl(PR_SET_SECCOMP, SECCOMP_MODE_STRICT) a thread may only read, write,
 * exit and rt_sigreturn; any other call kills it with SIGKILL. Each case runs
 * in a child, which the parent reports on:
 *  1. seccomp(): write, read from a pipe, write what was read, exit(3);
 *  2. prctl(): write, then getpid: killed by SIGKILL.
 * Raw system calls only after the switch. Deterministic output.
 */
#include <linux/seccomp.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rawsys.h"

static void put(const char *s)
{
	raw3(SYS_write, 1, (long)s, (long)strlen(s));
}

static void reap(const char *what, pid_t pid)
{
	int st;

	if (waitpid(pid, &st, 0) != pid)
		printf("%s: waitpid failed\n", what);
	else if (WIFEXITED(st))
		printf("%s: exited %d\n", what, WEXITSTATUS(st));
	else
		printf("%s: killed by %s\n", what, sigabbrev_np(WTERMSIG(st)));
}

int main(void)
{
	char buf[16];
	int p[2];
	pid_t pid;
	long n;

	setvbuf(stdout, NULL, _IONBF, 0);
	if (pipe(p))
		return 1;
	if (write(p[1], "from the pipe\n", 14) != 14)
		return 1;
	pid = fork();
	if (pid == 0) {
		if (raw3(SYS_seccomp, SECCOMP_SET_MODE_STRICT, 0, 0) != 0)
			raw3(SYS_exit, 1, 0, 0);
		put("seccomp strict: writing\n");
		n = raw3(SYS_read, p[0], (long)buf, sizeof(buf));
		if (n > 0)
			raw3(SYS_write, 1, (long)buf, n);
		raw3(SYS_exit, 3, 0, 0);
	}
	reap("seccomp(SECCOMP_SET_MODE_STRICT) child", pid);

	pid = fork();
	if (pid == 0) {
		if (raw3(SYS_prctl, PR_SET_SECCOMP, SECCOMP_MODE_STRICT, 0) != 0)
			raw3(SYS_exit, 1, 0, 0);
		put("prctl strict: writing\n");
		raw3(SYS_getpid, 0, 0, 0);
		put("prctl strict: getpid allowed\n");
		raw3(SYS_exit, 4, 0, 0);
	}
	reap("prctl(PR_SET_SECCOMP, SECCOMP_MODE_STRICT) child", pid);
	return 0;
}
