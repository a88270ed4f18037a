/* SPDX-License-Identifier: MIT */
/*
 * The Perfetto sink (limen trace --perfetto FILE): Chrome's trace-event
 * JSON, which ui.perfetto.dev and chrome://tracing open. One track per
 * thread (pid, tid), each call a complete slice ("ph":"X") from its entry
 * to its exit, ts (since the epoch) and dur in microseconds; signals,
 * ends, losses and notes are instant events ("ph":"i") on their thread.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "collector/collector.h"
#include "decode/oom.h"

struct perfetto {
	struct limen_sink sink;
	FILE *out;
	const struct limen_opts *o;
	struct limen_sb sb;
	int any;                /* an event was written: the next needs a , */
};

static double us(struct perfetto *p, uint64_t tsc)
{
	/* since the epoch: a report replays a recording's clock */
	return (double)limen_clock_ns(tsc) / 1000.0;
}

static void open_ev(struct perfetto *p, const char *name, const char *ph,
		    const struct limen_at *at, double ts)
{
	fputs(p->any ? ",\n{" : "\n{", p->out);
	p->any = 1;
	fputs("\"name\":", p->out);
	limen_json_str(p->out, name, strlen(name));
	fprintf(p->out, ",\"cat\":\"%s\",\"ph\":\"%s\",\"ts\":%.3f,"
			"\"pid\":%d,\"tid\":%d",
		ph[0] == 'X' ? "syscall" : "limen", ph, ts, (int)at->pid,
		(int)at->tid);
	if (ph[0] == 'i')
		fputs(",\"s\":\"t\"", p->out);
}

static void pf_call(struct limen_sink *k, enum limen_call_what what,
		    const struct limen_at *at, const struct limen_callev *ce)
{
	struct perfetto *p = (struct perfetto *)k;
	struct limen_call c;
	char nb[32];
	const char *name;
	double ts, end;

	if (what == LIMEN_CALL_SUSPEND)
		return;
	limen_callev_fill(&c, ce);
	name = limen_syscall_name(c.nr, nb);
	if (!ce->ent) {
		/* its beginning was not seen: a mark where it ended */
		open_ev(p, name, "i", at, us(p, ce->ex ? ce->ex->tsc : at->tsc));
		fputs("}", p->out);
		return;
	}
	ts = us(p, ce->ent->tsc);
	end = us(p, ce->ex ? ce->ex->tsc : at->tsc);
	open_ev(p, name, "X", at, ts);
	fprintf(p->out, ",\"dur\":%.3f,\"args\":{", end > ts ? end - ts : 0.0);
	if (ce->ex) {
		limen_sb_reset(&p->sb);
		limen_decode_ret(&p->sb, &c, NULL);
		fputs("\"ret\":", p->out);
		limen_json_str(p->out, p->sb.p + 3,
			       p->sb.len > 3 ? p->sb.len - 3 : 0);
	} else {
		fprintf(p->out, "\"ret\":\"%s\"",
			what == LIMEN_CALL_GONE ? "? (thread ended)"
						: "? (no return)");
	}
	fputs("}}", p->out);
}

static void pf_signal(struct limen_sink *k, const struct limen_at *at,
		      const struct limen_rec_sig *s)
{
	struct perfetto *p = (struct perfetto *)k;
	char nb[16];

	open_ev(p, limen_signame((int)s->sig, nb), "i", at, us(p, at->tsc));
	fputs("}", p->out);
}

static void pf_end(struct limen_sink *k, const struct limen_at *at,
		   int status)
{
	struct perfetto *p = (struct perfetto *)k;
	char line[64], nb[16];

	if (WIFSIGNALED(status))
		snprintf(line, sizeof(line), "killed by %s",
			 limen_signame(WTERMSIG(status), nb));
	else
		snprintf(line, sizeof(line), "exited with %d",
			 WEXITSTATUS(status));
	open_ev(p, line, "i", at, us(p, at->tsc));
	fputs("}", p->out);
}

static void pf_loss(struct limen_sink *k, const struct limen_at *at,
		    uint64_t count)
{
	struct perfetto *p = (struct perfetto *)k;
	char line[64];

	snprintf(line, sizeof(line), "%llu events lost",
		 (unsigned long long)count);
	open_ev(p, line, "i", at, us(p, at->tsc));
	fputs("}", p->out);
}

static void pf_note(struct limen_sink *k, enum limen_tell_kind kind,
		    const struct limen_at *at, int32_t pid, const char *text)
{
	struct perfetto *p = (struct perfetto *)k;

	/* the collector's own notes belong to no thread */
	if (kind == LIMEN_TELL_TOOL)
		return;
	open_ev(p, text, "i", at, us(p, at->tsc));
	fputs("}", p->out);
}

/* a user event: an instant on its thread, named by its line */
static void pf_uevent(struct limen_sink *k, const struct limen_at *at,
		      const char *text)
{
	struct perfetto *p = (struct perfetto *)k;

	open_ev(p, text, "i", at, us(p, at->tsc));
	fputs("}", p->out);
}

static int pf_flush(struct limen_sink *k)
{
	return fflush(((struct perfetto *)k)->out);
}

static int pf_finish(struct limen_sink *k)
{
	struct perfetto *p = (struct perfetto *)k;
	int r;

	fputs("\n],\"displayTimeUnit\":\"ns\"}\n", p->out);
	r = fflush(p->out) || ferror(p->out) ? -1 : 0;
	limen_sb_free(&p->sb);
	free(p);
	return r;
}

static const struct limen_sink_ops perfetto_ops = {
	.call = pf_call,
	.signal = pf_signal,
	.end = pf_end,
	.loss = pf_loss,
	.note = pf_note,
	.uevent = pf_uevent,
	.flush = pf_flush,
	.finish = pf_finish,
};

struct limen_sink *limen_perfetto_sink(FILE *out, const struct limen_opts *o)
{
	struct perfetto *p = calloc(1, sizeof(*p));

	if (!p)
		limen_out_of_memory();
	p->sink.ops = &perfetto_ops;
	p->out = out;
	p->o = o;
	fputs("{\"traceEvents\":[", out);
	return &p->sink;
}
