/* SPDX-License-Identifier: MIT */
/*
 * signal_at_entry THREADS CALLS: THREADS threads (0 or more), each with its own fast
 * SIGALRM timer (timer_create, SIGEV_THREAD_ID, every 20 us; a handler
 * with SA_RESTART that does nothing), each making CALLS getppid calls;
 * signals often arrive as a call enters. Prints "calls N", the number of
 * getppid calls made (THREADS * CALLS), then "read ok" after a blocking
 * read that a handled SIGALRM (tgkill, once the reader is seen blocked in
 * read in /proc) interrupts (SA_RESTART: the kernel restarts it) before
 * the byte it waits for comes.
 */
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static long calls;
static volatile long made[64];
static int pipefd[2];

static volatile long handled;

static void on_alrm(int sig)
{
	(void)sig;
	handled++;
}

static void *worker(void *arg)
{
	long k = (long)arg;
	struct sigevent sev = { .sigev_notify = SIGEV_THREAD_ID,
				.sigev_signo = SIGALRM };
	struct itimerspec its = { { 0, 20000 }, { 0, 20000 } };
	timer_t tm;

	sev._sigev_un._tid = (pid_t)syscall(SYS_gettid);
	if (timer_create(CLOCK_MONOTONIC, &sev, &tm))
		return (void *)1;
	timer_settime(tm, 0, &its, NULL);
	for (long i = 0; i < calls; i++) {
		getppid();
		made[k]++;
	}
	timer_delete(tm);
	return NULL;
}

/* the reader is in read(2) and asleep there (/proc's syscall and stat) */
static int reading(pid_t tid)
{
	char path[64], buf[256];
	FILE *f;
	int in_read = 0, asleep = 0;

	snprintf(path, sizeof(path), "/proc/self/task/%d/syscall", tid);
	f = fopen(path, "r");
	if (f) {
		in_read = fgets(buf, sizeof(buf), f) && buf[0] == '0' &&
			  buf[1] == ' ';
		fclose(f);
	}
	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tid);
	f = fopen(path, "r");
	if (f) {
		if (fgets(buf, sizeof(buf), f)) {
			char *p = strrchr(buf, ')');

			asleep = p && p[1] == ' ' && p[2] == 'S';
		}
		fclose(f);
	}
	return in_read && asleep;
}

static pid_t reader;

static void *writer(void *arg)
{
	long before;

	(void)arg;
	while (!reading(reader))
		sched_yield();
	before = handled;
	syscall(SYS_tgkill, getpid(), reader, SIGALRM);
	while (handled == before)
		sched_yield();
	if (write(pipefd[1], "x", 1) != 1)
		return (void *)1;
	return NULL;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_alrm, .sa_flags = SA_RESTART };
	long nthr = argc > 1 ? atol(argv[1]) : 4, total = 0;
	pthread_t th[64];
	char c;

	calls = argc > 2 ? atol(argv[2]) : 3000;
	if (nthr < 0 || nthr > 64)
		return 2;
	sigaction(SIGALRM, &sa, NULL);
	for (long i = 0; i < nthr; i++)
		pthread_create(&th[i], NULL, worker, (void *)i);
	for (long i = 0; i < nthr; i++)
		pthread_join(th[i], NULL);
	for (long i = 0; i < nthr; i++)
		total += made[i];
	printf("calls %ld\n", total);
	fflush(stdout);
	/* a blocking read a handled signal interrupts: the kernel's own
	   restart (ERESTARTSYS), which the trace keeps */
	if (pipe(pipefd))
		return 1;
	reader = (pid_t)syscall(SYS_gettid);
	pthread_create(&th[0], NULL, writer, NULL);
	if (read(pipefd[0], &c, 1) == 1)
		printf("read ok\n");
	pthread_join(th[0], NULL);
	return 0;
}
