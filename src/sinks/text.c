/* SPDX-License-Identifier: MIT */
/*
 * The text sink: strace's line format. A call told ended without having
 * been suspended is printed whole; a call the collector suspends (another
 * line has to come first: another thread, a signal handler nested in the
 * call) is printed as `name(in args <unfinished ...>` and its end later as
 * `<... name resumed>out args) = ret`, as strace -f does.
 *
 * Formatting (decoding) is most of the collector's work. With decode
 * threads (opts.decode_threads), what the collector tells is copied into
 * batches in time order, worker threads format whole batches, and the
 * batches are written in the order they were made: the output is the same
 * bytes in the same order as formatting inline. The clock is read when an
 * event is told (the collector's thread samples it), never by a worker.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#include "collector/collector.h"
#include "sinks/separate.h"
#include "sinks/unwind.h"
#include "sinks/pidcomm.h"
#include "decode/oom.h"


enum item_kind { K_CALL, K_SIGNAL, K_END, K_LOSS, K_NOTE, K_RANGES, K_UEVENT,
		 K_STACK, K_SUPERSEDED, K_PERSONA };

/* One thing told, with what formatting it needs. */
struct item {
	uint8_t kind;           /* enum item_kind */
	uint8_t what;           /* K_CALL: limen_call_what; K_NOTE: kind;
				   K_END: 1 when text is the thread's exit
				   stack (-k), told under the end line */
	uint8_t suspended, has_ent, has_ex, has_dur;
	struct limen_at at;
	uint64_t pfx_ns;        /* the prefix's time (-t/-tt/-ttt) */
	uint64_t rel_ns;        /* -r: since the line before */
	uint64_t dur_ns;        /* -T */
	struct limen_event ent, ex; /* K_CALL's records; K_SIGNAL, K_RANGES:
				       ent */
	int status;             /* K_END */
	int32_t pid;            /* K_NOTE: untraced; K_SUPERSEDED: the
				   thread that exec'd; K_CALL: its
				   pid_changed (limen_callev) */
	uint64_t count;         /* K_LOSS */
	const char *text;       /* K_NOTE, K_UEVENT, K_STACK, K_END */
	uint64_t text_off;      /* in a batch's arena */
	uint8_t detached;       /* -b execve: "<detached ...>" */
};

#define BATCH_ITEMS 2048
#define NBATCH 16
/* items formatted inline before the decode threads start (one batch's
   worth: a command that prints fewer never starts them) */
#define LAZY_ITEMS BATCH_ITEMS

struct batch {
	struct item *items;
	size_t n;
	uint8_t *arena;         /* the items' records and texts */
	size_t narena, caparena;
	struct limen_sb out;    /* formatted by a worker */
	int done;
};

struct text {
	struct limen_sink sink;
	FILE *out;
	const struct limen_opts *o;
	struct limen_dopts dopts;
	struct limen_sb sb;
	/* decode threads: batches in a ring; [head, work) being formatted
	   or done, [work, tail) waiting for a worker */
	int want;               /* decode threads asked for */
	int nthreads;           /* started: 0 formats inline */
	int started;
	pthread_t *threads;
	pthread_mutex_t mu;
	pthread_cond_t more, finished;
	struct batch batches[NBATCH];
	uint64_t head, work, tail;
	struct batch *cur;      /* being filled (batches[tail % NBATCH]) */
	int stop;
	uint64_t last_ns;       /* -r: the time of the line before */
	int have_last;
	struct limen_sep *sep;  /* -ff -o FILE: a file per thread */
	int32_t *in32;          /* threads whose last call was of the i386
				   table (int $0x80: LIMEN_RECF_I386) */
	size_t n32, cap32;
	struct limen_unwind *uw; /* -k */
	struct pending_stack {  /* -k: unwound, for the call's line */
		int32_t tid;
		int held;       /* its call was told <unfinished ...> */
		char *text;
	} *stacks;
	size_t nstacks;
	int pids;               /* -Y: names (pidcomm.h), formatting inline */
	struct detach {         /* -b execve: an execve held until we know */
		struct item it;
		uint8_t *rec, *exrec;
		int held;
		struct gone {   /* detached: nothing more of them */
			int32_t tid; /* the thread that exec'd */
			int32_t pid; /* the id the new image has */
		} *gone;
		size_t ngone;
	} dt;
	uint64_t told_inline;   /* items told before the threads started */
	int when_behind;        /* threads to start once inline falls behind */
	uint64_t win_ns, win_cpu; /* the window being watched: its start */
	int hot;                /* windows in a row spent formatting */
};

/* tid as "%-5d " (left: 1) or "%5d" (left: 0), without printf: every
   line starts with it */
static void put_tid(struct limen_sb *sb, int32_t tid, int left)
{
	/* the last one made, per formatting thread: line after line it is
	   the same thread's */
	static __thread struct {
		int32_t tid;
		int left;
		size_t len;
		char s[LIMEN_SB_BLOCK]; /* copied whole (putblock) */
	} last;
	char d[16], *p = d + sizeof(d) - 1;
	uint32_t v = tid < 0 ? 0u - (uint32_t)tid : (uint32_t)tid;
	size_t at = 0;
	int n;

	if (last.len && last.tid == tid && last.left == left) {
		limen_sb_putblock(sb, last.s, last.len);
		return;
	}
	*p = 0;
	do
		*--p = (char)('0' + v % 10);
	while (v /= 10);
	if (tid < 0)
		*--p = '-';
	n = (int)(d + sizeof(d) - 1 - p);
	for (int i = n; !left && i < 5; i++)
		last.s[at++] = ' ';
	memcpy(last.s + at, p, (size_t)n);
	at += (size_t)n;
	for (int i = n; left && i < 5; i++)
		last.s[at++] = ' ';
	last.tid = tid;
	last.left = left;
	last.len = at;
	limen_sb_putblock(sb, last.s, last.len);
}

/* -i: the call's address as the runtime recorded it (the ENTER record's
   ret: the instruction after the call), a signal's where it found the
   program; lines without one get strace's "[????????????????]" */
