/* SPDX-License-Identifier: MIT */
/*
 * Which event class stores a record. The rings are written by the traced
 * program, so nothing is assumed: a record whose bytes could not be rebuilt
 * exactly from its class's fields goes to limen_record, whole.
 */
#include <string.h>

#include "ctf/ctf_int.h"
#include "systab.h"

static int zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

/* The ring record header agrees with what the drain said of it (the
   record's TSC is checked by each type: it is stored once, as e->tsc). */
static int hdr_ok(const struct limen_event *e, uint32_t min)
{
	const struct limen_rec *h = (const void *)e->rec;

	return e->rec && e->size >= min && h->size == e->size &&
	       h->type == e->type && h->flags == e->flags;
}

static int sys_shape(const struct limen_event *e, struct limen_ctf_shape *sh,
		     struct limen_ctf_sys *sys)
{
	const struct limen_rec_sys *r = (const void *)e->rec;
	const struct limen_ctf_arg *a;
	uint64_t off = sizeof(*r);
	size_t n;
	int last = -1;

	if (!hdr_ok(e, sizeof(*r)) || r->tsc != e->tsc ||
	    !(a = limen_ctf_args(r->nr)))
		return -1;
	/* an entry's result is not stored: the runtime writes 0 */
	if (e->type == LIMEN_REC_ENTER && r->ret != 0)
		return -1;
	memset(sys, 0, sizeof(*sys));
	n = e->type == LIMEN_REC_EXIT ? 8 : 0;
	for (int i = 0; i < 6; i++)
		n += a[i].kind >= LIMEN_CTF_F_TEXT ? 8 + 1 + 4 : 8;
	for (uint32_t k = 0; k < r->ncap; k++) {
		const struct limen_cap *c;
		uint64_t len;

		if (off + sizeof(*c) > e->size)
			return -1;
		c = (const void *)(e->rec + off);
		len = LIMEN_ALIGN8((uint64_t)c->len);
		if (c->arg >= 6 || (int)c->arg <= last ||
		    a[c->arg].kind < LIMEN_CTF_F_TEXT ||
		    (c->flags & LIMEN_CTF_CAP_PRESENT) || c->pad ||
		    len > e->size - off - sizeof(*c) ||
		    !zero((const uint8_t *)(c + 1) + c->len, len - c->len))
			return -1;
		last = c->arg;
		sys->cap[c->arg] = c;
		n += c->len;
		off += sizeof(*c) + len;
	}
	if (off != e->size)
		return -1;
	sh->id = (uint16_t)(2 * r->nr + (e->type == LIMEN_REC_EXIT));
	sh->payload = n;
	return 0;
}

int limen_ctf_shape(const struct limen_event *e, struct limen_ctf_shape *sh,
		    struct limen_ctf_sys *sys)
{
	switch (e->type) {
	case LIMEN_REC_ENTER:
	case LIMEN_REC_EXIT:
		return sys_shape(e, sh, sys);
	case LIMEN_REC_SIGNAL: {
		const struct limen_rec_sig *s = (const void *)e->rec;

		if (!hdr_ok(e, sizeof(*s)) || e->size != sizeof(*s) ||
		    s->pad || s->tsc != e->tsc)
			return -1;
		sh->id = LIMEN_CTF_ID_SIGNAL;
		sh->payload = 4 + sizeof(s->siginfo) + 8;
		return 0;
	}
	case LIMEN_REC_START:
		if (!hdr_ok(e, sizeof(struct limen_rec_start)) ||
		    e->size != sizeof(struct limen_rec_start) ||
		    ((const struct limen_rec_start *)e->rec)->tsc != e->tsc)
			return -1;
		sh->id = LIMEN_CTF_ID_START;
		sh->payload = 8;
		return 0;
	case LIMEN_REC_LOST:
		if (!hdr_ok(e, sizeof(struct limen_rec_lost)) ||
		    e->size != sizeof(struct limen_rec_lost) ||
		    ((const struct limen_rec_lost *)e->rec)->tsc != e->tsc)
			return -1;
		sh->id = LIMEN_CTF_ID_LOST;
		sh->payload = 8;
		return 0;
	case LIMEN_REC_NOTE: {
		const struct limen_rec_note *n = (const void *)e->rec;

		if (!hdr_ok(e, sizeof(*n)) || n->pad || n->tsc != e->tsc ||
		    n->len > e->size - sizeof(*n) ||
		    LIMEN_ALIGN8(sizeof(*n) + (uint64_t)n->len) != e->size ||
		    !zero((const uint8_t *)(n + 1) + n->len,
			  e->size - sizeof(*n) - n->len))
			return -1;
		sh->id = LIMEN_CTF_ID_NOTE;
		sh->payload = 12 + n->len;
		return 0;
	}
	case LIMEN_EV_NOTE:
	case LIMEN_EV_LINE:
		/* text, NUL-terminated, no NUL before its end */
		if (!e->rec || !e->size || e->rec[e->size - 1] ||
		    memchr(e->rec, 0, e->size - 1))
			return -1;
		sh->id = e->type == LIMEN_EV_NOTE ? LIMEN_CTF_ID_CNOTE
						  : LIMEN_CTF_ID_LINE;
		sh->payload = e->size;
		return 0;
	case LIMEN_EV_REAPED: {
		const struct limen_ctf_reaped *d = (const void *)e->rec;

		if (!e->rec || e->size != sizeof(*d) || d->pad)
			return -1;
		sh->id = LIMEN_CTF_ID_REAPED;
		sh->payload = 12;
		return 0;
	}
	case LIMEN_EV_COMMAND:
		if (!e->rec || e->size != 4)
			return -1;
		sh->id = LIMEN_CTF_ID_COMMAND;
		sh->payload = 4;
		return 0;
	case LIMEN_EV_TICK:
		if (e->size)
			return -1;
		sh->id = LIMEN_CTF_ID_TICK;
		sh->payload = 0;
		return 0;
	}
	return -1;
}
