/* SPDX-License-Identifier: MIT */
/*
 * What the kernel says of this process: its own copy of the auxiliary
 * vector (/proc/self/auxv: gdb -p and core files read it) against the one
 * on the stack the program starts with, and /proc/self/stat's code and
 * data bounds against the program's own program headers (binfmt_elf's
 * rule). Prints one line each, the same bare and under limen's loader.
 * The stack's auxv may hold limen's one entry (LIMEN_UEVENT_AT), which
 * the kernel's never holds: not compared.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* dl_iterate_phdr */
#endif
#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/prctl.h>
#include <unistd.h>

#define LIMEN_UEVENT_AT 0x6c696d65ul

static int main_phdrs(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	*(struct dl_phdr_info *)data = *info;
	return 1; /* the first is the program */
}

int main(int argc, char **argv)
{
	unsigned long k[256];
	size_t nk, i;
	char buf[2048], *p;
	unsigned long v[60] = { 0 }, sc = ~0ul, ec = 0, sd = 0, ed = 0;
	struct dl_phdr_info me;
	int fd, f = 3, same;
	ssize_t n;

	if (argc > 1 && !strcmp(argv[1], "probe")) {
		/* can this kernel set them (CONFIG_CHECKPOINT_RESTORE)? */
		unsigned int size = 0;

		return prctl(PR_SET_MM, PR_SET_MM_MAP_SIZE, &size, 0, 0) ? 1 : 0;
	}
	/* each entry of the kernel's copy is what getauxval (the stack's
	   copy, as the program started) says, but the hardware bits, which
	   glibc may mask */
	fd = open("/proc/self/auxv", O_RDONLY);
	n = fd < 0 ? -1 : read(fd, k, sizeof(k));
	if (n <= 0)
		return 1;
	nk = (size_t)n / sizeof(k[0]) / 2;
	same = 1;
	for (i = 0; i < nk && k[2 * i] != AT_NULL; i++)
		if (k[2 * i] != AT_HWCAP && k[2 * i] != AT_HWCAP2 &&
		    k[2 * i] != LIMEN_UEVENT_AT &&
		    getauxval(k[2 * i]) != k[2 * i + 1])
			same = 0;
	for (i = 0; i < nk && k[2 * i] != AT_NULL; i++)
		if (k[2 * i] == LIMEN_UEVENT_AT)
			same = 0; /* the kernel's never has it */
	printf("/proc/self/auxv is the program's auxv: %s\n", same ? "yes" : "no");

	fd = open("/proc/self/stat", O_RDONLY);
	n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	if (n <= 0)
		return 1;
	buf[n] = 0;
	p = strrchr(buf, ')') + 2;
	for (char *t = strtok(p, " "); t && f < 60; t = strtok(NULL, " "))
		v[f++] = strtoul(t, NULL, 10);
	dl_iterate_phdr(main_phdrs, &me);
	for (i = 0; i < me.dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &me.dlpi_phdr[i];
		unsigned long a = ph->p_vaddr, b = ph->p_vaddr + ph->p_filesz;

		if (ph->p_type != PT_LOAD)
			continue;
		if ((ph->p_flags & PF_X) && a < sc)
			sc = a;
		if (sd < a)
			sd = a;
		if ((ph->p_flags & PF_X) && ec < b)
			ec = b;
		if (ed < b)
			ed = b;
	}
	sc += me.dlpi_addr, ec += me.dlpi_addr;
	sd += me.dlpi_addr, ed += me.dlpi_addr;
	printf("stat's code bounds are the program's: %s\n",
	       v[26] == sc && v[27] == ec ? "yes" : "no");
	printf("stat's data bounds are the program's: %s\n",
	       v[45] == sd && v[46] == ed ? "yes" : "no");
	return 0;
}
