// SPDX-License-Identifier: MIT
/*
 * fcntl: the third argument and the return value by command.
 * Each call's decoder is named in tables/syscalls.tbl's DECODER column.
 */
#include <string.h>

#include "decode/dec_int.h"

/* The commands by name: tables/xlat.tbl's fcntl_cmd list. */
#define FC(name) LIMEN_XV_fcntl_cmd_##name

static int fcntl_noarg(uint64_t cmd)
{
	switch (cmd) {
	case FC(F_GETFD): case FC(F_GETFL): case FC(F_GETOWN): case FC(F_GETSIG):
	case FC(F_GETLEASE): case FC(F_GETPIPE_SZ): case FC(F_GET_SEALS):
		return 1;
	}
	return 0;
}

/* struct f_owner_ex: {type=F_OWNER_PID, pid=42} */
static void owner_ex(struct limen_sb *sb, const uint8_t *p)
{
	limen_sb_puts(sb, "{type=");
	dx_enum(sb, &limen_xlats[LIMEN_XLAT_f_owner_type], r32(p, 0),
		"%#llx /* F_OWNER_??? */");
	limen_sb_printf(sb, ", pid=%d}", (int)r32(p, 4));
}

static void fcntl_arg(const struct dctx *d)
{
	struct limen_sb *sb = d->sb;
	uint64_t cmd = d->c->args[1] & 0xffffffff, v = d->c->args[2];
	const struct limen_blob *b;

	switch (cmd) {
	case FC(F_DUPFD): case FC(F_DUPFD_CLOEXEC): case FC(F_SETOWN):
	case FC(F_SETPIPE_SZ):
		limen_sb_printf(sb, "%d", (int)v);
		return;
	case FC(F_SETFD):
		dx_flags(sb, &limen_xlats[LIMEN_XLAT_fd_flags], v, "0");
		return;
	case FC(F_SETFL):
		dd_open_flags(sb, v);
		return;
	case FC(F_SETSIG):
		dn_sig(sb, (int)v);
		return;
	case FC(F_SETLEASE):
		dx_enum(sb, &limen_xlats[LIMEN_XLAT_lease_type], v, NULL);
		return;
	case FC(F_NOTIFY):
		dx_flags(sb, &limen_xlats[LIMEN_XLAT_dnotify_flags], v, "0");
		return;
	case FC(F_ADD_SEALS):
		dx_flags(sb, &limen_xlats[LIMEN_XLAT_seal_flags], v, "0");
		return;
	/* what the kernel fills is shown at exit, as strace does: the
	   lock found (with its owner's pid), the owner */
	case FC(F_GETLK): case FC(F_OFD_GETLK):
		b = d->failed ? NULL : dd_exit_blob(d, 2, 32);
		if (b)
			ds_flock(sb, b->data, 1);
		else
			dx_ptr(sb, v);
		return;
	case FC(F_SETLK): case FC(F_SETLKW):
	case FC(F_OFD_SETLK): case FC(F_OFD_SETLKW):
		if ((b = dd_in_or_ptr(d, 2, 32)))
			ds_flock(sb, b->data, 0);
		return;
	case FC(F_GETOWN_EX):
		b = d->failed ? NULL : dd_exit_blob(d, 2, 8);
		if (b)
			owner_ex(sb, b->data);
		else
			dx_ptr(sb, v);
		return;
	case FC(F_SETOWN_EX):
		if ((b = dd_in_or_ptr(d, 2, 8)))
			owner_ex(sb, b->data);
		return;
	}
	limen_sb_printf(sb, "%#llx", (unsigned long long)v);
}

static unsigned fcntl_nargs(const struct limen_call *c, unsigned n)
{
	return fcntl_noarg(c->args[1] & 0xffffffff) ? 2 : 3;
}

/* The lock and owner queries' argument is what the kernel wrote. */
static int fcntl_arg_is_out(const struct limen_call *c, unsigned i)
{
	switch (c->args[1] & 0xffffffff) {
	case FC(F_GETLK): case FC(F_OFD_GETLK): case FC(F_GETOWN_EX):
		return i == 2;
	}
	return 0;
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

/* As strace 6.1: F_GETFL's result in hex with its flags even when 0
   ("= 0 (flags O_RDONLY)"); F_GETFD's and F_GET_SEALS' likewise when not
   0; F_GETLEASE's in hex with its name; F_GETSIG's in decimal with the
   signal's name when not 0. */
static int fcntl_ret_style(const struct dctx *d)
{
	switch (d->c->args[1] & 0xffffffff) {
	case FC(F_GETFD): case FC(F_GETFL): case FC(F_GETLEASE):
	case FC(F_GET_SEALS):
		return 'x';
	}
	return 0;
}

static void fcntl_ret_aux(const struct dctx *d)
{
	struct limen_sb *sb = d->sb;
	uint64_t r = (uint64_t)d->c->ret, cmd = d->c->args[1] & 0xffffffff;
	const char *name;
	char buf[16];

	switch (cmd) {
	case FC(F_GETFL):
		limen_sb_puts(sb, " (flags ");
		dd_open_flags(sb, r);
		limen_sb_putc(sb, ')');
		return;
	case FC(F_GETLEASE):
		name = dx_lookup(&limen_xlats[LIMEN_XLAT_lease_type], r);
		if (name)
			limen_sb_printf(sb, " (%s)", name);
		return;
	}
	if (!r)
		return;
	switch (cmd) {
	case FC(F_GETFD):
		limen_sb_puts(sb, " (flags ");
		dx_flags(sb, &limen_xlats[LIMEN_XLAT_fd_flags], r, "0");
		limen_sb_putc(sb, ')');
		return;
	case FC(F_GET_SEALS):
		limen_sb_puts(sb, " (seals ");
		dx_flags(sb, &limen_xlats[LIMEN_XLAT_seal_flags], r, "0");
		limen_sb_putc(sb, ')');
		return;
	case FC(F_GETSIG):
		/* a name only for the signals there are (strace's signame) */
		if (r <= 64)
			limen_sb_printf(sb, " (%s)",
					limen_signame((int)r, buf));
		return;
	}
}
const struct dsys dsys_fcntl = { .nargs = fcntl_nargs, .arg = fcntl_dec_arg,
				 .arg_is_out = fcntl_arg_is_out,
				 .ret_style = fcntl_ret_style,
				 .ret_aux = fcntl_ret_aux };
