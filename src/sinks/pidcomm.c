/* SPDX-License-Identifier: MIT */
/*
 * -Y, --decode-pids=comm: the names comm.c follows, in the order the text
 * sink prints lines, and the calls that name threads recorded whatever
 * -e trace= says.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode/decode.h"
#include "sinks/pidcomm.h"
#include "decode/oom.h"

/* The text sink: a clone's child is named before the clone's line is
   printed, an execve's new name only after its line. */
void limen_pidcomm_before(struct limen_pidcomm *p, enum limen_call_what what,
			  const struct limen_at *at,
			  const struct limen_callev *ce)
{
	struct limen_call c;

	/* the caller's own name first: the prefix of its line */
	limen_pidcomm_of(p, at->pid, at->tid);
	if (!ce->ent && !ce->ex)
		return;
	limen_callev_fill(&c, ce);
	if (what == LIMEN_CALL_SUSPEND)
		limen_pidcomm_clone(p, at->pid, at->tid, &c, 0);
	else if (what == LIMEN_CALL_END)
		limen_pidcomm_clone(p, at->pid, at->tid, &c, 1);
}

void limen_pidcomm_after(struct limen_pidcomm *p, enum limen_call_what what,
			 const struct limen_at *at,
			 const struct limen_callev *ce)
{
	struct limen_call c;

	if (what != LIMEN_CALL_END)
		return;
	limen_callev_fill(&c, ce);
	limen_pidcomm_end(p, at->pid, at->tid, &c, ce->ent != NULL);
}

/*
 * The sinks' wrapper: the calls -Y needs to follow names (clone, execve,
 * prctl, wait4...) are recorded even when -e trace= does not select them
 * (limen_pids_select); the wrapper hides those from the sink it wraps, and
 * the first wrapper (the text sink's) follows the names around each call
 * it tells.
 */
struct pids_sink {
	struct limen_sink sink;
	struct limen_sink *in;
	const struct limen_opts *o;
	int track;
};

#define IN(k) (((struct pids_sink *)(k))->in)

static int hidden(const struct limen_opts *o, const struct limen_callev *ce)
{
	const struct limen_event *e = ce->ent ? ce->ent : ce->ex;
	struct limen_call c;

	if (!e)
		return 0;
	limen_callev_fill(&c, ce);
	return c.nr < LIMEN_TRACE_BITS &&
	       (o->pids_added[c.nr / 8] >> (c.nr % 8) & 1);
}

static void ps_call(struct limen_sink *k, enum limen_call_what what,
		    const struct limen_at *at, const struct limen_callev *ce)
{
	struct pids_sink *w = (struct pids_sink *)k;

	if (w->track)
		limen_pidcomm_before(limen_pidcomm_cur, what, at, ce);
	if (!hidden(w->o, ce))
		w->in->ops->call(w->in, what, at, ce);
	if (w->track)
		limen_pidcomm_after(limen_pidcomm_cur, what, at, ce);
}

static void ps_signal(struct limen_sink *k, const struct limen_at *at,
		      const struct limen_rec_sig *s)
{
	if (IN(k)->ops->signal)
		IN(k)->ops->signal(IN(k), at, s);
}

static void ps_end(struct limen_sink *k, const struct limen_at *at,
		   int status)
{
	if (IN(k)->ops->end)
		IN(k)->ops->end(IN(k), at, status);
}

static void ps_superseded(struct limen_sink *k, const struct limen_at *at,
			  int32_t old_tid)
{
	if (IN(k)->ops->superseded)
		IN(k)->ops->superseded(IN(k), at, old_tid);
}

static void ps_loss(struct limen_sink *k, const struct limen_at *at,
		    uint64_t count)
{
	if (IN(k)->ops->loss)
		IN(k)->ops->loss(IN(k), at, count);
}

static void ps_note(struct limen_sink *k, enum limen_tell_kind kind,
		    const struct limen_at *at, int32_t pid, const char *text)
{
	if (IN(k)->ops->note)
		IN(k)->ops->note(IN(k), kind, at, pid, text);
}

static void ps_ranges(struct limen_sink *k, const struct limen_at *at,
		      const struct limen_event *e)
{
	if (IN(k)->ops->ranges)
		IN(k)->ops->ranges(IN(k), at, e);
}

static void ps_uevent(struct limen_sink *k, const struct limen_at *at,
		      const char *text)
{
	if (IN(k)->ops->uevent)
		IN(k)->ops->uevent(IN(k), at, text);
}

static void ps_stack(struct limen_sink *k, const struct limen_at *at,
		     const struct limen_event *e)
{
	if (IN(k)->ops->stack)
		IN(k)->ops->stack(IN(k), at, e);
}

static void ps_born(struct limen_sink *k, const struct limen_at *at)
{
	if (IN(k)->ops->born)
		IN(k)->ops->born(IN(k), at);
}

static int ps_flush(struct limen_sink *k)
{
	return IN(k)->ops->flush(IN(k));
}

static int ps_finish(struct limen_sink *k)
{
	struct pids_sink *w = (struct pids_sink *)k;
	int r = w->in->ops->finish(w->in);

	if (w->track) {
		limen_pidcomm_free(limen_pidcomm_cur);
		limen_pidcomm_cur = NULL;
	}
	free(w);
	return r;
}

static const struct limen_sink_ops pids_ops = {
	.call = ps_call,
	.signal = ps_signal,
	.end = ps_end,
	.superseded = ps_superseded,
	.loss = ps_loss,
	.note = ps_note,
	.ranges = ps_ranges,
	.uevent = ps_uevent,
	.flush = ps_flush,
	.finish = ps_finish,
	.stack = ps_stack,
	.born = ps_born,
};

struct limen_sink *limen_pids_sink(struct limen_sink *in,
				   const struct limen_opts *o)
{
	struct pids_sink *w = calloc(1, sizeof(*w));

	if (!w)
		limen_out_of_memory();
	w->sink.ops = &pids_ops;
	w->in = in;
	w->o = o;
	if (!limen_pidcomm_cur) {
		w->track = 1;
		limen_pidcomm_cur = limen_pidcomm_new(
			o->cmd && !o->report ? o->cmd[0] : NULL, !o->report);
	}
	return &w->sink;
}

/* The calls that name threads, recorded whatever -e trace= selects. */
void limen_pids_select(struct limen_opts *o)
{
	static const char *const naming[] = {
		"clone", "clone3", "fork", "vfork", "execve", "execveat",
		"prctl", "wait4",
	};

	if (!o->decode_pids || o->trace_all)
		return;
	for (unsigned long nr = 0; nr < LIMEN_NSYSENT && nr < LIMEN_TRACE_BITS;
	     nr++) {
		const struct limen_sysent *se = limen_sysent_get(nr);

		if (!se)
			continue;
		for (size_t i = 0; i < sizeof(naming) / sizeof(naming[0]); i++)
			if (!strcmp(limen_str(se->name), naming[i]) &&
			    !(o->trace_mask[nr / 8] >> (nr % 8) & 1)) {
				o->trace_mask[nr / 8] |= (uint8_t)(1u << (nr % 8));
				o->pids_added[nr / 8] |= (uint8_t)(1u << (nr % 8));
			}
	}
}
