/* SPDX-License-Identifier: MIT */
/*
 * limen bt: the parser, to the tree of btint.h, and the probes' specs (which
 * system calls a tracepoint glob names). Whatever is outside the subset
 * limen runs is refused here or in the checker (check.c), naming the
 * construct.
 */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "bt/btint.h"
#include "systab.h"
#include "decode/oom.h"


/* the checker and the evaluator recurse as deep as the tree is */
#define MAX_DEPTH 200

static void deeper(struct bt_parser *ps, int by);

/* ---- the system calls' tracepoints ---- */

/* where the kernel's tracepoint is named otherwise than the call */
static const struct {
	const char *call, *tp;
} tp_alias[] = {
	{ "stat", "newstat" }, { "lstat", "newlstat" },
	{ "fstat", "newfstat" }, { "uname", "newuname" },
	{ "sendfile", "sendfile64" }, { "umount2", "umount" },
};

/* where the kernel's tracepoint field is named otherwise than the
   table's argument (include/linux/syscalls.h differs from SYSCALL_DEFINE) */
static const struct {
	const char *call, *arg, *field;
} field_alias[] = {
	{ "getrandom", "buf", "ubuf" }, { "getrandom", "count", "len" },
	{ "madvise", "len", "len_in" }, { "setns", "nstype", "flags" },
};

const char *bt_tpname(unsigned long nr)
{
	const struct limen_sysent *se = limen_sysent_get(nr);

	if (!se)
		return NULL;
	for (size_t i = 0; i < sizeof(tp_alias) / sizeof(tp_alias[0]); i++)
		if (!strcmp(limen_str(se->name), tp_alias[i].call))
			return tp_alias[i].tp;
	return limen_str(se->name);
}

long bt_syscall_by_tpname(const char *name)
{
	for (unsigned long nr = 0; nr < LIMEN_NSYSENT; nr++) {
		const char *t = bt_tpname(nr);

		if (t && (!strcmp(t, name) ||
			  !strcmp(limen_str(limen_sysent[nr].name), name)))
			return (long)nr;
	}
	return -1;
}

const char *bt_field_name(unsigned long nr, unsigned i)
{
	const struct limen_sysent *se = limen_sysent_get(nr);

	if (!se || i >= se->nargs || !se->args[i].name)
		return NULL;
	for (size_t k = 0; k < sizeof(field_alias) / sizeof(field_alias[0]);
	     k++)
		if (!strcmp(limen_str(se->name), field_alias[k].call) &&
		    !strcmp(limen_str(se->args[i].name), field_alias[k].arg))
			return field_alias[k].field;
	return limen_str(se->args[i].name);
}

/* ---- nodes ---- */

static struct bt_node *node(struct bt_parser *ps, int kind)
{
	struct bt_node *n = calloc(1, sizeof(*n));

	if (!n)
		limen_out_of_memory();
	n->kind = (uint8_t)kind;
	n->all = ps->b->nodes;
	ps->b->nodes = n;
	n->line = ps->lx.line;
	n->col = ps->lx.col;
	n->cache_nr = -1;
	return n;
}

static void push(struct bt_node *n, struct bt_node *k)
{
	if (!(n->nlist & (n->nlist - 1)) || !n->list) {
		n->list = realloc(n->list, sizeof(*n->list) *
				  (size_t)(n->nlist ? 2 * n->nlist : 4));
		if (!n->list)
			limen_out_of_memory();
	}
	n->list[n->nlist++] = k;
}

static char *take(struct bt_parser *ps)
{
	char *s = ps->lx.sval;

	ps->lx.sval = NULL;
	return s;
}

static _Noreturn void fail(struct bt_parser *ps, const char *fmt, const char *a)
{
	bt_fail(&ps->lx, ps->lx.line, ps->lx.col, fmt, a);
}

static const char *tokname(struct bt_parser *ps, char *buf, size_t n)
{
	int t = ps->lx.tok;

	if (t == T_EOF)
		return "the end of the program";
	if (t < 256)
		snprintf(buf, n, "'%c'", t);
	else if (t == T_IDENT || t == T_VAR || t == T_MAP)
		snprintf(buf, n, "'%s'", ps->lx.sval);
	else if (t == T_INT)
		snprintf(buf, n, "a number");
	else if (t == T_STR)
		snprintf(buf, n, "a string");
	else
		snprintf(buf, n, "an operator");
	return buf;
}

