/* SPDX-License-Identifier: MIT */
/*
 * The collector's side of the session: create the shared memory, drain the
 * rings (the consumer protocol is described in session/session.h), and keep
 * the slot table tidy.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cli.h"

int limen_session_create(struct limen_session *s, const struct limen_opts *o)
{
	uint32_t nslots = LIMEN_NSLOTS_DEFAULT;
	uint32_t ring = o->ring_bytes ? o->ring_bytes : LIMEN_RING_BYTES_DEFAULT;
	uint64_t slots_off = LIMEN_CTL_BYTES;
	uint64_t rings_off = slots_off + (uint64_t)nslots *
					 sizeof(struct limen_slot);
	uint64_t total;
	struct limen_ctl *c;

	rings_off = (rings_off + 4095) & ~4095ull;
	total = rings_off + (uint64_t)nslots * ring;
	memset(s, 0, sizeof(*s));
	s->fd = memfd_create("limen-session", MFD_CLOEXEC);
	if (s->fd < 0)
		return -errno;
	if (ftruncate(s->fd, (off_t)total) < 0)
		return -errno;
	c = mmap(NULL, total, PROT_READ | PROT_WRITE, MAP_SHARED, s->fd, 0);
	if (c == MAP_FAILED)
		return -errno;
	c->size = sizeof(*c);
	c->version = LIMEN_SESSION_VERSION;
	c->total_bytes = total;
	c->nslots = nslots;
	c->ring_bytes = ring;
	c->slots_off = slots_off;
	c->rings_off = rings_off;
	c->strsize = o->strsize;
	c->flags = (o->trace_all ? LIMEN_CTL_TRACE_ALL : 0) |
		   (o->no_loss ? LIMEN_CTL_NO_LOSS : 0);
	memcpy(c->trace_mask, o->trace_mask, sizeof(c->trace_mask));
	/* the magic last: a runtime that sees it sees a complete header */
	__atomic_store_n(&c->magic, LIMEN_SESSION_MAGIC, __ATOMIC_RELEASE);
	s->ctl = c;
	return 0;
}

static void hold(struct limen_session *s, const struct limen_slot *sl,
		 const uint8_t *rec, uint32_t size)
{
	const struct limen_rec *h = (const void *)rec;
	struct limen_event *e;

	if (s->nheld == s->capheld) {
		s->capheld = s->capheld ? 2 * s->capheld : 1024;
		s->held = realloc(s->held, s->capheld * sizeof(*s->held));
		if (!s->held)
			abort();
	}
	e = &s->held[s->nheld++];
	e->type = h->type;
	e->flags = h->flags;
	e->tid = sl->tid;
	e->pid = sl->pid;
	e->size = size;
	e->rec = malloc(size);
	if (!e->rec)
		abort();
	memcpy(e->rec, rec, size);
	e->seq = s->seq++;
	/* every record type keeps its TSC at a fixed place */
	switch (h->type) {
	case LIMEN_REC_ENTER:
	case LIMEN_REC_EXIT:
		e->tsc = ((const struct limen_rec_sys *)rec)->tsc;
		break;
	case LIMEN_REC_SIGNAL:
		e->tsc = ((const struct limen_rec_sig *)rec)->tsc;
		break;
	case LIMEN_REC_START:
		e->tsc = ((const struct limen_rec_start *)rec)->tsc;
		break;
	case LIMEN_REC_LOST:
		e->tsc = ((const struct limen_rec_lost *)rec)->tsc;
		break;
	case LIMEN_REC_NOTE:
		e->tsc = ((const struct limen_rec_note *)rec)->tsc;
		break;
	default:
		e->tsc = 0;
	}
}

/* Take the published records out of one ring. We don't trust sizes read
 * from shared memory: a bad one ends the drain of this ring. */
