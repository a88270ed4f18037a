// SPDX-License-Identifier: MIT
/*
 * File calls with irregular parts: open's optional mode, directory
 * entries, statx, file handles, mount attributes, listmount, umask,
 * preadv's offset.
 * Each call's decoder is named in tables/syscalls.tbl's DECODER column.
 */
#include <string.h>

#include "decode/dec_int.h"

/* -v: struct linux_dirent64 entries, as strace -v lists them */
static void dirents64(struct limen_sb *sb, const uint8_t *p, size_t len)
{
	static const char *const types[] = {
		"DT_UNKNOWN", "DT_FIFO", "DT_CHR", NULL, "DT_DIR", NULL,
		"DT_BLK", NULL, "DT_REG", NULL, "DT_LNK", NULL, "DT_SOCK",
		NULL, "DT_WHT"
	};
	size_t off = 0;

	limen_sb_putc(sb, '[');
	while (off + 19 <= len) {
		uint64_t ino;
		int64_t doff;
		uint16_t rl;
		uint8_t type;
		size_t nl = 0, max;

		memcpy(&ino, p + off, 8);
		memcpy(&doff, p + off + 8, 8);
		memcpy(&rl, p + off + 16, 2);
		type = p[off + 18];
		if (rl < 19 || off + rl > len)
			break;
		max = rl - 19;
		while (nl < max && p[off + 19 + nl])
			nl++;
		if (off)
			limen_sb_puts(sb, ", ");
		limen_sb_printf(sb, "{d_ino=%llu, d_off=%lld, d_reclen=%u, d_type=",
				(unsigned long long)ino, (long long)doff, rl);
		if (type < sizeof(types) / sizeof(types[0]) && types[type])
			limen_sb_puts(sb, types[type]);
		else
			limen_sb_printf(sb, "%u", type);
		limen_sb_puts(sb, ", d_name=");
		dq_bytes(sb, p + off + 19, nl, 0, 0);
		limen_sb_putc(sb, '}');
		off += rl;
	}
	limen_sb_putc(sb, ']');
}

static void getdents_arg(const struct dctx *d)
{
	struct limen_sb *sb = d->sb;
	uint64_t v = d->c->args[1];
	const struct limen_blob *b;
	size_t off = 0, n = 0, len;

	if (!d->c->has_ret || d->failed || !v) {
		dx_ptr(sb, v);
		return;
	}
	b = dd_blob(d, 1, 1);
	len = (size_t)d->c->ret;
	/* a negative return that is not an errno (a forged or corrupted
	   record) covers no bytes: never a length past the capture */
	if (!b || d->c->ret < 0 || b->len < len) {
		dx_ptr(sb, v);
		return;
	}
	if (d->verbose && d->c->nr == LIMEN_NR_getdents64) {
		dirents64(sb, b->data, len);
		return;
	}
	while (off + 18 <= len) {
		uint16_t rl;

		memcpy(&rl, b->data + off + 16, 2);
		if (!rl)
			break;
		n++;
		off += rl;
	}
	limen_sb_printf(sb, "%#llx /* %zu entries */", (unsigned long long)v, n);
}

/* statx's flags: the sync type, then the *at flags (strace 6.1; -X: each
   part a number, with its names under verbose; raw's sync type 0 as 0,
   where strace prints nothing) */
static void statx_flags(struct limen_sb *sb, uint64_t v)
{
	static const char *const sync[] = { "AT_STATX_SYNC_AS_STAT",
		"AT_STATX_FORCE_SYNC", "AT_STATX_DONT_SYNC",
		"AT_STATX_FORCE_SYNC|AT_STATX_DONT_SYNC" };
	int first = 1;
	uint64_t left = v & ~0x6000ULL, named;
	size_t at;

	dx_named(sb, v & 0x6000, sync[(v >> 13) & 3]);
	if (!left)
		return;
	limen_sb_putc(sb, '|');
	if (dx_style_pre(sb, left, &at))
		return;
	named = dx_bits(sb, &limen_xlats[LIMEN_XLAT_statx_at_flags], left,
			&first);
	if (left & ~named)
		limen_sb_printf(sb, "%s%#llx", named ? "|" : "",
				(unsigned long long)(left & ~named));
	dx_style_post(sb, left, at);
}

