/* SPDX-License-Identifier: MIT */
/*
 * signal_left_call MODE CALLS: 4 threads, each with its own SIGALRM timer
 * every 20 us, each making CALLS getppid calls by a raw `syscall` (so its
 * arguments are the program's: rdi is the loop index in mode 1, 0 in
 * mode 2); signals often arrive as a call enters, when limen may not have
 * made it yet.
 *   mode 1: the handler leaves the interrupted code by siglongjmp (when
 *           the thread is in its getppid), so a call limen did not make
 *           is never made again.
 *   mode 2: the handler makes the same call (getppid with the same
 *           arguments) itself, then returns.
 * A thread stops early once it has run RUN_NS: a signal every 20 us costs
 * a traced thread most of those 20 us, so on a slow or loaded machine the
 * count alone made runs of minutes and millions of lines; the races come
 * at every signal, and a few seconds make hundreds of thousands of them.
 * Prints "calls N": the getppid calls that returned (mode 2 only, the
 * loop's and the handler's; mode 1 prints "done").
 */
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define THREADS 4
#define RUN_NS (4 * 1000000000LL)

static long calls;
static long made[THREADS];
static int mode;
static __thread sigjmp_buf env;
static __thread volatile int armed;
static volatile long handler_calls[THREADS];
static __thread long me;

/* getppid with rdi = x, the other arguments 0 */
static long same(long x)
{
	long r;
	register long r10 asm("r10") = 0, r8 asm("r8") = 0, r9 asm("r9") = 0;

	asm volatile("syscall"
		     : "=a"(r)
		     : "0"((long)SYS_getppid), "D"(x), "S"(0L), "d"(0L),
		       "r"(r10), "r"(r8), "r"(r9)
		     : "rcx", "r11", "memory");
	return r;
}

static void on_alrm(int sig)
{
	(void)sig;
	if (mode == 1 && armed) {
		armed = 0;
		siglongjmp(env, 1);
	}
	if (mode == 2) {
		same(0);
		handler_calls[me]++;
	}
}

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void *worker(void *arg)
{
	long long until = now_ns() + RUN_NS;
	volatile long i;

	struct sigevent sev = { .sigev_notify = SIGEV_THREAD_ID,
				.sigev_signo = SIGALRM };
	struct itimerspec its = { { 0, 20000 }, { 0, 20000 } };
	timer_t tm;

	me = (long)arg;
	sev._sigev_un._tid = (pid_t)syscall(SYS_gettid);
	if (timer_create(CLOCK_MONOTONIC, &sev, &tm))
		return (void *)1;
	timer_settime(tm, 0, &its, NULL);
	for (i = 0; i < calls && now_ns() < until; i++) {
		if (mode == 1) {
			if (sigsetjmp(env, 1))
				continue;
			armed = 1;
		}
		same(mode == 1 ? (long)i : 0);
		armed = 0;
	}
	made[me] = i;
	timer_delete(tm);
	return NULL;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_alrm, .sa_flags = SA_RESTART };
	pthread_t th[THREADS];
	long total;

	if (argc != 3)
		return 2;
	mode = atoi(argv[1]);
	calls = atol(argv[2]);
	sigaction(SIGALRM, &sa, NULL);
	for (long i = 0; i < THREADS; i++)
		pthread_create(&th[i], NULL, worker, (void *)i);
	for (int i = 0; i < THREADS; i++)
		pthread_join(th[i], NULL);
	/* the timers are gone; a signal still pending was handled before
	   the thread ended */
	total = 0;
	for (int i = 0; i < THREADS; i++)
		total += made[i] + handler_calls[i];
	if (mode == 2)
		printf("calls %ld\n", total);
	else
		printf("done\n");
	return 0;
}
