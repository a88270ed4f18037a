// SPDX-License-Identifier: MIT
/* Growable string buffer. Allocation failure is fatal (collector side). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode/dec_int.h"

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
		fputs("limen: out of memory\n", stderr);
		abort();
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

/* Decimal without printf: most arguments and return values are numbers. */
void limen_sb_putu(struct limen_sb *sb, uint64_t v)
{
	char b[20];
	size_t i = sizeof(b);

	do {
		b[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	limen_sb_putn(sb, b + i, sizeof(b) - i);
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
