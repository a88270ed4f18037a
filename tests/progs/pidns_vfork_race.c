/* SPDX-License-Identifier: MIT */
/*
 * Two threads spawn (posix_spawn: vfork children) /bin/true ITER times each,
 * one after an unshare(CLONE_NEWPID) of its own (its children are in a new
 * namespace, where it first starts a long-lived init), while a third
 * starts and joins short threads (a slot claim each). A vfork child in the
 * new namespace must not change the namespace the other threads' slots
 * say (tests/syscalls/pidns_labels.t). Then one more thread calls getppid
 * three times.
 */
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;
static int iters;
static volatile int stop;
static pid_t init = -1;

static void *spawner(void *moved)
{
	char *sleeper[] = { "sleep", "30", 0 }, *yes[] = { "true", 0 };

	if (moved) {
		if (unshare(CLONE_NEWPID) ||
		    posix_spawn(&init, "/bin/sleep", 0, 0, sleeper, environ)) {
			perror("unshare or spawn");
			exit(1);
		}
	}
	for (int i = 0; i < iters; i++) {
		pid_t p;

		if (posix_spawn(&p, "/bin/true", 0, 0, yes, environ) == 0)
			waitpid(p, 0, 0);
	}
	return 0;
}

static void *three(void *a)
{
	for (int i = 0; i < 3; i++)
		syscall(SYS_getppid);
	return a;
}

static void *nothing(void *a)
{
	return a;
}

static void *churn(void *a)
{
	while (!stop) {
		pthread_t t;

		pthread_create(&t, 0, nothing, 0);
		pthread_join(t, 0);
	}
	return a;
}

int main(int argc, char **argv)
{
	pthread_t s1, s2, c, t;

	iters = argc > 1 ? atoi(argv[1]) : 200;
	pthread_create(&c, 0, churn, 0);
	pthread_create(&s1, 0, spawner, (void *)1);
	pthread_create(&s2, 0, spawner, 0);
	pthread_join(s1, 0);
	pthread_join(s2, 0);
	stop = 1;
	pthread_join(c, 0);
	pthread_create(&t, 0, three, 0);
	pthread_join(t, 0);
	if (init > 0) {
		kill(init, SIGKILL);
		waitpid(init, 0, 0);
	}
	printf("done pid=%d\n", getpid());
	return 0;
}
