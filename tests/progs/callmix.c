/* SPDX-License-Identifier: MIT */
/*
 * A known number of calls of four kinds, none of which the dynamic loader
 * makes: getppid 7, getgid 5, dup 4 (each failing with EBADF), getuid 3.
 * For -c's sorting and columns (tests/cli/summary_opts.t).
 */
#include <unistd.h>
#include <sys/syscall.h>

int main(void)
{
	for (int i = 0; i < 7; i++)
		syscall(SYS_getppid);
	for (int i = 0; i < 5; i++)
		syscall(SYS_getgid);
	for (int i = 0; i < 4; i++)
		syscall(SYS_dup, -1);
	for (int i = 0; i < 3; i++)
		syscall(SYS_getuid);
	return 0;
}