static void put_ip(struct limen_sb *sb, const struct item *it)
{
	const struct limen_rec_sys *r = (const void *)it->ent.rec;
	const struct limen_rec_sig *g = (const void *)it->ent.rec;

	if (it->kind == K_CALL && it->has_ent && it->ent.size >= sizeof(*r))
		limen_sb_printf(sb, "[%016llx] ", (unsigned long long)r->ret);
	else if (it->kind == K_SIGNAL && g->ip)
		limen_sb_printf(sb, "[%016llx] ", (unsigned long long)g->ip);
	else
		limen_sb_puts(sb, "[????????????????] ");
}

/* -Y: "[pid  123<comm>] " / "123<comm> " */
static void put_pid_comm(const struct text *t, struct limen_sb *sb,
			 const struct item *it)
{
	const char *s = limen_pidcomm_cur ?
		limen_pidcomm_of(limen_pidcomm_cur, it->at.pid, it->at.tid) :
		NULL;
	size_t at;

	if (!t->o->outfile)
		limen_sb_puts(sb, "[pid ");
	at = sb->len;
	put_tid(sb, it->at.tid, !!t->o->outfile);
	if (s) {
		/* the name right after the number: padding moves after it */
		while (sb->len > at && sb->p[sb->len - 1] == ' ')
			sb->len--;
		limen_sb_printf(sb, "<%s>", s);
		while (t->o->outfile && sb->len - at < 5)
			limen_sb_putc(sb, ' ');
	}
	limen_sb_puts(sb, t->o->outfile ? " " : "] ");
}

/* ".123" of ns's second to digits (0, 3, 6, 9) places, cut as strace cuts
   them (not rounded); nothing for 0 */
static void put_fraction(struct limen_sb *sb, uint64_t ns, int digits)
{
	unsigned long long f = ns % 1000000000u;

	if (digits <= 0 || digits > 9)
		return;
	for (int i = digits; i < 9; i++)
		f /= 10;
	limen_sb_printf(sb, ".%0*llu", digits, f);
}

/* "[pid  123] " / "123   " and the -t/-tt/-ttt stamp. */
static void prefix(const struct text *t, struct limen_sb *sb,
		   const struct item *it)
{
	sb->line = sb->len;
	sb->align = t->o->column;
	sb->hex = t->o->hex;
	sb->xstyle = t->o->xstyle;
	if (t->sep) {
		/* -ff: the file says which thread */
	} else if (t->pids && (t->o->outfile || it->at.multi)) {
		put_pid_comm(t, sb, it);
	} else if (t->o->outfile) {
		put_tid(sb, it->at.tid, 1);
		limen_sb_putc(sb, ' ');
	} else if (it->at.multi) {
		limen_sb_puts(sb, "[pid ");
		put_tid(sb, it->at.tid, 0);
		limen_sb_puts(sb, "] ");
	}
	if (t->o->timestamps) {
		uint64_t ns = it->pfx_ns;
		time_t sec = (time_t)(ns / 1000000000u);
		struct tm tm;

		if (t->o->timestamps == 2) {
			limen_sb_printf(sb, "%lld", (long long)sec);
		} else {
			localtime_r(&sec, &tm);
			limen_sb_printf(sb, "%02d:%02d:%02d", tm.tm_hour,
					tm.tm_min, tm.tm_sec);
		}
		put_fraction(sb, ns, t->o->ts_digits);
		limen_sb_putc(sb, ' ');
	}
	if (t->o->relative) {
		/* as strace -r: "%6ld.%06ld " (the fraction's digits as
		   its precision), after -t's stamp as "(+%6ld.%06ld) " */
		if (t->o->timestamps)
			limen_sb_puts(sb, "(+");
		limen_sb_printf(sb, "%6llu",
				(unsigned long long)(it->rel_ns / 1000000000u));
		put_fraction(sb, it->rel_ns, t->o->rel_digits);
		limen_sb_puts(sb, t->o->timestamps ? ") " : " ");
	}
	if (t->o->show_ip)
		put_ip(sb, it);
}

/* 1 when the call shows more at its exit than its arguments' first lines:
   one of them the kernel writes back (poll's revents, select's sets, in
   the result's comment), which strace's decoders leave for the exit */
static int exit_work(const struct limen_call *c)
{
	const struct limen_sysent *se = limen_sysent_get(c->nr);
	unsigned n = limen_decode_nargs(c);

	if (!se || !se->decoded)
		return 0;
	for (unsigned i = 0; i < n && i < se->nargs; i++)
		if (se->args[i].dir & LIMEN_DIR_OUT)
			return 1;
	return 0;
}

static void put_args(const struct text *t, struct limen_sb *sb,
		     const struct limen_call *c, unsigned from, unsigned to)
{
	for (unsigned i = from; i < to; i++) {
		if (i > from)
			limen_sb_puts(sb, ", ");
		limen_decode_arg(sb, c, i, &t->dopts);
	}
}

/* A call's entry as its first line shows it, "name(args known at entry, "
   (the comma only before arguments still to come, unless the decoder's
   exit part starts with it: "clone(child_stack=NULL, flags=..."): the
   number of those shown */
static unsigned put_entry(const struct text *t, struct limen_sb *sb,
			  const struct limen_call *c)
{
	int own;
	unsigned split = limen_decode_split(c, &own);
	char nb[32];

	limen_sb_printf(sb, "%s(", limen_syscall_name(c->nr, nb));
	put_args(t, sb, c, 0, split);
	if (!own && split > 0 && split < limen_decode_nargs(c))
		limen_sb_puts(sb, ", ");
	return split;
}

static void put_time(struct limen_sb *sb, const struct item *it,
		     int digits)
{
	if (!it->has_dur)
		return;
	limen_sb_printf(sb, " <%llu",
			(unsigned long long)(it->dur_ns / 1000000000u));
	put_fraction(sb, it->dur_ns, digits);
	limen_sb_putc(sb, '>');
}

/* strace's marks after the result of a tampered call (-e inject=) */
static void put_tamper(struct limen_sb *sb, const struct limen_event *ex)
{
	if (ex && (ex->flags & LIMEN_RECF_INJECTED))
		limen_sb_puts(sb, " (INJECTED)");
	if (ex && (ex->flags & LIMEN_RECF_DELAYED))
		limen_sb_puts(sb, " (DELAYED)");
}

