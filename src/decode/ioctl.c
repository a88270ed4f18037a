// SPDX-License-Identifier: MIT
/*
 * ioctl: commands by strace 6.1's names, and the argument each command
 * points at (the terminal, window-size and integer commands, a block
 * device's sizes and ranges; a pointer strace
 * decodes, NULL when 0; the rest as a number, as strace shows a command it
 * does not decode).
 * Each call's decoder is named in tables/syscalls.tbl's DECODER column.
 */
#include <stdio.h>
#include <string.h>

#include "decode/dec_int.h"

/* Known only at exit: the commands tables/ioctl.tbl lists as out, and an
   ifreq a get fills in (printed whole after "resumed>") */
static int ioctl_is_out(uint64_t cmd)
{
	const struct limen_ioctl *io = limen_ioctl_get((uint32_t)cmd);

	return io && (io->dir == LIMEN_DIR_OUT ||
		      (io->arg == LIMEN_IOA_IFREQ &&
		       io->dir == LIMEN_DIR_INOUT));
}

/* A network interface's struct ifreq (SIOCGIFINDEX, SIOCGIFFLAGS ...):
   the name at entry, then what the command reads or writes in the union
   (16 bytes on): at exit for a get (its row is inout), at entry for a
   set. SIOCGIFNAME goes the other way: the index in, the name out. */
#define IFR_NAME 16
#define IFR_U IFR_NAME

static void ifr_name(struct limen_sb *sb, const uint8_t *p, const char *field)
{
	limen_sb_printf(sb, "%s=", field);
	dq_bytes(sb, p, strnlen((const char *)p, IFR_NAME), 0, 0);
}

static void ifr_field(struct limen_sb *sb, uint32_t cmd, const uint8_t *p)
{
	int32_t v;

	memcpy(&v, p + IFR_U, 4);
	switch (cmd & 0xff) {
	case 0x13: case 0x14:
		limen_sb_puts(sb, "ifr_flags=");
		dx_flags(sb, &limen_xlats[LIMEN_XLAT_iff_flags],
			 (uint16_t)v, "0");
		return;
	case 0x15: case 0x16:
		limen_sb_puts(sb, "ifr_addr=");
		ds_sockaddr(sb, p + IFR_U, 16);
		return;
	case 0x17: case 0x18:
		limen_sb_puts(sb, "ifr_dstaddr=");
		ds_sockaddr(sb, p + IFR_U, 16);
		return;
	case 0x19: case 0x1a:
		limen_sb_puts(sb, "ifr_broadaddr=");
		ds_sockaddr(sb, p + IFR_U, 16);
		return;
	case 0x1b: case 0x1c:
		limen_sb_puts(sb, "ifr_netmask=");
		ds_sockaddr(sb, p + IFR_U, 16);
		return;
	case 0x1d: case 0x1e:
		limen_sb_printf(sb, "ifr_metric=%d", v);
		return;
	case 0x21: case 0x22:
		limen_sb_printf(sb, "ifr_mtu=%d", v);
		return;
	case 0x23:
		ifr_name(sb, p + IFR_U, "ifr_newname");
		return;
	case 0x24: case 0x27: {
		uint16_t fam;

		memcpy(&fam, p + IFR_U, 2);
		limen_sb_puts(sb, "ifr_hwaddr={sa_family=");
		dx_enum(sb, &limen_xlats[LIMEN_XLAT_arphrd], fam, NULL);
		char mac[18];

		for (int k = 0; k < 6; k++)
			snprintf(mac + 3 * k, sizeof(mac) - 3 * (size_t)k,
				 "%02x%s", p[IFR_U + 2 + k], k < 5 ? ":" : "");
		limen_sb_puts(sb, ", ");
		ds_sa_field(sb, "sa_data", p + IFR_U + 2, 14, mac, NULL);
		limen_sb_putc(sb, '}');
		return;
	}
	case 0x33:
		limen_sb_printf(sb, "ifr_ifindex=%d", v);
		return;
	case 0x42: case 0x43:
		limen_sb_printf(sb, "ifr_qlen=%d", v);
		return;
	}
}

static void ifreq(const struct dctx *d, const struct limen_ioctl *io)
{
	struct limen_sb *sb = d->sb;
	uint32_t cmd = (uint32_t)d->c->args[1];
	const struct limen_blob *in = dd_blob(d, 2, 0), *out = NULL;
	int32_t index;

	if (!in || in->len < io->size || (in->flags & LIMEN_BLOB_TRUNC)) {
		dx_ptr(sb, d->c->args[2]);
		return;
	}
	if (io->dir == LIMEN_DIR_INOUT && d->c->has_ret && !d->failed) {
		out = dd_exit_blob(d, 2, io->size);
		if (out && (out->flags & LIMEN_BLOB_TRUNC))
			out = NULL;
	}
	limen_sb_putc(sb, '{');
	if ((cmd & 0xff) == 0x10) {
		memcpy(&index, in->data + IFR_U, 4);
		limen_sb_printf(sb, "ifr_ifindex=%d", index);
		if (out) {
			limen_sb_puts(sb, ", ");
			ifr_name(sb, out->data, "ifr_name");
		}
	} else {
		ifr_name(sb, in->data, "ifr_name");
		if (io->dir == LIMEN_DIR_IN || out) {
			limen_sb_puts(sb, ", ");
			ifr_field(sb, cmd, out ? out->data : in->data);
		}
	}
	limen_sb_putc(sb, '}');
}

