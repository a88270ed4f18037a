/* SPDX-License-Identifier: MIT */
/*
 * The collector's side of the session: create the shared memory, drain the
 * rings (the consumer protocol is described in session/session.h), and keep
 * the slot table tidy.
 *
 * Everything in the shared memory is written by the traced program too, and
 * a program may scribble into what it maps: the geometry, each slot's
 * identity (learned once, when the slot is claimed) and each ring's consumer
 * position live in the collector's own memory (struct limen_slotview);
 * every record is checked (size for its type, bounds) before it is used; a
 * corrupted ring is skipped up to its head with a note naming the thread,
 * and the other threads carry on.
 *
 * Thread ids: the runtime reports the ids its own PID namespace gives it
 * (gettid/getpid). Inside a PID namespace those are not ours, so each slot's
 * ids are looked up in our /proc (NSpid/NStgid lines) among our descendants;
 * a slot whose thread cannot be found keeps the runtime's ids and is never
 * judged alive or dead by them (tgkill on another namespace's id would ask
 * about some other thread).
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cli.h"
#include "notime.h"
#include "session/filter_abi.h"
#include "session/uevent_area.h"
#include "decode/decode.h"
#include "decode/oom.h"

/* the futex word the runtime reads is the mutex's first */
_Static_assert(sizeof(pthread_mutex_t) <=
		       sizeof(((struct limen_ctl *)0)->collector_lock),
	       "collector_lock holds a pthread_mutex_t");

static uint32_t seccomp_filters(void);

/*
 * The memfd is sized for LIMEN_NSLOTS_MAX rings at once and then sealed: it
 * can never shrink under a mapping (a traced program can reopen it through
 * /proc/<our pid>/fd and ftruncate it, which would kill us with SIGBUS on
 * the next access) and never needs to grow. It is sparse, so the size costs
 * nothing: a ring's pages exist once its thread writes them and are punched
 * out again when the thread is gone. Sizing it per ring or per chunk of
 * rings as the tree grows would need a memfd (and a seal) per chunk and a
 * way for every process to learn about new ones; a sparse maximum gives the
 * same memory cost with one descriptor.
 */
