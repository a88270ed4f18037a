// SPDX-License-Identifier: MIT
/*
 * ioctl: commands, and the argument each command points at (the
 * terminal, window-size and int commands).
 * Each call's decoder is named in tables/syscalls.tbl's DECODER column.
 */
#include <string.h>

#include "decode/dec_int.h"

static int ioctl_is_out(uint64_t cmd)
{
	switch (cmd & 0xffffffff) {
	case 0x5401: /* TCGETS */
	case 0x5413: /* TIOCGWINSZ */
	case 0x541B: /* FIONREAD */
	case 0x540F: /* TIOCGPGRP */
	case 0x5429: /* TIOCGSID */
	case 0x80045430: /* TIOCGPTN */
		return 1;
	}
	return 0;
}

static const struct dxl ioctl_cmds[] = {
	/* strace names the OSS timer commands sharing these numbers too */
	{ 0x5401, "TCGETS" }, { 0x5402, "SNDCTL_TMR_START or TCSETS" },
	{ 0x5403, "SNDCTL_TMR_STOP or TCSETSW" },
	{ 0x5404, "SNDCTL_TMR_CONTINUE or TCSETSF" }, { 0x5409, "TCSBRK" }, { 0x540A, "TCXONC" },
	{ 0x540B, "TCFLSH" }, { 0x540C, "TIOCEXCL" }, { 0x540D, "TIOCNXCL" },
	{ 0x540E, "TIOCSCTTY" }, { 0x540F, "TIOCGPGRP" },
	{ 0x5410, "TIOCSPGRP" }, { 0x5411, "TIOCOUTQ" }, { 0x5412, "TIOCSTI" },
	{ 0x5413, "TIOCGWINSZ" }, { 0x5414, "TIOCSWINSZ" },
	{ 0x541B, "FIONREAD" }, { 0x5421, "FIONBIO" }, { 0x5422, "TIOCNOTTY" },
	{ 0x5429, "TIOCGSID" }, { 0x5450, "FIONCLEX" }, { 0x5451, "FIOCLEX" },
	{ 0x5452, "FIOASYNC" }, { 0x80045430, "TIOCGPTN" },
	{ 0x40045431, "TIOCSPTLCK" },
};

static int ioctl_noarg(uint64_t cmd)
{
	switch (cmd) {
	case 0x540C: case 0x540D: case 0x5422: case 0x5450: case 0x5451:
		return 1;
	}
	return 0;
}

static void ioctl_cmd(const struct dctx *d)
{
	struct limen_sb *sb = d->sb;
	uint64_t cmd = d->c->args[1] & 0xffffffff;
	const char *n = dl_lookup(ioctl_cmds, ARRAY_LEN(ioctl_cmds), cmd);

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
	const struct limen_blob *b;

	if (!v) {
		limen_sb_puts(sb, "NULL");
		return;
	}
	if (out && d->failed) {
		dx_ptr(sb, v);
		return;
	}
	switch (cmd) {
	case 0x5401: case 0x5402: case 0x5403: case 0x5404:
		b = dd_blob_min(d, 2, out, 36);
		if (!b)
			break;
		ds_termios(sb, b->data);
		return;
	case 0x5413: case 0x5414: {
		uint16_t w[4];

		b = dd_blob_min(d, 2, out, 8);
		if (!b)
			break;
		memcpy(w, b->data, 8);
		limen_sb_printf(sb, "{ws_row=%u, ws_col=%u, ws_xpixel=%u, "
				"ws_ypixel=%u}", w[0], w[1], w[2], w[3]);
		return;
	}
	case 0x540F: case 0x5410: case 0x541B: case 0x5421: case 0x5429:
	case 0x5452: case 0x80045430: case 0x40045431: {
		int x;

		b = dd_blob_min(d, 2, out, 4);
		if (!b)
			break;
		memcpy(&x, b->data, 4);
		limen_sb_printf(sb, "[%d]", x);
		return;
	}
	case 0x540B: case 0x540A: case 0x5409: case 0x540E:
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
