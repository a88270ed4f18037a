/* SPDX-License-Identifier: MIT */
/*
 * Two threads blocked in pause() when the main thread calls exit(3): the
 * kernel ends all three. strace -f shows the calls they were in returning
 * "?" and a "+++ exited with 3 +++" for each of them before the caller's.
 */
#include <pthread.h>
#include <sys/syscall.h>
#include <stdlib.h>
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

	pthread_barrier_init(&ready, NULL, 3);
	pthread_create(&t, NULL, blocked, NULL);
	pthread_create(&t, NULL, blocked, NULL);
	pthread_barrier_wait(&ready);
	/* each thread in its pause() first (not just released) */
	for (int i = 0; i < ntids; i++)
		wait_blocked_in(tids[i], SYS_pause);
	exit(3);
}