/* name_to_handle_at: "{handle_bytes=128 => 8, handle_type=1, f_handle=...}";
   on EOVERFLOW only the size the kernel asks for */
static void name_to_handle_arg(const struct dctx *d)
{
	struct limen_sb *sb = d->sb;
	const struct limen_blob *in = dd_in_or_ptr(d, 2, 8), *out = NULL;
	uint32_t hin, hout;

	if (!in)
		return;
	memcpy(&hin, in->data, 4);
	limen_sb_printf(sb, "{handle_bytes=%u", hin);
	if (d->c->has_ret && (!d->failed || d->c->ret == -75) &&
	    (d->c->cap_out[2].flags & LIMEN_BLOB_PRESENT))
		out = dd_blob_min(d, 2, 1, 8);
	if (out) {
		memcpy(&hout, out->data, 4);
		if (hout != hin)
			limen_sb_printf(sb, " => %u", hout);
		if (!d->failed) {
			size_t n = out->len - 8 < hout ? out->len - 8 : hout;
			int32_t type;

			memcpy(&type, out->data + 4, 4);
			limen_sb_printf(sb, ", handle_type=%d, f_handle=", type);
			dq_bytes(sb, out->data + 8, n, n < hout, 1);
		}
	}
	limen_sb_putc(sb, '}');
}

/*
 * sendfile(out_fd, in_fd, offset, count): the offset as it was, then, once
 * the call moved it (no error, a result other than 0), " => [new]", as
 * strace 6.1 prints it; the count after that. A call split in two shows
 * the offset at entry and the rest when it resumes; with no offset, the
 * whole call at entry.
 */
static void sendfile_moved(const struct dctx *d)
{
	const struct limen_blob *b;
	uint64_t v;

	if (!d->c->args[2] || !d->c->has_ret || d->failed || d->c->ret == 0 ||
	    !(b = dd_exit_blob(d, 2, 8)))
		return;
	memcpy(&v, b->data, 8);
	limen_sb_printf(d->sb, " => [%llu]", (unsigned long long)v);
}

static int sendfile_arg(const struct dctx *d, unsigned i)
{
	if (i != 2)
		return 0;
	dd_default_arg(d, i);
	sendfile_moved(d);	/* a whole line: the call has returned */
	return 1;
}

static unsigned sendfile_entry_args(const struct limen_call *c)
{
	return c->args[2] ? 3 : 4;
}

static void sendfile_exit_part(const struct dctx *d)
{
	if (!d->c->args[2])
		return;
	sendfile_moved(d);
	limen_sb_printf(d->sb, ", %llu", (unsigned long long)d->c->args[3]);
}
const struct dsys dsys_sendfile = { .arg = sendfile_arg,
				    .entry_args = sendfile_entry_args,
				    .exit_part = sendfile_exit_part };

static unsigned open_nargs(const struct limen_call *c, unsigned n)
{
	/* the mode is shown only with O_CREAT or O_TMPFILE */
	return (c->args[n - 2] & 020000100) ? n : n - 1;
}
const struct dsys dsys_open = { .nargs = open_nargs };

/* mq_open: the mode and the attributes only with O_CREAT (strace) */
static unsigned mq_open_nargs(const struct limen_call *c, unsigned n)
{
	return (c->args[1] & 0100) ? n : 2;
}
const struct dsys dsys_mq_open = { .nargs = mq_open_nargs };

static int getdents_dec_arg(const struct dctx *d, unsigned i)
{
	if (i != 1)
		return 0;
	getdents_arg(d);
	return 1;
}
const struct dsys dsys_getdents = { .arg = getdents_dec_arg };

static int listmount_arg(const struct dctx *d, unsigned i)
{
	const struct limen_blob *b;
	uint64_t k, n, x;

	if (i != 1)
		return 0;
	b = dd_exit_blob(d, 1, 0);
	if (!b || d->failed || !d->c->has_ret) {
		dx_ptr(d->sb, d->c->args[1]);
		return 1;
	}
	n = (uint64_t)d->c->ret;
	limen_sb_putc(d->sb, '[');
	for (k = 0; k < n && (k + 1) * 8 <= b->len; k++) {
		if (k)
			limen_sb_puts(d->sb, ", ");
		if (k >= d->strsize) {
			limen_sb_puts(d->sb, "...");
			break;
		}
		memcpy(&x, b->data + 8 * k, 8);
		limen_sb_printf(d->sb, "%llu", (unsigned long long)x);
	}
	limen_sb_putc(d->sb, ']');
	return 1;
}
const struct dsys dsys_listmount = { .arg = listmount_arg };

