// SPDX-License-Identifier: MIT
/*
 * Signal calls with irregular text: rt_sigreturn's mask, rt_sigtimedwait's
 * signal after the return value, epoll_pwait's mask when it fails,
 * pselect6's and io_pgetevents' struct of a mask and its size.
 * Each call's decoder is named in tables/syscalls.tbl's DECODER column.
 */
#include <string.h>

#include "decode/dec_int.h"

static unsigned rt_sigreturn_nargs(const struct limen_call *c, unsigned n)
{
	return (c->cap_in[0].flags & LIMEN_BLOB_PRESENT) ? 1 : 0;
}

static int rt_sigreturn_arg(const struct dctx *d, unsigned i)
{
	if (i != 0)
		return 0;
	/* the runtime captures the mask being restored, or where it is
	   when it cannot be read (a frame that faults: strace's address) */
	limen_sb_puts(d->sb, "{mask=");
	if (d->noderef && d->c->args[0]) {
		/* -e verbose= leaves it out: where the frame keeps it (the
		   runtime gives it as the call's argument) */
		dx_ptr(d->sb, d->c->args[0]);
	} else if ((d->c->cap_in[0].flags & LIMEN_BLOB_FAULT) &&
	    d->c->cap_in[0].len == 8) {
		uint64_t at;

		memcpy(&at, d->c->cap_in[0].data, 8);
		dx_ptr(d->sb, at);
	} else {
		dn_sigset(d->sb, d->c->cap_in[0].data, d->c->cap_in[0].len);
	}
	limen_sb_putc(d->sb, '}');
	return 1;
}
const struct dsys dsys_rt_sigreturn = { .nargs = rt_sigreturn_nargs,
					.arg = rt_sigreturn_arg };

/* strace decodes epoll_pwait's and epoll_pwait2's arguments at their exit,
 * and a failed call's mask (and epoll_pwait2's timeout) as addresses */
static int epoll_pwait_arg(const struct dctx *d, unsigned i)
{
	if (!d->failed || (i != 4 && (i != 3 || d->c->nr != 441)))
		return 0;
	dx_ptr(d->sb, d->c->args[i]);
	return 1;
}
const struct dsys dsys_epoll_pwait = { .arg = epoll_pwait_arg };

static void rt_sigtimedwait_ret_aux(const struct dctx *d)
{
	if (d->c->ret <= 0)
		return;
	limen_sb_puts(d->sb, " (");
	dn_signame(d->sb, (int)d->c->ret);
	limen_sb_putc(d->sb, ')');
}
const struct dsys dsys_rt_sigtimedwait = { .ret_aux = rt_sigtimedwait_ret_aux };

/*
 * pselect6's sixth argument, io_pgetevents' struct __aio_sigset: strace
 * shows the struct with the mask it points to, {sigmask=[INT USR1],
 * sigsetsize=8}, the mask by its pointer when its size is not 8 or it
 * could not be read (the capture then has only the struct's 16 bytes:
 * runtime/capture.c, cap_sigpack), and the argument by its pointer when
 * the struct could not be read. Shown alike whether the call failed or
 * not: the kernel read both at entry.
 */
int dd_sigpack(const struct dctx *d, unsigned i)
{
	const struct limen_blob *b = dd_in_or_ptr(d, i, 16);
	uint64_t mask, size;

	if (!b)
		return 1;
	mask = r64(b->data, 0);
	size = r64(b->data, 8);
	limen_sb_puts(d->sb, "{sigmask=");
	if (mask && size == 8 && b->len >= 24)
		dn_sigset(d->sb, b->data + 16, 8);
	else
		dx_ptr(d->sb, mask);
	limen_sb_puts(d->sb, ", sigsetsize=");
	limen_sb_putu(d->sb, size);
	limen_sb_putc(d->sb, '}');
	return 1;
}
