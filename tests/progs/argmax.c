/* SPDX-License-Identifier: MIT */
/*
 * execve at the edge of the kernel's argument space (a quarter of the stack
 * limit, for the strings and pointers of argv and envp together):
 *   argmax probe      prints the largest N for which execve of /bin/sh
 *                     with N bytes of arguments (and our environment)
 *                     succeeds here, found by trying (vfork + execve);
 *   argmax exec N     execs /bin/sh with N bytes of arguments: it prints
 *                     its stack limit and its environment; if execve fails,
 *                     prints why and exits 1.
 * N bytes of arguments: /bin/sh -c SCRIPT argmax, then strings of 'x' of at
 * most 100000 bytes each (the kernel's limit per string is 128 KiB),
 * counting their NULs.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHUNK 100000
#define PROG "/bin/sh"
#define SCRIPT "ulimit -s; env | sort"

extern char **environ;

static char **build(long n)
{
	static char *argv[1024];
	static char *xs;
	long left = n - (long)(sizeof(PROG) + sizeof("-c") + sizeof(SCRIPT) +
			       sizeof("argmax"));
	int k = 0;

	if (!xs) {
		xs = malloc(CHUNK + 1);
		memset(xs, 'x', CHUNK);
	}
	argv[k++] = PROG;
	argv[k++] = "-c";
	argv[k++] = SCRIPT;
	argv[k++] = "argmax";
	while (left > 0 && k < 1022) {
		long len = left > CHUNK + 1 ? CHUNK + 1 : left;
		char *s = malloc((size_t)len);

		memcpy(s, xs, (size_t)len - 1);
		s[len - 1] = 0;
		argv[k++] = s;
		left -= len;
	}
	argv[k] = NULL;
	return argv;
}

static void release(char **argv)
{
	for (int i = 4; argv[i]; i++)
		free(argv[i]);
}

static int fits(long n)
{
	char **argv = build(n);
	int st = -1, null = open("/dev/null", O_WRONLY);
	pid_t pid = vfork();

	if (pid == 0) {
		dup2(null, 1);
		execve(PROG, argv, environ);
		_exit(errno == E2BIG ? 7 : 8);
	}
	waitpid(pid, &st, 0);
	close(null);
	release(argv);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 8) {
		fprintf(stderr, "execve failed other than with E2BIG\n");
		exit(2);
	}
	return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "probe")) {
		long lo = 64, hi = 64L << 20;

		if (!fits(lo))
			return 2;
		while (hi - lo > 1) {
			long mid = lo + (hi - lo) / 2;

			if (fits(mid))
				lo = mid;
			else
				hi = mid;
		}
		printf("%ld\n", lo);
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "exec")) {
		long n = atol(argv[2]);

		execve(PROG, build(n), environ);
		printf("execve: %s\n", strerrorname_np(errno));
		return 1;
	}
	fprintf(stderr, "usage: argmax probe | argmax exec N\n");
	return 2;
}
