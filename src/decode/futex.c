// SPDX-License-Identifier: MIT
/*
 * futex: the operation decides which arguments are shown and how.
 * Each call's decoder is named in tables/syscalls.tbl's DECODER column.
 */
#include <string.h>

#include "decode/dec_int.h"

/* The commands by name: tables/xlat.tbl's futex_op list. */
#define FO(name) LIMEN_XV_futex_op_FUTEX_##name

/* The command's name (xlat.tbl's futex_op), NULL for an unknown one. */
static const char *futex_cmd(uint64_t op)
{
	if (op & ~0x1ffULL)
		return NULL;
	return dx_lookup(&limen_xlats[LIMEN_XLAT_futex_op], op & 0x7f);
}

/* Shown argument slots: indexes into args[], -1 ends. */
static const signed char *futex_slots(uint64_t op)
{
	static const signed char wait[] = { 0, 1, 2, 3, -1 };
	static const signed char wake[] = { 0, 1, 2, -1 };
	static const signed char wait_bs[] = { 0, 1, 2, 3, 5, -1 };
	static const signed char wake_bs[] = { 0, 1, 2, 5, -1 };
	static const signed char requeue[] = { 0, 1, 2, 3, 4, -1 };
	static const signed char all[] = { 0, 1, 2, 3, 4, 5, -1 };
	static const signed char lock[] = { 0, 1, 3, -1 };
	static const signed char unlock[] = { 0, 1, -1 };

	switch (op & 0x7f) {
	case 0: return (op & ~0x1ffULL) ? all : wait;
	case 1: case 2: return wake;
	case 9: return wait_bs;
	case 10: return wake_bs;
	case 3: return requeue;
	case 4: case 5: case 11: case 12: return all;
	case 6: case 13: return lock;
	case 7: case 8: return unlock;
	}
	return all;
}

static unsigned futex_nargs(uint64_t op)
{
	const signed char *s = futex_slots(op);
	unsigned n = 0;

	while (s[n] >= 0)
		n++;
	return n;
}

static void futex_op(struct limen_sb *sb, uint64_t op)
{
	const char *name = futex_cmd(op);

	if (!name) {
		limen_sb_printf(sb, "%#llx /* FUTEX_??? */",
				(unsigned long long)op);
		return;
	}
	limen_sb_puts(sb, name);
	if (op & 128)
		limen_sb_puts(sb, "_PRIVATE");
	if (op & 256)
		limen_sb_puts(sb, "|FUTEX_CLOCK_REALTIME");
}

static void futex_arg(const struct dctx *d, unsigned i)
{
	struct limen_sb *sb = d->sb;
	uint64_t op = d->c->args[1] & 0xffffffff;
	unsigned cmd = op & 0x7f;
	int slot = futex_slots(op)[i];
	uint64_t v = d->c->args[slot];
	int known = futex_cmd(op) != NULL;
	const struct limen_blob *b;

	switch (slot) {
	case 0: case 4:
		dx_ptr(sb, v);
		return;
	case 1: {
		size_t at;

		/* -X: 0x81, or 0x81 and the name in a comment */
		if (!dx_style_pre(sb, op, &at)) {
			futex_op(sb, op);
			dx_style_post(sb, op, at);
		}
		return;
	}
	case 2:
		limen_sb_printf(sb, "%d", (int)v);
		return;
	case 3:
		if (known && (cmd == FO(REQUEUE) || cmd == FO(CMP_REQUEUE) ||
			      cmd == FO(WAKE_OP) || cmd == FO(CMP_REQUEUE_PI))) {
			limen_sb_printf(sb, "%u", (unsigned)v);
			return;
		}
		if (!v) {
			limen_sb_puts(sb, "NULL");
			return;
		}
		b = dd_blob_min(d, 3, 0, 16);
		if (b)
			ds_timespec(sb, b->data);
		else
			dx_ptr(sb, v);
		return;
	case 5:
		if (known && (cmd == FO(WAIT_BITSET) || cmd == FO(WAKE_BITSET)) &&
		    (uint32_t)v == 0xffffffff) {
			limen_sb_puts(sb, "FUTEX_BITSET_MATCH_ANY");
			return;
		}
		if (known && (cmd == FO(WAIT_BITSET) || cmd == FO(WAKE_BITSET)))
			limen_sb_printf(sb, "%#llx", (unsigned long long)(uint32_t)v);
		else
			limen_sb_printf(sb, "%d", (int)v);
		return;
	}
}

static unsigned futex_dec_nargs(const struct limen_call *c, unsigned n)
{
	return futex_nargs(c->args[1] & 0xffffffff);
}

static int futex_dec_arg(const struct dctx *d, unsigned i)
{
	futex_arg(d, i);
	return 1;
}
const struct dsys dsys_futex = { .nargs = futex_dec_nargs,
				 .arg = futex_dec_arg };
