/* SPDX-License-Identifier: MIT */
/*
 * The collector layer (collector.h): the process and thread tables, the
 * pairing of entries with exits, and the order in which sinks are told
 * things. A call whose entry is the last thing told is "open"; before
 * anything else is told, the open call is told SUSPENDed (the text sink
 * prints it `<unfinished ...>`, as strace -f does), and its end later
 * says so. Records are borrowed from the drain: the entries still waiting
 * for their exits are copied into per-thread buffers that are reused, so
 * nothing is allocated per record.
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "collector/collector.h"
#include "collector/uevent.h"
#include "cli/notime.h"
#include "session/filter_abi.h"
#include "decode/oom.h"

#define MAX_NEST 16
#define MAX_SINKS 8

struct thr {
	int32_t tid, pid;
	int depth;
	struct limen_event ent[MAX_NEST]; /* pending entries, innermost last */
	int printed[MAX_NEST];            /* told as suspended */
	uint8_t *buf[MAX_NEST];           /* ent[k].rec's storage, reused */
	uint32_t cap[MAX_NEST];
	char *aside;            /* the pending execve starts an untraced
				   image: why (a NOTE record), not yet told */
	int aside_shown;        /* the note was told with the execve */
	uint64_t last_tsc;      /* its latest record's time */
	uint64_t prev_tsc;      /* the one before (while one is handled) */
	int exec_hidden;        /* an execve no -e selected is in flight
				   (its bookkeeping entry came) */
	int32_t made_tid;       /* the id its last clone returned, until
				   its next entry: a second record of that
				   clone's result (the runtime's note after
				   a filter's record) is the same thread */
};

/* a process's threads counted by one of the two records that make them
   known and not yet by the other (struct proc's half) */
#define HALF 32

struct proc {
	int32_t pid;
	int threads;
	int ended;
	int untraced;           /* limen stepped aside for it: no record
				   will say how it ends, its reaper will */
	uint64_t untraced_tsc;  /* when that was said */
	int exiting;            /* exit_group was entered by exit_tid: the
				   process ends when it is reaped (its other
				   threads may still write records), unless
				   the call returns (a seccomp filter) */
	int32_t exit_tid;
	int exit_status;        /* the wait status its code makes */
	int zombie;             /* its leader called exit while other
				   threads lived: its line waits for the
				   group's end */
	uint64_t exit_tsc;
	/* threads counted by one of their parent's clone (its result, as
	   -tid) and their own START (tid), whichever came first, waiting
	   for the other (half_take); 0: free */
	int32_t half[HALF];
	unsigned half_next;
};

/* children made by traced clone, fork and vfork calls, remembered until
   they are reaped (or BORN more were made): one killed before its runtime
   started writes no record, and its reaper's wait is then the only word
   of it (reaped). The processes that started are remembered longer
   (STARTED: every new process and image writes a START record) until
   they are reaped, for reaped to tell a child that started from one that
   never did, whatever order their records came in. */
#define BORN 256
#define STARTED 4096

struct limen_collector {
	const struct limen_opts *o;
	struct limen_sink *sinks[MAX_SINKS];
	int nsinks;
	struct thr **thr;       /* open addressing on tid */
	size_t nthr, capthr;
	struct proc *procs;
	size_t nprocs, capprocs;
	struct thr *open;       /* whose innermost entry is not told yet */
	int multi;              /* more than one thread seen */
	int32_t first_tid;
	int32_t *ended;         /* processes that ended, for the session */
	size_t nended, capended;
	uint64_t replay_tsc;    /* a report: "now" is the recording's time */
	pid_t child;            /* the command: its end is kept after the */
	int child_seen;         /* process table forgets it */
	int child_ended;
	struct limen_uev_defs *uev; /* user events' formats, by id */
	struct limen_sb uev_sb;
	struct thr *last;       /* the thread of the record before: most
				   records follow one of their own thread's */
	int notime;             /* LIMEN_CTL_NO_TIME: stamps order, no more */
	int32_t lone_exit;      /* a process with one thread that entered
				   exit_group: the record before was its
				   (lone_exits) */
	int32_t born[BORN];     /* the last children traced calls made
				   (born_add), 0: none */
	unsigned born_next;
	int32_t started[STARTED]; /* the last processes that started */
	unsigned started_next;
	int early;              /* threads counted at their parent's clone
				   that have not started: tracees for the
				   [pid N] prefix, as strace's */
	/* what the trace shows, to bound the counts the session says
	   (limen_collector_untraced_bound): the program can write them */
	uint64_t made;          /* clone, fork, vfork results: a child */
	uint64_t images;        /* execve and execveat entries */
	uint64_t lost;          /* events lost by the counts believed */
	uint64_t start_tsc;     /* the collector's own start */
	struct zap { int32_t init, pid; } *zaps; /* limen_collector_zap */
	size_t nzaps, capzaps;
};

/* What happens outside the rings (a reap, the end) happens now, or, in a
   report, when the recording says it did. */
static uint64_t now_tsc(const struct limen_collector *t)
{
	return t->replay_tsc ? t->replay_tsc : limen_rdtsc();
}

#define EACH_SINK(col, k) \
	for (int _i = 0; _i < (col)->nsinks && ((k) = (col)->sinks[_i]); _i++)

static struct thr **thr_find(const struct limen_collector *t, int32_t tid);

/* 1 when tid is the one thread the table holds */
static int thr_alone(const struct limen_collector *t, int32_t tid)
{
	return t->nthr == 1 && !t->early && t->capthr && *thr_find(t, tid);
}

static struct limen_at at_of(const struct limen_collector *col, int32_t tid,
			     int32_t pid, uint64_t tsc)
{
	/* strace -f prefixes "[pid N] " while more than one of its
	   tracees lives: a parent's lines after its last child's end go
	   without it again (a line of a thread the table does not hold, a
	   child that never started, keeps it) */
	return (struct limen_at){ .tid = tid, .pid = pid, .tsc = tsc,
				  .multi = (col->multi || col->nthr) &&
					   !thr_alone(col, tid) };
}

static void tell_call(struct limen_collector *col, enum limen_call_what w,
		      const struct thr *th, uint64_t tsc,
		      const struct limen_event *ent,
		      const struct limen_event *ex, int suspended)
{
	struct limen_callev c = { .ent = ent, .ex = ex,
				  .suspended = suspended };
	struct limen_at at = at_of(col, th->tid, th->pid, tsc);
	struct limen_sink *k;

	EACH_SINK(col, k)
		k->ops->call(k, w, &at, &c);
}

static void tell_note(struct limen_collector *col, enum limen_tell_kind kind,
		      int32_t tid, int32_t pid, uint64_t tsc, int32_t about,
		      const char *text)
{
	struct limen_at at = at_of(col, tid, pid, tsc);
	struct limen_sink *k;

	EACH_SINK(col, k)
		if (k->ops->note)
			k->ops->note(k, kind, &at, about, text);
}

static void tell_end(struct limen_collector *col, int32_t tid, int32_t pid,
		     uint64_t tsc, int status)
{
	struct limen_at at = at_of(col, tid, pid, tsc);
	struct limen_sink *k;

	EACH_SINK(col, k)
		if (k->ops->end)
			k->ops->end(k, &at, status);
}

void limen_callev_fill(struct limen_call *c, const struct limen_callev *ce);

static void fill_caps(struct limen_call *c, const struct limen_event *e,
		      int at_exit)
{
	const struct limen_rec_sys *r = (const void *)e->rec;
	const uint8_t *p = e->rec + sizeof(*r), *end = e->rec + e->size;

	for (uint32_t k = 0; k < r->ncap; k++) {
		const struct limen_cap *cap = (const void *)p;
		struct limen_blob *b;

		if (p + sizeof(*cap) > end ||
		    (cap->arg >= 6 && (cap->arg < LIMEN_CAP_FD ||
				       cap->arg > LIMEN_CAP_NETLINK)) ||
		    p + sizeof(*cap) + cap->len > end)
			break;
		if (cap->arg == LIMEN_CAP_DUMP)	/* -e read=, -e write= */
			b = &c->dump;
		else if (cap->arg == LIMEN_CAP_NETLINK)
			b = &c->netlink;
		else if (cap->arg >= LIMEN_CAP_FD) /* -y: limen_fdinfo */
			b = &c->fdinfo[cap->arg - LIMEN_CAP_FD];
		else
			b = at_exit ? &c->cap_out[cap->arg] :
				      &c->cap_in[cap->arg];
		b->data = p + sizeof(*cap);
		b->len = cap->len;
		b->flags = LIMEN_BLOB_PRESENT | cap->flags;
		p += sizeof(*cap) + LIMEN_ALIGN8(cap->len);
	}
}

