/* SPDX-License-Identifier: MIT */
/*
 * The filter of a user event (events/user_events/NAME/filter): Linux's
 * grammar, errors and matching (kernel/trace/trace_events_filter.c; the
 * facts only, the code is limen's own).
 *
 *	filter := pred | filter "&&" filter | filter "||" filter
 *		  | "!" filter | "(" filter ")"
 *	pred   := FIELD [".ustring" | ".function"] OP VALUE
 *	OP     := "==" "!=" "<" "<=" ">" ">=" "&" (numbers),
 *		  "==" "!=" "~" (strings, quoted; "~" a glob)
 *
 * The kernel checks the string in two passes: calc_stack (quotes and
 * parentheses, counting predicates), then predicate_parse, which builds a
 * branch program. Here the same passes check the string (positions and
 * error codes are the kernel's, to the byte, as the filter file shows
 * them) and, given an event, evaluate it: the predicates' values go into
 * one small state per parenthesis level (what is ORed so far, the AND
 * term under way), so that a hostile string costs a bounded stack and no
 * recursion: the depth is bounded by the string's length (below
 * LIMEN_UEVF_MAX), one byte a level.
 *
 * Every byte of the string is read through ch(), which answers 0 past its
 * end: the string lives in the session, where a scribbler may change it
 * while it is read, and is never taken to end with a NUL.
 */
#include <errno.h>
#include <stdint.h>

#include "uevent_filter.h"

/* the kernel's err_text, by its FILT_ERR_ codes */
enum {
	E_NONE, E_INVALID_OP, E_TOO_MANY_OPEN, E_TOO_MANY_CLOSE,
	E_MISSING_QUOTE, E_MISSING_BRACE_OPEN, E_MISSING_BRACE_CLOSE,
	E_OPERAND_TOO_LONG, E_EXPECT_STRING, E_EXPECT_DIGIT,
	E_ILLEGAL_FIELD_OP, E_FIELD_NOT_FOUND, E_ILLEGAL_INTVAL,
	E_BAD_SUBSYS_FILTER, E_TOO_MANY_PREDS, E_INVALID_FILTER,
	E_INVALID_CPULIST, E_IP_FIELD_ONLY, E_INVALID_VALUE, E_NO_FUNCTION,
	E_ERRNO, E_NO_FILTER, E_COUNT
};

static const char *const err_text[E_COUNT] = {
	"No error", "Invalid operator", "Too many '('", "Too few '('",
	"Missing matching quote", "Missing '{'", "Missing '}'",
	"Operand too long", "Expecting string field",
	"Expecting numeric field", "Illegal operation for field type",
	"Field not found", "Illegal integer value",
	"Couldn't find or set field in one of a subsystem's events",
	"Too many terms in predicate expression",
	"Meaningless filter expression", "Invalid cpulist",
	"Only 'ip' field is supported for function trace",
	"Invalid value (did you forget quotes)?", "Function not found",
	"Error", "No filter found",
};

const char *limen_uevf_errtext(int code)
{
	return code > 0 && code < E_COUNT ? err_text[code] : 0;
}

/* the ops in the kernel's order of trial ("<=" before "<") */
enum { OP_GLOB, OP_NE, OP_EQ, OP_LE, OP_LT, OP_GE, OP_GT, OP_BAND, OP_MAX };
static const char *const ops[OP_MAX] = { "~", "!=", "==", "<=", "<",
					 ">=", ">", "&" };

#define MAX_STR_VAL 256 /* the kernel's MAX_FILTER_STR_VAL */
#define NUM_BUF 24
#define NAME_MAX_ 512 /* a field's name is shorter (LIMEN_UEVENT_ARGS) */
#define LEVELS (LIMEN_UEVF_MAX / 2 + 2) /* '(' need a ')' each */

/* per level: the kernel's op_stack word, and the value so far */
#define L_INVERT 1u
#define L_AND 2u  /* PROCESS_AND pending */
#define L_OR 4u   /* PROCESS_OR pending */
#define L_ACC_OR 8u
#define L_ACC_AND 16u
#define L_TERM 32u /* a predicate since the level began or its last || */

struct scan {
	const char *s;
	uint32_t n;
	const char *args;
	const struct limen_uev_fmt *fmt;
	const struct limen_uevf_ctx *ctx;
	struct limen_uevf_err *pe;
};

