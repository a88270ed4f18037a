/* SPDX-License-Identifier: MIT */
/*
 * The summary sink: -c / -C's table, strace's: most time first unless -S
 * says otherwise, strace's columns unless -U says which. A call's time is
 * measured in-process from entry to exit: wall-clock time, as strace -w
 * measures it (without -w strace shows the kernel's system time, which
 * an in-process tracer cannot read per call); -O takes a fixed overhead
 * off each call, as strace does.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include "collector/collector.h"
#include "decode/oom.h"

struct summary {
	struct limen_sink sink;
	FILE *out;
	const struct limen_opts *o;
	int notes;              /* print the collector's notes (-c) */
	struct count {          /* per syscall number; the last: unknown */
		uint64_t calls, errors, ns, min, max;
	} counts[LIMEN_NSYSENT + 1];
	uint64_t lost;          /* events lost, all threads */
	uint64_t untraced;      /* processes limen stepped aside for */
	uint64_t corrupt;       /* rings the program wrote over */
	int32_t corrupt_tid;    /* the last one's thread */
	struct count all;       /* the total row, once the table is made */
};

static void sum_call(struct limen_sink *k, enum limen_call_what what,
		     const struct limen_at *at, const struct limen_callev *ce)
{
	struct summary *s = (struct summary *)k;
	const struct limen_rec_sys *r;
	struct count *c;
	uint64_t ns;

	/* a call counts once it ended; one its thread's end cut short
	   does not */
	if (what != LIMEN_CALL_END)
		return;
	/* a signal came first and the call was not made: it is counted
	   when the program makes it, after the handler (strace never sees
	   it twice) */
	if (ce->ex && (ce->ex->flags & LIMEN_RECF_UNMADE))
		return;
	r = (const void *)(ce->ent ? ce->ent->rec : ce->ex->rec);
	/* exit and exit_group never return: strace counts a call when it
	   returns, so they are in its trace and not in its table */
	if (!ce->ex && (r->nr == SYS_exit || r->nr == SYS_exit_group))
		return;
	c = &s->counts[r->nr < LIMEN_NSYSENT ? r->nr : LIMEN_NSYSENT];
	c->calls++;
	if (ce->ex) {
		int64_t ret = ((const struct limen_rec_sys *)ce->ex->rec)->ret;

		if (ret < 0 && ret > -4096)
			c->errors++;
	}
	ns = limen_callev_ns(ce);
	ns = ns > s->o->overhead_ns ? ns - s->o->overhead_ns : 0;
	c->ns += ns;
	if (c->calls == 1 || ns < c->min)
		c->min = ns;
	if (ns > c->max)
		c->max = ns;
}

static void sum_loss(struct limen_sink *k, const struct limen_at *at,
		     uint64_t count)
{
	struct summary *s = (struct summary *)k;

	/* counts the collector believed, summed without wrapping */
	s->lost = s->lost + count < s->lost ? UINT64_MAX : s->lost + count;
}

static void sum_note(struct limen_sink *k, enum limen_tell_kind kind,
		     const struct limen_at *at, int32_t pid, const char *text)
{
	struct summary *s = (struct summary *)k;

	if (kind == LIMEN_TELL_UNTRACED)
		s->untraced++;
	else if (kind == LIMEN_TELL_RECORD &&
		 strstr(text, " was corrupted") && /* session.c's, collector.c's */
		 (!s->corrupt || at->tid != s->corrupt_tid)) {
		s->corrupt++;
		s->corrupt_tid = at->tid;
	}
	else if (kind == LIMEN_TELL_TOOL && s->notes)
		fprintf(s->out, "%s\n", text);
}

static int sum_flush(struct limen_sink *k)
{
	return fflush(((struct summary *)k)->out);
}

/* -S: the order of the rows (ties in system call number order) */
static int by_key(const void *a, const void *b, void *ctx)
{
	const struct summary *s = ctx;
	const struct count *c = s->counts;
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
	const struct count *p = &c[x], *q = &c[y];
	char nx[32], ny[32];
	int r = 0;

#define DESC(u, v) ((u) != (v) ? ((u) < (v) ? 1 : -1) : 0)
	switch (s->o->sort_by) {
	case LIMEN_SORT_TIME:
		r = DESC(p->ns, q->ns);
		break;
	case LIMEN_SORT_MIN:
		r = DESC(p->min, q->min);
		break;
	case LIMEN_SORT_MAX:
		r = DESC(p->max, q->max);
		break;
	case LIMEN_SORT_AVG:
		r = DESC(p->ns / p->calls, q->ns / q->calls);
		break;
	case LIMEN_SORT_CALLS:
		r = DESC(p->calls, q->calls);
		break;
	case LIMEN_SORT_ERRORS:
		r = DESC(p->errors, q->errors);
		break;
	case LIMEN_SORT_NAME:
		r = strcmp(x < LIMEN_NSYSENT ? limen_syscall_name(x, nx) : "",
			   y < LIMEN_NSYSENT ? limen_syscall_name(y, ny) : "");
		break;
	}
#undef DESC
	return r ? r : x < y ? -1 : x > y;
}

/* One cell of a row: its column's width as strace prints it; the name
   is padded only when a column follows it. */