static int name_to_handle_at_arg(const struct dctx *d, unsigned i)
{
	if (i != 2)
		return 0;
	name_to_handle_arg(d);
	return 1;
}
const struct dsys dsys_name_to_handle_at = { .arg = name_to_handle_at_arg };

static int mount_setattr_arg(const struct dctx *d, unsigned i)
{
	if (i != 3 || !d->c->args[3] || d->c->args[4] >= 32)
		return 0;
	dx_ptr(d->sb, d->c->args[3]);
	return 1;
}
const struct dsys dsys_mount_setattr = { .arg = mount_setattr_arg };

static int statx_arg(const struct dctx *d, unsigned i)
{
	if (i == 2)
		statx_flags(d->sb, d->c->args[2] & 0xffffffff);
	else if (i == 3)
		ds_statx_mask(d->sb, d->c->args[3] & 0xffffffff);
	else
		return 0;
	return 1;
}
const struct dsys dsys_statx = { .arg = statx_arg };

static int umask_ret_style(const struct dctx *d)
{
	return 'o';
}
const struct dsys dsys_umask = { .ret_style = umask_ret_style };

/*
 * preadv, pwritev, preadv2, pwritev2: the kernel's pos_l and pos_h are one
 * offset to strace (pos_h is 0 on x86_64: it shows pos_l), so the *v2
 * calls' flags come fifth. Under -e raw strace shows the registers its
 * own table counts: 4 for preadv and pwritev, 6 for the *v2 calls.
 */
static int preadv_v2(const struct limen_call *c)
{
	return c->nr == LIMEN_NR_preadv2 || c->nr == LIMEN_NR_pwritev2;
}

static unsigned preadv_nargs(const struct limen_call *c, unsigned n)
{
	return preadv_v2(c) ? 5 : 4;
}

/* -e raw=: strace's x86_64 table gives preadv and pwritev four (one
   offset), the v2 calls six, as ours */
static unsigned preadv_raw_nargs(const struct limen_call *c, unsigned n)
{
	return preadv_v2(c) ? n : 4;
}

static int preadv_arg(const struct dctx *d, unsigned i)
{
	if (i != 4 || !preadv_v2(d->c))
		return 0;
	dd_default_arg(d, 5);
	return 1;
}
const struct dsys dsys_preadv = { .nargs = preadv_nargs,
				  .raw_nargs = preadv_raw_nargs,
				  .arg = preadv_arg };

/*
 * fanotify_init's flags as strace 6.1 shows them: the class (bits 2-3,
 * an enum whose 0 is FAN_CLASS_NOTIF) always, then the other flags:
 * FAN_CLASS_NOTIF|FAN_CLOEXEC, 0xc /" "* FAN_CLASS_??? *" "/|FAN_REPORT_FID.
 * fanotify_mark's dfd: -1 is FAN_NOFD (the fanotify_fd's own object),
 * any other a dirfd.
 */
static int fanotify_arg(const struct dctx *d, unsigned i)
{
	struct limen_sb *sb = d->sb;
	uint32_t v = (uint32_t)d->c->args[i];

	if (d->c->nr == LIMEN_NR_fanotify_init && i == 0) {
		dx_enum(sb, &limen_xlats[LIMEN_XLAT_fan_classes], v & 0xc,
			"%#llx /* FAN_CLASS_??? */");
		if (v & ~0xcu) {
			limen_sb_putc(sb, '|');
			dx_flags(sb, &limen_xlats[LIMEN_XLAT_fan_init_flags],
				 v & ~0xcu, "0");
		}
		return 1;
	}
	if (d->c->nr == LIMEN_NR_fanotify_mark && i == 3 && (int32_t)v == -1) {
		if (sb->xstyle)
			limen_sb_puts(sb, sb->xstyle == 2 ? "-1 /* FAN_NOFD */" :
							    "-1");
		else
			limen_sb_puts(sb, "FAN_NOFD");
		return 1;
	}
	return 0;
}
const struct dsys dsys_fanotify = { .arg = fanotify_arg };

