/* SPDX-License-Identifier: MIT */
/*
 * mount's data for uaccess logging (tests/syscalls/uaccess_mount_data.t):
 * the kernel copies a page's worth of it, up to the first byte it cannot
 * read. Two mounts on a directory that does not exist (they fail, as root
 * too, after the copy): one with the data at the start of two readable
 * pages, one with its 8 bytes just before a PROT_NONE page. Prints each
 * data address, then the results.
 */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
	char *m = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *whole, *near;
	long r1, r2;

	if (m == MAP_FAILED || mprotect(m + 2 * 4096, 4096, PROT_NONE))
		return 2;
	whole = m;
	near = m + 2 * 4096 - 8;
	strcpy(whole, "size=1m");
	strcpy(near, "size=1m");
	r1 = syscall(SYS_mount, "none", "/nonexistent/limen-mnt", "tmpfs", 0,
		     whole);
	r2 = syscall(SYS_mount, "none", "/nonexistent/limen-mnt", "tmpfs", 0,
		     near);
	printf("whole %p\nnear %p\n%ld %ld\n", (void *)whole, (void *)near,
	       r1, r2);
	return 0;
}
