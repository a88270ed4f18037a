/* SPDX-License-Identifier: MIT */
/*
 * Threads spawning at once (tests/syscalls/spawn_threads.t): spawn_threads
 * T N runs T threads that each posix_spawn /bin/sh -c 'exit K' N times
 * (glibc's posix_spawn: clone(CLONE_VM|CLONE_VFORK), then execve in the
 * child) and wait for each; prints "ok" when every spawn succeeded and
 * every child exited with its K, else what went wrong, and exits 1.
 */
#include <pthread.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

extern char **environ;
static int n, bad;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void *spawner(void *arg)
{
	int t = (int)(long)arg;

	for (int i = 0; i < n; i++) {
		char cmd[32];
		char *av[] = { "/bin/sh", "-c", cmd, NULL };
		int k = (t * 7 + i) % 100, st, e;
		pid_t p;

		snprintf(cmd, sizeof(cmd), "exit %d", k);
		e = posix_spawn(&p, "/bin/sh", NULL, NULL, av, environ);
		if (e || waitpid(p, &st, 0) != p || !WIFEXITED(st) ||
		    WEXITSTATUS(st) != k) {
			pthread_mutex_lock(&lock);
			if (e)
				printf("thread %d spawn %d: %s\n", t, i,
				       strerror(e));
			else
				printf("thread %d spawn %d: status %#x\n", t,
				       i, st);
			bad = 1;
			pthread_mutex_unlock(&lock);
		}
	}
	return NULL;
}

int main(int argc, char **argv)
{
	int t = argc > 1 ? atoi(argv[1]) : 3;
	pthread_t th[16];

	n = argc > 2 ? atoi(argv[2]) : 10;
	if (t < 1 || t > 16)
		return 2;
	for (int i = 0; i < t; i++)
		pthread_create(&th[i], NULL, spawner, (void *)(long)i);
	for (int i = 0; i < t; i++)
		pthread_join(th[i], NULL);
	if (!bad)
		puts("ok");
	return bad;
}