int limen_session_create(struct limen_session *s, const struct limen_opts *o)
{
	struct limen_geom *g = &s->geom;
	uint32_t ring = o->ring_bytes ? o->ring_bytes : LIMEN_RING_BYTES_DEFAULT;
	uint32_t nslots = LIMEN_NSLOTS_MAX;
	struct rlimit fsize;
	struct limen_ctl *c;
	struct sigaction ign_xfsz = { .sa_handler = SIG_IGN }, old_xfsz;
	int err;

	memset(s, 0, sizeof(*s));
	/* a file size limit (ulimit -f) applies to the memfd too */
	if (getrlimit(RLIMIT_FSIZE, &fsize) == 0 &&
	    fsize.rlim_cur != RLIM_INFINITY)
		while (nslots > 1 && limen_geom_rings_off(nslots) +
					     (uint64_t)nslots * ring >
				     fsize.rlim_cur)
			nslots /= 2;
	g->nslots = nslots;
	g->ring_bytes = ring;
	g->slots_off = LIMEN_CTL_BYTES;
	g->rings_off = limen_geom_rings_off(nslots);
	g->total_bytes = g->rings_off + (uint64_t)nslots * ring;
	s->fd = memfd_create("limen-session", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (s->fd < 0)
		return -errno;
	/* too small a file size limit: an error, not death by SIGXFSZ;
	   then the disposition we were given back, which the command
	   inherits (a caller that ignores SIGXFSZ gets EFBIG, as bare) */
	sigaction(SIGXFSZ, &ign_xfsz, &old_xfsz);
	err = 0;
	if (ftruncate(s->fd, (off_t)g->total_bytes) < 0 ||
	    fcntl(s->fd, F_ADD_SEALS,
		  F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) < 0)
		err = -errno;
	sigaction(SIGXFSZ, &old_xfsz, NULL);
	if (err)
		return err;
	s->rings = calloc(nslots, sizeof(*s->rings));
	/* pages mapped, not taken from the heap, where calloc clears its
	   32 KiB: eight page faults at every start, 11 us each on a VM
	   that keeps its guests' page tables; only the slots used touch
	   theirs (s->rings is large enough that calloc maps it) */
	s->kept = mmap(NULL, 2 * (size_t)nslots, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (s->kept == MAP_FAILED)
		s->kept = NULL;
	if (!s->rings || !s->kept)
		return -ENOMEM;
	s->no_room = s->kept + nslots;
	/* the rings are mapped one by one, as their threads appear */
	c = mmap(NULL, g->rings_off, PROT_READ | PROT_WRITE, MAP_SHARED,
		 s->fd, 0);
	if (c == MAP_FAILED)
		return -errno;
	s->drain_at = limen_rdtsc();
	c->size = sizeof(*c);
	c->version = LIMEN_SESSION_VERSION;
	c->total_bytes = g->total_bytes;
	c->nslots = g->nslots;
	c->ring_bytes = g->ring_bytes;
	c->slots_off = g->slots_off;
	c->rings_off = g->rings_off;
	c->strsize = o->strsize;
	c->flags = (o->trace_all ? LIMEN_CTL_TRACE_ALL : 0) |
		   (o->no_loss ? LIMEN_CTL_NO_LOSS : 0) |
		   (o->uaccess ? LIMEN_CTL_UACCESS : 0) |
		   (o->uaccess || o->run ? LIMEN_CTL_UACCESS_ABI : 0) |
		   (o->show_ip ? LIMEN_CTL_IP : 0) |
		   (o->detach_exec ? LIMEN_CTL_DETACH_EXEC : 0) |
		   (o->stack ? LIMEN_CTL_STACK : 0) |
		   (o->no_rewrite ? LIMEN_CTL_NO_REWRITE : 0) |
		   (o->no_lean ? LIMEN_CTL_NO_LEAN : 0) |
		   (!o->run && !o->record ? LIMEN_CTL_NETLINK : 0);
	memcpy(c->trace_mask, o->trace_mask, sizeof(c->trace_mask));
	c->decode_fds = o->decode_fds;
	limen_fd_diag_live = 1;	/* the programs run now: sock_diag may ask */
	memcpy(c->dump_fds, o->dump_fds, sizeof(c->dump_fds));
	for (size_t i = 0; i < sizeof(c->dump_fds); i++)
		if (((const uint8_t *)c->dump_fds)[i])
			c->flags |= LIMEN_CTL_DUMP;
	if (limen_opts_timeless(o))
		c->flags |= LIMEN_CTL_NO_TIME; /* notime.h */
	/* a container's filters, say, that every image inherits from
	   outside the trace and that let limen run (rewrite.c) */
	if (prctl(PR_GET_SECCOMP) == 2)
		c->outer_filters = seccomp_filters();
	c->uevent_all = o->uevent_all;
	snprintf(c->uevent_want, sizeof(c->uevent_want), "%s",
		 o->uevent_want ? o->uevent_want : "");
	{
		/* trace_pipe's readiness for poll, select and epoll inside
		   the tree (uevent_tracefs.c): a pipe holding a byte while
		   text is unread, reopened by the runtime through
		   /proc/<us>/fd/<n>; kept open as long as we are */
		int tp[2];

		if (pipe2(tp, O_CLOEXEC | O_NONBLOCK) == 0)
			limen_uev_area(c)->ready_fd = tp[0];
	}
	/* filters and injection (filter_compile.c), magic last */
	if (o->filter)
		memcpy((char *)c + LIMEN_FILTER_OFF, o->filter,
		       sizeof(*o->filter));
	/* held until we are gone: the kernel marks it when we die, and
	   producers waiting for room in a full ring stop waiting */
	{
		pthread_mutex_t *m = (pthread_mutex_t *)c->collector_lock;
		pthread_mutexattr_t a;

		pthread_mutexattr_init(&a);
		pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
		pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
		if (pthread_mutex_init(m, &a) != 0 ||
		    pthread_mutex_lock(m) != 0)
			memset(c->collector_lock, 0, sizeof(c->collector_lock));
		pthread_mutexattr_destroy(&a);
	}
	/* the magic last: a runtime that sees it sees a complete header */
	__atomic_store_n(&c->magic, LIMEN_SESSION_MAGIC, __ATOMIC_RELEASE);
	s->ctl = c;
	s->slots = (struct limen_slot *)((char *)c + g->slots_off);
	s->view = calloc(nslots, sizeof(*s->view));
	if (!s->view)
		return -ENOMEM;
	s->self = getpid();
	return 0;
}


static struct limen_slot *slot_at(struct limen_session *s, uint32_t i)
{
	return &s->slots[i];
}

/* Slots that may be in use: the runtime claims them in order, and what it
   says in shared memory only ever widens the scan, within the table. */
static uint32_t nscan(struct limen_session *s)
{
	uint32_t n = limen_slots_used(s->ctl, &s->geom);

	if (n > s->nscan)
		s->nscan = n;
	return s->nscan;
}

/* Slot i's ring, mapped while its slot is in use; NULL when there is no
   room to map it now (ulimit -v): tried again at the next drain. */
uint8_t *limen_session_ring(struct limen_session *s, uint32_t i)
{
	void *m;

	if (s->rings[i]) {
		if (s->kept[i]) {
			s->kept[i] = 0;
			s->nkept--;
		}
		return s->rings[i];
	}
	for (;;) {
		m = mmap(NULL, s->geom.ring_bytes, PROT_READ | PROT_WRITE,
			 MAP_SHARED, s->fd, (off_t)limen_ring_off(&s->geom, i));
		if (m != MAP_FAILED || !s->nkept)
			break;
		/* the room of the rings kept for slots not in use */
		for (uint32_t k = 0; k < s->geom.nslots && s->nkept; k++)
			if (s->kept[k]) {
				munmap(s->rings[k], s->geom.ring_bytes);
				s->rings[k] = NULL;
				s->kept[k] = 0;
				s->nkept--;
			}
	}
	/* what limen_session_unread counts at the end: a ring we tried to
	   map and could not, not one we stopped before looking at */
	s->no_room[i] = m == MAP_FAILED;
	if (m == MAP_FAILED)
		return NULL;
	s->rings[i] = m;
	return m;
}

/* held_new, arena_put, hold, rec_tsc: always inline, they run for every
   record drained (as calls, a chain of four per record) */
static inline __attribute__((always_inline)) struct limen_event *
held_new(struct limen_session *s)
{
	if (s->nheld == s->capheld) {
		s->capheld = s->capheld ? 2 * s->capheld : 1024;
		s->held = realloc(s->held, s->capheld * sizeof(*s->held));
		if (!s->held)
			limen_out_of_memory();
	}
	s->held[s->nheld].seen = s->drain_at;
	return &s->held[s->nheld++];
}

/*
 * Room for n bytes of held records, 8-aligned: one arena reused from drain
 * to drain (no allocation per record). Records are placed by offset: the
 * arena moves when it grows.
 */
static inline __attribute__((always_inline)) uint64_t
arena_put(struct limen_session *s, const void *p, size_t n)
{
	uint64_t off = s->narena;
	size_t need = off + LIMEN_ALIGN8(n);

	if (need > s->caparena) {
		size_t cap = s->caparena ? s->caparena : 1 << 20;

		while (cap < need)
			cap *= 2;
		s->arena = realloc(s->arena, cap);
		if (!s->arena)
			limen_out_of_memory();
		s->caparena = cap;
	}
	memcpy(s->arena + off, p, n);
	s->narena = need;
	return off;
}

static inline __attribute__((always_inline)) void
hold(struct limen_session *s, const struct limen_slotview *v,
     const uint8_t *rec, uint32_t size, uint64_t tsc)
{
	const struct limen_rec *h = (const void *)rec;
	struct limen_event *e = held_new(s);
	struct limen_rec *copy;

	e->type = h->type;
	e->flags = h->flags & ~LIMEN_RECF_NESTED;
	e->tid = v->tid;
	e->pid = v->pid;
	e->nested = v->lpid != v->pid || v->ltid != v->tid;
	e->size = size;
	e->rec = NULL;
	e->off = arena_put(s, rec, size);
	/* the type as validated: the copy is ours, the ring is not */
	copy = (struct limen_rec *)(s->arena + e->off);
	copy->type = e->type;
	copy->size = size;
	/* an i386 call's number, i386's: out of reach of every test of
	   the collector's for a 64-bit one (i386's 60 is umask, not exit) */
	if ((e->flags & LIMEN_RECF_I386) &&
	    (e->type == LIMEN_REC_ENTER || e->type == LIMEN_REC_EXIT))
		((struct limen_rec_sys *)copy)->nr |= 0x80000000u;
	e->seq = s->seq++;
	e->tsc = tsc;
}

/*
 * The exit at rec of a call the runtime never made (LIMEN_RECF_UNMADE: a
 * signal came as it entered; the program takes its handler, then makes the
 * call again): if the call's entry is still held, neither is told, as
 * strace never sees such a call (the kernel delivers the signal before
 * it), and its entry is not told as suspended when another thread's line
 * comes between. 1: the exit is dropped so. (An entry told already is the
 * collector's to end: on_exit_rec.)
 */
static int unmade_dropped(struct limen_session *s,
			  const struct limen_slotview *v, const uint8_t *rec)
{
	const struct limen_rec_sys *x = (const void *)rec;

	for (size_t k = s->nheld; k-- > 0;) {
		struct limen_event *e = &s->held[k];
		const struct limen_rec_sys *r;

		if (e->tid != v->tid || e->pid != v->pid)
			continue;
		/* the thread's record before: its entry, nothing between */
		r = (const void *)(s->arena + e->off);
		if (e->type != LIMEN_REC_ENTER || e->size < sizeof(*r) ||
		    r->nr != x->nr)
			return 0;
		memmove(e, e + 1, (s->nheld - k - 1) * sizeof(*e));
		s->nheld--;
		return 1;
	}
	return 0;
}

static void note(struct limen_session *s, struct limen_slotview *v,
		 const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void note(struct limen_session *s, struct limen_slotview *v,
		 const char *fmt, ...)
{
	struct limen_event *e;
	va_list ap;
	char text[256];
	int n;

	va_start(ap, fmt);
	n = vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	e = held_new(s);
	memset(e, 0, sizeof(*e));
	e->type = LIMEN_EV_NOTE;
	e->tid = v->tid;
	e->pid = v->pid;
	e->size = (uint32_t)strlen(text) + 1;
	e->off = arena_put(s, text, e->size);
	e->tsc = v->last_tsc;
	e->seq = s->seq++;
}

/* The loss counter a thread left behind when it ended: a LOST record. */
static void hold_lost(struct limen_session *s, struct limen_slotview *v,
		      uint64_t count)
{
	struct limen_rec_lost l = {
		.h = { .size = sizeof(l), .type = LIMEN_REC_LOST },
		.count = count,
		.tsc = v->last_tsc,
	};

	hold(s, v, (const uint8_t *)&l, sizeof(l), v->last_tsc);
}

/*
 * The smallest size of each record type the collector reads, and where its
 * TSC is; 0: a type the collector does not know.
 */
static uint32_t min_size(uint16_t type)
{
	switch (type) {
	case LIMEN_REC_PAD:
		return 8;
	case LIMEN_REC_NOTE:
		return sizeof(struct limen_rec_note);
	case LIMEN_REC_UACCESS:
		return sizeof(struct limen_rec_uaccess);
	case LIMEN_REC_UEVDEF:
	case LIMEN_REC_UEVENT:
		return sizeof(struct limen_rec_uev);
	case LIMEN_REC_ENTER:
	case LIMEN_REC_EXIT:
		return sizeof(struct limen_rec_sys);
	case LIMEN_REC_SIGNAL:
		return sizeof(struct limen_rec_sig);
	case LIMEN_REC_START:
		return sizeof(struct limen_rec_start);
	case LIMEN_REC_LOST:
		return sizeof(struct limen_rec_lost);
	case LIMEN_REC_STACK:
		return sizeof(struct limen_rec_stack);
	case LIMEN_REC_MAPS:
		return sizeof(struct limen_rec_maps);
	}
	return 0;
}

static inline __attribute__((always_inline)) uint64_t
rec_tsc(const uint8_t *rec, uint16_t type)
{
	uint64_t tsc;

	switch (type) {
	case LIMEN_REC_ENTER:
	case LIMEN_REC_EXIT:
		memcpy(&tsc, rec + offsetof(struct limen_rec_sys, tsc), 8);
		return tsc;
	case LIMEN_REC_SIGNAL:
		memcpy(&tsc, rec + offsetof(struct limen_rec_sig, tsc), 8);
		return tsc;
	case LIMEN_REC_START:
		memcpy(&tsc, rec + offsetof(struct limen_rec_start, tsc), 8);
		return tsc;
	case LIMEN_REC_LOST:
		memcpy(&tsc, rec + offsetof(struct limen_rec_lost, tsc), 8);
		return tsc;
	case LIMEN_REC_NOTE:
		memcpy(&tsc, rec + offsetof(struct limen_rec_note, tsc), 8);
		return tsc;
	case LIMEN_REC_UEVDEF:
	case LIMEN_REC_UEVENT:
		memcpy(&tsc, rec + offsetof(struct limen_rec_uev, tsc), 8);
		return tsc;
	case LIMEN_REC_UACCESS:
		memcpy(&tsc, rec + offsetof(struct limen_rec_uaccess, tsc), 8);
		return tsc;
	case LIMEN_REC_STACK:
		memcpy(&tsc, rec + offsetof(struct limen_rec_stack, tsc), 8);
		return tsc;
	case LIMEN_REC_MAPS:
		memcpy(&tsc, rec + offsetof(struct limen_rec_maps, tsc), 8);
		return tsc;
	}
	return 0;
}

/* Zero ring bytes [from, to) (ring positions, to - from <= ring size). */
static void zero_span(struct limen_session *s, uint8_t *ring, uint64_t from,
		      uint64_t to)
{
	uint32_t rsize = s->geom.ring_bytes;

	while (from < to) {
		uint64_t pos = from & (rsize - 1);
		uint64_t n = rsize - pos < to - from ? rsize - pos : to - from;

		memset(ring + pos, 0, n);
		from += n;
	}
}

/* Write zeros at file offsets [off, end). A write that fails (none has,
   on a memfd whose pages are there) leaves the rest as it was: records
   the next lap may read again, each checked as any record is */
static void pwrite_zeros(int fd, uint64_t off, uint64_t end)
{
	static const uint8_t zeros[4096];

	while (off < end) {
		size_t n = end - off < sizeof(zeros) ? (size_t)(end - off)
						     : sizeof(zeros);
		ssize_t w = pwrite(fd, zeros, n, (off_t)off);

		if (w <= 0) {
			if (w < 0 && errno == EINTR)
				continue;
			return;
		}
		off += (uint64_t)w;
	}
}

/*
 * Zero ring bytes [from, to) of slot i's ring through the session's
 * descriptor, for a ring we have no room to map: whole pages are punched
 * out (memory given back, read as zeros), the ends written with zeros.
 */
static void zero_fd_span(struct limen_session *s, uint32_t i, uint64_t from,
			 uint64_t to)
{
	uint32_t rsize = s->geom.ring_bytes;
	uint64_t base = limen_ring_off(&s->geom, i);

	while (from < to) {
		uint64_t pos = from & (rsize - 1);
		uint64_t n = rsize - pos < to - from ? rsize - pos : to - from;
		uint64_t off = base + pos, end = off + n;
		uint64_t a = (off + 4095) & ~4095ull, b = end & ~4095ull;

		if (a < b && !fallocate(s->fd, FALLOC_FL_PUNCH_HOLE |
						       FALLOC_FL_KEEP_SIZE,
					(off_t)a, (off_t)(b - a))) {
			pwrite_zeros(s->fd, off, a);
			pwrite_zeros(s->fd, b, end);
		} else {
			pwrite_zeros(s->fd, off, end);
		}
		from += n;
	}
}

/* zero_span or zero_fd_span, as the ring is mapped or not */
static void zero_any(struct limen_session *s, uint32_t i, uint64_t from,
		     uint64_t to)
{
	if (s->rings[i])
		zero_span(s, s->rings[i], from, to);
	else
		zero_fd_span(s, i, from, to);
}

static void set_tail(struct limen_session *s, uint32_t i,
		     struct limen_slotview *v, uint64_t tail)
{
	v->tail = tail;
	__atomic_store_n(&slot_at(s, i)->tail, tail, __ATOMIC_RELEASE);
}

/*
 * A ring that cannot be read on: say so, and give the producer back all
 * that it reserved so that it is never left waiting for room.
 */
static void corrupt(struct limen_session *s, uint32_t i,
		    struct limen_slotview *v, uint64_t head, const char *why)
{
	uint64_t skipped = head - v->tail;

	/* a head behind our tail (the program wrote it): the tail never
	   moves back, so that a drain's passes, each moving tails forward
	   up to where the drain began, end whatever the program writes */
	if (head < v->tail) {
		if (v->corrupt++ < 8)
			note(s, v, "+++ limen: the ring of thread %d was "
				   "corrupted (head behind the tail at byte "
				   "%llu) +++", v->tid,
			     (unsigned long long)v->tail);
		return;
	}
	if (v->corrupt++ < 8)
		note(s, v, "+++ limen: the ring of thread %d was corrupted "
			   "(%s at byte %llu): %llu bytes skipped +++",
		     v->tid, why, (unsigned long long)v->tail,
		     (unsigned long long)(skipped <= s->geom.ring_bytes ? skipped
								    : 0));
	if (skipped > s->geom.ring_bytes)
		skipped = s->geom.ring_bytes;
	zero_any(s, i, v->tail, v->tail + skipped);
	set_tail(s, i, v, head);
}

/*
 * A drain takes each ring in slices (a 32nd of the ring, at most
 * DRAIN_SLICE bytes) and tells what it can of each slice before it takes
 * the next: the records are formatted while their copies are still in
 * the cache. Taken whole, a busy ring's megabytes went out to memory and
 * were read back, and the arena grew to hold them (the first touch of
 * each new page a fault).
 */
#define DRAIN_SLICE (128u << 10)

/* How far ahead of the record being read the drain prefetches: a few
   records' worth */
#define PREFETCH_AHEAD 1024u

/*
 * The time before which a ring cut short at tail holds nothing more: the
 * TSC of its next record. Its records come in time order but for those of
 * a signal handler that ran while a record was being filled (taken before
 * it, with earlier times); those lie ahead of the next record and are no
 * older than it. Read from the ring (the program's memory): a bad value
 * only holds back what a slice may tell, never what is read; 0 when the
 * record cannot be read as one (the next slice says why).
 */
static uint64_t rec_time(const uint8_t *rec, uint64_t readable,
			 uint64_t room, uint64_t avail);

static uint64_t next_tsc(struct limen_session *s, const uint8_t *ring,
			 uint64_t tail, uint64_t head)
{
	uint32_t rsize = s->geom.ring_bytes;
	uint64_t pos = tail & (rsize - 1);

	if (tail >= head || tail & 7)
		return 0;
	return rec_time(ring + pos, rsize - pos, rsize - pos, head - tail);
}

/* The time of the record whose header is at rec, of which `readable`
   bytes are there to read, with `room` bytes left to the ring's end and
   `avail` published: 0 when it cannot be read as one */
static uint64_t rec_time(const uint8_t *rec, uint64_t readable,
			 uint64_t room, uint64_t avail)
{
	const struct limen_rec *h = (const void *)rec;
	uint16_t type = __atomic_load_n(&h->type, __ATOMIC_ACQUIRE);
	uint32_t size = __atomic_load_n(&h->size, __ATOMIC_RELAXED);
	uint32_t min = min_size(type);

	if (!min || size < min || size & 7 || size > room || size > avail ||
	    min > readable)
		return 0;
	return rec_tsc(rec, type);
}

/*
 * A ring's first lap: the first write to each of its pages costs the
 * program a page fault that allocates and zeroes the page (1.1-1.8 us
 * here, the page of some 25 recorded getppid calls; a lap of a 4 MiB ring
 * about 1.2 ms of the program's time). Ahead of a busy thread we take
 * that on, on our own core: twice what it wrote since the last drain is
 * made present through our own mapping (MADV_POPULATE_WRITE), and the
 * program's fault then only maps a page that is there (0.6 us). A thread
 * that writes nothing gets nothing ahead, nor does one that goes back to
 * the ring's start because we keep up with it (session.h,
 * limen_ring_goes_back), so no more memory is used than what the thread
 * is about to write; once a lap is done its pages all
 * stay while it lives (we zero what we drain, never free it). Without
 * the madvise (Linux before 5.14), nothing is done.
 */
#define MADV_POPULATE_WRITE_ 23
#define POPULATE_MAX (4u << 20)

static void populate_ahead(struct limen_session *s, uint32_t i,
			   uint64_t *budget)
{
	struct limen_slotview *v = &s->view[i];
	uint8_t *ring = s->rings[i];
	uint32_t rsize = s->geom.ring_bytes;
	uint64_t lap_end = v->pop_start + rsize, from, to, head;

	if (!ring || s->no_populate || v->pop_end >= lap_end)
		return;
	/* a thread that has ended (exit, exec) writes no more: pages made
	   present for it were zeroed for nothing, and punched out again
	   (free_slot). The command of `limen trace -- true` has ended by
	   the first drain; so have most of a shell script's children */
	if (s->all_gone || v->retire ||
	    __atomic_load_n(&slot_at(s, i)->state, __ATOMIC_ACQUIRE) !=
		    LIMEN_SLOT_ACTIVE)
		return;
	head = __atomic_load_n(&slot_at(s, i)->head, __ATOMIC_ACQUIRE);
	if (head < v->pop_seen || head - v->pop_seen > rsize) {
		/* moved back over a room given back, or written by the
		   program: ahead of it next time */
		v->pop_seen = head;
		return;
	}
	to = head + 2 * (head - v->pop_seen);
	v->pop_seen = head;
	/* a writer we caught up with past the ring's hot start goes back to
	   the ring's start at its next record, into pages it has written:
	   nothing ahead of it is written while we keep up */
	if (limen_ring_goes_back(head & (rsize - 1), head - v->tail, rsize))
		return;
	/* whole pages, from the one after the producer's */
	from = ((v->pop_end > head ? v->pop_end : head) + 4095) & ~4095ull;
	if (to > from + *budget)
		to = from + *budget;
	to = (to + 4095) & ~4095ull;
	if (to > lap_end)
		to = lap_end;
	if (to <= from)
		return;
	*budget -= to - from < *budget ? to - from : *budget;
	v->pop_end = to;
	while (from < to) {
		uint64_t pos = from & (rsize - 1);
		uint64_t n = rsize - pos < to - from ? rsize - pos : to - from;

		if (madvise(ring + pos, n, MADV_POPULATE_WRITE_) < 0) {
			if (errno == EINVAL)
				s->no_populate = 1;
			return;
		}
		from += n;
	}
}

/* One record whose size was found sound (multiple of 8, within the
   ring and the published bytes): held, unless its type says otherwise. */
static inline __attribute__((always_inline)) void
take(struct limen_session *s, struct limen_slotview *v, const uint8_t *rec,
     uint16_t type, uint32_t size, uint64_t at)
{
	uint32_t min = min_size(type);

	if (!min || size < min) {
		/* its size is sound: skip this one record only */
		if (v->corrupt++ < 8)
			note(s, v, "+++ limen: the ring of thread %d "
				   "was corrupted (%s at byte %llu): "
				   "%u bytes skipped +++", v->tid,
			     min ? "record shorter than its type"
				 : "unknown record type",
			     (unsigned long long)at, size);
	} else if (type != LIMEN_REC_PAD) {
		uint64_t tsc = rec_tsc(rec, type);

		if (type != LIMEN_REC_EXIT ||
		    !(((const struct limen_rec *)rec)->flags &
		      LIMEN_RECF_UNMADE) ||
		    !unmade_dropped(s, v, rec))
			hold(s, v, rec, size, tsc);
		v->last_tsc = tsc;
	}
}

static int drain_unmapped(struct limen_session *s, uint32_t i,
			  uint64_t head, uint64_t end, uint64_t *bound);

/*
 * Take the published records out of one ring, checking each. bound NULL:
 * all of them. Otherwise a slice of them (pass 0 notes the head where
 * the drain ends, later passes go on up to it); returns 1 when the slice
 * ended before the records did, and lowers *bound to the time before
 * which what the ring still holds cannot lie.
 */
static int drain_ring(struct limen_session *s, uint32_t i, int pass,
		      uint64_t *bound)
{
	struct limen_slotview *v = &s->view[i];
	struct limen_slot *sl = slot_at(s, i);
	uint8_t *ring = limen_session_ring(s, i);
	uint32_t rsize = s->geom.ring_bytes;
	uint64_t tail = v->tail, done = v->tail, end = UINT64_MAX, from = 0;
	uint64_t head = __atomic_load_n(&sl->head, __ATOMIC_ACQUIRE);

	if (bound) {
		/* records published since the drain began wait for the next
		   one, as they did when a drain took each ring once */
		if (pass == 0)
			v->stop = head;
		else if (tail >= v->stop)
			return 0;
		else if (head > v->stop)
			head = v->stop;
		end = tail + (rsize / 32 < DRAIN_SLICE ? rsize / 32 : DRAIN_SLICE);
	}

	/* head only grows, and never more than a ring ahead of us */
	if (head - tail > rsize) {
		corrupt(s, i, v, head, "head out of range");
		return 0;
	}
	/* over half full: its thread may soon wait for us */
	if (head - tail > rsize / 2)
		s->pressure = 1;
	if (!ring)
		return drain_unmapped(s, i, head, end, bound);
	/* a tail moved to a head the program wrote (corrupt): records start
	   at multiples of 8, so none is there */
	if (tail < head && tail & 7) {
		corrupt(s, i, v, head, "misaligned head");
		return 0;
	}
	/* where the slice starts in time: the time it spans (set below) */
	if (bound)
		from = pass ? v->next : next_tsc(s, ring, tail, head);
	while (tail < head && tail < end) {
		uint64_t pos = tail & (rsize - 1);
		struct limen_rec *h = (struct limen_rec *)(ring + pos);
		uint16_t type = __atomic_load_n(&h->type, __ATOMIC_ACQUIRE);
		uint32_t size = __atomic_load_n(&h->size, __ATOMIC_RELAXED);

		if (type == LIMEN_REC_NONE)
			break;
		/* the producer's core wrote the lines ahead: ask for them
		   now, so that their transfer overlaps this record's work
		   (a hint only: nothing is read from there before the
		   checks below) */
		__builtin_prefetch(ring + ((pos + PREFETCH_AHEAD) & (rsize - 1)));
		/* a record reserved after we read head, published since:
		   its reservation happened before its type was stored, so
		   head read now covers it */
		if (size > head - tail)
			head = __atomic_load_n(&sl->head, __ATOMIC_ACQUIRE);
		if (size < 8 || size & 7 || pos + size > rsize ||
		    size > head - tail || head - v->tail > rsize) {
			corrupt(s, i, v, head, "bad record size");
			return 0;
		}
		take(s, v, ring + pos, type, size, tail);
		/* a padding's body was never written (zero since the last
		   lap): its header alone is zeroed, not the megabytes a
		   writer gone back to the ring's start skipped (ring.c,
		   pad_for), whose pages this process would touch */
		if (type == LIMEN_REC_PAD && size > 8) {
			zero_span(s, ring, done, tail + 8);
			done = tail + size;
		}
		tail += size;
		/* the records taken are zeroed and given back by the
		   eighth of a ring, not one by one: the tail shares its
		   cache line with the head the producer writes, and a store
		   per record made each record a miss on both sides. Zeroed
		   before the tail moves, as before: behind the tail the
		   bytes are zeros; ahead of it, a record still has its type.
		   The zeroing leaves the lines last written on our core,
		   where the producer writes next lap; not zeroing them made
		   no difference to its time (a 4 MiB lap outgrows a core's
		   L2: the lines come from L3 either way; README: Speed), so
		   the record's header carries no lap number */
		if (tail - done >= rsize / 8) {
			zero_span(s, ring, done, tail);
			set_tail(s, i, v, tail);
			done = tail;
		}
	}
	if (tail != done)
		zero_span(s, ring, done, tail);
	if (tail != v->tail)
		set_tail(s, i, v, tail);
	if (tail < end || tail >= head ||
	    __atomic_load_n(&((struct limen_rec *)(ring + (tail & (rsize - 1))))
				     ->type, __ATOMIC_ACQUIRE) == LIMEN_REC_NONE)
		return 0;
	end = next_tsc(s, ring, tail, head);
	v->next = end;
	v->span = v->last_tsc > from ? v->last_tsc - from : 0;
	if (end < *bound)
		*bound = end;
	return 1;
}

/*
 * A ring we found no room to map (under a ulimit -v, our address space is
 * the program's limit too): read through the session's descriptor instead,
 * so that its thread, which may be waiting for room, is never left waiting
 * for a mapping that cannot come. A window at a time, into a buffer that
 * is ours from the start (there may be no room to allocate one either);
 * read twice: the first read finds the records published, the second
 * takes them whole, after their publication (a read's copy of a record may
 * take its type before its body, the order the producer wrote them in).
 * Slices as drain_ring's, as the arena must not grow more here.
 */
#define WINDOW (64u << 10)

static ssize_t pread_ring(struct limen_session *s, uint32_t i, void *buf,
			  size_t n, uint64_t pos)
{
	off_t off = (off_t)(limen_ring_off(&s->geom, i) + pos);
	ssize_t r;

	do
		r = pread(s->fd, buf, n, off);
	while (r < 0 && errno == EINTR);
	return r;
}

/* One record larger than the window, published: read into memory of its
   own, or lost with a word if there is none. 0, or -1 when it changed
   under us (a program's write: the ring is corrupted). */
static int take_large(struct limen_session *s, uint32_t i, uint64_t tail,
		      uint16_t type, uint32_t size)
{
	struct limen_slotview *v = &s->view[i];
	uint32_t rsize = s->geom.ring_bytes;
	uint8_t *rec = malloc(size);
	const struct limen_rec *h = (const void *)rec;
	int ret = 0;

	if (!rec) {
		note(s, v, "+++ limen: a record of %u bytes of thread %d lost: "
			   "no room to read it +++", size, v->tid);
		return 0;
	}
	if (pread_ring(s, i, rec, size, tail & (rsize - 1)) != (ssize_t)size ||
	    h->type != type || h->size != size)
		ret = -1;
	else
		take(s, v, rec, type, size, tail);
	free(rec);
	return ret;
}

static int drain_unmapped(struct limen_session *s, uint32_t i,
			  uint64_t head, uint64_t end, uint64_t *bound)
{
	static uint8_t window[WINDOW] __attribute__((aligned(8)));
	struct limen_slotview *v = &s->view[i];
	struct limen_slot *sl = slot_at(s, i);
	uint32_t rsize = s->geom.ring_bytes;
	uint64_t tail = v->tail;
	const char *bad = NULL;

	while (tail < head && tail < end && !bad) {
		uint64_t pos = tail & (rsize - 1);
		uint32_t n = rsize - pos < WINDOW ? (uint32_t)(rsize - pos)
						  : WINDOW;
		uint32_t at = 0, pub = 0, size = 0, first = 0;
		uint16_t type = LIMEN_REC_NONE, first_type = LIMEN_REC_NONE;

		if (pread_ring(s, i, window, n, pos) != (ssize_t)n) {
			s->no_room[i] = 2;
			break;
		}
		/* the records published: whole in the window (a padding's
		   header is enough: its body is never written), sound */
		while (at + 8 <= n && at < head - tail && tail + at < end) {
			const struct limen_rec *h = (const void *)(window + at);

			type = h->type;
			size = h->size;
			if (type == LIMEN_REC_NONE)
				break;
			if (size > head - tail - at)
				head = __atomic_load_n(&sl->head,
						       __ATOMIC_ACQUIRE);
			if (size < 8 || size & 7 || pos + at + size > rsize ||
			    size > head - tail - at || head - v->tail > rsize) {
				bad = "bad record size";
				break;
			}
			if (!at) {
				first = size;
				first_type = type;
			}
			if (type == LIMEN_REC_PAD) {
				pub = at + size;
				break;
			}
			if (at + size > n)
				break;
			at += size;
			pub = at;
		}
		if (!pub && first > n) {
			/* one record larger than the window */
			if (take_large(s, i, tail, first_type, first) < 0)
				bad = "record changed while read";
			else
				tail += first;
		} else if (pub) {
			uint32_t got = pub < n ? pub : n;

			if (pread_ring(s, i, window, got, pos) != (ssize_t)got) {
				s->no_room[i] = 2;
				break;
			}
			for (at = 0; at < pub; at += size) {
				const struct limen_rec *h =
					(const void *)(window + at);

				type = h->type;
				size = h->size;
				if (at + 8 > got || type == LIMEN_REC_NONE ||
				    size < 8 || size & 7 || size > pub - at ||
				    (type != LIMEN_REC_PAD && at + size > got)) {
					bad = "record changed while read";
					break;
				}
				take(s, v, window + at, type, size, tail + at);
				if (type == LIMEN_REC_PAD && size > 8) {
					zero_fd_span(s, i, v->tail, tail + at + 8);
					set_tail(s, i, v, tail + at + size);
				}
			}
			tail += at;
		} else if (!bad) {
			break; /* nothing published yet */
		}
		if (tail != v->tail) {
			zero_fd_span(s, i, v->tail, tail);
			set_tail(s, i, v, tail);
		}
	}
	if (bad) {
		corrupt(s, i, v, head, bad);
		return 0;
	}
	if (tail < end || tail >= head || s->no_room[i] == 2)
		return 0;
	/* cut short: the time of the next record, as next_tsc */
	{
		uint8_t rec[512] __attribute__((aligned(8)));
		const struct limen_rec *h = (const void *)rec;
		uint64_t pos = tail & (rsize - 1), tsc;
		ssize_t got = pread_ring(s, i, rec, rsize - pos < sizeof(rec)
							? rsize - pos
							: sizeof(rec), pos);

		if (got < 8 || h->type == LIMEN_REC_NONE)
			return 0;
		tsc = rec_time(rec, (uint64_t)got, rsize - pos, head - tail);
		v->next = tsc;
		v->span = UINT64_MAX; /* sliced at every pass */
		if (tsc < *bound)
			*bound = tsc;
	}
	return 1;
}

/* Read /proc/<path>/status: Tgid, PPid and the last and count of NSpid and
   NStgid. Returns 0, or -1 if there is no such task. */
struct pstatus {
	int32_t tgid, ppid;
	int32_t nspid_last, nstgid_last;
	int nspid_n;
	unsigned long seccomp_filters; /* Linux 5.9's; 0 where not said */
};

static int read_status(const char *path, struct pstatus *ps)
{
	char line[512];
	FILE *f = fopen(path, "re");

	if (!f)
		return -1;
	memset(ps, 0, sizeof(*ps));
	while (fgets(line, sizeof(line), f)) {
		int32_t *last = NULL;
		int *count = NULL;
		char *p;

		if (!strncmp(line, "Tgid:", 5))
			ps->tgid = (int32_t)atoi(line + 5);
		else if (!strncmp(line, "PPid:", 5))
			ps->ppid = (int32_t)atoi(line + 5);
		else if (!strncmp(line, "NSpid:", 6))
			last = &ps->nspid_last, count = &ps->nspid_n;
		else if (!strncmp(line, "NStgid:", 7))
			last = &ps->nstgid_last;
		else if (!strncmp(line, "Seccomp_filters:", 16))
			ps->seccomp_filters = strtoul(line + 16, NULL, 10);
		if (!last)
			continue;
		for (p = strchr(line, ':') + 1; *p;) {
			while (*p == ' ' || *p == '\t')
				p++;
			if (!isdigit((unsigned char)*p))
				break;
			*last = (int32_t)strtol(p, &p, 10);
			if (count)
				(*count)++;
		}
	}
	fclose(f);
	return 0;
}

/* How many seccomp filters this process runs under (limen_session_create) */
static uint32_t seccomp_filters(void)
{
	struct pstatus ps;

	if (read_status("/proc/self/status", &ps) < 0 ||
	    ps.seccomp_filters > UINT32_MAX)
		return 0;
	return (uint32_t)ps.seccomp_filters;
}

/*
 * Is pid (in our namespace) one of our descendants? first, if not NULL, is
 * pid's own status, just read (resolve): a new process's was read twice,
 * the same file a few calls apart, at every traced fork and exec.
 */
static int descendant(struct limen_session *s, int32_t pid,
		      const struct pstatus *first)
{
	for (int depth = 0; depth < 64 && pid > 1; depth++) {
		struct pstatus ps;
		char path[64];

		if (pid == s->self || pid == s->child)
			return pid == s->child || depth > 0;
		for (uint32_t i = 0, n = nscan(s); i < n; i++)
			if (s->view[i].known && s->view[i].resolved &&
			    s->view[i].pid == pid)
				return 1;
		if (depth == 0 && first) {
			ps = *first;
		} else {
			snprintf(path, sizeof(path), "/proc/%d/status",
				 (int)pid);
			if (read_status(path, &ps) < 0)
				return 0;
		}
		pid = ps.ppid;
	}
	return 0;
}

/* Already the identity of another thread's slot? (The same thread, after
   an execve, claims a new slot with the same ids.) */
static int taken(struct limen_session *s, uint32_t self, int32_t tid)
{
	const struct limen_slotview *v = &s->view[self];

	for (uint32_t i = 0, n = nscan(s); i < n; i++) {
		const struct limen_slotview *o = &s->view[i];

		if (i != self && o->known && o->resolved && o->tid == tid &&
		    !o->retire && (o->ltid != v->ltid || o->lpid != v->lpid))
			return 1;
	}
	return 0;
}

/*
 * The threads of our descendants that live in a nested PID namespace, with
 * their ids there (innermost NSpid, NStgid) and here: found by walking the
 * tree down from us through /proc/PID/task/TID/children (only our own
 * descendants are read, however busy the machine), built at most once per
 * drain and only when a slot needs it.
 */
static void nsidx_add(struct limen_session *s, const struct pstatus *ps,
		      int32_t tid, uint64_t pidns)
{
	if (s->nns == s->capns) {
		s->capns = s->capns ? 2 * s->capns : 64;
		s->nsidx = realloc(s->nsidx, s->capns * sizeof(*s->nsidx));
		if (!s->nsidx)
			limen_out_of_memory();
	}
	s->nsidx[s->nns++] = (struct limen_nsent){
		.ltid = ps->nspid_last, .lpid = ps->nstgid_last,
		.tid = tid, .pid = ps->tgid, .pidns = pidns,
	};
}

/* The inode a ns/pid link names ("pid:[4026531836]"), 0: none */
static uint64_t pidns_ino(const char *link)
{
	return strncmp(link, "pid:[", 5) ? 0 : strtoull(link + 5, NULL, 10);
}

/* Our own PID namespace's link and inode, read once; pidns_ours 1 where it
   is the one /proc shows (our NSpid has one id) */
static void our_pidns(struct limen_session *s)
{
	struct pstatus ps;
	ssize_t n;

	if (s->pidns_ours)
		return;
	s->pidns_ours = -1;
	n = readlink("/proc/self/ns/pid", s->pidns, sizeof(s->pidns) - 1);
	if (n <= 0)
		return;
	s->pidns[n] = 0;
	s->pidns_ino = pidns_ino(s->pidns);
	if (read_status("/proc/self/status", &ps) == 0 && ps.nspid_n == 1)
		s->pidns_ours = 1;
}

/*
 * Task tid of pid is in our PID namespace, the one /proc shows, so its
 * NSpid has one id and nsidx_build has nothing to learn from its status:
 * a readlink of its ns/pid, where a status took an open, the whole file
 * made by the kernel and read, and a close. The walk runs at every drain
 * that finds a slot whose process is gone already (a shell's short child
 * it reaped: about once a traced exec), and read the shell's status each
 * time. 0 where it cannot tell (no access to the link: the status is
 * read, as before); 1 too for a task gone meanwhile. Another namespace's
 * inode goes to *ino (0: unknown): it tells apart two tasks of sibling
 * namespaces with the same local ids (resolve).
 */
static int same_pidns(struct limen_session *s, int32_t pid, const char *tid,
		      uint64_t *ino)
{
	char path[320], ns[sizeof(s->pidns)];
	ssize_t n;

	our_pidns(s);
	snprintf(path, sizeof(path), "/proc/%d/task/%s/ns/pid", (int)pid, tid);
	n = readlink(path, ns, sizeof(ns) - 1);
	*ino = 0;
	if (n <= 0) /* gone: no status either */
		return s->pidns_ours == 1 && errno == ENOENT;
	ns[n] = 0;
	*ino = pidns_ino(ns);
	return s->pidns_ours == 1 && !strcmp(ns, s->pidns);
}

/* An id list (struct idlist): ids appended, sorted and unique on demand */
struct idlist {
	int32_t *id;
	size_t n, cap;
};

static void idl_add(struct idlist *l, int32_t id)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 64;
		l->id = realloc(l->id, l->cap * sizeof(*l->id));
		if (!l->id)
			limen_out_of_memory();
	}
	l->id[l->n++] = id;
}

static int cmp_id(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;

	return (x > y) - (x < y);
}

static void idl_sort(struct idlist *l)
{
	size_t k = 0;

	qsort(l->id, l->n, sizeof(*l->id), cmp_id);
	for (size_t i = 0; i < l->n; i++)
		if (!k || l->id[i] != l->id[k - 1])
			l->id[k++] = l->id[i];
	l->n = k;
}

/* One read of a /proc list into l (emptied first): a directory's numeric
   names (a process's tasks), or a file's numbers (a task's children) */
static void read_ids(const char *path, int dir, struct idlist *l)
{
	l->n = 0;
	if (dir) {
		DIR *d = opendir(path);
		struct dirent *e;

		if (!d)
			return;
		while ((e = readdir(d)))
			if (isdigit((unsigned char)e->d_name[0]))
				idl_add(l, (int32_t)atoi(e->d_name));
		closedir(d);
	} else {
		/* the whole file, however many children (a seq_file gives
		   a page or so a read) */
		size_t cap = 4096, len = 0;
		char *buf = malloc(cap), *p, *end;
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		ssize_t n;

		if (!buf)
			limen_out_of_memory();
		while (fd >= 0 && (n = read(fd, buf + len, cap - 1 - len)) > 0)
			if ((len += (size_t)n) == cap - 1 &&
			    !(buf = realloc(buf, cap *= 2)))
				limen_out_of_memory();
		if (fd >= 0)
			close(fd);
		buf[len] = 0;
		for (p = buf;; p = end) {
			long c = strtol(p, &end, 10);

			if (end == p)
				break;
			idl_add(l, (int32_t)c);
		}
		free(buf);
	}
	idl_sort(l);
}

/*
 * The ids of a /proc list, read until two reads in a row agree, all that
 * any read gave: the kernel lists a task's children and a process's tasks
 * by position (get_children_pid, first_tid), and one that ends during the
 * read moves those after it up by one, so the next is skipped. A shell
 * reaping one child as another exec'd hid the second from the walk, and
 * its slot kept its namespace's ids (tests/syscalls/nested_reap_race.t).
 * Four reads at most: a list that never settles is as good as it gets.
 */
static void stable_ids(const char *path, int dir, struct idlist *all)
{
	struct idlist prev = { 0 }, cur = { 0 };

	all->n = 0;
	for (int r = 0; r < 4; r++) {
		struct idlist t;

		read_ids(path, dir, &cur);
		for (size_t i = 0; i < cur.n; i++)
			idl_add(all, cur.id[i]);
		if (r && cur.n == prev.n &&
		    !memcmp(cur.id, prev.id, cur.n * sizeof(*cur.id)))
			break;
		t = prev;
		prev = cur;
		cur = t;
	}
	idl_sort(all);
	free(prev.id);
	free(cur.id);
}

static void nsidx_build(struct limen_session *s)
{
	struct idlist todo = { 0 }, tasks = { 0 }, kids = { 0 };
	char path[128];

	s->nns = 0;
	s->nsidx_built = 1;
	/* from us down: the command, and the orphans we inherited */
	for (int first = 1; first || todo.n; first = 0) {
		int32_t pid = first ? s->self : todo.id[--todo.n];

		snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
		stable_ids(path, 1, &tasks);
		for (size_t t = 0; t < tasks.n; t++) {
			char cpath[128];
			struct pstatus ps;
			uint64_t ino = 0;
			char tid[16];

			snprintf(tid, sizeof(tid), "%d", (int)tasks.id[t]);
			snprintf(cpath, sizeof(cpath), "/proc/%d/task/%s/status",
				 (int)pid, tid);
			if (pid != s->self && !same_pidns(s, pid, tid, &ino) &&
			    read_status(cpath, &ps) == 0 && ps.nspid_n > 1)
				nsidx_add(s, &ps, tasks.id[t], ino);
			snprintf(cpath, sizeof(cpath),
				 "/proc/%d/task/%s/children", (int)pid, tid);
			stable_ids(cpath, 0, &kids);
			for (size_t k = 0; k < kids.n; k++)
				idl_add(&todo, kids.id[k]);
		}
	}
	free(todo.id);
	free(tasks.id);
	free(kids.id);
}

/* Peer k is taken: the order of the others is kept (newest last) */
static void drop_peer(struct limen_session *s, size_t k)
{
	memmove(&s->peers[k], &s->peers[k + 1],
		(s->npeers - k - 1) * sizeof(s->peers[0]));
	s->npeers--;
}

/*
 * Find, in our namespace, the thread the runtime calls (ltid, lpid) in its
 * own: the same ids if the thread is in our namespace, else the one thread
 * among our descendants whose innermost ids (NSpid, NStgid) are these.
 */
static void resolve(struct limen_session *s, uint32_t i,
		    struct limen_slotview *v)
{
	struct pstatus ps;
	char path[64];
	int32_t found_tid = 0, found_pid = 0, here_pid = 0;
	int nfound = 0;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)v->ltid);
	/* the status of a thread group's leader is its process's */
	if (read_status(path, &ps) == 0 && ps.nspid_n == 1 &&
	    descendant(s, ps.tgid, ps.tgid == v->ltid ? &ps : NULL)) {
		if (ps.tgid == v->lpid) {
			v->resolved = 1;
			return;
		}
		/* a thread of ours by that id, in another process than
		   the slot says: a thread of a nested namespace with the
		   same local ids (looked for below), or a pid written
		   into the slot table (the kernel's word wins) */
		here_pid = ps.tgid;
	}
	if (!s->nsidx_built)
		nsidx_build(s);
	/* and in its namespace, where both are known: sibling namespaces
	   give the same local ids to others. The slot's may be wrong (a
	   CLONE_VM child's, or the program's writing): with none found in
	   it, any */
	for (int by_ns = 1; by_ns >= 0 && !nfound; by_ns--) {
		for (size_t k = 0; k < s->nns && nfound < 2; k++) {
			const struct limen_nsent *n = &s->nsidx[k];

			if (n->ltid != v->ltid || n->lpid != v->lpid ||
			    (by_ns && v->pidns && n->pidns &&
			     v->pidns != n->pidns) ||
			    taken(s, i, n->tid))
				continue;
			found_tid = n->tid;
			found_pid = n->pid;
			nfound++;
		}
	}
	if (nfound == 1) {
		v->tid = found_tid;
		v->pid = found_pid;
		v->resolved = 1;
		/* found alive: what it said by the socket is not needed */
		for (size_t k = s->npeers; k-- > 0;)
			if (s->peers[k].tid == found_tid &&
			    s->peers[k].ltid == v->ltid &&
			    s->peers[k].lpid == v->lpid)
				drop_peer(s, k);
	} else if (!nfound && here_pid) {
		v->pid = here_pid;
		v->resolved = 1;
	} else if (!nfound) {
		/* gone already: what it said when it came by the socket,
		   the newest first, taken once (a sibling namespace gives
		   the same ids to other processes). The slot its process
		   claimed before it came was identified as it came
		   (rendezvous.c, settle) */
		for (size_t k = s->npeers; k-- > 0;) {
			struct limen_nsent *n = &s->peers[k];

			if (n->ltid != v->ltid || n->lpid != v->lpid)
				continue;
			v->tid = n->tid;
			v->pid = n->pid;
			v->resolved = 1;
			drop_peer(s, k);
			break;
		}
	}
}

