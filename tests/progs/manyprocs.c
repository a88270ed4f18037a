/* SPDX-License-Identifier: MIT */
/*
 * manyprocs N: N short processes one after the other (fork, _exit, wait):
 * the collector's memory must not grow with every process it has seen.
 */
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 1000;

	for (long i = 0; i < n; i++) {
		pid_t p = fork();

		if (p == 0)
			_exit(0);
		if (p > 0)
			waitpid(p, NULL, 0);
	}
	return 0;
}
