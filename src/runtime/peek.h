/* SPDX-License-Identifier: MIT */
/*
 * One read of a call's path for every part of limen that looks at it
 * (peek.c): the capture of a recorded call, /proc/self/exe under limen's
 * loader (exe_view.c), user events' tracefs files (uevent_abi.c,
 * uevent_tracefs.c).
 */
#ifndef LIMEN_PEEK_H
#define LIMEN_PEEK_H

#include <stddef.h>
#include <stdint.h>

/* enough for the longest path a hook compares: tracefs's
   /sys/kernel/debug/tracing/events/user_events/NAME/format */
#define LIMEN_PEEK_BYTES 128

struct limen_peek {
	uint32_t on;             /* between limen_peek_begin and _end */
	int32_t n;               /* bytes held (fewer than asked: a fault
				    after them, or a whole string, its NUL
				    included), -errno: the read failed, -1:
				    nothing held */
	uint64_t src;            /* the program's address they came from */
	char b[LIMEN_PEEK_BYTES];
};

#endif
