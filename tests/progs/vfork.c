/* SPDX-License-Identifier: MIT */
/*
 * vfork: (1) child execve()s /bin/echo; (2) child writes to a parent
 * variable and to a local of the parent's frame, then _exit()s: vfork shares
 * the address space, so the parent sees both writes. Exit 0 on success.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;
static volatile int shared;

int main(void)
{
	char *argv[] = { "/bin/echo", "from", "vfork+execve", NULL };
	volatile int local = 1;
	pid_t pid;
	int st, bad = 0;

	fflush(stdout);
	pid = vfork();
	if (pid == 0) {
		execve("/bin/echo", argv, environ);
		_exit(127);
	}
	if (pid < 0) {
		perror("vfork");
		return 1;
	}
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st)) {
		printf("waitpid failed\n");
		return 1;
	}
	printf("exec child: status %d\n", WEXITSTATUS(st));
	bad |= WEXITSTATUS(st) != 0;

	pid = vfork();
	if (pid == 0) {
		shared = 42;
		local = 7;
		_exit(3);
	}
	if (pid < 0) {
		perror("vfork");
		return 1;
	}
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st)) {
		printf("waitpid failed\n");
		return 1;
	}
	printf("memory child: status %d, shared=%d, local=%d\n",
	       WEXITSTATUS(st), shared, local);
	bad |= WEXITSTATUS(st) != 3 || shared != 42 || local != 7;
	printf(bad ? "FAIL\n" : "ok\n");
	return bad;
}
