/* SPDX-License-Identifier: MIT */
/*
 * The text sink: strace's line format. A call is printed whole when its exit
 * follows its entry with nothing in between; when another line has to be
 * printed first (another thread, or a signal handler nested in the call), the
 * entry is printed as `name(in args <unfinished ...>` and the exit later as
 * `<... name resumed>out args) = ret`, as strace -f does.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#include "cli/cli.h"
#include "decode/decode.h"

#define MAX_NEST 16

struct thr {
	int32_t tid, pid;
	int depth;
	struct limen_event ent[MAX_NEST]; /* pending entries, innermost last */
	int printed[MAX_NEST];            /* shown as <unfinished ...> */
	char *aside;            /* the pending execve starts an untraced
				   image: why (a NOTE record), not yet shown */
	int aside_shown;        /* the note was printed with the execve */
};

struct proc {
	int32_t pid;
	int threads;
	int ended;
	int untraced;           /* limen stepped aside for it: no record
				   will say how it ends, its reaper will */
};

struct limen_text {
	FILE *out;
	const struct limen_opts *o;
	struct limen_dopts dopts;
	struct limen_sb sb;
	struct thr **thr;       /* open addressing on tid */
	size_t nthr, capthr;
	struct proc *procs;
	size_t nprocs, capprocs;
	struct thr *open;       /* whose innermost entry is not printed yet */
	int multi;              /* more than one thread seen: prefix lines */
	int32_t first_tid;
	int32_t *ended;         /* processes that ended, for the session */
	size_t nended, capended;
	struct count {          /* -c / -C: per syscall number */
		uint64_t calls, errors, ns;
	} *counts;
	uint64_t lost;          /* events lost, all threads */
	uint64_t untraced;      /* processes limen stepped aside for */
	pid_t child;            /* the command: its end is kept after the */
	int child_seen;         /* process table forgets it */
	int child_ended;
};

static struct thr **thr_find(struct limen_text *t, int32_t tid)
{
	size_t m = t->capthr - 1, i = (size_t)tid * 2654435761u & m;

	while (t->thr[i] && t->thr[i]->tid != tid)
		i = (i + 1) & m;
	return &t->thr[i];
}

static struct thr *thr_get(struct limen_text *t, int32_t tid, int32_t pid)
{
	struct thr **pp;

	if (2 * (t->nthr + 1) > t->capthr) {
		struct thr **old = t->thr;
		size_t oldcap = t->capthr;

		t->capthr = oldcap ? 2 * oldcap : 64;
		t->thr = calloc(t->capthr, sizeof(*t->thr));
		if (!t->thr)
			abort();
		for (size_t i = 0; i < oldcap; i++)
			if (old[i])
				*thr_find(t, old[i]->tid) = old[i];
		free(old);
	}
	pp = thr_find(t, tid);
	if (!*pp) {
		*pp = calloc(1, sizeof(**pp));
		if (!*pp)
			abort();
		(*pp)->tid = tid;
		(*pp)->pid = pid;
		t->nthr++;
		if (!t->first_tid)
			t->first_tid = tid;
		else if (tid != t->first_tid)
			t->multi = 1;
	}
	(*pp)->pid = pid;
	return *pp;
}

static struct proc *proc_find(struct limen_text *t, int32_t pid)
{
	for (size_t i = 0; i < t->nprocs; i++)
		if (t->procs[i].pid == pid)
			return &t->procs[i];
	return NULL;
}

static struct proc *proc_get(struct limen_text *t, int32_t pid)
{
	for (size_t i = 0; i < t->nprocs; i++)
		if (t->procs[i].pid == pid)
			return &t->procs[i];
	if (t->nprocs == t->capprocs) {
		t->capprocs = t->capprocs ? 2 * t->capprocs : 16;
		t->procs = realloc(t->procs, t->capprocs * sizeof(*t->procs));
		if (!t->procs)
			abort();
	}
	t->procs[t->nprocs] = (struct proc){ .pid = pid };
	return &t->procs[t->nprocs++];
}

static void pop(struct thr *th);

/*
 * A thread that ended leaves the table (20,000 short processes must not
 * cost the collector 20,000 thread records): linear probing, so the
 * entries after it that could have hashed to its place move back.
 */
