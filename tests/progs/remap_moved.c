/* SPDX-License-Identifier: MIT */
/*
 * Code that mremap moves after its call site was rewritten: a site in an
 * executable mapping of a file (`mov $39,%eax; syscall; ret`: getpid, at
 * the same offset in each of its two pages), called five times (limen
 * rewrites a site at its second call), then the mapping moved 8 GiB away
 * and back by mremap(MREMAP_MAYMOVE | MREMAP_FIXED), ten times, each
 * site called five times at each place; then moved with
 * MREMAP_DONTUNMAP (Linux 5.13 for a file's mapping), the sites called at
 * the new place and at the old. A patched site's jmp is
 * relative to where it stands: moved, it led 8 GiB off (SIGSEGV).
 * Prints "moves: N calls" and "dontunmap: N calls" (or "dontunmap:
 * none" where the kernel refuses it).
 * Usage: remap_moved DIR (a directory to write the code file in)
 *        remap_moved DIR other: once the sites were rewritten, the code
 * is unmapped and another file mapped in its place, holding a jmp-like
 * e9 byte where a site was; moved by mremap, its bytes must stay its
 * own (a stale site's bytes written there would change them). Prints
 * the five bytes at the old site's offset in the moved copy.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4
#endif

#define OFF 64
#define FAR (1L << 33)

static const unsigned char code[] = {
	0xb8, 0x27, 0x00, 0x00, 0x00, /* mov $39,%eax (getpid) */
	0x0f, 0x05,                   /* syscall */
	0xc3,                         /* ret */
};

static long calls;

/* the sites of the two pages at p, five times each */
static int call_both(unsigned char *p, long page, pid_t pid)
{
	for (int pg = 0; pg < 2; pg++) {
		long (*fn)(void) = (long (*)(void))(p + pg * page + OFF);

		for (int i = 0; i < 5; i++, calls++)
			if (fn() != pid)
				return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	unsigned char pad[OFF];
	pid_t pid = getpid();
	long page = sysconf(_SC_PAGESIZE);
	char path[4096];
	unsigned char *p, *a;
	int fd;

	if (argc < 2)
		return 2;
	snprintf(path, sizeof(path), "%s/remap_moved.code", argv[1]);
	memset(pad, 0xcc, sizeof(pad)); /* int3 */
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0700);
	if (fd < 0 || ftruncate(fd, 2 * page) < 0)
		return 2;
	for (int pg = 0; pg < 2; pg++)
		if (pwrite(fd, pad, OFF, pg * page) != OFF ||
		    pwrite(fd, code, sizeof(code), pg * page + OFF) !=
			    (ssize_t)sizeof(code))
			return 2;
	p = mmap(NULL, 2 * page, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED || call_both(p, page, pid) < 0)
		return 3;
	if (argc > 2 && !strcmp(argv[2], "other")) {
		static const unsigned char other[5] = { 0xe9, 0x11, 0x22, 0x33,
							0x44 };
		unsigned char *q;

		if (pwrite(fd, other, sizeof(other), OFF) != sizeof(other) ||
		    munmap(p, 2 * page) < 0)
			return 2;
		/* a new mapping of the file where the old one was: its own
		   page cache bytes, not the patched private copy */
		q = mmap(p, 2 * page, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0);
		if (q != p)
			return 2;
		q = mremap(q, 2 * page, 2 * page, MREMAP_MAYMOVE | MREMAP_FIXED,
			   q + FAR);
		if (q == MAP_FAILED)
			return 2;
		printf("other: %02x %02x %02x %02x %02x\n", q[OFF], q[OFF + 1],
		       q[OFF + 2], q[OFF + 3], q[OFF + 4]);
		return 0;
	}
	for (int k = 0; k < 10; k++) {
		unsigned char *to = p + (k % 2 ? -FAR : FAR);

		p = mremap(p, 2 * page, 2 * page,
			   MREMAP_MAYMOVE | MREMAP_FIXED, to);
		if (p == MAP_FAILED)
			return 2;
		if (call_both(p, page, pid) < 0)
			return 3;
	}
	printf("moves: %ld calls\n", calls);
	calls = 0;
	a = p;
	p = mremap(a, 2 * page, 2 * page, MREMAP_MAYMOVE | MREMAP_DONTUNMAP);
	if (p == MAP_FAILED) {
		printf("dontunmap: none\n");
		return 0;
	}
	/* the copy, then the sites left where they were */
	if (call_both(p, page, pid) < 0 || call_both(a, page, pid) < 0)
		return 3;
	printf("dontunmap: %ld calls\n", calls);
	return 0;
}