static void render_call(const struct text *t, struct limen_sb *sb,
			const struct item *it)
{
	struct limen_callev ce = {
		.ent = it->has_ent ? &it->ent : NULL,
		.ex = it->has_ex ? &it->ex : NULL,
		.suspended = it->suspended,
	};
	struct limen_call c;
	char nb[32];
	unsigned split;
	int own;

	limen_callev_fill(&c, &ce);
	prefix(t, sb, it);
	/* strace -n: the call's number before its name */
	if (t->o->syscall_numbers)
		limen_sb_printf(sb, "[%4lu] ", (unsigned long)c.nr);
	switch (it->what) {
	case LIMEN_CALL_SUSPEND:
		put_entry(t, sb, &c);
		if (it->detached)
			limen_sb_puts(sb, " <detached ...>");
		else if (it->pid)
			limen_sb_printf(sb, " <pid changed to %d ...>",
					(int)it->pid);
		else
			limen_sb_puts(sb, " <unfinished ...>");
		break;
	case LIMEN_CALL_GONE:
		/* nothing came between: its entry and end on one line, as
		   strace -f shows it, "kill(PID, SIGKILL) = ?", and
		   "read(0,  <unfinished ...>) = ?" for the arguments it
		   never filled */
		if (!ce.suspended) {
			if (put_entry(t, sb, &c) < limen_decode_nargs(&c) ||
			    exit_work(&c))
				limen_sb_puts(sb, " <unfinished ...>");
			limen_sb_putc(sb, ')');
			limen_sb_align(sb);
			limen_sb_puts(sb, " = ?");
			break;
		}
		/* "<... name resumed>) = ?", with "<unfinished ...>" for the
		   arguments it never filled */
		limen_sb_printf(sb, "<... %s resumed>",
				limen_syscall_name(c.nr, nb));
		if (limen_decode_split(&c, &own) < limen_decode_nargs(&c))
			limen_sb_puts(sb, " <unfinished ...>");
		limen_sb_putc(sb, ')');
		limen_sb_align(sb);
		limen_sb_puts(sb, " = ?");
		break;
	case LIMEN_CALL_END:
		if (!ce.suspended) {
			limen_decode_call(sb, &c, &t->dopts);
			put_tamper(sb, ce.ex);
			put_time(sb, it, t->o->dur_digits);
		} else if (!ce.ex) {
			/* an execve known only to have ended */
			limen_sb_printf(sb, "<... %s resumed>)",
					limen_syscall_name(c.nr, nb));
			limen_sb_align(sb);
			limen_sb_puts(sb, " = ?");
		} else {
			split = limen_decode_split(&c, &own);
			limen_sb_printf(sb, "<... %s resumed>",
					limen_syscall_name(c.nr, nb));
			if (own)
				limen_decode_exit_part(sb, &c, &t->dopts);
			else
				put_args(t, sb, &c, split,
					 limen_decode_nargs(&c));
			limen_sb_putc(sb, ')');
			limen_decode_ret(sb, &c, &t->dopts);
			put_tamper(sb, ce.ex);
			put_time(sb, it, t->o->dur_digits);
		}
		if (ce.ex)	/* -e read=, -e write= */
			limen_decode_dump(sb, &c);
		break;
	}
}

/* One item as its line(s), appended to sb. */
static void render(const struct text *t, struct limen_sb *sb,
		   const struct item *it)
{
	char nb[16];

	switch (it->kind) {
	case K_CALL:
		render_call(t, sb, it);
		break;
	case K_PERSONA:
		prefix(t, sb, it);
		limen_sb_printf(sb, "[ Process PID=%d runs in %d bit mode. ]",
				(int)it->at.tid, (int)it->what);
		break;
	case K_SIGNAL: {
		const struct limen_rec_sig *s = (const void *)it->ent.rec;

		prefix(t, sb, it);
		limen_sb_printf(sb, "--- %s ", limen_signame((int)s->sig, nb));
		limen_decode_siginfo(sb, s->siginfo);
		limen_sb_puts(sb, " ---");
		break;
	}
	case K_END:
		prefix(t, sb, it);
		if (WIFSIGNALED(it->status))
			limen_sb_printf(sb, "+++ killed by %s%s +++",
					limen_signame(WTERMSIG(it->status), nb),
					WCOREDUMP(it->status) ? " (core dumped)"
							      : "");
		else
			limen_sb_printf(sb, "+++ exited with %d +++",
					WEXITSTATUS(it->status));
		if (it->what) {
			/* -k: the stack of the exit it ended in */
			limen_sb_puts(sb, "\n");
			limen_sb_puts(sb, it->text);
		}
		break;
	case K_SUPERSEDED:
		prefix(t, sb, it);
		limen_sb_printf(sb, "+++ superseded by execve in pid %d +++",
				it->pid);
		break;
	case K_LOSS:
		prefix(t, sb, it);
		limen_sb_printf(sb,
				"+++ limen: %llu event%s lost on thread %d +++",
				(unsigned long long)it->count,
				it->count == 1 ? "" : "s", it->at.tid);
		break;
	case K_RANGES: {
		/* --uaccess: the ranges under the call's line, as uaccess
		   logging reports them (R read, W written) */
		const struct limen_rec_uaccess *u = (const void *)it->ent.rec;
		const struct limen_uaccess_ent *v = (const void *)(u + 1);
		uint32_t n = u->n, room;

		room = (uint32_t)((it->ent.size - sizeof(*u)) / sizeof(*v));
		if (n > room)
			n = room;
		for (uint32_t i = 0; i < n; i++) {
			if (i)
				limen_sb_putc(sb, '\n');
			prefix(t, sb, it);
			limen_sb_printf(sb, "  uaccess %c 0x%llx+%llu",
					v[i].flags & 1 ? 'W' : 'R',
					(unsigned long long)v[i].addr,
					(unsigned long long)v[i].size);
		}
		if (u->total > n) {
			if (n)
				limen_sb_putc(sb, '\n');
			prefix(t, sb, it);
			limen_sb_printf(sb, "  uaccess ... %u more",
					u->total - n);
		} else if (!n) {
			return; /* no line at all */
		}
		break;
	}
	case K_UEVENT:
		prefix(t, sb, it);
		limen_sb_puts(sb, it->text);
		break;
	case K_STACK:
		/* as strace -k: the frames under the call, no prefix */
		limen_sb_puts(sb, it->text);
		break;
	case K_NOTE:
		switch (it->what) {
		case LIMEN_TELL_TOOL:
			limen_sb_puts(sb, it->text);
			break;
		case LIMEN_TELL_UNTRACED:
			prefix(t, sb, it);
			limen_sb_printf(sb, "+++ limen: %d not traced: %.*s +++",
					(int)it->pid, 560, it->text);
			break;
		case LIMEN_TELL_RECORD:
			prefix(t, sb, it);
			limen_sb_printf(sb, "%.*s", 255, it->text);
			break;
		}
		break;
	}
	limen_sb_putc(sb, '\n');
}

