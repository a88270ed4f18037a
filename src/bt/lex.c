/* SPDX-License-Identifier: MIT */
/* limen bt: the lexer of bpftrace's language (the part limen runs). */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "bt/btint.h"
#include "decode/oom.h"

void bt_fail(struct bt_lex *lx, int line, int col, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(lx->err, lx->errlen, "%d:%d: ", line, col);

	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < lx->errlen)
		vsnprintf(lx->err + n, lx->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	longjmp(*lx->fail, 1);
}

void bt_lex_init(struct bt_lex *lx, const char *src, size_t len)
{
	lx->src = lx->p = src;
	lx->end = src + len;
	lx->line = 1;
	lx->col = 1;
	/* a script's #! line */
	if (len >= 2 && src[0] == '#' && src[1] == '!')
		while (lx->p < lx->end && *lx->p != '\n')
			lx->p++;
}

static int col_of(const struct bt_lex *lx, const char *at)
{
	const char *s = at;

	while (s > lx->src && s[-1] != '\n')
		s--;
	return (int)(at - s) + 1;
}

static int line_of(const struct bt_lex *lx, const char *at)
{
	int n = 1;

	for (const char *s = lx->src; s < at; s++)
		n += *s == '\n';
	return n;
}

static void mark(struct bt_lex *lx)
{
	lx->tokp = lx->p;
	lx->line = line_of(lx, lx->p);
	lx->col = col_of(lx, lx->p);
}

int bt_peek_char(struct bt_lex *lx)
{
	for (;;) {
		while (lx->p < lx->end && isspace((unsigned char)*lx->p))
			lx->p++;
		if (lx->p + 1 < lx->end && lx->p[0] == '/' && lx->p[1] == '/') {
			while (lx->p < lx->end && *lx->p != '\n')
				lx->p++;
			continue;
		}
		if (lx->p + 1 < lx->end && lx->p[0] == '/' && lx->p[1] == '*') {
			const char *s = lx->p;

			lx->p += 2;
			while (lx->p + 1 < lx->end &&
			       !(lx->p[0] == '*' && lx->p[1] == '/'))
				lx->p++;
			if (lx->p + 1 >= lx->end) {
				lx->p = s;
				mark(lx);
				bt_fail(lx, lx->line, lx->col,
					"unterminated comment");
			}
			lx->p += 2;
			continue;
		}
		break;
	}
	return lx->p < lx->end ? (unsigned char)*lx->p : 0;
}

static void set_text(struct bt_lex *lx, const char *s, size_t n)
{
	free(lx->sval);
	lx->sval = malloc(n + 1);
	if (!lx->sval)
		limen_out_of_memory();
	memcpy(lx->sval, s, n);
	lx->sval[n] = 0;
	lx->slen = n;
}

