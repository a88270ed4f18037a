/* SPDX-License-Identifier: MIT */
/*
 * limen trace's filters and fault injection: the options (-e status=, -z,
 * -Z, -P, -e signal=, --filter, -e inject=, -e fault=) parsed here and
 * compiled into the program the runtime runs on each call
 * (session/filter_abi.h, runtime/filter.c).
 *
 * The --filter language ("limen filter expressions", README "Filters"):
 *   expr    := and ( "||" and )*
 *   and     := unary ( "&&" unary )*
 *   unary   := "!" unary | "(" expr ")" | cmp
 *   cmp     := operand [ ("==" | "!=" | "<" | "<=" | ">" | ">=" | "&"
 *                         | "~" | "!~") operand ]
 *   operand := NAME | NUMBER | "-" NUMBER | STRING | CONST ( "|" CONST )*
 * NAME: an argument as tables/syscalls.tbl names it for the call (fd,
 * filename, flags, count...), "ret" (the return value: decided at exit),
 * "path" (any path argument). CONST: a constant limen's decoder prints
 * (O_CREAT, AT_FDCWD, PROT_EXEC...). STRING compares with ==, != (whole
 * string) and ~, !~ (a glob: * ? [...]). Comparisons are signed 64-bit;
 * a comparison that names an argument the call does not have is false.
 *
 * Each call gets its own program (a name is a different register in each
 * call); identical programs are stored once.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include "cli/filter_compile.h"
#include "decode/decode.h"
#include "systab.h"
#include "decode/oom.h"

#define MAX_DEPTH 64
#define MAX_SRC 4096

enum nkind { N_OR, N_AND, N_NOT, N_CMP };
enum okind { O_NONE, O_NAME, O_NUM, O_STR, O_ARG, O_TASK };
enum cmpop { C_TRUTH, C_EQ, C_NE, C_LT, C_LE, C_GT, C_GE, C_BAND, C_GLOB,
	     C_NGLOB };

struct operand {
	int kind;        /* enum okind */
	char *name;      /* O_NAME */
	int64_t num;     /* O_NUM */
	char *str;       /* O_STR */
	size_t len;
	int argi, width; /* O_ARG: args[argi] read as enum limen_farg;
			    O_TASK: 0 pid, 1 tid (limen bt) */
};

struct limen_fexpr {
	int kind;        /* enum nkind */
	struct limen_fexpr *l, *r;
	int op;          /* N_CMP: enum cmpop */
	struct operand a, b;
};

/* ---- the expression parser ---- */

struct parser {
	const char *s;
	char *err;
	size_t n;
	int depth;
	int failed;
};

