/* SPDX-License-Identifier: MIT */
/*
 * A storm of queued real-time signals at a thread that makes system calls
 * all the time, so that many arrive while limen's own code runs (recording
 * a call, in the handler's way back) and must wait there until the program
 * can take them: every one is delivered exactly once, none is lost or
 * doubled, the values arrive in order, and nothing hangs. The handler makes
 * a call too.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define N 10000

static volatile int received, out_of_order, last = -1;
static volatile int done;

static void on_rt(int sig, siginfo_t *si, void *uc)
{
	int v = si->si_value.sival_int;

	if (v != last + 1)
		out_of_order++;
	last = v;
	received++;
	getppid();
}

static void *storm(void *arg)
{
	pthread_t m = *(pthread_t *)arg;
	union sigval v;

	for (int i = 0; i < N; i++) {
		v.sival_int = i;
		while (pthread_sigqueue(m, SIGRTMIN, v) && errno == EAGAIN)
			sched_yield();
	}
	done = 1;
	return NULL;
}

int main(void)
{
	struct sigaction sa;
	pthread_t t, self = pthread_self();
	long calls = 0;

	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_rt;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigaction(SIGRTMIN, &sa, NULL);
	pthread_create(&t, NULL, storm, &self);
	while (received < N) {
		getppid();
		calls++;
	}
	pthread_join(t, NULL);
	printf("received %d of %d, out of order %d\n", received, N,
	       out_of_order);
	return received != N || out_of_order;
}