static int ch(const struct scan *c, long i)
{
	return i >= 0 && (uint64_t)i < c->n ?
		       (unsigned char)__atomic_load_n(&c->s[i],
						      __ATOMIC_RELAXED) :
		       0;
}

/* the kernel's ctype, Latin-1 included */
static int k_space(int c)
{
	return c == ' ' || (c >= 9 && c <= 13) || c == 0xa0;
}

static int k_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int k_alnum(int c)
{
	return k_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= 0xc0 && c != 0xd7 && c != 0xf7);
}

static void perr(const struct scan *c, int err, long pos)
{
	c->pe->lasterr = err;
	c->pe->pos = (int)pos;
}

/* ---- fields ---- */

enum { F_NUM, F_STATIC, F_DYN, F_RDYN, F_COMM, F_CPU };

struct fld {
	int kind;
	uint32_t off, size; /* in the entry: 8 bytes of common fields first */
	int is_signed;
};

static int eq(const char *a, uint32_t an, const char *b)
{
	uint32_t i = 0;

	while (i < an && b[i] && a[i] == b[i])
		i++;
	return i == an && !b[i];
}

/* w in the type words of field f (the kernel's strstr on the type) */
static int type_has(const struct scan *c, const struct limen_uev_field *f,
		    const char *w)
{
	uint32_t n = (uint32_t)(f->name_off - f->type_off - 1), k = 0;

	while (w[k])
		k++;
	for (uint32_t i = 0; i + k <= n; i++) {
		uint32_t j = 0;

		while (j < k && c->args[f->type_off + i + j] == w[j])
			j++;
		if (j == k)
			return 1;
	}
	return 0;
}

/* The field named by name (len bytes), as trace_find_event_field looks:
   the event's, then the generic ones, then the common ones. 0 if none. */
static int find_field(const struct scan *c, const char *name, uint32_t len,
		      struct fld *fl)
{
	static const struct {
		const char *n;
		uint8_t kind, off, size, sign;
	} other[] = {
		{ "CPU", F_CPU, 0, 4, 1 }, { "cpu", F_CPU, 0, 4, 1 },
		{ "common_cpu", F_CPU, 0, 4, 1 },
		{ "COMM", F_COMM, 0, 8, 1 }, { "comm", F_COMM, 0, 8, 1 },
		{ "common_type", F_NUM, 0, 2, 0 },
		{ "common_flags", F_NUM, 2, 1, 0 },
		{ "common_preempt_count", F_NUM, 3, 1, 0 },
		{ "common_pid", F_NUM, 4, 4, 1 },
	};

	for (uint32_t i = 0; i < c->fmt->nfields && i < LIMEN_UEV_FIELDS; i++) {
		const struct limen_uev_field *f = &c->fmt->f[i];

		if (f->name_len != len)
			continue;
		uint32_t k = 0;

		while (k < len && c->args[f->name_off + k] == name[k])
			k++;
		if (k != len)
			continue;
		fl->off = 8u + f->off;
		fl->size = f->size;
		/* user_event_add_field: signed unless the type starts
		   with 'u'; filter_assign_type on the type's text */
		fl->is_signed = c->args[f->type_off] != 'u';
		fl->kind = F_NUM;
		if (type_has(c, f, "__data_loc") && type_has(c, f, "char"))
			fl->kind = F_DYN;
		else if (type_has(c, f, "__rel_loc") && type_has(c, f, "char"))
			fl->kind = F_RDYN;
		else if (type_has(c, f, "[") && type_has(c, f, "char"))
			fl->kind = F_STATIC;
		return 1;
	}
	for (uint32_t i = 0; i < sizeof(other) / sizeof(other[0]); i++)
		if (eq(name, len, other[i].n)) {
			fl->kind = other[i].kind;
			fl->off = other[i].off;
			fl->size = other[i].size;
			fl->is_signed = other[i].sign;
			return 1;
		}
	return 0;
}

static int is_string(const struct fld *f)
{
	return f->kind == F_STATIC || f->kind == F_DYN || f->kind == F_RDYN ||
	       f->kind == F_COMM;
}

/* byte k of the entry (8 bytes of common fields, then the payload); 0
   past its end */
