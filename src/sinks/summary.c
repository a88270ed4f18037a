/* SPDX-License-Identifier: MIT */
/* The summary sink: -c / -C's table, strace's, most time first. */
#include <stdlib.h>
#include <string.h>

#include "collector/collector.h"

struct summary {
	struct limen_sink sink;
	FILE *out;
	const struct limen_opts *o;
	int notes;              /* print the collector's notes (-c) */
	struct count {          /* per syscall number; the last: unknown */
		uint64_t calls, errors, ns;
	} counts[LIMEN_NSYSENT + 1];
	uint64_t lost;          /* events lost, all threads */
	uint64_t untraced;      /* processes limen stepped aside for */
};

static void sum_call(struct limen_sink *k, enum limen_call_what what,
		     const struct limen_at *at, const struct limen_callev *ce)
{
	struct summary *s = (struct summary *)k;
	const struct limen_rec_sys *r;
	struct count *c;

	/* a call counts once it ended; one its thread's end cut short
	   does not */
	if (what != LIMEN_CALL_END)
		return;
	r = (const void *)(ce->ent ? ce->ent->rec : ce->ex->rec);
	c = &s->counts[r->nr < LIMEN_NSYSENT ? r->nr : LIMEN_NSYSENT];
	c->calls++;
	if (ce->ex) {
		int64_t ret = ((const struct limen_rec_sys *)ce->ex->rec)->ret;

		if (ret < 0 && ret > -4096)
			c->errors++;
	}
	c->ns += limen_callev_ns(ce);
}

static void sum_signal(struct limen_sink *k, const struct limen_at *at,
		       const struct limen_rec_sig *sig)
{
}

static void sum_end(struct limen_sink *k, const struct limen_at *at,
		    int status)
{
}

static void sum_loss(struct limen_sink *k, const struct limen_at *at,
		     uint64_t count)
{
	((struct summary *)k)->lost += count;
}

static void sum_note(struct limen_sink *k, enum limen_tell_kind kind,
		     const struct limen_at *at, int32_t pid, const char *text)
{
	struct summary *s = (struct summary *)k;

	if (kind == LIMEN_TELL_UNTRACED)
		s->untraced++;
	else if (kind == LIMEN_TELL_TOOL && s->notes)
		fprintf(s->out, "%s\n", text);
}

static int sum_flush(struct limen_sink *k)
{
	return fflush(((struct summary *)k)->out);
}

static int by_time(const void *a, const void *b, void *ctx)
{
	const struct count *c = ctx;
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;

	if (c[x].ns != c[y].ns)
		return c[x].ns < c[y].ns ? 1 : -1;
	if (c[x].calls != c[y].calls)
		return c[x].calls < c[y].calls ? 1 : -1;
	return x < y ? -1 : x > y;
}

static void table(struct summary *t)
{
	static const char sep[] = "------ ----------- ----------- --------- "
				  "--------- ----------------\n";
	unsigned idx[LIMEN_NSYSENT + 1], n = 0;
	uint64_t calls = 0, errors = 0, ns = 0;

	for (unsigned i = 0; i <= LIMEN_NSYSENT; i++) {
		if (!t->counts[i].calls)
			continue;
		idx[n++] = i;
		calls += t->counts[i].calls;
		errors += t->counts[i].errors;
		ns += t->counts[i].ns;
	}
	qsort_r(idx, n, sizeof(idx[0]), by_time, t->counts);
	fprintf(t->out, "%% time     seconds  usecs/call     calls    errors "
			"syscall\n%s", sep);
	for (unsigned k = 0; k < n; k++) {
		const struct count *c = &t->counts[idx[k]];
		char nb[32];

		fprintf(t->out, "%6.2f %11.6f %11llu %9llu ",
			ns ? 100.0 * (double)c->ns / (double)ns : 0.0,
			(double)c->ns / 1e9,
			(unsigned long long)(c->ns / 1000 / c->calls),
			(unsigned long long)c->calls);
		if (c->errors)
			fprintf(t->out, "%9llu ", (unsigned long long)c->errors);
		else
			fprintf(t->out, "%9s ", "");
		fprintf(t->out, "%s\n", idx[k] < LIMEN_NSYSENT ?
			limen_syscall_name(idx[k], nb) : "(unknown)");
	}
	fprintf(t->out, "%s%6.2f %11.6f %11llu %9llu ", sep, 100.0,
		(double)ns / 1e9,
		(unsigned long long)(calls ? ns / 1000 / calls : 0),
		(unsigned long long)calls);
	if (errors)
		fprintf(t->out, "%9llu ", (unsigned long long)errors);
	else
		fprintf(t->out, "%9s ", "");
	fprintf(t->out, "total\n");
	if (t->lost)
		fprintf(t->out, "+++ limen: %llu events lost: the counts above "
				"miss them +++\n", (unsigned long long)t->lost);
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
	.signal = sum_signal,
	.end = sum_end,
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
		abort();
	s->sink.ops = &summary_ops;
	s->out = out;
	s->o = o;
	s->notes = notes;
	return &s->sink;
}
