/* SPDX-License-Identifier: MIT */
/*
 * Two threads blocked in pause() when the main thread calls exit(3): the
 * kernel ends all three. strace -f shows the calls they were in returning
 * "?" and a "+++ exited with 3 +++" for each of them before the caller's.
 */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

static pthread_barrier_t ready;

static void *blocked(void *arg)
{
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
	usleep(20000);
	exit(3);
}