int bt_next_probe(struct bt_lex *lx)
{
	const char *s;
	int c = bt_peek_char(lx);

	mark(lx);
	if (!c)
		return lx->tok = T_EOF;
	s = lx->p;
	while (lx->p < lx->end && !isspace((unsigned char)*lx->p) &&
	       *lx->p != ',' && *lx->p != '{' && *lx->p != '/' &&
	       *lx->p != '}')
		lx->p++;
	if (lx->p == s)
		return lx->tok = (unsigned char)*lx->p++;
	set_text(lx, s, (size_t)(lx->p - s));
	return lx->tok = T_PROBE;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static void lex_string(struct bt_lex *lx)
{
	size_t cap = 64, n = 0;
	char *buf = malloc(cap);

	if (!buf)
		limen_out_of_memory();
	lx->p++;
	for (;;) {
		int c;

		if (lx->p >= lx->end || *lx->p == '\n') {
			free(buf);
			bt_fail(lx, lx->line, lx->col,
				"unterminated string");
		}
		c = (unsigned char)*lx->p++;
		if (c == '"')
			break;
		if (c == '\\') {
			if (lx->p >= lx->end)
				continue;
			c = (unsigned char)*lx->p++;
			switch (c) {
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case 'r': c = '\r'; break;
			case '0': case '1': case '2': case '3':
			case '4': case '5': case '6': case '7': {
				int v = c - '0', k = 1;

				while (k < 3 && lx->p < lx->end &&
				       *lx->p >= '0' && *lx->p <= '7') {
					v = v * 8 + (*lx->p++ - '0');
					k++;
				}
				c = v & 0xff;
				break;
			}
			case 'x': {
				int v = 0, k = 0;

				while (k < 2 && lx->p < lx->end &&
				       hexval((unsigned char)*lx->p) >= 0) {
					v = v * 16 + hexval((unsigned char)*lx->p++);
					k++;
				}
				c = v;
				break;
			}
			default:
				/* \\, \", and as bpftrace: others as is */
				break;
			}
		}
		if (n + 1 >= cap) {
			cap *= 2;
			buf = realloc(buf, cap);
			if (!buf)
				limen_out_of_memory();
		}
		buf[n++] = (char)c;
	}
	free(lx->sval);
	buf[n] = 0;
	lx->sval = buf;
	lx->slen = n;
}

static int is_ident(int c)
{
	return isalnum(c) || c == '_';
}

int bt_next(struct bt_lex *lx)
{
	static const struct {
		const char *s;
		int tok;
	} ops[] = {
		{ "<<=", T_SHLEQ }, { ">>=", T_SHREQ }, { "==", T_EQ },
		{ "!=", T_NE }, { "<=", T_LE }, { ">=", T_GE },
		{ "&&", T_AND }, { "||", T_OR }, { "<<", T_SHL },
		{ ">>", T_SHR }, { "->", T_ARROW }, { "++", T_INC },
		{ "--", T_DEC }, { "+=", T_ADDEQ }, { "-=", T_SUBEQ },
		{ "*=", T_MULEQ }, { "/=", T_DIVEQ }, { "%=", T_MODEQ },
		{ "&=", T_ANDEQ }, { "|=", T_OREQ }, { "^=", T_XOREQ },
	};
	int c = bt_peek_char(lx);
	const char *s = lx->p;

	mark(lx);
	if (!c)
		return lx->tok = T_EOF;
	if (isdigit(c)) {
		uint64_t v = 0;
		int base = 10;

		if (c == '0' && lx->p + 1 < lx->end &&
		    (lx->p[1] == 'x' || lx->p[1] == 'X')) {
			base = 16;
			lx->p += 2;
		}
		while (lx->p < lx->end &&
		       (hexval((unsigned char)*lx->p) >= 0 || *lx->p == '_')) {
			int d = hexval((unsigned char)*lx->p);

			if (*lx->p == '_') {
				lx->p++;
				continue;
			}
			if (d >= base)
				break;
			if (v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base)
				bt_fail(lx, lx->line, lx->col,
					"integer too large");
			v = v * (uint64_t)base + (uint64_t)d;
			lx->p++;
		}
		if (lx->p < lx->end && is_ident((unsigned char)*lx->p))
			bt_fail(lx, lx->line, lx->col,
				"integer suffixes and exponents (%.*s...) are "
				"not supported", (int)(lx->p - s + 1), s);
		lx->ival = (int64_t)v;
		return lx->tok = T_INT;
	}
	if (c == '"') {
		lex_string(lx);
		return lx->tok = T_STR;
	}
	if (c == '$' || c == '@' || is_ident(c)) {
		int tok = c == '$' ? T_VAR : c == '@' ? T_MAP : T_IDENT;

		lx->p++;
		while (lx->p < lx->end && is_ident((unsigned char)*lx->p))
			lx->p++;
		if (tok == T_VAR && lx->p - s == 1)
			bt_fail(lx, lx->line, lx->col,
				"'$' without a variable name");
		set_text(lx, s, (size_t)(lx->p - s));
		return lx->tok = tok;
	}
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		size_t n = strlen(ops[i].s);

		if ((size_t)(lx->end - lx->p) >= n &&
		    !memcmp(lx->p, ops[i].s, n)) {
			lx->p += n;
			return lx->tok = ops[i].tok;
		}
	}
	if (strchr("{}()[],;/?:.=<>!+-*%&|^~", c)) {
		lx->p++;
		return lx->tok = c;
	}
	if (c == '#')
		bt_fail(lx, lx->line, lx->col,
			"preprocessor directives (#include, #define) are not "
			"supported");
	bt_fail(lx, lx->line, lx->col, "unexpected character '%c'",
		isprint(c) ? c : '?');
}