/* A thread's, done or pooled: a state identify can read */
static int is_claimed(uint32_t st)
{
	return st == LIMEN_SLOT_ACTIVE || st == LIMEN_SLOT_DONE ||
	       st == LIMEN_SLOT_POOLED;
}

/* A slot was claimed: learn, once, whose it is. */
static void identify(struct limen_session *s, uint32_t i)
{
	struct limen_slot *sl = slot_at(s, i);
	struct limen_slotview *v = &s->view[i];
	uint64_t tail = v->tail;
	uint32_t st = __atomic_load_n(&sl->state, __ATOMIC_ACQUIRE);

	memset(v, 0, sizeof(*v));
	v->tail = tail;
	/* its first lap starts where the last thread of the slot ended */
	v->pop_start = v->pop_end = v->pop_seen = tail;
	v->gen = __atomic_load_n(&sl->gen, __ATOMIC_RELAXED);
	v->ltid = v->tid = __atomic_load_n(&sl->tid, __ATOMIC_RELAXED);
	v->lpid = v->pid = __atomic_load_n(&sl->pid, __ATOMIC_RELAXED);
	v->pidns = __atomic_load_n(&sl->pidns, __ATOMIC_RELAXED);
	/* read whole or not at all: a thread taking it from its pool sets
	   it CLAIMED, then writes its tid and generation, then ACTIVE. Read
	   between, the slot was the pool's (the process's id) under the old
	   generation, taken as the thread's, and the new one then said
	   "overwritten" (tests/syscalls/own_calls_under_filter.t). Changed
	   meanwhile, it is looked at again at the next drain */
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	if (!is_claimed(st) ||
	    __atomic_load_n(&sl->state, __ATOMIC_RELAXED) != st ||
	    __atomic_load_n(&sl->gen, __ATOMIC_RELAXED) != v->gen)
		return;
	v->known = 1;
	v->last_tsc = limen_rdtsc();
	v->pooled = st == LIMEN_SLOT_POOLED;
	if (!s->no_resolve)
		resolve(s, i, v);
}

