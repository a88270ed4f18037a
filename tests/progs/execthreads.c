/* SPDX-License-Identifier: MIT */
/*
 * A thread blocked in pause() while the main thread execs /bin/true: the
 * exec ends the other thread, and only the new image ends with an exit.
 */
#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "blocked_in.h"

static pthread_barrier_t ready;
static pid_t tids[2];
static int ntids;

static void *blocked(void *arg)
{
	tids[__atomic_fetch_add(&ntids, 1, __ATOMIC_RELAXED)] = gettid();
	pthread_barrier_wait(&ready);
	for (;;)
		pause();
	return arg;
}

int main(void)
{
	pthread_t t;
	char *argv[] = { "true", NULL };

	pthread_barrier_init(&ready, NULL, 2);
	pthread_create(&t, NULL, blocked, NULL);
	pthread_barrier_wait(&ready);
	/* each thread in its pause() first (not just released) */
	for (int i = 0; i < ntids; i++)
		wait_blocked_in(tids[i], SYS_pause);
	execv("/bin/true", argv);
	return 127;
}
