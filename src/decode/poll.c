// SPDX-License-Identifier: MIT
/*
 * poll, ppoll, select, pselect6: the ready descriptors after the return
 * value.
 * Each call's decoder is named in tables/syscalls.tbl's DECODER column.
 */
#include <string.h>

#include "decode/dec_int.h"

/*
 * " (in [3], out [4], left {tv_sec=0, tv_usec=5})": the ready descriptors
 * of each set as the kernel left them, counting down the return value;
 * strace closes a set's list with "]" whenever something was written
 * before it, which this keeps.
 */
static void select_aux(const struct dctx *d, int ts)
{
	static const char *const set_names[] = { "in", "out", "except" };
	struct limen_sb *sb = d->sb;
	int64_t ready = d->c->ret;
	uint64_t nfds = (uint64_t)(int)d->c->args[0];
	const struct limen_blob *b;
	const char *sep = "";
	size_t start;
	unsigned i;

	if (ready == 0) {
		limen_sb_puts(sb, " (Timeout)");
		return;
	}
	limen_sb_puts(sb, " (");
	start = sb->len;
	if ((int)d->c->args[0] < 0)
		nfds = 0;
	for (i = 0; i < 3 && ready > 0; i++) {
		uint64_t bits, j;
		int first = 1;

		/* strace reads the sets back whatever -e verbose= says */
		b = dd_exit_blob_any(d, i + 1, 0);
		if (!b)
			continue;
		bits = (uint64_t)b->len * 8;
		if (nfds < bits)
			bits = nfds;
		for (j = 0; j < bits; j++) {
			if (!(b->data[j / 8] & (1u << (j % 8))))
				continue;
			if (first) {
				limen_sb_printf(sb, "%s%s [%llu", sep,
						set_names[i],
						(unsigned long long)j);
				first = 0;
				sep = ", ";
			} else {
				limen_sb_printf(sb, " %llu",
						(unsigned long long)j);
			}
			if (--ready == 0)
				break;
		}
		if (sb->len != start)
			limen_sb_putc(sb, ']');
	}
	b = dd_exit_blob(d, 4, 16);
	if (b) {
		limen_sb_printf(sb, "%sleft ", sep);
		if (ts)
			ds_timespec(sb, b->data);
		else
			ds_timeval(sb, b->data);
	} else if (d->noderef && d->c->args[4]) {
		/* the time left as its address, as strace */
		limen_sb_printf(sb, "%sleft ", sep);
		dx_ptr(sb, d->c->args[4]);
	}
	limen_sb_putc(sb, ')');
}

static void poll_aux(const struct dctx *d)
{
	struct limen_sb *sb = d->sb;
	const struct limen_blob *b;
	uint64_t n = d->c->args[1], k;
	int first = 1;
	unsigned shown = 0;

	if (d->c->ret == 0) {
		limen_sb_puts(sb, " (Timeout)");
		return;
	}
	b = dd_blob(d, 0, 1);
	if (!b || !(d->c->cap_out[0].flags & LIMEN_BLOB_PRESENT))
		return;
	limen_sb_puts(sb, " ([");
	for (k = 0; k < n && (k + 1) * 8 <= b->len; k++) {
		int fd;
		uint16_t rev;

		memcpy(&fd, b->data + k * 8, 4);
		memcpy(&rev, b->data + k * 8 + 6, 2);
		if (!rev)
			continue;
		if (shown == d->strsize) {
			/* strace shows -s entries, then "..." */
			limen_sb_puts(sb, first ? "..." : ", ...");
			break;
		}
		limen_sb_printf(sb, "%s{fd=%d, revents=", first ? "" : ", ", fd);
		ds_pollev(sb, rev);
		limen_sb_putc(sb, '}');
		first = 0;
		shown++;
	}
	limen_sb_putc(sb, ']');
	if (d->c->nr == LIMEN_NR_ppoll && (b = dd_exit_blob(d, 2, 16))) {
		limen_sb_puts(sb, ", left ");
		ds_timespec(sb, b->data);
	}
	limen_sb_putc(sb, ')');
}

static void select_ret_aux(const struct dctx *d)
{
	select_aux(d, d->c->nr == LIMEN_NR_pselect6);
}
static int select_arg(const struct dctx *d, unsigned i)
{
	return d->c->nr == LIMEN_NR_pselect6 && i == 5 && dd_sigpack(d, i);
}
const struct dsys dsys_select = { .arg = select_arg,
				  .ret_aux = select_ret_aux };

const struct dsys dsys_poll = { .ret_aux = poll_aux };

/* epoll_ctl's event: the kernel does not read it for EPOLL_CTL_DEL, and
   strace shows only the pointer there */
static int epoll_ctl_arg(const struct dctx *d, unsigned i)
{
	if (i != 3 || (unsigned)d->c->args[1] !=
		      LIMEN_XV_epoll_ctl_op_EPOLL_CTL_DEL)
		return 0;
	dx_ptr(d->sb, d->c->args[3]);
	return 1;
}
const struct dsys dsys_epoll_ctl = { .arg = epoll_ctl_arg };