/* Slot i (in state st) was claimed since we last identified it: not known
   yet, or taken from its pool (a thread of its process took it, or its next
   image retired it), or given back to it: nothing is written as pooled, so
   it is learnt anew */
static int claimed_anew(struct limen_session *s, uint32_t i, uint32_t st)
{
	const struct limen_slotview *v = &s->view[i];

	if (!is_claimed(st))
		return 0;
	if (!v->known)
		return 1;
	return v->pooled ? st != LIMEN_SLOT_POOLED ||
				   __atomic_load_n(&slot_at(s, i)->gen,
						   __ATOMIC_RELAXED) != v->gen
			 : st == LIMEN_SLOT_POOLED;
}

/*
 * Identify the slots claimed anew (all: 0 only those not known yet), the
 * claims all seen first, then who made them. The walk of our descendants
 * (resolve, nsidx_build) made for the first that needs it then began after
 * each of them was claimed, so it finds each one's process unless it is
 * gone. Looked at and identified one after the other, a slot claimed
 * during the walk was not found in it, and kept its namespace's ids: a
 * shell's child in a nested namespace showed as pid 5, and its exec'd
 * image, found, as "not traced" (tests/syscalls/nested_reap_race.t). A
 * slot claimed after the look waits for the next.
 */
static void identify_new(struct limen_session *s, uint32_t used, int all)
{
	s->nsidx_built = 0;
	for (uint32_t i = 0; i < used; i++)
		s->view[i].look =
			(all || !s->view[i].known) &&
			claimed_anew(s, i,
				     __atomic_load_n(&slot_at(s, i)->state,
						     __ATOMIC_ACQUIRE));
	for (uint32_t i = 0; i < used; i++)
		if (s->view[i].look)
			identify(s, i);
}