static void expect(struct bt_parser *ps, int tok, const char *what)
{
	char b[64];

	if (ps->lx.tok != tok) {
		char m[160];

		snprintf(m, sizeof(m), "expected %s, found %%s", what);
		bt_fail(&ps->lx, ps->lx.line, ps->lx.col, m,
			tokname(ps, b, sizeof(b)));
	}
	bt_next(&ps->lx);
}

/* ---- expressions ---- */

static const char *const funcs[] = {
	[F_PRINTF] = "printf", [F_PRINT] = "print", [F_TIME] = "time",
	[F_EXIT] = "exit", [F_STR] = "str", [F_BUF] = "buf",
	[F_JOIN] = "join", [F_COUNT] = "count", [F_SUM] = "sum",
	[F_AVG] = "avg", [F_MIN] = "min", [F_MAX] = "max",
	[F_STATS] = "stats", [F_HIST] = "hist", [F_LHIST] = "lhist",
	[F_DELETE] = "delete", [F_CLEAR] = "clear", [F_ZERO] = "zero",
	[F_STRNCMP] = "strncmp", [F_SNAPSHOT] = "snapshot",
};

static const char *const builtins[] = {
	[B_PID] = "pid", [B_TID] = "tid", [B_COMM] = "comm",
	[B_NSECS] = "nsecs", [B_ELAPSED] = "elapsed", [B_PROBE] = "probe",
	[B_RETVAL] = "retval",
};

/* bpftrace's, that limen does not run, and why */
static const struct {
	const char *name, *why;
} refused_ident[] = {
	{ "cpu", "limen does not record the CPU a call ran on" },
	{ "uid", "limen does not record credentials with each call" },
	{ "gid", "limen does not record credentials with each call" },
	{ "username", "limen does not record credentials with each call" },
	{ "cgroup", "limen does not record cgroups" },
	{ "kstack", "limen sees no kernel stacks" },
	{ "ustack", "user stacks are not recorded with each call" },
	{ "func", "it names a kprobe's or uprobe's function; limen's probes "
		  "are system calls (probe names them)" },
	{ "curtask", "limen has no kernel task struct" },
	{ "rand", "not in limen's subset" },
	{ "ctx", "not in limen's subset" },
	{ "jiffies", "not in limen's subset" },
	{ "numaid", "not in limen's subset" },
	{ "sizeof", "types and structs are not in limen's subset" },
	{ "offsetof", "types and structs are not in limen's subset" },
	{ "config", "config blocks are not in limen's subset" },
	{ "struct", "struct definitions are not in limen's subset" },
	{ "for", "for loops are not in limen's subset" },
	{ "let", "variable declarations are not in limen's subset" },
};

static const char *const type_names[] = {
	"int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
	"uint64", "char", "short", "int", "long", "unsigned", "signed",
	"struct", "union", "enum", "void", "bool", "const",
};

static struct bt_node *expr(struct bt_parser *ps);
static struct bt_node *ternary(struct bt_parser *ps);

static int find_name(const char *const *tab, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (tab[i] && !strcmp(tab[i], s))
			return (int)i;
	return -1;
}

