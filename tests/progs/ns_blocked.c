/* SPDX-License-Identifier: MIT */
/*
 * N threads and the main thread block in pause(), for ever: the process
 * ends only when something kills it (its pid namespace's init ending).
 * Prints "ready" once /proc says every other thread sleeps in its call.
 *   ns_blocked N
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MAXT 64

static void *blocked(void *arg)
{
	pause();
	return arg;
}

/* 1 when thread tid sleeps ('S') */
static int sleeps(long tid)
{
	char path[64], buf[512], *p;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/self/task/%ld/stat", tid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	p = strrchr(buf, ')');
	return p && p[1] == ' ' && p[2] == 'S';
}

static volatile long tids[MAXT];

static void *start(void *arg)
{
	tids[(long)arg] = syscall(SYS_gettid);
	return blocked(arg);
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 2;
	pthread_t t;

	if (n < 1 || n > MAXT)
		n = 2;
	for (long i = 0; i < n; i++)
		if (pthread_create(&t, NULL, start, (void *)i) != 0)
			return 1;
	for (int i = 0; i < n; i++)
		while (!tids[i] || !sleeps(tids[i]))
			usleep(1000);
	printf("ready\n");
	fflush(stdout);
	pause();
	return 0;
}
