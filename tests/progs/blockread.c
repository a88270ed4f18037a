/* SPDX-License-Identifier: MIT */
/*
 * Blocks for good in read() three calls deep (main -> outer -> inner ->
 * read), for a debugger to take a backtrace of a call in flight: the frames
 * of the program must be the same with and without limen. Argument: a
 * descriptor to read (default: the read end of a new pipe).
 */
#include <stdlib.h>
#include <unistd.h>

__attribute__((noinline)) void inner(int fd);
__attribute__((noinline)) void outer(int fd);

void inner(int fd)
{
	char c;

	if (read(fd, &c, 1) < 0)
		_exit(1);
	__asm__ volatile("" ::: "memory");
}

void outer(int fd)
{
	inner(fd);
	__asm__ volatile("" ::: "memory");
}

int main(void)
{
	int p[2];

	if (pipe(p))
		return 1;
	outer(p[0]);
	return 0;
}
