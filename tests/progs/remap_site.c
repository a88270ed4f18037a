/* SPDX-License-Identifier: MIT */
/*
 * A call site in an executable mapping of a file (`mov $39,%eax; syscall;
 * ret`: getpid), called three times (limen rewrites a site at its second
 * call); then the file mapped again over it (MAP_FIXED), its site called
 * three times again; then unmapped, mapped again at the same address, and
 * called three times again. Under limen each mapping whose site
 * was rewritten (a copied page of a file's private mapping) must be kept
 * out of core dumps: limen may remember what it asked the kernel about
 * the first mapping, but not across the munmap (tests/collector/
 * startup_cost.t). Prints, for each round, whether the site's first byte
 * is a jmp (rewritten) and whether the mapping has "dd" in its VmFlags.
 * Usage: remap_site DIR (a directory to write the code file in)
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* at OFF in the page: a site with code of the mapping before it */
#define OFF 64

static const unsigned char code[] = {
	0xb8, 0x27, 0x00, 0x00, 0x00, /* mov $39,%eax (getpid) */
	0x0f, 0x05,                   /* syscall */
	0xc3,                         /* ret */
};

/* "dd" in the VmFlags of the mapping that starts at addr */
static int dontdump(uintptr_t addr)
{
	char line[512];
	int in = 0, dd = -1;
	FILE *f = fopen("/proc/self/smaps", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		unsigned long lo;

		if (sscanf(line, "%lx-", &lo) == 1 && strchr(line, '-') &&
		    !strncmp(line + strspn(line, "0123456789abcdef"), "-", 1))
			in = lo == addr;
		else if (in && !strncmp(line, "VmFlags:", 8)) {
			dd = strstr(line, " dd") != NULL;
			break;
		}
	}
	fclose(f);
	return dd;
}

int main(int argc, char **argv)
{
	unsigned char pad[OFF];
	int rewritten[3], dd[3];
	pid_t pid = getpid();
	char path[4096];
	long page = sysconf(_SC_PAGESIZE);
	void *at = NULL;
	int fd;

	if (argc < 2)
		return 2;
	snprintf(path, sizeof(path), "%s/remap_site.code", argv[1]);
	memset(pad, 0xcc, sizeof(pad)); /* int3 */
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0700);
	if (fd < 0 || ftruncate(fd, page) < 0 ||
	    pwrite(fd, pad, sizeof(pad), 0) != (ssize_t)sizeof(pad) ||
	    pwrite(fd, code, sizeof(code), OFF) != (ssize_t)sizeof(code))
		return 2;
	/* the calls made between the rounds, twice each first: their own
	   sites rewritten before, so that the last site rewritten when a
	   round begins is the previous round's */
	for (int i = 0; i < 2; i++) {
		void *q = mmap(NULL, page, PROT_READ, MAP_PRIVATE, fd, 0);

		if (q == MAP_FAILED || munmap(q, page) < 0 ||
		    dontdump((uintptr_t)q) != -1)
			return 2;
	}
	for (int round = 1; round <= 3; round++) {
		unsigned char *p;
		long (*fn)(void);

		if (round == 3 && munmap(at, page) < 0)
			return 2;
		p = mmap(at, page, PROT_READ | PROT_EXEC,
					MAP_PRIVATE | (at ? MAP_FIXED : 0),
					fd, 0);
		fn = (long (*)(void))(p + OFF);
		if (p == MAP_FAILED || (at && p != at))
			return 2;
		at = p;
		for (int i = 0; i < 3; i++)
			if (fn() != pid)
				return 3;
		rewritten[round - 1] = p[OFF] == 0xe9;
		dd[round - 1] = dontdump((uintptr_t)p);
	}
	for (int round = 1; round <= 3; round++)
		printf("round %d: rewritten=%d dd=%d\n", round,
		       rewritten[round - 1], dd[round - 1]);
	close(fd);
	return 0;
}