/* ---- decode threads ---- */

/* the items whose text goes into the batch's arena with them */
static int has_text(const struct item *it)
{
	return it->kind == K_NOTE || it->kind == K_UEVENT ||
	       it->kind == K_STACK || (it->kind == K_END && it->what);
}

static uint64_t batch_put(struct batch *b, const void *p, size_t n)
{
	uint64_t off = b->narena;
	size_t need = off + ((n + 7) & ~(size_t)7);

	if (need > b->caparena) {
		size_t cap = b->caparena ? b->caparena : 1 << 16;

		while (cap < need)
			cap *= 2;
		b->arena = realloc(b->arena, cap);
		if (!b->arena)
			limen_out_of_memory();
		b->caparena = cap;
	}
	memcpy(b->arena + off, p, n);
	b->narena = need;
	return off;
}

static void *worker(void *arg)
{
	struct text *t = arg;

	pthread_mutex_lock(&t->mu);
	for (;;) {
		struct batch *b;

		while (t->work == t->tail && !t->stop)
			pthread_cond_wait(&t->more, &t->mu);
		if (t->work == t->tail)
			break;
		b = &t->batches[t->work++ % NBATCH];
		pthread_mutex_unlock(&t->mu);
		limen_sb_reset(&b->out);
		for (size_t i = 0; i < b->n; i++)
			render(t, &b->out, &b->items[i]);
		pthread_mutex_lock(&t->mu);
		b->done = 1;
		pthread_cond_broadcast(&t->finished);
	}
	pthread_mutex_unlock(&t->mu);
	return NULL;
}

/* Write the batches formatted so far, in order; wait: all of them. */
static void write_done(struct text *t, int wait)
{
	pthread_mutex_lock(&t->mu);
	while (t->head != t->tail) {
		struct batch *b = &t->batches[t->head % NBATCH];

		if (!b->done) {
			if (!wait)
				break;
			pthread_cond_wait(&t->finished, &t->mu);
			continue;
		}
		pthread_mutex_unlock(&t->mu);
		fwrite(b->out.p, 1, b->out.len, t->out);
		b->n = 0;
		b->narena = 0;
		b->done = 0;
		pthread_mutex_lock(&t->mu);
		t->head++;
	}
	pthread_mutex_unlock(&t->mu);
}

/* The batch being filled goes to the workers. */
static void submit(struct text *t)
{
	struct batch *b = t->cur;

	if (!b || !b->n)
		return;
	/* the arena has stopped moving: the records' addresses */
	for (size_t i = 0; i < b->n; i++) {
		struct item *it = &b->items[i];

		if (it->has_ent || it->kind == K_SIGNAL ||
		    it->kind == K_RANGES)
			it->ent.rec = b->arena + it->ent.off;
		if (it->has_ex)
			it->ex.rec = b->arena + it->ex.off;
		if (has_text(it))
			it->text = (const char *)b->arena + it->text_off;
	}
	pthread_mutex_lock(&t->mu);
	t->tail++;
	pthread_cond_signal(&t->more);
	pthread_mutex_unlock(&t->mu);
	t->cur = NULL;
}

/* The batch to fill next (when all are in use: the oldest, once it is
   written). */
static struct batch *current(struct text *t)
{
	if (t->cur)
		return t->cur;
	for (;;) {
		int full;

		pthread_mutex_lock(&t->mu);
		full = t->tail - t->head == NBATCH;
		pthread_mutex_unlock(&t->mu);
		if (!full)
			break;
		write_done(t, 0);
		pthread_mutex_lock(&t->mu);
		if (t->tail - t->head == NBATCH &&
		    !t->batches[t->head % NBATCH].done)
			pthread_cond_wait(&t->finished, &t->mu);
		pthread_mutex_unlock(&t->mu);
	}
	t->cur = &t->batches[t->tail % NBATCH];
	return t->cur;
}

/*
 * The workers start once LAZY_ITEMS items have been told, not with the
 * sink: the sink is made before the command is forked, and a fork should
 * not copy a process with threads.
 */
static void start(struct text *t)
{
	t->started = 1;
	if (t->want <= 0)
		return;
	pthread_mutex_init(&t->mu, NULL);
	pthread_cond_init(&t->more, NULL);
	pthread_cond_init(&t->finished, NULL);
	for (int i = 0; i < NBATCH; i++) {
		t->batches[i].items = calloc(BATCH_ITEMS, sizeof(struct item));
		if (!t->batches[i].items)
			limen_out_of_memory();
	}
	t->threads = calloc((size_t)t->want, sizeof(*t->threads));
	if (!t->threads)
		limen_out_of_memory();
	for (int i = 0; i < t->want; i++) {
		if (pthread_create(&t->threads[i], NULL, worker, t))
			break;
		t->nthreads++;
	}
}

/* ---- -ff: one file per thread (separate.h), formatted inline ---- */

static void sep_write(struct text *t, FILE *f, const struct item *it)
{
	limen_sb_reset(&t->sb);
	render(t, &t->sb, it);
	if (f)
		fwrite(t->sb.p, 1, t->sb.len, f);
}

/* the held call as strace prints an interrupted one: unfinished (or, an
   execve whose thread went on with another id, "<pid changed to N ...>") */
static void sep_unhold(struct text *t, struct limen_sep_thr *h,
		       int32_t changed)
{
	struct item it = { .kind = K_CALL, .what = LIMEN_CALL_SUSPEND,
			   .has_ent = 1, .at = h->at, .ent = h->ent,
			   .pfx_ns = h->pfx_ns, .rel_ns = h->rel_ns,
			   .pid = changed };

	h->held = 0;
	sep_write(t, h->f, &it);
}