static void refuse_ident(struct bt_parser *ps, const char *name, int call,
			 int line, int col)
{
	static const char *const ref_funcs[] = {
		"system", "cat", "signal", "override", "ksym", "usym",
		"kaddr", "uaddr", "ntop", "pton", "reg", "cgroupid",
		"macaddr", "path", "skboutput", "strftime", "sizeof",
		"offsetof", "kstack", "ustack", "printk", "debugf",
		"unwatch", "bswap", "kptr", "uptr", "cgroup_path", "strerror",
		"percpu_kaddr", "errorf", "warnf", "has_key", "len",
		"strcontains", "tseries", "nsecs", "print_fmt",
	};
	char m[256];

	for (size_t i = 0; i < sizeof(refused_ident) / sizeof(refused_ident[0]);
	     i++)
		if (!strcmp(name, refused_ident[i].name)) {
			snprintf(m, sizeof(m), "'%s' is not supported: %s",
				 name, refused_ident[i].why);
			bt_fail(&ps->lx, line, col, "%s", m);
		}
	if (!strncmp(name, "arg", 3) || !strncmp(name, "sarg", 4)) {
		snprintf(m, sizeof(m), "'%s' is not supported: it is a "
			 "kprobe's register argument; a system call's "
			 "arguments are args.NAME", name);
		bt_fail(&ps->lx, line, col, "%s", m);
	}
	if (call) {
		for (size_t i = 0; i < sizeof(ref_funcs) / sizeof(ref_funcs[0]);
		     i++)
			if (!strcmp(name, ref_funcs[i])) {
				snprintf(m, sizeof(m), "the function %s() is "
					 "not supported by limen bt", name);
				bt_fail(&ps->lx, line, col, "%s", m);
			}
		snprintf(m, sizeof(m), "unknown function %s()", name);
		bt_fail(&ps->lx, line, col, "%s", m);
	}
	snprintf(m, sizeof(m), "unknown identifier '%s'", name);
	bt_fail(&ps->lx, line, col, "%s", m);
}

static struct bt_node *map_ref(struct bt_parser *ps)
{
	struct bt_node *n = node(ps, N_MAP);

	n->sval = take(ps);
	bt_next(&ps->lx);
	n->nlist = 0;
	n->ival = 0;            /* 1: written with [keys] */
	if (ps->lx.tok == '[') {
		ps->nest++;
		bt_next(&ps->lx);
		n->ival = 1;
		if (ps->lx.tok == ']')
			fail(ps, "%s: a map key cannot be empty", n->sval);
		for (;;) {
			push(n, ternary(ps));
			if (ps->lx.tok != ',')
				break;
			bt_next(&ps->lx);
		}
		if (n->nlist > 8)
			fail(ps, "%s: more than 8 keys", n->sval);
		expect(ps, ']', "']'");
		ps->nest--;
	}
	return n;
}

static struct bt_node *unary(struct bt_parser *ps);

/* (TYPE)x, '(' read and TYPE type_names[k] (an integer type): binds as a
   unary operator, as in bpftrace and C */
static struct bt_node *cast(struct bt_parser *ps, int k)
{
	struct bt_node *n = node(ps, N_CAST);

	n->ival = (8 << (k % 4)) | (k >= 4 ? BT_CAST_UNSIGNED : 0);
	bt_next(&ps->lx);
	expect(ps, ')', "')' after the cast's type");
	ps->nest--;
	deeper(ps, 1);
	n->a = unary(ps);
	ps->depth--;
	return n;
}

static struct bt_node *primary(struct bt_parser *ps)
{
	struct bt_node *n;
	int t = ps->lx.tok, k;

