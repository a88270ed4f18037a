/* SPDX-License-Identifier: MIT */
/*
 * Emits from a signal handler interrupting emits (tests/uevent/reentry.t):
 * the main loop emits tick(seq, who=0) N times while an interval timer's
 * handler emits tick(seq, who=1) and makes a system call, so that some
 * handlers land inside an emit in progress. Prints the counts; the trace
 * must hold every event of both, each in its order, none torn.
 */
#include <limen/uevent.h>

#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

LIMEN_UEVENT_DEFINE(ev_tick, "tick u64 seq; u32 who; char[12] tag");

struct __attribute__((packed)) tick {
	uint64_t seq;
	uint32_t who;
	char tag[12];
};

static volatile uint64_t handled;

static void on_alarm(int sig)
{
	struct tick t = { handled, 1, "handler" };

	(void)sig;
	limen_uevent_write(&ev_tick, &t, sizeof(t));
	syscall(SYS_getppid); /* a record of its own, mid-emit */
	handled++;
}

static volatile int got, looping, sent;
static pthread_t main_thread;

static void on_usr1(int sig)
{
	(void)sig;
	got = 1;
}

/* the signal once the main thread is in its loop; then says it is sent */
static void *poke(void *arg)
{
	(void)arg;
	while (!looping)
		usleep(1000);
	pthread_kill(main_thread, SIGUSR1);
	sent = 1;
	return 0;
}

/* "wait": a signal sent while the program emits in a loop without system
   calls must reach its handler then, as bare, not at some later call */
static int wait_mode(void)
{
	struct tick t = { 0, 2, "wait" };
	pthread_t th;
	struct timespec t0 = { 0, 0 }, t1;
	long i;

	signal(SIGUSR1, on_usr1);
	main_thread = pthread_self();
	pthread_create(&th, 0, poke, 0);
	for (i = 0; !got; i++) {
		t.seq = (uint64_t)i;
		limen_uevent_write(&ev_tick, &t, sizeof(t));
		looping = 1;
		/* give up a second or two after the signal was sent, however
		   late the poking thread ran (the vDSO's clock: no system
		   call) */
		if (sent && !(i & 4095)) {
			clock_gettime(CLOCK_MONOTONIC, &t1);
			if (!t0.tv_sec)
				t0 = t1;
			else if (t1.tv_sec - t0.tv_sec > 1)
				break;
		}
	}
	pthread_join(th, 0);
	printf("signal %s\n", got ? "taken in the loop" : "never taken");
	return 0;
}

/* "fork": handlers that fork while the program emits; the child returns
   from the handler into the emit it interrupted, then exits. None may
   crash (the emit resumed in the child writes where the parent's ring
   was mapped). */
static volatile pid_t kids[16];
static volatile int nkids, in_child;

static void on_alarm_fork(int sig)
{
	pid_t p;

	(void)sig;
	if (in_child || nkids >= 16)
		return;
	p = fork();
	if (p == 0)
		in_child = 1;
	else if (p > 0)
		kids[nkids++] = p;
}

static int fork_mode(void)
{
	struct itimerval it = { { 0, 500 }, { 0, 500 } };
	struct tick t = { 0, 3, "fork" };
	int crashed = 0;

	signal(SIGALRM, on_alarm_fork);
	setitimer(ITIMER_REAL, &it, 0);
	for (long i = 0; nkids < 16 && i < 50000000; i++) {
		t.seq = (uint64_t)i;
		limen_uevent_write(&ev_tick, &t, sizeof(t));
		if (in_child)
			_exit(0);
	}
	memset(&it, 0, sizeof(it));
	setitimer(ITIMER_REAL, &it, 0);
	for (int i = 0; i < nkids; i++) {
		int st = 0;

		while (waitpid(kids[i], &st, 0) < 0 && errno == EINTR)
			;
		crashed += !WIFEXITED(st) || WEXITSTATUS(st);
	}
	printf("forks=%d crashed=%d\n", nkids, crashed);
	return 0;
}

/* "jump": handlers that siglongjmp out of the emit they interrupted; the
   emits after must all reach the trace (the one left half done must not
   hold them up) */
static sigjmp_buf jb;
static volatile int jumps;

static void on_alarm_jump(int sig)
{
	(void)sig;
	jumps++;
	siglongjmp(jb, 1);
}

static int jump_mode(void)
{
	struct itimerval it = { { 0, 300 }, { 0, 300 } };
	struct tick t = { 0, 5, "jump" };
	static volatile long i;

	signal(SIGALRM, on_alarm_jump);
	sigsetjmp(jb, 1);
	if (!jumps)
		setitimer(ITIMER_REAL, &it, 0);
	for (; jumps < 20 && i < 50000000; i++) {
		t.seq = (uint64_t)i;
		limen_uevent_write(&ev_tick, &t, sizeof(t));
	}
	memset(&it, 0, sizeof(it));
	setitimer(ITIMER_REAL, &it, 0);
	for (long k = 0; k < 1000; k++) {
		struct tick a = { (uint64_t)k, 6, "after" };

		limen_uevent_write(&ev_tick, &a, sizeof(a));
	}
	printf("jumps=%d\n", jumps);
	return 0;
}

int main(int argc, char **argv)
{
	long n;

	if (argc > 1 && !strcmp(argv[1], "jump"))
		return jump_mode();
	if (argc > 1 && !strcmp(argv[1], "wait"))
		return wait_mode();
	if (argc > 1 && !strcmp(argv[1], "fork"))
		return fork_mode();
	n = argc > 1 ? atol(argv[1]) : 200000;
	struct itimerval it = { { 0, 50 }, { 0, 50 } };
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGALRM, &sa, 0);
	setitimer(ITIMER_REAL, &it, 0);
	for (long i = 0; i < n; i++) {
		struct tick t = { (uint64_t)i, 0, "main" };

		limen_uevent_write(&ev_tick, &t, sizeof(t));
		/* some time between emits, for the timer to fire in */
		for (volatile int k = 0; k < 200; k++)
			;
	}
	memset(&it, 0, sizeof(it));
	setitimer(ITIMER_REAL, &it, 0);
	printf("main=%ld handler=%llu\n", n, (unsigned long long)handled);
	return 0;
}