static uint8_t ent(const struct limen_uevf_ctx *x, uint64_t k)
{
	uint8_t h[8];

	if (k < 8) {
		h[0] = (uint8_t)x->type;
		h[1] = (uint8_t)(x->type >> 8);
		h[2] = h[3] = 0; /* flags, preempt_count: "....." */
		for (int i = 0; i < 4; i++)
			h[4 + i] = (uint8_t)((uint32_t)x->pid >> (8 * i));
		return h[k];
	}
	return k - 8 < x->len ? x->p[k - 8] : 0;
}

static uint64_t ent_val(const struct limen_uevf_ctx *x, uint32_t off,
			uint32_t size)
{
	uint64_t v = 0;

	for (uint32_t i = 0; i < size && i < 8; i++)
		v |= (uint64_t)ent(x, (uint64_t)off + i) << (8 * i);
	return v;
}

/* ---- numbers: kstrtoull / kstrtoll with base 0 ---- */

static int k_strtoull(const char *s, uint64_t *res)
{
	unsigned base = 10, any = 0;
	uint64_t v = 0;

	if (*s == '+')
		s++;
	if (s[0] == '0') {
		int x = s[1] | 0x20;

		if (x == 'x' && (k_digit(s[2]) || ((s[2] | 0x20) >= 'a' &&
						   (s[2] | 0x20) <= 'f'))) {
			base = 16;
			s += 2;
		} else {
			base = 8;
		}
	}
	for (;; s++, any = 1) {
		unsigned lc = (unsigned char)*s | 0x20, d;

		if (k_digit(*s))
			d = (unsigned)(*s - '0');
		else if (lc >= 'a' && lc <= 'f')
			d = lc - 'a' + 10;
		else
			break;
		if (d >= base)
			break;
		if (v > (UINT64_MAX - d) / base)
			return -ERANGE;
		v = v * base + d;
	}
	if (!any)
		return -EINVAL;
	if (*s == '\n')
		s++;
	if (*s)
		return -EINVAL;
	*res = v;
	return 0;
}

static int k_strtoll(const char *s, uint64_t *res)
{
	uint64_t t;
	int r;

	if (s[0] == '-') {
		r = k_strtoull(s + 1, &t);
		if (r)
			return r;
		if (t > (uint64_t)INT64_MAX + 1)
			return -ERANGE;
		*res = (uint64_t)0 - t;
		return 0;
	}
	r = k_strtoull(s, &t);
	if (r)
		return r;
	if ((int64_t)t < 0)
		return -ERANGE;
	*res = t;
	return 0;
}

/* ---- string matching: the kernel's regex_match_* and glob_match ---- */

enum { M_FULL, M_FRONT, M_MIDDLE, M_END, M_GLOB };

struct str {
	const uint8_t *b; /* the bytes there are; past avail, NULs */
	uint32_t avail;
};

static uint8_t sb(const struct str *s, uint64_t k)
{
	return k < s->avail ? s->b[k] : 0;
}

/* strncmp(str, pat, len) == 0; len < 0: no bound */
static int s_ncmp0(const struct str *s, const char *pat, long len)
{
	for (long i = 0; len < 0 || i < len; i++) {
		uint8_t a = sb(s, (uint64_t)i), b = (uint8_t)pat[i];

		if (a != b)
			return 0;
		if (!a)
			return 1;
	}
	return 1;
}

static int glob(const char *pat, const struct str *s)
{
	long p = 0, i = 0, bp = -1, bs = 0;

	for (;;) {
		uint8_t c = sb(s, (uint64_t)i++), d = (uint8_t)pat[p++];

		switch (d) {
		case '?':
			if (!c)
				return 0;
			continue;
		case '*':
			if (!pat[p])
				return 1;
			bp = p;
			bs = --i;
			continue;
		case '[': {
			int match = 0, inv = pat[p] == '!';
			long k = p + inv;
			uint8_t a, b;

			if (!c)
				return 0;
			a = (uint8_t)pat[k++];
			do {
				b = a;
				if (!a)
					goto literal;
				if (pat[k] == '-' && pat[k + 1] != ']') {
					b = (uint8_t)pat[k + 1];
					if (!b)
						goto literal;
					k += 2;
				}
				match |= a <= c && c <= b;
			} while ((a = (uint8_t)pat[k++]) != ']');
			if (match == inv)
				goto backtrack;
			p = k;
			continue;
		}
		case '\\':
			d = (uint8_t)pat[p++];
			/* a "\" at the end: the NUL after it, literally */
			if (!d)
				p--;
			break;
		default:
			break;
		}
literal:
		if (c == d) {
			if (!d)
				return 1;
			continue;
		}
backtrack:
		if (!c || bp < 0)
			return 0;
		p = bp;
		i = ++bs;
	}
}

