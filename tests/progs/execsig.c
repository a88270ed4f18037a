/* SPDX-License-Identifier: MIT */
/*
 * A signal that reaches a process while it calls execve is either taken by
 * its handler before the new image starts or, once the image has replaced
 * the old one (the handler reset to SIG_DFL), kills it; it is never lost.
 * Under limen the execve is prepared in limen's code (src/runtime/exec.c),
 * where a signal is held for the program: it must not vanish with the old
 * image. For tests/syscalls/exec_signal.t.
 *   execsig N   N children, each with a SIGUSR1 handler (exit 7), kill()ed
 *       with SIGUSR1 while it execs this program again ("wait FD": exit 0
 *       once the parent closes the pipe FD, which it does after its
 *       kill, so that a signal not lost has been sent before the new
 *       image can end, however late the parent runs); prints how many
 *       ended neither way
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define HANDLED 7

static void on_usr1(int s)
{
	(void)s;
	_exit(HANDLED);
}

int main(int argc, char **argv)
{
	int n, lost = 0;

	if (argc < 2)
		return 2;
	if (!strcmp(argv[1], "wait") && argc == 3) {
		char b;

		/* EOF: the parent has sent its signal */
		if (read(atoi(argv[2]), &b, 1) != 0)
			return 2;
		return 0;
	}
	n = atoi(argv[1]);
	for (int i = 0; i < n; i++) {
		int p[2], sent[2], st;
		pid_t c;
		char b, fd[16];

		if (pipe(p) || pipe(sent))
			return 2;
		c = fork();
		if (c < 0)
			return 2;
		if (c == 0) {
			signal(SIGUSR1, on_usr1);
			close(p[0]);
			close(sent[1]);
			snprintf(fd, sizeof(fd), "%d", sent[0]);
			/* ready: the parent's kill comes during the execve */
			if (write(p[1], "r", 1) != 1)
				_exit(2);
			execl("/proc/self/exe", argv[0], "wait", fd, (char *)NULL);
			_exit(2);
		}
		close(p[1]);
		close(sent[0]);
		if (read(p[0], &b, 1) != 1)
			return 2;
		close(p[0]);
		kill(c, SIGUSR1);
		close(sent[1]);
		if (waitpid(c, &st, 0) != c)
			return 2;
		if (!(WIFEXITED(st) && WEXITSTATUS(st) == HANDLED) &&
		    !(WIFSIGNALED(st) && WTERMSIG(st) == SIGUSR1))
			lost++;
	}
	printf("children whose signal was lost: %d of %d\n", lost, n);
	return 0;
}
