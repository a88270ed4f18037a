/* SPDX-License-Identifier: MIT */
/*
 * core_blocked MODE: threads blocked in system calls, then a core-dumping
 * death, for tests/syscalls/core_blocked_threads.t to read every thread's
 * backtrace in the core:
 *   - in_pause: pause();
 *   - in_read: read() of a pipe nobody writes to;
 *   - in_cond_wait: pthread_cond_wait() (a futex wait);
 *   - in_join: pthread_join() of the pause thread (a futex wait);
 *   - in_sleep: nanosleep() of 100 s (glibc: clock_nanosleep);
 * read, nanosleep and the futex wait are made twice first (quickly), so
 * that their sites are rewritten when limen rewrites (a call's site is
 * rewritten once it has trapped twice). Once every thread sleeps in its
 * call (/proc/self/task/TID/syscall), main dies:
 *   abort   abort() from die_abort
 *   segv    a store through a null pointer in die_segv
 *   quit    its pid on stdout, then pause() in die_quit until a SIGQUIT
 *           from outside (SIGQUIT back to SIG_DFL: a background job of a
 *           shell ignores it)
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "blocked_in.h"

static int pfd[2];
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static pthread_t paused;
static volatile pid_t tids[5];

static void ready(int i)
{
	tids[i] = (pid_t)syscall(SYS_gettid);
}

__attribute__((noinline)) void *in_pause(void *arg)
{
	ready(0);
	pause();
	return arg;
}

__attribute__((noinline)) void *in_read(void *arg)
{
	char c;

	for (int i = 0; i < 2; i++)
		if (write(pfd[1], "x", 1) != 1 || read(pfd[0], &c, 1) != 1)
			exit(5);
	ready(1);
	if (read(pfd[0], &c, 1) >= 0)
		exit(5);
	return arg;
}

__attribute__((noinline)) void *in_cond_wait(void *arg)
{
	struct timespec t;

	pthread_mutex_lock(&mu);
	for (int i = 0; i < 2; i++) {
		clock_gettime(CLOCK_REALTIME, &t);
		t.tv_nsec += 1000000;
		if (t.tv_nsec >= 1000000000) {
			t.tv_sec++;
			t.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&cv, &mu, &t);
	}
	ready(2);
	for (;;)
		pthread_cond_wait(&cv, &mu);
	return arg;
}

__attribute__((noinline)) void *in_join(void *arg)
{
	ready(3);
	pthread_join(paused, NULL);
	return arg;
}

__attribute__((noinline)) void *in_sleep(void *arg)
{
	struct timespec t = { 0, 1000 };

	for (int i = 0; i < 2; i++)
		nanosleep(&t, NULL);
	t.tv_sec = 100;
	ready(4);
	nanosleep(&t, NULL);
	return arg;
}

__attribute__((noinline)) void die_abort(void)
{
	abort();
}

__attribute__((noinline)) void die_segv(volatile int *p)
{
	*p = 1;
}

__attribute__((noinline)) void die_quit(void)
{
	signal(SIGQUIT, SIG_DFL);
	printf("%d\n", (int)getpid());
	fflush(stdout);
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	static const long nrs[] = { SYS_pause, SYS_read, SYS_futex, SYS_futex,
				    SYS_clock_nanosleep };
	void *(*fns[])(void *) = { in_pause, in_read, in_cond_wait, in_join,
				   in_sleep };
	pthread_t t;

	if (argc != 2 || pipe(pfd) < 0)
		return 2;
	for (int i = 0; i < 5; i++) {
		if (pthread_create(&t, NULL, fns[i], NULL))
			return 3;
		if (i == 0)
			paused = t;
		while (!tids[i])
			usleep(1000);
		wait_blocked_in(tids[i], nrs[i]);
	}
	if (!strcmp(argv[1], "abort"))
		die_abort();
	else if (!strcmp(argv[1], "segv"))
		die_segv((volatile int *)(uintptr_t)(argc - 2));
	else if (!strcmp(argv[1], "quit"))
		die_quit();
	return 2;
}
