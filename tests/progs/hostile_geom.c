/* SPDX-License-Identifier: MIT */
/*
 * A traced program that scribbles over the session's geometry and the slot
 * table's high-water mark (the control page is mapped writable in every
 * traced process), then makes 1000 getppid calls in a new thread and 1000
 * in a fork child. Neither the collector nor the runtime may trust what
 * they read there: the collector survives and shows all 2000 calls.
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

static void *calls(void *arg)
{
	for (int i = 0; i < CALLS; i++)
		syscall(SYS_getppid);
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
	pthread_t t;
	pid_t p;
	int st;

	if (!c) {
		printf("no session\n");
		return 2;
	}
	c->nslots = 0xffffffffu;
	c->ring_bytes = 0x40000000u;
	c->slots_off = 1ull << 46;
	c->rings_off = 1ull << 47;
	c->total_bytes = ~0ull;
	c->slots_used = 0xffffffffu;
	if (pthread_create(&t, NULL, calls, NULL))
		return 1;
	pthread_join(t, NULL);
	p = fork();
	if (p == 0) {
		calls(NULL);
		_exit(0);
	}
	if (p < 0 || waitpid(p, &st, 0) != p || st)
		return 1;
	printf("scribbled, then %d calls\n", 2 * CALLS);
	return 0;
}
