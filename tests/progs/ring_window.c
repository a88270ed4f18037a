/* SPDX-License-Identifier: MIT */
/*
 * A program that records in bursts the collector can keep up with: ROUNDS
 * bursts of N getppid calls, a pause of PAUSE_US between them. Prints the
 * page faults the bursts took (getrusage's ru_minflt, faults made by
 * MADV_POPULATE_WRITE included): under limen, the pages of its ring it
 * wrote for the first time (tests/collector/ring_window.t).
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static long faults(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt + ru.ru_majflt;
}

int main(int argc, char **argv)
{
	long rounds = argc > 1 ? atol(argv[1]) : 100;
	long n = argc > 2 ? atol(argv[2]) : 2000;
	long pause_us = argc > 3 ? atol(argv[3]) : 3000;
	struct timespec ts = { pause_us / 1000000, pause_us % 1000000 * 1000 };
	long before;

	/* the first burst's pages (the stack, libc's) are not the ring's */
	for (long i = 0; i < n; i++)
		getppid();
	nanosleep(&ts, 0);
	before = faults();
	for (long r = 0; r < rounds; r++) {
		for (long i = 0; i < n; i++)
			getppid();
		nanosleep(&ts, 0);
	}
	printf("faults %ld\n", faults() - before);
	return 0;
}
