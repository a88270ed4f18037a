/* SPDX-License-Identifier: MIT */
/*
 * readloop N: N reads from /dev/zero, the i-th asking for i % 64 + 1
 * bytes (and getting them): in a trace with losses, an exit paired with
 * another call's entry shows as "read(..., a) = b" with a != b.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 100000;
	char buf[64];
	int fd = open("/dev/zero", O_RDONLY);

	if (fd < 0)
		return 2;
	for (long i = 0; i < n; i++)
		if (read(fd, buf, (size_t)(i % 64 + 1)) != i % 64 + 1)
			return 1;
	return 0;
}