/* r->match(str, r, len) for the pattern pat (plen bytes) of type t */
static int regex_match(int t, const char *pat, uint32_t plen,
		       const struct str *s, long len)
{
	switch (t) {
	case M_FULL:
		return s_ncmp0(s, pat, len ? len : -1);
	case M_FRONT:
		if (len && len < (long)plen)
			return 0;
		return s_ncmp0(s, pat, plen);
	case M_MIDDLE:
		/* strnstr(str, pat, len) (strstr when len is 0) */
		for (long i = 0; len ? len - i >= (long)plen : 1; i++) {
			uint32_t k = 0;

			while (k < plen && sb(s, (uint64_t)i + k) == (uint8_t)pat[k])
				k++;
			if (k == plen)
				return 1;
			if (!len && !sb(s, (uint64_t)i))
				return 0;
		}
		return 0;
	case M_END: {
		long sl = len - 1;

		if (sl < (long)plen)
			return 0;
		for (uint32_t k = 0; k < plen; k++)
			if (sb(s, (uint64_t)(sl - (long)plen + k)) != (uint8_t)pat[k])
				return 0;
		return 1;
	}
	}
	return glob(pat, s);
}

/* filter_parse_regex of the glob pat (in place): its type, the pattern
   from *from, *not for a leading '!' */
static int parse_regex(char *pat, uint32_t len, uint32_t *from, int *not)
{
	int t = M_FULL;
	char *b = pat;

	*not = 0;
	if (b[0] == '!') {
		*not = 1;
		b++;
		len--;
	}
	*from = (uint32_t)(b - pat);
	if (k_digit((unsigned char)b[0]))
		return M_FULL; /* MATCH_INDEX: matched as a full string */
	for (uint32_t i = 0; i < len; i++) {
		if (b[i] == '*') {
			if (!i) {
				t = M_END;
			} else if (i == len - 1) {
				t = t == M_END ? M_MIDDLE : M_FRONT;
				b[i] = 0;
				break;
			} else {
				return M_GLOB;
			}
		} else if (b[i] == '[' || b[i] == '?' || b[i] == '\\') {
			return M_GLOB;
		}
	}
	if (b[0] == '*')
		*from += 1;
	return t;
}

/* ---- a predicate ---- */

static uint64_t as_type(uint64_t v, uint32_t size, int sign)
{
	switch (size) {
	case 1: return sign ? (uint64_t)(int64_t)(int8_t)v : (uint8_t)v;
	case 2: return sign ? (uint64_t)(int64_t)(int16_t)v : (uint16_t)v;
	case 4: return sign ? (uint64_t)(int64_t)(int32_t)v : (uint32_t)v;
	}
	return v;
}

static int cmp_num(int op, uint64_t a, uint64_t b, int sign)
{
	int lt = sign ? (int64_t)a < (int64_t)b : a < b;

	switch (op) {
	case OP_LT: return lt;
	case OP_LE: return lt || a == b;
	case OP_GT: return !lt && a != b;
	case OP_GE: return !lt;
	case OP_BAND: return !!(a & b);
	}
	return 0;
}

/* The string a string predicate looks at, and its len argument. */
static long str_of(const struct scan *c, const struct fld *f,
		   struct str *s)
{
	const struct limen_uevf_ctx *x = c->ctx;
	uint32_t loc, off, n;

	switch (f->kind) {
	case F_COMM:
		s->b = (const uint8_t *)x->comm;
		s->avail = 16;
		return 16; /* TASK_COMM_LEN */
	case F_STATIC:
		off = f->off;
		n = f->size;
		break;
	default:
		loc = (uint32_t)ent_val(x, f->off, 4);
		off = loc & 0xffff;
		n = loc >> 16;
		if (f->kind == F_RDYN)
			off += f->off + 4;
		break;
	}
	/* a string outside the payload (the write's checks keep it in):
	   nothing to match */
	if (off < 8 || (uint64_t)off - 8 > x->len) {
		s->b = (const uint8_t *)"";
		s->avail = 0;
		return n;
	}
	/* the bytes after it too: glob_match reads a char[N] that has
	   no NUL in its N bytes on into the next fields, as the kernel */
	s->b = x->p + (off - 8);
	s->avail = x->len - (off - 8);
	return n;
}