void limen_callev_fill(struct limen_call *c, const struct limen_callev *ce)
{
	const struct limen_rec_sys *r =
		(const void *)(ce->ent ? ce->ent->rec : ce->ex->rec);

	limen_zero(c, sizeof(*c));
	c->nr = r->nr;
	/* an i386 call: hold() marked its copy's number, the flag says it */
	if ((ce->ent ? ce->ent : ce->ex)->flags & LIMEN_RECF_I386)
		c->nr = LIMEN_DEC_I386 | (r->nr & 0x7fffffffu);
	memcpy(c->args, r->args, sizeof(c->args));
	if (ce->ent)
		fill_caps(c, ce->ent, 0);
	if (ce->ex) {
		c->ret = ((const struct limen_rec_sys *)ce->ex->rec)->ret;
		c->has_ret = 1;
		fill_caps(c, ce->ex, 1);
	}
}

uint64_t limen_callev_ns(const struct limen_callev *ce)
{
	uint64_t t0, n0, t1, n1, ns, span;

	if (!ce->ent || !ce->ex)
		return 0;
	ns = limen_clock_delta_ns(ce->ent->tsc, ce->ex->tsc);
	/* the stamps are the program's to write: no call lasts longer
	   than the clock's line, which spans the run (clock.c; a
	   recording's, in a report) */
	limen_clock_params(&t0, &n0, &t1, &n1);
	span = limen_clock_delta_ns(t0, t1);
	return ns < span ? ns : span;
}

static struct thr **thr_find(const struct limen_collector *t, int32_t tid)
{
	size_t m = t->capthr - 1, i = (size_t)tid * 2654435761u & m;

	while (t->thr[i] && t->thr[i]->tid != tid)
		i = (i + 1) & m;
	return &t->thr[i];
}

static struct thr *thr_get(struct limen_collector *t, int32_t tid,
			   int32_t pid)
{
	struct thr **pp;

	if (t->last && t->last->tid == tid) {
		t->last->pid = pid;
		return t->last;
	}
	if (2 * (t->nthr + 1) > t->capthr) {
		struct thr **old = t->thr;
		size_t oldcap = t->capthr;

		t->capthr = oldcap ? 2 * oldcap : 64;
		t->thr = calloc(t->capthr, sizeof(*t->thr));
		if (!t->thr)
			limen_out_of_memory();
		for (size_t i = 0; i < oldcap; i++)
			if (old[i])
				*thr_find(t, old[i]->tid) = old[i];
		free(old);
	}
	pp = thr_find(t, tid);
	if (!*pp) {
		*pp = calloc(1, sizeof(**pp));
		if (!*pp)
			limen_out_of_memory();
		(*pp)->tid = tid;
		(*pp)->pid = pid;
		t->nthr++;
		if (!t->first_tid)
			t->first_tid = tid;
		else if (tid != t->first_tid)
			t->multi = 1;
	}
	(*pp)->pid = pid;
	t->last = *pp;
	return *pp;
}

static struct proc *proc_find(struct limen_collector *t, int32_t pid)
{
	for (size_t i = 0; i < t->nprocs; i++)
		if (t->procs[i].pid == pid)
			return &t->procs[i];
	return NULL;
}

static struct proc *proc_get(struct limen_collector *t, int32_t pid)
{
	struct proc *p = proc_find(t, pid);

	if (p)
		return p;
	if (t->nprocs == t->capprocs) {
		t->capprocs = t->capprocs ? 2 * t->capprocs : 16;
		t->procs = realloc(t->procs, t->capprocs * sizeof(*t->procs));
		if (!t->procs)
			limen_out_of_memory();
	}
	t->procs[t->nprocs] = (struct proc){ .pid = pid };
	return &t->procs[t->nprocs++];
}

/* limen stepped aside for pid, said at tsc */
static void proc_untraced(struct limen_collector *t, int32_t pid,
			  uint64_t tsc)
{
	struct proc *p = proc_get(t, pid);

	if (!p->untraced)
		p->untraced_tsc = tsc;
	p->untraced = 1;
}

static void pop(struct thr *th)
{
	th->depth--;
	th->ent[th->depth].rec = NULL;
}

/* Keep entry e (borrowed from the drain) as th's innermost pending one. */
static void push(struct thr *th, const struct limen_event *e)
{
	int d = th->depth;

	if (th->cap[d] < e->size) {
		uint32_t cap = e->size < 256 ? 256 : e->size;

		free(th->buf[d]);
		th->buf[d] = malloc(cap);
		if (!th->buf[d])
			limen_out_of_memory();
		th->cap[d] = cap;
	}
	memcpy(th->buf[d], e->rec, e->size);
	th->ent[d] = *e;
	th->ent[d].rec = th->buf[d];
	th->printed[d] = 0;
	th->depth++;
}

static void thr_free(struct thr *th)
{
	for (int k = 0; k < MAX_NEST; k++)
		free(th->buf[k]);
	free(th->aside);
	free(th);
}

/*
 * A thread that ended leaves the table (20,000 short processes must not
 * cost the collector 20,000 thread records): linear probing, so the
 * entries after it that could have hashed to its place move back.
 */
