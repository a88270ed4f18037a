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

/* Each line of /proc/self/maps as rewrite.c reads it for the mapping that
 * holds site (0 first: forget the last reading). */
void limen_entry_line(const char *l, uint64_t site)
	__attribute__((visibility("hidden")));

/* The start of the FDE that covers pc, in the object the last reading of
 * the maps found at site; 0 if none. */
uint64_t limen_entry_find(uint64_t pc) __attribute__((visibility("hidden")));

#endif
