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
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static int last;

static void *other(void *a)
{
	(void)a;
	usleep(100000);
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
	pthread_exit(NULL);
}
