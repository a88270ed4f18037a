/* SPDX-License-Identifier: MIT */
/*
 * A tracer that attaches without stopping its tracee: the parent forks a
 * child that spins (no call, so no stop) until the parent has made it
 * its tracee with PTRACE_SEIZE, then execs /bin/echo. The child's first
 * stop is then the one at its execve (under limen: the SIGSYS it traps
 * to, which the tracer passes on), so before that call the child had
 * never slept: a count of its voluntary context switches said 0, and
 * only its status says that it is traced. The parent passes every
 * signal on and prints what it saw: the exec, the child's end. Bare:
 *   hello from the seized child
 *   exec seen
 *   child exited with 0
 *   seizeexec [FILE]: the child's count before the seize to FILE too
 * ("nvcsw N": where N is not 0 the child slept before its spin, and the
 * case this is for did not happen).
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

struct shared {
	volatile int go;
	volatile long nvcsw;
};

int main(int argc, char **argv)
{
	struct shared *sh = mmap(0, sizeof(*sh), PROT_READ | PROT_WRITE,
				 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int st, execs = 0;
	pid_t pid;

	if (sh == MAP_FAILED)
		return 2;
	sh->nvcsw = -1;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		char *args[] = { "/bin/echo", "hello from the seized child",
				 NULL };
		struct rusage ru;

		getrusage(RUSAGE_THREAD, &ru);
		sh->nvcsw = ru.ru_nvcsw;
		while (!sh->go)
			__asm__ volatile("pause");
		execv(args[0], args);
		_exit(127);
	}
	while (sh->nvcsw < 0)
		__asm__ volatile("pause");
	if (argc > 1) {
		FILE *f = fopen(argv[1], "w");

		if (f) {
			fprintf(f, "nvcsw %ld\n", sh->nvcsw);
			fclose(f);
		}
	}
	if (ptrace(PTRACE_SEIZE, pid, 0, PTRACE_O_TRACEEXEC) < 0) {
		perror("PTRACE_SEIZE");
		kill(pid, SIGKILL);
		return 1;
	}
	sh->go = 1;
	for (int stops = 0; stops < 100000; stops++) {
		if (waitpid(pid, &st, __WALL) != pid) {
			perror("waitpid");
			return 1;
		}
		if (WIFEXITED(st)) {
			if (execs)
				printf("exec seen\n");
			printf("child exited with %d\n", WEXITSTATUS(st));
			return 0;
		}
		if (WIFSIGNALED(st)) {
			printf("child killed by %s\n", strsignal(WTERMSIG(st)));
			return 0;
		}
		if (st >> 8 == (SIGTRAP | (PTRACE_EVENT_EXEC << 8))) {
			execs++;
			ptrace(PTRACE_CONT, pid, 0, 0);
			continue;
		}
		/* a signal-delivery stop: the signal goes on */
		ptrace(PTRACE_CONT, pid, 0, WSTOPSIG(st));
	}
	kill(pid, SIGKILL);
	return 1;
}