static void thr_unlink(struct limen_collector *t, struct thr *th)
{
	size_t m = t->capthr - 1;
	struct thr **pp = thr_find(t, th->tid);
	size_t i = (size_t)(pp - t->thr), j = i;

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

static void thr_del(struct limen_collector *t, struct thr *th)
{
	if (t->open == th)
		t->open = NULL;
	if (t->last == th)
		t->last = NULL;
	thr_unlink(t, th);
	thr_free(th);
}

/* p's threads not started are gone (its exec, its end) */
static void half_clear(struct limen_collector *t, struct proc *p)
{
	for (unsigned i = 0; i < HALF; i++) {
		t->early -= p->half[i] < 0;
		p->half[i] = 0;
	}
}

/* A process ended and was told: forget it and its threads. */
static void proc_del(struct limen_collector *t, struct proc *p)
{
	int32_t pid = p->pid;

	for (size_t i = 0; i < t->capthr; i++) {
		while (t->thr[i] && t->thr[i]->pid == pid)
			thr_del(t, t->thr[i]);
	}
	if (pid == t->child)
		t->child_ended = 1;
	if (pid == t->lone_exit)
		t->lone_exit = 0;
	/* its threads not started yet end with it */
	half_clear(t, p);
	*p = t->procs[--t->nprocs];
}

struct limen_collector *limen_collector_new(const struct limen_opts *o)
{
	/* mapped, not calloc'd from the heap, which clears all of its 17
	   KiB: page faults at every start (11 us each on a VM that keeps
	   its guests' page tables) for pages mostly never used */
	struct limen_collector *t = mmap(NULL, sizeof(*t),
					 PROT_READ | PROT_WRITE,
					 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (t == MAP_FAILED)
		limen_out_of_memory();
	t->o = o;
	t->notime = limen_opts_timeless(o); /* as session.c tells the runtime */
	t->uev = limen_uev_defs_new();
	t->start_tsc = limen_rdtsc();
	return t;
}

void limen_collector_add(struct limen_collector *col, struct limen_sink *k)
{
	if (col->nsinks == MAX_SINKS)
		abort();
	col->sinks[col->nsinks++] = k;
}

static int is_exec(const struct limen_event *e)
{
	const struct limen_rec_sys *r = (const void *)e->rec;

	/* an int $0x80 execve (11) or execveat (358): hold() marked its
	   number */
	if (e->flags & LIMEN_RECF_I386)
		return r->nr == (0x80000000u | 11) || r->nr == (0x80000000u | 358);
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
 * after the execve is told. Without a reason from the runtime, the image
 * was expected to load the runtime and never did.
 */
static void show_aside(struct limen_collector *t, struct thr *th,
		       uint64_t tsc)
{
	char *why = th->aside;

	if (!why)
		return;
	th->aside = NULL;
	th->aside_shown = 1;
	tell_note(t, LIMEN_TELL_UNTRACED, th->tid, th->pid, tsc, th->pid, why);
	free(why);
}

static void suspend(struct limen_collector *t, struct thr *th, int k)
{
	tell_call(t, LIMEN_CALL_SUSPEND, th, th->ent[k].tsc, &th->ent[k],
		  NULL, 0);
	th->printed[k] = 1;
	/* an execve's note (th->aside) waits for its outcome: told
	   suspended, it may still fail */
}

/* Something else is about to be told: the open entry goes first. */
static void close_open(struct limen_collector *t)
{
	struct thr *th = t->open;

	t->open = NULL;
	if (th && th->depth && !th->printed[th->depth - 1])
		suspend(t, th, th->depth - 1);
}

/* The session retires the slots of processes that ended. */
static void tell_ended(struct limen_collector *t, int32_t pid)
{
	if (t->nended == t->capended) {
		t->capended = t->capended ? 2 * t->capended : 16;
		t->ended = realloc(t->ended, t->capended * sizeof(*t->ended));
		if (!t->ended)
			limen_out_of_memory();
	}
	t->ended[t->nended++] = pid;
}

/* A thread or process end, unless -q asked not to hear of them. */
static void end_line(struct limen_collector *t, int32_t tid, int32_t pid,
		     uint64_t tsc, int status)
{
	if (t->o->quiet)
		return;
	close_open(t);
	tell_end(t, tid, pid, tsc, status);
}

static struct proc *zaps_first(struct limen_collector *t, struct proc *p,
			       uint64_t tsc);

static void process_ended(struct limen_collector *t, struct proc *p,
			  int32_t tid, uint64_t tsc, int code)
{
	if (p->ended || !(p = zaps_first(t, p, tsc)))
		return;
	p->ended = 1;
	end_line(t, tid, p->pid, tsc, W_EXITCODE(code & 0xff, 0));
	tell_ended(t, p->pid);
	proc_del(t, p);
}

/* th ended in its calls: as strace -f shows it, they end without a
   result */
static void calls_gone(struct limen_collector *t, struct thr *th,
		       uint64_t tsc)
{
	int k = th->depth - 1;

	/* the call it was in, told whole when nothing came between:
	   "kill(PID, SIGKILL) = ?" */
	if (k >= 0 && t->open == th && !th->printed[k]) {
		t->open = NULL;
		tell_call(t, LIMEN_CALL_GONE, th, tsc, &th->ent[k], NULL, 0);
		pop(th);
	}
	for (k = th->depth - 1; k >= 0; k--) {
		/* its line comes between the open call's entry and end */
		close_open(t);
		if (!th->printed[k])
			suspend(t, th, k);
		tell_call(t, LIMEN_CALL_GONE, th, tsc, &th->ent[k], NULL, 1);
	}
	while (th->depth)
		pop(th);
}

/*
 * exit_group by `caller` (or a signal that kills its process) ends every
 * other thread of its process: as strace -f shows it, the calls they were
 * in end without a result and each thread ends before the caller, with
 * the process's wait status.
 */
static void threads_ended(struct limen_collector *t, int32_t pid,
			  const struct thr *caller, const struct thr *quiet,
			  uint64_t tsc, int status)
{
	for (size_t i = 0; i < t->capthr; i++) {
		struct thr *th = t->thr[i];

		if (th && th != caller && th->pid == pid)
			calls_gone(t, th, tsc);
	}
	/* quiet: its calls end, its line is the caller's to tell. Each
	   leaves the table after its line: the caller's comes without the
	   [pid N] prefix when it is the last, as strace -f tells it */
	for (size_t i = 0; i < t->capthr; i++) {
		struct thr *th;

		while ((th = t->thr[i]) && th != caller && th != quiet &&
		       th->pid == pid) {
			end_line(t, th->tid, pid, tsc, status);
			thr_del(t, th);
		}
	}
}


static void on_enter(struct limen_collector *t, struct thr *th,
		     struct limen_event *e)
{
	const struct limen_rec_sys *r = (const void *)e->rec;
	int hidden = e->flags & LIMEN_RECF_HIDDEN;
	struct proc *p;

	th->made_tid = 0;
	if (is_exec(e))
		t->images++;

	/* an exit whose result -e inject= gave returns: a call as others */
	if (r->nr == SYS_exit && !(e->flags & LIMEN_RECF_REPLACED)) {
		int code = (int)r->args[0];

		p = proc_get(t, th->pid);
		if (!hidden) {
			close_open(t);
			tell_call(t, LIMEN_CALL_END, th, e->tsc, e, NULL, 0);
		}
		if (--p->threads <= 0 && p->zombie) {
			/* the last thread of a process whose leader left
			   first: its own end, then the leader's, with the
			   process's status (the kernel gives the last
			   thread's code), as strace -f shows it */
			end_line(t, th->tid, th->pid, e->tsc,
				 W_EXITCODE(code & 0xff, 0));
			thr_del(t, th);
			process_ended(t, p, p->pid, e->tsc, code);
		} else if (p->threads <= 0) {
			process_ended(t, p, th->tid, e->tsc, code);
		} else if (th->tid == th->pid) {
			/* the leader left and others live: it stays a
			   zombie until the group ends, and its line comes
			   last then, with the group's status (strace -f);
			   it stays in the table, a tracee for the [pid N]
			   prefix as for strace */
			p->zombie = 1;
		} else {
			/* one thread's end, as strace -f shows it */
			end_line(t, th->tid, th->pid, e->tsc,
				 W_EXITCODE(code & 0xff, 0));
			thr_del(t, th);
		}
		return;
	}
	/* exit_group: the process ends when it is gone (group_end), not
	   here: until the kernel kills them its other threads go on, and
	   the call itself may return (refused by a seccomp filter) */
	if (r->nr == SYS_exit_group && !(e->flags & LIMEN_RECF_REPLACED)) {
		p = proc_get(t, th->pid);
		p->exiting = 1;
		p->exit_tid = th->tid;
		p->exit_status = W_EXITCODE((int)r->args[0] & 0xff, 0);
		p->exit_tsc = e->tsc;
		t->lone_exit = th->pid;
		for (size_t i = 0; i < t->capthr; i++)
			if (t->thr[i] && t->thr[i] != th &&
			    t->thr[i]->pid == th->pid)
				t->lone_exit = 0;
	}
	if (hidden) {
		/* which thread exec'd, should another thread's execve
		   replace the leader (superseded) */
		if (is_exec(e))
			th->exec_hidden = 1;
		return;
	}
	close_open(t);
	if (th->depth == MAX_NEST) {
		/* deeper than we keep (signal handlers nested 16 deep):
		   the outermost pending entry is told now as suspended
		   and its exit will come without its entry */
		uint8_t *b = th->buf[0];
		uint32_t cap = th->cap[0];

		if (!th->printed[0])
			suspend(t, th, 0);
		memmove(&th->ent[0], &th->ent[1],
			(MAX_NEST - 1) * sizeof(th->ent[0]));
		memmove(&th->printed[0], &th->printed[1],
			(MAX_NEST - 1) * sizeof(th->printed[0]));
		memmove(&th->buf[0], &th->buf[1],
			(MAX_NEST - 1) * sizeof(th->buf[0]));
		memmove(&th->cap[0], &th->cap[1],
			(MAX_NEST - 1) * sizeof(th->cap[0]));
		th->buf[MAX_NEST - 1] = b;
		th->cap[MAX_NEST - 1] = cap;
		th->depth--;
	}
	push(th, e);
	t->open = th;
}

/* p's threads that a traced clone made and that never wrote a record
   (killed before their first instruction, or given no ring): strace -f
   shows each end too, with the group's status */
static void unstarted_ended(struct limen_collector *t, struct proc *p,
			    uint64_t tsc, int status)
{
	for (unsigned i = 0; i < HALF; i++)
		if (p->half[i] < 0)
			end_line(t, -p->half[i], p->pid, tsc, status);
	half_clear(t, p);
}

/* Every thread of p ended with status, in the calls it was in (which end
   without a result), tid's line last; then p is forgotten. */
static void group_gone(struct limen_collector *t, struct proc *p,
		       int32_t tid, uint64_t tsc, int status)
{
	struct thr *me;

	if (!(p = zaps_first(t, p, tsc)))
		return;
	me = t->capthr ? *thr_find(t, tid) : NULL;

	p->ended = 1;
	if (me && me->pid != p->pid)
		me = NULL;
	unstarted_ended(t, p, tsc, status);
	if (p->zombie && tid != p->pid) {
		/* the leader that left first ends last (strace -f) */
		struct thr *lead = *thr_find(t, p->pid);

		threads_ended(t, p->pid, me, lead, tsc, status);
		if (me)
			calls_gone(t, me, tsc);
		end_line(t, tid, p->pid, tsc, status);
		if (me)
			thr_del(t, me);
		tid = p->pid;
		me = NULL;
	} else {
		threads_ended(t, p->pid, me, NULL, tsc, status);
	}
	if (me)
		calls_gone(t, me, tsc);
	end_line(t, tid, p->pid, tsc, status);
	tell_ended(t, p->pid);
	proc_del(t, p);
}

/* a signal killed every thread of the process, in its calls */
static void killed_line(struct limen_collector *t, struct proc *p,
			uint64_t tsc, int status)
{
	group_gone(t, p, p->pid, tsc, status);
}

static int close_untraced(struct limen_collector *t, int32_t pid,
			  uint64_t tsc, int status);

/*
 * A process that entered exit_group is gone (its wait status came: a reap,
 * or the trace ends), and the records its threads wrote until then were
 * told before: as strace -f shows it, the caller's exit_group ends without
 * a result, so do the calls its other threads were in, each of them ends,
 * then the caller, with the process's wait status.
 */
static void group_end(struct limen_collector *t, struct proc *p,
		      uint64_t tsc, int status)
{
	struct thr *me = t->capthr ? *thr_find(t, p->exit_tid) : NULL;
	struct limen_event *top;

	if (p->ended)
		return;
	p->exiting = 0;
	if (WIFSIGNALED(status)) {
		killed_line(t, p, tsc, status);
		return;
	}
	if (me && me->pid != p->pid)
		me = NULL;
	top = me && me->depth ? &me->ent[me->depth - 1] : NULL;
	if (top && t->open == me && !me->printed[me->depth - 1] &&
	    ((const struct limen_rec_sys *)top->rec)->nr == SYS_exit_group) {
		/* nothing came between: told whole, as it was entered */
		t->open = NULL;
		tell_call(t, LIMEN_CALL_END, me, top->tsc, top, NULL, 0);
		pop(me);
	}
	/* an exit's status here: the line W_EXITCODE of its code gave */
	group_gone(t, p, p->exit_tid, tsc, status);
}

/*
 * The processes of a pid namespace whose init ended were killed by the
 * kernel with SIGKILL (zap_pid_ns_processes) before the init's own end, and
 * reaped there: no wait of ours or of a traced parent says so. As strace -f
 * shows it, the calls they were in end with "= ?", each of their threads
 * with "+++ killed by SIGKILL +++", before the init's "+++ exited" line. A
 * process that entered exit_group first ends with its own status (the
 * kill does not change it). 1 if one was told.
 */
static int zap_one(struct limen_collector *t, size_t i, uint64_t tsc)
{
	int32_t pid = t->zaps[i].pid;
	struct proc *p;

	t->zaps[i] = t->zaps[--t->nzaps];
	p = proc_find(t, pid);
	if (!p || p->ended)
		return 0;
	if (p->exiting)
		group_end(t, p, tsc, p->exit_status);
	else
		killed_line(t, p, tsc, W_EXITCODE(0, SIGKILL));
	return 1;
}

/* Before p's end: the processes its namespace's end killed. p again (the
   table moves as processes leave it), NULL if it went meanwhile. */
static struct proc *zaps_first(struct limen_collector *t, struct proc *p,
			       uint64_t tsc)
{
	int32_t pid = p->pid;
	int told = 0;

	/* from the start after each: an end told can tell others (a
	   namespace nested in this one) and move the list */
	for (size_t i = 0; i < t->nzaps; i++)
		if (t->zaps[i].init == pid) {
			told |= zap_one(t, i, tsc);
			i = (size_t)-1;
		}
	return told ? proc_find(t, pid) : p;
}

/* How a process that entered exit_group ended, from its wait status:
   1 if it was such a process. */
static int exiting_gone(struct limen_collector *t, int32_t pid, uint64_t tsc,
			int status)
{
	struct proc *p = proc_find(t, pid);

	if (!p || !p->exiting || p->ended ||
	    !(WIFEXITED(status) || WIFSIGNALED(status)))
		return 0;
	group_end(t, p, tsc, status);
	return 1;
}


static void born_add(struct limen_collector *t, int32_t pid)
{
	t->born[t->born_next++ % BORN] = pid;
}

/* pid was reaped: a process that starts with its id later is another */
static void started_forget(struct limen_collector *t, int32_t pid)
{
	for (unsigned i = 0; pid > 0 && i < STARTED; i++)
		if (t->started[i] == pid)
			t->started[i] = 0;
}

/* pid was reaped: 1 if it was one of the children born_add remembers and
   never started; both forget it */
static int born_take(struct limen_collector *t, int32_t pid)
{
	int born = 0;

	for (unsigned i = 0; pid > 0 && i < BORN; i++)
		if (t->born[i] == pid) {
			t->born[i] = 0;
			born = 1;
		}
	for (unsigned i = 0; born && i < STARTED; i++)
		if (t->started[i] == pid)
			born = 0;
	started_forget(t, pid);
	return born;
}

/*
 * A traced process killed by a signal leaves no record of its end; its
 * parent's wait4 or waitid (pid reaped, status: NULL when the call did not
 * say) says how it ended (limen is not its tracer, strace is). So does it
 * for a child killed before its runtime started (no record at all), if a
 * traced call made it. stops: the call asked for stops and continues too.
 */
static void reaped(struct limen_collector *t, int32_t pid, const int *status,
		   int stops, uint64_t tsc)
{
	struct proc *p;
	int st, born;

	if (!status) {
		/* how it ended is not known, but that it ended is (unless
		   stops were asked for) */
		if (!stops) {
			born_take(t, pid);
			close_untraced(t, pid, tsc, -1);
		}
		return;
	}
	st = *status;
	/* a stop (WUNTRACED, a tracer's wait) or a continue is not an end:
	   the child is still the one born, whose end a later wait tells
	   (one stopped before its first instruction has no record) */
	if (!(WIFEXITED(st) || WIFSIGNALED(st)))
		return;
	born = born_take(t, pid);
	p = proc_find(t, pid);
	if (!p && born)
		p = proc_get(t, pid);
	if (!p)
		return;
	if ((close_untraced(t, p->pid, tsc, st) || p->untraced || born) &&
	    WIFEXITED(st))
		process_ended(t, p, p->pid, tsc, WEXITSTATUS(st));
	if (!p->ended && WIFSIGNALED(st))
		killed_line(t, p, tsc, st);
}

/*
 * -e status= on an execve: the runtime kept its entry without knowing
 * its result (a successful execve returns in a new image); the result
 * decides here whether the call is shown, while nothing of it has been.
 */
static int status_hides(const struct limen_collector *t,
			const struct thr *th, int64_t ret)
{
	const struct limen_rec_sys *r = (const void *)th->ent[th->depth - 1].rec;
	unsigned want = t->o ? t->o->exec_status : 0;

	if (!want || th->printed[th->depth - 1] ||
	    (r->nr != SYS_execve && r->nr != SYS_execveat))
		return 0;
	return !(want & (ret < 0 && ret > -4096 ? LIMEN_FST_FAILED :
						   LIMEN_FST_SUCCESSFUL));
}

/*
 * th's wait4 reaped a process that entered exit_group: it ends in the
 * trace before the wait4 that tells so, and before that wait4's entry if
 * nothing of it was told yet (the process was gone before the call).
 */
/* th's open entry, not told yet, stays untold while something else is
   told (a child's end its wait says): 1 when it was, to be opened again */
static int hold_open(struct limen_collector *t, const struct thr *th)
{
	int hold = t->open == th && th->depth && !th->printed[th->depth - 1];

	if (hold)
		t->open = NULL;
	return hold;
}

static void wait4_gone(struct limen_collector *t, struct thr *th,
		       int32_t pid, uint64_t tsc, int st)
{
	int hold = hold_open(t, th);

	exiting_gone(t, pid, tsc, st);
	if (hold)
		t->open = th;
}

/*
 * The child a wait4 or waitid exit record e reaped: 1 and its pid, and its
 * wait status in *st with *have_st (wait4's status word, captured; waitid's
 * siginfo, turned into one); 0: it reaped none (a failure, WNOHANG with
 * nothing to reap, waitid's WNOWAIT, a stop or a continue).
 */
static int wait_reaped(const struct limen_event *e, int32_t *pid, int *st,
		       int *have_st)
{
	const struct limen_rec_sys *r = (const void *)e->rec;
	struct limen_callev ce = { .ex = e };
	struct limen_call c;
	const struct limen_blob *b;
	int32_t code, status;

	*have_st = 0;
	if (r->nr == SYS_wait4) {
		if (r->ret <= 0)
			return 0;
		*pid = (int32_t)r->ret;
		limen_callev_fill(&c, &ce);
		b = &c.cap_out[1];
		if ((b->flags & LIMEN_BLOB_PRESENT) && b->len >= 4) {
			memcpy(st, b->data, 4);
			*have_st = 1;
		}
		return 1;
	}
	if (r->nr != SYS_waitid || r->ret != 0 || (r->args[3] & WNOWAIT))
		return 0;
	limen_callev_fill(&c, &ce);
	b = &c.cap_out[2];
	if (!(b->flags & LIMEN_BLOB_PRESENT) || b->len < 28)
		return 0;
	memcpy(&code, b->data + 8, 4);
	memcpy(pid, b->data + 16, 4);
	memcpy(&status, b->data + 24, 4);
	if (*pid <= 0)
		return 0; /* WNOHANG: none had changed state */
	switch (code) {
	case CLD_EXITED:
		*st = W_EXITCODE(status & 0xff, 0);
		break;
	case CLD_KILLED:
		*st = status & 0x7f;
		break;
	case CLD_DUMPED:
		*st = (status & 0x7f) | WCOREFLAG;
		break;
	default:
		return 0; /* a stop, a continue: not an end */
	}
	*have_st = 1;
	return 1;
}

/* nr made a child (ret: its pid, in the parent) */
static int makes_child(const struct limen_rec_sys *r)
{
	if (r->ret <= 0)
		return 0;
	switch (r->nr) {
	case SYS_clone:
		return !(r->args[0] & CLONE_THREAD);
	case SYS_clone3: /* a thread too: forgotten among the BORN */
	case SYS_fork:
	case SYS_vfork:
		return 1;
	}
	return 0;
}

static void exec_succeeded(struct limen_collector *t, struct thr *th,
			   uint64_t tsc, int no_return);
static void id_given(struct limen_collector *t, int32_t id, int32_t pid,
		     uint64_t tsc);

/*
 * A vfork's parent resumes when its child's execve succeeded, or when the
 * child ended: a child whose note no failure withdrew (its records all
 * came before this one) exec'd. Said now, its execve's line is still
 * whole (-b execve: strace's <detached ...>), not at its end, much later.
 */
/* clone3's flags, from its entry's captured struct clone_args (top, the
   thread's entry of the same call, when it was recorded); 0: not known */
static uint64_t clone3_flags(const struct limen_event *top)
{
	struct limen_callev ce = { .ent = top };
	struct limen_call c;
	uint64_t f;

	if (!top || ((const struct limen_rec_sys *)top->rec)->nr != SYS_clone3)
		return 0;
	limen_callev_fill(&c, &ce);
	if (!(c.cap_in[0].flags & LIMEN_BLOB_PRESENT) || c.cap_in[0].len < 8)
		return 0;
	memcpy(&f, c.cap_in[0].data, 8);
	return f;
}

static void vfork_resumed(struct limen_collector *t,
			  const struct limen_rec_sys *r,
			  const struct limen_event *top, uint64_t tsc)
{
	int32_t child = (int32_t)r->ret;

	/* glibc's posix_spawn: clone3 with CLONE_VFORK */
	if (r->ret <= 0 ||
	    !(r->nr == SYS_vfork ||
	      (r->nr == SYS_clone && (r->args[0] & CLONE_VFORK)) ||
	      (r->nr == SYS_clone3 && (clone3_flags(top) & CLONE_VFORK))))
		return;
	for (size_t i = 0; i < t->capthr; i++) {
		struct thr *th = t->thr[i];

		if (th && th->pid == child && th->aside) {
			exec_succeeded(t, th, tsc, 0);
			th->aside_shown = 0;
		}
	}
}

/*
 * A new thread is made known twice: by its parent's clone, which returns
 * its id, and by its own START record. It counts among its process's
 * threads from the first of the two, so that a leader that leaves before
 * the thread wrote anything (pthread_create, then pthread_exit) does not
 * end the process in the trace (strace -f: the group's end comes last,
 * with its status), and once only. 1 if the other record counted tid.
 */
static int half_take(struct limen_collector *t, struct proc *p, int32_t tid)
{
	for (unsigned i = 0; i < HALF; i++)
		if (p->half[i] == tid || p->half[i] == -tid) {
			t->early -= p->half[i] < 0;
			p->half[i] = 0;
			return 1;
		}
	return 0;
}

/* tid counted, by its parent's clone (made) or its START */
static void half_put(struct limen_collector *t, struct proc *p, int32_t tid,
		     int made)
{
	int32_t *h = &p->half[p->half_next++ % HALF];

	/* a clone whose thread's START never comes (it got no ring: it
	   records no end either) ages out, its count undone; a START
	   whose clone never comes (made by an untraced thread) keeps its
	   count: the thread's own end takes it back */
	if (*h < 0) {
		t->early--;
		p->threads--;
	}
	*h = made ? -tid : tid;
	t->early += made;
}

/* the parent's clone made a thread (the new id in r->ret): counted */
static void thread_made(struct limen_collector *t, struct thr *th,
			const struct limen_rec_sys *r,
			const struct limen_event *top, uint16_t rflags)
{
	struct proc *p;
	int32_t tid = (int32_t)r->ret;
	int hidden = (rflags & LIMEN_RECF_HIDDEN) != 0;
	uint64_t flags;

	/* every exit record comes here: the cheap tests first, the
	   process's look-up (a scan) only for a clone's new id */
	if (r->ret <= 0 || r->ret > INT32_MAX ||
	    (r->nr != SYS_clone && r->nr != SYS_clone3) ||
	    th->made_tid == tid)
		return;
	p = proc_find(t, th->pid);
	if (!p || p->ended)
		return;
	th->made_tid = tid;
	/* an injected result made no thread */
	if (rflags & LIMEN_RECF_INJECTED)
		return;
	if (r->nr == SYS_clone)
		flags = r->args[0];
	else if (r->nr == SYS_clone3 && (hidden || !top))
		/* the runtime's note of a clone3 no -e selected carries
		   its flags in the third argument (limen_end_note) */
		flags = hidden ? r->args[2] : 0;
	else
		flags = clone3_flags(top);
	/* its START came first: a thread, counted then */
	if (half_take(t, p, tid) || !(flags & CLONE_THREAD))
		return;
	half_put(t, p, tid, 1);
	p->threads++;
}

static void on_exit_rec(struct limen_collector *t, struct thr *th,
			struct limen_event *e)
{
	const struct limen_rec_sys *r = (const void *)e->rec;
	struct limen_event *top = th->depth ? &th->ent[th->depth - 1] : NULL;
	int32_t pid = 0;
	int st = 0, have_st = 0, reap = wait_reaped(e, &pid, &st, &have_st);
	int stops = r->nr == SYS_wait4 ?
			    !!(r->args[2] & (WUNTRACED | WCONTINUED)) :
			    !!(r->args[3] & (WSTOPPED | WCONTINUED));

	if (r->nr == SYS_execve || r->nr == SYS_execveat) {
		/* it failed: the process goes on traced */
		th->exec_hidden = 0;
		free(th->aside);
		th->aside = NULL;
		th->aside_shown = 0;
	}
	if (r->nr == SYS_exit_group) {
		/* it returned (refused by a seccomp filter): the process
		   goes on */
		struct proc *p = proc_find(t, th->pid);

		if (p && p->exiting && p->exit_tid == th->tid)
			p->exiting = 0;
	}
	/* a writer in a PID namespace below ours names its children and
	   the processes it reaps by that namespace's ids, not ours */
	if (e->nested)
		reap = have_st = 0;
	if (r->ret > 0 && (r->nr == SYS_clone || r->nr == SYS_clone3 ||
			   r->nr == SYS_fork || r->nr == SYS_vfork))
		t->made++;
	if (makes_child(r) && !e->nested) {
		struct proc *was = proc_find(t, (int32_t)r->ret);
		/* before the clone was made (its entry; without one, the
		   parent's record before its exit): the new process's own
		   note (a child that steps aside at once: PTRACE_TRACEME, a
		   valgrind guest) can come before its parent's clone exit,
		   never before its entry */
		uint64_t made = top && ((struct limen_rec_sys *)top->rec)->nr ==
					       r->nr ?
					top->tsc :
					th->prev_tsc;

		if (was && was->untraced && !was->ended &&
		    was->untraced_tsc < made)
			id_given(t, (int32_t)r->ret, (int32_t)r->ret, e->tsc);
		born_add(t, (int32_t)r->ret);
		vfork_resumed(t, r, top, e->tsc);
	}
	if (!e->nested)
		thread_made(t, th, r, top, e->flags);
	if (have_st)
		wait4_gone(t, th, pid, e->tsc, st);
	/* the child's end before the wait that says it: a child killed by
	   a signal ends in the trace before its parent's
	   wait4(..., [{WIFSIGNALED(s) ...}]) = pid, the wait's entry, not
	   told yet, held untold meanwhile and shown whole after. A hidden
	   record (a call nothing selected, its exit kept for what it says
	   of a child's end: the runtime's limen_end_note) holds the entry
	   only when it is the same wait, selected, whose own record cannot
	   say how the child ended (the runtime's limen_wait_args) */
	if (reap) {
		int hold = (!(e->flags & LIMEN_RECF_HIDDEN) ||
			    (top && ((struct limen_rec_sys *)top->rec)->nr ==
					    r->nr)) &&
			   hold_open(t, th);

		reaped(t, pid, have_st ? &st : NULL, stops, e->tsc);
		if (hold)
			t->open = th;
	}
	if (e->flags & LIMEN_RECF_HIDDEN)
		return;
	if (top && ((struct limen_rec_sys *)top->rec)->nr != r->nr)
		top = NULL;
	/* never made (a signal came first): the program makes the call
	   again after its handler, which is where the trace shows it; an
	   entry already told as suspended is ended as strace would */
	if (top && !th->printed[th->depth - 1] &&
	    ((e->flags & LIMEN_RECF_UNMADE) || status_hides(t, th, r->ret))) {
		if (t->open == th)
			t->open = NULL;
		pop(th);
		return;
	}
	if (top && t->open == th && !th->printed[th->depth - 1]) {
		t->open = NULL;
		tell_call(t, LIMEN_CALL_END, th, e->tsc, top, e, 0);
	} else {
		close_open(t);
		/* without its entry (lost, or flushed by a LOST record) it
		   is told as an exit whose beginning was not seen */
		tell_call(t, LIMEN_CALL_END, th, e->tsc, top, e, 1);
	}
	if (top)
		pop(th);
}

/* th's pending execve returned 0 (no_return: it is known only to have
   ended, without a result). */
static void finish_exec(struct limen_collector *t, struct thr *th,
			uint64_t tsc, int no_return)
{
	struct limen_event *top = &th->ent[th->depth - 1];
	struct limen_rec_sys *r = (void *)top->rec;
	struct limen_rec_sys fake = *r;
	struct limen_event ex = *top;

	fake.ret = 0;
	fake.ncap = 0;
	fake.tsc = tsc;
	ex.type = LIMEN_REC_EXIT;
	ex.rec = (uint8_t *)&fake;
	ex.size = sizeof(fake);
	ex.tsc = tsc;
	if (status_hides(t, th, 0)) {
		if (t->open == th)
			t->open = NULL;
		pop(th);
		return;
	}
	if (t->open == th && !th->printed[th->depth - 1]) {
		t->open = NULL;
		tell_call(t, LIMEN_CALL_END, th, tsc, top,
			  no_return ? NULL : &ex, 0);
	} else {
		close_open(t);
		tell_call(t, LIMEN_CALL_END, th, tsc, top,
			  no_return ? NULL : &ex, 1);
	}
	pop(th);
}

/*
 * th's execve succeeded (no_return: it is known only to have ended): the
 * execve ends, and the note the runtime wrote before it (th->aside) now
 * stands. With -b execve the note comes first, right after the execve as
 * far as it was told: nothing more of that process is told after it, not
 * the execve's end (the text sink's <detached ...>).
 */
static void exec_succeeded(struct limen_collector *t, struct thr *th,
			   uint64_t tsc, int no_return)
{
	/* no record will say how it ends (known before its end: a vfork
	   parent's return), its reaper will */
	if (th->aside)
		proc_untraced(t, th->pid, tsc);
	if (t->o && t->o->detach_exec && th->aside) {
		/* its entry not told yet: told now, suspended, not another
		   thread's (which would come between the two) */
		if (t->open == th)
			close_open(t);
		show_aside(t, th, tsc);
	}
	if (pending_exec(th))
		finish_exec(t, th, tsc, no_return);
	show_aside(t, th, tsc);
}

/* A new image started in pid: its execve succeeded. */
static void exec_done(struct limen_collector *t, int32_t pid, uint64_t tsc)
{
	for (size_t i = 0; i < t->capthr; i++) {
		struct thr *th = t->thr[i];

		if (!th || th->pid != pid)
			continue;
		/* the image limen stepped aside for ran, and exec'd one that
		   is traced again (busybox sh running a dynamic program):
		   the execve succeeded, the note stands */
		if (pending_exec(th) || th->aside)
			exec_succeeded(t, th, tsc, 0);
		free(th->aside);
		th->aside = NULL;
		th->aside_shown = 0;
	}
}

static const char no_runtime[] = "the runtime did not start in the new image";

/*
 * th's execve in flight, or one the trace does not show whose note
 * (th->aside) no failure withdrew, known now to have succeeded: told so
 * (exec_succeeded), with no_runtime's note when the runtime sent none,
 * unless quiet (its end says enough). 0: th had none.
 */
static int exec_untold(struct limen_collector *t, struct thr *th,
		       uint64_t tsc, int no_return, int quiet)
{
	if (!pending_exec(th) && !th->aside)
		return 0;
	if (pending_exec(th) && !th->aside && !th->aside_shown && !quiet)
		th->aside = strdup(no_runtime);
	exec_succeeded(t, th, tsc, no_return);
	return 1;
}

/*
 * Process pid ended (reaped, with wait status status, -1: not known) with
 * an execve still pending: the new image ran untraced. Close the execve
 * (it succeeded: the process went on) and say why it was not traced.
 * Returns 1 if pid was such a process. Without a reason from the runtime,
 * a process SIGKILLed was most often killed before its runtime could
 * start (a timeout's kill as it execs): its end says enough.
 */
static int close_untraced(struct limen_collector *t, int32_t pid,
			  uint64_t tsc, int status)
{
	int found = 0;

	for (size_t i = 0; i < t->capthr; i++) {
		struct thr *th = t->thr[i];

		if (!th || th->pid != pid ||
		    !exec_untold(t, th, tsc, 0,
				 status != -1 && WIFSIGNALED(status) &&
					 WTERMSIG(status) == SIGKILL))
			continue;
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
static void on_note(struct limen_collector *t, struct thr *th,
		    const struct limen_event *e)
{
	const struct limen_rec_note *n = (const void *)e->rec;
	char why[200];
	int32_t pid;

	if (e->size < sizeof(*n) || n->len > e->size - sizeof(*n))
		return;
	if (n->kind == LIMEN_NOTE_UEVENTS) {
		note_text(n, why, sizeof(why));
		close_open(t);
		tell_note(t, LIMEN_TELL_RECORD, e->tid, e->pid, e->tsc, 0, why);
		return;
	}
	if (n->kind == LIMEN_NOTE_EXEC_UNTRACED) {
		/* written before the thread's execve, which may fail (a
		   PATH search's attempts): held until its outcome, whether
		   the trace shows the execve or not. A failure withdraws it
		   (LIMEN_NOTE_EXEC_FAILED, or the execve's exit record); the
		   new image's start or the process's end confirms it. */
		note_text(n, why, sizeof(why));
		free(th->aside);
		th->aside = strdup(why);
		th->aside_shown = 0;
		return;
	}
	if (n->kind == LIMEN_NOTE_EXEC_FAILED) {
		free(th->aside);
		th->aside = NULL;
		th->aside_shown = 0;
		return;
	}
	if (n->kind != LIMEN_NOTE_UNTRACED)
		return;
	note_text(n, why, sizeof(why));
	pid = n->pid ? n->pid : e->pid;
	if (pid == e->pid && pending_exec(th)) {
		/* told with the execve, unless the execve fails */
		free(th->aside);
		th->aside = strdup(why);
		th->aside_shown = 0;
		return;
	}
	proc_untraced(t, pid, e->tsc);
	close_open(t);
	tell_note(t, LIMEN_TELL_UNTRACED, e->tid, e->pid, e->tsc, pid, why);
}

static void tell_superseded(struct limen_collector *col, int32_t pid,
			    uint64_t tsc, int32_t old_tid)
{
	struct limen_at at = at_of(col, pid, pid, tsc);
	struct limen_sink *k;

	EACH_SINK(col, k)
		if (k->ops->superseded)
			k->ops->superseded(k, &at, old_tid);
}

/*
 * A new image started in pid (lead: the leader's thread, the START
 * record's), and a thread of pid other than the leader had an execve
 * pending: that thread exec'd, and the kernel gave it the leader's id.
 * As strace -f shows it, the calls of the others (the leader's too) end
 * without a result, the others but the leader end, the leader's line
 * says "+++ superseded by execve in pid OLD +++" and the execve ends
 * under the leader's id. Returns the thread that goes on as pid.
 */
static struct thr *superseded(struct limen_collector *t, struct thr *lead,
			      int32_t pid, uint64_t tsc)
{
	struct thr *x = NULL;
	int32_t old;

	/* two threads' execve in flight: the kernel lets one win and
	   kills the other in its call; which one is not recorded, the
	   first found is taken */
	for (size_t i = 0; i < t->capthr && !x; i++)
		if (t->thr[i] && t->thr[i] != lead && t->thr[i]->pid == pid &&
		    t->thr[i]->tid != pid &&
		    (pending_exec(t->thr[i]) || t->thr[i]->exec_hidden))
			x = t->thr[i];
	if (lead)
		lead->exec_hidden = 0;
	if (!x)
		return lead;
	old = x->tid;
	threads_ended(t, pid, x, lead, tsc, W_EXITCODE(0, 0));
	if (t->open == x && pending_exec(x) && !x->printed[x->depth - 1]) {
		/* nothing came between its entry and the exec: strace ends
		   the line with the id the thread goes on with */
		struct limen_callev c = { .ent = &x->ent[x->depth - 1],
					  .pid_changed = pid };
		struct limen_at at = at_of(t, x->tid, x->pid, c.ent->tsc);
		struct limen_sink *k;

		t->open = NULL;
		EACH_SINK(t, k)
			k->ops->call(k, LIMEN_CALL_SUSPEND, &at, &c);
		x->printed[x->depth - 1] = 1;
	}
	/* its execve's line, cut off by the superseded line, as strace's
	   (not when no -e selected it), under the id it was made with */
	close_open(t);
	if (pending_exec(x) && !x->printed[x->depth - 1])
		suspend(t, x, x->depth - 1);
	if (lead)
		thr_del(t, lead);
	thr_unlink(t, x);
	x->tid = pid;
	*thr_find(t, pid) = x;
	t->nthr++;
	t->last = x;
	x->exec_hidden = 0;
	/* strace prints it whatever -qq says; -qqq, quiet=superseded drop
	   it */
	if (!t->o || !t->o->quiet_superseded)
		tell_superseded(t, pid, tsc, old);
	return x;
}

static void on_start(struct limen_collector *t, struct thr *th,
		     const struct limen_event *e)
{
	const struct limen_rec_start *s = (const void *)e->rec;
	struct proc *p = proc_get(t, e->pid);

	t->started[t->started_next++ % STARTED] = e->pid;
	if (e->pid == t->child)
		t->child_seen = 1;
	if (s->kind == LIMEN_START_INIT) {
		th = superseded(t, th, e->pid, e->tsc);
		exec_done(t, e->pid, e->tsc);
		/* the exec ended the process's other threads: as strace
		   shows it, their calls end without a result and each
		   exits; then they leave the table */
		threads_ended(t, e->pid, th, NULL, e->tsc, W_EXITCODE(0, 0));
		for (size_t i = 0; i < t->capthr; i++)
			while (t->thr[i] && t->thr[i] != th &&
			       t->thr[i]->pid == e->pid)
				thr_del(t, t->thr[i]);
		p->threads = 0;
		p->ended = 0;
		p->zombie = 0;
		/* the exec ended the threads not started yet too */
		half_clear(t, p);
	}
	/* a slot's tid is the program's to write (session.c, identify):
	   no clone returns one <= 0, and -INT32_MIN is undefined */
	if (s->kind == LIMEN_START_THREAD && e->tid > 0) {
		if (half_take(t, p, e->tid))
			return; /* counted at its parent's clone */
		half_put(t, p, e->tid, 0);
	}
	p->threads++;
}

/*
 * A count of lost events is the program's to write (a LOST record in its
 * ring, its slot's counter): believed when the thread could have lost
 * that many in the time the collector has run, one event per TSC cycle
 * at most (a record attempt costs its thread hundreds). Not checked in a
 * report, whose clock is the recording's.
 */
static int lost_believed(const struct limen_collector *t, uint64_t count)
{
	return t->replay_tsc || count <= limen_rdtsc() - t->start_tsc;
}

static void on_lost(struct limen_collector *t, struct thr *th,
		    const struct limen_event *e)
{
	const struct limen_rec_lost *l = (const void *)e->rec;
	struct limen_at at;
	struct limen_sink *k;
	char why[200];

	/* the exits of this thread's pending entries may be among the
	   lost events: tell the entries now as suspended, so that a later
	   exit is never paired with the wrong entry */
	if (t->open == th)
		t->open = NULL;
	for (int d = 0; d < th->depth; d++)
		if (!th->printed[d])
			suspend(t, th, d);
	while (th->depth)
		pop(th);
	close_open(t);
	if (!lost_believed(t, l->count)) {
		/* said as the session's other corruptions are (session.c) */
		snprintf(why, sizeof(why),
			 "+++ limen: the ring of thread %d was corrupted (a "
			 "count of %llu lost events, more than it could lose "
			 "in the run): how many it lost is unknown +++",
			 (int)e->tid, (unsigned long long)l->count);
		tell_note(t, LIMEN_TELL_RECORD, e->tid, e->pid, e->tsc, 0, why);
		return;
	}
	t->lost = t->lost + l->count < t->lost ? UINT64_MAX :
						 t->lost + l->count;
	at = at_of(t, e->tid, e->pid, e->tsc);
	EACH_SINK(t, k)
		if (k->ops->loss)
			k->ops->loss(k, &at, l->count);
}

/*
 * The most threads the session's count of untraced ones (threads_untraced,
 * which the program can write) can be: one for each 256 TSC cycles the
 * collector has run (starting a thread costs a CPU tens of thousands of
 * cycles, some 60000 here: room for a machine of 200 CPUs starting
 * threads on all at once; one a cycle, as at first, let a 1 s run claim
 * 3e9). Not what the
 * trace shows: a thread that got no ring starts threads of its own, none
 * of them in the trace, and an honest program was said to have corrupted
 * the session (tests/syscalls/filter_untraced_nested.t).
 */
uint64_t limen_collector_untraced_bound(const struct limen_collector *t)
{
	uint64_t run = (limen_rdtsc() - t->start_tsc) / 256;

	/* and at least as many as the trace shows, whatever the TSC says */
	return run > 1 + t->made + t->images + t->lost ?
		       run :
		       1 + t->made + t->images + t->lost;
}

/* A user event: one line, in time order with the calls around it. */
static void on_uevent(struct limen_collector *t, const struct limen_event *e)
{
	struct limen_at at = at_of(t, e->tid, e->pid, e->tsc);
	struct limen_sink *k;

	limen_sb_reset(&t->uev_sb);
	if (limen_uev_render(t->uev, e->rec, e->size, &t->uev_sb) < 0)
		return;
	limen_sb_putc(&t->uev_sb, 0);
	close_open(t);
	EACH_SINK(t, k)
		if (k->ops->uevent)
			k->ops->uevent(k, &at, t->uev_sb.p);
}

/* A SIGCHLD delivered in the trace says a child that entered exit_group
   is gone (its parent hears once all its threads are): it ends there. */
static void child_signal(struct limen_collector *t,
			 const struct limen_event *e)
{
	const struct limen_rec_sig *s = (const void *)e->rec;
	siginfo_t si;
	int st;

	if (e->size < sizeof(*s) || s->sig != SIGCHLD)
		return;
	memcpy(&si, s->siginfo, sizeof(si));
	if (si.si_code == CLD_EXITED)
		st = W_EXITCODE(si.si_status & 0xff, 0);
	else if (si.si_code == CLD_KILLED || si.si_code == CLD_DUMPED)
		st = (si.si_status & 0x7f) |
		     (si.si_code == CLD_DUMPED ? WCOREFLAG : 0);
	else
		return;
	exiting_gone(t, si.si_pid, e->tsc, st);
}

/*
 * A process with one thread entered exit_group and another process's
 * record comes: its call did not return first (its exit would be the
 * next record of its ring), it is gone there, as strace -f shows it.
 * One with more threads waits for its wait status: they may still make
 * calls.
 */
static void lone_exits(struct limen_collector *t, int32_t pid)
{
	struct proc *p;

	if (!t->lone_exit || t->lone_exit == pid)
		return;
	p = proc_find(t, t->lone_exit);
	t->lone_exit = 0;
	if (p && p->exiting)
		group_end(t, p, p->exit_tsc, p->exit_status);
}

/* th's calls in progress, as the trace's end tells them (suspended): it
   is gone, and how it ended is not known */
static void thr_gone_quiet(struct limen_collector *t, struct thr *th)
{
	if (th->depth)
		close_open(t);
	for (int d = 0; d < th->depth; d++)
		if (!th->printed[d])
			suspend(t, th, d);
	while (th->depth)
		pop(th);
}

/*
 * A thread or process starts (e, a START record other than a new image's)
 * with an id the tables still hold: the one that had it is gone, though
 * no record said so. A process detached on its execve (-b execve) whose
 * parent ignores SIGCHLD is reaped by the kernel, and no wait tells its
 * end; nor one that exec'd an image limen could not trace, or one killed
 * before it wrote a record. What is known of it is told now (its execve
 * succeeded: the note; an exit_group entered: its end), the rest of it is
 * forgotten, and the sinks hear that the id is another's from here on.
 * The parent's clone that returned the id says so too, for a new process
 * that writes no START (one limen steps aside for): a process known
 * untraced under that id then is the old one (a new one is known
 * untraced only after its parent's return, or after its START).
 */
static void id_given(struct limen_collector *t, int32_t id, int32_t pid,
		     uint64_t tsc)
{
	struct thr **pp = t->capthr ? thr_find(t, id) : NULL;
	struct thr *old = pp ? *pp : NULL;
	struct proc *p;
	struct limen_at at;
	struct limen_sink *k;

	if (old)
		exec_untold(t, old, tsc, 0, 0);
	/* a new thread's id is no process's either */
	p = proc_find(t, id);
	if (p && p->exiting)
		group_end(t, p, tsc, p->exit_status);
	if ((p = proc_find(t, id))) {
		for (size_t i = 0; i < t->capthr; i++)
			if (t->thr[i] && t->thr[i]->pid == p->pid)
				thr_gone_quiet(t, t->thr[i]);
		proc_del(t, p);
	}
	pp = t->capthr ? thr_find(t, id) : NULL;
	if (pp && *pp) {
		thr_gone_quiet(t, *pp);
		thr_del(t, *pp);
	}
	at = at_of(t, id, pid, tsc);
	EACH_SINK(t, k)
		if (k->ops->born)
			k->ops->born(k, &at);
}

static void id_reused(struct limen_collector *t, const struct limen_event *e)
{
	const struct limen_rec_start *s = (const void *)e->rec;

	if (e->size >= sizeof(*s) && s->kind != LIMEN_START_INIT)
		id_given(t, e->tid, e->pid, e->tsc);
}

void limen_collector_event(void *ctx, struct limen_event *e)
{
	struct limen_collector *t = ctx;
	struct thr *th;

	lone_exits(t, e->pid);
	if (e->type == LIMEN_REC_START)
		id_reused(t, e);
	th = thr_get(t, e->tid, e->pid);
	th->prev_tsc = th->last_tsc;
	th->last_tsc = e->tsc;

	switch (e->type) {
	case LIMEN_REC_ENTER:
		on_enter(t, th, e);
		break;
	case LIMEN_REC_EXIT:
		on_exit_rec(t, th, e);
		break;
	case LIMEN_REC_START:
		on_start(t, th, e);
		break;
	case LIMEN_REC_SIGNAL: {
		struct limen_at at = at_of(t, e->tid, e->pid, e->tsc);
		struct limen_sink *k;

		child_signal(t, e);
		close_open(t);
		EACH_SINK(t, k)
			if (k->ops->signal)
				k->ops->signal(k, &at, (const void *)e->rec);
		break;
	}
	case LIMEN_REC_NOTE:
		on_note(t, th, e);
		break;
	case LIMEN_EV_NOTE:
		close_open(t);
		tell_note(t, LIMEN_TELL_RECORD, e->tid, e->pid, e->tsc, 0,
			  (const char *)e->rec);
		break;
	case LIMEN_REC_LOST:
		on_lost(t, th, e);
		break;
	case LIMEN_REC_UEVDEF:
		limen_uev_define(t->uev, e->rec, e->size);
		break;
	case LIMEN_REC_UEVENT:
		on_uevent(t, e);
		break;
	case LIMEN_REC_STACK:
	case LIMEN_REC_MAPS: {
		/* -k: for the call still open (nothing is closed for it) */
		struct limen_at at = at_of(t, e->tid, e->pid, e->tsc);
		struct limen_sink *k;

		EACH_SINK(t, k)
			if (k->ops->stack)
				k->ops->stack(k, &at, e);
		break;
	}
	case LIMEN_REC_UACCESS: {
		struct limen_at at = at_of(t, e->tid, e->pid, e->tsc);
		struct limen_sink *k;

		if (e->size < sizeof(struct limen_rec_uaccess))
			break;
		close_open(t);
		EACH_SINK(t, k)
			if (k->ops->ranges)
				k->ops->ranges(k, &at, e);
		break;
	}
	}
}

void limen_collector_replay_at(struct limen_collector *t, uint64_t tsc)
{
	t->replay_tsc = tsc;
}

void limen_collector_set_child(struct limen_collector *t, pid_t pid)
{
	t->child = pid;
}

int limen_collector_seen(struct limen_collector *t, pid_t pid)
{
	return (pid == t->child && t->child_seen) || proc_find(t, pid);
}

void limen_collector_reaped(struct limen_collector *t, pid_t pid, int status)
{
	struct proc *p = proc_find(t, pid);
	uint64_t now = now_tsc(t);

	started_forget(t, pid);
	if (!p || exiting_gone(t, pid, now, status))
		return;
	if ((close_untraced(t, pid, now, status) || p->untraced) &&
	    WIFEXITED(status))
		process_ended(t, p, pid, now, WEXITSTATUS(status));
	if (!p->ended && WIFSIGNALED(status))
		killed_line(t, p, now, status);
}

void limen_collector_child_status(struct limen_collector *t, pid_t pid,
				  int status)
{
	struct proc *p;

	if (pid == t->child && t->child_ended)
		return;
	if (exiting_gone(t, pid, now_tsc(t), status))
		return;
	close_untraced(t, pid, now_tsc(t), status);
	p = proc_get(t, pid);
	if (WIFSIGNALED(status)) {
		if (!p->ended)
			killed_line(t, p, now_tsc(t), status);
	} else if (WIFEXITED(status)) {
		process_ended(t, p, pid, now_tsc(t), WEXITSTATUS(status));
	}
}

size_t limen_collector_exiting(const struct limen_collector *t,
			       int32_t *pid, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < t->nprocs && n < max; i++)
		if (t->procs[i].exiting && !t->procs[i].ended)
			pid[n++] = t->procs[i].pid;
	return n;
}

void limen_collector_gone(struct limen_collector *t, pid_t pid)
{
	struct proc *p = proc_find(t, pid);

	if (p && p->exiting)
		group_end(t, p, now_tsc(t), p->exit_status);
}

void limen_collector_zap(struct limen_collector *t, pid_t init, pid_t pid)
{
	if (pid == init || pid <= 0)
		return;
	for (size_t i = 0; i < t->nzaps; i++)
		if (t->zaps[i].pid == pid)
			return;
	if (t->nzaps == t->capzaps) {
		t->capzaps = t->capzaps ? 2 * t->capzaps : 16;
		t->zaps = realloc(t->zaps, t->capzaps * sizeof(*t->zaps));
		if (!t->zaps)
			limen_out_of_memory();
	}
	t->zaps[t->nzaps++] = (struct zap){ .init = init, .pid = pid };
}

void limen_collector_zapped(struct limen_collector *t)
{
	uint64_t now = now_tsc(t);

	while (t->nzaps)
		zap_one(t, t->nzaps - 1, now);
}

void limen_collector_note(struct limen_collector *t, const char *fmt, ...)
{
	va_list ap;
	char buf[512];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	close_open(t);
	tell_note(t, LIMEN_TELL_TOOL, 0, 0, now_tsc(t), 0, buf);
}

int limen_collector_take_ended(struct limen_collector *t, int32_t *pid)
{
	if (!t->nended)
		return 0;
	*pid = t->ended[--t->nended];
	return 1;
}

/*
 * A call that blocks (read on a terminal, sleep) would otherwise be told
 * only once it returns: after a while it is told as suspended, as strace
 * shows a call in progress.
 */
#define BLOCKED_NS 200000000u

int32_t limen_collector_stale(const struct limen_collector *t, uint64_t now)
{
	const struct thr *th = t->open;
	const struct limen_event *e = th && th->depth ?
					      &th->ent[th->depth - 1] : NULL;

	/* a counter's stamp (LIMEN_CTL_NO_TIME, lone.c) lags the clock:
	   then since the drain that took the entry; an entry no drain took
	   (read back from a recording) has only its stamp */
	if (e && limen_clock_delta_ns(t->notime && e->seen ? e->seen : e->tsc,
				      now) > BLOCKED_NS)
		return th->tid;
	return 0;
}

void limen_collector_tick(struct limen_collector *t, uint64_t now)
{
	if (limen_collector_stale(t, now))
		close_open(t);
}

int limen_collector_flush(struct limen_collector *t)
{
	int r = 0, err = 0;
	struct limen_sink *k;

	EACH_SINK(t, k) {
		errno = 0;
		if (k->ops->flush(k) != 0 && !r) {
			r = -1;
			err = errno;
		}
	}
	errno = err;
	return r;
}

int limen_collector_finish(struct limen_collector *t)
{
	int r = 0, err = 0;
	struct limen_sink *k;

	/* what the tables still hold (tests check that ended threads and
	   processes are forgotten) */
	if (getenv("LIMEN_TABLE_STATS"))
		fprintf(stderr, "limen: tables: %zu threads, %zu processes\n",
			t->nthr, t->nprocs);
	/* the trace ends: every record is in, a process that entered
	   exit_group and was not seen gone is */
	for (size_t i = 0; i < t->nprocs; i++)
		if (t->procs[i].exiting && !t->procs[i].ended)
			limen_collector_gone(t, t->procs[i--].pid);
	close_open(t);
	for (size_t i = 0; i < t->capthr; i++) {
		struct thr *th = t->thr[i];

		if (!th)
			continue;
		/* never seen to end (its parent was not traced): the new
		   image ran untraced, its result is unknown */
		exec_untold(t, th, now_tsc(t), 1, 0);
		thr_gone_quiet(t, th);
		thr_free(th);
	}
	t->last = NULL;
	EACH_SINK(t, k) {
		errno = 0;
		if (k->ops->finish(k) != 0 && !r) {
			r = -1;
			err = errno;
		}
	}
	free(t->thr);
	free(t->procs);
	free(t->ended);
	free(t->zaps);
	limen_uev_defs_free(t->uev);
	limen_sb_free(&t->uev_sb);
	munmap(t, sizeof(*t));
	errno = err;
	return r;
}