static int ioctl_noarg(uint64_t cmd)
{
	const struct limen_ioctl *io = limen_ioctl_get((uint32_t)cmd);

	return io && io->arg == LIMEN_IOA_NONE;
}

/*
 * The command's names, strace 6.1's: every name xlat.tbl's ioctl_cmd list
 * gives its number, in the list's order, " or " between them (numbers two
 * families share: "SNDCTL_TMR_START or TCSETS"); a number with none as its
 * _IOC encoding, _IOC(_IOC_READ, 0x12, 0x72, 0x8). -X raw: the number;
 * verbose: the number, the names in a comment.
 */
static void ioctl_cmd_names(struct limen_sb *sb, uint32_t cmd)
{
	static const char *const dirs[] = { "_IOC_NONE", "_IOC_WRITE",
		"_IOC_READ", "_IOC_READ|_IOC_WRITE" };
	const struct limen_xlat *x = &limen_xlats[LIMEN_XLAT_ioctl_cmd];
	const struct limen_xlat_item *it = limen_xlat_items_of(x);
	size_t lo = 0, hi = x->n;
	int named = 0;

	/* the list is in ascending order of value (gen.awk checks it): the
	   first item of cmd's, then the ones after it with the same */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (it[mid].val < cmd)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t k = lo; k < x->n && it[k].val == cmd; k++) {
		if (named++)
			limen_sb_puts(sb, " or ");
		limen_sb_puts(sb, limen_str(it[k].name));
	}
	if (!named)
		limen_sb_printf(sb, "_IOC(%s, %#x, %#x, %#x)",
				dirs[(cmd >> 30) & 3], (cmd >> 8) & 0xff,
				cmd & 0xff, (cmd >> 16) & 0x3fff);
}

static void ioctl_cmd(const struct dctx *d)
{
	struct limen_sb *sb = d->sb;
	uint32_t cmd = (uint32_t)d->c->args[1];
	size_t at;

	if (dx_style_pre(sb, cmd, &at))
		return;
	ioctl_cmd_names(sb, cmd);
	dx_style_post(sb, cmd, at);
}

static void ioctl_arg(const struct dctx *d)
{
	struct limen_sb *sb = d->sb;
	uint64_t cmd = d->c->args[1] & 0xffffffff, v = d->c->args[2];
	int out = limen_decode_arg_is_out(d->c, 2);
	const struct limen_ioctl *io;
	const struct limen_blob *b;

	io = limen_ioctl_get((uint32_t)cmd);
	/* a command strace does not decode: its argument as a number */
	if (!io) {
		limen_sb_printf(sb, "%#llx", (unsigned long long)v);
		return;
	}
	if (!v && io->arg != LIMEN_IOA_INT) {
		limen_sb_puts(sb, "NULL");
		return;
	}
	if (io->arg == LIMEN_IOA_IFREQ) {
		ifreq(d, io);
		return;
	}
	if (out && d->failed) {
		dx_ptr(sb, v);
		return;
	}
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
	case LIMEN_IOA_FSFLAGS: {
		uint32_t x;

		b = dd_blob_min(d, 2, out, io->size);
		if (!b)
			break;
		memcpy(&x, b->data, 4);
		limen_sb_putc(sb, '[');
		dx_flags(sb, &limen_xlats[LIMEN_XLAT_fs_flags], x, "0");
		limen_sb_putc(sb, ']');
		return;
	}
	case LIMEN_IOA_INTP:
	case LIMEN_IOA_UINTP: {
		/* 2, 4 or 8 bytes (gen.awk checks), little-endian */
		uint64_t x = 0;
		unsigned sh = 64 - 8 * io->size;

		b = dd_blob_min(d, 2, out, io->size);
		if (!b)
			break;
		memcpy(&x, b->data, io->size);
		if (io->arg == LIMEN_IOA_INTP)
			limen_sb_printf(sb, "[%lld]",
					(long long)((int64_t)(x << sh) >> sh));
		else
			limen_sb_printf(sb, "[%llu]", (unsigned long long)x);
		return;
	}
	case LIMEN_IOA_RANGE: {
		uint64_t r[2];

		b = dd_blob_min(d, 2, out, sizeof(r));
		if (!b)
			break;
		memcpy(r, b->data, sizeof(r));
		limen_sb_printf(sb, "[%llu, %llu]", (unsigned long long)r[0],
				(unsigned long long)r[1]);
		return;
	}
	case LIMEN_IOA_INT:
		if (cmd == LIMEN_XV_ioctl_cmd_TCFLSH)
			dx_enum(sb, &limen_xlats[LIMEN_XLAT_tcflsh_arg], v, NULL);
		else if (cmd == LIMEN_XV_ioctl_cmd_TCXONC)
			dx_enum(sb, &limen_xlats[LIMEN_XLAT_tcxonc_arg], v, NULL);
		else
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