/*
 * Identify the slots claimed since the last drain, now: before a reap
 * (main.c), while the threads that claimed them still have their /proc
 * entries, zombies or not. A command shorter than the collector's first
 * nap ended before any drain, and its slot was identified after its
 * reap: no /proc/<pid>/status, so resolve walked our descendants
 * (/proc/<us>/task, each task's children) before giving up.
 */
void limen_session_identify(struct limen_session *s)
{
	identify_new(s, nscan(s), 0);
}

static int zapped_before(struct limen_session *s, uint64_t pidns,
			 int32_t init)
{
	for (unsigned k = 0; k < LIMEN_ZAPPED_KEEP && k < s->nzapped; k++)
		if (s->zapped[k].pidns == pidns && s->zapped[k].init == init)
			return 1;
	s->zapped[s->nzapped % LIMEN_ZAPPED_KEEP].pidns = pidns;
	s->zapped[s->nzapped % LIMEN_ZAPPED_KEEP].init = init;
	s->nzapped++;
	return 0;
}

/*
 * A namespace's init ends only once the kernel has killed every other
 * process of it and reaped them (zap_pid_ns_processes, in the init's
 * exit, before it is a zombie): an init whose threads are all dead says
 * that its namespace's other processes were killed, and that all their
 * records are written. What the slots say (local pid, namespace) is the
 * program's to write: a process is said killed only if it is dead too
 * (resolved ids), or, known by its namespace's ids alone, if no slot of a
 * live namespace has the same id (the collector could not tell them
 * apart); the init must be resolved, and dead.
 */