static void perr(struct parser *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void perr(struct parser *p, const char *fmt, ...)
{
	va_list ap;

	if (p->failed)
		return;
	p->failed = 1;
	va_start(ap, fmt);
	vsnprintf(p->err, p->n, fmt, ap);
	va_end(ap);
}

static void skip_ws(struct parser *p)
{
	while (isspace((unsigned char)*p->s))
		p->s++;
}

static int accept(struct parser *p, const char *tok)
{
	size_t k = strlen(tok);

	skip_ws(p);
	if (strncmp(p->s, tok, k))
		return 0;
	p->s += k;
	return 1;
}

/* A constant decoders print (O_CREAT): its value */
static int const_value(const char *name, int64_t *v)
{
	for (unsigned i = 0; i < LIMEN_NXLAT; i++) {
		const struct limen_xlat *x = &limen_xlats[i];
		const struct limen_xlat_item *it = limen_xlat_items_of(x);

		for (unsigned k = 0; k < x->n; k++)
			if (!strcmp(limen_str(it[k].name), name)) {
				*v = (int64_t)it[k].val;
				return 1;
			}
	}
	if (!strcmp(name, "AT_FDCWD")) {
		*v = -100;
		return 1;
	}
	if (!strcmp(name, "NULL")) {
		*v = 0;
		return 1;
	}
	return 0;
}

/* An argument of some system call, or one of the names every call has */
static int known_name(const char *name)
{
	if (!strcmp(name, "ret") || !strcmp(name, "path"))
		return 1;
	for (unsigned nr = 0; nr < LIMEN_NSYSENT; nr++) {
		const struct limen_sysent *se = &limen_sysent[nr];

		for (unsigned i = 0; se->name && i < se->nargs && i < 6; i++)
			if (!strcmp(limen_str(se->args[i].name), name))
				return 1;
	}
	return 0;
}

static int parse_atom(struct parser *p, struct operand *o)
{
	skip_ws(p);
	if (*p->s == '"') {
		size_t cap = 16, n = 0;
		char *buf = malloc(cap);

		p->s++;
		while (*p->s && *p->s != '"') {
			char c = *p->s++;

			if (c == '\\') {
				if (!*p->s)
					break;
				c = *p->s++;
			}
			if (n + 2 > cap)
				buf = realloc(buf, cap *= 2);
			buf[n++] = c;
		}
		buf[n] = 0;
		if (*p->s != '"') {
			free(buf);
			perr(p, "unterminated string");
			return -1;
		}
		p->s++;
		o->kind = O_STR;
		o->str = buf;
		o->len = n;
		return 0;
	}
	if (isdigit((unsigned char)*p->s) || *p->s == '-') {
		char *end;
		int neg = *p->s == '-';
		unsigned long long v;

		if (neg)
			p->s++;
		if (!isdigit((unsigned char)*p->s)) {
			perr(p, "a number expected after '-'");
			return -1;
		}
		errno = 0;
		v = strtoull(p->s, &end, 0);
		if (errno || isalnum((unsigned char)*end) || *end == '_') {
			perr(p, "invalid number '%.*s'",
			     (int)strcspn(p->s, " \t)&|=!<>~"), p->s);
			return -1;
		}
		p->s = end;
		o->kind = O_NUM;
		o->num = neg ? -(int64_t)v : (int64_t)v;
		return 0;
	}
	if (isalpha((unsigned char)*p->s) || *p->s == '_') {
		const char *b = p->s;
		char name[64];
		size_t k;

		while (isalnum((unsigned char)*p->s) || *p->s == '_')
			p->s++;
		k = (size_t)(p->s - b);
		if (k >= sizeof(name)) {
			perr(p, "name too long '%.*s'", (int)k, b);
			return -1;
		}
		memcpy(name, b, k);
		name[k] = 0;
		if (const_value(name, &o->num)) {
			o->kind = O_NUM;
			return 0;
		}
		if (!known_name(name)) {
			perr(p, "unknown name '%s' (not an argument name of "
				"any system call, ret, path, or a constant)",
			     name);
			return -1;
		}
		o->kind = O_NAME;
		o->name = strdup(name);
		return 0;
	}
	if (!*p->s)
		perr(p, "unexpected end of expression");
	else
		perr(p, "unexpected '%c'", *p->s);
	return -1;
}

/* CONST | CONST | ...: one number */
static int parse_operand(struct parser *p, struct operand *o)
{
	if (parse_atom(p, o) < 0)
		return -1;
	skip_ws(p);
	while (p->s[0] == '|' && p->s[1] != '|') {
		struct operand x = { 0 };

		p->s++;
		if (parse_atom(p, &x) < 0)
			return -1;
		if (o->kind != O_NUM || x.kind != O_NUM) {
			free(x.name);
			free(x.str);
			perr(p, "'|' combines constants and numbers only");
			return -1;
		}
		o->num |= x.num;
		skip_ws(p);
	}
	return 0;
}

static struct limen_fexpr *parse_or(struct parser *p);

static struct limen_fexpr *node(int kind)
{
	struct limen_fexpr *e = calloc(1, sizeof(*e));

	if (!e)
		limen_out_of_memory();
	e->kind = kind;
	return e;
}

static struct limen_fexpr *parse_cmp(struct parser *p)
{
	static const struct {
		const char *tok;
		int op;
	} ops[] = {
		{ "==", C_EQ }, { "!=", C_NE }, { "!~", C_NGLOB },
		{ "<=", C_LE }, { ">=", C_GE }, { "<", C_LT }, { ">", C_GT },
		{ "~", C_GLOB },
	};
	struct limen_fexpr *e = node(N_CMP);

	if (parse_operand(p, &e->a) < 0)
		return e;
	skip_ws(p);
	e->op = C_TRUTH;
	if (p->s[0] == '&' && p->s[1] != '&') {
		p->s++;
		e->op = C_BAND;
	} else {
		for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
			if (accept(p, ops[i].tok)) {
				e->op = ops[i].op;
				break;
			}
	}
	if (e->op == C_TRUTH) {
		if (e->a.kind == O_STR)
			perr(p, "a string alone is not a condition");
		return e;
	}
	if (parse_operand(p, &e->b) < 0)
		return e;
	/* "x" == name: the name first */
	if (e->a.kind == O_STR && e->b.kind == O_NAME) {
		struct operand t = e->a;

		e->a = e->b;
		e->b = t;
	}
	if ((e->op == C_GLOB || e->op == C_NGLOB) &&
	    (e->a.kind != O_NAME || e->b.kind != O_STR))
		perr(p, "~ and !~ match a name against a \"glob\"");
	else if ((e->b.kind == O_STR && e->a.kind != O_NAME) ||
		 e->a.kind == O_STR)
		perr(p, "a string compares with an argument");
	else if (e->b.kind == O_STR && e->op != C_EQ && e->op != C_NE &&
		 e->op != C_GLOB && e->op != C_NGLOB)
		perr(p, "a string compares with ==, !=, ~ or !~ only");
	else if (e->b.kind == O_STR && strlen(e->b.str) != e->b.len)
		perr(p, "a string with a NUL byte matches no path");
	return e;
}

static struct limen_fexpr *parse_unary(struct parser *p)
{
	struct limen_fexpr *e;

	if (++p->depth > MAX_DEPTH) {
		perr(p, "expression nested too deep");
		return node(N_CMP);
	}
	skip_ws(p);
	if (p->s[0] == '!' && p->s[1] != '=' && p->s[1] != '~') {
		p->s++;
		e = node(N_NOT);
		e->l = parse_unary(p);
	} else if (accept(p, "(")) {
		e = parse_or(p);
		if (!p->failed && !accept(p, ")"))
			perr(p, "')' expected");
	} else {
		e = parse_cmp(p);
	}
	p->depth--;
	return e;
}

static struct limen_fexpr *parse_and(struct parser *p)
{
	struct limen_fexpr *e = parse_unary(p);

	while (!p->failed && accept(p, "&&")) {
		struct limen_fexpr *n = node(N_AND);

		n->l = e;
		n->r = parse_unary(p);
		e = n;
	}
	return e;
}

static struct limen_fexpr *parse_or(struct parser *p)
{
	struct limen_fexpr *e = parse_and(p);

	while (!p->failed && accept(p, "||")) {
		struct limen_fexpr *n = node(N_OR);

		n->l = e;
		n->r = parse_and(p);
		e = n;
	}
	return e;
}

void limen_fexpr_free(struct limen_fexpr *e)
{
	if (!e)
		return;
	limen_fexpr_free(e->l);
	limen_fexpr_free(e->r);
	free(e->a.name);
	free(e->a.str);
	free(e->b.name);
	free(e->b.str);
	free(e);
}

struct limen_fexpr *limen_fexpr_parse(const char *src, char *err, size_t n)
{
	struct parser p = { .s = src, .err = err, .n = n };
	struct limen_fexpr *e;

	if (strlen(src) > MAX_SRC) {
		snprintf(err, n, "expression longer than %d bytes", MAX_SRC);
		return NULL;
	}
	e = parse_or(&p);
	skip_ws(&p);
	if (!p.failed && *p.s)
		perr(&p, "unexpected '%.20s'", p.s);
	if (p.failed) {
		limen_fexpr_free(e);
		return NULL;
	}
	return e;
}

/* ---- the options ---- */

/* -e status=: the statuses (enum limen_fstatus), and that it was given
   (status=none selects nothing, which is not "no filter") */
#define STATUS_ALL 31
#define STATUS_GIVEN 32

struct rule {
	uint8_t set[LIMEN_FILTER_NR / 8];
	struct limen_frule r;
	struct limen_fexpr *when;
};

static struct {
	int status;              /* enum limen_fstatus mask; 0: no filter */
	char **paths;            /* -P, with their resolved forms */
	size_t npaths;
	int signals;             /* -e signal= given */
	uint64_t sigmask;
	struct limen_fexpr **exprs; /* --filter (each must hold) */
	size_t nexprs;
	struct rule rules[LIMEN_FILTER_RULES];
	size_t nrules;
	int no_stable;
	/* limen bt's predicates, per call (limen_filter_sys_expr) */
	struct limen_fexpr *sys[LIMEN_FILTER_NR];
	size_t nsys;
} F;

static int (*set_parser)(const char *set, uint8_t *mask, char *err,
			 size_t n);

void limen_filter_set_parser(int (*fn)(const char *, uint8_t *, char *,
				       size_t))
{
	set_parser = fn;
}

void limen_filter_reset(void)
{
	for (size_t i = 0; i < F.npaths; i++)
		free(F.paths[i]);
	free(F.paths);
	for (size_t i = 0; i < F.nexprs; i++)
		limen_fexpr_free(F.exprs[i]);
	free(F.exprs);
	for (size_t i = 0; i < F.nrules; i++)
		limen_fexpr_free(F.rules[i].when);
	for (size_t i = 0; i < LIMEN_FILTER_NR; i++)
		limen_fexpr_free(F.sys[i]);
	memset(&F, 0, sizeof(F));
}

void limen_filter_stable(int on)
{
	F.no_stable = !on;
}

int limen_filter_status(const char *set, char *err, size_t n)
{
	static const struct {
		const char *name;
		int bit;
	} st[] = {
		{ "successful", LIMEN_FST_SUCCESSFUL },
		{ "failed", LIMEN_FST_FAILED },
		{ "unfinished", LIMEN_FST_UNFINISHED },
		{ "unavailable", LIMEN_FST_UNAVAILABLE },
		{ "detached", LIMEN_FST_DETACHED },
	};
	int neg = *set == '!', mask = 0;
	char *copy = strdup(set + neg), *tok, *save;

	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		size_t i;

		if (!strcmp(tok, "all")) {
			mask |= STATUS_ALL;
			continue;
		}
		if (!strcmp(tok, "none"))
			continue;
		for (i = 0; i < sizeof(st) / sizeof(st[0]); i++)
			if (!strcmp(tok, st[i].name))
				break;
		if (i == sizeof(st) / sizeof(st[0])) {
			snprintf(err, n, "invalid status '%s' (successful, "
				 "failed, unfinished, unavailable, detached, "
				 "all, none)", tok);
			free(copy);
			return -1;
		}
		mask |= st[i].bit;
	}
	free(copy);
	/* strace: -e status= replaces what -z, -Z or an earlier one said */
	F.status = (neg ? ~mask & STATUS_ALL : mask) | STATUS_GIVEN;
	return 0;
}

