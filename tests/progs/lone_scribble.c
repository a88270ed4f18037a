/* SPDX-License-Identifier: MIT */
/*
 * A traced program that writes into the session's count of live threads
 * (ctl->live, runtime/lone.c: the control page is mapped writable in every
 * traced process) while threads and a fork child make calls: a count of
 * 1 with three threads alive, 0, all ones, a stale word. Only the order
 * of its own records may suffer; each of its 3000 getppid calls is still
 * recorded, and the trace ends.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../src/session/session.h"

#define CALLS 1000

static volatile uint64_t *live;

static void *calls(void *arg)
{
	static const uint64_t junk[] = { 1, 0, ~0ull, 1ull << 32 | 1, 2 };

	for (int i = 0; i < CALLS; i++) {
		if (i % 100 == 0)
			*live = junk[(i / 100 + (long)arg) % 5];
		syscall(SYS_getppid);
	}
	return arg;
}

/* The mapping of the session's first page, from /proc/self/maps. */
static struct limen_ctl *find_ctl(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	unsigned long lo, off;
	struct limen_ctl *c = NULL;

	while (f && fgets(line, sizeof(line), f))
		if (strstr(line, "memfd:limen-session") &&
		    sscanf(line, "%lx-%*x %*s %lx", &lo, &off) == 2 && !off)
			c = (struct limen_ctl *)lo;
	if (f)
		fclose(f);
	return c;
}

int main(void)
{
	struct limen_ctl *c = find_ctl();
	pthread_t t[2];
	pid_t p;
	int st;

	if (!c) {
		printf("no session\n");
		return 2;
	}
	live = &c->live;
	for (long i = 0; i < 2; i++)
		if (pthread_create(&t[i], NULL, calls, (void *)i))
			return 1;
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	p = fork();
	if (p == 0) {
		calls((void *)2);
		_exit(0);
	}
	if (p < 0 || waitpid(p, &st, 0) != p || st)
		return 1;
	printf("scribbled, then %d calls\n", 3 * CALLS);
	return 0;
}
