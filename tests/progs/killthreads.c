/* SPDX-License-Identifier: MIT */
/*
 * A process killed by a signal while its threads block in calls: N
 * threads make a few getppid calls (their sites rewritten: the records of
 * both ends of such a call reserved at once, ring.c limen_rec_sys_pair),
 * then block in pause(); once /proc says each is in it (no sleeps to
 * order), the main thread sends the process SIGKILL (tgkill of itself)
 * or, with "exit", calls exit_group(3). strace -f shows each blocked
 * call end without a result and each thread killed (or exited).
 *   killthreads N kill|exit
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MAXT 64

static pid_t tids[MAXT];

static void *blocker(void *arg)
{
	for (int i = 0; i < 50; i++)
		getppid();
	__atomic_store_n((pid_t *)arg, (pid_t)syscall(SYS_gettid),
			 __ATOMIC_RELEASE);
	for (;;)
		pause();
	return NULL;
}

/* the thread tid blocks in pause (/proc/self/task/TID/syscall: "34 ...") */
static int in_pause(pid_t tid)
{
	char path[64], buf[64];
	FILE *f;
	int in;

	snprintf(path, sizeof(path), "/proc/self/task/%d/syscall", (int)tid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	in = fgets(buf, sizeof(buf), f) && atoi(buf) == SYS_pause;
	fclose(f);
	return in;
}

int main(int argc, char **argv)
{
	int n = argc > 2 ? atoi(argv[1]) : 0;
	pthread_t t;

	if (n < 1 || n > MAXT) {
		fprintf(stderr, "usage: killthreads N kill|exit\n");
		return 2;
	}
	for (int i = 0; i < n; i++)
		if (pthread_create(&t, NULL, blocker, &tids[i]))
			return 2;
	for (int i = 0; i < n; i++)
		while (!__atomic_load_n(&tids[i], __ATOMIC_ACQUIRE) ||
		       !in_pause(tids[i]))
			sched_yield();
	if (!strcmp(argv[2], "exit"))
		syscall(SYS_exit_group, 3);
	syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), SIGKILL);
	return 1;
}
