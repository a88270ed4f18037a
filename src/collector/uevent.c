/* SPDX-License-Identifier: MIT */
/*
 * User events in the collector: the formats the runtime told (UEVDEF
 * records, one table per collector, indexed by the session's event id)
 * and the rendering of an event's payload as name(field=value, ...).
 * Everything here came through memory the program can write: lengths are
 * checked against the record, strings are bounded and escaped, and a
 * payload shorter than its format is shown as such, never read past.
 */
#include <stdlib.h>
#include <string.h>

#include "collector/uevent.h"
#include "session/uevent_area.h"
#include "session/uevent_fmt.h"
#include "decode/oom.h"

struct limen_uev_def {
	int ok;
	uint32_t gen; /* the generation of the id it was told for */
	char args[LIMEN_UEVENT_ARGS];
	struct limen_uev_fmt fmt;
};

/*
 * The definitions of each id, by generation (the id's upper bits,
 * LIMEN_UEV_TAG): an event deleted and its id claimed by another while a
 * thread was still emitting the first leaves records of the old
 * generation after the new definition; they are decoded by the old one.
 * The last GENS generations of an id are kept: a record of an older one
 * is not shown rather than shown under another event's name.
 */
#define GENS 4u

struct limen_uev_defs {
	struct limen_uev_def d[LIMEN_UEVENT_MAX][GENS];
};

struct limen_uev_defs *limen_uev_defs_new(void)
{
	struct limen_uev_defs *t = calloc(1, sizeof(*t));

	if (!t)
		limen_out_of_memory();
	return t;
}

void limen_uev_defs_free(struct limen_uev_defs *t)
{
	free(t);
}

void limen_uev_define(struct limen_uev_defs *t, const uint8_t *rec,
		      uint32_t size)
{
	const struct limen_rec_uev *r = (const void *)rec;
	struct limen_uev_def d;

	if (size < sizeof(*r) || LIMEN_UEV_SLOT(r->id) >= LIMEN_UEVENT_MAX ||
	    (int32_t)r->id < 0 || r->len > size - sizeof(*r))
		return;
	if (limen_uev_norm(d.args, sizeof(d.args), (const char *)(r + 1),
			   r->len) < 0 ||
	    limen_uev_parse(d.args, &d.fmt) < 0)
		return;
	d.ok = 1;
	d.gen = r->id >> 16;
	t->d[LIMEN_UEV_SLOT(r->id)][d.gen % GENS] = d;
}

/* A string field: up to its NUL, at most n bytes. */
static void str(struct limen_sb *sb, const uint8_t *p, uint32_t n)
{
	uint32_t k = 0;

	while (k < n && p[k])
		k++;
	limen_decode_quoted(sb, p, k, 0);
}

static void hex(struct limen_sb *sb, const uint8_t *p, uint32_t n)
{
	limen_sb_putc(sb, '[');
	for (uint32_t i = 0; i < n; i++)
		limen_sb_printf(sb, "%s0x%02x", i ? ", " : "", p[i]);
	limen_sb_putc(sb, ']');
}

static void field(struct limen_sb *sb, const struct limen_uev_field *f,
		  const uint8_t *p, uint32_t len)
{
	const uint8_t *v = p + f->off;
	uint64_t u = 0;

	switch (f->kind) {
	case LIMEN_UEV_INT:
		memcpy(&u, v, f->size); /* little-endian */
		if (f->is_signed && f->size < 8 &&
		    (u >> (f->size * 8 - 1) & 1))
			u |= ~0ull << (f->size * 8);
		if (f->is_signed)
			limen_sb_printf(sb, "%lld", (long long)u);
		else
			limen_sb_printf(sb, "%llu", (unsigned long long)u);
		break;
	case LIMEN_UEV_CHARS:
		str(sb, v, f->size);
		break;
	case LIMEN_UEV_BYTES:
		hex(sb, v, f->size);
		break;
	case LIMEN_UEV_DATA_LOC:
	case LIMEN_UEV_REL_LOC: {
		uint32_t loc, off, n;

		memcpy(&loc, v, 4);
		/* as the kernel counts: a __data_loc from the start of its
		   entry, 8 bytes of common fields before the payload */
		off = f->kind == LIMEN_UEV_REL_LOC ? (loc & 0xffff) + f->off + 4u
						   : (loc & 0xffff) - 8u;
		n = loc >> 16;
		if ((f->kind == LIMEN_UEV_DATA_LOC && (loc & 0xffff) < 8) ||
		    off > len || n > len - off) {
			limen_sb_printf(sb, "<bad %s 0x%x>",
					f->kind == LIMEN_UEV_REL_LOC
						? "__rel_loc" : "__data_loc",
					loc);
			break;
		}
		str(sb, p + off, n);
		break;
	}
	}
}

int limen_uev_render(const struct limen_uev_defs *t, const uint8_t *rec,
		     uint32_t size, struct limen_sb *sb)
{
	const struct limen_rec_uev *r = (const void *)rec;
	const struct limen_uev_def *d;
	const uint8_t *p;

	if (size < sizeof(*r) || LIMEN_UEV_SLOT(r->id) >= LIMEN_UEVENT_MAX ||
	    (int32_t)r->id < 0 || r->len > size - sizeof(*r))
		return -1;
	d = &t->d[LIMEN_UEV_SLOT(r->id)][(r->id >> 16) % GENS];
	if (!d->ok || d->gen != r->id >> 16)
		return -1;
	p = (const uint8_t *)(r + 1);
	limen_sb_printf(sb, "%.*s(", (int)d->fmt.name_len, d->args);
	for (uint32_t i = 0; i < d->fmt.nfields; i++) {
		const struct limen_uev_field *f = &d->fmt.f[i];

		limen_sb_printf(sb, "%s%.*s=", i ? ", " : "", (int)f->name_len,
				d->args + f->name_off);
		if (f->off + f->size > r->len) {
			limen_sb_puts(sb, "<short>");
			continue;
		}
		field(sb, f, p, r->len);
	}
	limen_sb_putc(sb, ')');
	return 0;
}
