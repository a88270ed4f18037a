// SPDX-License-Identifier: MIT
/*
 * Memory calls with irregular parts: NUMA policies and node masks,
 * mincore's vector, mremap's optional new address.
 * Each call's decoder is named in tables/syscalls.tbl's DECODER column.
 */
#include <string.h>

#include "decode/dec_int.h"

/* NUMA policy mode: MPOL_BIND|MPOL_F_STATIC_NODES; a mode with no name
   after the flags, in hex, as strace: MPOL_F_STATIC_NODES|0x1777 */
static void mpol_mode(struct limen_sb *sb, uint64_t v)
{
	const struct limen_xlat *modes = &limen_xlats[LIMEN_XLAT_mpol_mode];
	const struct limen_xlat *fl = &limen_xlats[LIMEN_XLAT_mpol_mode_flags];
	uint64_t f = v & 0xe000, m = v & ~0xe000ull;
	size_t at;

	if (f && !dx_lookup(modes, m)) {
		if (dx_style_pre(sb, v, &at))
			return;
		dx_flags(sb, fl, f, NULL);
		limen_sb_printf(sb, "|%#llx", (unsigned long long)m);
		dx_style_post(sb, v, at);
		return;
	}
	dx_enum(sb, modes, m, NULL);
	if (f) {
		limen_sb_putc(sb, '|');
		dx_flags(sb, fl, f, NULL);
	}
}

/* a node mask: unsigned longs as strace's "%#016lx" prints them, 16
   characters with the 0x of a word not 0: "[0x00000000000001,
   0000000000000000]" */
static void node_mask(const struct dctx *d, unsigned i, int out)
{
	const struct limen_blob *b = dd_blob(d, i, out);

	if (!d->c->args[i]) {
		limen_sb_puts(d->sb, "NULL");
		return;
	}
	if (!b || b->len < 8 || (out && d->failed)) {
		dx_ptr(d->sb, d->c->args[i]);
		return;
	}
	limen_sb_putc(d->sb, '[');
	for (size_t k = 0; k + 8 <= b->len; k += 8) {
		uint64_t w;

		memcpy(&w, b->data + k, 8);
		limen_sb_printf(d->sb, "%s%#016llx", k ? ", " : "",
				(unsigned long long)w);
	}
	limen_sb_putc(d->sb, ']');
}

/* get_mempolicy's mode: [MPOL_...] or, with MPOL_F_NODE, a node number */
static void get_mempolicy_mode(const struct dctx *d)
{
	const struct limen_blob *b = dd_blob(d, 0, 1);
	int32_t mode;

	if (!d->c->args[0]) {
		limen_sb_puts(d->sb, "NULL");
	} else if (!b || b->len < 4 || d->failed) {
		dx_ptr(d->sb, d->c->args[0]);
	} else {
		memcpy(&mode, b->data, 4);
		limen_sb_putc(d->sb, '[');
		if (d->c->args[4] & 1) /* MPOL_F_NODE: a node number */
			limen_sb_printf(d->sb, "%d", mode);
		else
			mpol_mode(d->sb, (uint32_t)mode);
		limen_sb_putc(d->sb, ']');
	}
}

/* mincore's vector: one byte per page, shown as the low bit */
static void mincore_arg(const struct dctx *d)
{
	struct limen_sb *sb = d->sb;
	uint64_t v = d->c->args[2];
	uint64_t pages = (d->c->args[1] + 4095) / 4096, k;
	const struct limen_blob *b;

	if (!v || d->failed || !d->c->has_ret || !(b = dd_blob(d, 2, 1))) {
		dx_ptr(sb, v);
		return;
	}
	limen_sb_putc(sb, '[');
	for (k = 0; k < pages && k < b->len && k < d->strsize; k++)
		limen_sb_printf(sb, "%s%u", k ? ", " : "", b->data[k] & 1);
	if (k < pages || (b->flags & LIMEN_BLOB_TRUNC))
		limen_sb_puts(sb, k ? ", ..." : "...");
	limen_sb_putc(sb, ']');
}

static unsigned mremap_nargs(const struct limen_call *c, unsigned n)
{
	/* new_address only with MREMAP_MAYMOVE|MREMAP_FIXED */
	return (c->args[3] & 3) == 3 ? 5 : 4;
}
const struct dsys dsys_mremap = { .nargs = mremap_nargs };

static int mempolicy_arg(const struct dctx *d, unsigned i)
{
	unsigned mode = d->c->nr == LIMEN_NR_mbind ? 2 : 0;

	if (d->c->nr == LIMEN_NR_get_mempolicy) {
		if (i == 1) {
			node_mask(d, 1, 1);
			return 1;
		}
		if (i == 0) {
			get_mempolicy_mode(d);
			return 1;
		}
		return 0;
	}
	if (i == mode) {
		/* mbind's mode is a long, set_mempolicy's an int */
		mpol_mode(d->sb, mode ? d->c->args[i] :
				  (uint32_t)d->c->args[i]);
		return 1;
	}
	if (i == mode + 1) {
		node_mask(d, i, 0);
		return 1;
	}
	return 0;
}
const struct dsys dsys_mempolicy = { .arg = mempolicy_arg };

static int mincore_dec_arg(const struct dctx *d, unsigned i)
{
	if (i != 2)
		return 0;
	mincore_arg(d);
	return 1;
}
const struct dsys dsys_mincore = { .arg = mincore_dec_arg };
