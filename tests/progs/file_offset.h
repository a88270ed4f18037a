/* SPDX-License-Identifier: MIT */
/*
 * Where an address of the executable's own text lies in its file: the
 * offset a program maps the same page from again (rewrite.c's and
 * padsite.c's reload modes: a library unloaded and loaded again).
 */
#ifndef LIMEN_TEST_FILE_OFFSET_H
#define LIMEN_TEST_FILE_OFFSET_H

#include <link.h>

/* dl_iterate_phdr's callback: data is { address, offset }, the offset
   set and 1 returned for the executable's PT_LOAD that holds it */
static int find_load(struct dl_phdr_info *info, size_t size, void *data)
{
	unsigned long *want = data, at = want[0];

	(void)size;
	if (info->dlpi_name && info->dlpi_name[0])
		return 0; /* the executable has no name here */
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		unsigned long lo = info->dlpi_addr + ph->p_vaddr;

		if (ph->p_type == PT_LOAD && at >= lo && at < lo + ph->p_memsz) {
			want[1] = ph->p_offset + (at - lo);
			return 1;
		}
	}
	return 0;
}

#endif
