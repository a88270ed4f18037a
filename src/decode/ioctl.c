// SPDX-License-Identifier: MIT
/*
 * ioctl: commands, and the argument each command points at (the
 * terminal, window-size and int commands).
 * Each call's decoder is named in tables/syscalls.tbl's DECODER column.
 */
#include <string.h>

#include "decode/dec_int.h"

/* Known only at exit: the commands tables/ioctl.tbl lists as out. */
static int ioctl_is_out(uint64_t cmd)
{
	const struct limen_ioctl *io = limen_ioctl_get((uint32_t)cmd);

	return io && io->dir == LIMEN_DIR_OUT;
}

/* strace names the commands of two families sharing these numbers (the OSS
   timer's, btrfs's clone, which FICLONE took over) by both; every other name
   is xlat.tbl's ioctl_cmd list. */
static const struct dxl aliases[] = {
	{ 0x5402, "SNDCTL_TMR_START or TCSETS" },
	{ 0x5403, "SNDCTL_TMR_STOP or TCSETSW" },
	{ 0x5404, "SNDCTL_TMR_CONTINUE or TCSETSF" },
	{ 0x40049409, "BTRFS_IOC_CLONE or FICLONE" },
};

static int ioctl_noarg(uint64_t cmd)
{
	const struct limen_ioctl *io = limen_ioctl_get((uint32_t)cmd);

	return io && io->arg == LIMEN_IOA_NONE;
}

static void ioctl_cmd(const struct dctx *d)
{
	struct limen_sb *sb = d->sb;
	uint64_t cmd = d->c->args[1] & 0xffffffff;
	const char *n = dl_lookup(aliases, ARRAY_LEN(aliases), cmd);

	if (!n)
		n = dx_lookup(&limen_xlats[LIMEN_XLAT_ioctl_cmd], cmd);
	if (n) {
		limen_sb_puts(sb, n);
		return;
	}
	/* strace: _IOC(dir, type, nr, size) for unknown commands */
	if (cmd >> 16) {
		static const char *const dirs[] = { "_IOC_NONE", "_IOC_WRITE",
			"_IOC_READ", "_IOC_READ|_IOC_WRITE" };

		limen_sb_printf(sb, "_IOC(%s, %#x, %#x, %#x)",
				dirs[(cmd >> 30) & 3], (unsigned)(cmd >> 8) & 0xff,
				(unsigned)cmd & 0xff,
				(unsigned)(cmd >> 16) & 0x3fff);
		return;
	}
	limen_sb_printf(sb, "%#llx", (unsigned long long)cmd);
}

static void ioctl_arg(const struct dctx *d)
{
	struct limen_sb *sb = d->sb;
	uint64_t cmd = d->c->args[1] & 0xffffffff, v = d->c->args[2];
	int out = limen_decode_arg_is_out(d->c, 2);
	const struct limen_ioctl *io;
	const struct limen_blob *b;

	if (!v) {
		limen_sb_puts(sb, "NULL");
		return;
	}
	if (out && d->failed) {
		dx_ptr(sb, v);
		return;
	}
	io = limen_ioctl_get((uint32_t)cmd);
	switch (io ? io->arg : LIMEN_IOA_PTR) {
	case LIMEN_IOA_TERMIOS:
		b = dd_blob_min(d, 2, out, io->size);
		if (!b)
			break;
		ds_termios(sb, b->data, d->verbose);
		return;
	case LIMEN_IOA_WINSIZE: {
		uint16_t w[4];

		b = dd_blob_min(d, 2, out, io->size);
		if (!b)
			break;
		memcpy(w, b->data, 8);
		limen_sb_printf(sb, "{ws_row=%u, ws_col=%u, ws_xpixel=%u, "
				"ws_ypixel=%u}", w[0], w[1], w[2], w[3]);
		return;
	}
	case LIMEN_IOA_INTP: {
		int x;

		b = dd_blob_min(d, 2, out, io->size);
		if (!b)
			break;
		memcpy(&x, b->data, 4);
		limen_sb_printf(sb, "[%d]", x);
		return;
	}
	case LIMEN_IOA_INT:
		limen_sb_printf(sb, "%d", (int)v);
		return;
	}
	dx_ptr(sb, v);
}

static unsigned ioctl_nargs(const struct limen_call *c, unsigned n)
{
	return ioctl_noarg(c->args[1] & 0xffffffff) ? 2 : 3;
}

static int ioctl_dec_arg(const struct dctx *d, unsigned i)
{
	if (i == 1)
		ioctl_cmd(d);
	else if (i == 2)
		ioctl_arg(d);
	else
		return 0;
	return 1;
}

static int ioctl_arg_is_out(const struct limen_call *c, unsigned i)
{
	return i == 2 ? ioctl_is_out(c->args[1]) : -1;
}
const struct dsys dsys_ioctl = { .nargs = ioctl_nargs, .arg = ioctl_dec_arg,
				 .arg_is_out = ioctl_arg_is_out };
