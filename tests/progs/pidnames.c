// SPDX-License-Identifier: MIT
/*
 * -Y's test program: pids in results and arguments, a child that renames
 * itself (prctl PR_SET_NAME), a child that execs, children reaped. Prints
 * "PID KID1 KID2 PGID" at the end for the test to name them.
 */
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
	int st;

	k1 = fork();
	if (k1 == 0) {
		getpid();
		prctl(PR_SET_NAME, "kid");
		getpid();
		gettid();
		getppid();
		_exit(3);
	}
	wait4(k1, &st, 0, NULL);
	k2 = fork();
	if (k2 == 0) {
		execve("/bin/true", argv, envp);
		_exit(127);
	}
	wait4(k2, &st, 0, NULL);
	kill(getpid(), 0);
	syscall(SYS_tgkill, getpid(), gettid(), 0);
	kill(-getpgrp(), 0);
	printf("%d %d %d %d\n", (int)getpid(), (int)k1, (int)k2,
	       (int)getpgrp());
	return 0;
}
