/* SPDX-License-Identifier: MIT */
/*
 * The name_args grammar of Linux's user_events, as the runtime checks it at
 * registration and the collector decodes payloads with it. No libc: the
 * runtime includes it too.
 *
 *	name_args := NAME [ ' ' field { ';' ' ' field } ]
 *	field     := TYPE FIELDNAME | 'struct' TYPE FIELDNAME SIZE
 *	TYPE      := s8 u8 s16 u16 s32 u32 s64 u64 char short int long,
 *		     "unsigned" before one of the last four, char[N] u8[N],
 *		     __data_loc char[] / __rel_loc char[] (u32: len << 16 |
 *		     offset, from the payload's start / the field's end)
 *
 * limen_uev_norm collapses blanks so that the same description written
 * differently is the same event (the kernel compares fields the same way).
 */
#ifndef LIMEN_UEVENT_FMT_H
#define LIMEN_UEVENT_FMT_H

#include <errno.h>
#include <stdint.h>

#define LIMEN_UEV_FIELDS 64
#define LIMEN_UEV_NAME 64     /* the event name, NUL included */

enum limen_uev_kind {
	LIMEN_UEV_INT,        /* size 1, 2, 4, 8; is_signed */
	LIMEN_UEV_CHARS,      /* char[N]: a string of at most N bytes */
	LIMEN_UEV_BYTES,      /* u8[N], struct: hex */
	LIMEN_UEV_DATA_LOC,   /* u32 locating a string in the payload
				 (is_signed: char[], a string; u8[]: not) */
	LIMEN_UEV_REL_LOC,
};

struct limen_uev_field {
	uint8_t kind, is_signed;
	uint16_t size;           /* bytes in the fixed part */
	uint16_t off;            /* in the payload */
	uint16_t name_off, name_len; /* in the normalised string */
	uint16_t type_off;       /* the field's first word, there */
};

struct limen_uev_fmt {
	uint32_t name_len;
	uint32_t nfields;
	uint32_t fixed;          /* bytes of the fixed part: a payload is
				    at least this long */
	struct limen_uev_field f[LIMEN_UEV_FIELDS];
};

static inline int limen_uev_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

/* src (n bytes, or up to a NUL) into dst[cap] normalised: one space
   between words, "; " between fields, none at the ends. Returns the
   length, -E2BIG if it does not fit. */
static inline int limen_uev_norm(char *dst, uint32_t cap, const char *src,
				 uint32_t n)
{
	uint32_t o = 0;
	int space = 0, semi = 0;

	for (uint32_t i = 0; i < n && src[i]; i++) {
		char c = src[i];

		if (limen_uev_blank(c)) {
			space = o > 0;
			continue;
		}
		if (c == ';') {
			semi = o > 0;
			space = 0;
			continue;
		}
		if (semi || space) {
			if (o + 2 >= cap)
				return -E2BIG;
			if (semi)
				dst[o++] = ';';
			dst[o++] = ' ';
			semi = space = 0;
		}
		if (o + 1 >= cap)
			return -E2BIG;
		dst[o++] = c;
	}
	dst[o] = 0;
	return (int)o;
}

static inline int limen_uev_word_is(const char *w, uint32_t n, const char *s)
{
	uint32_t i = 0;

	for (; i < n && s[i]; i++)
		if (w[i] != s[i])
			return 0;
	return i == n && !s[i];
}

static inline int limen_uev_ident(const char *w, uint32_t n)
{
	if (!n)
		return 0;
	for (uint32_t i = 0; i < n; i++) {
		char c = w[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      c == '_' || (i && c >= '0' && c <= '9')))
			return 0;
	}
	return 1;
}

/* A decimal number of the whole word, 1..65535; 0 otherwise. */
static inline uint32_t limen_uev_num(const char *w, uint32_t n)
{
	uint32_t v = 0;

	if (!n || n > 5)
		return 0;
	for (uint32_t i = 0; i < n; i++) {
		if (w[i] < '0' || w[i] > '9')
			return 0;
		v = v * 10 + (uint32_t)(w[i] - '0');
	}
	return v <= 65535 ? v : 0;
}

/* A type word (with its [N] if any) into f: 0, or -EINVAL. */
static inline int limen_uev_type(const char *w, uint32_t n, int uns,
				 struct limen_uev_field *f)
{
	static const struct { const char *n; uint8_t size, sign; } ints[] = {
		{ "s8", 1, 1 },  { "u8", 1, 0 },   { "s16", 2, 1 },
		{ "u16", 2, 0 }, { "s32", 4, 1 },  { "u32", 4, 0 },
		{ "s64", 8, 1 }, { "u64", 8, 0 },  { "char", 1, 1 },
		{ "short", 2, 1 }, { "int", 4, 1 }, { "long", 8, 1 },
	};
	uint32_t br = 0;

