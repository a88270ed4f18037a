/* SPDX-License-Identifier: MIT */
/*
 * System calls with numbers no table knows, made with the instruction
 * (libc's syscall() would do, but the numbers are the point): one past
 * the table, 0xffffffff, -1, 0x80000000 and 0xffffffff with bit 32 set
 * (the kernel takes the low 32 bits as an int). Each returns -ENOSYS.
 * tests/cli/unknown_syscall_names.t.
 */
#include <stdio.h>
#include "rawsys.h"

int main(void)
{
	static const long nrs[] = { 500, 0xffffffffL, -1L, 0x80000000L,
				    0x1ffffffffL };
	unsigned i, enosys = 0;

	for (i = 0; i < sizeof(nrs) / sizeof(nrs[0]); i++)
		enosys += raw4(nrs[i], 1, 2, 3, 4) == -38;
	printf("%u ENOSYS\n", enosys);
	return 0;
}
