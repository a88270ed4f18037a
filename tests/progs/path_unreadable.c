// SPDX-License-Identifier: MIT
/*
 * Paths that run into an unmapped page before their NUL: k readable bytes
 * (k = 1..20, then 4095: a whole page) at the end of a page whose next
 * one is unmapped, each opened 3 times (the site is rewritten after the
 * first calls: both ways in read the path). The kernel gives EFAULT;
 * strace shows such a path by its address. Then "/etc/hostname" with its
 * NUL on the page's last byte, opened 3 times (readable: a string).
 * Prints "efault N" (the EFAULTs seen) and "ok N" (the good opens).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

static long open_it(const char *p)
{
	return syscall(SYS_openat, AT_FDCWD, p, O_RDONLY);
}

int main(void)
{
	long ps = sysconf(_SC_PAGESIZE);
	char *m = mmap(NULL, 2 * ps, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int efault = 0, good = 0;
	static const int ks[] = { 1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11,
				  12, 13, 14, 15, 16, 17, 18, 19, 20, 4095 };

	if (m == MAP_FAILED || munmap(m + ps, ps))
		return 1;
	memset(m, 'x', ps);
	for (unsigned i = 0; i < sizeof(ks) / sizeof(ks[0]); i++) {
		for (int j = 0; j < 3; j++) {
			long r = open_it(m + ps - ks[i]);

			if (r < 0 && errno == EFAULT)
				efault++;
			else if (r >= 0)
				close((int)r);
		}
	}
	memcpy(m + ps - 14, "/etc/hostname", 14);
	for (int j = 0; j < 3; j++) {
		long r = open_it(m + ps - 14);

		if (r >= 0) {
			good++;
			close((int)r);
		}
	}
	printf("efault %d\nok %d\n", efault, good);
	return 0;
}
