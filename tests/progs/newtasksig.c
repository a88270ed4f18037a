/* SPDX-License-Identifier: MIT */
/*
 * A signal sent to a process the moment it exists must reach it: a fork
 * child killed right after fork(), with a handler it inherited. Under limen
 * the child first sets itself up in limen's code (src/runtime/clone.c); a
 * signal taken there must not be lost. For tests/syscalls/new_task_signal.t.
 *   newtasksig N   N children, each sent SIGUSR1 at once; each waits for its
 *       handler (5 s at most) and exits 0 if it ran. Prints how many took
 *       their signal; a child that did not ends the program with status 1.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define LOST_S 5 /* a child's signal is lost after this long */

static volatile sig_atomic_t got;

static void on_usr1(int s)
{
	(void)s;
	got = 1;
}

/* until the handler ran, LOST_S at most */
static void wait_got(void)
{
	struct timespec tick = { 0, 100000 }, start, now;

	clock_gettime(CLOCK_MONOTONIC, &start);
	do {
		nanosleep(&tick, NULL);
		clock_gettime(CLOCK_MONOTONIC, &now);
	} while (!got && now.tv_sec - start.tv_sec < LOST_S);
}

int main(int argc, char **argv)
{
	int n, took = 0;

	if (argc < 2)
		return 2;
	n = atoi(argv[1]);
	signal(SIGUSR1, on_usr1);
	for (int i = 0; i < n; i++) {
		pid_t p = fork();
		int st;

		if (p < 0)
			return 2;
		if (p == 0) {
			wait_got();
			_exit(got ? 0 : 1);
		}
		kill(p, SIGUSR1);
		if (waitpid(p, &st, 0) != p)
			return 2;
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			printf("child %d: its handler did not run\n", i);
			return 1;
		}
		took++;
	}
	printf("%d of %d children took their signal\n", took, n);
	return 0;
}
