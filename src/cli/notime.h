/* SPDX-License-Identifier: MIT */
/*
 * Does anything read the time of the records? A record's stamp gives the
 * times the output shows or counts, and the order of the records of
 * different threads. When nothing asks for the first, the runtime may
 * stamp the records of a thread alone in the session with a counter
 * (LIMEN_CTL_NO_TIME, src/runtime/lone.c). Anything not known to be
 * timeless keeps the real clock: -t/-tt/-ttt, -r, -T, -c/-C (the times
 * column, -O), --latency, --json, --perfetto, limen record (CTF times,
 * the flight recorder and its triggers), limen bt (its programs may read
 * the time), a runtime filter (-e status=, -P, --filter, inject: kept
 * out, as its actions may), -k and --uaccess (kept out: not needed for
 * the common case). LIMEN_REAL_CLOCK=1 keeps the real clock always (the
 * tests compare the two).
 */
#ifndef LIMEN_NOTIME_H
#define LIMEN_NOTIME_H

#include <stdlib.h>
#include <string.h>

#include "cli.h"

static inline int limen_opts_timeless(const struct limen_opts *o)
{
	const char *e = getenv("LIMEN_REAL_CLOCK");

	if (e && *e && strcmp(e, "0"))
		return 0;
	return !o->show_time && !o->timestamps && !o->relative &&
	       !o->summary && !o->latency && !o->json && !o->perfetto &&
	       !o->record && !o->report && !o->run && !o->flight_bytes &&
	       !o->ntriggers && !o->flight_dir && !o->bt && !o->filter &&
	       !o->stack && !o->uaccess && !o->overhead_ns;
}

#endif
