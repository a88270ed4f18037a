/* SPDX-License-Identifier: MIT */
/*
 * Runs a command and prints, on standard error, its wall time and the CPU
 * time its wait4 reports (user + system, the command and its waited-for
 * children): run under limen trace, what the traced program itself spent,
 * without limen's start-up, its collector or its end (bench/compare.sh).
 */
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double ms(struct timeval t)
{
	return t.tv_sec * 1e3 + t.tv_usec / 1e3;
}

int main(int argc, char **argv)
{
	struct timespec a, b;
	struct rusage ru;
	int status;
	pid_t pid;

	if (argc < 2) {
		fprintf(stderr, "usage: childcpu CMD [ARG...]\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		execvp(argv[1], argv + 1);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) < 0)
		return 1;
	clock_gettime(CLOCK_MONOTONIC, &b);
	fprintf(stderr, "child wall %.2f cpu %.2f ms\n",
		(b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6,
		ms(ru.ru_utime) + ms(ru.ru_stime));
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
