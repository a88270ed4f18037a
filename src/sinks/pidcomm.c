/* SPDX-License-Identifier: MIT */
/*
 * -Y, --decode-pids=comm: each traced thread's name as the calls set it,
 * as limen bt follows it (src/bt/comm.c): the command's file name, a
 * clone's parent's name, execve's file name, prctl(PR_SET_NAME). strace
 * reads /proc/PID/comm when it prints; limen prints after the fact, so the
 * name is the one the thread had at the call. A pid limen never saw is
 * named from /proc while the programs run (getppid's parent, kill(1)); a
 * process reaped by wait4/waitid has no name any more, as under strace.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode/decode.h"
#include "sinks/pidcomm.h"

#define PR_SET_NAME_ 15 /* <linux/prctl.h>'s PR_SET_NAME */

struct slot {
	int32_t id;             /* 0: empty */
	char comm[16];
};

struct limen_pidcomm {
	struct slot *s;
	size_t n, cap;          /* cap: a power of two */
	char first[16];         /* the command's name, for its first pid */
	int seeded;
	int live;
	int32_t cloner;         /* a thread inside clone: new ids are its */
	char proc[16];          /* a name read from /proc */
};

struct limen_pidcomm *limen_pidcomm_cur;

static struct slot *find(struct limen_pidcomm *p, int32_t id, int add)
{
	size_t m, i;

	if (add && 2 * (p->n + 1) > p->cap) {
		struct slot *old = p->s;
		size_t oc = p->cap;

		p->cap = oc ? 2 * oc : 64;
		p->s = calloc(p->cap, sizeof(*p->s));
		if (!p->s)
			abort();
		p->n = 0;
		for (size_t k = 0; k < oc; k++)
			if (old[k].id > 0)
				*find(p, old[k].id, 1) = old[k];
		free(old);
	}
	if (!p->cap)
		return NULL;
	m = p->cap - 1;
	/* deleted slots keep id -1 so that probing goes on past them */
	for (i = (size_t)id * 2654435761u & m; p->s[i].id; i = (i + 1) & m)
		if (p->s[i].id == id)
			return &p->s[i];
	if (!add)
		return NULL;
	p->s[i].id = id;
	p->s[i].comm[0] = 0;
	p->n++;
	return &p->s[i];
}

static void set(struct limen_pidcomm *p, int32_t id, const char *name,
		size_t n)
{
	struct slot *s = find(p, id, 1);

	if (n > 15)
		n = 15;
	memmove(s->comm, name, n);
	s->comm[n] = 0;
}

/* The kernel's name for an exec'd file: its last path component. */
static void set_exec(struct limen_pidcomm *p, int32_t id, const char *path,
		     size_t n)
{
	const char *b = path;

	for (size_t i = 0; i < n; i++)
		if (path[i] == '/')
			b = path + i + 1;
	set(p, id, b, (size_t)(path + n - b));
}

struct limen_pidcomm *limen_pidcomm_new(const char *cmd0, int live)
{
	struct limen_pidcomm *p = calloc(1, sizeof(*p));
	const char *b = cmd0 ? strrchr(cmd0, '/') : NULL;

	if (!p)
		abort();
	if (cmd0)
		snprintf(p->first, sizeof(p->first), "%s", b ? b + 1 : cmd0);
	p->live = live;
	return p;
}

void limen_pidcomm_free(struct limen_pidcomm *p)
{
	if (!p)
		return;
	free(p->s);
	free(p);
}

static const char *from_proc(struct limen_pidcomm *p, int32_t pid,
			     int32_t id)
{
	char path[64];
	FILE *f;

	if (!p->live)
		return NULL;
	if (pid && pid != id)
		snprintf(path, sizeof(path), "/proc/%d/task/%d/comm", (int)pid,
			 (int)id);
	else
		snprintf(path, sizeof(path), "/proc/%d/comm", (int)id);
	f = fopen(path, "re");
	if (!f)
		return NULL;
	if (!fgets(p->proc, sizeof(p->proc), f))
		p->proc[0] = 0;
	fclose(f);
	p->proc[strcspn(p->proc, "\n")] = 0;
	return p->proc[0] ? p->proc : NULL;
}

