/* SPDX-License-Identifier: MIT */
/*
 * session_scribble hostile VALUE: write VALUE where the session's control
 * page keeps the collector's word of PKRU's place in a signal frame
 * (struct limen_ctl's pkru_off: any traced process can write that page);
 * session_scribble victim: pkey_alloc, pkey_mprotect a page to the new
 * key, write it (tests/syscalls/session_pkru_off.t). Prints what it did.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../../src/session/session.h"

int main(int argc, char **argv)
{
	if (argc > 2 && !strcmp(argv[1], "hostile")) {
		FILE *f = fopen("/proc/self/maps", "r");
		char line[512];
		int done = 0;

		while (f && fgets(line, sizeof(line), f)) {
			unsigned long lo, hi, off;
			char perm[8];

			if (!strstr(line, "limen-session") ||
			    sscanf(line, "%lx-%lx %7s %lx", &lo, &hi, perm,
				   &off) != 4 ||
			    off != 0 || perm[1] != 'w')
				continue;
			*(volatile uint32_t *)(lo + offsetof(struct limen_ctl,
							     pkru_off)) =
				(uint32_t)strtoul(argv[2], NULL, 0);
			done = 1;
			break;
		}
		printf("hostile: %s\n", done ? "written" : "no session");
		return 0;
	}
	long key = syscall(SYS_pkey_alloc, 0, 0);
	char *p;

	if (key < 0) {
		printf("no pkeys\n");
		return 0;
	}
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED ||
	    syscall(SYS_pkey_mprotect, p, 4096, PROT_READ | PROT_WRITE, key))
		return 2;
	p[0] = 1;
	printf("victim: wrote the key's page\n");
	return 0;
}