static void sep_tell(struct text *t, struct item *it)
{
	struct limen_sep_thr *h;

	if (it->kind == K_NOTE && it->what == LIMEN_TELL_TOOL) {
		sep_write(t, t->out, it);
		return;
	}
	if (it->kind == K_SUPERSEDED) {
		/* strace swaps the two threads' files at the exec: the one
		   that exec'd ends with its execve's line cut off by
		   " <pid changed to N ...>" and is closed; the leader's
		   goes on with the superseded line */
		struct limen_sep_thr *x = limen_sep_find(t->sep, it->pid);

		if (x && x->held)
			sep_unhold(t, x, it->at.tid);
		if (x)
			limen_sep_close(t->sep, it->pid);
	}
	h = limen_sep_thr(t->sep, it->at.tid);
	if (it->kind == K_CALL && it->what == LIMEN_CALL_SUSPEND &&
	    it->has_ent && !h->held && !it->pid) {
		/* another thread's line came first: not in this file */
		if (h->cap < it->ent.size) {
			h->buf = realloc(h->buf, it->ent.size);
			if (!h->buf)
				limen_out_of_memory();
			h->cap = it->ent.size;
		}
		memcpy(h->buf, it->ent.rec, it->ent.size);
		h->ent = it->ent;
		h->ent.rec = h->buf;
		h->at = it->at;
		h->pfx_ns = it->pfx_ns;
		h->rel_ns = it->rel_ns;
		h->held = 1;
		return;
	}
	if (h->held && it->kind == K_CALL &&
	    ((it->what == LIMEN_CALL_END && it->has_ex) ||
	     it->what == LIMEN_CALL_GONE) &&
	    it->suspended && it->has_ent) {
		/* nothing of this thread came between: the call whole
		   ("pause() = ?" for one its thread ended in) */
		it->suspended = 0;
		it->pfx_ns = h->pfx_ns;
		it->rel_ns = h->rel_ns;
		h->held = 0;
	} else if (h->held) {
		sep_unhold(t, h, 0);
	}
	sep_write(t, h->f, it);
	if (it->kind == K_END)
		limen_sep_close(t->sep, it->at.tid);
}

/*
 * Lines formatted inline gather in t->sb and go to the FILE by the tens of
 * kilobytes: an fwrite per line (its lock, its copy) was a tenth of the
 * collector's CPU. Whatever writes to the output next (a flush, the end,
 * the decode threads' first batch) writes them first.
 */
#define INLINE_BYTES (32u << 10)

static void inline_out(struct text *t)
{
	if (!t->sb.len)
		return;
	fwrite(t->sb.p, 1, t->sb.len, t->out);
	limen_sb_reset(&t->sb);
}

/* Keep one item: formatted now, or copied into a batch. */
static void tell_now(struct text *t, struct item *it)
{
	struct batch *b;
	struct item *q;

	if (t->sep) {
		sep_tell(t, it);
		return;
	}
	/* a short trace is formatted inline from its first line: threads,
	   their batches and joining them would cost it more than they save */
	if (!t->started && t->want > 0 && ++t->told_inline > LAZY_ITEMS) {
		inline_out(t);
		start(t);
	}
	if (!t->nthreads) {
		render(t, &t->sb, it);
		if (t->sb.len >= INLINE_BYTES)
			inline_out(t);
		return;
	}
	b = current(t);
	q = &b->items[b->n++];
	*q = *it;
	if (it->has_ent || it->kind == K_SIGNAL || it->kind == K_RANGES)
		q->ent.off = batch_put(b, it->ent.rec, it->ent.size);
	if (it->has_ex)
		q->ex.off = batch_put(b, it->ex.rec, it->ex.size);
	if (has_text(it))
		q->text_off = batch_put(b, it->text, strlen(it->text) + 1);
	if (b->n == BATCH_ITEMS)
		submit(t);
}

/*
 * -b execve: strace prints a detached execve as `execve(...) <detached
 * ...>` and nothing more of that process; one whose line another's split
 * stays `execve(... <unfinished ...>`, with no resumed line. The
 * collector tells the runtime's note that the new image is not traced
 * only once the execve is known to have succeeded (a failed one
 * withdraws it), and before the execve's end: the note says the process
 * is gone. So an execve told suspended is held until the next item says
 * whether it was (the note of its thread); so is one told whole, which
 * another sink's order could end first.
 */
static int is_execve(const struct item *it)
{
	const struct limen_rec_sys *r = (const void *)it->ent.rec;
	char nb[32];
	const char *n;

	if (!it->has_ent || it->ent.size < sizeof(*r))
		return 0;
	n = limen_syscall_name(r->nr, nb);
	return !strcmp(n, "execve") || !strcmp(n, "execveat");
}

/*
 * The list holds one entry for each id limen saw detached and not yet
 * end or be given to another (gone_forget): never more than the ids the
 * kernel has (pid_max), however many processes a long trace detaches.
 */
static void gone_add(struct detach *d, int32_t tid, int32_t pid)
{
	for (size_t i = 0; i < d->ngone; i++)
		if (d->gone[i].pid == pid || d->gone[i].tid == tid) {
			d->gone[i].tid = tid;
			d->gone[i].pid = pid;
			return;
		}
	d->gone = realloc(d->gone, (d->ngone + 1) * sizeof(*d->gone));
	if (!d->gone)
		limen_out_of_memory();
	d->gone[d->ngone].tid = tid;
	d->gone[d->ngone++].pid = pid;
}

