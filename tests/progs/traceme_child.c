// SPDX-License-Identifier: MIT
/*
 * A child that asks to be traced at once (PTRACE_TRACEME: limen steps
 * aside for it, and its note can reach the collector before its parent's
 * clone exit): v vfork, f fork; x: the child then execs /bin/true, else
 * _exit(5). Prints "child PID STATUS" (tests/collector/traceme_child.t).
 */
#include <signal.h>
#include <stdio.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	const char *m = argc > 1 ? argv[1] : "v";
	int st;
	pid_t c;

	fflush(stdout);
	c = m[0] == 'v' ? vfork() : fork();
	if (!c) {
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		if (m[1] == 'x')
			execl("/bin/true", "true", (char *)0);
		_exit(5);
	}
	waitpid(c, &st, 0);
	if (WIFSTOPPED(st)) {
		ptrace(PTRACE_CONT, c, 0, 0);
		waitpid(c, &st, 0);
	}
	printf("child %d %d\n", (int)c, WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	return 0;
}