	while (br < n && w[br] != '[')
		br++;
	if (br < n) {
		/* char[N], u8[N], unsigned char[N] */
		uint32_t len;

		if (w[n - 1] != ']' || uns > 1)
			return -EINVAL;
		len = limen_uev_num(w + br + 1, n - br - 2);
		if (!len)
			return -EINVAL;
		if (limen_uev_word_is(w, br, "char") && !uns)
			f->kind = LIMEN_UEV_CHARS;
		else if (limen_uev_word_is(w, br, "u8") ||
			 limen_uev_word_is(w, br, "char"))
			f->kind = LIMEN_UEV_BYTES;
		else
			return -EINVAL;
		f->size = (uint16_t)len;
		return 0;
	}
	for (uint32_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
		if (!limen_uev_word_is(w, n, ints[i].n))
			continue;
		/* "unsigned" only before the C names */
		if (uns && ints[i].n[0] != 'c' && ints[i].n[0] != 's' &&
		    ints[i].n[0] != 'i' && ints[i].n[0] != 'l')
			return -EINVAL;
		if (uns && (ints[i].n[0] == 's' && ints[i].n[1] != 'h'))
			return -EINVAL;
		f->kind = LIMEN_UEV_INT;
		f->size = ints[i].size;
		f->is_signed = uns ? 0 : ints[i].sign;
		return 0;
	}
	return -EINVAL;
}

/* Parse a normalised string (limen_uev_norm). 0, or -EINVAL. */
static inline int limen_uev_parse(const char *s, struct limen_uev_fmt *fmt)
{
	uint32_t i = 0, off = 0;

	fmt->nfields = 0;
	while (s[i] && s[i] != ' ')
		i++;
	if (i >= LIMEN_UEV_NAME || !limen_uev_ident(s, i))
		return -EINVAL;
	fmt->name_len = i;
	while (s[i]) {
		/* a field: words up to "; " or the end */
		const char *w[5];
		uint32_t wl[5], nw = 0, k = 0;
		struct limen_uev_field *f;
		int uns = 0, loc = 0, r;

		if (s[i] == ';')
			i++;
		if (s[i] != ' ')
			return -EINVAL;
		i++;
		while (s[i] && s[i] != ';') {
			uint32_t b = i;

			while (s[i] && s[i] != ' ' && s[i] != ';')
				i++;
			if (nw == 5)
				return -EINVAL;
			w[nw] = s + b;
			wl[nw++] = i - b;
			if (s[i] == ' ')
				i++;
		}
		if (fmt->nfields == LIMEN_UEV_FIELDS || nw < 2)
			return -EINVAL;
		f = &fmt->f[fmt->nfields];
		*f = (struct limen_uev_field){ 0 };
		if (limen_uev_word_is(w[0], wl[0], "struct")) {
			/* struct TYPE NAME SIZE */
			if (nw != 4 || !limen_uev_ident(w[1], wl[1]))
				return -EINVAL;
			f->kind = LIMEN_UEV_BYTES;
			f->size = (uint16_t)limen_uev_num(w[3], wl[3]);
			if (!f->size)
				return -EINVAL;
			k = 2;
		} else {
			if (limen_uev_word_is(w[0], wl[0], "__data_loc"))
				loc = LIMEN_UEV_DATA_LOC;
			else if (limen_uev_word_is(w[0], wl[0], "__rel_loc"))
				loc = LIMEN_UEV_REL_LOC;
			else if (limen_uev_word_is(w[0], wl[0], "unsigned"))
				uns = 1;
			if (loc || uns)
				k = 1;
			if (nw != k + 2)
				return -EINVAL;
			if (loc) {
				if (!limen_uev_word_is(w[k], wl[k], "char[]") &&
				    !limen_uev_word_is(w[k], wl[k], "u8[]"))
					return -EINVAL;
				f->kind = (uint8_t)loc;
				f->size = 4;
				f->is_signed = limen_uev_word_is(
					w[k], wl[k], "char[]");
			} else {
				r = limen_uev_type(w[k], wl[k], uns, f);
				if (r < 0)
					return r;
			}
			k++;
		}
		if (!limen_uev_ident(w[k], wl[k]))
			return -EINVAL;
		f->type_off = (uint16_t)(w[0] - s);
		f->name_off = (uint16_t)(w[k] - s);
		f->name_len = (uint16_t)wl[k];
		f->off = (uint16_t)off;
		off += f->size;
		if (off > 65535)
			return -EINVAL;
		fmt->nfields++;
	}
	fmt->fixed = off;
	return 0;
}

#endif
