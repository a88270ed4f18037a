/* SPDX-License-Identifier: MIT */
/*
 * The collector layer: between the session's drain (struct limen_event, in
 * time order) and the sinks. It pairs each call's entry with its exit,
 * keeps the process and thread tables, knows how processes and threads end
 * (exit_group, execve, a reaped wait status) and which images ran
 * untraced, and tells every sink what happened in one small vocabulary:
 * calls begun/ended/interrupted, signals, ends, losses, notes. Sinks only
 * render: the text sink (strace's lines), the summary (-c/-C), ...
 */
#ifndef LIMEN_COLLECTOR_H
#define LIMEN_COLLECTOR_H

#include <stdint.h>
#include <stdio.h>

#include "cli/cli.h"
#include "decode/decode.h"

/* Where and when something happened. */
struct limen_at {
	int32_t tid, pid;
	uint64_t tsc;
	int multi;              /* more than one thread lives (or tid is none
				   the collector holds): "[pid N] " */
};

/* A system call, as the collector paired it. */
struct limen_callev {
	const struct limen_event *ent; /* NULL: its entry was not seen */
	const struct limen_event *ex;  /* NULL: no exit (see what) */
	int suspended;          /* a SUSPEND was told for it before */
	int32_t pid_changed;    /* SUSPEND of an execve whose thread goes on
				   with this id (another thread's exec),
				   nothing told between: strace ends the
				   line " <pid changed to N ...>" */
};

enum limen_call_what {
	/* begun, and something else comes before its end (another thread's
	   call, a signal in its handler): ent only */
	LIMEN_CALL_SUSPEND,
	/* ended: ex is its exit, or NULL when it never returns (exit,
	   exit_group, an execve into an image that is not traced) */
	LIMEN_CALL_END,
	/* its thread ended inside it (exit_group or execve by another
	   thread): no result, not counted */
	LIMEN_CALL_GONE,
};

enum limen_tell_kind {
	LIMEN_TELL_RECORD,      /* about a thread's ring (the session's) */
	LIMEN_TELL_UNTRACED,    /* pid runs an image limen does not trace */
	LIMEN_TELL_TOOL,        /* about the trace as a whole (main's) */
};

struct limen_sink;
/* call, flush and finish are required; a sink that has nothing to do with
   the others leaves them NULL */
struct limen_sink_ops {
	void (*call)(struct limen_sink *k, enum limen_call_what what,
		     const struct limen_at *at, const struct limen_callev *c);
	void (*signal)(struct limen_sink *k, const struct limen_at *at,
		       const struct limen_rec_sig *s);
	/* a thread or a process ended: a wait status (exited or killed) */
	void (*end)(struct limen_sink *k, const struct limen_at *at,
		    int status);
	void (*loss)(struct limen_sink *k, const struct limen_at *at,
		     uint64_t count);
	/* pid: the untraced process (LIMEN_TELL_UNTRACED) */
	void (*note)(struct limen_sink *k, enum limen_tell_kind kind,
		     const struct limen_at *at, int32_t pid,
		     const char *text);
	/* --uaccess: the user-memory ranges of the call just ended (a
	   LIMEN_REC_UACCESS record, size checked); may be NULL */
	void (*ranges)(struct limen_sink *k, const struct limen_at *at,
		       const struct limen_event *e);
	/* a user event (include/limen/uevent.h), rendered as
	   name(field=value, ...); may be NULL */
	void (*uevent)(struct limen_sink *k, const struct limen_at *at,
		       const char *text);
	/* -1 (errno set) when what was written did not all get out */
	int (*flush)(struct limen_sink *k);
	/* the last call: writes what is left, frees the sink */
	int (*finish)(struct limen_sink *k);
	/* -k: a STACK record (after its call's entry; before it for exit
	   and exit_group, LIMEN_RECF_AT_ENTRY) or a MAPS record
	   (the process's mappings), size checked; may be NULL */
	void (*stack)(struct limen_sink *k, const struct limen_at *at,
		      const struct limen_event *e);
	/* a thread or process began with the id at->tid: whatever an id
	   said of an earlier one (one whose end no record told: a detached
	   process its kernel reaped) is another's now; may be NULL */
	void (*born)(struct limen_sink *k, const struct limen_at *at);
	/* a thread other than the leader exec'd: at names the leader, whose
	   id the thread (old_tid) goes on with; may be NULL */
	void (*superseded)(struct limen_sink *k, const struct limen_at *at,
			   int32_t old_tid);
};

struct limen_sink {
	const struct limen_sink_ops *ops;
};

/*
 * Zero n bytes at p (8-aligned, n a multiple of 8 known where it is
 * called) with unrolled 16-byte stores. A memset of a few hundred bytes
 * compiles to a `rep stos`, slow to start: in limen_callev_fill (the
 * decoder's call, about 570 bytes) it was two thirds of the function's
 * time, 7% of the collector's CPU on the getppid loop; the text sink zeroes
 * an item for every line.
 */
