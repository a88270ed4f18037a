/* SPDX-License-Identifier: MIT */
/*
 * A thread blocked in pause() while the main thread execs /bin/true: the
 * exec ends the other thread, and only the new image ends with an exit.
 */
#include <pthread.h>
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
	char *argv[] = { "true", NULL };

	pthread_barrier_init(&ready, NULL, 2);
	pthread_create(&t, NULL, blocked, NULL);
	pthread_barrier_wait(&ready);
	usleep(20000);
	execv("/bin/true", argv);
	return 127;
}
