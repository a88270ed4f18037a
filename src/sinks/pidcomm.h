/* SPDX-License-Identifier: MIT */
/*
 * The name (comm) of each traced thread as it was at the call: -Y
 * (--decode-pids=comm), followed in the order the text sink prints lines,
 * and limen bt's comm.
 */
#ifndef LIMEN_PIDCOMM_H
#define LIMEN_PIDCOMM_H

#include <stdint.h>

#include "cli/cli.h"
#include "collector/collector.h"

struct limen_pidcomm;
struct limen_call;

/* cmd0: the command limen starts (its first process's name); live: the
   programs run now, so /proc may name a pid limen never saw */
struct limen_pidcomm *limen_pidcomm_new(const char *cmd0, int live);
void limen_pidcomm_free(struct limen_pidcomm *p);

/* The name of thread (or process) id, NULL when it has none (gone, never
   seen). pid: id's process when known (0: id is a process). */
const char *limen_pidcomm_of(struct limen_pidcomm *p, int32_t pid,
			     int32_t id);

/* id's name from now on: an exec of path (its last component, 15 bytes) */
void limen_pidcomm_exec(struct limen_pidcomm *p, int32_t id, const char *path,
			size_t n);
/* A call's entry (ended 0) or end (1), every one seen in time order (limen
   bt): what it changes of names. */
void limen_pidcomm_call(struct limen_pidcomm *p, int32_t pid, int32_t tid,
			const struct limen_call *c, int ended);
/* Its two parts (each ignores the other's calls): a clone's entry (threads told before it returns are the
   cloner's) and end (the child takes the parent's name); the end of any
   other call (execve, prctl(PR_SET_NAME) name the thread from then on, a
   child reaped by wait4 has no name any more; with_ent: the entry's
   captures are there). */
void limen_pidcomm_clone(struct limen_pidcomm *p, int32_t pid, int32_t tid,
			 const struct limen_call *c, int ended);
void limen_pidcomm_end(struct limen_pidcomm *p, int32_t pid, int32_t tid,
		       const struct limen_call *c, int with_ent);

/* A call told to the text sink: before its line (a clone's child inherits
   the name, a reaped child has none) and after it (execve, prctl
   PR_SET_NAME name the thread from then on). */
void limen_pidcomm_before(struct limen_pidcomm *p, enum limen_call_what what,
			  const struct limen_at *at,
			  const struct limen_callev *ce);
void limen_pidcomm_after(struct limen_pidcomm *p, enum limen_call_what what,
			 const struct limen_at *at,
			 const struct limen_callev *ce);

/* -Y: each sink wrapped (the first one follows the names, made here);
   the calls limen_pids_select added are hidden from the sinks */
struct limen_sink *limen_pids_sink(struct limen_sink *in,
				   const struct limen_opts *o);
/* after the options: the naming calls recorded whatever -e trace= says */
void limen_pids_select(struct limen_opts *o);

/* The tracker: set while the text sink formats a line. */
extern struct limen_pidcomm *limen_pidcomm_cur;

#endif
