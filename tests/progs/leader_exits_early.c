/* SPDX-License-Identifier: MIT */
/*
 * The main thread creates a thread and leaves at once (pthread_exit: the
 * kernel's exit, the leader a zombie while the thread lives), before the
 * new thread has made any call; the thread sleeps, then exit(6)s: the
 * process's status is 6. With "raw", the leader leaves by the exit call
 * itself (SYS_exit), not through pthread_exit.
 * tests/collector/leader_exits_early.t.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static void *sleeps(void *a)
{
	struct timespec ts = { 0, 200 * 1000 * 1000 };

	(void)a;
	nanosleep(&ts, NULL);
	exit(6);
}

int main(int argc, char **argv)
{
	pthread_t th;

	if (pthread_create(&th, NULL, sleeps, NULL))
		return 1;
	if (argc > 1 && !strcmp(argv[1], "raw"))
		syscall(SYS_exit, 0);
	pthread_exit(NULL);
}