static void thr_del(struct limen_text *t, struct thr *th)
{
	size_t m = t->capthr - 1;
	struct thr **pp = thr_find(t, th->tid);
	size_t i = (size_t)(pp - t->thr), j = i;

	if (t->open == th)
		t->open = NULL;
	while (th->depth)
		pop(th);
	free(th);
	t->thr[i] = NULL;
	t->nthr--;
	for (;;) {
		size_t k;

		j = (j + 1) & m;
		if (!t->thr[j])
			break;
		k = (size_t)t->thr[j]->tid * 2654435761u & m;
		/* stays if its home k lies cyclically in (i, j] */
		if (i <= j ? (i < k && k <= j) : (i < k || k <= j))
			continue;
		t->thr[i] = t->thr[j];
		t->thr[j] = NULL;
		i = j;
	}
}

/* A process ended and was reported: forget it and its threads. */
static void proc_del(struct limen_text *t, struct proc *p)
{
	int32_t pid = p->pid;

	for (size_t i = 0; i < t->capthr; i++) {
		while (t->thr[i] && t->thr[i]->pid == pid)
			thr_del(t, t->thr[i]);
	}
	if (pid == t->child)
		t->child_ended = 1;
	*p = t->procs[--t->nprocs];
}

struct limen_text *limen_text_new(FILE *out, const struct limen_opts *o)
{
	struct limen_text *t = calloc(1, sizeof(*t));

	if (!t)
		abort();
	t->out = out;
	t->o = o;
	if (o->summary) {
		t->counts = calloc(LIMEN_NSYSENT + 1, sizeof(*t->counts));
		if (!t->counts)
			abort();
	}
	t->dopts.strsize = o->strsize;
	t->dopts.verbose = o->verbose;
	return t;
}

