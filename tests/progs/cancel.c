/* SPDX-License-Identifier: MIT */
/*
 * pthread_cancel of a thread blocked in read(): glibc's cancellation signal
 * handler unwinds the thread from inside the handler, through the signal
 * frame's restorer and read() into the thread's cleanup handler. The
 * unwinder finds its way only if the restorer has signal-frame CFI.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int p[2];

static void say(const char *s)
{
	if (write(1, s, strlen(s)) < 0)
		_exit(2);
}

static void cleanup(void *arg)
{
	say("cleanup handler ran\n");
}

static void *reader(void *arg)
{
	char c;

	pthread_cleanup_push(cleanup, NULL);
	say("thread: blocking in read\n");
	if (read(p[0], &c, 1) >= 0)
		say("read returned\n");
	pthread_cleanup_pop(0);
	return NULL;
}

/* The thread's read() is in the kernel when its /proc syscall file names
 * read (number 0). */
static void wait_blocked(pid_t tid)
{
	char path[64], buf[64];

	snprintf(path, sizeof path, "/proc/self/task/%d/syscall", tid);
	for (int i = 0; i < 5000; i++) {
		FILE *f = fopen(path, "r");
		int n = 0;

		if (f) {
			n = fread(buf, 1, sizeof buf - 1, f);
			fclose(f);
		}
		buf[n > 0 ? n : 0] = 0;
		if (!strncmp(buf, "0 ", 2))
			return;
		usleep(1000);
	}
}

static volatile pid_t reader_tid;

static void *reader_main(void *arg)
{
	reader_tid = gettid();
	return reader(arg);
}

int main(void)
{
	pthread_t t;
	void *ret;

	if (pipe(p))
		return 1;
	if (pthread_create(&t, NULL, reader_main, NULL))
		return 1;
	while (!reader_tid)
		usleep(1000);
	wait_blocked(reader_tid);
	say("main: cancelling\n");
	pthread_cancel(t);
	pthread_join(t, &ret);
	say(ret == PTHREAD_CANCELED ? "joined: PTHREAD_CANCELED\n"
				    : "joined: not cancelled\n");
	return ret != PTHREAD_CANCELED;
}
