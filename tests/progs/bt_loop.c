/* SPDX-License-Identifier: MIT */
/*
 * A deterministic program for limen bt's tests and bench: calls the
 * dynamic loader and libc's start never make (getppid, writes to
 * /dev/null), so that a tracer attached from exec (bpftrace) and limen
 * (from its runtime's start) see the same ones.
 *   bt_loop [N]: N times getppid; then for s in 1..8, s writes of s*s*37
 *   bytes (counts 1..8, no two sizes with the same count or sum); then N
 *   times getppid + open("/dev/null") + close (the bench's loop).
 */
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

static char buf[8192];

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 100;
	int fd = open("/dev/null", O_WRONLY);

	if (fd < 0)
		return 1;
	for (long i = 0; i < n; i++)
		getppid();
	for (int s = 1; s <= 8; s++)
		for (int k = 0; k < s; k++)
			if (write(fd, buf, (size_t)(s * s * 37)) != s * s * 37)
				return 1;
	close(fd);
	for (long i = 0; i < n; i++) {
		getppid();
		fd = open("/dev/null", O_RDONLY);
		if (fd >= 0)
			close(fd);
	}
	return 0;
}
