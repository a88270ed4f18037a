/* SPDX-License-Identifier: MIT */
/*
 * The producer side of the per-thread rings (layout in session/session.h).
 *
 * A record is reserved at its largest possible size, filled in place, then
 * shrunk back to its real size if nothing was reserved behind it meanwhile
 * (a signal handler nested in ours, or a thread sharing the slot); otherwise
 * the unused tail becomes a PAD record. A full ring makes the producer
 * wait for the collector (the default), or with --lossy drops the record
 * and counts it; the next record that fits is preceded by a LOST record
 * saying how many went missing there.
 */
#include <sys/syscall.h>

#include "raw.h"
#include "rt.h"

__thread struct limen_tls limen_tls;

static void put_hdr(uint8_t *p, uint32_t size, uint16_t type, uint16_t flags)
{
	struct limen_rec *h = (struct limen_rec *)p;

	h->size = size;
	h->flags = flags;
	__atomic_store_n(&h->type, type, __ATOMIC_RELEASE);
}

static int reserve_raw(struct limen_slot *s, uint8_t *ring, uint32_t rsize,
		       uint32_t bound, uint64_t *start)
{
	uint64_t h, pos, need, pad, tail;

	h = __atomic_load_n(&s->head, __ATOMIC_RELAXED);
	for (;;) {
		tail = __atomic_load_n(&s->tail, __ATOMIC_ACQUIRE);
		pos = h & (rsize - 1);
		pad = pos + bound > rsize ? rsize - pos : 0;
		need = pad + bound;
		if (h + need - tail > rsize)
			return -1;
		if (__atomic_compare_exchange_n(&s->head, &h, h + need, 0,
						__ATOMIC_ACQ_REL,
						__ATOMIC_RELAXED))
			break;
	}
	if (pad)
		put_hdr(ring + pos, (uint32_t)pad, LIMEN_REC_PAD, 0);
	*start = h + pad;
	return 0;
}

/*
 * The calling thread's slot. A CLONE_VM thread created without CLONE_SETTLS
 * shares its parent's TLS, so once such a thread exists the TLS answer is
 * checked against gettid and, for the stranger, the slot table is searched.
 */
static struct limen_slot *cur(uint8_t **ring)
{
	if (__builtin_expect(limen_rt.shared_tls, 0)) {
		int32_t tid = (int32_t)limen_sys0(SYS_gettid);
		struct limen_ctl *c = limen_rt.ctl;
		struct limen_slot *slots = limen_slots(c);

		if (tid != limen_tls.tid) {
			for (uint32_t i = 0; i < c->nslots; i++) {
				if (slots[i].tid == tid &&
				    __atomic_load_n(&slots[i].state,
						    __ATOMIC_ACQUIRE) ==
					    LIMEN_SLOT_ACTIVE) {
					*ring = limen_ring(c, i);
					return &slots[i];
				}
			}
			return 0;
		}
	}
	*ring = limen_tls.ring;
	return limen_tls.slot;
}

/*
 * Bytes this thread has reserved and not yet committed. A signal handler
 * nested inside our own reservation can wait for room only for what the
 * collector can free: it drains up to the unpublished record we are in the
 * middle of and no further, so pending + need must fit in the ring, or the
 * handler would wait for itself.
 */
static __thread uint64_t reserving;

/* Set once the collector is known to be gone. */
static int collector_gone;

#define WAIT_SPINS 64          /* pause loops before sleeping */
#define WAIT_SLEEP_NS 50000    /* then 50 us naps ... */
#define WAIT_STALL_NAPS 40000  /* ... and, with no word on whether the
				  collector lives, 2 s without progress */

/* The kernel marked the collector's lock: it exited or was killed. */
static int collector_died(void)
{
	uint32_t w = __atomic_load_n((uint32_t *)limen_rt.ctl->collector_lock,
				     __ATOMIC_ACQUIRE);

	return (w & LIMEN_COLLECTOR_DIED) != 0;
}

/*
 * The default (LIMEN_CTL_NO_LOSS): a ring without room for `need` more
 * bytes makes its producer wait for the collector, as a complete trace is
 * what strace users expect (a collector that is slow to write, say to a
 * paused pager, slows the program down as strace would). Never forever:
 * not inside our own reservation beyond what the ring can free, and not
 * for a collector that is gone (the kernel marks its lock; with no lock,
 * 2 s without progress): then the record is dropped and counted.
 * 0: room now.
 */
static int wait_room(struct limen_slot *s, uint32_t rsize, uint64_t need)
{
	uint64_t tail = __atomic_load_n(&s->tail, __ATOMIC_ACQUIRE);
	uint32_t spins = 0, stalled = 0;

	if (!(limen_rt.ctl->flags & LIMEN_CTL_NO_LOSS) ||
	    reserving + need > rsize ||
	    __atomic_load_n(&collector_gone, __ATOMIC_RELAXED))
		return -1;
	for (;;) {
		uint64_t h = __atomic_load_n(&s->head, __ATOMIC_RELAXED);
		uint64_t t = __atomic_load_n(&s->tail, __ATOMIC_ACQUIRE);

		if (h - t + need <= rsize)
			return 0;
		if (t != tail) {
			tail = t;
			stalled = 0;
		}
		if (spins < WAIT_SPINS) {
			spins++;
			__builtin_ia32_pause();
			continue;
		}
		if (collector_died() ||
		    (!limen_rt.ctl->collector_lock[0] &&
		     ++stalled > WAIT_STALL_NAPS)) {
			__atomic_store_n(&collector_gone, 1, __ATOMIC_RELAXED);
			return -1;
		}
		{
			struct timespec_k {
				long sec, nsec;
			} nap = { 0, WAIT_SLEEP_NS };

			limen_sys2(SYS_nanosleep, &nap, 0);
		}
	}
}

