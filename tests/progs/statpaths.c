/* SPDX-License-Identifier: MIT */
/* newfstatat each path given, with the raw system call (for -v tests). */
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct stat st;

	for (int i = 1; i < argc; i++)
		syscall(SYS_newfstatat, AT_FDCWD, argv[i], &st, 0);
	return 0;
}
