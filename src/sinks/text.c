/* SPDX-License-Identifier: MIT */
/*
 * The text sink: strace's line format. A call told ended without having
 * been suspended is printed whole; a call the collector suspends (another
 * line has to come first: another thread, a signal handler nested in the
 * call) is printed as `name(in args <unfinished ...>` and its end later as
 * `<... name resumed>out args) = ret`, as strace -f does.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include "collector/collector.h"

struct text {
	struct limen_sink sink;
	FILE *out;
	const struct limen_opts *o;
	struct limen_dopts dopts;
	struct limen_sb sb;
};

/* "[pid  123] " / "123   " and the -t/-tt/-ttt stamp. */
static void prefix(struct text *t, const struct limen_at *at, uint64_t tsc)
{
	struct limen_sb *sb = &t->sb;

	limen_sb_reset(sb);
	if (t->o->outfile)
		limen_sb_printf(sb, "%-5d ", at->tid);
	else if (at->multi)
		limen_sb_printf(sb, "[pid %5d] ", at->tid);
	if (t->o->timestamps) {
		uint64_t ns = limen_clock_ns(tsc);
		time_t sec = (time_t)(ns / 1000000000u);
		struct tm tm;

		if (t->o->timestamps == 3) {
			limen_sb_printf(sb, "%lld.%06llu ", (long long)sec,
					(unsigned long long)(ns / 1000 %
							     1000000));
		} else {
			localtime_r(&sec, &tm);
			limen_sb_printf(sb, "%02d:%02d:%02d", tm.tm_hour,
					tm.tm_min, tm.tm_sec);
			if (t->o->timestamps == 2)
				limen_sb_printf(sb, ".%06llu",
						(unsigned long long)(ns / 1000 %
								     1000000));
			limen_sb_putc(sb, ' ');
		}
	}
}

static void put_line(struct text *t)
{
	limen_sb_putc(&t->sb, '\n');
	fwrite(t->sb.p, 1, t->sb.len, t->out);
}

static unsigned split_of(const struct limen_call *c)
{
	unsigned n = limen_decode_nargs(c), i;

	for (i = 0; i < n; i++)
		if (limen_decode_arg_is_out(c, i))
			break;
	return i;
}

static void put_args(struct text *t, const struct limen_call *c,
		     unsigned from, unsigned to)
{
	for (unsigned i = from; i < to; i++) {
		if (i > from)
			limen_sb_puts(&t->sb, ", ");
		limen_decode_arg(&t->sb, c, i, &t->dopts);
	}
}

static void put_time(struct text *t, const struct limen_callev *ce)
{
	uint64_t ns;

	if (!t->o->show_time || !ce->ent || !ce->ex)
		return;
	ns = limen_callev_ns(ce);
	limen_sb_printf(&t->sb, " <%llu.%06llu>",
			(unsigned long long)(ns / 1000000000u),
			(unsigned long long)(ns / 1000 % 1000000));
}

static void text_call(struct limen_sink *k, enum limen_call_what what,
		      const struct limen_at *at, const struct limen_callev *ce)
{
	struct text *t = (struct text *)k;
	struct limen_call c;
	char nb[32];
	unsigned split;

	limen_callev_fill(&c, ce);
	switch (what) {
	case LIMEN_CALL_SUSPEND:
		split = split_of(&c);
		prefix(t, at, at->tsc);
		limen_sb_printf(&t->sb, "%s(", limen_syscall_name(c.nr, nb));
		put_args(t, &c, 0, split);
		if (split > 0 && split < limen_decode_nargs(&c))
			limen_sb_puts(&t->sb, ", ");
		limen_sb_puts(&t->sb, " <unfinished ...>");
		break;
	case LIMEN_CALL_GONE:
		/* "<... name resumed>) = ?", with "<unfinished ...>" for the
		   arguments it never filled */
		prefix(t, at, at->tsc);
		limen_sb_printf(&t->sb, "<... %s resumed>",
				limen_syscall_name(c.nr, nb));
		if (split_of(&c) < limen_decode_nargs(&c))
			limen_sb_puts(&t->sb, " <unfinished ...>");
		limen_sb_puts(&t->sb, ") = ?");
		break;
	case LIMEN_CALL_END:
		if (!ce->suspended) {
			prefix(t, at, ce->ent ? ce->ent->tsc : ce->ex->tsc);
			limen_decode_call(&t->sb, &c, &t->dopts);
			put_time(t, ce);
		} else if (!ce->ex) {
			/* an execve known only to have ended */
			prefix(t, at, at->tsc);
			limen_sb_printf(&t->sb, "<... %s resumed>) = ?",
					limen_syscall_name(c.nr, nb));
		} else {
			split = split_of(&c);
			prefix(t, at, ce->ex->tsc);
			limen_sb_printf(&t->sb, "<... %s resumed>",
					limen_syscall_name(c.nr, nb));
			put_args(t, &c, split, limen_decode_nargs(&c));
			limen_sb_putc(&t->sb, ')');
			limen_decode_ret(&t->sb, &c);
			put_time(t, ce);
		}
		break;
	}
	put_line(t);
}

