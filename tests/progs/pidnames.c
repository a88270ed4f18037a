// SPDX-License-Identifier: MIT
/*
 * -Y's test program: pids in results and arguments, a child that renames
 * itself (prctl PR_SET_NAME), a child that execs, children reaped. Prints
 * "PID KID1 KID2 PGID" at the end for the test to name them.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	char *argv[] = { "true", NULL }, *envp[] = { NULL };
	pid_t k1, k2;
	int st, sync[2], go[2];
	char c;

	/* the parent waits for the child once it has renamed itself, so
	   that wait4's argument has one name under strace and limen alike
	   (not a race between the rename and the wait) */
	if (pipe(sync) < 0 || pipe(go) < 0)
		return 1;
	k1 = fork();
	if (k1 == 0) {
		getpid();
		/* renamed only once the parent's fork has returned, so that
		   fork's result has the old name under both tracers */
		if (read(go[0], &c, 1) != 1)
			_exit(1);
		prctl(PR_SET_NAME, "kid");
		if (write(sync[1], "r", 1) != 1)
			_exit(1);
		getpid();
		gettid();
		getppid();
		_exit(3);
	}
	if (write(go[1], "g", 1) != 1 || read(sync[0], &c, 1) != 1)
		return 1;
	wait4(k1, &st, 0, NULL);
	/* and for the second once it has exec'd: the exec closes its end of
	   a close-on-exec pipe, which the parent reads to its end */
	if (pipe2(sync, O_CLOEXEC) < 0)
		return 1;
	k2 = fork();
	if (k2 == 0) {
		execve("/bin/true", argv, envp);
		_exit(127);
	}
	close(sync[1]);
	while (read(sync[0], &c, 1) > 0)
		;
	wait4(k2, &st, 0, NULL);
	kill(getpid(), 0);
	syscall(SYS_tgkill, getpid(), gettid(), 0);
	kill(-getpgrp(), 0);
	printf("%d %d %d %d\n", (int)getpid(), (int)k1, (int)k2,
	       (int)getpgrp());
	return 0;
}
