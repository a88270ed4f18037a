// SPDX-License-Identifier: MIT
/*
 * Time calls with irregular parts: time(2) with its date, the time
 * left by an interrupted sleep, adjtimex's clock state.
 * Each call's decoder is named in tables/syscalls.tbl's DECODER column.
 */
#include <string.h>
#include <time.h>

#include "decode/dec_int.h"

/* "2026-11-22T02:30:33+0000", in local time as strace shows it */
static void iso_time(struct limen_sb *sb, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char buf[64];

	if (!localtime_r(&tt, &tm) ||
	    !strftime(buf, sizeof(buf), "%FT%T%z", &tm)) {
		limen_sb_printf(sb, "%lld", (long long)t);
		return;
	}
	limen_sb_puts(sb, buf);
}

static void time_arg(const struct dctx *d)
{
	struct limen_sb *sb = d->sb;
	uint64_t v = d->c->args[0];
	const struct limen_blob *b;
	int64_t t;

	if (!v || d->failed || !d->c->has_ret || !(b = dd_blob_min(d, 0, 1, 8))) {
		dx_ptr(sb, v);
		return;
	}
	memcpy(&t, b->data, 8);
	limen_sb_printf(sb, "[%lld /* ", (long long)t);
	iso_time(sb, t);
	limen_sb_puts(sb, " */]");
}

static int nanosleep_arg(const struct dctx *d, unsigned i)
{
	const struct limen_blob *b;

	if (i != (d->c->nr == LIMEN_NR_clock_nanosleep ? 3u : 1u))
		return 0;
	/* the time left is written only when a signal cut the sleep */
	b = dd_blob(d, i, 1);
	if (d->c->has_ret && d->c->ret == -4 && b && b->len >= 16)
		ds_timespec(d->sb, b->data);
	else if (!d->c->args[i])
		limen_sb_puts(d->sb, "NULL");
	else
		limen_sb_printf(d->sb, "%#llx",
				(unsigned long long)d->c->args[i]);
	return 1;
}
const struct dsys dsys_nanosleep = { .arg = nanosleep_arg };

static int time_dec_arg(const struct dctx *d, unsigned i)
{
	if (i != 0)
		return 0;
	time_arg(d);
	return 1;
}

static void time_ret_aux(const struct dctx *d)
{
	limen_sb_puts(d->sb, " (");
	iso_time(d->sb, d->c->ret);
	limen_sb_putc(d->sb, ')');
}
const struct dsys dsys_time = { .arg = time_dec_arg, .ret_aux = time_ret_aux };

static void adjtimex_ret_aux(const struct dctx *d)
{
	const char *n = dx_lookup(&limen_xlats[LIMEN_XLAT_clock_state],
				  (uint64_t)d->c->ret);

	/* strace names the state only once it has shown the struct timex */
	if (n && !d->noderef)
		limen_sb_printf(d->sb, " (%s)", n);
}
const struct dsys dsys_adjtimex = { .ret_aux = adjtimex_ret_aux };