/* The length of the literal w if the string has it at i, else 0. */
static long lit(const struct scan *c, long i, const char *w)
{
	long k = 0;

	while (w[k] && ch(c, i + k) == w[k])
		k++;
	return w[k] ? 0 : k;
}

/* The operand [s, i) into buf, NUL-terminated: too long from lim on
   (the error at pos + i, as the kernel places it). 0 or -EINVAL. */
static long operand(const struct scan *c, long s, long i, char *buf,
		    long lim, long pos)
{
	if (i - s >= lim) {
		perr(c, E_OPERAND_TOO_LONG, pos);
		return -EINVAL;
	}
	for (long k = 0; k < i - s; k++)
		buf[k] = (char)ch(c, s + k);
	buf[i - s] = 0;
	return 0;
}

/*
 * parse_pred: the predicate at str (pos: where the kernel says it is, one
 * past its start), its length, or what the kernel returns (-1 with no
 * error when there is no field name). *v: its value, with an event.
 */
static long parse_pred(const struct scan *c, long at, long pos, int *v)
{
	char name[NAME_MAX_], val[MAX_STR_VAL + 1], num[NUM_BUF];
	long i = 0, s, len;
	int op, function = 0, not = 0;
	struct fld f;
	uint64_t x;

#define C(k) ch(c, at + (k))
	while (k_space(C(i)))
		i++;
	s = i;
	while (k_alnum(C(i)) || C(i) == '_')
		i++;
	len = i - s;
	if (!len)
		return -1;
	if (len >= (long)sizeof(name)) { /* longer than any field's */
		perr(c, E_FIELD_NOT_FOUND, pos + i);
		return -EINVAL;
	}
	for (long k = 0; k < len; k++)
		name[k] = (char)C(s + k);
	if (!find_field(c, name, (uint32_t)len, &f)) {
		perr(c, E_FIELD_NOT_FOUND, pos + i);
		return -EINVAL;
	}
	i += lit(c, at + i, ".ustring");
	if (lit(c, at + i, ".function")) {
		i += sizeof(".function") - 1;
		function = 1;
	}
	while (k_space(C(i)))
		i++;
	for (op = 0; op < OP_MAX; op++)
		if (lit(c, at + i, ops[op]))
			break;
	if (op == OP_MAX) {
		perr(c, E_INVALID_OP, pos + i);
		return -EINVAL;
	}
	i += op == OP_GLOB || op == OP_LT || op == OP_GT || op == OP_BAND ?
		     1 : 2;
	while (k_space(C(i)))
		i++;
	s = i;
	if (function) {
		/* a kernel function's address range: no user address is one */
		if (f.size != 8 || f.kind != F_NUM) {
			perr(c, E_ILLEGAL_FIELD_OP, pos + i);
			return -EINVAL;
		}
		if (op != OP_EQ && op != OP_NE) {
			perr(c, E_INVALID_OP, pos + i);
			return -EINVAL;
		}
		if (k_digit(C(i))) {
			while (k_alnum(C(i)))
				i++;
			if (operand(c, at + s, at + i, num, NUM_BUF, pos + i))
				return -EINVAL;
			if (k_strtoull(num, &x)) {
				perr(c, E_INVALID_VALUE, pos + i);
				return -EINVAL;
			}
		} else {
			while (C(i) && !k_space(C(i)))
				i++;
		}
		perr(c, E_NO_FUNCTION, pos + i);
		return -EINVAL;
	}
	if (C(i) == '\'' || C(i) == '"') {
		int q = C(i), t;
		uint32_t from;

		switch (op) {
		case OP_NE:
			not = 1;
			/* fall through */
		case OP_GLOB:
		case OP_EQ:
			break;
		default:
			perr(c, E_ILLEGAL_FIELD_OP, pos + i);
			return -EINVAL;
		}
		if (!is_string(&f)) {
			perr(c, E_EXPECT_DIGIT, pos + i);
			return -EINVAL;
		}
		for (i++; C(i); i++)
			if (C(i) == q)
				break;
		if (!C(i)) {
			perr(c, E_MISSING_QUOTE, pos + i);
			return -EINVAL;
		}
		s++;
		if (operand(c, at + s, at + i, val, MAX_STR_VAL, pos + i))
			return -EINVAL;
		from = 0;
		t = M_FULL;
		if (op == OP_GLOB)
			t = parse_regex(val, (uint32_t)(i - s), &from, &not);
		i++;
		if (c->ctx) {
			struct str st;
			long l = str_of(c, &f, &st);
			uint32_t pl = 0;

			while (val[from + pl])
				pl++;
			*v = regex_match(t, val + from, pl, &st, l) ^ not;
		}
		return i;
	}
	if (k_digit(C(i)) || C(i) == '-') {
		if (is_string(&f)) {
			perr(c, E_EXPECT_STRING, pos + i);
			return -EINVAL;
		}
		if (op == OP_GLOB) {
			perr(c, E_ILLEGAL_FIELD_OP, pos + i);
			return -EINVAL;
		}
		if (C(i) == '-')
			i++;
		while (k_alnum(C(i)))
			i++;
		if (operand(c, at + s, at + i, num, NUM_BUF, pos + i))
			return -EINVAL;
		if (f.is_signed ? k_strtoll(num, &x) : k_strtoull(num, &x)) {
			perr(c, E_ILLEGAL_INTVAL, pos + s);
			return -EINVAL;
		}
		if (!c->ctx)
			return i;
		if (f.kind == F_CPU) {
			int32_t cpu = c->ctx->cpu, want = (int32_t)x;

			switch (op) {
			case OP_EQ: *v = cpu == want; break;
			case OP_NE: *v = cpu != want; break;
			case OP_LT: *v = cpu < want; break;
			case OP_LE: *v = cpu <= want; break;
			case OP_GT: *v = cpu > want; break;
			case OP_GE: *v = cpu >= want; break;
			default: *v = 0;
			}
			return i;
		}
		if (f.size != 1 && f.size != 2 && f.size != 4 && f.size != 8) {
			*v = 0; /* no comparison for the size: FILTER_PRED_FN_NOP */
			return i;
		}
		{
			uint64_t a = as_type(ent_val(c->ctx, f.off, f.size), f.size,
					   f.is_signed);
			uint64_t b = as_type(x, f.size, f.is_signed);

			if (op == OP_EQ || op == OP_NE)
				*v = (a == b) ^ (op == OP_NE);
			else
				*v = cmp_num(op, a, b, f.is_signed);
		}
		return i;
	}
	/* CPUS{list} (a cpumask) is not taken here: see the README */
	perr(c, E_INVALID_VALUE, pos + i);
	return -EINVAL;
#undef C
}