static inline __attribute__((always_inline)) void limen_zero(void *p,
							      size_t n)
{
	typedef uint64_t v2 __attribute__((vector_size(16), aligned(8),
					   may_alias));
	typedef uint64_t w1 __attribute__((may_alias));
	v2 *v = p, z = { 0, 0 };

#pragma GCC unroll 64
	for (size_t i = 0; i < n / 16; i++)
		v[i] = z;
	if (n % 16)
		*(w1 *)((char *)p + n - 8) = 0;
}

/* Fill a decoder's call from a paired call's records. */
void limen_callev_fill(struct limen_call *c, const struct limen_callev *ce);
/* nanoseconds from entry to exit; 0 without both */
uint64_t limen_callev_ns(const struct limen_callev *ce);

struct limen_collector;
struct limen_collector *limen_collector_new(const struct limen_opts *o);
/* Sinks are told in the order they were added. */
void limen_collector_add(struct limen_collector *col, struct limen_sink *k);
/* A limen_emit_fn: one record drained from a ring. */
void limen_collector_event(void *col, struct limen_event *e);
/* Replaying a recording: what happens outside the rings (reaps, notes,
   the end) is placed at tsc, the recording's time, not at the clock's. */
void limen_collector_replay_at(struct limen_collector *col, uint64_t tsc);
/* The command's pid: whether and how it ended is remembered. */
void limen_collector_set_child(struct limen_collector *col, pid_t pid);
/* 1 if the runtime announced itself in process pid. */
int limen_collector_seen(struct limen_collector *col, pid_t pid);
/* The direct child's wait status, when nothing said how it ended. */
void limen_collector_child_status(struct limen_collector *col, pid_t pid,
				  int status);
/* An orphan of the tree we reaped as subreaper. */
void limen_collector_reaped(struct limen_collector *col, pid_t pid,
			    int status);
/* The processes that entered exit_group and were not seen gone yet: up
   to max pids in pid, their count. */
size_t limen_collector_exiting(const struct limen_collector *col,
			       int32_t *pid, size_t max);
/* Such a process is gone (its threads all dead, their records drained):
   it ends in the trace with its exit_group's status. */
void limen_collector_gone(struct limen_collector *col, pid_t pid);
/* Process pid was in the pid namespace whose init is process init, and
   that init is dead: the kernel killed pid with SIGKILL, and reaped it
   where nobody traced sees. Its end is told before init's, or at the next
   limen_collector_zapped if init's comes in no record (was told before, or
   init was not traced). */
void limen_collector_zap(struct limen_collector *col, pid_t init, pid_t pid);
/* After a drain: the ends limen_collector_zap asked for not told yet. */
void limen_collector_zapped(struct limen_collector *col);
/* A note of the collector's about the whole trace. */
void limen_collector_note(struct limen_collector *col, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A call blocked for long is told as suspended. */
void limen_collector_tick(struct limen_collector *col, uint64_t now_tsc);
/* The thread whose call limen_collector_tick would tell as suspended now,
   0 if none: the caller may hold the tick back while that thread runs. */
int32_t limen_collector_stale(const struct limen_collector *col,
			      uint64_t now_tsc);
/* The most threads the session's count of untraced ones can truly be:
   one a TSC cycle of the run (collector.c) */
uint64_t limen_collector_untraced_bound(const struct limen_collector *col);
/* pids whose process ended (exit_group seen): the session retires slots */
int limen_collector_take_ended(struct limen_collector *col, int32_t *pid);
int limen_collector_flush(struct limen_collector *col);
/* Ends the trace, finishes and frees every sink; -1 (errno set) if
   something could not all be written. */
int limen_collector_finish(struct limen_collector *col);

/* sinks/limit.c: --syscall-limit: in passes to in until the limit's
   calls are told, then nothing; first: the first wrapper made (NULL for
   the first), whose count they share; ctl: whose recording to stop */
struct limen_sink *limen_limit_sink(struct limen_sink *in,
				    struct limen_sink *first,
				    uint64_t limit, struct limen_ctl *ctl);

/* sinks/text.c: strace's lines */
struct limen_sink *limen_text_sink(FILE *out, const struct limen_opts *o);
/* sinks/summary.c: -c / -C's table; notes: also print the collector's
   notes (-c, where no text sink prints them) */
struct limen_sink *limen_summary_sink(FILE *out, const struct limen_opts *o,
				      int notes);
/* sinks/json.c: one JSON object per event (docs/json-schema.md) */
struct limen_sink *limen_json_sink(FILE *out, const struct limen_opts *o);
/* sinks/perfetto.c: Chrome trace-event JSON, one track per thread */
struct limen_sink *limen_perfetto_sink(FILE *out, const struct limen_opts *o);
/* sinks/latency.c: per-call latency percentiles and histogram, the paths
   touched most, the errors by call and errno */
struct limen_sink *limen_latency_sink(FILE *out, const struct limen_opts *o);
/* sinks/json.c: s[0..n) as a JSON string literal (bytes over 0x7f as
   \u00XX, so that the output is always valid UTF-8) */
void limen_json_str(FILE *out, const char *s, size_t n);

#endif
