/* SPDX-License-Identifier: MIT */
/*
 * The JSON sink (limen trace --json FILE): one JSON object per line and
 * per event, for scripts; docs/json-schema.md describes every field. The
 * arguments are the strings the text sink prints, from the same decoders.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "collector/collector.h"
#include "decode/oom.h"

struct json {
	struct limen_sink sink;
	FILE *out;
	const struct limen_opts *o;
	struct limen_dopts dopts;
	struct limen_sb sb;
};

void limen_json_str(FILE *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";

	putc('"', out);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\') {
			putc('\\', out);
			putc(c, out);
		} else if (c < 0x20 || c >= 0x7f) {
			fputs("\\u00", out);
			putc(hex[c >> 4], out);
			putc(hex[c & 15], out);
		} else {
			putc(c, out);
		}
	}
	putc('"', out);
}

static void head(struct json *j, const char *type, const struct limen_at *at,
		 uint64_t tsc)
{
	fprintf(j->out, "{\"type\":\"%s\",\"ts_ns\":%llu,\"tid\":%d,\"pid\":%d",
		type, (unsigned long long)limen_clock_ns(tsc), (int)at->tid,
		(int)at->pid);
}

static void json_call(struct limen_sink *k, enum limen_call_what what,
		      const struct limen_at *at, const struct limen_callev *ce)
{
	struct json *j = (struct json *)k;
	struct limen_call c;
	char nb[32];
	const char *name;
	unsigned n;

	/* a call is one event, when it ends (or its thread ends in it) */
	if (what == LIMEN_CALL_SUSPEND)
		return;
	limen_callev_fill(&c, ce);
	head(j, "call", at, ce->ent ? ce->ent->tsc : ce->ex ? ce->ex->tsc
							    : at->tsc);
	fprintf(j->out, ",\"nr\":%lu,\"name\":", c.nr);
	name = limen_syscall_name(c.nr, nb);
	limen_json_str(j->out, name, strlen(name));
	fputs(",\"args\":[", j->out);
	n = limen_decode_nargs(&c);
	for (unsigned i = 0; i < n; i++) {
		limen_sb_reset(&j->sb);
		/* without its entry its in-arguments are not known */
		if (!ce->ent && !limen_decode_arg_is_out(&c, i))
			limen_sb_puts(&j->sb, "?");
		else
			limen_decode_arg(&j->sb, &c, i, &j->dopts);
		if (i)
			putc(',', j->out);
		limen_json_str(j->out, j->sb.p, j->sb.len);
	}
	putc(']', j->out);
	if (ce->ex) {
		fprintf(j->out, ",\"ret\":%lld", (long long)c.ret);
		if (c.ret < 0 && c.ret > -4096) {
			const char *e = limen_errname((int)-c.ret);

			fputs(",\"errno\":", j->out);
			if (e)
				limen_json_str(j->out, e, strlen(e));
			else
				fprintf(j->out, "%d", (int)-c.ret);
		}
		limen_sb_reset(&j->sb);
		limen_decode_ret(&j->sb, &c, &j->dopts);
		/* " = 3": the same text as the trace, without " = " */
		fputs(",\"ret_text\":", j->out);
		limen_json_str(j->out, j->sb.p + 3,
			       j->sb.len > 3 ? j->sb.len - 3 : 0);
	} else {
		fputs(",\"ret\":null", j->out);
	}
	/* -e inject= tampered with it, as the trace's (INJECTED) */
	if (ce->ex && (ce->ex->flags & LIMEN_RECF_INJECTED))
		fputs(",\"injected\":true", j->out);
	if (ce->ex && (ce->ex->flags & LIMEN_RECF_DELAYED))
		fputs(",\"delayed\":true", j->out);
	if (ce->ent && ce->ex)
		fprintf(j->out, ",\"dur_ns\":%llu",
			(unsigned long long)limen_callev_ns(ce));
	fprintf(j->out, ",\"end\":\"%s\"}\n",
		what == LIMEN_CALL_GONE ? "gone" :
		!ce->ex ? "no_return" : !ce->ent ? "no_entry" : "returned");
}

