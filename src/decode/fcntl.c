// SPDX-License-Identifier: MIT
/*
 * fcntl: the third argument and the return value by command.
 * Each call's decoder is named in tables/syscalls.tbl's DECODER column.
 */
#include <string.h>

#include "decode/dec_int.h"

enum { F_DUPFD_ = 0, F_GETFD_ = 1, F_SETFD_ = 2, F_GETFL_ = 3, F_SETFL_ = 4,
	F_GETLK_ = 5, F_SETLK_ = 6, F_SETLKW_ = 7, F_SETOWN_ = 8,
	F_GETOWN_ = 9, F_SETSIG_ = 10, F_GETSIG_ = 11, F_OFD_GETLK_ = 36,
	F_OFD_SETLK_ = 37, F_OFD_SETLKW_ = 38, F_SETLEASE_ = 1024,
	F_GETLEASE_ = 1025, F_NOTIFY_ = 1026, F_DUPFD_CLOEXEC_ = 1030,
	F_SETPIPE_SZ_ = 1031, F_GETPIPE_SZ_ = 1032, F_ADD_SEALS_ = 1033,
	F_GET_SEALS_ = 1034 };

static int fcntl_noarg(uint64_t cmd)
{
	switch (cmd) {
	case F_GETFD_: case F_GETFL_: case F_GETOWN_: case F_GETSIG_:
	case F_GETLEASE_: case F_GETPIPE_SZ_: case F_GET_SEALS_:
		return 1;
	}
	return 0;
}

static void fcntl_arg(const struct dctx *d)
{
	struct limen_sb *sb = d->sb;
	uint64_t cmd = d->c->args[1] & 0xffffffff, v = d->c->args[2];
	const struct limen_blob *b;

	switch (cmd) {
	case F_DUPFD_: case F_DUPFD_CLOEXEC_: case F_SETOWN_:
	case F_SETPIPE_SZ_:
		limen_sb_printf(sb, "%d", (int)v);
		return;
	case F_SETFD_:
		dx_flags(sb, &limen_xlats[LIMEN_XLAT_fd_flags], v, "0");
		return;
	case F_SETFL_:
		dd_open_flags(sb, v);
		return;
	case F_SETSIG_:
		dn_sig(sb, (int)v);
		return;
	case F_SETLEASE_:
		dx_enum(sb, &limen_xlats[LIMEN_XLAT_lease_type], v, NULL);
		return;
	case F_NOTIFY_:
		dx_flags(sb, &limen_xlats[LIMEN_XLAT_dnotify_flags], v, "0");
		return;
	case F_ADD_SEALS_:
		dx_flags(sb, &limen_xlats[LIMEN_XLAT_seal_flags], v, "0");
		return;
	case F_GETLK_: case F_OFD_GETLK_:
		b = d->failed ? NULL : dd_blob_min(d, 2, 1, 32);
		if (b && d->c->has_ret) {
			ds_flock(sb, b->data, 1);
			return;
		}
		b = dd_blob_min(d, 2, 0, 32);
		if (b && !d->failed) {
			ds_flock(sb, b->data, 0);
			return;
		}
		dx_ptr(sb, v);
		return;
	case F_SETLK_: case F_SETLKW_: case F_OFD_SETLK_: case F_OFD_SETLKW_:
		b = dd_blob_min(d, 2, 0, 32);
		if (b)
			ds_flock(sb, b->data, 0);
		else
			dx_ptr(sb, v);
		return;
	}
	limen_sb_printf(sb, "%#llx", (unsigned long long)v);
}

static unsigned fcntl_nargs(const struct limen_call *c, unsigned n)
{
	return fcntl_noarg(c->args[1] & 0xffffffff) ? 2 : 3;
}

static int fcntl_dec_arg(const struct dctx *d, unsigned i)
{
	if (i == 1)
		dx_enum(d->sb, &limen_xlats[LIMEN_XLAT_fcntl_cmd],
			d->c->args[1] & 0xffffffff, NULL);
	else if (i == 2)
		fcntl_arg(d);
	else
		return 0;
	return 1;
}

static int fcntl_ret_style(const struct dctx *d)
{
	uint64_t cmd = d->c->args[1] & 0xffffffff;

	if (d->c->ret && (cmd == F_GETFD_ || cmd == F_GETFL_ ||
			  cmd == F_GETLEASE_ || cmd == F_GET_SEALS_))
		return 'x';
	return 0;
}

static void fcntl_ret_aux(const struct dctx *d)
{
	struct limen_sb *sb = d->sb;
	uint64_t r = (uint64_t)d->c->ret, cmd = d->c->args[1] & 0xffffffff;

	if (!r) {
		if (cmd == F_GETLEASE_)
			limen_sb_puts(sb, " (F_RDLCK)");
		return;
	}
	if (cmd == F_GETFL_) {
		limen_sb_puts(sb, " (flags ");
		dd_open_flags(sb, r);
		limen_sb_putc(sb, ')');
	} else if (cmd == F_GETFD_) {
		limen_sb_puts(sb, " (flags ");
		dx_flags(sb, &limen_xlats[LIMEN_XLAT_fd_flags], r, "0");
		limen_sb_putc(sb, ')');
	} else if (cmd == F_GETLEASE_) {
		limen_sb_puts(sb, " (");
		dx_enum(sb, &limen_xlats[LIMEN_XLAT_lease_type], r, "%#llx");
		limen_sb_putc(sb, ')');
	} else if (cmd == F_GET_SEALS_) {
		limen_sb_puts(sb, " (seals ");
		dx_flags(sb, &limen_xlats[LIMEN_XLAT_seal_flags], r, "0");
		limen_sb_putc(sb, ')');
	}
}
const struct dsys dsys_fcntl = { .nargs = fcntl_nargs, .arg = fcntl_dec_arg,
				 .ret_style = fcntl_ret_style,
				 .ret_aux = fcntl_ret_aux };
