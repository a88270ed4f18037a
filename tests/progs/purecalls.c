/* SPDX-License-Identifier: MIT */
/*
 * getuid N times, each result printed (tests/filter/inject_when_range.t,
 * inject_syscall.t): which of the calls -e inject= answered for shows in
 * the output, under limen as under strace.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 12;

	for (int i = 1; i <= n; i++)
		printf("%ld ", syscall(SYS_getuid));
	printf("\n");
	return 0;
}
