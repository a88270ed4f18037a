/* SPDX-License-Identifier: MIT */
/*
 * unstarted_threads exit|abort: pinned to one CPU, starts 4 threads (each
 * would loop on read(0, buf, 0)) and at once ends the process, exit(6) or
 * abort(), most often before the new threads ran an instruction of their
 * own (tests/collector/unstarted_threads.t): strace -f shows each of them
 * end with the group.
 */
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void *spin(void *a)
{
	char b;

	for (;;)
		if (read(0, &b, 0) < 0)
			break;
	return a;
}

int main(int argc, char **argv)
{
	cpu_set_t one;
	pthread_t th;

	if (argc != 2)
		return 2;
	CPU_ZERO(&one);
	CPU_SET(sched_getcpu() < 0 ? 0 : sched_getcpu(), &one);
	sched_setaffinity(0, sizeof(one), &one);
	for (int i = 0; i < 4; i++)
		if (pthread_create(&th, 0, spin, 0))
			return 3;
	if (!strcmp(argv[1], "abort"))
		abort();
	exit(6);
}
