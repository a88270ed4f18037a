// SPDX-License-Identifier: MIT
/*
 * Asynchronous I/O: io_submit's iocb array; pointers written at exit
 * (io_setup's context, get_robust_list's head); io_pgetevents' signal mask.
 * Each call's decoder is named in tables/syscalls.tbl's DECODER column.
 */
#include <string.h>

#include "decode/dec_int.h"

/* io_submit's iocb pointer array (the io_submit encoding) */
static void io_submit_arg(const struct dctx *d)
{
	struct limen_sb *sb = d->sb;
	uint64_t v = d->c->args[2];
	const struct limen_blob *b = dd_blob(d, 2, 0);
	const uint8_t *p, *end;
	uint32_t n, total, k;

	if (!v || !b || b->len < 8) {
		dx_ptr(sb, v);
		return;
	}
	memcpy(&n, b->data, 4);
	memcpy(&total, b->data + 4, 4);
	p = b->data + 8;
	end = b->data + b->len;
	limen_sb_putc(sb, '[');
	for (k = 0; k < n && end - p >= 16; k++) {
		uint64_t ptr;
		uint32_t len, fl;

		memcpy(&ptr, p, 8);
		memcpy(&len, p + 8, 4);
		memcpy(&fl, p + 12, 4);
		if ((size_t)(end - p - 16) < len)
			len = (uint32_t)(end - p - 16);
		if (k)
			limen_sb_puts(sb, ", ");
		if (k >= d->strsize) {
			limen_sb_puts(sb, "...");
			break;
		}
		if ((fl & LIMEN_BLOB_FAULT) ||
		    !ds_iocb_submit(sb, p + 16, len, d))
			dx_ptr(sb, ptr);
		p += 16 + len;
	}
	if (k == n && n < total)
		limen_sb_puts(sb, n ? ", ..." : "...");
	limen_sb_putc(sb, ']');
}

static int io_submit_dec_arg(const struct dctx *d, unsigned i)
{
	if (i != 2)
		return 0;
	io_submit_arg(d);
	return 1;
}
const struct dsys dsys_io_submit = { .arg = io_submit_dec_arg };

/* io_setup's context, get_robust_list's head: a pointer written at exit */
static int ptr_out_arg(const struct dctx *d, unsigned i)
{
	const struct limen_blob *b;
	uint64_t x;

	if (i != 1)
		return 0;
	b = dd_exit_blob(d, i, 8);
	if (!b || d->failed || !d->c->has_ret) {
		dx_ptr(d->sb, d->c->args[i]);
		return 1;
	}
	memcpy(&x, b->data, 8);
	limen_sb_putc(d->sb, '[');
	dx_ptr(d->sb, x);
	limen_sb_putc(d->sb, ']');
	return 1;
}
const struct dsys dsys_ptr_out = { .arg = ptr_out_arg };

static int io_pgetevents_arg(const struct dctx *d, unsigned i)
{
	return i == 5 && dd_sigpack(d, i);
}
const struct dsys dsys_io_pgetevents = { .arg = io_pgetevents_arg };
