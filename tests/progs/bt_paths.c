/* SPDX-License-Identifier: MIT */
/*
 * limen bt's push-down tests: calls whose arguments tell them apart.
 *   bt_paths [N]: N times: open /dev/null (read), /dev/zero (write),
 *   a missing file (ENOENT), a long path under /dev/null's directory
 *   (ENOTDIR), and a write of i % 5 + 1 bytes to /dev/zero; then getppid.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

static char buf[8];

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 100;

	for (long i = 0; i < n; i++) {
		int a = open("/dev/null", O_RDONLY);
		int b = open("/dev/zero", O_WRONLY);

		if (open("/nonexistent/limen-bt", O_RDONLY) >= 0 ||
		    open("/dev/null/a-path-longer-than-the-sixty-three-bytes-"
			 "bpftrace-keeps-of-a-string", O_RDONLY) >= 0)
			return 1;
		if (a < 0 || b < 0 ||
		    write(b, buf, (size_t)(i % 5 + 1)) != i % 5 + 1)
			return 1;
		close(a);
		close(b);
	}
	getppid();
	return 0;
}