	switch (t) {
	case T_INT:
		n = node(ps, N_INT);
		n->ival = ps->lx.ival;
		bt_next(&ps->lx);
		return n;
	case T_STR:
		n = node(ps, N_STR);
		n->slen = ps->lx.slen;
		n->sval = take(ps);
		bt_next(&ps->lx);
		return n;
	case T_VAR:
		n = node(ps, N_VAR);
		n->sval = take(ps);
		if (n->sval[1] >= '0' && n->sval[1] <= '9')
			fail(ps, "positional parameters (%s) are not supported: "
			     "limen bt takes the command after --", n->sval);
		if (!strcmp(n->sval, "$"))
			fail(ps, "%s", "'$' without a name");
		bt_next(&ps->lx);
		return n;
	case T_MAP:
		return map_ref(ps);
	case '(': {
		ps->nest++;
		bt_next(&ps->lx);
		if (ps->lx.tok == T_IDENT &&
		    (k = find_name(type_names, sizeof(type_names) /
				   sizeof(type_names[0]), ps->lx.sval)) >= 0) {
			if (k >= 8)
				fail(ps, "casts to %s are not supported (only "
				     "int8 ... uint64, as bpftrace)",
				     ps->lx.sval);
			return cast(ps, k);
		}
		n = expr(ps);
		if (ps->lx.tok == ',')
			fail(ps, "%s", "tuples ((a, b)) are not supported");
		expect(ps, ')', "')'");
		ps->nest--;
		return n;
	}
	case T_IDENT:
		break;
	case '*':
		fail(ps, "%s", "pointer dereference (*) is not supported: "
		     "str() and buf() read what limen captured");
	case '&':
		fail(ps, "%s", "taking an address (&) is not supported");
	default: {
		char b[64];

		fail(ps, "expected an expression, found %s",
		     tokname(ps, b, sizeof(b)));
	}
	}
	/* an identifier */
	if (!strcmp(ps->lx.sval, "args")) {
		int line = ps->lx.line, col = ps->lx.col;

		bt_next(&ps->lx);
		if (ps->lx.tok != '.' && ps->lx.tok != T_ARROW)
			bt_fail(&ps->lx, line, col, "%s", "args as a whole is not "
				"supported: name a field (args.NAME)");
		bt_next(&ps->lx);
		if (ps->lx.tok != T_IDENT)
			fail(ps, "%s", "expected a field name after args.");
		n = node(ps, N_FIELD);
		n->line = line;
		n->col = col;
		n->sval = take(ps);
		bt_next(&ps->lx);
		if (!strcmp(n->sval, "args") && ps->lx.tok == '[') {
			bt_next(&ps->lx);
			if (ps->lx.tok != T_INT || ps->lx.ival > 5)
				fail(ps, "%s", "args.args[N]: N is a number "
				     "from 0 to 5");
			n->kind = N_RAWARG;
			n->ival = ps->lx.ival;
			bt_next(&ps->lx);
			expect(ps, ']', "']'");
		}
		return n;
	}
	if ((k = find_name(builtins, sizeof(builtins) / sizeof(builtins[0]),
			   ps->lx.sval)) >= 0) {
		n = node(ps, N_BUILTIN);
		n->ival = k;
		bt_next(&ps->lx);
		return n;
	}
	{
		/* the node owns the name from here, whatever fails */
		n = node(ps, N_CALL);
		n->sval = take(ps);
		bt_next(&ps->lx);
		if (ps->lx.tok != '(')
			refuse_ident(ps, n->sval, 0, n->line, n->col);
		k = find_name(funcs, sizeof(funcs) / sizeof(funcs[0]), n->sval);
		if (k < 0)
			refuse_ident(ps, n->sval, 1, n->line, n->col);
		n->ival = k;
		ps->nest++;
		bt_next(&ps->lx);
		if (ps->lx.tok != ')')
			for (;;) {
				push(n, ternary(ps));
				if (ps->lx.tok != ',')
					break;
				bt_next(&ps->lx);
			}
		expect(ps, ')', "')'");
		ps->nest--;
		return n;
	}
}

static struct bt_node *postfix(struct bt_parser *ps)
{
	struct bt_node *n = primary(ps);

	for (;;) {
		if (ps->lx.tok == '.' || ps->lx.tok == T_ARROW)
			fail(ps, "%s", "field access on anything but args is "
			     "not supported (no structs)");
		if (ps->lx.tok == '[')
			fail(ps, "%s", "indexing is not supported (only "
			     "maps, and args.args[N] of raw_syscalls)");
		if (ps->lx.tok == T_INC || ps->lx.tok == T_DEC) {
			struct bt_node *u = node(ps, N_INCDEC);

			u->op = ps->lx.tok == T_INC ? '+' : '-';
			u->post = 1;
			u->a = n;
			bt_next(&ps->lx);
			n = u;
			continue;
		}
		return n;
	}
}

static struct bt_node *unary(struct bt_parser *ps)
{
	struct bt_node *n;
	int t = ps->lx.tok;

	if (t == '!' || t == '-' || t == '~' || t == '+') {
		bt_next(&ps->lx);
		deeper(ps, 1);
		if (t == '+') {
			n = unary(ps);
		} else {
			n = node(ps, t == '!' ? N_NOT : t == '-' ? N_NEG :
				 N_BNOT);
			n->a = unary(ps);
			/* -5 is a number literal (lhist's bounds) */
			if (t == '-' && n->a->kind == N_INT) {
				n->kind = N_INT;
				n->ival = (int64_t)(0 - (uint64_t)n->a->ival);
			}
		}
		ps->depth--;
		return n;
	}
	if (t == T_INC || t == T_DEC) {
		n = node(ps, N_INCDEC);
		n->op = t == T_INC ? '+' : '-';
		bt_next(&ps->lx);
		n->a = unary(ps);
		return n;
	}
	return postfix(ps);
}

