/* SPDX-License-Identifier: MIT */
/*
 * The mapping the last call site was rewritten in (rewrite.c): what the
 * kernel said of it, kept while nothing changed it (rewrite_known.c).
 *
 * A program's start rewrites several sites in one mapping (ld.so's text,
 * then libc's), and each rewrite asked the kernel again for the mapping
 * that holds its site (open /proc/self/maps, a query, close), read
 * /proc/self/coredump_filter and marked the whole mapping do-not-dump
 * again: seven calls, two of them opening a /proc file, for answers it
 * already had.
 *
 * Kept only while the process has one thread (rewrite.c's lone): the
 * thread that asks is the one whose calls could change the answer.
 */
#ifndef LIMEN_REWRITE_KNOWN_H
#define LIMEN_REWRITE_KNOWN_H

#include <stdint.h>

#include "rt.h"

struct limen_rw_known {
	uint64_t lo, hi;  /* a private, executable mapping of a file */
	uint32_t gen;     /* limen_rw_gen when the kernel said so */
	int marked;       /* the runtime marked it do-not-dump */
};

extern struct limen_rw_known limen_rw_known LIMEN_HIDDEN;

/* ld.so's text as limen's loader mapped it ([0, 0): not known): its sites
   are rewritten at their third call, not their second (rewrite.c) */
extern uint64_t limen_ldso_lo LIMEN_HIDDEN, limen_ldso_hi LIMEN_HIDDEN;

/* Moves at every call of the program that changed, or may have changed,
   the known mapping or one next to it (limen_rw_mapped). */
uint32_t limen_rw_gen(void) LIMEN_HIDDEN;

/* After each call of the program that may change its address space
   (dispatch.c, with limen_ua_mapped): a = its arguments. */
void limen_rw_mapped(long nr, const long *a, long ret) LIMEN_HIDDEN;

/* mremap moved [old, old + old_len) to [to, to + new_len): the patched
   sites' moved copies get their own bytes back (rewrite.c) */
void limen_rewrite_moved(uint64_t old, uint64_t old_len, uint64_t to,
			 uint64_t new_len) LIMEN_HIDDEN;

/* [site_lo, site_hi) lies in the known mapping, the byte before it too,
   and nothing touched the mapping since the kernel was asked. */
static inline int limen_rw_known_holds(uint64_t site_lo, uint64_t site_hi,
				       uint32_t gen)
{
	const struct limen_rw_known *k = &limen_rw_known;

	return k->hi > k->lo && k->gen == gen && site_lo > k->lo &&
	       site_hi <= k->hi && site_lo < site_hi;
}

/* [lo, hi) is the known mapping, untouched, and marked do-not-dump. */
static inline int limen_rw_known_marked(uint64_t lo, uint64_t hi,
					uint32_t gen)
{
	const struct limen_rw_known *k = &limen_rw_known;

	return k->marked && k->gen == gen && k->lo == lo && k->hi == hi &&
	       hi > lo;
}

static inline void limen_rw_known_set(uint64_t lo, uint64_t hi, uint32_t gen,
				      int marked)
{
	struct limen_rw_known *k = &limen_rw_known;

	k->lo = lo;
	k->hi = hi;
	k->gen = gen;
	k->marked = marked;
}

#endif