size_t limen_session_zapped(struct limen_session *s, int32_t *init,
			    int32_t *pid, size_t max)
{
	uint32_t used = nscan(s);
	size_t n = 0;

	our_pidns(s);
	for (uint32_t i = 0; i < used; i++) {
		const struct limen_slotview *v = &s->view[i];
		int identified = 0;

		if (!v->known || v->lpid != 1 || !v->resolved || !v->pidns ||
		    v->pidns == s->pidns_ino || v->pid == s->self)
			continue;
		/* one read of its stat at each drain while it lives */
		if (limen_proc_gone(v->pid) != 1 ||
		    zapped_before(s, v->pidns, v->pid))
			continue;
		for (uint32_t j = 0; j < used && n < max; j++) {
			const struct limen_slotview *m = &s->view[j];
			int twin = 0;

			/* the slots its processes claimed since the last
			   drain: identified now (they are dead: their ids
			   in our namespace are not found, they keep
			   their namespace's) */
			if (!m->known && !identified) {
				limen_session_identify(s);
				identified = 1;
			}
			if (!m->known || m->pidns != v->pidns ||
			    m->pid == v->pid)
				continue;
			if (m->resolved) {
				if (limen_proc_gone(m->pid) != 1)
					continue;
			} else {
				for (uint32_t k = 0; k < used && !twin; k++)
					twin = s->view[k].known &&
					       s->view[k].pid == m->pid &&
					       s->view[k].pidns != v->pidns;
				if (twin)
					continue;
			}
			/* once a process: its threads share the pid */
			for (size_t k = 0; k < n && !twin; k++)
				twin = pid[k] == m->pid;
			if (twin)
				continue;
			init[n] = v->pid;
			pid[n++] = m->pid;
		}
	}
	return n;
}

