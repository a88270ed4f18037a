/* SPDX-License-Identifier: MIT */
/*
 * execve_many fork|vfork NVARS PATH ARGS...: runs PATH with ARGS (argv[0]
 * PATH) in a fork or a vfork child (whose reads of the parent's memory,
 * under limen, are process_vm_readv), with an environment of NVARS
 * variables longer than strace's default -s (or the program's own when
 * NVARS is 0); prints the child's exit status.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv)
{
	char **envp = environ;
	int v, nvars, st;
	pid_t p;

	if (argc < 4)
		return 2;
	v = !strcmp(argv[1], "vfork");
	nvars = atoi(argv[2]);
	if (nvars > 0) {
		envp = calloc((size_t)nvars + 1, sizeof(*envp));
		for (int i = 0; i < nvars; i++) {
			char b[64];

			snprintf(b, sizeof(b),
				 "LIMEN_VAR_%03d=the value of variable %d", i,
				 i);
			envp[i] = strdup(b);
		}
	}
	fflush(stdout);
	p = v ? vfork() : fork();
	if (p == 0) {
		execve(argv[3], argv + 3, envp);
		_exit(100 + errno);
	}
	waitpid(p, &st, 0);
	printf("%s: %d\n", argv[1], WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	return 0;
}
