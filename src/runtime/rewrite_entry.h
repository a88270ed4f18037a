/* SPDX-License-Identifier: MIT */
/*
 * The start of the function that holds a call site, from its object's
 * .eh_frame_hdr (rewrite_entry.c): the proof of instruction boundaries for
 * the forms rewrite_forms.c decodes from the entry.
 */
#ifndef LIMEN_REWRITE_ENTRY_H
#define LIMEN_REWRITE_ENTRY_H

#include <stdint.h>

#include "rewrite_forms.h"

#define ENTRY_DEV_MAX 16
#define ENTRY_PATH_MAX 256

/* What a reading of /proc/self/maps found (zeroed before it): the last
 * mapping of offset 0 seen and its file, then where the ELF header of the
 * site's object is (elf; 0: not found). */
struct entry_maps {
	uint64_t zero_lo, zero_ino, elf;
	uint64_t site_lo, site_off; /* the site's mapping: start, offset */
	/* its line's start, offset, end, inode, device ("fd:01") and path,
	   whatever the ELF header (line_lo, line_off: as site_lo, site_off
	   when that is found; site_ino 0: no line held the site; site_path
	   "": too long) */
	uint64_t line_lo, line_off, site_hi, site_ino;
	char site_dev[ENTRY_DEV_MAX];
	char site_path[ENTRY_PATH_MAX];
	char zero_dev[ENTRY_DEV_MAX];
};

/* Each line of /proc/self/maps as rewrite.c reads it for the mapping that
 * holds site. */
void limen_entry_line(struct entry_maps *m, const char *l, uint64_t site)
	__attribute__((visibility("hidden")));

/* The start of the FDE that covers pc, in the object whose ELF header m
 * found; 0 if none. */
uint64_t limen_entry_find(const struct entry_maps *m, uint64_t pc)
	__attribute__((visibility("hidden")));

#endif
