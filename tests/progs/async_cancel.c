/* SPDX-License-Identifier: MIT */
/*
 * Handlers that read the context they interrupted, while a thread loops on
 * a libc call (a site limen rewrites once it is hot):
 *   async_cancel cancel WHICH N   N threads, each cancelled asynchronously
 *       (glibc's SIGCANCEL handler unwinds the thread from where the
 *       signal found it); WHICH: 0 getppid, 1 read(-1), 2 sched_yield,
 *       3 getpid
 *   async_cancel bt N   N SIGUSR1s to a thread looping on getppid, whose
 *       handler calls backtrace() (the unwinder reads the frames)
 * Prints a summary; a bad frame makes the unwinder crash the process.
 */
#include <execinfo.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int which;
static volatile sig_atomic_t frames_ok, handled;

static void *loop(void *arg)
{
	char c;

	(void)arg;
	pthread_setcanceltype(PTHREAD_CANCEL_ASYNCHRONOUS, NULL);
	for (;;) {
		switch (which) {
		case 0:
			getppid();
			break;
		case 1:
			if (read(-1, &c, 1) >= 0)
				abort();
			break;
		case 2:
			sched_yield();
			break;
		default:
			getpid();
		}
	}
	return NULL;
}

static void on_usr1(int sig)
{
	void *f[32];

	(void)sig;
	/* the handler, the signal frame, and the thread's own frames */
	if (backtrace(f, 32) >= 3)
		frames_ok++;
	handled++;
}

static void pause_a_little(int i)
{
	struct timespec ts = { 0, (i % 10) * 20000 };

	nanosleep(&ts, NULL);
}

int main(int argc, char **argv)
{
	int n, bad = 0;
	pthread_t t;
	void *r;

	if (argc == 4 && !strcmp(argv[1], "cancel")) {
		which = atoi(argv[2]);
		n = atoi(argv[3]);
		for (int i = 0; i < n; i++) {
			if (pthread_create(&t, NULL, loop, NULL))
				return 2;
			pause_a_little(i);
			pthread_cancel(t);
			pthread_join(t, &r);
			bad += r != PTHREAD_CANCELED;
		}
		printf("cancelled %d, not cancelled %d\n", n, bad);
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "bt")) {
		n = atoi(argv[2]);
		signal(SIGUSR1, on_usr1);
		backtrace((void *[1]){ 0 }, 1); /* libgcc loaded before */
		which = 0;
		if (pthread_create(&t, NULL, loop, NULL))
			return 2;
		for (int i = 0; i < n; i++) {
			int before = handled;

			pthread_kill(t, SIGUSR1);
			while (handled == before)
				pause_a_little(1);
		}
		pthread_cancel(t);
		pthread_join(t, NULL);
		printf("handled %d, with frames %d\n", (int)handled,
		       (int)frames_ok);
		return 0;
	}
	fprintf(stderr, "usage: async_cancel cancel WHICH N | bt N\n");
	return 2;
}
