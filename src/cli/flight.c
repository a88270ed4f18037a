/* SPDX-License-Identifier: MIT */
/*
 * The flight recorder (flight.h): the last SIZE bytes of drained events in
 * memory, written out as a CTF recording when a trigger fires.
 *
 * The window is a byte ring of whole entries (an entry never wraps: the end
 * of the buffer is skipped with a marker), positions counted in 64 bits so
 * that full and empty need no flag. Storing an entry first evicts the
 * oldest ones until it fits; every evicted event is counted, and each
 * snapshot says how many events came before its window.
 *
 * Some records are needed to read any later ones: a thread's START (its
 * process and image), a user event's definition (UEVDEF: without it the
 * events of that name cannot be decoded) and the command's pid. The window
 * would lose them as it turns over, so the latest of each is kept aside
 * too, and written at the head of a snapshot whose window no longer holds
 * it.
 */
#include <errno.h>
#include <regex.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bt/bt.h"
#include "cli/flight.h"
#include "ctf/ctf.h"
#include "decode/decode.h"

#define ALIGN8(n) (((n) + 7) & ~(size_t)7)
#define WRAP_TYPE 0xffffu
/* the records kept aside; a program with more threads than this over its
   life loses the oldest threads' START records from snapshots (counted) */
#define STICKY_MAX 16384

struct fent {
	uint32_t len;            /* the whole entry, header included */
	uint16_t type, flags;
	int32_t tid, pid;
	uint32_t size;
	uint8_t nested;          /* limen_event.nested */
	uint8_t pad[3];
	uint64_t tsc;
};

struct trigger {
	char *spec;
	int signal;              /* a signal trigger: sigs says which */
	uint64_t sigs;           /* bit n: signal n (1..64) */
	uint8_t mask[LIMEN_TRACE_BITS / 8];
	int failed;              /* :failed: the call returned an error */
	int64_t slow_ns;         /* :slow=D: took D or longer; -1: any */
	int has_re;              /* :match=RE on the call's strace line */
	regex_t re;
};

struct limen_flight {
	char *dir;
	uint8_t *buf;
	size_t cap;
	uint64_t head, tail;     /* byte positions: [tail, head) is held */
	uint64_t held;           /* events in the window */
	uint64_t overwritten;    /* events evicted since the start */
	struct limen_event *sticky;
	size_t nsticky;
	uint64_t sticky_dropped;
	struct trigger *trig;
	unsigned ntrig;
	unsigned max, nsnap;
	uint64_t skipped;        /* triggers past max */
	uint64_t after_ns;
	struct limen_ctf *open;  /* a snapshot taking its after-window */
	uint64_t open_until_ns;
	int err;                 /* first write error */
	struct limen_dopts dopts;
	int on_demand;           /* limen bt's snapshot(): no final one */
};

size_t limen_flight_parse_size(const char *v)
{
	char *end;
	unsigned long long n;

	if (!v || *v < '0' || *v > '9')
		return 0;
	errno = 0;
	n = strtoull(v, &end, 10);
	if (errno)
		return 0;
	switch (*end) {
	case 'K': case 'k':
		n <<= 10, end++;
		break;
	case 'M': case 'm':
		n <<= 20, end++;
		break;
	case 'G': case 'g':
		n <<= 30, end++;
		break;
	}
	if (*end || n > (64ull << 30))
		return 0;
	return (size_t)n;
}

int64_t limen_flight_parse_duration(const char *v)
{
	char *end;
	double d;

	if (!v || !*v || *v == '-')
		return -1;
	errno = 0;
	d = strtod(v, &end);
	if (errno || end == v || d < 0 || d > 1e6)
		return -1;
	if (!strcmp(end, "ns"))
		return (int64_t)d;
	if (!strcmp(end, "us"))
		return (int64_t)(d * 1e3);
	if (!*end || !strcmp(end, "ms"))
		return (int64_t)(d * 1e6);
	if (!strcmp(end, "s"))
		return (int64_t)(d * 1e9);
	return -1;
}