/* binary operators by level, tightest last */
static const int levels[][6] = {
	{ T_OR }, { T_AND }, { '|' }, { '^' }, { '&' }, { T_EQ, T_NE },
	{ '<', '>', T_LE, T_GE }, { T_SHL, T_SHR }, { '+', '-' },
	{ '*', '/', '%' },
};

static struct bt_node *binary(struct bt_parser *ps, unsigned lv)
{
	struct bt_node *l;
	int chain = 0;

	if (lv == sizeof(levels) / sizeof(levels[0]))
		return unary(ps);
	l = binary(ps, lv + 1);
	for (;; chain++) {
		int t = ps->lx.tok, hit = 0;
		struct bt_node *n;

		for (int i = 0; i < 6 && levels[lv][i]; i++)
			hit |= levels[lv][i] == t;
		/* in a predicate, '/' ends it unless parenthesized */
		if (!hit || (t == '/' && ps->in_pred && !ps->nest)) {
			ps->depth -= chain;
			return l;
		}
		/* a chain a + b + c is a tree as deep as it is long */
		deeper(ps, 1);
		n = node(ps, N_BIN);
		n->op = (uint8_t)(t > 255 ? t - 256 + 128 : t);
		n->ival = t;
		bt_next(&ps->lx);
		n->a = l;
		n->b = binary(ps, lv + 1);
		l = n;
	}
}

static struct bt_node *ternary(struct bt_parser *ps)
{
	struct bt_node *c, *n;

	deeper(ps, 1);
	c = binary(ps, 0);
	if (ps->lx.tok != '?') {
		ps->depth--;
		return c;
	}
	n = node(ps, N_TERN);
	bt_next(&ps->lx);
	ps->nest++;
	n->a = c;
	n->b = ternary(ps);
	expect(ps, ':', "':'");
	ps->nest--;
	n->c = ternary(ps);
	ps->depth--;
	return n;
}

static int assign_op(int t)
{
	switch (t) {
	case '=': return '=';
	case T_ADDEQ: return '+';
	case T_SUBEQ: return '-';
	case T_MULEQ: return '*';
	case T_DIVEQ: return '/';
	case T_MODEQ: return '%';
	case T_ANDEQ: return '&';
	case T_OREQ: return '|';
	case T_XOREQ: return '^';
	case T_SHLEQ: return 'l';
	case T_SHREQ: return 'r';
	}
	return 0;
}

static struct bt_node *expr(struct bt_parser *ps)
{
	struct bt_node *l = ternary(ps), *n;
	int op = assign_op(ps->lx.tok);

	if (!op)
		return l;
	if (l->kind != N_VAR && l->kind != N_MAP)
		fail(ps, "%s", "only a $variable or a @map can be assigned to");
	n = node(ps, N_ASSIGN);
	n->op = (uint8_t)op;
	bt_next(&ps->lx);
	n->a = l;
	n->b = ternary(ps);
	return n;
}

static void deeper(struct bt_parser *ps, int by)
{
	ps->depth += by;
	if (ps->depth > MAX_DEPTH)
		fail(ps, "%s", "the expression nests too deep (200 levels)");
}

/* ---- statements ---- */

static struct bt_node *block(struct bt_parser *ps);

static struct bt_node *statement(struct bt_parser *ps)
{
	struct bt_node *n;

