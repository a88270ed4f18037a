/* SPDX-License-Identifier: MIT */
/*
 * A stopped process is reported stopped to its parent, whatever its
 * threads were doing. The child's second thread maps and unmaps a page
 * and kill()s its own process over and over (under limen -k each call's
 * stack comes with the mappings, read again after each change, and a
 * signal that rides another thread's trap has the runtime read the main
 * thread's /proc status: both in a helper thread while the program has
 * threads, src/runtime/aside.c); the parent stops it with SIGSTOP, waits
 * for the stop with WUNTRACED (1 s at most), continues it, N times.
 * Prints how many stops were not reported in time (0 bare).
 * For tests/syscalls/stop_aside.t.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void on_usr1(int s)
{
	(void)s;
}

static void on_alarm(int s)
{
	(void)s;
}

static void *killer(void *unused)
{
	(void)unused;
	for (;;) {
		void *m = mmap(0, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
			       -1, 0);

		kill(getpid(), SIGUSR1);
		if (m != MAP_FAILED)
			munmap(m, 4096);
	}
	return 0;
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 30, late = 0, st;
	struct timespec tick = { 0, 20 * 1000 * 1000 };
	struct sigaction sa = { .sa_handler = on_alarm };
	pid_t pid = fork();

	if (pid == 0) {
		pthread_t t;

		signal(SIGUSR1, on_usr1);
		if (pthread_create(&t, 0, killer, 0))
			_exit(2);
		for (;;)
			pause();
	}
	sigaction(SIGALRM, &sa, 0); /* no SA_RESTART: waitpid gives up */
	nanosleep(&tick, 0);
	for (int i = 0; i < rounds; i++) {
		int stopped = 0;

		kill(pid, SIGSTOP);
		alarm(1);
		while (waitpid(pid, &st, WUNTRACED) == pid)
			if (WIFSTOPPED(st)) {
				stopped = 1;
				break;
			}
		alarm(0);
		late += !stopped;
		kill(pid, SIGCONT);
		nanosleep(&tick, 0);
	}
	kill(pid, SIGKILL);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	printf("stops not reported within 1 s: %d of %d\n", late, rounds);
	return 0;
}