unsigned limen_filter_status_mask(void)
{
	return F.status & STATUS_GIVEN ? F.status & STATUS_ALL : 0;
}

int limen_filter_path(const char *path, char *err, size_t n)
{
	char *real = realpath(path, NULL);

	if (!*path) {
		snprintf(err, n, "-P: an empty path");
		free(real);
		return -1;
	}
	F.paths = realloc(F.paths, (F.npaths + 2) * sizeof(*F.paths));
	F.paths[F.npaths++] = strdup(path);
	/* strace also matches the resolved path */
	if (real && strcmp(real, path))
		F.paths[F.npaths++] = real;
	else
		free(real);
	return 0;
}

static int signal_number(const char *s)
{
	char b[16];
	char *end;
	long v;

	if (isdigit((unsigned char)*s)) {
		v = strtol(s, &end, 10);
		return *end || v < 1 || v > 64 ? -1 : (int)v;
	}
	if (!strncmp(s, "SIG", 3))
		s += 3;
	for (int sig = 1; sig <= 64; sig++)
		if (!strcmp(limen_signame(sig, b) + 3, s))
			return sig;
	return -1;
}

int limen_filter_signals(const char *set, char *err, size_t n)
{
	int neg = *set == '!';
	uint64_t mask = 0;
	char *copy = strdup(set + neg), *tok, *save;

	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		int sig;

		if (!strcmp(tok, "all")) {
			mask = ~0ull;
			continue;
		}
		if (!strcmp(tok, "none"))
			continue;
		sig = signal_number(tok);
		if (sig < 0) {
			snprintf(err, n, "invalid signal '%s'", tok);
			free(copy);
			return -1;
		}
		mask |= 1ull << (sig - 1);
	}
	free(copy);
	F.signals = 1;
	F.sigmask = neg ? ~mask : mask;
	return 0;
}

