// SPDX-License-Identifier: MIT
/* Growable string buffer. Allocation failure is fatal (collector side). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode/dec_int.h"
#include "oom.h"

void limen_sb_reserve(struct limen_sb *sb, size_t add)
{
	size_t need = sb->len + add + 1;
	size_t cap;
	char *p;

	if (need <= sb->cap)
		return;
	cap = sb->cap ? sb->cap : 128;
	while (cap < need)
		cap *= 2;
	p = realloc(sb->p, cap);
	if (!p) {
		limen_out_of_memory();
	}
	sb->p = p;
	sb->cap = cap;
}

/* Formats once into the room left (the usual case: the buffer is reused
   line after line), a second time only when that was too small. */
void limen_sb_printf(struct limen_sb *sb, const char *fmt, ...)
{
	va_list ap;
	size_t room;
	int n;

	limen_sb_reserve(sb, 64);
	room = sb->cap - sb->len;
	va_start(ap, fmt);
	n = vsnprintf(sb->p + sb->len, room, fmt, ap);
	va_end(ap);
	if (n <= 0) {
		sb->p[sb->len] = 0;
		return;
	}
	if ((size_t)n >= room) {
		limen_sb_reserve(sb, (size_t)n);
		va_start(ap, fmt);
		vsnprintf(sb->p + sb->len, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	sb->len += (size_t)n;
}

/*
 * Decimal without printf: most arguments and return values are numbers.
 * The digits go straight into the buffer, their count known first: made
 * a byte at a time on the stack and then copied, they were read back as
 * one word right after the byte stores (a load the stores cannot forward
 * to; perf annotate put two thirds of this function's samples there).
 */
void limen_sb_putu(struct limen_sb *sb, uint64_t v)
{
	static const uint64_t pow10[19] = {
		10ull, 100ull, 1000ull, 10000ull, 100000ull, 1000000ull,
		10000000ull, 100000000ull, 1000000000ull, 10000000000ull,
		100000000000ull, 1000000000000ull, 10000000000000ull,
		100000000000000ull, 1000000000000000ull,
		10000000000000000ull, 100000000000000000ull,
		1000000000000000000ull, 10000000000000000000ull,
	};
	size_t n = 1;
	char *p;

	while (n < 20 && v >= pow10[n - 1])
		n++;
	if (sb->len + n + 1 > sb->cap)
		limen_sb_reserve(sb, n);
	p = sb->p + sb->len + n;
	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	sb->len += n;
	sb->p[sb->len] = 0;
}

void limen_sb_putd(struct limen_sb *sb, int64_t v)
{
	if (v < 0) {
		limen_sb_putc(sb, '-');
		limen_sb_putu(sb, -(uint64_t)v);
		return;
	}
	limen_sb_putu(sb, (uint64_t)v);
}

void limen_sb_reset(struct limen_sb *sb)
{
	sb->len = 0;
	if (sb->p)
		sb->p[0] = 0;
}

void limen_sb_free(struct limen_sb *sb)
{
	free(sb->p);
	sb->p = NULL;
	sb->len = sb->cap = 0;
}