static void text_signal(struct limen_sink *k, const struct limen_at *at,
			const struct limen_rec_sig *s)
{
	struct text *t = (struct text *)k;
	char nb[16];

	prefix(t, at, at->tsc);
	limen_sb_printf(&t->sb, "--- %s ", limen_signame((int)s->sig, nb));
	limen_decode_siginfo(&t->sb, s->siginfo);
	limen_sb_puts(&t->sb, " ---");
	put_line(t);
}

static void text_end(struct limen_sink *k, const struct limen_at *at,
		     int status)
{
	struct text *t = (struct text *)k;
	char nb[16];

	prefix(t, at, at->tsc);
	if (WIFSIGNALED(status))
		limen_sb_printf(&t->sb, "+++ killed by %s%s +++",
				limen_signame(WTERMSIG(status), nb),
				WCOREDUMP(status) ? " (core dumped)" : "");
	else
		limen_sb_printf(&t->sb, "+++ exited with %d +++",
				WEXITSTATUS(status));
	put_line(t);
}

static void text_loss(struct limen_sink *k, const struct limen_at *at,
		      uint64_t count)
{
	struct text *t = (struct text *)k;

	prefix(t, at, at->tsc);
	limen_sb_printf(&t->sb, "+++ limen: %llu event%s lost on thread %d +++",
			(unsigned long long)count, count == 1 ? "" : "s",
			at->tid);
	put_line(t);
}

static void text_note(struct limen_sink *k, enum limen_tell_kind kind,
		      const struct limen_at *at, int32_t pid, const char *text)
{
	struct text *t = (struct text *)k;

	switch (kind) {
	case LIMEN_TELL_TOOL:
		fprintf(t->out, "%s\n", text);
		return;
	case LIMEN_TELL_UNTRACED:
		prefix(t, at, at->tsc);
		limen_sb_printf(&t->sb, "+++ limen: %d not traced: %.*s +++",
				(int)pid, 560, text);
		break;
	case LIMEN_TELL_RECORD:
		prefix(t, at, at->tsc);
		limen_sb_printf(&t->sb, "%.*s", 255, text);
		break;
	}
	put_line(t);
}

static int text_flush(struct limen_sink *k)
{
	struct text *t = (struct text *)k;

	errno = 0;
	return fflush(t->out);
}

static int text_finish(struct limen_sink *k)
{
	struct text *t = (struct text *)k;
	int r = fflush(t->out) || ferror(t->out) ? -1 : 0;

	limen_sb_free(&t->sb);
	free(t);
	return r;
}

static const struct limen_sink_ops text_ops = {
	.call = text_call,
	.signal = text_signal,
	.end = text_end,
	.loss = text_loss,
	.note = text_note,
	.flush = text_flush,
	.finish = text_finish,
};

struct limen_sink *limen_text_sink(FILE *out, const struct limen_opts *o)
{
	struct text *t = calloc(1, sizeof(*t));

	if (!t)
		abort();
	t->sink.ops = &text_ops;
	t->out = out;
	t->o = o;
	t->dopts.strsize = o->strsize;
	t->dopts.verbose = o->verbose;
	return &t->sink;
}
