/* SPDX-License-Identifier: MIT */
/*
 * Paths at page boundaries, opened (each fails with ENOENT): one that
 * runs from one page into the next, and one whose NUL is the last byte
 * before an inaccessible page. limen's trace shows both whole, and reads
 * them without a fault of its own: a read that stops at the page's end
 * (tests/collector/fixed_cost.t).
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int main(void)
{
	static const char across[] = "/nonexistent/limen-across-a-page-boundary";
	static const char end[] = "/nonexistent/limen-at-a-page-end";
	long page = sysconf(_SC_PAGESIZE);
	char *m = mmap(NULL, 3 * page, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *a, *e;

	if (m == MAP_FAILED || mprotect(m + 2 * page, page, PROT_NONE) < 0)
		return 2;
	a = m + page - 10;                 /* 10 bytes, then the next page */
	e = m + 2 * page - sizeof(end);    /* its NUL: page 1's last byte */
	memcpy(a, across, sizeof(across));
	memcpy(e, end, sizeof(end));
	if (open(a, O_RDONLY) >= 0 || open(e, O_RDONLY) >= 0)
		return 3;
	puts("done");
	return 0;
}