	if (ps->lx.tok == T_IDENT) {
		const char *s = ps->lx.sval;

		if (!strcmp(s, "if")) {
			n = node(ps, N_IF);
			bt_next(&ps->lx);
			expect(ps, '(', "'(' after if");
			ps->nest++;
			n->a = expr(ps);
			ps->nest--;
			expect(ps, ')', "')'");
			n->b = block(ps);
			if (ps->lx.tok == T_IDENT &&
			    !strcmp(ps->lx.sval, "else")) {
				bt_next(&ps->lx);
				if (ps->lx.tok == T_IDENT &&
				    !strcmp(ps->lx.sval, "if")) {
					struct bt_node *e = node(ps, N_BLOCK);

					push(e, statement(ps));
					n->c = e;
				} else {
					n->c = block(ps);
				}
			}
			return n;
		}
		if (!strcmp(s, "unroll") || !strcmp(s, "while")) {
			int un = s[0] == 'u';

			n = node(ps, un ? N_UNROLL : N_WHILE);
			bt_next(&ps->lx);
			expect(ps, '(', "'('");
			ps->nest++;
			if (un) {
				if (ps->lx.tok != T_INT || ps->lx.ival < 1 ||
				    ps->lx.ival > 100)
					fail(ps, "%s", "unroll (N): N is a "
					     "number from 1 to 100");
				n->ival = ps->lx.ival;
				bt_next(&ps->lx);
			} else {
				n->a = expr(ps);
			}
			ps->nest--;
			expect(ps, ')', "')'");
			n->b = block(ps);
			return n;
		}
		if (!strcmp(s, "return")) {
			n = node(ps, N_RETURN);
			bt_next(&ps->lx);
			return n;
		}
		if (!strcmp(s, "else"))
			fail(ps, "%s", "else without if");
		if (!strcmp(s, "for"))
			fail(ps, "%s", "for loops are not supported (unroll and "
			     "while are)");
		if (!strcmp(s, "break") || !strcmp(s, "continue"))
			fail(ps, "'%s' is not supported by limen bt", s);
	}
	if (ps->lx.tok == '{')
		fail(ps, "%s", "a block must follow if, else, unroll or while");
	n = node(ps, N_EXPR);
	n->a = expr(ps);
	return n;
}

static struct bt_node *block(struct bt_parser *ps)
{
	struct bt_node *n = node(ps, N_BLOCK);

	expect(ps, '{', "'{'");
	deeper(ps, 1);
	while (ps->lx.tok != '}') {
		struct bt_node *s;

		if (ps->lx.tok == ';') {
			bt_next(&ps->lx);
			continue;
		}
		if (ps->lx.tok == T_EOF)
			fail(ps, "%s", "'}' missing at the end of the program");
		s = statement(ps);
		push(n, s);
		if (s->kind != N_IF && s->kind != N_UNROLL &&
		    s->kind != N_WHILE && ps->lx.tok != '}') {
			char b[64];

			if (ps->lx.tok == T_EOF)
				fail(ps, "%s", "'}' missing at the end of the "
				     "program");
			if (ps->lx.tok != ';')
				fail(ps, "expected ';' or '}', found %s",
				     tokname(ps, b, sizeof(b)));
		}
	}
	ps->depth--;
	bt_next(&ps->lx);
	return n;
}

/* ---- probes ---- */

static void add_probe(struct limen_bt *b, const struct bt_probe *p)
{
	b->probes = realloc(b->probes, sizeof(*b->probes) *
			    (size_t)(b->nprobes + 1));
	if (!b->probes)
		limen_out_of_memory();
	b->probes[b->nprobes++] = *p;
}

static uint8_t *nrset(void)
{
	uint8_t *s = calloc(1, (LIMEN_NSYSENT + 7) / 8);

	if (!s)
		limen_out_of_memory();
	return s;
}