static void drain_ring(struct limen_session *s, uint32_t i)
{
	struct limen_ctl *c = s->ctl;
	struct limen_slot *sl = &limen_slots(c)[i];
	uint8_t *ring = limen_ring(c, i);
	uint32_t rsize = c->ring_bytes;
	uint64_t tail = sl->tail;
	uint64_t head = __atomic_load_n(&sl->head, __ATOMIC_ACQUIRE);

	while (tail < head) {
		uint8_t *p = ring + (tail & (rsize - 1));
		struct limen_rec *h = (struct limen_rec *)p;
		uint16_t type = __atomic_load_n(&h->type, __ATOMIC_ACQUIRE);
		uint32_t size = h->size;

		if (type == LIMEN_REC_NONE)
			break;
		if (size < 8 || size & 7 ||
		    (tail & (rsize - 1)) + size > rsize || tail + size > head)
			break;
		if (type != LIMEN_REC_PAD)
			hold(s, sl, p, size);
		memset(p, 0, size);
		tail += size;
		__atomic_store_n(&sl->tail, tail, __ATOMIC_RELEASE);
	}
}

static int cmp_event(const void *a, const void *b)
{
	const struct limen_event *x = a, *y = b;

	if (x->tsc != y->tsc)
		return x->tsc < y->tsc ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

size_t limen_session_drain(struct limen_session *s, uint64_t upto,
			   limen_emit_fn emit, void *ctx)
{
	struct limen_ctl *c = s->ctl;
	struct limen_slot *slots = limen_slots(c);
	size_t i, n, before = s->seq;

	for (i = 0; i < c->nslots; i++) {
		uint32_t st = __atomic_load_n(&slots[i].state,
					      __ATOMIC_ACQUIRE);

		if (st == LIMEN_SLOT_ACTIVE || st == LIMEN_SLOT_DONE)
			drain_ring(s, (uint32_t)i);
		if (st == LIMEN_SLOT_DONE) {
			uint64_t head = __atomic_load_n(&slots[i].head,
							__ATOMIC_ACQUIRE);

			/* the thread is gone: give the ring's memory back
			   (it reads as zeros again, as a fresh ring must),
			   including a record reserved by a thread that died
			   before publishing it, which will never come */
			if (fallocate(s->fd, FALLOC_FL_PUNCH_HOLE |
						    FALLOC_FL_KEEP_SIZE,
				      (off_t)(c->rings_off +
					      (uint64_t)i * c->ring_bytes),
				      c->ring_bytes) < 0)
				memset(limen_ring(c, (uint32_t)i), 0,
				       c->ring_bytes);
			slots[i].tail = head;
			__atomic_store_n(&slots[i].state, LIMEN_SLOT_FREE,
					 __ATOMIC_RELEASE);
		}
	}
	/* one busy ring drains already in order: sort only when needed */
	for (i = 1; i < s->nheld; i++)
		if (cmp_event(&s->held[i - 1], &s->held[i]) > 0)
			break;
	if (i < s->nheld)
		qsort(s->held, s->nheld, sizeof(*s->held), cmp_event);
	for (n = 0; n < s->nheld && s->held[n].tsc <= upto; n++)
		emit(ctx, &s->held[n]);
	memmove(s->held, s->held + n, (s->nheld - n) * sizeof(*s->held));
	s->nheld -= n;
	return (size_t)(s->seq - before);
}

int limen_session_reap_slots(struct limen_session *s)
{
	struct limen_ctl *c = s->ctl;
	struct limen_slot *slots = limen_slots(c);
	int live = 0;

	for (uint32_t i = 0; i < c->nslots; i++) {
		if (__atomic_load_n(&slots[i].state, __ATOMIC_ACQUIRE) !=
		    LIMEN_SLOT_ACTIVE)
			continue;
		if (syscall(SYS_tgkill, slots[i].pid, slots[i].tid, 0) < 0 &&
		    errno == ESRCH)
			__atomic_store_n(&slots[i].state, LIMEN_SLOT_DONE,
					 __ATOMIC_RELEASE);
		else
			live++;
	}
	return live;
}

void limen_session_retire_pid(struct limen_session *s, int32_t pid)
{
	struct limen_ctl *c = s->ctl;
	struct limen_slot *slots = limen_slots(c);

	for (uint32_t i = 0; i < c->nslots; i++)
		if (slots[i].pid == pid &&
		    __atomic_load_n(&slots[i].state, __ATOMIC_ACQUIRE) ==
			    LIMEN_SLOT_ACTIVE)
			__atomic_store_n(&slots[i].state, LIMEN_SLOT_DONE,
					 __ATOMIC_RELEASE);
}