static void json_signal(struct limen_sink *k, const struct limen_at *at,
			const struct limen_rec_sig *s)
{
	struct json *j = (struct json *)k;
	char nb[16];
	const char *name;

	head(j, "signal", at, at->tsc);
	name = limen_signame((int)s->sig, nb);
	fputs(",\"signal\":", j->out);
	limen_json_str(j->out, name, strlen(name));
	limen_sb_reset(&j->sb);
	limen_decode_siginfo(&j->sb, s->siginfo);
	fputs(",\"siginfo\":", j->out);
	limen_json_str(j->out, j->sb.p, j->sb.len);
	fputs("}\n", j->out);
}

static void json_end(struct limen_sink *k, const struct limen_at *at,
		     int status)
{
	struct json *j = (struct json *)k;
	char nb[16];
	const char *name;

	if (WIFSIGNALED(status)) {
		head(j, "killed", at, at->tsc);
		name = limen_signame(WTERMSIG(status), nb);
		fputs(",\"signal\":", j->out);
		limen_json_str(j->out, name, strlen(name));
		fprintf(j->out, ",\"core_dumped\":%s}\n",
			WCOREDUMP(status) ? "true" : "false");
	} else {
		head(j, "exit", at, at->tsc);
		fprintf(j->out, ",\"code\":%d}\n", WEXITSTATUS(status));
	}
}

static void json_loss(struct limen_sink *k, const struct limen_at *at,
		      uint64_t count)
{
	struct json *j = (struct json *)k;

	head(j, "lost", at, at->tsc);
	fprintf(j->out, ",\"count\":%llu}\n", (unsigned long long)count);
}

static void json_note(struct limen_sink *k, enum limen_tell_kind kind,
		      const struct limen_at *at, int32_t pid, const char *text)
{
	struct json *j = (struct json *)k;
	static const char *const kinds[] = {
		[LIMEN_TELL_RECORD] = "ring",
		[LIMEN_TELL_UNTRACED] = "untraced",
		[LIMEN_TELL_TOOL] = "limen",
	};

	head(j, "note", at, at->tsc);
	fprintf(j->out, ",\"kind\":\"%s\"", kinds[kind]);
	if (kind == LIMEN_TELL_UNTRACED)
		fprintf(j->out, ",\"untraced_pid\":%d", (int)pid);
	fputs(",\"text\":", j->out);
	limen_json_str(j->out, text, strlen(text));
	fputs("}\n", j->out);
}

static int json_flush(struct limen_sink *k)
{
	return fflush(((struct json *)k)->out);
}

static int json_finish(struct limen_sink *k)
{
	struct json *j = (struct json *)k;
	int r = fflush(j->out) || ferror(j->out) ? -1 : 0;

	limen_sb_free(&j->sb);
	free(j);
	return r;
}

/* a user event: its line as the text sink prints it */
static void json_uevent(struct limen_sink *k, const struct limen_at *at,
			const char *text)
{
	struct json *j = (struct json *)k;

	head(j, "uevent", at, at->tsc);
	fputs(",\"text\":", j->out);
	limen_json_str(j->out, text, strlen(text));
	fputs("}\n", j->out);
}

static const struct limen_sink_ops json_ops = {
	.call = json_call,
	.signal = json_signal,
	.end = json_end,
	.loss = json_loss,
	.note = json_note,
	.uevent = json_uevent,
	.flush = json_flush,
	.finish = json_finish,
};

struct limen_sink *limen_json_sink(FILE *out, const struct limen_opts *o)
{
	struct json *j = calloc(1, sizeof(*j));

	if (!j)
		limen_out_of_memory();
	j->sink.ops = &json_ops;
	j->out = out;
	j->o = o;
	j->dopts.strsize = o->strsize;
	j->dopts.verbose = o->verbose;
	j->dopts.abbrev = o->abbrev_set ? o->abbrev_mask : NULL;
	j->dopts.deref = o->deref_set ? o->deref_mask : NULL;
	return &j->sink;
}
