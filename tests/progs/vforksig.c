/* SPDX-License-Identifier: MIT */
/*
 * A vfork child signals its parent before it exits: the signal waits,
 * pending, while the parent sleeps in vfork, and the parent's handler runs
 * when vfork returns. Each round sends one SIGUSR1 and one queued SIGRTMIN;
 * the program prints how many of each its handler saw.
 * Usage: vforksig [ROUNDS]
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t usr1, rtmin;

static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		usr1++;
	else
		rtmin++;
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 50;
	struct sigaction sa = { .sa_handler = on_signal };

	sigaction(SIGUSR1, &sa, 0);
	sigaction(SIGRTMIN, &sa, 0);
	for (int i = 0; i < rounds; i++) {
		int st;
		pid_t c = vfork();

		if (c == 0) {
			union sigval v = { .sival_int = i };

			kill(getppid(), SIGUSR1);
			sigqueue(getppid(), SIGRTMIN, v);
			_exit(0);
		}
		if (c < 0 || waitpid(c, &st, 0) != c || st != 0) {
			perror("vfork");
			return 1;
		}
	}
	printf("SIGUSR1 handled %d of %d\n", (int)usr1, rounds);
	printf("SIGRTMIN handled %d of %d\n", (int)rtmin, rounds);
	return usr1 == rounds && rtmin == rounds ? 0 : 2;
}
