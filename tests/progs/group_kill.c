/* SPDX-License-Identifier: MIT */
/*
 * Signals a traced program sends to its own process group, which limen
 * shares (tests/cli/group_signals.t):
 *   group_kill handled   a handler for each signal that ends a process
 *                        at its default without a core, kill(0, sig) of
 *                        each, the count each handler ran; exit 0
 *   group_kill die SIG   kill(0, SIG) at its default: killed by it
 *   group_kill wait      "ready", then wait (10 s at most) for a SIGUSR1
 *                        sent from outside, and 0.3 s more; "got USR1 N
 *                        times"; exit 0
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t count[65];

static void on_sig(int sig)
{
	count[sig]++;
}

static void handle(int sig)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sig;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "handled";
	int sigs[] = { SIGHUP, SIGUSR1, SIGUSR2, SIGALRM, SIGTERM, SIGVTALRM,
		       SIGPROF, SIGIO, SIGPWR, SIGSTKFLT, SIGRTMIN,
		       SIGRTMIN + 5, SIGRTMAX };
	size_t n = sizeof(sigs) / sizeof(sigs[0]);

	if (!strcmp(mode, "handled")) {
		for (size_t i = 0; i < n; i++) {
			handle(sigs[i]);
			kill(0, sigs[i]);
		}
		for (size_t i = 0; i < n; i++)
			printf("%d:%d ", sigs[i], (int)count[sigs[i]]);
		printf("\n");
		return 0;
	}
	if (!strcmp(mode, "die") && argc > 2) {
		printf("sending %s\n", argv[2]);
		fflush(stdout);
		kill(0, atoi(argv[2]));
		printf("survived\n");
		return 3;
	}
	if (!strcmp(mode, "wait")) {
		struct timespec tick = { 0, 10 * 1000 * 1000 };

		handle(SIGUSR1);
		printf("ready\n");
		fflush(stdout);
		for (int i = 0; i < 1000 && !count[SIGUSR1]; i++)
			nanosleep(&tick, NULL);
		/* a second copy would come meanwhile */
		for (int i = 0; i < 30; i++)
			nanosleep(&tick, NULL);
		printf("got USR1 %d times\n", (int)count[SIGUSR1]);
		return 0;
	}
	return 2;
}
