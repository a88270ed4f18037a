/* SPDX-License-Identifier: MIT */
/*
 * A vfork child shares memory with its parent but has its own table of
 * signal dispositions. A thread vforks; while its child waits on a pipe:
 *
 *   vfork_sigtable installed: the main thread installs a SIGUSR1 handler,
 *     which must still be there once the child has exited;
 *   vfork_sigtable reset: the child sets SIGUSR1 to SIG_DFL, and the main
 *     thread's raise(SIGUSR1) must still run the process's handler.
 *
 * Prints what the handler saw; alarm() ends a run that would hang.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t got;
static int to_main[2], to_child[2];

static void on_usr1(int sig)
{
	got = sig;
}

static void *vforker(void *reset)
{
	char c;
	pid_t p = vfork();

	if (p == 0) {
		if (reset)
			signal(SIGUSR1, SIG_DFL);
		/* EOF, not a hang, should the parent die meanwhile; the
		   parent's alarm is not ours */
		close(to_child[1]);
		alarm(5);
		if (write(to_main[1], "x", 1) != 1 ||
		    read(to_child[0], &c, 1) != 1)
			_exit(1);
		_exit(0);
	}
	waitpid(p, NULL, 0);
	return NULL;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	int reset = argc > 1 && strcmp(argv[1], "reset") == 0;
	pthread_t t;
	char c;

	alarm(5);
	if (pipe(to_main) || pipe(to_child))
		return 2;
	if (reset)
		sigaction(SIGUSR1, &sa, NULL);
	pthread_create(&t, NULL, vforker, (void *)(long)reset);
	if (read(to_main[0], &c, 1) != 1)
		return 2;
	if (reset) {
		raise(SIGUSR1);
		printf("during the vfork child: %d\n", got);
		got = 0;
	} else {
		sigaction(SIGUSR1, &sa, NULL);
	}
	if (write(to_child[1], "x", 1) != 1)
		return 2;
	pthread_join(t, NULL);
	raise(SIGUSR1);
	printf("after the vfork child: %d\n", got);
	return 0;
}
