/* SPDX-License-Identifier: MIT */
/*
 * What a program sees of its arguments and environment, and some calls:
 * prints argc, each argument, whether a variable of limen's (LIMEN_*) is
 * in its environment, the value of ENVARGS_X, then N getppid calls
 * (argv[1], default 100) and "calls: N". Built also with musl-gcc by
 * tests/loader/musl_preload.t: musl's loader calls a library's
 * constructors without arguments.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 100;
	int ours = 0;
	const char *x = getenv("ENVARGS_X");

	printf("argc: %d\n", argc);
	for (int i = 0; i < argc; i++)
		printf("argv[%d]: %s\n", i, argv[i]);
	for (char **e = environ; *e; e++)
		ours |= !strncmp(*e, "LIMEN_", 6);
	printf("limen's variables seen: %d\n", ours);
	printf("ENVARGS_X: %s\n", x ? x : "(unset)");
	for (long i = 0; i < n; i++)
		getppid();
	printf("calls: %ld\n", n);
	return 0;
}
