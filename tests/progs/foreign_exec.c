/* SPDX-License-Identifier: MIT */
/*
 * foreign_exec PROG ARG...: as a limen spawns its command, a child of
 * this process blocks SIGSEGV, SIGBUS, SIGSYS and SIGUSR1 and execs PROG
 * with LIMEN_SESSION naming this process (form "<pid>:<fd>:<path>"),
 * which a limen tracing us takes for another limen's session and steps
 * aside for. The new image must start with the mask the child set, as
 * bare. Exits with the child's status.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char var[64];
	char *envp[] = { var, NULL };
	int st;
	pid_t pid;

	if (argc < 2)
		return 2;
	snprintf(var, sizeof(var), "LIMEN_SESSION=%d:3:/nowhere/liblimen.so",
		 (int)getpid());
	pid = fork();
	if (pid == 0) {
		sigset_t s;

		sigemptyset(&s);
		sigaddset(&s, SIGSEGV);
		sigaddset(&s, SIGBUS);
		sigaddset(&s, SIGSYS);
		sigaddset(&s, SIGUSR1);
		sigprocmask(SIG_BLOCK, &s, NULL);
		execve(argv[1], argv + 1, envp);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return 1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
