/* SPDX-License-Identifier: MIT */
/*
 * nest D: calls nested D deep on one thread. A SIGALRM handler (SA_RESTART,
 * SA_NODEFER) arms a 1 ms one-shot timer and reads from an empty pipe; the
 * next SIGALRM runs the handler again inside that read, and so on D levels
 * down, where the innermost handler fills the pipe. Every read is then
 * restarted by the kernel and returns: level L asks for L bytes and gets
 * L, so an exit paired with the wrong entry shows ("read(..., 16) = 19").
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

static int depth, max_depth, fds[2];

static void on_alarm(int sig)
{
	int level = ++depth;
	struct itimerval one = { { 0, 0 }, { 0, 1000 } };
	char buf[64];

	(void)sig;
	if (level < max_depth) {
		setitimer(ITIMER_REAL, &one, NULL);
		if (read(fds[0], buf, (size_t)level) != level)
			abort();
	} else {
		char fill[4096];

		memset(fill, 'x', sizeof(fill));
		write(fds[1], fill, (size_t)(level * level));
	}
}

int main(int argc, char **argv)
{
	struct sigaction sa;

	max_depth = argc > 1 ? atoi(argv[1]) : 20;
	if (max_depth < 1 || max_depth > 60 || pipe(fds) < 0)
		return 2;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sa.sa_flags = SA_NODEFER | SA_RESTART;
	sigaction(SIGALRM, &sa, NULL);
	raise(SIGALRM);
	printf("%d\n", depth);
	return 0;
}