/*
 * mount as strace 6.1 shows it: a remount's type, and a bind's, move's or
 * propagation change's type and data, are not read by the kernel as such
 * (addresses); the old magic MS_MGC_VAL in the flags' high 16 bits is
 * named before the flags.
 */
#define MS_MGC_VAL_ 0xc0ed0000ULL
#define MS_MGC_MSK_ 0xffff0000ULL

static int mount_arg(const struct dctx *d, unsigned i)
{
	uint64_t fl = d->c->args[3];
	int magic = (fl & MS_MGC_MSK_) == MS_MGC_VAL_;
	uint64_t other = LIMEN_XV_mount_flags_MS_BIND |
			 LIMEN_XV_mount_flags_MS_MOVE |
			 LIMEN_XV_mount_flags_MS_SHARED |
			 LIMEN_XV_mount_flags_MS_PRIVATE |
			 LIMEN_XV_mount_flags_MS_SLAVE |
			 LIMEN_XV_mount_flags_MS_UNBINDABLE;
	int no_type, no_data;

	if (magic)
		fl &= ~MS_MGC_MSK_;
	no_type = (fl & LIMEN_XV_mount_flags_MS_REMOUNT) || (fl & other);
	no_data = !(fl & LIMEN_XV_mount_flags_MS_REMOUNT) && (fl & other);
	if ((i == 2 && no_type) || (i == 4 && no_data)) {
		dx_ptr(d->sb, d->c->args[i]);
		return 1;
	}
	if (i != 3 || !magic)
		return 0;
	dx_named(d->sb, MS_MGC_VAL_, "MS_MGC_VAL");
	if (fl) {
		limen_sb_putc(d->sb, '|');
		dx_flags(d->sb, &limen_xlats[LIMEN_XLAT_mount_flags], fl, "0");
	}
	return 1;
}
const struct dsys dsys_mount = { .arg = mount_arg };

/*
 * mknod, mknodat as strace 6.1 shows them: the mode (16 bits) as a file
 * type and permissions (S_IFCHR|0620; an unknown type in octal whole,
 * 0170644), the device only for a character or block special file, as
 * makedev(major, minor). -X raw: the numbers; verbose: with the names in
 * comments, but for a mode of unknown type.
 */
static int mknod_mode_at(const struct limen_call *c)
{
	return c->nr == LIMEN_NR_mknodat ? 2 : 1;
}

static int mknod_has_dev(const struct limen_call *c)
{
	uint32_t t = (uint32_t)c->args[mknod_mode_at(c)] & 0170000;

	return t == 0020000 || t == 0060000;
}

static unsigned mknod_nargs(const struct limen_call *c, unsigned n)
{
	return (unsigned)mknod_mode_at(c) + 1 + mknod_has_dev(c);
}

static int mknod_arg(const struct dctx *d, unsigned i)
{
	struct limen_sb *sb = d->sb;
	int at = mknod_mode_at(d->c), style = sb->xstyle;
	uint16_t mode = (uint16_t)d->c->args[at];
	uint64_t dev = d->c->args[at + 1];
	int known = !(mode & 0170000) ||
		    dx_lookup(&limen_xlats[LIMEN_XLAT_file_type],
			      mode & 0170000);

	if (i == (unsigned)at) {
		sb->xstyle = 0;
		if (style)
			limen_sb_printf(sb, "%#03o", mode);
		if (style == 2 && known)
			limen_sb_puts(sb, " /* ");
		if (!style || (style == 2 && known))
			ds_mode(sb, mode);
		if (style == 2 && known)
			limen_sb_puts(sb, " */");
		sb->xstyle = style;
		return 1;
	}
	if (i != (unsigned)at + 1)
		return 0;
	ds_makedev(sb, dev); /* -X as it says */
	return 1;
}
const struct dsys dsys_mknod = { .nargs = mknod_nargs, .arg = mknod_arg };