static void cell(struct summary *t, int col, int last, const struct count *c,
		 const char *name)
{
	FILE *f = t->out;

	switch (col) {
	case LIMEN_COL_PCT:
		/* the total row is 100% whatever its time (all 0 with -O) */
		fprintf(f, "%6.2f", c == &t->all || !t->all.ns ?
			(c == &t->all ? 100.0 : 0.0) :
			100.0 * (double)c->ns / (double)t->all.ns);
		break;
	case LIMEN_COL_TOTAL:
		fprintf(f, "%11.6f", (double)c->ns / 1e9);
		break;
	case LIMEN_COL_MIN:
		fprintf(f, "%8.6f", (double)c->min / 1e9);
		break;
	case LIMEN_COL_MAX:
		fprintf(f, "%8.6f", (double)c->max / 1e9);
		break;
	case LIMEN_COL_AVG:
		fprintf(f, "%11llu", (unsigned long long)(c->calls ?
				c->ns / 1000 / c->calls : 0));
		break;
	case LIMEN_COL_CALLS:
		fprintf(f, "%9llu", (unsigned long long)c->calls);
		break;
	case LIMEN_COL_ERRORS:
		if (c->errors)
			fprintf(f, "%9llu", (unsigned long long)c->errors);
		else
			fprintf(f, "%9s", "");
		break;
	case LIMEN_COL_NAME:
		fprintf(f, last ? "%s" : "%-16s", name);
		break;
	}
}

static const struct {
	const char *head, *dashes;
	int width;
} heads[] = {
	[LIMEN_COL_PCT] = { "% time", "------", 6 },
	[LIMEN_COL_TOTAL] = { "seconds", "-----------", 11 },
	[LIMEN_COL_MIN] = { "shortest", "--------", 8 },
	[LIMEN_COL_MAX] = { "longest", "--------", 8 },
	[LIMEN_COL_AVG] = { "usecs/call", "-----------", 11 },
	[LIMEN_COL_CALLS] = { "calls", "---------", 9 },
	[LIMEN_COL_ERRORS] = { "errors", "---------", 9 },
	[LIMEN_COL_NAME] = { "syscall", "----------------", 16 },
};

/* the header (dashes: 0) or a separator line (1) */
static void rule(struct summary *t, const uint8_t *cols, int n, int dashes)
{
	for (int i = 0; i < n; i++) {
		int c = cols[i], last = i == n - 1;

		if (i)
			fputc(' ', t->out);
		if (dashes)
			fputs(heads[c].dashes, t->out);
		else if (c == LIMEN_COL_NAME)
			fprintf(t->out, last ? "%s" : "%-16s", heads[c].head);
		else
			fprintf(t->out, "%*s", heads[c].width, heads[c].head);
	}
	fputc('\n', t->out);
}

static void row(struct summary *t, const uint8_t *cols, int n,
		const struct count *c, const char *name)
{
	for (int i = 0; i < n; i++) {
		if (i)
			fputc(' ', t->out);
		cell(t, cols[i], i == n - 1, c, name);
	}
	fputc('\n', t->out);
}

static void table(struct summary *t)
{
	static const uint8_t dflt[] = { LIMEN_COL_PCT, LIMEN_COL_TOTAL,
					LIMEN_COL_AVG, LIMEN_COL_CALLS,
					LIMEN_COL_ERRORS, LIMEN_COL_NAME };
	const uint8_t *cols = t->o->ncols ? t->o->cols : dflt;
	int ncols = t->o->ncols ? t->o->ncols : (int)sizeof(dflt);
	unsigned idx[LIMEN_NSYSENT + 1], n = 0;
	struct count *all = &t->all;

	for (unsigned i = 0; i <= LIMEN_NSYSENT; i++) {
		const struct count *c = &t->counts[i];

		if (!c->calls)
			continue;
		idx[n++] = i;
		if (!all->calls || c->min < all->min)
			all->min = c->min;
		if (c->max > all->max)
			all->max = c->max;
		all->calls += c->calls;
		all->errors += c->errors;
		all->ns += c->ns;
	}
	if (t->o->sort_by != LIMEN_SORT_NOTHING)
		qsort_r(idx, n, sizeof(idx[0]), by_key, t);
	rule(t, cols, ncols, 0);
	rule(t, cols, ncols, 1);
	for (unsigned k = 0; k < n; k++) {
		char nb[32];

		row(t, cols, ncols, &t->counts[idx[k]],
		    idx[k] < LIMEN_NSYSENT ? limen_syscall_name(idx[k], nb) :
		    "(unknown)");
	}
	rule(t, cols, ncols, 1);
	row(t, cols, ncols, all, "total");
	if (t->lost)
		fprintf(t->out, "+++ limen: %llu events lost: the counts above "
				"miss them +++\n", (unsigned long long)t->lost);
	if (t->corrupt && t->o->summary == 1)
		fprintf(t->out, "+++ limen: %llu ring%s corrupted by the "
				"program: the counts above may miss or misread "
				"%s events +++\n",
			(unsigned long long)t->corrupt,
			t->corrupt == 1 ? "" : "s",
			t->corrupt == 1 ? "its" : "their");
	/* -C showed each note in the trace; -c shows no lines */
	if (t->untraced && t->o->summary == 1)
		fprintf(t->out, "+++ limen: %llu process%s not traced: the "
				"counts above miss %s (the trace without -c "
				"says which and why) +++\n",
			(unsigned long long)t->untraced,
			t->untraced == 1 ? "" : "es",
			t->untraced == 1 ? "it" : "them");
}

static int sum_finish(struct limen_sink *k)
{
	struct summary *s = (struct summary *)k;
	int r;

	table(s);
	r = fflush(s->out) || ferror(s->out) ? -1 : 0;
	free(s);
	return r;
}

static const struct limen_sink_ops summary_ops = {
	.call = sum_call,
	.loss = sum_loss,
	.note = sum_note,
	.flush = sum_flush,
	.finish = sum_finish,
};

struct limen_sink *limen_summary_sink(FILE *out, const struct limen_opts *o,
				      int notes)
{
	struct summary *s = calloc(1, sizeof(*s));

	if (!s)
		limen_out_of_memory();
	s->sink.ops = &summary_ops;
	s->out = out;
	s->o = o;
	s->notes = notes;
	return &s->sink;
}
