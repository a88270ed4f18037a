/* SPDX-License-Identifier: MIT */
/*
 * -k at calls that do not return: a thread ends by the exit call itself
 * (SYS_exit, not through pthread_exit), the main thread then makes a
 * getppid and ends the process with exit(3) (exit_group).
 * tests/cli/stack_exit.t.
 */
#include <pthread.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

static void *thread_exits(void *a)
{
	(void)a;
	syscall(SYS_exit, 0);
	return NULL;
}

int main(void)
{
	pthread_t th;

	if (pthread_create(&th, NULL, thread_exits, NULL))
		return 1;
	pthread_join(th, NULL);
	getppid();
	exit(3);
}