static void tell(struct text *t, struct item *it)
{
	struct detach *d = &t->dt;

	if (!t->o->detach_exec) {
		tell_now(t, it);
		return;
	}
	if (it->kind == K_NOTE && it->what == LIMEN_TELL_UNTRACED &&
	    !strncmp(it->text, "detached on execve", 18)) {
		/* the thread that exec'd, and the process (the id the
		   new image has, when another thread exec'd) */
		gone_add(d, it->at.tid, it->at.pid);
		if (d->held && d->it.at.tid == it->at.tid) {
			d->it.detached = 1;
			/* told whole, it is still strace's suspended form */
			d->it.what = LIMEN_CALL_SUSPEND;
		}
	}
	if (d->held) {
		d->held = 0;
		tell_now(t, &d->it);
	}
	if (it->kind == K_CALL && is_execve(it) &&
	    (it->what == LIMEN_CALL_SUSPEND ||
	     (it->what == LIMEN_CALL_END && !it->suspended))) {
		d->rec = realloc(d->rec, it->ent.size);
		if (!d->rec)
			limen_out_of_memory();
		memcpy(d->rec, it->ent.rec, it->ent.size);
		d->it = *it;
		d->it.ent.rec = d->rec;
		if (it->has_ex) {
			d->exrec = realloc(d->exrec, it->ex.size);
			if (!d->exrec)
				limen_out_of_memory();
			memcpy(d->exrec, it->ex.rec, it->ex.size);
			d->it.ex.rec = d->exrec;
		}
		d->held = 1;
		return;
	}
	/* strace: nothing after <detached ...>, not the execve's end (its
	   result), nor the process's own, after which the id may be
	   another's */
	for (size_t i = 0; i < d->ngone; i++)
		if ((d->gone[i].tid == it->at.tid ||
		     d->gone[i].pid == it->at.tid) &&
		    (it->kind == K_CALL || it->kind == K_END ||
		     it->kind == K_SIGNAL)) {
			/* its end: the ids may be another's from now */
			if (it->kind == K_END)
				d->gone[i] = d->gone[--d->ngone];
			return;
		}
	tell_now(t, it);
}

/* A thread or process began with id tid: a detached one that had it
   ended unseen (its parent ignores SIGCHLD: the kernel reaped it), and
   what comes with that id now is the new one's */
static void gone_forget(struct detach *d, int32_t tid)
{
	for (size_t i = 0; i < d->ngone; i++) {
		if (d->gone[i].pid == tid) {
			d->gone[i--] = d->gone[--d->ngone];
		} else if (d->gone[i].tid == tid) {
			/* the thread that exec'd took the process's id:
			   the image detached goes on under that one */
			d->gone[i].tid = d->gone[i].pid;
		}
	}
}

/* the held execve, before a flush or the end */
static void tell_held(struct text *t)
{
	if (t->dt.held) {
		t->dt.held = 0;
		tell_now(t, &t->dt.it);
	}
}

/* ---- the sink ---- */

static void stamp(struct text *t, struct item *it, uint64_t tsc)
{
	if (t->o->timestamps)
		it->pfx_ns = limen_clock_ns(tsc);
	if (t->o->relative) {
		/* lines are told in time order: the delta from the line
		   before, whatever thread printed it (as strace -r) */
		uint64_t ns = limen_clock_ns(tsc);

		it->rel_ns = t->have_last && ns > t->last_ns ?
			     ns - t->last_ns : 0;
		t->last_ns = ns;
		t->have_last = 1;
	}
}

/* -k: an exit or exit_group that did not return (ended its thread):
   strace prints its stack, captured at its entry, after the thread's
   end line, not under the call's */
static int no_return(const struct limen_callev *ce)
{
	const struct limen_rec_sys *r;

	if (!ce->ent || ce->ex || ce->ent->size < sizeof(*r))
		return 0;
	r = (const void *)ce->ent->rec;
	return r->nr == SYS_exit || r->nr == SYS_exit_group;
}

/* -k: the stack waiting for at's thread (held: for its call told
   <unfinished ...>), or -1 */
static long find_stack(const struct text *t, int32_t tid, int held)
{
	for (size_t i = 0; i < t->nstacks; i++)
		if (t->stacks[i].tid == tid && t->stacks[i].held == held)
			return (long)i;
	return -1;
}

static void drop_stack(struct text *t, size_t i)
{
	free(t->stacks[i].text);
	t->stacks[i] = t->stacks[--t->nstacks];
}

/*
 * -k: a call told <unfinished ...> keeps its stack for its
 * <... resumed> line, where strace prints it (at the call's exit), while
 * the calls of its thread's handlers come and go.
 */
static void hold_stack(struct text *t, const struct limen_at *at)
{
	long i = find_stack(t, at->tid, 0), old = find_stack(t, at->tid, 1);

	if (i < 0)
		return;
	t->stacks[i].held = 1;
	if (old >= 0)
		drop_stack(t, (size_t)old);
}

/* -k: the unwound stack of at's thread, if one waits, as its own item */
static void tell_stack(struct text *t, const struct limen_at *at, int held)
{
	for (size_t i = 0; i < t->nstacks; i++) {
		struct item it = { .kind = K_STACK, .at = *at };

		if (t->stacks[i].tid != at->tid || t->stacks[i].held != held)
			continue;
		it.text = t->stacks[i].text;
		tell(t, &it);
		drop_stack(t, i);
		return;
	}
}

static void text_born(struct limen_sink *k, const struct limen_at *at)
{
	struct text *t = (struct text *)k;

	if (t->o->detach_exec)
		gone_forget(&t->dt, at->tid);
}

/* -k: a MAPS record updates the process's modules; a STACK record is
   unwound now (the text sink's thread), kept until its call's line */
static void text_stack(struct limen_sink *k, const struct limen_at *at,
		       const struct limen_event *e)
{
	struct text *t = (struct text *)k;
	const struct limen_rec_maps *m = (const void *)e->rec;
	char *s;

	if (!t->o->stack)
		return;
	if (!t->uw)
		t->uw = limen_unwind_new();
	if (e->type == LIMEN_REC_MAPS) {
		if (e->size >= sizeof(*m) && m->len <= e->size - sizeof(*m))
			limen_unwind_maps(t->uw, at->pid,
					  (const char *)(m + 1), m->len);
		return;
	}
	s = limen_unwind_stack(t->uw, at->pid, at->tid, e->rec, e->size);
	if (!s)
		return;
	if (e->flags & LIMEN_RECF_SIGNAL) {
		/* under the signal's line, told just before (its stamp) */
		struct item it = { .kind = K_STACK, .at = *at, .text = s };

		tell(t, &it);
		free(s);
		return;
	}
	for (size_t i = 0; i < t->nstacks; i++)
		if (t->stacks[i].tid == at->tid && !t->stacks[i].held) {
			/* a call whose line never came (a nested handler's) */
			free(t->stacks[i].text);
			t->stacks[i].text = s;
			return;
		}
	t->stacks = realloc(t->stacks, (t->nstacks + 1) * sizeof(*t->stacks));
	if (!t->stacks)
		limen_out_of_memory();
	t->stacks[t->nstacks].tid = at->tid;
	t->stacks[t->nstacks].held = 0;
	t->stacks[t->nstacks++].text = s;
}