int limen_filter_expr(const char *src, char *err, size_t n)
{
	char msg[256];
	struct limen_fexpr *e = limen_fexpr_parse(src, msg, sizeof(msg));

	if (!e) {
		snprintf(err, n, "--filter '%s': %s", src, msg);
		return -1;
	}
	F.exprs = realloc(F.exprs, (F.nexprs + 1) * sizeof(*F.exprs));
	F.exprs[F.nexprs++] = e;
	return 0;
}

/* names, as a plain list (without the collector's set parser) */
static int plain_set(const char *set, uint8_t *mask, char *err, size_t n)
{
	char *copy = strdup(set), *tok, *save;

	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		unsigned nr;

		for (nr = 0; nr < LIMEN_NSYSENT && nr < LIMEN_FILTER_NR; nr++)
			if (limen_sysent[nr].name &&
			    !strcmp(limen_str(limen_sysent[nr].name), tok))
				break;
		if (nr == LIMEN_NSYSENT || nr == LIMEN_FILTER_NR) {
			snprintf(err, n, "invalid system call '%s'", tok);
			free(copy);
			return -1;
		}
		mask[nr / 8] |= (uint8_t)(1u << (nr % 8));
	}
	free(copy);
	return 0;
}

/* D[s|ms|us|ns]: strace's delay, microseconds without a suffix */
static int parse_delay(const char *v, uint64_t *ns)
{
	char *end;
	unsigned long long x;

	if (!isdigit((unsigned char)*v))
		return -1;
	errno = 0;
	x = strtoull(v, &end, 10);
	if (errno)
		return -1;
	if (!*end || !strcmp(end, "us"))
		x *= 1000;
	else if (!strcmp(end, "ms"))
		x *= 1000000;
	else if (!strcmp(end, "s"))
		x *= 1000000000;
	else if (strcmp(end, "ns"))
		return -1;
	if (x > 3600ull * 1000000000)
		return -1;
	*ns = x;
	return 0;
}

/* One number of when=, read as strace 6.1 reads it (strtol: blanks and a
   sign may lead): its value in [1, max], or -1; *end: what follows it */
static long when_num(const char *v, const char **end, long max)
{
	char *e;
	long x;

	errno = 0;
	x = strtol(v, &e, 10);
	if (e == v || errno || x < 1 || x > max)
		return -1;
	*end = e;
	return x;
}

/* when=FIRST[..LAST][+[STEP]] as strace 6.1 takes it: FIRST and STEP in
   1..65535, LAST in FIRST..65534; FIRST alone injects once, FIRST+ is
   FIRST+1 and FIRST..LAST is FIRST..LAST+1 */
static int parse_step(const char *v, struct limen_frule *r)
{
	const char *end;
	long first, last = 0, step;

	if ((first = when_num(v, &end, 65535)) < 0)
		return -1;
	if (*end == '.') {
		if (end[1] != '.' ||
		    (last = when_num(end + 2, &end, 65534)) < first)
			return -1;
	}
	step = last ? 1 : 0;
	if (*end == '+') {
		step = 1;
		if (end[1] &&
		    ((step = when_num(end + 1, &end, 65535)) < 0 || *end))
			return -1;
	} else if (*end) {
		return -1;
	}
	r->first = (uint32_t)first;
	r->last = (uint32_t)last;
	r->step = (uint32_t)step;
	return 0;
}

