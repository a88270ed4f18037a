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
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cli.h"

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
	/* too small a file size limit: an error, not death by SIGXFSZ */
	signal(SIGXFSZ, SIG_IGN);
	if (ftruncate(s->fd, (off_t)g->total_bytes) < 0 ||
	    fcntl(s->fd, F_ADD_SEALS,
		  F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) < 0)
		return -errno;
	signal(SIGXFSZ, SIG_DFL);
	s->rings = calloc(nslots, sizeof(*s->rings));
	if (!s->rings)
		return -ENOMEM;
	/* the rings are mapped one by one, as their threads appear */
	c = mmap(NULL, g->rings_off, PROT_READ | PROT_WRITE, MAP_SHARED,
		 s->fd, 0);
	if (c == MAP_FAILED)
		return -errno;
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
		   (o->uaccess || o->run ? LIMEN_CTL_UACCESS_ABI : 0);
	memcpy(c->trace_mask, o->trace_mask, sizeof(c->trace_mask));
	/* the magic last: a runtime that sees it sees a complete header */
	__atomic_store_n(&c->magic, LIMEN_SESSION_MAGIC, __ATOMIC_RELEASE);
	s->ctl = c;
	s->slots = (struct limen_slot *)((char *)c + g->slots_off);
	return 0;
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

static uint8_t *ring_of(struct limen_session *s, uint32_t i)
{
	void *m;

	if (s->rings[i])
		return s->rings[i];
	m = mmap(NULL, s->geom.ring_bytes, PROT_READ | PROT_WRITE, MAP_SHARED,
		 s->fd, (off_t)limen_ring_off(&s->geom, i));
	if (m == MAP_FAILED)
		return NULL; /* tried again at the next drain */
	s->rings[i] = m;
	return m;
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
	case LIMEN_REC_UACCESS:
		e->tsc = size >= sizeof(struct limen_rec_uaccess) ?
			((const struct limen_rec_uaccess *)rec)->tsc : 0;
		break;
	case LIMEN_REC_NOTE:
		if (size >= sizeof(struct limen_rec_note))
			e->tsc = ((const struct limen_rec_note *)rec)->tsc;
		else
			e->tsc = 0;
		break;
	default:
		e->tsc = 0;
	}
}

/* Take the published records out of one ring. We don't trust sizes read
 * from shared memory: a bad one ends the drain of this ring. */
static void drain_ring(struct limen_session *s, uint32_t i)
{
	struct limen_slot *sl = &s->slots[i];
	uint8_t *ring = ring_of(s, i);
	uint32_t rsize = s->geom.ring_bytes;
	uint64_t tail = sl->tail;
	uint64_t head = __atomic_load_n(&sl->head, __ATOMIC_ACQUIRE);

	if (!ring)
		return;
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
	struct limen_slot *slots = s->slots;
	size_t i, n, before = s->seq;
	uint32_t used = nscan(s);

	for (i = 0; i < used; i++) {
		uint32_t st = __atomic_load_n(&slots[i].state,
					      __ATOMIC_ACQUIRE);

		if (st == LIMEN_SLOT_ACTIVE || st == LIMEN_SLOT_DONE)
			drain_ring(s, (uint32_t)i);
		/* not drained (no room to map its ring): free it later */
		if (st == LIMEN_SLOT_DONE && s->rings[i]) {
			uint64_t head = __atomic_load_n(&slots[i].head,
							__ATOMIC_ACQUIRE);

			/* the thread is gone: give the ring's memory back
			   (it reads as zeros again, as a fresh ring must),
			   including a record reserved by a thread that died
			   before publishing it, which will never come */
			if (fallocate(s->fd, FALLOC_FL_PUNCH_HOLE |
						    FALLOC_FL_KEEP_SIZE,
				      (off_t)limen_ring_off(&s->geom,
							    (uint32_t)i),
				      s->geom.ring_bytes) < 0)
				memset(s->rings[i], 0, s->geom.ring_bytes);
			/* our address space follows the live threads */
			munmap(s->rings[i], s->geom.ring_bytes);
			s->rings[i] = NULL;
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
	struct limen_slot *slots = s->slots;
	uint32_t used = nscan(s);
	int live = 0;

	for (uint32_t i = 0; i < used; i++) {
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
	struct limen_slot *slots = s->slots;
	uint32_t used = nscan(s);

	for (uint32_t i = 0; i < used; i++)
		if (slots[i].pid == pid &&
		    __atomic_load_n(&slots[i].state, __ATOMIC_ACQUIRE) ==
			    LIMEN_SLOT_ACTIVE)
			__atomic_store_n(&slots[i].state, LIMEN_SLOT_DONE,
					 __ATOMIC_RELEASE);
}

uint32_t limen_session_unread(struct limen_session *s)
{
	uint32_t used = nscan(s), n = 0;

	for (uint32_t i = 0; i < used; i++) {
		uint32_t st = __atomic_load_n(&s->slots[i].state,
					      __ATOMIC_ACQUIRE);

		if ((st == LIMEN_SLOT_ACTIVE || st == LIMEN_SLOT_DONE) &&
		    !s->rings[i] &&
		    __atomic_load_n(&s->slots[i].head, __ATOMIC_ACQUIRE) !=
			    s->slots[i].tail)
			n++;
	}
	return n;
}
