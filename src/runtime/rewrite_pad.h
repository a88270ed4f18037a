/* SPDX-License-Identifier: MIT */
/*
 * What the symbol table of a site's file says around its `syscall`
 * (rewrite_pad.c): the proof for the form whose `syscall` becomes a short
 * jump into the padding after its function (rewrite.c).
 */
#ifndef LIMEN_REWRITE_PAD_H
#define LIMEN_REWRITE_PAD_H

#include <stdint.h>

#include "rewrite_entry.h"

/* Addresses in the process, for the `syscall` at sc: */
struct pad_proof {
	uint64_t entry;          /* its function's first byte */
	uint64_t gap_lo, gap_hi; /* the bytes after the function that no
				    symbol covers, in the same segment */
	uint64_t map_lo, map_hi; /* the mapping that holds them */
};

/* 1 with *p filled if the file mapped at sc (em: the line of
 * /proc/self/maps that holds it, rewrite_entry.c) has a symbol table
 * (.symtab, which a stripped file lacks, or Go's pclntab) whose function
 * holds sc; else 0. */
int limen_pad_symbols(uint64_t sc, const struct entry_maps *em,
		      struct pad_proof *p) __attribute__((visibility("hidden")));

#endif
