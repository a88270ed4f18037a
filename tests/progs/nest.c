/* SPDX-License-Identifier: MIT */
/*
 * nest D: calls nested D deep on one thread. A SIGALRM handler
 * (SA_RESTART, SA_NODEFER) reads from an empty pipe; a second thread sends
 * the next SIGALRM once the read sleeps (its /proc syscall file says so,
 * tests/progs/blocked_in.h), which runs the handler again inside that
 * read, and so on D levels down, where the innermost handler fills the
 * pipe. Every read is then restarted by the kernel and returns: level L
 * asks for L bytes and gets L, so an exit paired with the wrong entry
 * shows ("read(..., 16) = 19"). (A timer armed before each read, as
 * before, could fire before it on a busy machine: that level's read was
 * then never interrupted.)
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "blocked_in.h"

static volatile int depth;
static int max_depth, fds[2];
static pid_t main_tid;

static void on_alarm(int sig)
{
	int level = ++depth;
	char buf[64];

	(void)sig;
	if (level < max_depth) {
		if (read(fds[0], buf, (size_t)level) != level)
			abort();
	} else {
		char fill[4096];

		memset(fill, 'x', sizeof(fill));
		write(fds[1], fill, (size_t)(level * level));
	}
}

/* SIGALRM to the main thread once level L's read sleeps, for each L */
static void *signaller(void *arg)
{
	sigset_t alrm;

	(void)arg;
	sigemptyset(&alrm);
	sigaddset(&alrm, SIGALRM);
	pthread_sigmask(SIG_BLOCK, &alrm, NULL);
	for (int level = 1; level < max_depth; level++) {
		/* level's handler is the one that runs (a deeper one
		   cannot yet) and its read sleeps */
		while (depth != level)
			sched_yield();
		wait_blocked_in(main_tid, SYS_read);
		syscall(SYS_tgkill, getpid(), main_tid, SIGALRM);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	pthread_t t;

	max_depth = argc > 1 ? atoi(argv[1]) : 20;
	if (max_depth < 1 || max_depth > 60 || pipe(fds) < 0)
		return 2;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sa.sa_flags = SA_NODEFER | SA_RESTART;
	sigaction(SIGALRM, &sa, NULL);
	main_tid = gettid();
	if (pthread_create(&t, NULL, signaller, NULL))
		return 2;
	raise(SIGALRM);
	pthread_join(t, NULL);
	printf("%d\n", depth);
	return 0;
}
