/* SPDX-License-Identifier: MIT */
/*
 * Use up every descriptor the limit allows, then make one getppid call in
 * a new thread and one in a fork child: the runtime cannot reopen the
 * session for their rings (EMFILE), yet they are traced, and the program
 * sees its descriptors exactly as bare.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/resource.h>
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
	struct rlimit r = { 32, 32 };
	pthread_t t;
	int n = 0, st;
	pid_t p;

	if (setrlimit(RLIMIT_NOFILE, &r))
		return 1;
	while (open("/dev/null", O_RDONLY) >= 0)
		n++;
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
	printf("opened %d\n", n);
	return 0;
}
