// SPDX-License-Identifier: MIT
/* errno and signal names, sigsets. */
#include <stdio.h>
#include <string.h>

#include "decode/dec_int.h"

/* From the kernel's asm-generic/errno-base.h and errno.h (x86_64). */
/* xlat.tbl's errno list: 1..133 and the kernel-internal codes that can
   leak to a tracer (512..530, include/linux/errno.h). It is sorted by value
   (tests/unit/lists.t checks), so a binary search finds the name. */
const char *limen_errname(int err)
{
	const struct limen_xlat *x = &limen_xlats[LIMEN_XLAT_errno];
	const struct limen_xlat_item *it = limen_xlat_items_of(x);
	uint64_t v = (uint64_t)(int64_t)err;
	unsigned lo = 0, hi = x->n;

	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;

		if (it[mid].val == v)
			return limen_str(it[mid].name);
		if (it[mid].val < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* The text in parentheses after the errno name. */
const char *dn_errdesc(int err, char buf[64])
{
	const char *s = strerror(err);

	snprintf(buf, 64, "%s", s ? s : "Unknown error");
	return buf;
}

#define K_SIGRTMIN 32
#define K_NSIG 64

/* 1..31 from xlat.tbl's signals list, whose item k is signal k + 1
   (tests/unit/lists.t checks). */
const char *limen_signame(int sig, char buf[16])
{
	const struct limen_xlat *x = &limen_xlats[LIMEN_XLAT_signals];

	if (sig > 0 && sig < K_SIGRTMIN && (unsigned)sig <= x->n)
		return limen_str(limen_xlat_items_of(x)[sig - 1].name);
	if (sig == K_SIGRTMIN)
		return "SIGRTMIN";
	if (sig > K_SIGRTMIN && sig <= K_NSIG) {
		snprintf(buf, 16, "SIGRT_%d", sig - K_SIGRTMIN);
		return buf;
	}
	snprintf(buf, 16, "%d", sig);
	return buf;
}

/* a signal's name, or under -X its number as strace shows it (10, or 10
   and SIGUSR1 in a comment); a number past the signals stays as it is */
static void sig_named(struct limen_sb *sb, int sig, const char *name)
{
	if (sig <= 0 || sig > K_NSIG)
		limen_sb_puts(sb, name);
	else
		dx_named_dec(sb, (uint64_t)sig, name);
}

void dn_sig(struct limen_sb *sb, int sig)
{
	char b[16];

	sig_named(sb, sig, limen_signame(sig, b));
}

void dn_signame(struct limen_sb *sb, int sig)
{
	char b[16];

	limen_sb_puts(sb, limen_signame(sig, b));
}

/*
 * Sigset of n bytes: "[INT TERM]"; with more than half of the valid bits
 * set, the complement: "~[RTMIN RT_1]" ("~[]" for all).
 */
void dn_sigset(struct limen_sb *sb, const uint8_t *p, size_t n)
{
	unsigned nbits = (unsigned)n * 8, i, cnt = 0;
	int inv, first = 1;
	char b[16];

	if (nbits > K_NSIG)
		nbits = K_NSIG;
	for (i = 0; i < nbits; i++)
		if (p[i / 8] & (1u << (i % 8)))
			cnt++;
	inv = cnt * 2 > nbits;
	if (inv)
		limen_sb_putc(sb, '~');
	limen_sb_putc(sb, '[');
	for (i = 0; i < nbits; i++) {
		int set = (p[i / 8] >> (i % 8)) & 1;

		if (set == inv)
			continue;
		if (!first)
			limen_sb_putc(sb, ' ');
		first = 0;
		sig_named(sb, (int)i + 1, limen_signame((int)i + 1, b) + 3);
	}
	limen_sb_putc(sb, ']');
}
