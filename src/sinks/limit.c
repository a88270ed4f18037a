/* SPDX-License-Identifier: MIT */
/*
 * --syscall-limit=N (strace >= 6.7; strace 6.1 here lacks it): after the
 * N-th call shown (those -e trace= selects), the trace ends as if limen had
 * detached, as newer strace does: nothing more is told to any sink (no
 * further calls, signals or "+++ exited" lines; the -c table counts N
 * calls) and the runtime is told to record nothing more (the control
 * page's selection is cleared; it reads it at every call). The program
 * runs on; what limen cannot undo is the trap itself: each call still
 * enters the runtime's SIGSYS handler, which then records nothing.
 *
 * Each sink is wrapped; the wrappers share one count, kept by the first.
 */
#include <stdlib.h>
#include <string.h>

#include "collector/collector.h"
#include "decode/oom.h"

struct limit_shared {
	uint64_t limit, n;
	int done;
	struct limen_ctl *ctl;  /* NULL in a report: nothing to stop */
	int refs;
};

struct limit {
	struct limen_sink sink;
	struct limen_sink *in;
	struct limit_shared *sh;
	int counts;             /* the first wrapper keeps the count */
};

#define IN(k) (((struct limit *)(k))->in)
#define DONE(k) (((struct limit *)(k))->sh->done)

static void stop_recording(struct limit_shared *sh)
{
	if (!sh->ctl)
		return;
	/* the runtime tests the flag, then the mask, at each call */
	__atomic_and_fetch(&sh->ctl->flags, ~(uint32_t)LIMEN_CTL_TRACE_ALL,
			   __ATOMIC_RELAXED);
	memset(sh->ctl->trace_mask, 0, sizeof(sh->ctl->trace_mask));
}

static void lim_call(struct limen_sink *k, enum limen_call_what what,
		     const struct limen_at *at, const struct limen_callev *c)
{
	struct limit *l = (struct limit *)k;

	if (l->sh->done)
		return;
	l->in->ops->call(l->in, what, at, c);
	if (!l->counts || what == LIMEN_CALL_SUSPEND)
		return;
	if (++l->sh->n >= l->sh->limit) {
		/* the other wrappers come after this one for this call */
		l->sh->done = -1;
		stop_recording(l->sh);
	}
}

/* -1: the count was reached during this call's telling; the sinks after
   the first still get this call */
static int dropped(struct limen_sink *k)
{
	return DONE(k) != 0;
}

static void lim_call_rest(struct limen_sink *k, enum limen_call_what what,
			  const struct limen_at *at,
			  const struct limen_callev *c)
{
	struct limit *l = (struct limit *)k;

	if (l->counts) {
		if (l->sh->done == -1)
			l->sh->done = 1;
		lim_call(k, what, at, c);
		return;
	}
	if (l->sh->done == 1)
		return;
	l->in->ops->call(l->in, what, at, c);
}

static void lim_signal(struct limen_sink *k, const struct limen_at *at,
		       const struct limen_rec_sig *s)
{
	if (!dropped(k) && IN(k)->ops->signal)
		IN(k)->ops->signal(IN(k), at, s);
}

static void lim_end(struct limen_sink *k, const struct limen_at *at,
		    int status)
{
	if (!dropped(k) && IN(k)->ops->end)
		IN(k)->ops->end(IN(k), at, status);
}

static void lim_superseded(struct limen_sink *k, const struct limen_at *at,
			   int32_t old_tid)
{
	if (!dropped(k) && IN(k)->ops->superseded)
		IN(k)->ops->superseded(IN(k), at, old_tid);
}

static void lim_loss(struct limen_sink *k, const struct limen_at *at,
		     uint64_t count)
{
	if (!dropped(k) && IN(k)->ops->loss)
		IN(k)->ops->loss(IN(k), at, count);
}

static void lim_note(struct limen_sink *k, enum limen_tell_kind kind,
		     const struct limen_at *at, int32_t pid, const char *text)
{
	/* limen's notes about the whole trace (a lost collector, a stop)
	   are still said */
	if ((!dropped(k) || kind == LIMEN_TELL_TOOL) && IN(k)->ops->note)
		IN(k)->ops->note(IN(k), kind, at, pid, text);
}

static void lim_ranges(struct limen_sink *k, const struct limen_at *at,
		       const struct limen_event *e)
{
	if (!dropped(k) && IN(k)->ops->ranges)
		IN(k)->ops->ranges(IN(k), at, e);
}

static void lim_uevent(struct limen_sink *k, const struct limen_at *at,
		       const char *text)
{
	if (!dropped(k) && IN(k)->ops->uevent)
		IN(k)->ops->uevent(IN(k), at, text);
}

static void lim_stack(struct limen_sink *k, const struct limen_at *at,
		      const struct limen_event *e)
{
	if (!dropped(k) && IN(k)->ops->stack)
		IN(k)->ops->stack(IN(k), at, e);
}

/* bookkeeping, not a line: passed on whatever is dropped */
static void lim_born(struct limen_sink *k, const struct limen_at *at)
{
	if (IN(k)->ops->born)
		IN(k)->ops->born(IN(k), at);
}

static int lim_flush(struct limen_sink *k)
{
	return IN(k)->ops->flush(IN(k));
}

static int lim_finish(struct limen_sink *k)
{
	struct limit *l = (struct limit *)k;
	int r = l->in->ops->finish(l->in);

	if (--l->sh->refs == 0)
		free(l->sh);
	free(l);
	return r;
}

static const struct limen_sink_ops limit_ops = {
	.call = lim_call_rest,
	.signal = lim_signal,
	.end = lim_end,
	.superseded = lim_superseded,
	.loss = lim_loss,
	.note = lim_note,
	.ranges = lim_ranges,
	.uevent = lim_uevent,
	.flush = lim_flush,
	.finish = lim_finish,
	.stack = lim_stack,
	.born = lim_born,
};

struct limen_sink *limen_limit_sink(struct limen_sink *in,
				    struct limen_sink *first,
				    uint64_t limit, struct limen_ctl *ctl)
{
	struct limit *l = calloc(1, sizeof(*l));

	if (!l)
		limen_out_of_memory();
	l->sink.ops = &limit_ops;
	l->in = in;
	if (first) {
		l->sh = ((struct limit *)first)->sh;
	} else {
		l->sh = calloc(1, sizeof(*l->sh));
		if (!l->sh)
			limen_out_of_memory();
		l->sh->limit = limit;
		l->sh->ctl = ctl;
		l->counts = 1;
	}
	l->sh->refs++;
	return &l->sink;
}
