/* SPDX-License-Identifier: MIT */
/*
 * -k: unwinding a call's user stack in the collector (unwind.c, with
 * elfutils' libdwfl), from what the runtime captured at the call: the
 * registers and a copy of the stack (a STACK record), and the process's
 * mappings (a MAPS record).
 */
#ifndef LIMEN_SINKS_UNWIND_H
#define LIMEN_SINKS_UNWIND_H

#include <stdint.h>

struct limen_unwind;
/* 0 if this limen was built without libdw (then -k is refused) */
int limen_unwind_available(void);
struct limen_unwind *limen_unwind_new(void);
void limen_unwind_free(struct limen_unwind *u);
/* pid's mappings (the text of its /proc/self/maps) from now on */
void limen_unwind_maps(struct limen_unwind *u, int32_t pid, const char *maps,
		       uint32_t len);
/*
 * The stack of tid (in process pid) from a STACK record of size bytes, as
 * strace -k prints it: one " > module(symbol+0xoff) [0xaddr]" line per
 * frame, joined by newlines, no newline at the end. Malloc'd; NULL if
 * the record is bad or pid's mappings are unknown.
 */
char *limen_unwind_stack(struct limen_unwind *u, int32_t pid, int32_t tid,
			 const uint8_t *rec, uint32_t size);

#endif