/* ---- the two passes ---- */

/* calc_stack: 0, or -1 (too many ')'), -2 (too many '('), -3 (a quote
   not closed) with *err its position */
static int calc_stack(const struct scan *c, long *parens, long *preds,
		      long *err)
{
	int is_pred = 0, quote = 0;
	long nr = 0, open = 1, max_open = 1, last_quote = 0, i;

	*err = 0;
	for (i = 0; ch(c, i); i++) {
		int x = ch(c, i);

		if (k_space(x))
			continue;
		if (quote) {
			if (x == quote)
				quote = 0;
			continue;
		}
		switch (x) {
		case '\'':
		case '"':
			quote = x;
			last_quote = i;
			break;
		case '|':
		case '&':
			if (ch(c, i + 1) != x)
				break;
			is_pred = 0;
			continue;
		case '(':
			is_pred = 0;
			if (++open > max_open)
				max_open = open;
			continue;
		case ')':
			is_pred = 0;
			if (open == 1) {
				*err = i;
				return -1;
			}
			open--;
			continue;
		}
		if (!is_pred) {
			nr++;
			is_pred = 1;
		}
	}
	if (quote) {
		*err = last_quote;
		return -3;
	}
	if (open != 1) {
		long level = open;

		for (i--; i > 0; i--) {
			int x = ch(c, i);

			if (quote) {
				if (x == quote)
					quote = 0;
				continue;
			}
			switch (x) {
			case '(':
				if (level == open) {
					*err = i;
					return -2;
				}
				level--;
				break;
			case ')':
				level++;
				break;
			case '\'':
			case '"':
				quote = x;
				break;
			}
		}
		*err = 0;
		return -2;
	}
	*parens = max_open;
	*preds = nr;
	return 0;
}

/* a level's value: what is ORed, and the AND term if it has begun */
static int level_value(uint8_t l)
{
	return (l & L_ACC_OR) || ((l & L_TERM) && (l & L_ACC_AND));
}

