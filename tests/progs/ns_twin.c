/* SPDX-License-Identifier: MIT */
/*
 * Run as the first process of a new pid namespace (pid 1 there) while a
 * twin in a sibling namespace, also pid 1 there, execs: waits argv[1]
 * milliseconds, then starts four children one after another (each calls
 * getppid and exits: a claim of a slot in this tree each), then calls
 * getppid five times itself. tests/syscalls/exec_sibling_pidns.t.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long ms = argc > 1 ? atol(argv[1]) : 300;
	struct timespec t = { ms / 1000, ms % 1000 * 1000000 };

	nanosleep(&t, 0);
	for (int i = 0; i < 4; i++) {
		pid_t p = fork();

		if (p == 0) {
			syscall(SYS_getppid);
			_exit(0);
		}
		waitpid(p, 0, 0);
	}
	for (int i = 0; i < 5; i++)
		syscall(SYS_getppid);
	printf("done pid=%d\n", getpid());
	return 0;
}
