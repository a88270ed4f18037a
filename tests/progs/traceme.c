/* SPDX-License-Identifier: MIT */
/*
 * A debugger's start, without the debugger: the child asks to be traced
 * (PTRACE_TRACEME) and execs; the parent must see the exec's SIGTRAP stop
 * first, as gdb does, then lets the child run to its end. Prints each stop
 * the parent sees. Under limen a SIGSYS stop before the exec (the child
 * still trapping its calls) would show up here.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	pid_t pid;
	int st;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		char *args[] = { "/bin/echo", "hello from the tracee", NULL };

		if (ptrace(PTRACE_TRACEME, 0, 0, 0) < 0) {
			perror("PTRACE_TRACEME");
			_exit(2);
		}
		execv(args[0], args);
		_exit(127);
	}
	for (int stops = 0; stops < 20; stops++) {
		if (waitpid(pid, &st, 0) != pid) {
			perror("waitpid");
			return 1;
		}
		if (WIFEXITED(st)) {
			printf("tracee exited with %d\n", WEXITSTATUS(st));
			return 0;
		}
		if (WIFSIGNALED(st)) {
			printf("tracee killed by %s\n", strsignal(WTERMSIG(st)));
			return 0;
		}
		printf("tracee stopped by %s\n", strsignal(WSTOPSIG(st)));
		fflush(stdout);
		/* the exec's SIGTRAP is the debugger's; others are passed on */
		ptrace(PTRACE_CONT, pid, 0,
		       WSTOPSIG(st) == SIGTRAP ? 0 : WSTOPSIG(st));
	}
	printf("too many stops\n");
	kill(pid, SIGKILL);
	return 1;
}