static int inject_key(struct rule *ru, const char *kv, char *err, size_t n)
{
	struct limen_frule *r = &ru->r;
	const char *v = strchr(kv, '=');
	size_t k = v ? (size_t)(v - kv) : strlen(kv);

	if (!v)
		goto bad;
	v++;
	if (k == 5 && !strncmp(kv, "error", k)) {
		long e = -1;

		if (isdigit((unsigned char)*v)) {
			char *end;

			e = strtol(v, &end, 10);
			if (*end)
				e = -1;
		} else {
			for (int i = 1; i < 4096; i++) {
				const char *name = limen_errname(i);

				if (name && !strcmp(name, v)) {
					e = i;
					break;
				}
			}
		}
		if (e < 1 || e > 4095 || (r->flags & LIMEN_RULE_RETVAL))
			goto bad;
		r->flags |= LIMEN_RULE_ERROR;
		r->retval = -e;
	} else if (k == 6 && !strncmp(kv, "retval", k)) {
		char *end;
		long long x;

		errno = 0;
		x = strtoll(v, &end, 0);
		if (!*v || *end || errno || (r->flags & LIMEN_RULE_ERROR))
			goto bad;
		r->flags |= LIMEN_RULE_RETVAL;
		r->retval = x;
	} else if (k == 6 && !strncmp(kv, "signal", k)) {
		int sig = signal_number(v);

		if (sig < 0)
			goto bad;
		r->flags |= LIMEN_RULE_SIGNAL;
		r->signo = sig;
	} else if (k == 11 && !strncmp(kv, "delay_enter", k)) {
		if (parse_delay(v, &r->delay_enter_ns) < 0)
			goto bad;
		r->flags |= LIMEN_RULE_DELAY_ENTER;
	} else if (k == 10 && !strncmp(kv, "delay_exit", k)) {
		if (parse_delay(v, &r->delay_exit_ns) < 0)
			goto bad;
		r->flags |= LIMEN_RULE_DELAY_EXIT;
	} else if (k == 7 && !strncmp(kv, "syscall", k)) {
		/* strace 6.1: one name, of a call with no side effects
		   (%pure), made in place of the call error= or retval=
		   answers for */
		unsigned nr;

		if (r->flags & LIMEN_RULE_SYSCALL)
			goto bad;
		for (nr = 0; nr < LIMEN_NSYSENT && nr < LIMEN_FILTER_NR; nr++)
			if (limen_sysent[nr].name &&
			    (limen_sysent[nr].classes & LIMEN_CLASS_PURE) &&
			    !strcmp(limen_str(limen_sysent[nr].name), v))
				break;
		if (nr == LIMEN_NSYSENT || nr == LIMEN_FILTER_NR)
			goto bad;
		r->flags |= LIMEN_RULE_SYSCALL;
		r->scno = nr;
	} else if (k == 4 && !strncmp(kv, "when", k)) {
		/* limen's own: when={EXPR} or when={EXPR}N+S, counting
		   the calls EXPR matches */
		if (*v == '{') {
			const char *close = strrchr(v, '}');
			char msg[256], *src;

			if (!close) {
				snprintf(err, n, "when=%s: no closing '}'", v);
				return -1;
			}
			src = strndup(v + 1, (size_t)(close - v - 1));
			limen_fexpr_free(ru->when);
			ru->when = limen_fexpr_parse(src, msg, sizeof(msg));
			free(src);
			if (!ru->when) {
				snprintf(err, n, "when=%s: %s", v, msg);
				return -1;
			}
			v = close + 1;
			if (!*v)
				return 0;
		}
		if (parse_step(v, r) < 0)
			goto bad;
	} else {
		goto bad;
	}
	return 0;
bad:
	snprintf(err, n, "invalid inject argument '%s'", kv);
	return -1;
}

int limen_filter_inject(const char *spec, int fault, char *err, size_t n)
{
	const char *what = fault ? "fault" : "inject";
	struct rule *ru;
	char *copy, *p, *set;
	int depth = 0, quote = 0;

	if (F.nrules == LIMEN_FILTER_RULES) {
		snprintf(err, n, "-e %s=: at most %u rules", what,
			 LIMEN_FILTER_RULES);
		return -1;
	}
	ru = &F.rules[F.nrules];
	memset(ru, 0, sizeof(*ru));
	ru->r.first = 1;
	ru->r.step = 1;
	copy = strdup(spec);
	/* split at ':' outside {...} and "..." */
	for (p = copy; *p; p++) {
		if (*p == '"' && (p == copy || p[-1] != '\\'))
			quote = !quote;
		else if (!quote && *p == '{')
			depth++;
		else if (!quote && *p == '}')
			depth--;
		else if (!quote && !depth && *p == ':')
			*p = 0;
	}
	set = copy;
	for (p = copy + strlen(copy) + 1; p <= copy + strlen(spec);
	     p += strlen(p) + 1)
		if (inject_key(ru, p, err, n) < 0)
			goto fail;
	if (!*set) {
		snprintf(err, n, "-e %s=: which system calls?", what);
		goto fail;
	}
	if ((set_parser ? set_parser : plain_set)(set, ru->set, err, n) < 0)
		goto fail;
	if (fault && (ru->r.flags & ~(LIMEN_RULE_ERROR | LIMEN_RULE_SYSCALL))) {
		snprintf(err, n, "-e fault=: only error=, syscall= and when= "
			 "(-e inject= has the rest)");
		goto fail;
	}
	if (fault && !(ru->r.flags & LIMEN_RULE_ERROR)) {
		/* strace: fault= injects ENOSYS unless error= says */
		ru->r.flags |= LIMEN_RULE_ERROR;
		ru->r.retval = -ENOSYS;
	}
	if (!(ru->r.flags & ~LIMEN_RULE_SYSCALL)) {
		snprintf(err, n, "-e inject=%s: error=, retval=, signal=, "
			 "delay_enter= or delay_exit= is needed", spec);
		goto fail;
	}
	free(copy);
	F.nrules++;
	return 0;
fail:
	limen_fexpr_free(ru->when);
	ru->when = NULL;
	free(copy);
	return -1;
}

/* ---- code generation ---- */

struct code {
	struct limen_finsn in[LIMEN_FILTER_INSNS];
	unsigned n;
	int over;
	unsigned paths;          /* path arguments read */
	int at_exit;             /* reads ret or the status */
	int missing;             /* the comparison being built names an
				    argument this call does not have */
};

static unsigned emit(struct code *c, int op, int a, int b, int32_t imm)
{
	if (c->n == LIMEN_FILTER_INSNS) {
		c->over = 1;
		return c->n - 1;
	}
	c->in[c->n] = (struct limen_finsn){ .op = (uint8_t)op, .a = (uint8_t)a,
					    .b = (uint16_t)b, .imm = imm };
	return c->n++;
}

