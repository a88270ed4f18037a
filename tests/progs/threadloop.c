/* SPDX-License-Identifier: MIT */
/*
 * T threads, each making N getppid calls flat out (the loss measurements
 * and tests/syscalls/lost.t): threadloop T N. Prints the calls issued.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

static long n;
static pthread_barrier_t go;

static void *loop(void *arg)
{
	pthread_barrier_wait(&go);
	for (long i = 0; i < n; i++)
		syscall(SYS_getppid);
	return arg;
}

int main(int argc, char **argv)
{
	int t = argc > 1 ? atoi(argv[1]) : 2;
	pthread_t th[256];

	n = argc > 2 ? atol(argv[2]) : 100000;
	if (t < 1 || t > 256)
		return 2;
	pthread_barrier_init(&go, NULL, (unsigned)t);
	for (int i = 0; i < t; i++)
		pthread_create(&th[i], NULL, loop, NULL);
	for (int i = 0; i < t; i++)
		pthread_join(th[i], NULL);
	printf("%ld\n", (long)t * n);
	return 0;
}
