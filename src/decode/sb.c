// SPDX-License-Identifier: MIT
/* Growable string buffer. Allocation failure is fatal (collector side). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode/dec_int.h"

static void sb_grow(struct limen_sb *sb, size_t add)
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

void limen_sb_putn(struct limen_sb *sb, const char *s, size_t n)
{
	sb_grow(sb, n);
	memcpy(sb->p + sb->len, s, n);
	sb->len += n;
	sb->p[sb->len] = 0;
}

void limen_sb_putc(struct limen_sb *sb, char c)
{
	sb_grow(sb, 1);
	sb->p[sb->len++] = c;
	sb->p[sb->len] = 0;
}

void limen_sb_puts(struct limen_sb *sb, const char *s)
{
	limen_sb_putn(sb, s, strlen(s));
}

void limen_sb_printf(struct limen_sb *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n <= 0)
		return;
	sb_grow(sb, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(sb->p + sb->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb->len += (size_t)n;
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