/*
 * A stat file's fields from the state on ("S ppid ...", after the comm,
 * which may hold ')'), read into buf; NULL, and *why: 0 the task is gone
 * (no file, or nothing in it), -1 the file cannot be opened otherwise
 * (errno), '?' its line is no stat line.
 */
static char *stat_fields(const char *path, char *buf, size_t cap, int *why)
{
	char *p;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	*why = 0;
	if (fd < 0) {
		if (errno != ENOENT && errno != ESRCH)
			*why = -1;
		return NULL;
	}
	n = read(fd, buf, cap - 1);
	close(fd);
	if (n <= 0)
		return NULL;
	buf[n] = 0;
	p = strrchr(buf, ')');
	if (!p || p[1] != ' ' || !p[2]) {
		*why = '?';
		return NULL;
	}
	return p + 2;
}

int limen_task_state(pid_t pid, pid_t tid)
{
	char path[96], buf[512], *p;
	int why;

	if (pid)
		snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", (int)pid,
			 (int)tid);
	else
		snprintf(path, sizeof(path), "/proc/%d/stat", (int)tid);
	p = stat_fields(path, buf, sizeof(buf), &why);
	return p ? *p : why;
}

int limen_task_dead(pid_t pid, pid_t tid)
{
	int st = limen_task_state(pid, tid);

	return st == 0 || st == 'Z' || st == 'X';
}

/*
 * 1: the thread is gone; 0: alive; -1: cannot tell (its ids are another
 * namespace's). A zombie counts as gone: it makes no more records.
 */
static int thread_gone(struct limen_session *s, const struct limen_slotview *v)
{
	if (s->all_gone)
		return 1;
	if (!v->resolved)
		return -1;
	if (syscall(SYS_tgkill, v->pid, v->tid, 0) < 0 && errno == ESRCH)
		return 1;
	return limen_task_dead(v->pid, v->tid);
}

/*
 * 1: no task of process pid lives any more (it is gone from /proc, or its
 * leader is a zombie and the last of its threads); 0: one does; -1 cannot
 * tell. Not the leader's state alone: a leader that ended first stays a
 * zombie while its other threads run. One read of its stat, whatever the
 * number of its threads.
 */
int limen_proc_gone(pid_t pid)
{
	char path[64], buf[512], *p;
	int why, field;

	if (kill(pid, 0) < 0 && errno == ESRCH)
		return 1;
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	p = stat_fields(path, buf, sizeof(buf), &why);
	if (!p)
		return why ? -1 : 1;
	if (*p != 'Z' && *p != 'X')
		return 0;
	/* num_threads, the 20th field (state is the 3rd); it counts the
	   zombie leader until it is reaped */
	for (field = 3; *p && field < 20; p++)
		field += *p == ' ';
	return field == 20 && atoi(p) <= 1;
}

/*
 * A pooled slot's process (tid = pid = its leader's): gone once no task of
 * it lives. 1 gone, 0 alive, -1 cannot tell (then the slot is kept:
 * freeing it under a live process would give its ring to two threads).
 */
static int process_gone(struct limen_session *s,
			const struct limen_slotview *v)
{
	if (s->all_gone)
		return 1;
	/* found neither in /proc among ours nor by the socket when
	   identified: gone before we looked, or (no namespace inode to tell
	   them by: the runtime could not stat its /proc/self/ns/pid) a
	   process in a sibling pid namespace with the same local pid as
	   another: freed, so that process's later threads run untraced,
	   counted (free_pooled: never one a thread took meanwhile) */
	if (!v->resolved)
		return 1;
	return limen_proc_gone(v->pid);
}

static int slot_gone(struct limen_session *s, uint32_t st,
		     const struct limen_slotview *v)
{
	return st == LIMEN_SLOT_POOLED ? process_gone(s, v) == 1 :
					 thread_gone(s, v);
}

/* Another slot was claimed later by the same thread: it exec'd. */
static int superseded(struct limen_session *s, uint32_t self)
{
	const struct limen_slotview *v = &s->view[self];

	for (uint32_t i = 0, n = nscan(s); i < n; i++)
		if (i != self && s->view[i].known &&
		    s->view[i].tid == v->tid && s->view[i].pid == v->pid)
			return 1;
	return 0;
}

#define KEEP_RINGS 8
static void free_slot(struct limen_session *s, uint32_t i, uint64_t *bound);

/*
 * A pool's slot whose process we take for gone: out of the runtime's reach
 * first (POOLED to CLAIMED, which no thread takes), then freed. A thread of
 * a process taken for gone wrongly may be taking it from the pool at that
 * moment: a plain store of FREE over its claim let the next claim hand the
 * ring to a second thread, and the first one's ring was unmapped under it.
 */
static void free_pooled(struct limen_session *s, uint32_t i, uint64_t *bound)
{
	struct limen_slot *sl = slot_at(s, i);
	uint32_t st = LIMEN_SLOT_POOLED;

	if (!__atomic_compare_exchange_n(&sl->state, &st, LIMEN_SLOT_CLAIMED,
					 0, __ATOMIC_ACQ_REL,
					 __ATOMIC_RELAXED))
		return; /* taken: learnt anew at the next drain */
	free_slot(s, i, bound);
	if (s->view[i].known) /* not freed: its ring not drained yet */
		__atomic_store_n(&sl->state, LIMEN_SLOT_POOLED,
				 __ATOMIC_RELEASE);
}

/*
 * The thread is gone: drain its ring and give the slot back. What it wrote
 * since the drain's passes is taken a slice at a time, as they take it
 * (bound as theirs): a ring that holds more is left to the next drain's
 * passes, and freed then. Its records wait in the ring, not among those
 * held: taken whole, a thread that wrote its ring full as it ended made
 * them 27000 (4 MiB, and as much again to compact them). bound NULL: all
 * of it now.
 */
static void free_slot(struct limen_session *s, uint32_t i, uint64_t *bound)
{
	struct limen_slot *sl = slot_at(s, i);
	struct limen_slotview *v = &s->view[i];
	uint64_t head, lost;

	if (drain_ring(s, i, 0, bound))
		return;
	/* not drained (no room to map its ring, and its descriptor could
	   not be read): free it later, or count it as unread at the end
	   (limen_session_unread) */
	if (!s->rings[i] && s->no_room[i] == 2)
		return;
	/* events it lost after its last LOST record */
	lost = __atomic_exchange_n(&sl->lost, 0, __ATOMIC_RELAXED);
	if (lost)
		hold_lost(s, v, lost);
	head = __atomic_load_n(&sl->head, __ATOMIC_ACQUIRE);
	/* give the ring's memory back (it reads as zeros again, as a fresh
	   ring must), including a record reserved by a thread that died
	   before publishing it, which will never come. Not once the whole
	   tree is gone: no thread will claim the slot, and the session's
	   memory goes with us (a punch and an unmap at every run's end) */
	if (!s->all_gone) {
		if (fallocate(s->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
			      (off_t)limen_ring_off(&s->geom, i),
			      s->geom.ring_bytes) < 0)
			zero_any(s, i, 0, s->geom.ring_bytes);
		/* our address space follows the live threads, but for a
		   few rings kept mapped (no pages: punched out): a shell's
		   next child claims the slot its last one had, and its
		   ring was unmapped and mapped again at every exec, twice
		   (the vfork child's slot, the new image's). A ring read
		   through the descriptor has no mapping to keep */
		if (!s->rings[i]) {
			/* nothing mapped */
		} else if (s->nkept < KEEP_RINGS) {
			s->kept[i] = 1;
			s->nkept++;
		} else {
			munmap(s->rings[i], s->geom.ring_bytes);
			s->rings[i] = NULL;
		}
	}
	set_tail(s, i, v, head);
	v->known = 0;
	__atomic_store_n(&sl->state, LIMEN_SLOT_FREE, __ATOMIC_RELEASE);
}