static void emit_const(struct code *c, int64_t v)
{
	if (v >= INT32_MIN && v <= INT32_MAX) {
		emit(c, LIMEN_FOP_CONST, 0, 0, (int32_t)v);
		return;
	}
	emit(c, LIMEN_FOP_CONST, 0, 0, (int32_t)(v >> 32));
	emit(c, LIMEN_FOP_SHL32OR, 0, 0, (int32_t)(uint32_t)v);
}

static int arg_index(const struct limen_sysent *se, const char *name)
{
	for (unsigned i = 0; i < se->nargs && i < 6; i++)
		if (!strcmp(limen_str(se->args[i].name), name))
			return (int)i;
	return -1;
}

static int is_string_arg(const struct limen_sysent *se, int i)
{
	return se->args[i].type == LIMEN_AT_PATH ||
	       se->args[i].type == LIMEN_AT_STR;
}

static unsigned path_mask(const struct limen_sysent *se)
{
	unsigned m = 0;

	for (unsigned i = 0; i < se->nargs && i < 6; i++)
		if (se->args[i].type == LIMEN_AT_PATH)
			m |= 1u << i;
	return m;
}

static void emit_value(struct code *c, const struct limen_sysent *se,
		       const struct operand *o)
{
	int i;

	if (o->kind == O_NUM) {
		emit_const(c, o->num);
		return;
	}
	if (o->kind == O_ARG) {
		emit(c, LIMEN_FOP_ARG, o->argi, o->width, 0);
		return;
	}
	if (o->kind == O_TASK) {
		emit(c, LIMEN_FOP_TASK, o->argi, 0, 0);
		return;
	}
	if (!strcmp(o->name, "ret")) {
		if (se->ret == LIMEN_RET_NONE)
			c->missing = 1;
		c->at_exit = 1;
		emit(c, LIMEN_FOP_RET, 0, 0, 0);
		return;
	}
	i = arg_index(se, o->name);
	if (i < 0) {
		c->missing = 1;
		emit(c, LIMEN_FOP_CONST, 0, 0, 0);
		return;
	}
	emit(c, LIMEN_FOP_ARG, i, 0, 0);
}

/* the pool: strings shared between programs */
struct pool {
	char s[LIMEN_FILTER_STRS];
	unsigned n;
	int over;
};

static unsigned pool_add(struct pool *p, const char *s, size_t len)
{
	for (unsigned i = 0; i + len <= p->n; i++)
		if (!memcmp(p->s + i, s, len))
			return i;
	if (p->n + len > LIMEN_FILTER_STRS) {
		p->over = 1;
		return 0;
	}
	memcpy(p->s + p->n, s, len);
	p->n += (unsigned)len;
	return p->n - (unsigned)len;
}

static void emit_jump_join(struct code *c, unsigned at)
{
	c->in[at].b = (uint16_t)(c->n - at);
}

/* A string comparison of argument(s): one STREQ/GLOB, or for "path" one
   per path argument, any of them matching */
static void emit_str(struct code *c, const struct limen_sysent *se,
		     struct pool *pl, const struct limen_fexpr *e)
{
	int glob = e->op == C_GLOB || e->op == C_NGLOB;
	int neg = e->op == C_NE || e->op == C_NGLOB;
	unsigned off = pool_add(pl, e->b.str, e->b.len), mask = 0, k = 0;
	unsigned jumps[6];

	if (e->a.kind == O_ARG) {
		mask = 1u << e->a.argi;
	} else if (!strcmp(e->a.name, "path")) {
		mask = path_mask(se);
	} else {
		int i = arg_index(se, e->a.name);

		if (i >= 0 && is_string_arg(se, i))
			mask = 1u << i;
	}
	if (!mask) {
		c->missing = 1;
		emit(c, LIMEN_FOP_CONST, 0, 0, 0);
		return;
	}
	for (int i = 0; i < 6; i++) {
		if (!(mask & (1u << i)))
			continue;
		if (k)
			jumps[k - 1] = emit(c, LIMEN_FOP_JTRUE, 0, 0, 0);
		emit(c, glob ? LIMEN_FOP_GLOB : LIMEN_FOP_STREQ, i, (int)off,
		     (int32_t)e->b.len);
		k++;
	}
	for (unsigned j = 0; j + 1 < k; j++)
		emit_jump_join(c, jumps[j]);
	c->paths |= mask;
	if (neg)
		emit(c, LIMEN_FOP_NOT, 0, 0, 0);
}

/* The code for e; returns 0 or 1 when it is that constant (its code is
   then one CONST), -1 otherwise. Constants fold: a comparison naming an
   argument the call lacks is 0, and "x || 0" is x, so that a call pays
   only for what can be true of it. */
static int emit_expr(struct code *c, const struct limen_sysent *se,
		     struct pool *pl, const struct limen_fexpr *e)
{
	static const int fop[] = {
		[C_EQ] = LIMEN_FOP_EQ, [C_NE] = LIMEN_FOP_NE,
		[C_LT] = LIMEN_FOP_LT, [C_LE] = LIMEN_FOP_LE,
		[C_GT] = LIMEN_FOP_GT, [C_GE] = LIMEN_FOP_GE,
		[C_BAND] = LIMEN_FOP_BAND,
	};
	unsigned j, start = c->n;
	int kl, kr, absorb;

