/* SPDX-License-Identifier: MIT */
/*
 * -ff (--output-separately) with -o FILE: one file per thread, FILE.TID,
 * as strace writes them. The text sink formats inline and asks here for
 * the file of each line's thread.
 */
#ifndef LIMEN_SINKS_SEPARATE_H
#define LIMEN_SINKS_SEPARATE_H

#include <stdint.h>
#include <stdio.h>

#include "collector/collector.h"

/* What a thread's file keeps besides its FILE: a call told suspended
   (another thread's line came first) is held back, and printed whole when
   it ends, since no other thread writes into this file. */
struct limen_sep_thr {
	int32_t tid;
	FILE *f;
	int held;                /* a suspended call waits in ent */
	struct limen_at at;
	struct limen_event ent;  /* its rec points into buf */
	uint8_t *buf;
	uint32_t cap;
	uint64_t pfx_ns, rel_ns;
};

struct limen_sep;
struct limen_sep *limen_sep_new(const char *base, int append);
/* tid's state, its file opened on first use (f NULL if it cannot be: the
   error is counted and said once on stderr) */
struct limen_sep_thr *limen_sep_thr(struct limen_sep *s, int32_t tid);
/* tid ended: close its file */
/* tid's file if one was opened, NULL otherwise (none is made) */
struct limen_sep_thr *limen_sep_find(struct limen_sep *s, int32_t tid);
void limen_sep_close(struct limen_sep *s, int32_t tid);
/* the thread states in turn: *i from 0; NULL after the last */
struct limen_sep_thr *limen_sep_next(struct limen_sep *s, size_t *i);
/* close every file: 0, or -1 with errno (a write or open failed) */
int limen_sep_finish(struct limen_sep *s);

#endif
