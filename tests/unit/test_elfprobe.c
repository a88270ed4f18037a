/* SPDX-License-Identifier: MIT */
/*
 * The ELF probe (session/elfprobe.c), which the runtime runs on every
 * program a traced process execs: what it finds, and how many reads it
 * takes to find it (each a pread of the runtime's). TAP.
 */
#include <elf.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "session/elfprobe.h"
#include "tap.h"


struct counted {
	int fd;
	int reads;         /* every read */
	int phdr_reads;    /* those within the program headers */
	uint64_t ph_lo, ph_hi;
};

static long counted_pread(void *ctx, void *buf, unsigned long n, uint64_t off)
{
	struct counted *c = ctx;

	c->reads++;
	if (off >= c->ph_lo && off < c->ph_hi)
		c->phdr_reads++;
	return pread(c->fd, buf, n, (off_t)off);
}

static void probe(const char *path, enum limen_image want_kind,
		  const char *what)
{
	struct counted c = { .fd = open(path, O_RDONLY | O_CLOEXEC) };
	struct limen_probe p;
	Elf64_Ehdr eh;
	char name[256];

	if (c.fd < 0 || pread(c.fd, &eh, sizeof(eh), 0) != sizeof(eh)) {
		printf("ok %d # skip %s: %s cannot be read\n", ++ntest, what,
		       path);
		printf("ok %d # skip\n", ++ntest);
		if (c.fd >= 0)
			close(c.fd);
		return;
	}
	c.ph_lo = eh.e_phoff;
	c.ph_hi = eh.e_phoff + (uint64_t)eh.e_phnum * eh.e_phentsize;
	limen_probe_image(&p, counted_pread, &c);
	snprintf(name, sizeof(name), "%s_is_probed_as_before (kind %d)", what,
		 p.kind);
	ok(p.kind == want_kind, name);
	/* 16 headers a read: one per header before, 13 for /bin/true */
	snprintf(name, sizeof(name),
		 "%s_program_headers_are_read_16_at_a_time (%d headers, %d "
		 "reads of them, %d reads in all)",
		 what, eh.e_phnum, c.phdr_reads, c.reads);
	ok(c.phdr_reads <= (eh.e_phnum + 15) / 16, name);
	close(c.fd);
}

int main(void)
{
	printf("1..4\n");
	probe("/bin/true", LIMEN_IMAGE_DYNAMIC, "bin_true");
	probe("/proc/self/exe", LIMEN_IMAGE_DYNAMIC, "this_test");
	return nfail != 0;
}
