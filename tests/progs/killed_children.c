/* SPDX-License-Identifier: MIT */
/*
 * Children that end by a signal, reaped in the ways a trace must tell them
 * by (tests/collector/killed_unselected.t). Prints "child PID SIGNAL" for
 * each, then the parent exits 0.
 *
 *   wait4: raise(SIGTERM), reaped by wait4 while a SIGCHLD handler runs;
 *   waitid: raise(SIGUSR1), looked at by waitid(WNOWAIT), then reaped by
 *	waitid;
 *   early: SIGKILLed by the parent as soon as fork returns, most often
 *	before the child ran an instruction of its own;
 *   wait4null, waitidnull: raise(SIGTERM), reaped by a wait that throws
 *	the status away (wait4's NULL status, waitid's NULL infop), as
 *	waitpid(pid, NULL, 0) does, while a SIGCHLD handler runs.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void on_chld(int sig)
{
	(void)sig;
}

static int fail(const char *what)
{
	perror(what);
	return 1;
}

int main(int argc, char **argv)
{
	const char *m = argc > 1 ? argv[1] : "";
	siginfo_t si;
	pid_t c;
	int st;

	fflush(stdout);
	if (!strcmp(m, "wait4")) {
		signal(SIGCHLD, on_chld);
		c = fork();
		if (c == 0) {
			raise(SIGTERM);
			_exit(0);
		}
		if (c < 0 || syscall(SYS_wait4, c, &st, 0, NULL) != c ||
		    !WIFSIGNALED(st))
			return fail("wait4");
		printf("child %d SIGTERM\n", (int)c);
	} else if (!strcmp(m, "waitid")) {
		c = fork();
		if (c == 0) {
			raise(SIGUSR1);
			_exit(0);
		}
		if (c < 0 ||
		    syscall(SYS_waitid, P_PID, c, &si, WEXITED | WNOWAIT, NULL) ||
		    syscall(SYS_waitid, P_PID, c, &si, WEXITED, NULL) ||
		    si.si_code != CLD_KILLED)
			return fail("waitid");
		printf("child %d SIGUSR1\n", (int)c);
	} else if (!strcmp(m, "early")) {
		c = fork();
		if (c == 0) {
			pause();
			_exit(0);
		}
		if (c < 0 || kill(c, SIGKILL) ||
		    syscall(SYS_wait4, c, &st, 0, NULL) != c)
			return fail("early");
		printf("child %d SIGKILL\n", (int)c);
	} else if (!strcmp(m, "wait4null") || !strcmp(m, "waitidnull")) {
		signal(SIGCHLD, on_chld);
		c = fork();
		if (c == 0) {
			raise(SIGTERM);
			_exit(0);
		}
		if (c < 0 ||
		    (m[4] == '4' ? syscall(SYS_wait4, c, NULL, 0, NULL) != c
				 : syscall(SYS_waitid, P_PID, c, NULL, WEXITED,
					   NULL) != 0))
			return fail(m);
		printf("child %d SIGTERM\n", (int)c);
	} else {
		return 2;
	}
	return 0;
}
