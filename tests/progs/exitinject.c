// SPDX-License-Identifier: MIT
/*
 * exit_group that returns: under -e inject=exit_group:error=EPERM:when=1
 * the first exit_group(4) fails and the program goes on: a second thread,
 * blocked in read, is woken and joined, and the program ends with 0.
 * Bare (nothing injected) it ends with 4 at once.
 */
#include <pthread.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

static int p[2];

static void *reader(void *arg)
{
	char c;

	(void)arg;
	if (read(p[0], &c, 1) != 1)
		return (void *)1;
	return NULL;
}

int main(void)
{
	pthread_t t;
	void *r;
	long ret;

	if (pipe(p) || pthread_create(&t, NULL, reader, NULL))
		return 1;
	ret = syscall(SYS_exit_group, 4);
	printf("exit_group returned %ld\n", ret);
	fflush(stdout);
	if (write(p[1], "x", 1) != 1 || pthread_join(t, &r) || r)
		return 2;
	return 0;
}