	switch (e->kind) {
	case N_OR:
	case N_AND:
		/* || : 1 absorbs, 0 vanishes; && : the other way round */
		absorb = e->kind == N_OR;
		kl = emit_expr(c, se, pl, e->l);
		if (kl == absorb)
			return kl;
		if (kl == !absorb) {
			c->n = start;
			return emit_expr(c, se, pl, e->r);
		}
		j = emit(c, absorb ? LIMEN_FOP_JTRUE : LIMEN_FOP_JFALSE, 0, 0,
			 0);
		kr = emit_expr(c, se, pl, e->r);
		if (kr == !absorb) {
			c->n = j; /* the left alone */
			return -1;
		}
		if (kr == absorb) {
			c->n = start;
			emit(c, LIMEN_FOP_CONST, 0, 0, absorb);
			return absorb;
		}
		emit_jump_join(c, j);
		return -1;
	case N_NOT:
		kl = emit_expr(c, se, pl, e->l);
		if (kl >= 0) {
			c->n = start;
			emit(c, LIMEN_FOP_CONST, 0, 0, !kl);
			return !kl;
		}
		emit(c, LIMEN_FOP_NOT, 0, 0, 0);
		return -1;
	}
	/* a constant (limen bt's folded predicates) */
	if (e->op == C_TRUTH && e->a.kind == O_NUM) {
		emit(c, LIMEN_FOP_CONST, 0, 0, e->a.num != 0);
		return e->a.num != 0;
	}
	/* a comparison: false as a whole if it names what the call lacks */
	c->missing = 0;
	if (e->b.kind == O_STR) {
		emit_str(c, se, pl, e);
	} else {
		emit_value(c, se, &e->a);
		if (e->op != C_TRUTH) {
			emit_value(c, se, &e->b);
			emit(c, fop[e->op], 0, 0, 0);
		}
	}
	if (c->missing) {
		c->n = start;
		emit(c, LIMEN_FOP_CONST, 0, 0, 0);
		return 0;
	}
	return -1;
}

/* One call's program: every condition given must hold */
static void emit_call(struct code *c, const struct limen_sysent *se,
		      struct pool *pl, unsigned nr)
{
	unsigned j[64], nj = 0;
	int any = 0;

	if (F.status) {
		emit(c, LIMEN_FOP_STATUS, 0, 0, F.status & STATUS_ALL);
		c->at_exit = 1;
		any = 1;
	}
	if (F.npaths) {
		unsigned fds = 0;

		for (unsigned i = 0; i < se->nargs && i < 6; i++)
			if (se->args[i].type == LIMEN_AT_FD ||
			    se->args[i].type == LIMEN_AT_DIRFD)
				fds |= 1u << i;
		if (any)
			j[nj++] = emit(c, LIMEN_FOP_JFALSE, 0, 0, 0);
		emit(c, LIMEN_FOP_PATHSET, (int)path_mask(se), (int)fds, 0);
		c->paths |= path_mask(se);
		any = 1;
	}
	for (size_t i = 0; i < F.nexprs && nj < 63; i++) {
		if (any)
			j[nj++] = emit(c, LIMEN_FOP_JFALSE, 0, 0, 0);
		emit_expr(c, se, pl, F.exprs[i]);
		any = 1;
	}
	if (F.sys[nr]) {
		if (any)
			j[nj++] = emit(c, LIMEN_FOP_JFALSE, 0, 0, 0);
		emit_expr(c, se, pl, F.sys[nr]);
	}
	for (unsigned i = 0; i < nj; i++)
		emit_jump_join(c, j[i]);
	emit(c, LIMEN_FOP_END, 0, 0, 0);
}

/* Store a program once: the start of an identical one, or a new one */
static int store(struct limen_filter *out, const struct code *c)
{
	for (uint32_t s = 0; s + c->n <= out->ninsn; s++)
		if (!memcmp(&out->insn[s], c->in, c->n * sizeof(c->in[0])))
			return (int)s;
	if (out->ninsn + c->n > LIMEN_FILTER_INSNS)
		return -1;
	memcpy(&out->insn[out->ninsn], c->in, c->n * sizeof(c->in[0]));
	out->ninsn += c->n;
	return (int)(out->ninsn - c->n);
}

/* nr is one of those whose exit is in a new image, or never comes */
static int decided_at_entry(unsigned nr, const struct limen_sysent *se)
{
	return se->ret == LIMEN_RET_NONE || nr == SYS_execve ||
	       nr == SYS_execveat;
}

