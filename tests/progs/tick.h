/* SPDX-License-Identifier: MIT */
/*
 * A signal every TICK_US microseconds to the calling thread, from a POSIX
 * timer aimed at it (SIGEV_THREAD_ID): it lands wherever the thread is,
 * as a signal from another thread does, but nothing has to wait for the
 * thread to be scheduled before the next one is sent. How many land in a
 * second of the thread's running time does not depend on how busy the
 * machine is; a test that counts to N signals ends after N ticks of its
 * own running, where a handshake per signal (send, wait for the handler)
 * costs a turn of the scheduler each time on a busy machine.
 * 200 us: well above what a handler and its return cost under limen, so
 * that the thread goes on between two signals.
 */
#ifndef LIMEN_TEST_TICK_H
#define LIMEN_TEST_TICK_H

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define TICK_US 200

static timer_t tick_timer;

static void tick_start(int sig)
{
	struct sigevent sev = { 0 };
	struct itimerspec its = { { 0, TICK_US * 1000 },
				  { 0, TICK_US * 1000 } };

	sev.sigev_notify = SIGEV_THREAD_ID;
	sev.sigev_signo = sig;
	sev._sigev_un._tid = gettid();
	if (timer_create(CLOCK_MONOTONIC, &sev, &tick_timer) < 0 ||
	    timer_settime(tick_timer, 0, &its, NULL) < 0) {
		perror("tick_start");
		exit(3);
	}
}

/* no more signals (one already sent may still be pending) */
static void tick_stop(void)
{
	timer_delete(tick_timer);
}

#endif
