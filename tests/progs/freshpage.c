/* SPDX-License-Identifier: MIT */
/*
 * File names that live in pages of .rodata the program itself never touches
 * before passing them to the kernel: the first starts a page-aligned 8 KiB
 * array, the second straddles the boundary between the two pages of another
 * one. A tracer reading the path must still show "/etc/hostname" (twice).
 * Both opens happen before anything is printed.
 */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

static const char path1[8192] __attribute__((aligned(4096))) =
	"/etc/hostname";
static const char path2[8192] __attribute__((aligned(4096))) = {
	[4090] = '/', 'e', 't', 'c', '/', 'h', 'o', 's', 't', 'n', 'a', 'm',
	'e', 0
};

int main(void)
{
	int fd1 = open(path1, O_RDONLY);
	int fd2 = open(path2 + 4090, O_RDONLY);
	char a[256], b[256];
	ssize_t n1 = fd1 >= 0 ? read(fd1, a, sizeof a) : -1;
	ssize_t n2 = fd2 >= 0 ? read(fd2, b, sizeof b) : -1;

	printf("open 1: %s, open 2: %s, same size: %s\n",
	       fd1 >= 0 ? "ok" : "FAILED", fd2 >= 0 ? "ok" : "FAILED",
	       n1 == n2 && n1 > 0 ? "yes" : "no");
	return !(fd1 >= 0 && fd2 >= 0 && n1 == n2 && n1 > 0);
}