/* One probe spec into probes sharing pred and body (filled later). */
static void probe_spec(struct bt_parser *ps, const char *spec, int first)
{
	struct limen_bt *b = ps->b;
	struct bt_probe p = { .line = ps->lx.line, .col = ps->lx.col };
	char type[32], cat[64];
	const char *c1 = strchr(spec, ':'), *c2;
	size_t tl;

	(void)first;
	if (spec[0] == '#')
		fail(ps, "%s", "preprocessor directives (#include, #define) are "
		     "not supported");
	if (!strcmp(spec, "struct") || !strcmp(spec, "union") ||
	    !strcmp(spec, "enum") || !strcmp(spec, "typedef"))
		fail(ps, "%s", "type definitions (struct, union, enum) are not "
		     "supported");
	if (!strcmp(spec, "config") || !strncmp(spec, "config=", 7))
		fail(ps, "%s", "config blocks are not supported");
	if (!strcmp(spec, "macro") || !strcmp(spec, "fn"))
		fail(ps, "'%s' definitions are not supported", spec);
	if (!strcmp(spec, "BEGIN") || !strcmp(spec, "END")) {
		p.type = spec[0] == 'B' ? P_BEGIN : P_END;
		add_probe(b, &p);
		return;
	}
	if (!c1)
		fail(ps, "unknown probe '%s'", spec);
	tl = (size_t)(c1 - spec);
	snprintf(type, sizeof(type), "%.*s", (int)(tl < 31 ? tl : 31), spec);
	c2 = strchr(c1 + 1, ':');
	if (!strcmp(type, "tracepoint") || !strcmp(type, "t")) {
		const char *name;
		int hits = 0;

		if (!c2)
			fail(ps, "'%s': a tracepoint is CATEGORY:NAME", spec);
		snprintf(cat, sizeof(cat), "%.*s", (int)(c2 - c1 - 1), c1 + 1);
		name = c2 + 1;
		if (!strcmp(cat, "raw_syscalls")) {
			if (!fnmatch(name, "sys_enter", 0)) {
				p.type = P_RAW_ENTER;
				add_probe(b, &p);
				hits++;
			}
			if (!fnmatch(name, "sys_exit", 0)) {
				p.type = P_RAW_EXIT;
				add_probe(b, &p);
				hits++;
			}
		} else if (!strcmp(cat, "syscalls")) {
			uint8_t *en = nrset(), *ex = nrset();
			int ne = 0, nx = 0;
			long exact = -1;
			char full[96];

			for (unsigned long nr = 0; nr < LIMEN_NSYSENT; nr++) {
				const char *tp = bt_tpname(nr);

				if (!tp)
					continue;
				snprintf(full, sizeof(full), "sys_enter_%s", tp);
				if (!fnmatch(name, full, 0)) {
					en[nr / 8] |= (uint8_t)(1u << (nr % 8));
					ne++;
				}
				snprintf(full, sizeof(full), "sys_exit_%s", tp);
				if (!fnmatch(name, full, 0)) {
					ex[nr / 8] |= (uint8_t)(1u << (nr % 8));
					nx++;
				}
			}
			/* the call's own name where the kernel's differs
			   (sys_enter_stat for newstat) */
			if (!ne && !nx && !strncmp(name, "sys_enter_", 10) &&
			    (exact = bt_syscall_by_tpname(name + 10)) >= 0) {
				en[exact / 8] |= (uint8_t)(1u << (exact % 8));
				ne++;
			}
			if (!ne && !nx && !strncmp(name, "sys_exit_", 9) &&
			    (exact = bt_syscall_by_tpname(name + 9)) >= 0) {
				ex[exact / 8] |= (uint8_t)(1u << (exact % 8));
				nx++;
			}
			if (ne) {
				p.type = P_ENTER;
				p.nrs = en;
				add_probe(b, &p);
			} else {
				free(en);
			}
			if (nx) {
				p.type = P_EXIT;
				p.nrs = ex;
				add_probe(b, &p);
			} else {
				free(ex);
			}
			hits = ne + nx;
		} else {
			fail(ps, "'%s' is not a system call's tracepoint: limen "
			     "bt sees system calls only (tracepoint:syscalls:"
			     "..., tracepoint:raw_syscalls:...)", spec);
		}
		if (!hits)
			fail(ps, "no system call's tracepoint matches '%s'",
			     spec);
		return;
	}
	if (!strcmp(type, "interval") || !strcmp(type, "i")) {
		char unit[8];
		char *end;
		unsigned long long v;

		if (!c2 || (size_t)(c2 - c1 - 1) >= sizeof(unit))
			fail(ps, "'%s': interval:UNIT:N (s, ms, us, hz)", spec);
		snprintf(unit, sizeof(unit), "%.*s", (int)(c2 - c1 - 1), c1 + 1);
		v = strtoull(c2 + 1, &end, 10);
		if (*end || !c2[1] || !v || v > 1000000000ull)
			fail(ps, "'%s': the interval is a number above 0", spec);
		if (!strcmp(unit, "s"))
			p.period_ns = v * 1000000000ull;
		else if (!strcmp(unit, "ms"))
			p.period_ns = v * 1000000ull;
		else if (!strcmp(unit, "us"))
			p.period_ns = v * 1000ull;
		else if (!strcmp(unit, "hz"))
			p.period_ns = 1000000000ull / v;
		else
			fail(ps, "'%s': interval units are s, ms, us, hz", spec);
		if (!p.period_ns)
			p.period_ns = 1;
		p.type = P_INTERVAL;
		add_probe(b, &p);
		return;
	}
	{
		static const char *const kinds[] = {
			"kprobe", "k", "kretprobe", "kr", "uprobe", "u",
			"uretprobe", "ur", "usdt", "U", "profile", "p",
			"software", "s", "hardware", "h", "watchpoint", "w",
			"asyncwatchpoint", "aw", "kfunc", "f", "kretfunc",
			"fr", "fentry", "fexit", "iter", "it",
			"rawtracepoint", "rt",
		};

		for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
			if (!strcmp(type, kinds[i]))
				fail(ps, "'%s' probes are not supported: limen "
				     "bt sees system calls only (tracepoint:"
				     "syscalls:..., tracepoint:raw_syscalls:..., "
				     "BEGIN, END, interval)", type);
	}
	fail(ps, "unknown probe type '%s'", type);
}