/*
 * As strace tells a thread's change of personality at its next call: an
 * int $0x80 call of a 64-bit program is of the i386 table (runtime/
 * compat32.c), "[ Process PID=N runs in 32 bit mode. ]" before its line,
 * and "... 64 bit mode" before the thread's next call of its own table.
 * Told at a call's first line, in order (not by the decode threads).
 */
static void tell_persona(struct text *t, const struct limen_at *at,
			 const struct limen_callev *ce)
{
	const struct limen_event *e = ce->ent ? ce->ent : ce->ex;
	int is32 = e && (e->flags & LIMEN_RECF_I386), k = -1;
	int32_t tid = __atomic_load_n(&at->tid, __ATOMIC_RELAXED);
	struct item it;

	if (!is32 && !t->n32)
		return;
	for (size_t i = 0; i < t->n32; i++)
		if (t->in32[i] == tid)
			k = (int)i;
	if (is32 == (k >= 0))
		return;
	if (is32) {
		if (t->n32 == t->cap32) {
			size_t cap = t->cap32 ? 2 * t->cap32 : 8;
			int32_t *p = realloc(t->in32, cap * sizeof(*p));

			if (!p)
				return;
			t->in32 = p;
			t->cap32 = cap;
		}
		t->in32[t->n32++] = tid;
	} else {
		t->in32[k] = t->in32[--t->n32];
	}
	limen_zero(&it, sizeof(it));
	it.kind = K_PERSONA;
	it.what = is32 ? 32 : 64;
	it.at = *at;
	stamp(t, &it, e->tsc);
	tell(t, &it);
}

static void text_call(struct limen_sink *k, enum limen_call_what what,
		      const struct limen_at *at, const struct limen_callev *ce)
{
	struct text *t = (struct text *)k;
	struct item it;
	uint64_t tsc = at->tsc;

	/* a call's first line: strace's personality note before it */
	if (what == LIMEN_CALL_SUSPEND ||
	    ((what == LIMEN_CALL_END || what == LIMEN_CALL_GONE) &&
	     !ce->suspended))
		tell_persona(t, at, ce);

	/* a line each: limen_zero, not the rep stos of an initializer */
	limen_zero(&it, sizeof(it));
	it.kind = K_CALL;
	it.what = (uint8_t)what;
	it.suspended = (uint8_t)ce->suspended;
	it.pid = ce->pid_changed;
	/* a field at a time, each read as it was stored: the collector has
	   just stored them one by one, and a wider load across them (what
	   a struct copy or merged loads make) waited for those stores to
	   retire, a tenth of this function's time */
	it.at.tid = __atomic_load_n(&at->tid, __ATOMIC_RELAXED);
	it.at.pid = __atomic_load_n(&at->pid, __ATOMIC_RELAXED);
	it.at.tsc = at->tsc;
	it.at.multi = at->multi;

	if (ce->ent) {
		it.has_ent = 1;
		it.ent = *ce->ent;
	}
	if (ce->ex) {
		it.has_ex = 1;
		it.ex = *ce->ex;
	}
	/* a line told whole is stamped at its entry */
	if ((what == LIMEN_CALL_END || what == LIMEN_CALL_GONE) &&
	    !ce->suspended)
		tsc = ce->ent ? ce->ent->tsc : ce->ex->tsc;
	else if (what == LIMEN_CALL_END && ce->ex)
		tsc = ce->ex->tsc;
	stamp(t, &it, tsc);
	if (t->o->show_time && ce->ent && ce->ex) {
		it.has_dur = 1;
		it.dur_ns = limen_callev_ns(ce);
	}
	tell(t, &it);
	/* -k: the stack under the call's last line, as strace prints it at
	   the call's exit: the whole line or <... resumed>, not
	   <unfinished ...> (with -ff, a call told suspended is held back
	   and printed whole at its end) */
	if (t->nstacks) {
		if (no_return(ce) && !t->o->quiet)
			; /* told under its thread's end line (text_end) */
		else if (what == LIMEN_CALL_SUSPEND)
			hold_stack(t, at);
		else if (!ce->suspended || find_stack(t, at->tid, 1) >= 0)
			tell_stack(t, at, ce->suspended != 0);
		else
			/* the stack came after the call was told
			   <unfinished ...> (another thread's event
			   stamped between its entry and its capture) */
			tell_stack(t, at, 0);
	}
}

static void text_signal(struct limen_sink *k, const struct limen_at *at,
			const struct limen_rec_sig *s)
{
	struct text *t = (struct text *)k;
	struct item it = { .kind = K_SIGNAL, .at = *at };

	it.ent.rec = (uint8_t *)s;
	it.ent.size = sizeof(*s);
	stamp(t, &it, at->tsc);
	tell(t, &it);
}

static void text_end(struct limen_sink *k, const struct limen_at *at,
		     int status)
{
	struct text *t = (struct text *)k;
	struct item it = { .kind = K_END, .at = *at, .status = status };
	long i = t->nstacks ? find_stack(t, at->tid, 0) : -1;

	/* -k: strace prints the stack of the exit or exit_group a thread
	   ended in when it forgets the thread, under its end line (and
	   with -ff in its file, which closes after) */
	if (i < 0 && t->nstacks)
		i = find_stack(t, at->tid, 1);
	if (i >= 0) {
		it.what = 1;
		it.text = t->stacks[i].text;
	}
	stamp(t, &it, at->tsc);
	tell(t, &it);
	if (i >= 0)
		drop_stack(t, (size_t)i);
}

static void text_superseded(struct limen_sink *k, const struct limen_at *at,
			    int32_t old_tid)
{
	struct text *t = (struct text *)k;
	struct item it = { .kind = K_SUPERSEDED, .at = *at, .pid = old_tid };

	stamp(t, &it, at->tsc);
	tell(t, &it);
}