/* reserve_raw, waiting for room when the session asks for no loss */
static int reserve_wait(struct limen_slot *s, uint8_t *ring, uint32_t rsize,
			uint32_t bound, uint64_t *start)
{
	for (int tries = 0; tries < 2; tries++) {
		if (reserve_raw(s, ring, rsize, bound, start) == 0)
			return 0;
		/* the bound plus the padding a wrap may need */
		if (wait_room(s, rsize, 2ull * bound) < 0)
			return -1;
	}
	return reserve_raw(s, ring, rsize, bound, start);
}

static int reserve(struct limen_wr *w, uint32_t bound)
{
	uint8_t *ring;
	struct limen_slot *s = cur(&ring);
	uint32_t rsize = limen_rt.ctl->ring_bytes;
	uint64_t lost;

	if (!s)
		return -1;

	bound = (uint32_t)LIMEN_ALIGN8(bound);
	/* larger than half the ring (an execve with -s 8192 in a 16K
	   ring) it could not be waited for (a wrap may need as much again
	   in padding): its loss is counted. Half, not less: a path (4 KiB
	   at most) still fits a 16K ring */
	if (bound > rsize / 2)
		goto drop;
	lost = __atomic_load_n(&s->lost, __ATOMIC_RELAXED);
	if (lost) {
		struct limen_rec_lost *l;
		uint64_t at;

		if (reserve_wait(s, ring, rsize, sizeof(*l), &at) < 0)
			goto drop;
		l = (void *)(ring + (at & (rsize - 1)));
		l->count = __atomic_exchange_n(&s->lost, 0, __ATOMIC_RELAXED);
		l->tsc = limen_rdtsc();
		put_hdr((uint8_t *)l, sizeof(*l), LIMEN_REC_LOST, 0);
	}
	if (reserve_wait(s, ring, rsize, bound, &w->start) < 0)
		goto drop;
	reserving += bound;
	w->slot = s;
	w->end = w->start + bound;
	w->p = ring + (w->start & (rsize - 1));
	return 0;
drop:
	__atomic_add_fetch(&s->lost, 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(&s->lost_total, 1, __ATOMIC_RELAXED);
	return -1;
}

int limen_rec_reserve(struct limen_wr *w, uint32_t bound)
{
	if (!limen_rt.ctl)
		return -1;
	return reserve(w, bound);
}

void limen_rec_commit(struct limen_wr *w, uint16_t type, uint16_t flags,
		      uint32_t used)
{
	uint64_t end = w->start + LIMEN_ALIGN8(used);
	uint64_t expect = w->end;

	reserving -= w->end - w->start;
	if (end < w->end &&
	    !__atomic_compare_exchange_n(&w->slot->head, &expect, end, 0,
					 __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
		put_hdr(w->p + (end - w->start), (uint32_t)(w->end - end),
			LIMEN_REC_PAD, 0);
	put_hdr(w->p, (uint32_t)(end - w->start), type, flags);
}

/*
 * Claim a free slot for the calling thread and announce it. Slots are found
 * by a linear scan: this runs once per thread.
 */
int limen_thread_register(uint32_t kind, int use_tls)
{
	struct limen_ctl *c = limen_rt.ctl;
	struct limen_slot *slots, *mine = 0;
	int32_t tid, pid;
	uint32_t i;

	if (use_tls) {
		limen_tls.slot = 0;
		limen_tls.ring = 0;
	}
	if (!c)
		return -1;
	tid = (int32_t)limen_sys0(SYS_gettid);
	pid = (int32_t)limen_sys0(SYS_getpid);
	if (use_tls) {
		limen_tls.tid = tid;
		limen_tls.pid = pid;
	}
	slots = limen_slots(c);
	for (i = 0; i < c->nslots; i++) {
		uint32_t st = LIMEN_SLOT_FREE;

		if (__atomic_load_n(&slots[i].state, __ATOMIC_RELAXED) !=
		    LIMEN_SLOT_FREE)
			continue;
		if (!__atomic_compare_exchange_n(&slots[i].state, &st,
						 LIMEN_SLOT_CLAIMED, 0,
						 __ATOMIC_ACQ_REL,
						 __ATOMIC_RELAXED))
			continue;
		slots[i].tid = tid;
		slots[i].pid = pid;
		slots[i].gen++;
		slots[i].lost = 0;
		mine = &slots[i];
		if (use_tls) {
			limen_tls.slot = mine;
			limen_tls.ring = limen_ring(c, i);
		}
		__atomic_store_n(&slots[i].state, LIMEN_SLOT_ACTIVE,
				 __ATOMIC_RELEASE);
		break;
	}
	if (!mine) {
		__atomic_add_fetch(&c->threads_untraced, 1, __ATOMIC_RELAXED);
		return -1;
	}
	{
		struct limen_wr w;
		struct limen_rec_start *r;

		if (reserve(&w, sizeof(*r)) == 0) {
			r = (void *)w.p;
			r->kind = kind;
			r->ppid = (int32_t)limen_sys0(SYS_getppid);
			r->tsc = limen_rdtsc();
			limen_rec_commit(&w, LIMEN_REC_START, 0, sizeof(*r));
		}
	}
	return 0;
}

/* The thread is about to end: the collector may free the slot once drained. */
void limen_thread_done(void)
{
	uint8_t *ring;
	struct limen_slot *s = limen_rt.ctl ? cur(&ring) : 0;

	if (s)
		__atomic_store_n(&s->state, LIMEN_SLOT_DONE, __ATOMIC_RELEASE);
}
