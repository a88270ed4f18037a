/* SPDX-License-Identifier: MIT */
/*
 * The main thread calls pthread_exit (the kernel's exit: the leader
 * leaves, a zombie, while another thread lives); the other thread then
 * calls exit(6): the process's status is 6. With "last", the other
 * thread ends by the exit call alone (code 5, not exit_group): the
 * kernel gives the process the last thread's code, 5.
 * tests/collector/leader_exits_first.t.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static int last, started;

/* the leader's state in /proc, 'Z' once it has called exit */
static char leader_state(void)
{
	char path[64], buf[256], *p;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", getpid(),
		 getpid());
	f = fopen(path, "r");
	if (!f)
		return 0;
	p = fgets(buf, sizeof(buf), f);
	fclose(f);
	p = p ? strrchr(buf, ')') : NULL;
	return p && p[1] ? p[2] : 0;
}

static void *other(void *a)
{
	(void)a;
	__atomic_store_n(&started, 1, __ATOMIC_RELEASE);
	/* after the leader's exit, however loaded the machine */
	while (leader_state() != 'Z')
		usleep(1000);
	if (last)
		syscall(SYS_exit, 5);
	exit(6);
}

int main(int argc, char **argv)
{
	pthread_t th;

	last = argc > 1 && !strcmp(argv[1], "last");
	if (pthread_create(&th, NULL, other, NULL))
		return 1;
	/* the thread has started (the trace has its start) before the
	   leader leaves: one started after is limen's known race */
	while (!__atomic_load_n(&started, __ATOMIC_ACQUIRE))
		usleep(1000);
	pthread_exit(NULL);
}
