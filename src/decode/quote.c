// SPDX-License-Identifier: MIT
/*
 * strace's default string escaping: printable ASCII as is; \t \n \v \f \r
 * \" \\ as C escapes; other bytes as octal with the fewest digits, three
 * when the next byte is an octal digit (so the literal reads back right),
 * or as \x and two hex digits (--strings-in-hex=non-ascii-chars, sb->hex
 * 3; -x is 1, -xx 2).
 */
#include <string.h>

#include "decode/dec_int.h"

static void q_byte(struct limen_sb *sb, uint8_t ch, int next)
{
	static const char hx[] = "0123456789abcdef";
	char b[5];

	switch (ch) {
	case '\t': limen_sb_puts(sb, "\\t"); return;
	case '\n': limen_sb_puts(sb, "\\n"); return;
	case '\v': limen_sb_puts(sb, "\\v"); return;
	case '\f': limen_sb_puts(sb, "\\f"); return;
	case '\r': limen_sb_puts(sb, "\\r"); return;
	case '"': limen_sb_puts(sb, "\\\""); return;
	case '\\': limen_sb_puts(sb, "\\\\"); return;
	}
	if (ch >= 0x20 && ch < 0x7f) {
		limen_sb_putc(sb, (char)ch);
		return;
	}
	b[0] = '\\';
	if (sb->hex == 3) {
		/* --strings-in-hex=non-ascii-chars: \x and two digits */
		b[1] = 'x';
		b[2] = hx[ch >> 4];
		b[3] = hx[ch & 15];
		limen_sb_putn(sb, b, 4);
	} else if (next >= '0' && next <= '7') {
		b[1] = (char)('0' + (ch >> 6));
		b[2] = (char)('0' + ((ch >> 3) & 7));
		b[3] = (char)('0' + (ch & 7));
		limen_sb_putn(sb, b, 4);
	} else if (ch >= 64) {
		b[1] = (char)('0' + (ch >> 6));
		b[2] = (char)('0' + ((ch >> 3) & 7));
		b[3] = (char)('0' + (ch & 7));
		limen_sb_putn(sb, b, 4);
	} else if (ch >= 8) {
		b[1] = (char)('0' + (ch >> 3));
		b[2] = (char)('0' + (ch & 7));
		limen_sb_putn(sb, b, 3);
	} else {
		b[1] = (char)('0' + ch);
		limen_sb_putn(sb, b, 2);
	}
}

/* A byte shown as it is: printable, not a quote nor a backslash. One
   test per byte of a path, not four. */
static int as_is(uint8_t ch)
{
	/* bit ch of the 128 ASCII codes: 0x20..0x7e less '"', '\\' */
	static const uint64_t bits[2] = {
		0xfffffffbffffffffull & ~0xffffffffull,
		0x7fffffffefffffffull,
	};

	return ch < 128 && (bits[ch >> 6] >> (ch & 63) & 1);
}

void dq_bytes(struct limen_sb *sb, const uint8_t *s, size_t n, int trunc,
	      int hex)
{
	static const char hx[] = "0123456789abcdef";
	size_t i;

	if (sb->hex == 2)
		hex = 1;
	/* -x: all in hex if one byte would be an octal escape (NUL is one,
	   "\0": strchr would find the list's own terminator) */
	for (i = 0; sb->hex == 1 && !hex && i < n; i++)
		if ((s[i] < 0x20 || s[i] >= 0x7f) &&
		    (!s[i] || !strchr("\t\n\v\f\r", s[i])))
			hex = 1;
	limen_sb_putc(sb, '"');
	for (i = 0; i < n; i++) {
		if (hex) {
			char b[4] = { '\\', 'x', hx[s[i] >> 4], hx[s[i] & 15] };

			limen_sb_putn(sb, b, 4);
			continue;
		}
		/* a run of bytes shown as they are (most of a path) in one
		   append, not a byte at a time */
		if (as_is(s[i])) {
			size_t j = i + 1;

			while (j < n && as_is(s[j]))
				j++;
			limen_sb_putn(sb, (const char *)s + i, j - i);
			i = j - 1;
			continue;
		}
		q_byte(sb, s[i], i + 1 < n ? s[i + 1] : -1);
	}
	limen_sb_putc(sb, '"');
	if (trunc)
		limen_sb_puts(sb, "...");
}

void limen_decode_quoted(struct limen_sb *sb, const uint8_t *s, size_t n,
			 int truncated)
{
	dq_bytes(sb, s, n, truncated, 0);
}

/*
 * want: bytes the object has (buffers: the length; strings: SIZE_MAX).
 * max: -s limit, 0 for none (paths).
 */
void dq_blob(struct limen_sb *sb, const struct limen_blob *b, size_t want,
	     size_t max)
{
	size_t n = b->len;
	int trunc = (b->flags & LIMEN_BLOB_TRUNC) != 0;

	if (want != SIZE_MAX) { /* buffers; SIZE_MAX: a string */
		if (want < n)
			n = want;
		if (want > n)
			trunc = 1;
	}
	if (max && n > max) {
		n = max;
		trunc = 1;
	}
	dq_bytes(sb, b->data, n, trunc, 0);
}