struct limen_flight *limen_flight_new(const char *dir, size_t bytes,
				      uint64_t after_ns, unsigned max)
{
	struct limen_flight *f = calloc(1, sizeof(*f));

	if (!f)
		return NULL;
	f->cap = bytes & ~(size_t)7;
	f->buf = malloc(f->cap);
	f->dir = strdup(dir);
	if (!f->buf || !f->dir) {
		free(f->buf);
		free(f->dir);
		free(f);
		return NULL;
	}
	f->after_ns = after_ns;
	f->max = max;
	f->dopts.strsize = 32;
	return f;
}

/* signal=SIG[,SIG...]: names with or without SIG, numbers, all */
static void parse_sigs(struct trigger *t, const char *list)
{
	char *copy = strdup(list), *tok, *save;

	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		int n = 0;
		char *end;

		if (!strcmp(tok, "all")) {
			t->sigs = ~0ull;
			continue;
		}
		n = (int)strtol(tok, &end, 10);
		if (*end || end == tok) {
			char nb[16];
			const char *name = tok;

			if (!strncmp(name, "SIG", 3))
				name += 3;
			for (n = 1; n <= 64; n++)
				if (!strcmp(limen_signame(n, nb) + 3, name))
					break;
		}
		if (n < 1 || n > 64)
			limen_die(1, "--trigger: invalid signal '%s'", tok);
		t->sigs |= 1ull << (n - 1);
	}
	free(copy);
}

void limen_flight_trigger(struct limen_flight *f, const char *spec,
			  const struct limen_opts *o,
			  void (*trace_set)(struct limen_opts *, const char *))
{
	struct trigger *t;
	char *copy, *p, *next;

	t = realloc(f->trig, (f->ntrig + 1) * sizeof(*t));
	if (!t)
		limen_die(1, "out of memory");
	f->trig = t;
	t = &f->trig[f->ntrig];
	memset(t, 0, sizeof(*t));
	t->spec = strdup(spec);
	t->slow_ns = -1;
	if (!strncmp(spec, "signal=", 7)) {
		t->signal = 1;
		parse_sigs(t, spec + 7);
		f->ntrig++;
		return;
	}
	copy = strdup(spec);
	next = strchr(copy, ':');
	if (next)
		*next++ = '\0';
	{
		/* the call set, as -e trace= takes it */
		struct limen_opts tmp = *o;

		trace_set(&tmp, *copy ? copy : "all");
		memcpy(t->mask, tmp.trace_mask, sizeof(t->mask));
	}
	for (p = next; p; p = next) {
		next = NULL;
		if (!strncmp(p, "match=", 6)) {
			/* the rest of the spec: a regex may hold ':' */
			int rc = regcomp(&t->re, p + 6, REG_EXTENDED |
					 REG_NOSUB);

			if (rc) {
				char msg[128];

				regerror(rc, &t->re, msg, sizeof(msg));
				limen_die(1, "--trigger %s: invalid regular "
				     "expression: %s", spec, msg);
			}
			t->has_re = 1;
			break;
		}
		next = strchr(p, ':');
		if (next)
			*next++ = '\0';
		if (!strcmp(p, "failed")) {
			t->failed = 1;
		} else if (!strncmp(p, "slow=", 5)) {
			t->slow_ns = limen_flight_parse_duration(p + 5);
			if (t->slow_ns < 0)
				limen_die(1, "--trigger %s: invalid duration '%s' "
				     "(a number with ns, us, ms or s)", spec,
				     p + 5);
		} else {
			limen_die(1, "--trigger %s: unknown condition '%s' (failed, "
			     "slow=DURATION, match=REGEX)", spec, p);
		}
	}
	free(copy);
	f->ntrig++;
}

unsigned limen_flight_ntriggers(const struct limen_flight *f)
{
	return f->ntrig;
}

static int write_ev(struct limen_flight *f, struct limen_ctf *w,
		    const struct limen_event *e)
{
	int r = limen_ctf_write(w, e);

	if (r < 0 && !f->err)
		f->err = -r;
	return r;
}

static void close_open(struct limen_flight *f)
{
	struct limen_ctf_clock ck;
	int r;

	if (!f->open)
		return;
	limen_clock_params(&ck.tsc0, &ck.ns0, &ck.tsc1, &ck.ns1);
	limen_ctf_set_clock(f->open, &ck);
	r = limen_ctf_close(f->open);
	if (r < 0 && !f->err)
		f->err = -r;
	f->open = NULL;
}

