/* SPDX-License-Identifier: MIT */
/*
 * manylive threads|procs N: N threads (or child processes) alive at the same
 * time, each making exactly one getppid call while all the others are alive
 * too. The trace must show N getppid calls: one per thread, none untraced.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static pthread_barrier_t all_in, all_called;

static void *worker(void *arg)
{
	(void)arg;
	pthread_barrier_wait(&all_in);
	syscall(SYS_getppid);
	pthread_barrier_wait(&all_called);
	return NULL;
}

static int threads(int n)
{
	pthread_t *t = calloc(n, sizeof(*t));
	pthread_attr_t at;

	pthread_attr_init(&at);
	pthread_attr_setstacksize(&at, 64 << 10);
	pthread_barrier_init(&all_in, NULL, n);
	pthread_barrier_init(&all_called, NULL, n);
	for (int i = 0; i < n; i++)
		if (pthread_create(&t[i], &at, worker, NULL)) {
			fprintf(stderr, "pthread_create %d failed\n", i);
			return 1;
		}
	for (int i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	printf("%d threads\n", n);
	return 0;
}

/* Every child calls getppid, says so on `ready`, then waits on `go` until
   the parent has heard from all of them: they are all alive at once. */
static int procs(int n)
{
	int ready[2], go[2];
	char c;

	if (pipe(ready) || pipe(go))
		return 1;
	for (int i = 0; i < n; i++) {
		pid_t p = fork();

		if (p < 0) {
			perror("fork");
			return 1;
		}
		if (p == 0) {
			close(ready[0]);
			close(go[1]);
			syscall(SYS_getppid);
			if (write(ready[1], "x", 1) != 1)
				_exit(1);
			_exit(read(go[0], &c, 1) == 0 ? 0 : 1);
		}
	}
	close(ready[1]);
	close(go[0]);
	for (int i = 0; i < n; i++)
		if (read(ready[0], &c, 1) != 1)
			return 1;
	close(go[1]);
	for (int i = 0, st; i < n; i++)
		if (wait(&st) < 0 || st)
			return 1;
	printf("%d processes\n", n);
	return 0;
}

int main(int argc, char **argv)
{
	int n = argc > 2 ? atoi(argv[2]) : 600;

	if (argc > 1 && argv[1][0] == 'p')
		return procs(n);
	return threads(n);
}