static int cmp_event(const void *a, const void *b)
{
	const struct limen_event *x = a, *y = b;

	if (x->tsc != y->tsc)
		return x->tsc < y->tsc ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int cmp_off(const void *a, const void *b)
{
	const struct limen_event *x = a, *y = b;

	return x->off < y->off ? -1 : x->off > y->off;
}

/*
 * compact with no room for a second arena (a ulimit -v): the records move
 * down in the order they lie in, each to no higher than it was, and are
 * put back in the order they are held in (by time, then as taken).
 */
static void compact_in_place(struct limen_session *s)
{
	size_t end = 0;

	s->caparena2 = 0;
	qsort(s->held, s->nheld, sizeof(*s->held), cmp_off);
	for (size_t i = 0; i < s->nheld; i++) {
		struct limen_event *e = &s->held[i];

		memmove(s->arena + end, s->arena + e->off, e->size);
		e->off = end;
		e->rec = NULL;
		end += LIMEN_ALIGN8(e->size);
	}
	qsort(s->held, s->nheld, sizeof(*s->held), cmp_event);
	s->narena = end;
}

/*
 * The records still held (newer than `upto`) move to the front of the
 * arena, so that it does not grow from drain to drain. They are few: what
 * came in between the drain's start and its end.
 */
static void compact(struct limen_session *s)
{
	size_t end = 0;

	if (!s->nheld) {
		s->narena = 0;
		return;
	}
	if (!s->arena2 || s->caparena2 < s->narena) {
		free(s->arena2);
		s->caparena2 = s->caparena;
		s->arena2 = malloc(s->caparena2);
		if (!s->arena2) {
			compact_in_place(s);
			return;
		}
	}
	for (size_t i = 0; i < s->nheld; i++) {
		struct limen_event *e = &s->held[i];

		memcpy(s->arena2 + end, s->arena + e->off, e->size);
		e->off = end;
		e->rec = NULL;
		end += LIMEN_ALIGN8(e->size);
	}
	{
		uint8_t *a = s->arena;
		size_t cap = s->caparena;

		s->arena = s->arena2;
		s->caparena = s->caparena2;
		s->arena2 = a;
		s->caparena2 = cap;
	}
	s->narena = end;
}

/* Emit, in time order, the records held up to time upto; keep the rest. */
static void emit_upto(struct limen_session *s, uint64_t upto,
		      limen_emit_fn emit, void *ctx)
{
	size_t n;

	/* one busy ring drains already in order: sort only when needed */
	for (n = 1; n < s->nheld; n++)
		if (cmp_event(&s->held[n - 1], &s->held[n]) > 0)
			break;
	if (n < s->nheld)
		qsort(s->held, s->nheld, sizeof(*s->held), cmp_event);
	for (n = 0; n < s->nheld && s->held[n].tsc <= upto; n++) {
		s->held[n].rec = s->arena + s->held[n].off;
		emit(ctx, &s->held[n]);
	}
	if (n) {
		memmove(s->held, s->held + n,
			(s->nheld - n) * sizeof(*s->held));
		s->nheld -= n;
	}
	compact(s);
}

/* drain_ring for the drain's passes, noting whether the ring was cut
   short (and then where, and the time its slice spanned: drain_ring) */
static int slice(struct limen_session *s, uint32_t i, int pass,
		 uint64_t *bound)
{
	struct limen_slotview *v = &s->view[i];

	v->cut = drain_ring(s, i, pass, bound);
	return v->cut;
}

size_t limen_session_drain(struct limen_session *s, uint64_t upto,
			   limen_emit_fn emit, void *ctx)
{
	size_t before = s->seq;
	uint32_t i, used = nscan(s);
	uint64_t bound = upto, pop_budget;
	int cut = 0;

	s->drain_at = upto;
	identify_new(s, used, 1);
	for (i = 0; i < used; i++) {
		struct limen_slot *sl = slot_at(s, i);
		struct limen_slotview *v = &s->view[i];
		uint32_t st = __atomic_load_n(&sl->state, __ATOMIC_ACQUIRE);

		v->cut = 0;
		if (claimed_anew(s, i, st))
			continue; /* since identify_new looked: the next drain's */
		if (v->known && is_claimed(st) &&
		    __atomic_load_n(&sl->gen, __ATOMIC_RELAXED) != v->gen) {
			/* only we free slots: a new claim behind our back
			   is the program writing into the slot table */
			note(s, v, "+++ limen: the slot of thread %d was "
				   "overwritten +++", v->tid);
			v->gen = __atomic_load_n(&sl->gen, __ATOMIC_RELAXED);
		}
		if (v->known)
			cut |= slice(s, i, 0, &bound);
	}
	/*
	 * The rest of the rings cut short, a slice at a time; what is told
	 * in between is all older than what they still hold. A ring is
	 * sliced when its next record is no later than the earliest time a
	 * ring's next slice should reach (its next record and the time its
	 * last slice spanned): a ring whose slices span more time than
	 * another's (a thread that calls less often) is not read ahead of
	 * it, where all it gave was held until the others caught up (two
	 * busy threads: 27000 records held, 4 MiB, and as much again to
	 * compact them, where a slice holds 1600). Threads whose records
	 * interleave in time are all sliced in each pass, as before: one
	 * ring a pass made the passes as many as the rings times their
	 * slices, each sorting and moving all that was held (64 busy
	 * threads: a drain 20 times slower). The ring furthest behind is
	 * always sliced: each pass takes a slice.
	 */
	for (int pass = 1; cut; pass++) {
		uint64_t reach = UINT64_MAX;

		emit_upto(s, bound, emit, ctx);
		for (i = 0; i < used; i++) {
			struct limen_slotview *v = &s->view[i];
			uint64_t r = v->next + v->span;

			if (r < v->next) /* read from the ring: any value */
				r = UINT64_MAX;
			if (v->known && v->cut && r < reach)
				reach = r;
		}
		bound = upto;
		cut = 0;
		for (i = 0; i < used; i++) {
			struct limen_slotview *v = &s->view[i];

			if (!v->known)
				continue;
			if (v->cut && v->next > reach) {
				/* ahead: what it holds is newer */
				if (v->next < bound)
					bound = v->next;
			} else {
				slice(s, i, pass, &bound);
			}
			cut |= v->cut;
		}
	}
	/* half a ring, 4 MiB at most, per drain (about 1 ms of our time,
	   while a producer fills less than the other half), however many
	   threads start at once; after the drain, which made room */
	pop_budget = s->geom.ring_bytes / 2 < POPULATE_MAX ?
			     s->geom.ring_bytes / 2 : POPULATE_MAX;
	for (i = 0; i < used; i++)
		if (s->view[i].known)
			populate_ahead(s, i, &pop_budget);
	/* free the slots of threads that are gone, once drained; a pool's
	   slots are claimed together, so one look at its process serves
	   the run of them (a kill and a read of its stat each). A last
	   drain (all of it, or the tree gone) takes their rings whole */
	uint64_t *fbound = upto == UINT64_MAX || s->all_gone ? NULL : &bound;

	bound = upto;
	int32_t pool_pid = 0;
	int pool_gone = 0;

	for (i = 0; i < used; i++) {
		struct limen_slotview *v = &s->view[i];
		uint32_t st;
		int gone;

		if (!v->known)
			continue;
		st = __atomic_load_n(&slot_at(s, i)->state, __ATOMIC_ACQUIRE);
		if (st != LIMEN_SLOT_DONE && st != LIMEN_SLOT_POOLED &&
		    !v->retire && !s->all_gone)
			continue;
		/* a pooled slot only once its process is known gone; one
		   being taken from the pool is learnt anew first */
		if (v->pooled || st == LIMEN_SLOT_POOLED) {
			if (v->pooled && st == LIMEN_SLOT_POOLED) {
				if (!pool_pid || v->pid != pool_pid) {
					pool_pid = v->pid;
					pool_gone = process_gone(s, v);
				}
				if (pool_gone == 1)
					free_pooled(s, i, fbound);
			}
			continue;
		}
		gone = thread_gone(s, v);
		/* the thread said it is done (exit, exec), or its process
		   ended: believe it when we cannot check, else only once it
		   is gone or has a newer slot (a slot table written by the
		   program cannot take a live thread's ring away) */
		if (gone == 1 || gone < 0 ||
		    (st == LIMEN_SLOT_DONE && superseded(s, i)))
			free_slot(s, i, fbound);
	}
	emit_upto(s, bound, emit, ctx);
	return (size_t)(s->seq - before);
}

int limen_session_reap_slots(struct limen_session *s, int all_gone)
{
	int live = 0;

	if (all_gone)
		s->all_gone = 1;
	for (uint32_t i = 0, n = nscan(s); i < n; i++) {
		struct limen_slotview *v = &s->view[i];

		if (!v->known || v->retire)
			continue;
		if (slot_gone(s, __atomic_load_n(&s->slots[i].state,
						 __ATOMIC_ACQUIRE), v) == 1)
			v->retire = 1;
		else
			live++;
	}
	return live;
}

void limen_session_retire_pid(struct limen_session *s, int32_t pid)
{
	for (uint32_t i = 0, n = nscan(s); i < n; i++)
		if (s->view[i].known && s->view[i].pid == pid)
			s->view[i].retire = 1;
}

uint32_t limen_session_unread(struct limen_session *s)
{
	uint32_t used = nscan(s), n = 0;

	for (uint32_t i = 0; i < used; i++) {
		uint32_t st = __atomic_load_n(&s->slots[i].state,
					      __ATOMIC_ACQUIRE);

		if ((st == LIMEN_SLOT_ACTIVE || st == LIMEN_SLOT_DONE) &&
		    !s->rings[i] && s->no_room[i] == 2 &&
		    __atomic_load_n(&s->slots[i].head, __ATOMIC_ACQUIRE) !=
			    s->view[i].tail)
			n++;
	}
	return n;
}
