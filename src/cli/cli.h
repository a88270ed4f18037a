/* SPDX-License-Identifier: MIT */
/* The collector: internal interfaces between its parts. */
#ifndef LIMEN_CLI_H
#define LIMEN_CLI_H

#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "session/session.h"

struct limen_opts {
	const char *outfile;     /* -o */
	unsigned strsize;        /* -s */
	int show_time;           /* -T */
	int timestamps;          /* 0, 1 (-t), 2 (-tt), 3 (-ttt) */
	int quiet;               /* -q */
	int verbose;             /* -v */
	int summary;             /* 1: -c (table only), 2: -C (both) */
	int trace_all;
	uint32_t ring_bytes;     /* --ring-size */
	int no_loss;             /* --no-loss */
	int run;                 /* limen run: the runtime, no trace */
	int uaccess;             /* --uaccess: the ranges under each call */
	uint8_t trace_mask[LIMEN_TRACE_BITS / 8];
	char **cmd;              /* after -- */
};

/* One record taken out of a ring, with the slot's identity. */
struct limen_event {
	uint16_t type, flags;
	int32_t tid, pid;
	uint64_t tsc;
	uint8_t *rec;            /* malloc'd copy, owned by whoever holds it */
	uint32_t size;
	uint64_t seq;            /* drain order, to keep sorting stable */
};

/* session.c */
struct limen_session {
	struct limen_ctl *ctl;      /* mapped with the slot table only */
	struct limen_slot *slots;
	struct limen_geom geom;     /* private: never read back from ctl */
	uint8_t **rings;            /* each slot's ring, mapped while in use */
	uint32_t nscan;             /* slots to scan: the largest high-water
				       mark seen, bounded by geom.nslots */
	int fd;
	uint64_t seq;
	struct limen_event *held;   /* drained, not yet emitted */
	size_t nheld, capheld;
};
int limen_session_create(struct limen_session *s, const struct limen_opts *o);
/* Drain every ring; emit (in time order) what is older than `upto`.
   Returns the number of records taken out of the rings. */
typedef void (*limen_emit_fn)(void *ctx, struct limen_event *e);
size_t limen_session_drain(struct limen_session *s, uint64_t upto,
			 limen_emit_fn emit, void *ctx);
/* Slots whose threads vanished without saying so; returns live count. */
int limen_session_reap_slots(struct limen_session *s);
void limen_session_retire_pid(struct limen_session *s, int32_t pid);
/* After the last drain: threads whose records are left in their rings
   (we found no room to map the ring, under ulimit -v). */
uint32_t limen_session_unread(struct limen_session *s);

/* clock.c: TSC to wall time */
void limen_clock_init(void);
void limen_clock_sample(void);
/* nanoseconds since the epoch (CLOCK_REALTIME) for a TSC value */
uint64_t limen_clock_ns(uint64_t tsc);
/* nanoseconds between two TSC values */
uint64_t limen_clock_delta_ns(uint64_t a, uint64_t b);

/* spawn.c */
int limen_resolve(const char *cmd, char *out, size_t n);
int limen_check_static(const char *path, const char *cmd);
pid_t limen_spawn(const char *path, char **argv, const struct limen_session *s,
		  const char *preload);

/* sinks/text.c */
struct limen_text;
struct limen_text *limen_text_new(FILE *out, const struct limen_opts *o);
void limen_text_event(void *t, struct limen_event *e);
/* The direct child's wait status, when nothing said how it ended. */
void limen_text_child_status(struct limen_text *t, pid_t pid, int status);
/* 1 if the runtime announced itself in process pid. */
int limen_text_seen(struct limen_text *t, pid_t pid);
/* An orphan of the tree we reaped as subreaper: say if a signal killed it. */
void limen_text_reaped(struct limen_text *t, pid_t pid, int status);
void limen_text_note(struct limen_text *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void limen_text_finish(struct limen_text *t);
int limen_text_flush(struct limen_text *t);
/* Print a call blocked for long as <unfinished ...>. */
void limen_text_tick(struct limen_text *t, uint64_t now_tsc);
/* pids whose process ended (exit_group seen): the session retires slots */
int limen_text_take_ended(struct limen_text *t, int32_t *pid);

#endif
