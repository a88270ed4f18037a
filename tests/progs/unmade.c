/* SPDX-License-Identifier: MIT */
/*
 * unmade [N [K]]: 8 threads make N getppid calls each while a per-thread
 * timer (10 kHz) interrupts them with a handler that makes 2 more; prints
 * the number of getppid calls made in all, which `limen trace -c` must
 * count (tests/cli/summary_unmade.t): a signal arriving while limen records
 * a call's entry keeps the call from being made until after the handler.
 * With K, under -e inject=getppid:retval=42:when=K+K, each thread checks
 * that every K-th of its calls, and only those, returned 42.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static long handlers, bad;
static int n, k;
/* the loop's and the handler's counts apart: a handler between a load and
   a store of one counter would lose its update */
static __thread long calls, hcalls, got42, hgot42;

static void on_alarm(int sig)
{
	(void)sig;
	__atomic_add_fetch(&handlers, 1, __ATOMIC_RELAXED);
	for (int i = 0; i < 2; i++) {
		hcalls++;
		hgot42 += syscall(SYS_getppid) == 42;
	}
}

static void *work(void *arg)
{
	struct sigevent ev;
	struct itimerspec on = { { 0, 100000 }, { 0, 100000 } }, off = { 0 };
	timer_t t;

	(void)arg;
	memset(&ev, 0, sizeof(ev));
	ev.sigev_notify = SIGEV_THREAD_ID;
	ev.sigev_signo = SIGALRM;
	ev._sigev_un._tid = (pid_t)syscall(SYS_gettid);
	if (timer_create(CLOCK_MONOTONIC, &ev, &t))
		exit(2);
	timer_settime(t, 0, &on, 0);
	for (int i = 0; i < n; i++) {
		long r = syscall(SYS_getppid);

		__atomic_store_n(&calls, calls + 1, __ATOMIC_RELAXED);
		__atomic_store_n(&got42, got42 + (r == 42), __ATOMIC_RELAXED);
	}
	timer_settime(t, 0, &off, 0);
	timer_delete(t);
	{
		sigset_t s;

		/* a last signal may still be pending */
		sigemptyset(&s);
		sigaddset(&s, SIGALRM);
		pthread_sigmask(SIG_BLOCK, &s, 0);
	}
	if (k && got42 + hgot42 != (calls + hcalls) / k) {
		fprintf(stderr, "a thread: %ld calls, %ld returned 42, not %ld\n",
			calls + hcalls, got42 + hgot42, (calls + hcalls) / k);
		__atomic_add_fetch(&bad, 1, __ATOMIC_RELAXED);
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	pthread_t t[8];

	n = argc > 1 ? atoi(argv[1]) : 20000;
	k = argc > 2 ? atoi(argv[2]) : 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGALRM, &sa, 0);
	for (int i = 0; i < 8; i++)
		pthread_create(&t[i], 0, work, 0);
	for (int i = 0; i < 8; i++)
		pthread_join(t[i], 0);
	printf("getppid %ld\n", 8L * n + 2 * handlers);
	if (k)
		printf("threads where when=%d+%d missed: %ld\n", k, k, bad);
	return 0;
}
