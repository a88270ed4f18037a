/* SPDX-License-Identifier: MIT */
/*
 * Forks a child that calls getppid three times and then, given argv[1],
 * execs argv[1...]; the parent waits and prints both ids. Run under
 * `unshare -p` (the namespace made for children, then an exec):
 * tests/syscalls/pidns_labels.t.
 */
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	pid_t p = fork();

	if (p == 0) {
		for (int i = 0; i < 3; i++)
			syscall(SYS_getppid);
		if (argc > 1)
			execv(argv[1], argv + 1);
		_exit(0);
	}
	waitpid(p, 0, 0);
	printf("parent %d child %d\n", getpid(), p);
	return 0;
}