static void level_take(uint8_t *l, int v)
{
	if (!v)
		*l &= (uint8_t)~L_ACC_AND;
	*l |= L_TERM;
}

int limen_uevf_run(const char *str, uint32_t n, const char *args,
		   const struct limen_uev_fmt *fmt,
		   const struct limen_uevf_ctx *ctx, int *match,
		   struct limen_uevf_err *pe)
{
	struct scan c = { str, n, args, fmt, ctx, pe };
	uint8_t lv[LEVELS];
	long parens, preds, at, ptr = 0, top = 0, N = 0, r;
	int invert = 0, ret = -ENOMEM;

	pe->lasterr = 0;
	pe->pos = 0;
	if (match)
		*match = 1;
	if (n >= LIMEN_UEVF_MAX)
		return -EINVAL;
	r = calc_stack(&c, &parens, &preds, &at);
	if (r < 0) {
		perr(&c, r == -3 ? E_MISSING_QUOTE :
			 r == -2 ? E_TOO_MANY_OPEN : E_TOO_MANY_CLOSE, at);
		return r == -3 ? -ESRCH : r == -2 ? -ENOENT : -EPERM;
	}
	if (!preds)
		return -EINVAL;
	if (parens + 1 >= (long)LEVELS)
		return -ENOMEM; /* not reached: the length bounds the depth */
	preds += 2; /* the kernel's TRUE and FALSE */
	lv[0] = L_ACC_AND;
	while (ch(&c, ptr)) {
		long next = ptr++;
		int x = ch(&c, next), v = 1;

		if (k_space(x))
			continue;
		if (x == '(') {
			if (top > parens)
				return -EINVAL;
			lv[++top] = (uint8_t)(invert | L_ACC_AND);
			continue;
		}
		if (x == '!' && ch(&c, next + 1) != '=' &&
		    ch(&c, next + 1) != '~') {
			invert = !invert;
			continue;
		}
		if (N >= preds) {
			perr(&c, E_TOO_MANY_PREDS, next);
			goto fail;
		}
		r = parse_pred(&c, next, ptr, &v);
		if (r < 0) {
			ret = (int)r;
			goto fail;
		}
		/* the '!'s since the level began */
		level_take(&lv[top], v ^ invert ^ (lv[top] & L_INVERT));
		ptr = next + r;
		N++;
		ret = -1;
		for (;;) {
			next = ptr++;
			x = ch(&c, next);
			if (k_space(x))
				continue;
			if (x == '&' || x == '|') {
				if (ch(&c, next + 1) != x) {
					perr(&c, E_TOO_MANY_PREDS, next);
					goto fail;
				}
				ptr++;
			} else if (x != ')' && x) {
				perr(&c, E_TOO_MANY_PREDS, next);
				goto fail;
			}
			invert = lv[top] & L_INVERT;
			lv[top] &= (uint8_t)~L_AND;
			if (x == '&') {
				lv[top] |= L_AND;
				break;
			}
			if (lv[top] & L_OR) {
				lv[top] &= (uint8_t)~L_OR;
			}
			if (x == '|') {
				if (level_value(lv[top]))
					lv[top] |= L_ACC_OR;
				lv[top] = (uint8_t)((lv[top] & ~L_TERM) |
						    L_ACC_AND | L_OR);
				break;
			}
			if (!x)
				goto out;
			if (top == 0) {
				perr(&c, E_TOO_MANY_CLOSE, ptr);
				goto fail;
			}
			v = level_value(lv[top]) ^
			    ((lv[top] ^ lv[top - 1]) & L_INVERT);
			top--;
			level_take(&lv[top], v);
		}
	}
out:
	if (top) {
		perr(&c, E_TOO_MANY_OPEN, ptr);
		goto fail;
	}
	if (!N) {
		perr(&c, E_NO_FILTER, ptr);
		return -EINVAL;
	}
	/* An "||" still to link when the string ends on "&&" leaves the
	   kernel's program a backward branch: it refuses the filter (its
	   WARN_ON in predicate_parse's third pass), with no error text. */
	if ((lv[0] & L_AND) && (lv[0] & L_OR)) {
		pe->lasterr = 0;
		pe->pos = 0;
		return -EINVAL;
	}
	if (match)
		*match = level_value(lv[0]);
	return 0;
fail:
	return ret == -1 ? -EPERM : ret;
}