static void text_loss(struct limen_sink *k, const struct limen_at *at,
		      uint64_t count)
{
	struct text *t = (struct text *)k;
	struct item it = { .kind = K_LOSS, .at = *at, .count = count };

	stamp(t, &it, at->tsc);
	tell(t, &it);
}

static void text_ranges(struct limen_sink *k, const struct limen_at *at,
			const struct limen_event *e)
{
	struct text *t = (struct text *)k;
	struct item it = { .kind = K_RANGES, .at = *at };

	it.ent.rec = e->rec;
	it.ent.size = e->size;
	stamp(t, &it, at->tsc);
	tell(t, &it);
}

static void text_note(struct limen_sink *k, enum limen_tell_kind kind,
		      const struct limen_at *at, int32_t pid, const char *text)
{
	struct text *t = (struct text *)k;
	struct item it = { .kind = K_NOTE, .what = (uint8_t)kind, .at = *at,
			   .pid = pid, .text = text };

	stamp(t, &it, at->tsc);
	tell(t, &it);
}

static void text_uevent(struct limen_sink *k, const struct limen_at *at,
			const char *text)
{
	struct text *t = (struct text *)k;
	struct item it = { .kind = K_UEVENT, .at = *at, .text = text };

	stamp(t, &it, at->tsc);
	tell(t, &it);
}

/*
 * Decode threads on demand (opts.decode_when_behind): the collector's
 * thread formats inline until it has been busy for BEHIND_WINDOWS windows
 * in a row (its CPU time 90% of the time gone by or more: it no longer
 * naps between drains, the program's rings fill). Flushes come once per
 * drain; the thread's CPU clock is read once per window.
 */
#define BEHIND_WINDOW_NS 20000000ull
#define BEHIND_WINDOWS 3

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	if (clock_gettime(id, &ts) != 0)
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void start_if_behind(struct text *t)
{
	uint64_t now = clock_ns(CLOCK_MONOTONIC), cpu;

	if (t->win_ns && now - t->win_ns < BEHIND_WINDOW_NS)
		return;
	cpu = clock_ns(CLOCK_THREAD_CPUTIME_ID);
	if (!cpu || !now)	/* no clock to tell: stay inline */
		return;
	if (t->win_ns && (cpu - t->win_cpu) * 10 >= (now - t->win_ns) * 9)
		t->hot++;
	else
		t->hot = 0;
	t->win_ns = now;
	t->win_cpu = cpu;
	if (t->hot < BEHIND_WINDOWS)
		return;
	inline_out(t);
	t->want = t->when_behind;
	start(t);
}

static int text_flush(struct limen_sink *k)
{
	struct text *t = (struct text *)k;

	if (t->when_behind > 0 && !t->started && !t->sep)
		start_if_behind(t);
	tell_held(t);
	if (!t->sep)
		inline_out(t);
	if (t->nthreads) {
		submit(t);
		write_done(t, 0);
	}
	errno = 0;
	return fflush(t->out);
}

static int text_finish(struct limen_sink *k)
{
	struct text *t = (struct text *)k;
	int r;

	tell_held(t);
	if (!t->sep)
		inline_out(t);
	if (t->nthreads) {
		submit(t);
		write_done(t, 1);
		pthread_mutex_lock(&t->mu);
		t->stop = 1;
		pthread_cond_broadcast(&t->more);
		pthread_mutex_unlock(&t->mu);
		for (int i = 0; i < t->nthreads; i++)
			pthread_join(t->threads[i], NULL);
	}
	if (t->want > 0 && t->started) {
		free(t->threads);
		for (int i = 0; i < NBATCH; i++) {
			free(t->batches[i].items);
			free(t->batches[i].arena);
			limen_sb_free(&t->batches[i].out);
		}
	}
	for (size_t i = 0; i < t->nstacks; i++)
		free(t->stacks[i].text);
	free(t->stacks);
	free(t->in32);
	limen_unwind_free(t->uw);
	free(t->dt.rec);
	free(t->dt.exrec);
	free(t->dt.gone);
	if (t->pids)
		limen_decode_pid_name = NULL;
	r = fflush(t->out) || ferror(t->out) ? -1 : 0;
	if (t->sep) {
		struct limen_sep_thr *h;
		size_t i = 0;

		while ((h = limen_sep_next(t->sep, &i)))
			if (h->held)
				sep_unhold(t, h, 0);
		if (limen_sep_finish(t->sep) != 0)
			r = -1;
	}
	limen_sb_free(&t->sb);
	free(t);
	return r;
}

/* -Y: the decoder's question, on the text sink's thread */
static const char *pid_name(int32_t pid)
{
	return limen_pidcomm_cur ? limen_pidcomm_of(limen_pidcomm_cur, 0, pid) :
		NULL;
}

static const struct limen_sink_ops text_ops = {
	.call = text_call,
	.signal = text_signal,
	.end = text_end,
	.loss = text_loss,
	.note = text_note,
	.ranges = text_ranges,
	.uevent = text_uevent,
	.flush = text_flush,
	.finish = text_finish,
	.stack = text_stack,
	.born = text_born,
	.superseded = text_superseded,
};

struct limen_sink *limen_text_sink(FILE *out, const struct limen_opts *o)
{
	struct text *t = calloc(1, sizeof(*t));

	if (!t)
		limen_out_of_memory();
	t->sink.ops = &text_ops;
	t->out = out;
	t->o = o;
	t->dopts.strsize = o->strsize;
	t->dopts.verbose = o->verbose;
	t->dopts.abbrev = o->abbrev_set ? o->abbrev_mask : NULL;
	t->dopts.deref = o->deref_set ? o->deref_mask : NULL;
	t->want = o->decode_threads;
	t->when_behind = o->decode_threads ? 0 : o->decode_when_behind;
	if (o->separately && o->outfile) {
		t->sep = limen_sep_new(o->outfile, o->append);
		t->want = 0;
		t->when_behind = 0;
	}
	if (o->raw_any)	/* -e raw=SET */
		limen_decode_raw = o->raw_mask;
	if (o->decode_pids) {
		/* names change as the lines are told: format them then */
		t->want = 0;
		t->when_behind = 0;
		t->pids = 1;
		limen_decode_pid_name = pid_name;
	}
	return &t->sink;
}
