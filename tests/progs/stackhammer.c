/* SPDX-License-Identifier: MIT */
/* stackhammer T N: T threads of N getppid each (tests/cli/stack_ring_min.t) */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

static int n;

__attribute__((noinline)) void *worker(void *a);
__attribute__((noinline)) void *worker(void *a)
{
	(void)a;
	for (int i = 0; i < n; i++) {
		getppid();
		__asm__ volatile("" ::: "memory");
	}
	return 0;
}

int main(int argc, char **argv)
{
	pthread_t th[64];
	int t;

	if (argc < 3)
		return 2;
	t = atoi(argv[1]);
	n = atoi(argv[2]);
	if (t < 1 || t > 64)
		return 2;
	for (int i = 0; i < t; i++)
		pthread_create(&th[i], 0, worker, 0);
	for (int i = 0; i < t; i++)
		pthread_join(th[i], 0);
	return 0;
}