int limen_filter_build(struct limen_filter *out, const uint8_t *trace_mask,
		       int trace_all, char *err, size_t n)
{
	static struct code c;
	static struct pool pl;
	int s;

	if (!F.status && !F.npaths && !F.signals && !F.nexprs && !F.nrules &&
	    !F.nsys)
		return 0;
	memset(out, 0, sizeof(*out));
	memset(&pl, 0, sizeof(pl));
	out->size = sizeof(*out);
	out->flags = (F.no_stable ? 0 : LIMEN_FILTER_STABLE) |
		     (F.signals ? LIMEN_FILTER_SIGNALS : 0);
	out->sigmask = F.sigmask;
	if (F.npaths) {
		char all[LIMEN_FILTER_STRS];
		size_t k = 0;

		for (size_t i = 0; i < F.npaths; i++) {
			size_t l = strlen(F.paths[i]) + 1;

			if (k + l > sizeof(all)) {
				snprintf(err, n, "-P: the paths are too long");
				return -1;
			}
			memcpy(all + k, F.paths[i], l);
			k += l;
		}
		/* first in the pool, where nothing else can share it */
		memcpy(pl.s, all, k);
		pl.n = (unsigned)k;
		out->pset_off = 0;
		out->pset_len = (uint16_t)k;
	}
	for (unsigned nr = 0; nr < LIMEN_FILTER_NR; nr++) {
		const struct limen_sysent *se = limen_sysent_get(nr);
		struct limen_fsys *fs = &out->sys[nr];
		int sel = trace_all || (trace_mask[nr / 8] >> (nr % 8)) & 1;

		fs->prog = LIMEN_FILTER_NONE;
		fs->when = LIMEN_FILTER_NONE;
		if (!se)
			continue;
		if (sel && (F.status || F.npaths || F.nexprs || F.sys[nr])) {
			memset(&c, 0, sizeof(c));
			emit_call(&c, se, &pl, nr);
			if (c.over || (s = store(out, &c)) < 0)
				goto full;
			fs->prog = (uint16_t)s;
			fs->paths |= (uint8_t)c.paths;
			if (c.paths)
				fs->flags |= LIMEN_FSYS_PATHS;
			if (c.at_exit && !decided_at_entry(nr, se))
				fs->flags |= LIMEN_FSYS_AT_EXIT;
		}
		/* strace: the last rule naming a call is the one applied */
		for (size_t r = F.nrules; r-- > 0;) {
			const struct rule *ru = &F.rules[r];

			if (!((ru->set[nr / 8] >> (nr % 8)) & 1))
				continue;
			fs->inject = (uint8_t)(r + 1);
			/* counted per call number (of the table, as every
			   set is): no cap */
			if ((ru->r.first != 1 || ru->r.step != 1 ||
			     ru->r.last) && nr < LIMEN_NSYSENT)
				fs->counter = 1;
			if (ru->when) {
				memset(&c, 0, sizeof(c));
				emit_expr(&c, se, &pl, ru->when);
				emit(&c, LIMEN_FOP_END, 0, 0, 0);
				if (c.at_exit) {
					snprintf(err, n, "when={...} is decided "
						 "before the call: no ret");
					return -1;
				}
				if (c.over || (s = store(out, &c)) < 0)
					goto full;
				fs->when = (uint16_t)s;
				fs->paths |= (uint8_t)c.paths;
			}
			break;
		}
	}
	if (pl.over)
		goto full;
	for (size_t r = 0; r < F.nrules; r++)
		out->rules[r] = F.rules[r].r;
	out->nrules = (uint32_t)F.nrules;
	memcpy(out->str, pl.s, pl.n);
	out->nstr = pl.n;
	out->magic = LIMEN_FILTER_MAGIC;
	return 1;
full:
	snprintf(err, n, "the filters do not fit in limen's program (%u "
		 "instructions, %u bytes of strings): make them shorter",
		 LIMEN_FILTER_INSNS, LIMEN_FILTER_STRS);
	return -1;
}

/* ---- limen bt's predicates (src/bt/push.c builds them) ---- */

struct limen_fexpr *limen_fexpr_const(int v)
{
	struct limen_fexpr *e = node(N_CMP);

	e->op = C_TRUTH;
	e->a.kind = O_NUM;
	e->a.num = !!v;
	return e;
}

struct limen_fexpr *limen_fexpr_join(int op, struct limen_fexpr *l,
				     struct limen_fexpr *r)
{
	struct limen_fexpr *e = node(op == '&' ? N_AND : op == '|' ? N_OR :
				     N_NOT);

	e->l = l;
	e->r = r;
	return e;
}

struct limen_fexpr *limen_fexpr_cmp(int what, int argi, int width,
				    const char *op, int64_t v)
{
	static const struct {
		const char *tok;
		int op;
	} ops[] = {
		{ "==", C_EQ }, { "!=", C_NE }, { "<", C_LT }, { "<=", C_LE },
		{ ">", C_GT }, { ">=", C_GE },
	};
	struct limen_fexpr *e = node(N_CMP);

	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (!strcmp(op, ops[i].tok))
			e->op = ops[i].op;
	if (what == LIMEN_FX_RET) {
		e->a.kind = O_NAME;
		e->a.name = strdup("ret");
	} else {
		e->a.kind = what == LIMEN_FX_ARG ? O_ARG : O_TASK;
		e->a.argi = what == LIMEN_FX_TID ? 1 : argi;
		e->a.width = width;
	}
	e->b.kind = O_NUM;
	e->b.num = v;
	return e;
}

struct limen_fexpr *limen_fexpr_strcmp(int argi, int glob, const char *s,
				       size_t len)
{
	struct limen_fexpr *e = node(N_CMP);

	e->op = glob ? C_GLOB : C_EQ;
	e->a.kind = O_ARG;
	e->a.argi = argi;
	e->b.kind = O_STR;
	e->b.str = malloc(len + 1);
	if (!e->b.str)
		limen_out_of_memory();
	memcpy(e->b.str, s, len);
	e->b.str[len] = 0;
	e->b.len = len;
	return e;
}

void limen_filter_sys_expr(unsigned nr, struct limen_fexpr *e)
{
	if (nr >= LIMEN_FILTER_NR) {
		limen_fexpr_free(e);
		return;
	}
	if (!F.sys[nr])
		F.nsys++;
	F.sys[nr] = F.sys[nr] ? limen_fexpr_join('|', F.sys[nr], e) : e;
}
