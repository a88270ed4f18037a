/* SPDX-License-Identifier: MIT */
/*
 * Run as root: drop to user and group 65534, then make one getppid call in
 * a new thread and one in a fork child. Once its user id differs from the
 * collector's, the process can no longer open /proc/<collector>/fd/N, yet
 * its new threads and children need rings.
 */
#include <pthread.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void *call(void *arg)
{
	syscall(SYS_getppid);
	return arg;
}

int main(void)
{
	pthread_t t;
	pid_t p;
	int st;

	if (setgid(65534) || setuid(65534)) {
		perror("setuid");
		return 1;
	}
	if (pthread_create(&t, NULL, call, NULL))
		return 1;
	pthread_join(t, NULL);
	p = fork();
	if (p == 0) {
		call(NULL);
		_exit(0);
	}
	if (p < 0 || waitpid(p, &st, 0) != p || st)
		return 1;
	printf("dropped to 65534\n");
	return 0;
}
