/* SPDX-License-Identifier: MIT */
/*
 * limen record --flight SIZE: a flight recorder. The collector still
 * drains every ring as it fills (the program never waits on a disk), but
 * keeps only the last SIZE bytes of events, in memory, overwriting the
 * oldest. A snapshot writes what it holds as a CTF recording of its own,
 * DIR/snapshot-N, that `limen report` and babeltrace2 read like any
 * recording. Snapshots are taken when a trigger fires (a call of a set that
 * fails, is slower than a bound, or whose strace line matches a regular
 * expression; a signal), on SIGUSR1 to limen, and at the end when no
 * trigger was given.
 */
#ifndef LIMEN_FLIGHT_H
#define LIMEN_FLIGHT_H

#include <stddef.h>
#include <stdint.h>

#include "cli/cli.h"
#include "collector/collector.h"

struct limen_flight;

/*
 * dir: where snapshots go (created); bytes: what the window keeps;
 * after_ns: how long after a trigger events still go into its snapshot;
 * max: snapshots at most (later triggers are counted, and said).
 */
struct limen_flight *limen_flight_new(const char *dir, size_t bytes,
				      uint64_t after_ns, unsigned max);
/* Parse one --trigger SPEC into f; exits with a message if it is bad.
   trace_set: -e trace='s parser (main.c), for the SET part. */
void limen_flight_trigger(struct limen_flight *f, const char *spec,
			  const struct limen_opts *o,
			  void (*trace_set)(struct limen_opts *, const char *));
/* Triggers given so far. */
unsigned limen_flight_ntriggers(const struct limen_flight *f);
/* Keep one drained event (a ring record or one the collector made). */
void limen_flight_store(struct limen_flight *f, const struct limen_event *e);
/* The sink that evaluates the triggers on the collector's calls. */
struct limen_sink *limen_flight_sink(struct limen_flight *f,
				     const struct limen_opts *o);
/* Take a snapshot now; why is said in it. 0, or -errno. */
int limen_flight_snapshot(struct limen_flight *f, const char *why);
/* limen bt --flight: the window snapshot() saves (exits if it cannot be
   made) */
struct limen_bt;
struct limen_flight *limen_flight_bt(struct limen_bt *b,
				     const struct limen_opts *o);
/* A snapshot that says what took it and the call it fired on (its
   strace line: the triggering event's fields); c may be NULL */
struct limen_call;
int limen_flight_snapshot_call(struct limen_flight *f, const char *what,
			       int32_t tid, const struct limen_call *c);
/*
 * The end: close a snapshot still taking its after-window, take the final
 * one if there are no triggers, say on stderr what was written; frees f.
 * 0, or -errno of the first write error.
 */
int limen_flight_finish(struct limen_flight *f);

/* SIZE with an optional K, M or G suffix; 0 if it is not one */
size_t limen_flight_parse_size(const char *v);
/* DURATION: a number with ns, us, ms (the default) or s; -1 if bad */
int64_t limen_flight_parse_duration(const char *v);

#endif