/* "[pid  123] " / "123   " and the -t/-tt/-ttt stamp. */
static void prefix(struct limen_text *t, int32_t tid, uint64_t tsc)
{
	struct limen_sb *sb = &t->sb;

	limen_sb_reset(sb);
	if (t->o->outfile)
		limen_sb_printf(sb, "%-5d ", tid);
	else if (t->multi)
		limen_sb_printf(sb, "[pid %5d] ", tid);
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

static void put_line(struct limen_text *t)
{
	if (t->o->summary == 1) /* -c: the table only */
		return;
	limen_sb_putc(&t->sb, '\n');
	fwrite(t->sb.p, 1, t->sb.len, t->out);
}

/* Fill a limen_call from a syscall record's captures. */
static void fill_caps(struct limen_call *c, const struct limen_event *e,
		      int at_exit)
{
	const struct limen_rec_sys *r = (const void *)e->rec;
	const uint8_t *p = e->rec + sizeof(*r), *end = e->rec + e->size;

	for (uint32_t k = 0; k < r->ncap; k++) {
		const struct limen_cap *cap = (const void *)p;
		struct limen_blob *b;

		if (p + sizeof(*cap) > end || cap->arg >= 6 ||
		    p + sizeof(*cap) + cap->len > end)
			break;
		b = at_exit ? &c->cap_out[cap->arg] : &c->cap_in[cap->arg];
		b->data = p + sizeof(*cap);
		b->len = cap->len;
		b->flags = LIMEN_BLOB_PRESENT | cap->flags;
		p += sizeof(*cap) + LIMEN_ALIGN8(cap->len);
	}
}

static void make_call(struct limen_call *c, const struct limen_event *ent,
		      const struct limen_event *ex)
{
	const struct limen_rec_sys *r =
		(const void *)(ent ? ent->rec : ex->rec);

	memset(c, 0, sizeof(*c));
	c->nr = r->nr;
	memcpy(c->args, r->args, sizeof(c->args));
	if (ent)
		fill_caps(c, ent, 0);
	if (ex) {
		c->ret = ((const struct limen_rec_sys *)ex->rec)->ret;
		c->has_ret = 1;
		fill_caps(c, ex, 1);
	}
}

static unsigned split_of(const struct limen_call *c)
{
	unsigned n = limen_decode_nargs(c), i;

	for (i = 0; i < n; i++)
		if (limen_decode_arg_is_out(c, i))
			break;
	return i;
}

static void put_args(struct limen_text *t, const struct limen_call *c,
		     unsigned from, unsigned to)
{
	for (unsigned i = from; i < to; i++) {
		if (i > from)
			limen_sb_puts(&t->sb, ", ");
		limen_decode_arg(&t->sb, c, i, &t->dopts);
	}
}

static void put_ret(struct limen_text *t, const struct limen_call *c,
		    const struct limen_event *ent, const struct limen_event *ex)
{
	limen_decode_ret(&t->sb, c);
	if (t->o->show_time && ent && ex) {
		uint64_t ns = limen_clock_delta_ns(ent->tsc, ex->tsc);

		limen_sb_printf(&t->sb, " <%llu.%06llu>",
				(unsigned long long)(ns / 1000000000u),
				(unsigned long long)(ns / 1000 % 1000000));
	}
}

static int is_exec(const struct limen_event *e)
{
	const struct limen_rec_sys *r = (const void *)e->rec;

	return r->nr == SYS_execve || r->nr == SYS_execveat;
}

static struct limen_event *pending_exec(struct thr *th)
{
	if (!th->depth || !is_exec(&th->ent[th->depth - 1]))
		return NULL;
	return &th->ent[th->depth - 1];
}

/*
 * The execve of th starts an image limen does not trace: say so right
 * after the execve's line. Without a reason from the runtime, the image
 * was expected to load the runtime and never did.
 */
static void show_aside(struct limen_text *t, struct thr *th, uint64_t tsc)
{
	char line[600];

	if (!th->aside)
		return;
	snprintf(line, sizeof(line), "+++ limen: %d not traced: %s +++",
		 (int)th->pid, th->aside);
	free(th->aside);
	th->aside = NULL;
	th->aside_shown = 1;
	t->untraced++;
	prefix(t, th->tid, tsc);
	limen_sb_puts(&t->sb, line);
	put_line(t);
}

static void print_unfinished(struct limen_text *t, struct thr *th, int k)
{
	struct limen_call c;
	char nb[32];
	unsigned split;

	make_call(&c, &th->ent[k], NULL);
	split = split_of(&c);
	prefix(t, th->tid, th->ent[k].tsc);
	limen_sb_printf(&t->sb, "%s(", limen_syscall_name(c.nr, nb));
	put_args(t, &c, 0, split);
	if (split > 0 && split < limen_decode_nargs(&c))
		limen_sb_puts(&t->sb, ", ");
	limen_sb_puts(&t->sb, " <unfinished ...>");
	put_line(t);
	th->printed[k] = 1;
	if (k == th->depth - 1)
		show_aside(t, th, th->ent[k].tsc);
}

/* Something else is about to be printed: the open entry goes first. */
static void close_open(struct limen_text *t)
{
	struct thr *th = t->open;

	t->open = NULL;
	if (th && th->depth && !th->printed[th->depth - 1])
		print_unfinished(t, th, th->depth - 1);
}

static void print_whole(struct limen_text *t, int32_t tid,
			const struct limen_event *ent,
			const struct limen_event *ex, int no_return)
{
	struct limen_call c;

	make_call(&c, ent, ex);
	if (no_return) {
		c.has_ret = 0;
	}
	prefix(t, tid, ent ? ent->tsc : ex->tsc);
	limen_decode_call(&t->sb, &c, &t->dopts);
	if (t->o->show_time && ent && ex) {
		uint64_t ns = limen_clock_delta_ns(ent->tsc, ex->tsc);

		limen_sb_printf(&t->sb, " <%llu.%06llu>",
				(unsigned long long)(ns / 1000000000u),
				(unsigned long long)(ns / 1000 % 1000000));
	}
	put_line(t);
}

static void print_resumed(struct limen_text *t, int32_t tid,
			  const struct limen_event *ent,
			  const struct limen_event *ex)
{
	struct limen_call c;
	char nb[32];
	unsigned split;

	make_call(&c, ent, ex);
	split = split_of(&c);
	prefix(t, tid, ex->tsc);
	limen_sb_printf(&t->sb, "<... %s resumed>",
			limen_syscall_name(c.nr, nb));
	put_args(t, &c, split, limen_decode_nargs(&c));
	limen_sb_putc(&t->sb, ')');
	put_ret(t, &c, ent, ex);
	put_line(t);
}

static void pop(struct thr *th)
{
	th->depth--;
	free(th->ent[th->depth].rec);
	th->ent[th->depth].rec = NULL;
}

static void plus_line(struct limen_text *t, int32_t tid, uint64_t tsc,
		      const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void plus_line(struct limen_text *t, int32_t tid, uint64_t tsc,
		      const char *fmt, ...)
{
	va_list ap;
	char buf[256];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	close_open(t);
	prefix(t, tid, tsc);
	limen_sb_puts(&t->sb, buf);
	put_line(t);
}

/* The session retires the slots of processes that ended. */
static void tell_ended(struct limen_text *t, int32_t pid)
{
	if (t->nended == t->capended) {
		t->capended = t->capended ? 2 * t->capended : 16;
		t->ended = realloc(t->ended, t->capended * sizeof(*t->ended));
		if (!t->ended)
			abort();
	}
	t->ended[t->nended++] = pid;
}

static void process_ended(struct limen_text *t, struct proc *p, int32_t tid,
			  uint64_t tsc, int code)
{
	if (p->ended)
		return;
	p->ended = 1;
	if (!t->o->quiet)
		plus_line(t, tid, tsc, "+++ exited with %d +++", code & 0xff);
	tell_ended(t, p->pid);
	proc_del(t, p);
}

/* A call a thread was in when exit_group ended it: "<... name resumed>)
   = ?", with "<unfinished ...>" for the arguments it never filled. */
static void print_gone(struct limen_text *t, struct thr *th, int k,
		       uint64_t tsc)
{
	struct limen_call c;
	char nb[32];

	make_call(&c, &th->ent[k], NULL);
	prefix(t, th->tid, tsc);
	limen_sb_printf(&t->sb, "<... %s resumed>",
			limen_syscall_name(c.nr, nb));
	if (split_of(&c) < limen_decode_nargs(&c))
		limen_sb_puts(&t->sb, " <unfinished ...>");
	limen_sb_puts(&t->sb, ") = ?");
	put_line(t);
}

/*
 * exit_group by `caller` ends every other thread of its process: as
 * strace -f shows it, the calls they were in return "?" and each thread
 * gets its "+++ exited with N +++" before the caller's.
 */
static void threads_ended(struct limen_text *t, int32_t pid,
			  const struct thr *caller, uint64_t tsc, int code)
{
	for (size_t i = 0; i < t->capthr; i++) {
		struct thr *th = t->thr[i];

		if (!th || th == caller || th->pid != pid)
			continue;
		for (int k = th->depth - 1; k >= 0; k--) {
			if (!th->printed[k]) {
				if (t->open == th)
					t->open = NULL;
				close_open(t);
				print_unfinished(t, th, k);
			}
			print_gone(t, th, k, tsc);
		}
		while (th->depth)
			pop(th);
	}
	if (t->o->quiet)
		return;
	for (size_t i = 0; i < t->capthr; i++) {
		struct thr *th = t->thr[i];

		if (th && th != caller && th->pid == pid)
			plus_line(t, th->tid, tsc, "+++ exited with %d +++",
				  code & 0xff);
	}
}

/* -c: one call of nr, with its result when it returned and its time */
static void account(struct limen_text *t, uint32_t nr, int has_ret,
		    int64_t ret, const struct limen_event *ent,
		    const struct limen_event *ex)
{
	struct count *c;

	if (!t->counts)
		return;
	c = &t->counts[nr < LIMEN_NSYSENT ? nr : LIMEN_NSYSENT];
	c->calls++;
	if (has_ret && ret < 0 && ret > -4096)
		c->errors++;
	if (ent && ex)
		c->ns += limen_clock_delta_ns(ent->tsc, ex->tsc);
}

static void on_enter(struct limen_text *t, struct thr *th,
		     struct limen_event *e)
{
	const struct limen_rec_sys *r = (const void *)e->rec;
	int hidden = e->flags & LIMEN_RECF_HIDDEN;
	struct proc *p;

	if (r->nr == SYS_exit_group || r->nr == SYS_exit) {
		int code = (int)r->args[0];
		uint32_t nr = r->nr;

		p = proc_get(t, th->pid);
		if (!hidden) {
			close_open(t);
			print_whole(t, th->tid, e, NULL, 1);
			account(t, r->nr, 0, 0, NULL, NULL);
		}
		free(e->rec);
		if (nr == SYS_exit_group) {
			threads_ended(t, th->pid, th, e->tsc, code);
			process_ended(t, p, th->tid, e->tsc, code);
		} else if (--p->threads <= 0) {
			process_ended(t, p, th->tid, e->tsc, code);
		} else {
			/* one thread's end, as strace -f shows it */
			if (!t->o->quiet)
				plus_line(t, th->tid, e->tsc,
					  "+++ exited with %d +++", code & 0xff);
			thr_del(t, th);
		}
		return;
	}
	if (hidden) {
		free(e->rec);
		return;
	}
	close_open(t);
	if (th->depth == MAX_NEST) {
		/* deeper than we keep (signal handlers nested 16 deep):
		   the outermost pending entry is shown now as unfinished
		   and its exit will show as resumed */
		if (!th->printed[0])
			print_unfinished(t, th, 0);
		free(th->ent[0].rec);
		memmove(&th->ent[0], &th->ent[1],
			(MAX_NEST - 1) * sizeof(th->ent[0]));
		memmove(&th->printed[0], &th->printed[1],
			(MAX_NEST - 1) * sizeof(th->printed[0]));
		th->depth--;
	}
	th->ent[th->depth] = *e;
	th->printed[th->depth] = 0;
	th->depth++;
	t->open = th;
}

static void killed_line(struct limen_text *t, struct proc *p, uint64_t tsc,
			int status)
{
	char nb[16];

	p->ended = 1;
	if (!t->o->quiet)
		plus_line(t, p->pid, tsc, "+++ killed by %s%s +++",
			  limen_signame(WTERMSIG(status), nb),
			  WCOREDUMP(status) ? " (core dumped)" : "");
	tell_ended(t, p->pid);
	proc_del(t, p);
}

static int close_untraced(struct limen_text *t, int32_t pid, uint64_t tsc);

/*
 * A traced process killed by a signal leaves no record of its end; its
 * parent's wait4 says how it ended (limen is not its tracer, strace is).
 */
static void reaped(struct limen_text *t, const struct limen_event *e)
{
	struct limen_call c;
	struct proc *p;
	int st;

	make_call(&c, NULL, e);
	if (!(c.cap_out[1].flags & LIMEN_BLOB_PRESENT) ||
	    c.cap_out[1].len < 4) {
		/* how it ended is not known, but that it ended is (unless
		   stops were asked for) */
		if (!(c.args[2] & (WUNTRACED | WCONTINUED)))
			close_untraced(t, (int32_t)c.ret, e->tsc);
		return;
	}
	memcpy(&st, c.cap_out[1].data, 4);
	p = proc_find(t, (int32_t)c.ret);
	/* a stop (WUNTRACED, a tracer's wait) is not an end */
	if (!p || !(WIFEXITED(st) || WIFSIGNALED(st)))
		return;
	if ((close_untraced(t, p->pid, e->tsc) || p->untraced) &&
	    WIFEXITED(st))
		process_ended(t, p, p->pid, e->tsc, WEXITSTATUS(st));
	if (!p->ended && WIFSIGNALED(st))
		killed_line(t, p, e->tsc, st);
}

static void on_exit_rec(struct limen_text *t, struct thr *th,
			struct limen_event *e)
{
	const struct limen_rec_sys *r = (const void *)e->rec;
	struct limen_event *top = th->depth ? &th->ent[th->depth - 1] : NULL;

	if (r->nr == SYS_execve || r->nr == SYS_execveat) {
		/* it failed: the process goes on traced */
		free(th->aside);
		th->aside = NULL;
		th->aside_shown = 0;
	}
	if (e->flags & LIMEN_RECF_HIDDEN)
		goto out;
	if (top && ((struct limen_rec_sys *)top->rec)->nr != r->nr)
		top = NULL;
	/* never made (a signal came first): the program makes the call
	   again after its handler, which is where the trace shows it; an
	   entry already shown as unfinished is closed as strace would */
	if ((e->flags & LIMEN_RECF_UNMADE) && top &&
	    !th->printed[th->depth - 1]) {
		if (t->open == th)
			t->open = NULL;
		pop(th);
		goto out;
	}
	if (top && t->open == th && !th->printed[th->depth - 1]) {
		t->open = NULL;
		print_whole(t, th->tid, top, e, 0);
	} else {
		close_open(t);
		/* without its entry (lost, or flushed by a LOST record) it
		   shows as strace shows an exit it did not see begin */
		print_resumed(t, th->tid, top, e);
	}
	account(t, r->nr, 1, r->ret, top, e);
	if (top)
		pop(th);
	if (r->nr == SYS_wait4 && r->ret > 0)
		reaped(t, e);
out:
	free(e->rec);
}

/* th's pending execve returned 0 (no_return: it is known only to have
   ended, shown as "= ?"). */
static void finish_exec(struct limen_text *t, struct thr *th, uint64_t tsc,
			int no_return)
{
	struct limen_event *top = &th->ent[th->depth - 1];
	struct limen_rec_sys *r = (void *)top->rec;
	struct limen_rec_sys fake = *r;
	struct limen_event ex = *top;

	fake.ret = 0;
	fake.ncap = 0;
	fake.tsc = tsc;
	ex.rec = (uint8_t *)&fake;
	ex.size = sizeof(fake);
	ex.tsc = tsc;
	if (t->open == th && !th->printed[th->depth - 1]) {
		t->open = NULL;
		print_whole(t, th->tid, top, no_return ? NULL : &ex, no_return);
	} else if (no_return) {
		close_open(t);
		prefix(t, th->tid, tsc);
		limen_sb_printf(&t->sb, "<... %s resumed>) = ?",
				r->nr == SYS_execve ? "execve" : "execveat");
		put_line(t);
	} else {
		close_open(t);
		print_resumed(t, th->tid, top, &ex);
	}
	account(t, r->nr, !no_return, 0, top, no_return ? NULL : &ex);
	pop(th);
}

/* A new image started in pid: its execve succeeded. */
static void exec_done(struct limen_text *t, int32_t pid, uint64_t tsc)
{
	for (size_t i = 0; i < t->capthr; i++) {
		struct thr *th = t->thr[i];

		if (!th || th->pid != pid)
			continue;
		/* the image limen stepped aside for ran, and exec'd one that
		   is traced again (busybox sh running a dynamic program):
		   the execve succeeded, the note stands */
		if (pending_exec(th)) {
			finish_exec(t, th, tsc, 0);
			show_aside(t, th, tsc);
		}
		free(th->aside);
		th->aside = NULL;
		th->aside_shown = 0;
	}
}

static const char no_runtime[] = "the runtime did not start in the new image";

/*
 * Process pid ended (reaped) with an execve still pending: the new image
 * ran untraced. Close the execve (it succeeded: the process went on) and
 * say why it was not traced. Returns 1 if pid was such a process.
 */
static int close_untraced(struct limen_text *t, int32_t pid, uint64_t tsc)
{
	int found = 0;

	for (size_t i = 0; i < t->capthr; i++) {
		struct thr *th = t->thr[i];

		if (!th || th->pid != pid || !pending_exec(th))
			continue;
		if (!th->aside && !th->aside_shown)
			th->aside = strdup(no_runtime);
		finish_exec(t, th, tsc, 0);
		show_aside(t, th, tsc);
		th->aside_shown = 0;
		found = 1;
	}
	return found;
}

/* A note's text came through memory the program can write: printable
 * ASCII only, and bounded, whatever the ring says. */
static void note_text(const struct limen_rec_note *n, char *out, size_t cap)
{
	const uint8_t *s = (const uint8_t *)(n + 1);
	size_t k = n->len < cap - 1 ? n->len : cap - 1;

	for (size_t i = 0; i < k; i++)
		out[i] = s[i] >= 0x20 && s[i] < 0x7f ? (char)s[i] : '?';
	out[k] = 0;
}

/* A NOTE record from the runtime. */
static void on_note(struct limen_text *t, struct thr *th,
		    const struct limen_event *e)
{
	const struct limen_rec_note *n = (const void *)e->rec;
	char why[160];
	int32_t pid;

	if (e->size < sizeof(*n) || n->len > e->size - sizeof(*n) ||
	    n->kind != LIMEN_NOTE_UNTRACED)
		return;
	note_text(n, why, sizeof(why));
	pid = n->pid ? n->pid : e->pid;
	if (pid == e->pid && pending_exec(th)) {
		/* shown with the execve's line, unless the execve fails */
		free(th->aside);
		th->aside = strdup(why);
		th->aside_shown = 0;
		/* already shown as <unfinished ...>: the note goes now */
		if (th->printed[th->depth - 1]) {
			close_open(t);
			show_aside(t, th, e->tsc);
		}
		return;
	}
	t->untraced++;
	proc_get(t, pid)->untraced = 1;
	plus_line(t, e->tid, e->tsc, "+++ limen: %d not traced: %s +++",
		  (int)pid, why);
}

/* --uaccess: the ranges under the call's line, as uaccess logging reports
 * them (R read, W written). */
static void uaccess_lines(struct limen_text *t, const struct limen_event *e)
{
	const struct limen_rec_uaccess *u = (const void *)e->rec;
	const struct limen_uaccess_ent *v = (const void *)(u + 1);
	uint32_t n;

	if (e->size < sizeof(*u))
		return;
	n = u->n;
	if (n > (e->size - sizeof(*u)) / sizeof(*v))
		n = (uint32_t)((e->size - sizeof(*u)) / sizeof(*v));
	close_open(t);
	for (uint32_t i = 0; i < n; i++) {
		prefix(t, e->tid, e->tsc);
		limen_sb_printf(&t->sb, "  uaccess %c 0x%llx+%llu",
				v[i].flags & 1 ? 'W' : 'R',
				(unsigned long long)v[i].addr,
				(unsigned long long)v[i].size);
		put_line(t);
	}
	if (u->total > n) {
		prefix(t, e->tid, e->tsc);
		limen_sb_printf(&t->sb, "  uaccess ... %u more",
				u->total - n);
		put_line(t);
	}
}

void limen_text_event(void *ctx, struct limen_event *e)
{
	struct limen_text *t = ctx;
	struct thr *th = thr_get(t, e->tid, e->pid);

	switch (e->type) {
	case LIMEN_REC_ENTER:
		on_enter(t, th, e);
		return;
	case LIMEN_REC_EXIT:
		on_exit_rec(t, th, e);
		return;
	case LIMEN_REC_START: {
		const struct limen_rec_start *s = (const void *)e->rec;
		struct proc *p = proc_get(t, e->pid);

		if (e->pid == t->child)
			t->child_seen = 1;
		if (s->kind == LIMEN_START_INIT) {
			exec_done(t, e->pid, e->tsc);
			/* the exec ended the process's other threads: as
			   strace shows it, their calls return ? and each
			   exits; then they leave the table */
			threads_ended(t, e->pid, th, e->tsc, 0);
			for (size_t i = 0; i < t->capthr; i++)
				while (t->thr[i] && t->thr[i] != th &&
				       t->thr[i]->pid == e->pid)
					thr_del(t, t->thr[i]);
			p->threads = 0;
			p->ended = 0;
		}
		p->threads++;
		break;
	}
	case LIMEN_REC_SIGNAL: {
		const struct limen_rec_sig *s = (const void *)e->rec;
		char nb[16];

		close_open(t);
		prefix(t, e->tid, e->tsc);
		limen_sb_printf(&t->sb, "--- %s ",
				limen_signame((int)s->sig, nb));
		limen_decode_siginfo(&t->sb, s->siginfo);
		limen_sb_puts(&t->sb, " ---");
		put_line(t);
		break;
	}
	case LIMEN_REC_NOTE:
		on_note(t, th, e);
		break;
	case LIMEN_EV_NOTE:
		plus_line(t, e->tid, e->tsc, "%s", (const char *)e->rec);
		break;
	case LIMEN_REC_LOST: {
		const struct limen_rec_lost *l = (const void *)e->rec;

		t->lost += l->count;
		/* the exits of this thread's pending entries may be among
		   the lost events: show the entries now as unfinished, so
		   that a later exit is never paired with the wrong entry */
		if (t->open == th)
			t->open = NULL;
		for (int k = 0; k < th->depth; k++)
			if (!th->printed[k])
				print_unfinished(t, th, k);
		while (th->depth)
			pop(th);

		plus_line(t, e->tid, e->tsc,
			  "+++ limen: %llu event%s lost on thread %d +++",
			  (unsigned long long)l->count,
			  l->count == 1 ? "" : "s", e->tid);
		break;
	}
	case LIMEN_REC_UACCESS:
		uaccess_lines(t, e);
		break;
	}
	free(e->rec);
}

void limen_text_set_child(struct limen_text *t, pid_t pid)
{
	t->child = pid;
}

int limen_text_seen(struct limen_text *t, pid_t pid)
{
	return (pid == t->child && t->child_seen) || proc_find(t, pid);
}

void limen_text_reaped(struct limen_text *t, pid_t pid, int status)
{
	struct proc *p = proc_find(t, pid);
	uint64_t now = limen_rdtsc();

	if (!p)
		return;
	if ((close_untraced(t, pid, now) || p->untraced) && WIFEXITED(status))
		process_ended(t, p, pid, now, WEXITSTATUS(status));
	if (!p->ended && WIFSIGNALED(status))
		killed_line(t, p, now, status);
}

void limen_text_child_status(struct limen_text *t, pid_t pid, int status)
{
	struct proc *p;

	if (pid == t->child && t->child_ended)
		return;
	close_untraced(t, pid, limen_rdtsc());
	p = proc_get(t, pid);
	if (WIFSIGNALED(status)) {
		if (!p->ended)
			killed_line(t, p, limen_rdtsc(), status);
	} else if (WIFEXITED(status)) {
		process_ended(t, p, pid, limen_rdtsc(), WEXITSTATUS(status));
	}
}

void limen_text_note(struct limen_text *t, const char *fmt, ...)
{
	va_list ap;
	char buf[512];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	close_open(t);
	fprintf(t->out, "%s\n", buf);
}

int limen_text_take_ended(struct limen_text *t, int32_t *pid)
{
	if (!t->nended)
		return 0;
	*pid = t->ended[--t->nended];
	return 1;
}

/*
 * A call that blocks (read on a terminal, sleep) would otherwise show only
 * once it returns: after a while it is printed as unfinished, as strace
 * shows a call in progress.
 */
void limen_text_tick(struct limen_text *t, uint64_t now)
{
	struct thr *th = t->open;

	if (th && th->depth &&
	    limen_clock_delta_ns(th->ent[th->depth - 1].tsc, now) >
		    200000000u)
		close_open(t);
}

int limen_text_flush(struct limen_text *t)
{
	errno = 0;
	return fflush(t->out);
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

/* -c / -C: strace's table, most time first */
static void summary(struct limen_text *t)
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

int limen_text_finish(struct limen_text *t)
{
	int r;

	/* what the tables still hold (tests check that ended threads and
	   processes are forgotten) */
	if (getenv("LIMEN_TABLE_STATS"))
		fprintf(stderr, "limen: tables: %zu threads, %zu processes\n",
			t->nthr, t->nprocs);
	close_open(t);
	for (size_t i = 0; i < t->capthr; i++) {
		struct thr *th = t->thr[i];

		if (!th)
			continue;
		/* never seen to end (its parent was not traced): the new
		   image ran untraced, its result is unknown */
		if (pending_exec(th)) {
			if (!th->aside && !th->aside_shown)
				th->aside = strdup(no_runtime);
			finish_exec(t, th, limen_rdtsc(), 1);
			show_aside(t, th, limen_rdtsc());
		}
		free(th->aside);
		for (int k = 0; k < th->depth; k++)
			if (!th->printed[k])
				print_unfinished(t, th, k);
		while (th->depth)
			pop(th);
		free(th);
	}
	if (t->counts) {
		summary(t);
		free(t->counts);
	}
	free(t->thr);
	free(t->procs);
	free(t->ended);
	limen_sb_free(&t->sb);
	r = fflush(t->out) || ferror(t->out) ? -1 : 0;
	free(t);
	return r;
}