/* A line of the collector's own in the snapshot (limen report prints it) */
static void line(struct limen_flight *f, struct limen_ctf *w, uint64_t tsc,
		 const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void line(struct limen_flight *f, struct limen_ctf *w, uint64_t tsc,
		 const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	struct limen_event e = { .type = LIMEN_EV_LINE, .tsc = tsc };

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	e.rec = (uint8_t *)buf;
	e.size = (uint32_t)strlen(buf) + 1;
	write_ev(f, w, &e);
}

/* The records kept aside: the latest START of each thread, every UEVDEF,
   the command's pid. */
static int is_sticky(const struct limen_event *e)
{
	return e->type == LIMEN_REC_START || e->type == LIMEN_REC_UEVDEF ||
	       e->type == LIMEN_EV_COMMAND;
}

static void keep_sticky(struct limen_flight *f, const struct limen_event *e)
{
	struct limen_event *k = NULL;
	uint8_t *copy;

	if (e->type == LIMEN_REC_START)
		for (size_t i = 0; i < f->nsticky; i++)
			if (f->sticky[i].type == LIMEN_REC_START &&
			    f->sticky[i].tid == e->tid) {
				k = &f->sticky[i];
				break;
			}
	if (!k) {
		if (f->nsticky == STICKY_MAX) {
			/* the oldest goes */
			free(f->sticky[0].rec);
			memmove(f->sticky, f->sticky + 1,
				(f->nsticky - 1) * sizeof(*f->sticky));
			f->nsticky--;
			f->sticky_dropped++;
		}
		if (!f->sticky) {
			f->sticky = calloc(STICKY_MAX, sizeof(*f->sticky));
			if (!f->sticky)
				limen_die(1, "out of memory");
		}
		k = &f->sticky[f->nsticky++];
	} else {
		free(k->rec);
	}
	copy = malloc(e->size ? e->size : 1);
	if (!copy)
		limen_die(1, "out of memory");
	if (e->size)
		memcpy(copy, e->rec, e->size);
	*k = *e;
	k->rec = copy;
	/* where it is in the window: written at the head of a snapshot
	   only once the window has lost it */
	k->off = f->head;
}

static struct fent *at(const struct limen_flight *f, uint64_t pos)
{
	return (struct fent *)(f->buf + pos % f->cap);
}

static void evict(struct limen_flight *f)
{
	struct fent *h = at(f, f->tail);

	if (h->type != WRAP_TYPE) {
		f->held--;
		f->overwritten++;
	}
	f->tail += h->len;
}

void limen_flight_store(struct limen_flight *f, const struct limen_event *e)
{
	size_t n = ALIGN8(sizeof(struct fent) + e->size);
	size_t off, room, need;
	struct fent *h;

	if (f->open) {
		/* a snapshot taking the events after its trigger */
		if (e->tsc && limen_clock_ns(e->tsc) > f->open_until_ns)
			close_open(f);
		else
			write_ev(f, f->open, e);
	}
	if (is_sticky(e))
		keep_sticky(f, e);
	if (n > f->cap) {
		/* larger than the whole window: it cannot be kept */
		f->overwritten++;
		return;
	}
	off = f->head % f->cap;
	room = f->cap - off;
	need = n + (room < n ? room : 0);
	while (f->head + need - f->tail > f->cap)
		evict(f);
	if (room < n) {
		h = at(f, f->head);
		h->len = (uint32_t)room;
		h->type = WRAP_TYPE;
		f->head += room;
	}
	h = at(f, f->head);
	*h = (struct fent){ .len = (uint32_t)n, .type = e->type,
			    .flags = e->flags, .tid = e->tid, .pid = e->pid,
			    .size = e->size, .nested = e->nested,
			    .tsc = e->tsc };
	if (e->size)
		memcpy(h + 1, e->rec, e->size);
	f->head += n;
	f->held++;
}

int limen_flight_snapshot(struct limen_flight *f, const char *why)
{
	char path[4096];
	struct limen_ctf *w;
	uint64_t first_tsc = 0, now = limen_rdtsc();

	if (f->open) {
		/* one snapshot already takes what follows: it says so */
		line(f, f->open, now, "+++ limen: %s +++", why);
		return 0;
	}
	if (f->nsnap >= f->max) {
		f->skipped++;
		return 0;
	}
	if (mkdir(f->dir, 0777) < 0 && errno != EEXIST)
		return -errno;
	snprintf(path, sizeof(path), "%s/snapshot-%u", f->dir, f->nsnap + 1);
	w = limen_ctf_open(path, NULL);
	if (!w) {
		if (!f->err)
			f->err = errno;
		return -errno;
	}
	f->nsnap++;
	for (size_t i = 0; i < f->nsticky; i++)
		if (f->sticky[i].off < f->tail)
			write_ev(f, w, &f->sticky[i]);
	for (uint64_t p = f->tail; p < f->head; p += at(f, p)->len)
		if (at(f, p)->type != WRAP_TYPE) {
			first_tsc = at(f, p)->tsc;
			break;
		}
	if (f->overwritten || f->sticky_dropped)
		line(f, w, first_tsc, "+++ limen: flight recorder: %llu "
		     "earlier events are not in this window (%zu bytes)%s "
		     "+++", (unsigned long long)f->overwritten, f->cap,
		     f->sticky_dropped ? ", nor the start of the oldest "
		     "threads" : "");
	for (uint64_t p = f->tail; p < f->head; p += at(f, p)->len) {
		struct fent *h = at(f, p);
		struct limen_event e;

		if (h->type == WRAP_TYPE)
			continue;
		e = (struct limen_event){ .type = h->type, .flags = h->flags,
					  .tid = h->tid, .pid = h->pid,
					  .nested = h->nested,
					  .tsc = h->tsc, .size = h->size,
					  .rec = (uint8_t *)(h + 1) };
		write_ev(f, w, &e);
	}
	line(f, w, now, "+++ limen: snapshot %u: %s +++", f->nsnap, why);
	f->open = w;
	f->open_until_ns = limen_clock_ns(now) + f->after_ns;
	if (!f->after_ns)
		close_open(f);
	return 0;
}

/* The sink: the triggers, on every call that ends and every signal. */
struct fsink {
	struct limen_sink k;
	struct limen_flight *f;
	struct limen_sb sb;
};

static int bit(const uint8_t *mask, unsigned long nr)
{
	return nr < LIMEN_TRACE_BITS && (mask[nr / 8] >> (nr % 8)) & 1;
}

static void fired(struct fsink *s, const struct trigger *t,
		  const struct limen_at *at, const char *what)
{
	char why[1400];

	snprintf(why, sizeof(why), "trigger '%s' fired: [pid %d] %s",
		 t->spec, (int)at->tid, what);
	limen_flight_snapshot(s->f, why);
}

static void fs_call(struct limen_sink *k, enum limen_call_what what,
		    const struct limen_at *at, const struct limen_callev *ce)
{
	struct fsink *s = (struct fsink *)k;
	struct limen_call c;
	uint64_t ns = limen_callev_ns(ce);
	int rendered = 0;

	if (what != LIMEN_CALL_END || !ce->ex)
		return;
	limen_callev_fill(&c, ce);
	for (unsigned i = 0; i < s->f->ntrig; i++) {
		const struct trigger *t = &s->f->trig[i];

		if (t->signal || !bit(t->mask, c.nr))
			continue;
		if (t->failed && !(c.has_ret && c.ret < 0 && c.ret >= -4095))
			continue;
		if (t->slow_ns >= 0 && ns < (uint64_t)t->slow_ns)
			continue;
		if (!rendered) {
			limen_sb_reset(&s->sb);
			limen_decode_call(&s->sb, &c, &s->f->dopts);
			/* with its time, as -T shows it */
			limen_sb_printf(&s->sb, " <%llu.%06llu>",
					(unsigned long long)(ns / 1000000000u),
					(unsigned long long)(ns / 1000 %
							     1000000));
			limen_sb_putc(&s->sb, '\0');
			rendered = 1;
		}
		if (t->has_re && regexec(&t->re, s->sb.p, 0, NULL, 0))
			continue;
		fired(s, t, at, s->sb.p);
		return;
	}
}

static void fs_signal(struct limen_sink *k, const struct limen_at *at,
		      const struct limen_rec_sig *sg)
{
	struct fsink *s = (struct fsink *)k;
	char nb[16], what[64];

	for (unsigned i = 0; i < s->f->ntrig; i++) {
		const struct trigger *t = &s->f->trig[i];

		if (!t->signal || sg->sig < 1 || sg->sig > 64 ||
		    !(t->sigs >> (sg->sig - 1) & 1))
			continue;
		snprintf(what, sizeof(what), "--- %s ---",
			 limen_signame((int)sg->sig, nb));
		fired(s, t, at, what);
		return;
	}
}

static int fs_flush(struct limen_sink *k)
{
	return 0;
}

static int fs_finish(struct limen_sink *k)
{
	struct fsink *s = (struct fsink *)k;

	limen_sb_free(&s->sb);
	free(s);
	return 0;
}

static const struct limen_sink_ops fs_ops = {
	.call = fs_call, .signal = fs_signal,
	.flush = fs_flush,
	.finish = fs_finish,
};

struct limen_sink *limen_flight_sink(struct limen_flight *f,
				     const struct limen_opts *o)
{
	struct fsink *s = calloc(1, sizeof(*s));

	if (!s)
		limen_die(1, "out of memory");
	s->k.ops = &fs_ops;
	s->f = f;
	f->dopts.strsize = o->strsize;
	f->dopts.verbose = o->verbose;
	f->dopts.abbrev = o->abbrev_set ? o->abbrev_mask : NULL;
	f->dopts.deref = o->deref_set ? o->deref_mask : NULL;
	return &s->k;
}

int limen_flight_finish(struct limen_flight *f)
{
	int err;

	if (!f->ntrig && !f->on_demand && !f->open)
		limen_flight_snapshot(f, "the end of the trace");
	close_open(f);
	if (f->skipped)
		fprintf(stderr, "limen: flight recorder: %llu more triggers "
			"fired after the last of %u snapshots; not saved\n",
			(unsigned long long)f->skipped, f->max);
	fprintf(stderr, "limen: flight recorder: %u snapshot%s in %s\n",
		f->nsnap, f->nsnap == 1 ? "" : "s", f->dir);
	err = f->err;
	for (unsigned i = 0; i < f->ntrig; i++) {
		if (f->trig[i].has_re)
			regfree(&f->trig[i].re);
		free(f->trig[i].spec);
	}
	for (size_t i = 0; i < f->nsticky; i++)
		free(f->sticky[i].rec);
	free(f->sticky);
	free(f->trig);
	free(f->buf);
	free(f->dir);
	free(f);
	return err ? -err : 0;
}

int limen_flight_snapshot_call(struct limen_flight *f, const char *what,
			       int32_t tid, const struct limen_call *c)
{
	struct limen_sb sb = { 0 };
	int r;

	limen_sb_printf(&sb, "%s: [pid %d] ", what, (int)tid);
	if (c)
		limen_decode_call(&sb, c, &f->dopts);
	limen_sb_putc(&sb, '\0');
	r = limen_flight_snapshot(f, sb.p);
	limen_sb_free(&sb);
	return r;
}

/* limen bt's snapshot(): what took it, and the call */
static void bt_snapshot(void *ctx, const char *why, const char *probe,
			int32_t tid, const struct limen_call *c)
{
	char what[600];

	snprintf(what, sizeof(what), "snapshot(%s%s%s) in %s", why ? "\"" : "",
		 why ? why : "", why ? "\"" : "", probe);
	limen_flight_snapshot_call(ctx, what, tid, c);
}

struct limen_flight *limen_flight_bt(struct limen_bt *b,
				     const struct limen_opts *o)
{
	struct limen_flight *f = limen_flight_new(o->flight_dir,
						  o->flight_bytes,
						  (uint64_t)o->flight_after_ns,
						  o->flight_max ? o->flight_max :
						  100);

	if (!f)
		limen_die(1, "bt: --flight %zu: %s", o->flight_bytes, strerror(errno));
	/* snapshots are snapshot()'s only: none at the end */
	f->on_demand = 1;
	limen_bt_on_snapshot(b, bt_snapshot, f);
	return f;
}