void limen_bt_free(struct limen_bt *b);

struct limen_bt *limen_bt_compile(const char *src, size_t len, char *err,
				  size_t errlen)
{
	struct bt_parser ps = { 0 };
	jmp_buf jb;
	struct limen_bt *volatile b = calloc(1, sizeof(*b));
	const char *e;

	if (!b)
		limen_out_of_memory();
	ps.b = b;
	ps.lx.err = err;
	ps.lx.errlen = errlen;
	ps.lx.fail = &jb;
	if (setjmp(jb)) {
		free(ps.lx.sval);
		limen_bt_free(b);
		return NULL;
	}
	if (memchr(src, 0, len))
		bt_fail(&ps.lx, 1, 1, "%s", "the program has a NUL byte");
	bt_lex_init(&ps.lx, src, len);
	e = getenv("BPFTRACE_STRLEN");
	b->strlen_max = e && atoi(e) > 0 && atoi(e) <= 200 ? (unsigned)atoi(e) :
		64;
	for (;;) {
		int first = b->nprobes, t = bt_next_probe(&ps.lx);
		struct bt_node *pred = NULL, *body;

		if (t == T_EOF)
			break;
		if (t != T_PROBE)
			fail(&ps, "expected a probe, found '%s'",
			     (char[]){ (char)t, 0 });
		for (;;) {
			char *spec = take(&ps);

			ps.lx.sval = spec;
			probe_spec(&ps, spec, first);
			free(spec);
			ps.lx.sval = NULL;
			if (bt_peek_char(&ps.lx) != ',')
				break;
			ps.lx.p++;
			if (bt_next_probe(&ps.lx) != T_PROBE)
				fail(&ps, "%s", "expected a probe after ','");
		}
		bt_next(&ps.lx);
		if (ps.lx.tok == '/') {
			ps.in_pred = 1;
			bt_next(&ps.lx);
			pred = expr(&ps);
			ps.in_pred = 0;
			expect(&ps, '/', "'/' closing the predicate");
		}
		if (ps.lx.tok != '{')
			fail(&ps, "%s", "expected '{' (the probe's actions)");
		body = block(&ps);
		/* the lexer read one token past the '}': step back to it */
		ps.lx.p = ps.lx.tokp;
		for (int i = first; i < b->nprobes; i++) {
			b->probes[i].pred = pred;
			b->probes[i].body = body;
			b->probes[i].line = body->line;
		}
	}
	if (!b->nprobes)
		bt_fail(&ps.lx, 1, 1, "%s", "no probe: nothing to do");
	bt_check_all(&ps, 0);
	bt_check_all(&ps, 1);
	free(ps.lx.sval);
	return b;
}
