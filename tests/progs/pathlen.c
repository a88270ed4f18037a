/* SPDX-License-Identifier: MIT */
/*
 * pathlen: open()s of paths of every length around the steps in which
 * limen reads a string (src/runtime/capture.c, cap_string: 64 bytes, then
 * 256, 1024, 4096), each once in the middle of memory and once ending
 * against an unmapped page (with its NUL as the page's last byte, and
 * without a NUL at all: EFAULT), for tests/syscalls/pathlen.t to compare
 * limen's trace with strace's. Prints the paths without a NUL, one a line
 * (strace shows their address, limen their bytes and "...").
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static const long lens[] = { 1,    2,    7,    8,    62,   63,   64,
			     65,   66,   254,  255,  256,  257,  1022,
			     1023, 1024, 1025, 4094, 4095, 4096, 4097 };

/* a path of n bytes: "/" then letters that change every 10 bytes, so a
   trace cut in the wrong place shows */
static void fill(char *p, long n)
{
	for (long i = 0; i < n; i++)
		p[i] = i ? (char)('a' + (i / 10) % 26) : '/';
}

int main(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	/* three pages: two readable, the third unmapped */
	char *m = mmap(0, 3 * pg, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *end;

	if (m == MAP_FAILED || munmap(m + 2 * pg, pg))
		return 1;
	end = m + 2 * pg;
	for (unsigned i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		long n = lens[i];
		char *p = m + 16;

		/* in the middle of memory */
		memset(m, 'x', 2 * pg);
		fill(p, n);
		p[n] = 0;
		close(open(p, O_RDONLY));
		if (n + 1 > 2 * pg)
			continue;
		/* the NUL on the last byte before the unmapped page */
		p = end - n - 1;
		fill(p, n);
		p[n] = 0;
		close(open(p, O_RDONLY));
		/* no NUL before the unmapped page */
		p = end - n;
		fill(p, n);
		close(open(p, O_RDONLY));
		printf("%.*s\n", (int)n, p);
	}
	return 0;
}
