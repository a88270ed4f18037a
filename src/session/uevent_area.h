/* SPDX-License-Identifier: MIT */
/*
 * The user events' part of the session, right after the ctl page: the
 * event table (ids shared by every process of the tree) and the state of
 * the tracefs files the runtime emulates inside the tree where the kernel
 * has no user_events (src/runtime/uevent_tracefs.c): which events the
 * enable files turned on, tracing_on, and the text `trace` and
 * `trace_pipe` show. Every traced process can write all of it: readers
 * bound every index and length they take from here, copy strings out and
 * end them before use, and parse formats again.
 */
#ifndef LIMEN_UEVENT_AREA_H
#define LIMEN_UEVENT_AREA_H

#include <stdint.h>

#include "session/session.h"

#define LIMEN_UEV_AREA_OFF 4096u
#define LIMEN_TFS_TEXT (64u << 10) /* bytes of ftrace text kept (power of 2) */

struct limen_uevent_ent {
	uint32_t state;  /* enum limen_uevent_state */
	uint32_t pad;
	char name_args[LIMEN_UEVENT_ARGS]; /* normalised, NUL-ended */
};

struct limen_uev_area {
	struct limen_uevent_ent uevents[LIMEN_UEVENT_MAX];
	/* events/user_events/NAME/enable wrote 1: their writes go to the
	   text below (ftrace's view); uevent_on is that or -e uevent= */
	uint64_t ftrace_on;
	uint32_t tracing_off; /* tracing_on reads 0: nothing is appended */
	uint32_t lock;        /* the text's writer: its tid, 0: free */
	uint32_t seq;         /* futex word: bumped at each line appended */
	uint32_t pad;
	uint64_t head;        /* bytes appended, ever */
	uint64_t tail;        /* bytes consumed (trace_pipe) or cleared */
	uint64_t entries;     /* lines appended, ever */
	char text[LIMEN_TFS_TEXT]; /* lines, text[pos & (LIMEN_TFS_TEXT-1)] */
};
_Static_assert(LIMEN_UEV_AREA_OFF + sizeof(struct limen_uev_area) <=
		       LIMEN_CTL_BYTES,
	       "user events' area");

static inline struct limen_uev_area *limen_uev_area(void *ctl)
{
	return (struct limen_uev_area *)((char *)ctl + LIMEN_UEV_AREA_OFF);
}

#endif
