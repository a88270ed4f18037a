/* SPDX-License-Identifier: MIT */
/*
 * ioctl(-1, CMD, 0) for each command number read from argv[1] (one 0x hex
 * number a line): tests/oracle/ioctl_names.t compares the lines strace 6.1
 * and limen print for them (with an address, strace shows what it points
 * to for the commands it decodes, which limen does not yet).
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char line[64];
	FILE *f;

	if (argc < 2 || !(f = fopen(argv[1], "r")))
		return 2;
	while (fgets(line, sizeof(line), f)) {
		unsigned long cmd = strtoul(line, NULL, 16);

		syscall(SYS_ioctl, -1, cmd, 0);
	}
	fclose(f);
	return 0;
}