const char *limen_pidcomm_of(struct limen_pidcomm *p, int32_t pid,
			     int32_t id)
{
	struct slot *s;

	if (id <= 0)
		return NULL;
	s = find(p, id, 0);
	if (s)
		return s->comm;
	if (pid && !p->seeded && p->first[0]) {
		/* the first thread told: the command limen started */
		p->seeded = 1;
		set(p, id, p->first, strlen(p->first));
		return find(p, id, 0)->comm;
	}
	if (pid && p->cloner && (s = find(p, p->cloner, 0))) {
		/* a thread told before its parent's clone returned */
		char c[16];

		memcpy(c, s->comm, sizeof(c));
		set(p, id, c, strlen(c));
		return find(p, id, 0)->comm;
	}
	return from_proc(p, pid, id);
}

static const char *name_of(const struct limen_call *c)
{
	const struct limen_sysent *se = limen_sysent_get(c->nr);

	return se ? se->name : "";
}

static int is_clone(const char *n)
{
	return !strcmp(n, "clone") || !strcmp(n, "clone3") ||
	       !strcmp(n, "fork") || !strcmp(n, "vfork");
}

void limen_pidcomm_before(struct limen_pidcomm *p, enum limen_call_what what,
			  const struct limen_at *at,
			  const struct limen_callev *ce)
{
	struct limen_call c;
	const char *n;

	/* the caller's own name first: the prefix of its line */
	limen_pidcomm_of(p, at->pid, at->tid);
	if (!ce->ent && !ce->ex)
		return;
	limen_callev_fill(&c, ce);
	n = name_of(&c);
	if (is_clone(n)) {
		if (what == LIMEN_CALL_SUSPEND) {
			p->cloner = at->tid;
		} else if (what == LIMEN_CALL_END && c.has_ret && c.ret > 0) {
			const char *mine = limen_pidcomm_of(p, at->pid, at->tid);
			char m[16];

			snprintf(m, sizeof(m), "%s", mine ? mine : "");
			if (!find(p, (int32_t)c.ret, 0))
				set(p, (int32_t)c.ret, m, strlen(m));
			if (p->cloner == at->tid)
				p->cloner = 0;
		}
		return;
	}
}

void limen_pidcomm_after(struct limen_pidcomm *p, enum limen_call_what what,
			 const struct limen_at *at,
			 const struct limen_callev *ce)
{
	struct limen_call c;
	const char *n;
	struct slot *s;

	if (what != LIMEN_CALL_END)
		return;
	limen_callev_fill(&c, ce);
	n = name_of(&c);
	/* a reaped child is gone once its wait4 line is told: strace named
	   the argument at the call's entry, and finds no /proc/PID/comm for
	   the result (decode.c names no wait4 result) */
	if (c.has_ret && c.ret > 0 && !strcmp(n, "wait4") &&
	    (s = find(p, (int32_t)c.ret, 0)))
		s->id = -1;
	if (!ce->ent)
		return;
	if ((!strcmp(n, "execve") || !strcmp(n, "execveat")) &&
	    (!c.has_ret || c.ret == 0)) {
		const struct limen_blob *b = &c.cap_in[n[6] ? 1 : 0];

		if (!(b->flags & LIMEN_BLOB_PRESENT))
			return;
		/* the thread that execs becomes its process's only one */
		set_exec(p, at->tid, (const char *)b->data, b->len);
		if (at->pid != at->tid)
			set_exec(p, at->pid, (const char *)b->data, b->len);
		return;
	}
	if (!strcmp(n, "prctl") && c.args[0] == PR_SET_NAME_ && c.has_ret &&
	    c.ret == 0 && (c.cap_in[1].flags & LIMEN_BLOB_PRESENT))
		set(p, at->tid, (const char *)c.cap_in[1].data,
		    strnlen((const char *)c.cap_in[1].data, c.cap_in[1].len));
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
	.loss = ps_loss,
	.note = ps_note,
	.ranges = ps_ranges,
	.uevent = ps_uevent,
	.flush = ps_flush,
	.finish = ps_finish,
	.stack = ps_stack,
};

struct limen_sink *limen_pids_sink(struct limen_sink *in,
				   const struct limen_opts *o)
{
	struct pids_sink *w = calloc(1, sizeof(*w));

	if (!w)
		abort();
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
			if (!strcmp(se->name, naming[i]) &&
			    !(o->trace_mask[nr / 8] >> (nr % 8) & 1)) {
				o->trace_mask[nr / 8] |= (uint8_t)(1u << (nr % 8));
				o->pids_added[nr / 8] |= (uint8_t)(1u << (nr % 8));
			}
	}
}
