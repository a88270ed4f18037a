/* SPDX-License-Identifier: MIT */
/*
 * posix_spawn (glibc: clone(CLONE_VM|CLONE_VFORK) on a separate stack, with
 * all signals blocked in the child until exec) of /bin/echo, waited for;
 * then posix_spawnp with file actions redirecting the child's stdout into a
 * pipe the parent reads. Deterministic output, exit 0 on success.
 */
#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static int report(const char *what, pid_t pid)
{
	int st;
	if (waitpid(pid, &st, 0) != pid) {
		printf("%s: waitpid: %s\n", what, strerror(errno));
		return 1;
	}
	if (WIFEXITED(st))
		printf("%s: child exited with status %d\n", what, WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		printf("%s: child killed by signal %d\n", what, WTERMSIG(st));
	return !(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

int main(void)
{
	char *argv1[] = { "/bin/echo", "spawned", NULL };
	char *argv2[] = { "echo", "spawned", "into", "a", "pipe", NULL };
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int r, bad = 0, p[2];
	char buf[256];
	ssize_t n, got = 0;

	fflush(stdout);
	r = posix_spawn(&pid, "/bin/echo", NULL, NULL, argv1, environ);
	if (r) {
		printf("posix_spawn: %s\n", strerror(r));
		return 1;
	}
	bad |= report("posix_spawn", pid);

	if (pipe(p)) {
		perror("pipe");
		return 1;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, p[1], 1);
	posix_spawn_file_actions_addclose(&fa, p[0]);
	posix_spawn_file_actions_addclose(&fa, p[1]);
	fflush(stdout);
	r = posix_spawnp(&pid, "echo", &fa, NULL, argv2, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (r) {
		printf("posix_spawnp: %s\n", strerror(r));
		return 1;
	}
	close(p[1]);
	while ((n = read(p[0], buf + got, sizeof buf - 1 - got)) > 0)
		got += n;
	close(p[0]);
	buf[got] = 0;
	printf("read from pipe: %s", buf);
	bad |= report("posix_spawnp", pid);
	printf(bad ? "FAIL\n" : "ok\n");
	return bad;
}
