/* SPDX-License-Identifier: MIT */
/*
 * limen bt: bpftrace's language for system-call probes, evaluated in the
 * collector on the calls the runtime recorded (README: "limen bt").
 */
#ifndef LIMEN_BT_H
#define LIMEN_BT_H

#include <stdint.h>
#include <stdio.h>

struct limen_bt;
struct limen_sink;

/*
 * Parse and check a program. NULL on error, with the message in err
 * ("LINE:COL: what"). name: what the program came from (for messages).
 */
struct limen_bt *limen_bt_compile(const char *src, size_t len, char *err,
				  size_t errlen);
/* The system calls the probes need recorded: bits set in mask (numbers
   below nbits); *all: every call (raw_syscalls probes). */
void limen_bt_select(const struct limen_bt *b, uint8_t *mask, unsigned nbits,
		     int *all);
/* Push the predicates into the process (push.c): the calls of mask (all:
   every call) are recorded only when a probe's predicate may hold;
   show: name them on stderr. How many calls are narrowed. */
int limen_bt_push(const struct limen_bt *b, const uint8_t *mask, int all,
		  int show);
/* Bytes of strings and buffers the runtime must capture (-s) for str(),
   buf() and join() to see what bpftrace would: BPFTRACE_STRLEN, 64. */
unsigned limen_bt_strsize(const struct limen_bt *b);
/* The sink that runs the probes; BEGIN runs now. The sink's finish runs
   END and prints the maps. */
struct limen_sink *limen_bt_sink(struct limen_bt *b, FILE *out);
/* The command's pid and the file it runs: its comm until it changes. */
void limen_bt_child(struct limen_bt *b, int pid, const char *path);
/* interval probes due at tsc run */
void limen_bt_tick(struct limen_bt *b, uint64_t tsc);
/* snapshot(): the flight recorder's window saved (main.c, flight.c);
   why: snapshot()'s argument, or NULL; c: the call the probe fired on
   (NULL in BEGIN, END, interval). */
struct limen_call;
typedef void (*limen_bt_snap_fn)(void *ctx, const char *why,
				 const char *probe, int32_t tid,
				 const struct limen_call *c);
void limen_bt_on_snapshot(struct limen_bt *b, limen_bt_snap_fn fn,
			  void *ctx);
/* 1 if the program calls snapshot() */
int limen_bt_snapshots(const struct limen_bt *b);
/* 1 once the program called exit() */
int limen_bt_exited(const struct limen_bt *b);
/* Run BEGIN, then END and print the maps, without a trace (the fuzz
   harness); frees b. */
void limen_bt_run_static(struct limen_bt *b, FILE *out);
void limen_bt_free(struct limen_bt *b);

#endif
