/* SPDX-License-Identifier: MIT */
/*
 * The syscall-heavy loop of the tests and of `make bench`: N getppid calls plus M
 * open/close pairs (the first cheap, the second with a path to capture).
 */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 200000;
	long m = argc > 2 ? atol(argv[2]) : 50000;

	for (long i = 0; i < n; i++)
		getppid(); /* glibc's wrapper: mov $nr,%eax; syscall (rewritable) */
	for (long i = 0; i < m; i++) {
		int fd = open("/etc/hostname", O_RDONLY);

		if (fd >= 0)
			close(fd);
	}
	return 0;
}
