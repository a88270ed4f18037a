/* SPDX-License-Identifier: MIT */
/*
 * limen bt: the parser (to the tree of btint.h) and the checker (types,
 * the fields of each probe's calls, map kinds). Whatever is outside the
 * subset limen runs is refused here, naming the construct.
 */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "bt/btint.h"
#include "systab.h"

struct parser {
	struct bt_lex lx;
	struct limen_bt *b;
	int nest;               /* inside ( [ : '/' divides again */
	int in_pred;
	int depth;              /* of the expression being parsed */
};

/* the checker and the evaluator recurse as deep as the tree is */
#define MAX_DEPTH 200

static void deeper(struct parser *ps, int by);

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
		if (!strcmp(se->name, tp_alias[i].call))
			return tp_alias[i].tp;
	return se->name;
}

long bt_syscall_by_tpname(const char *name)
{
	for (unsigned long nr = 0; nr < LIMEN_NSYSENT; nr++) {
		const char *t = bt_tpname(nr);

		if (t && (!strcmp(t, name) ||
			  !strcmp(limen_sysent[nr].name, name)))
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
		if (!strcmp(se->name, field_alias[k].call) &&
		    !strcmp(se->args[i].name, field_alias[k].arg))
			return field_alias[k].field;
	return se->args[i].name;
}

/* ---- nodes ---- */

static struct bt_node *node(struct parser *ps, int kind)
{
	struct bt_node *n = calloc(1, sizeof(*n));

	if (!n)
		abort();
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
			abort();
	}
	n->list[n->nlist++] = k;
}

static char *take(struct parser *ps)
{
	char *s = ps->lx.sval;

	ps->lx.sval = NULL;
	return s;
}

static _Noreturn void fail(struct parser *ps, const char *fmt, const char *a)
{
	bt_fail(&ps->lx, ps->lx.line, ps->lx.col, fmt, a);
}

static const char *tokname(struct parser *ps, char *buf, size_t n)
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

static void expect(struct parser *ps, int tok, const char *what)
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
	[F_STRNCMP] = "strncmp",
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

static struct bt_node *expr(struct parser *ps);
static struct bt_node *ternary(struct parser *ps);

static int find_name(const char *const *tab, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (tab[i] && !strcmp(tab[i], s))
			return (int)i;
	return -1;
}

static void refuse_ident(struct parser *ps, const char *name, int call,
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

static struct bt_node *map_ref(struct parser *ps)
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

static struct bt_node *primary(struct parser *ps)
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
		    find_name(type_names, sizeof(type_names) /
			      sizeof(type_names[0]), ps->lx.sval) >= 0)
			fail(ps, "casts ((%s)...) are not supported",
			     ps->lx.sval);
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

static struct bt_node *postfix(struct parser *ps)
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

static struct bt_node *unary(struct parser *ps)
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

static struct bt_node *binary(struct parser *ps, unsigned lv)
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

static struct bt_node *ternary(struct parser *ps)
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

static struct bt_node *expr(struct parser *ps)
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

static void deeper(struct parser *ps, int by)
{
	ps->depth += by;
	if (ps->depth > MAX_DEPTH)
		fail(ps, "%s", "the expression nests too deep (200 levels)");
}

/* ---- statements ---- */

static struct bt_node *block(struct parser *ps);

static struct bt_node *statement(struct parser *ps)
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

static struct bt_node *block(struct parser *ps)
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
		abort();
	b->probes[b->nprobes++] = *p;
}

static uint8_t *nrset(void)
{
	uint8_t *s = calloc(1, (LIMEN_NSYSENT + 7) / 8);

	if (!s)
		abort();
	return s;
}

/* One probe spec into probes sharing pred and body (filled later). */
static void probe_spec(struct parser *ps, const char *spec, int first)
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

/* ---- the checker ---- */

struct check {
	struct parser *ps;
	struct bt_probe *p;     /* the probe being checked (one of a group) */
	uint8_t *vtype;         /* per variable */
	uint8_t *vset;          /* assigned so far in this probe */
	int pass;               /* 0: map kinds may be unknown yet */
};

static _Noreturn void cfail(struct check *ck, const struct bt_node *n,
			    const char *fmt, const char *a)
{
	bt_fail(&ck->ps->lx, n->line, n->col, fmt, a);
}

static int var_slot(struct check *ck, const char *name, struct bt_node *at)
{
	struct limen_bt *b = ck->ps->b;

	for (int i = 0; i < b->nvars; i++)
		if (!strcmp(b->vars[i], name))
			return i;
	if (b->nvars >= BT_MAXVARS)
		cfail(ck, at, "%s: more than 256 variables", name);
	b->vars = realloc(b->vars, sizeof(*b->vars) * (size_t)(b->nvars + 1));
	if (!b->vars)
		abort();
	b->vars[b->nvars] = strdup(name);
	return b->nvars++;
}

static int map_slot(struct limen_bt *b, const char *name)
{
	struct bt_map *m;

	for (int i = 0; i < b->nmaps; i++)
		if (!strcmp(b->maps[i]->name, name))
			return i;
	/* pointers: a map found stays where it is while others are added */
	b->maps = realloc(b->maps, sizeof(*b->maps) * (size_t)(b->nmaps + 1));
	m = calloc(1, sizeof(*m));
	if (!b->maps || !m)
		abort();
	m->name = strdup(name);
	m->nkeys = -1;
	b->maps[b->nmaps] = m;
	return b->nmaps++;
}

static int is_exit(const struct bt_probe *p)
{
	return p->type == P_EXIT || p->type == P_RAW_EXIT;
}

static int is_call(const struct bt_probe *p)
{
	return p->type >= P_ENTER && p->type <= P_RAW_EXIT;
}

static int check_expr(struct check *ck, struct bt_node *n);

static void check_field(struct check *ck, struct bt_node *n)
{
	const struct bt_probe *p = ck->p;

	if (!is_call(p))
		cfail(ck, n, "args.%s: there are no args in this probe "
		      "(BEGIN, END, interval)", n->sval);
	if (n->kind == N_RAWARG) {
		if (p->type != P_RAW_ENTER)
			cfail(ck, n, "%s", "args.args[N] is raw_syscalls:"
			      "sys_enter's");
		return;
	}
	if (p->type == P_RAW_ENTER || p->type == P_RAW_EXIT) {
		if (!strcmp(n->sval, "id") ||
		    (!strcmp(n->sval, "ret") && p->type == P_RAW_EXIT))
			return;
		cfail(ck, n, "raw_syscalls has no field '%s' (id, args[N] "
		      "at sys_enter, ret at sys_exit)", n->sval);
	}
	if (!strcmp(n->sval, "__syscall_nr"))
		return;
	if (p->type == P_EXIT) {
		if (!strcmp(n->sval, "ret"))
			return;
		cfail(ck, n, "sys_exit tracepoints have the fields "
		      "__syscall_nr and ret, not '%s'", n->sval);
	}
	for (unsigned long nr = 0; nr < LIMEN_NSYSENT; nr++) {
		int found = 0;

		if (!(p->nrs[nr / 8] >> (nr % 8) & 1))
			continue;
		for (unsigned i = 0; i < 6; i++) {
			const char *f = bt_field_name(nr, i);

			found |= f && !strcmp(f, n->sval);
		}
		if (!found) {
			char m[200];

			snprintf(m, sizeof(m), "sys_enter_%s has no field "
				 "'%%s'", bt_tpname(nr));
			cfail(ck, n, m, n->sval);
		}
	}
}

static void check_map_keys(struct check *ck, struct bt_node *n)
{
	struct bt_map *m = ck->ps->b->maps[n->id];

	for (int i = 0; i < n->nlist; i++) {
		int t = check_expr(ck, n->list[i]);

		if (t != TY_INT && t != TY_STR && t != TY_BUF)
			cfail(ck, n->list[i], "%s", "a map key is a number or "
			      "a string");
		if (m->nkeys >= 0 && i < m->nkeys && m->ktype[i] != t)
			cfail(ck, n->list[i], "%s: this key's type differs "
			      "from the map's other uses", m->name);
		if (m->nkeys < 0)
			m->ktype[i] = (uint8_t)t;
	}
	if (m->nkeys >= 0 && m->nkeys != n->nlist)
		cfail(ck, n, "%s: used with a different number of keys",
		      m->name);
	m->nkeys = n->nlist;
}

static int map_read_type(struct check *ck, struct bt_node *n)
{
	struct bt_map *m;

	n->id = map_slot(ck->ps->b, n->sval);
	m = ck->ps->b->maps[n->id];
	check_map_keys(ck, n);
	switch (m->kind) {
	case M_STR:
		return TY_STR;
	case M_STATS: case M_HIST: case M_LHIST:
		cfail(ck, n, "%s: a stats(), hist() or lhist() map has no "
		      "value to read", m->name);
	case M_NONE:
		if (ck->pass)
			cfail(ck, n, "%s is read but never assigned", m->name);
		return TY_INT;
	}
	return TY_INT;
}

static void need(struct check *ck, struct bt_node *n, int want,
		 const char *what)
{
	int t = check_expr(ck, n);

	if (t != want)
		cfail(ck, n, "%s", what);
}

static void check_printf(struct check *ck, struct bt_node *n)
{
	const char *f;
	int ai = 1;

	if (n->nlist < 1 || n->list[0]->kind != N_STR)
		cfail(ck, n, "%s", "printf's first argument is a string "
		      "literal");
	f = n->list[0]->sval;
	for (size_t i = 0; i < n->list[0]->slen; i++) {
		char conv;
		int t;

		if (f[i] != '%')
			continue;
		i++;
		if (f[i] == '%')
			continue;
		while (f[i] && strchr("-+ #0", f[i]))
			i++;
		while (f[i] >= '0' && f[i] <= '9')
			i++;
		if (f[i] == '.') {
			i++;
			while (f[i] >= '0' && f[i] <= '9')
				i++;
		}
		while (f[i] && strchr("hlzjt", f[i]))
			i++;
		conv = f[i];
		if (!conv || !strchr("diouxXcsrp", conv))
			cfail(ck, n, "printf: the conversion '%%%s' is not "
			      "supported (d i u o x X c s r p)",
			      conv ? (char[]){ conv, 0 } : "");
		if (ai >= n->nlist)
			cfail(ck, n, "%s", "printf: fewer arguments than "
			      "conversions");
		t = check_expr(ck, n->list[ai]);
		if (conv == 's' && t == TY_INT)
			cfail(ck, n->list[ai], "%s", "printf: %s wants a string "
			      "(str() reads one)");
		if (conv == 'r' && t != TY_BUF)
			cfail(ck, n->list[ai], "%s", "printf: %r wants buf()");
		if (conv != 's' && conv != 'r' && t != TY_INT)
			cfail(ck, n->list[ai], "%s", "printf: this conversion "
			      "wants a number");
		ai++;
	}
	if (ai != n->nlist)
		cfail(ck, n, "%s", "printf: more arguments than conversions");
}

static void check_map_arg(struct check *ck, struct bt_node *n,
			  struct bt_node *a, int keyed)
{
	if (!a || a->kind != N_MAP)
		cfail(ck, n, "%s() takes a map", n->sval);
	a->id = map_slot(ck->ps->b, a->sval);
	if (keyed && !a->ival)
		cfail(ck, n, "%s", "delete() takes a map element: @m[key]");
	if (!keyed && a->ival)
		cfail(ck, n, "%s() takes a whole map: @m, not @m[key]",
		      n->sval);
	if (keyed)
		check_map_keys(ck, a);
}

static int check_call(struct check *ck, struct bt_node *n, int stmt)
{
	int k = (int)n->ival, t;
	struct limen_bt *b = ck->ps->b;

	switch (k) {
	case F_PRINTF:
		if (!stmt)
			break;
		check_printf(ck, n);
		return TY_NONE;
	case F_PRINT:
		if (!stmt)
			break;
		if (n->nlist < 1 || n->nlist > 3)
			cfail(ck, n, "%s", "print(@map) or print(value)");
		if (n->list[0]->kind == N_MAP && !n->list[0]->ival) {
			n->list[0]->id = map_slot(b, n->list[0]->sval);
			if (n->nlist > 1)
				cfail(ck, n, "%s", "print(@map, top, div) is not "
				      "supported: print(@map) prints it whole");
			return TY_NONE;
		}
		if (n->nlist > 1)
			cfail(ck, n, "%s", "print(value) takes one argument");
		if (check_expr(ck, n->list[0]) == TY_NONE)
			cfail(ck, n, "%s", "print: nothing to print");
		return TY_NONE;
	case F_TIME:
		if (!stmt)
			break;
		if (n->nlist > 1 || (n->nlist && n->list[0]->kind != N_STR))
			cfail(ck, n, "%s", "time() or time(\"FORMAT\")");
		return TY_NONE;
	case F_EXIT:
		if (!stmt)
			break;
		if (n->nlist)
			cfail(ck, n, "%s", "exit() takes no argument in bpftrace "
			      "0.17");
		return TY_NONE;
	case F_JOIN:
		if (!stmt)
			break;
		if (n->nlist < 1 || n->nlist > 2 || n->list[0]->kind != N_FIELD ||
		    (n->nlist == 2 && n->list[1]->kind != N_STR))
			cfail(ck, n, "%s", "join(args.FIELD [, \"delim\"]): "
			      "FIELD an argv (execve's argv, envp)");
		check_expr(ck, n->list[0]);
		return TY_NONE;
	case F_STR:
		if (n->nlist < 1 || n->nlist > 2)
			cfail(ck, n, "%s", "str(pointer [, length])");
		need(ck, n->list[0], TY_INT, "str() reads a pointer");
		if (n->nlist == 2)
			need(ck, n->list[1], TY_INT, "str(): the length is a "
			     "number");
		return TY_STR;
	case F_BUF:
		if (n->nlist < 1 || n->nlist > 2)
			cfail(ck, n, "%s", "buf(pointer [, length])");
		need(ck, n->list[0], TY_INT, "buf() reads a pointer");
		if (n->nlist == 2)
			need(ck, n->list[1], TY_INT, "buf(): the length is a "
			     "number");
		return TY_BUF;
	case F_STRNCMP:
		if (n->nlist != 3)
			cfail(ck, n, "%s", "strncmp(s1, s2, n)");
		need(ck, n->list[0], TY_STR, "strncmp() compares strings");
		need(ck, n->list[1], TY_STR, "strncmp() compares strings");
		if (n->list[2]->kind != N_INT)
			cfail(ck, n, "%s", "strncmp(): n is a number literal");
		return TY_INT;
	case F_DELETE: case F_CLEAR: case F_ZERO:
		if (!stmt)
			break;
		if (n->nlist != 1)
			cfail(ck, n, "%s() takes one map", n->sval);
		check_map_arg(ck, n, n->list[0], k == F_DELETE);
		return TY_NONE;
	default: {
		char m[160];

		snprintf(m, sizeof(m), "%%s() must be assigned to a map: "
			 "@x = %s(...)", n->sval);
		cfail(ck, n, m, n->sval);
	}
	}
	t = 0;
	cfail(ck, n, "%s() is a statement: it has no value", n->sval);
	return t;
}

/* An aggregate assigned to a map: its kind. */
static int check_agg(struct check *ck, struct bt_node *n, struct bt_map *m)
{
	static const uint8_t kinds[] = {
		[F_COUNT] = M_COUNT, [F_SUM] = M_SUM, [F_AVG] = M_AVG,
		[F_MIN] = M_MIN, [F_MAX] = M_MAX, [F_STATS] = M_STATS,
		[F_HIST] = M_HIST, [F_LHIST] = M_LHIST,
	};
	int k = (int)n->ival;
	int want = k == F_COUNT ? 0 : k == F_LHIST ? 4 : 1;

	if (n->nlist != want)
		cfail(ck, n, want == 0 ? "%s() takes no argument" :
		      want == 1 ? "%s() takes one number" :
		      "%s(value, min, max, step)", n->sval);
	for (int i = 0; i < n->nlist; i++)
		need(ck, n->list[i], TY_INT, "aggregates count numbers");
	if (k == F_LHIST) {
		for (int i = 1; i < 4; i++)
			if (n->list[i]->kind != N_INT)
				cfail(ck, n, "%s", "lhist(): min, max and step "
				      "are number literals");
		int64_t span;

		if (n->list[1]->ival < 0)
			cfail(ck, n, "%s", "lhist(): min must be non-negative "
			      "(as in bpftrace)");
		if (n->list[3]->ival <= 0 ||
		    n->list[2]->ival <= n->list[1]->ival ||
		    __builtin_sub_overflow(n->list[2]->ival, n->list[1]->ival,
					   &span) ||
		    span / n->list[3]->ival > 1000)
			cfail(ck, n, "%s", "lhist(): step > 0, max > min, "
			      "at most 1000 buckets");
		if (m->kind == M_LHIST &&
		    (m->lmin != n->list[1]->ival || m->lmax != n->list[2]->ival ||
		     m->lstep != n->list[3]->ival))
			cfail(ck, n, "%s: lhist() with other bounds than "
			      "before", m->name);
		m->lmin = n->list[1]->ival;
		m->lmax = n->list[2]->ival;
		m->lstep = n->list[3]->ival;
	}
	return kinds[k];
}

static int is_agg(const struct bt_node *n)
{
	return n->kind == N_CALL && n->ival >= F_COUNT && n->ival <= F_LHIST;
}

static const char *const kind_names[] = {
	"unset", "count()", "sum()", "min()", "max()", "avg()", "stats()",
	"hist()", "lhist()", "a number", "a string",
};

static void set_kind(struct check *ck, struct bt_node *at, struct bt_map *m,
		     int kind)
{
	if (m->kind && m->kind != kind) {
		char msg[200];

		snprintf(msg, sizeof(msg), "%%s: assigned %s here, %s before",
			 kind_names[kind], kind_names[m->kind]);
		cfail(ck, at, msg, m->name);
	}
	m->kind = (uint8_t)kind;
}

static int check_assign(struct check *ck, struct bt_node *n)
{
	struct bt_node *l = n->a, *r = n->b;
	int t;

	if (l->kind == N_MAP) {
		struct bt_map *m;

		l->id = map_slot(ck->ps->b, l->sval);
		m = ck->ps->b->maps[l->id];
		check_map_keys(ck, l);
		if (is_agg(r)) {
			if (n->op != '=')
				cfail(ck, n, "%s", "an aggregate is assigned "
				      "with =");
			set_kind(ck, l, m, check_agg(ck, r, m));
			return TY_NONE;
		}
		t = check_expr(ck, r);
		if (t == TY_NONE || t == TY_BUF)
			cfail(ck, r, "%s", "a map holds a number, a string or "
			      "an aggregate");
		if (n->op != '=' && t != TY_INT)
			cfail(ck, n, "%s", "compound assignment is for numbers");
		if (n->op != '=' && m->kind && m->kind != M_INT)
			cfail(ck, n, "%s: compound assignment to an aggregate "
			      "or string map", m->name);
		set_kind(ck, l, m, t == TY_STR ? M_STR : M_INT);
		return TY_NONE;
	}
	/* a $variable */
	if (is_agg(r))
		cfail(ck, r, "%s() must be assigned to a map", r->sval);
	l->id = var_slot(ck, l->sval, l);
	t = check_expr(ck, r);
	if (t == TY_NONE)
		cfail(ck, r, "%s", "this has no value to assign");
	if (n->op != '=') {
		if (!ck->vset[l->id])
			cfail(ck, l, "%s is used before it is assigned",
			      l->sval);
		if (t != TY_INT || ck->vtype[l->id] != TY_INT)
			cfail(ck, n, "%s", "compound assignment is for numbers");
	}
	if (ck->vtype[l->id] && ck->vtype[l->id] != t)
		cfail(ck, n, "%s: assigned a value of another type before",
		      l->sval);
	ck->vtype[l->id] = (uint8_t)t;
	ck->vset[l->id] = 1;
	return TY_NONE;
}

static int check_expr(struct check *ck, struct bt_node *n)
{
	int ta, tb;

	switch (n->kind) {
	case N_INT:
		return n->type = TY_INT;
	case N_STR:
		return n->type = TY_STR;
	case N_VAR:
		n->id = var_slot(ck, n->sval, n);
		if (!ck->vset[n->id])
			cfail(ck, n, "%s is used before it is assigned",
			      n->sval);
		return n->type = ck->vtype[n->id];
	case N_MAP:
		return n->type = (uint8_t)map_read_type(ck, n);
	case N_BUILTIN:
		if (n->ival == B_RETVAL && !is_exit(ck->p))
			cfail(ck, n, "%s", "retval is known at a sys_exit probe "
			      "only");
		if (n->ival == B_COMM)
			ck->ps->b->uses_comm = 1;
		return n->type = (n->ival == B_COMM || n->ival == B_PROBE) ?
			TY_STR : TY_INT;
	case N_FIELD:
	case N_RAWARG:
		check_field(ck, n);
		return n->type = TY_INT;
	case N_CALL:
		return n->type = (uint8_t)check_call(ck, n, 0);
	case N_NOT: case N_NEG: case N_BNOT:
		need(ck, n->a, TY_INT, "this operator is for numbers");
		return n->type = TY_INT;
	case N_TERN:
		need(ck, n->a, TY_INT, "the condition is a number");
		ta = check_expr(ck, n->b);
		tb = check_expr(ck, n->c);
		if (ta != tb || ta == TY_NONE)
			cfail(ck, n, "%s", "?: both branches of one type");
		return n->type = (uint8_t)ta;
	case N_BIN:
		ta = check_expr(ck, n->a);
		tb = check_expr(ck, n->b);
		if (n->ival == T_EQ || n->ival == T_NE) {
			if (ta != tb || ta == TY_NONE || ta == TY_BUF)
				cfail(ck, n, "%s", "== and != compare two "
				      "numbers or two strings");
			return n->type = TY_INT;
		}
		if (ta != TY_INT || tb != TY_INT)
			cfail(ck, n, "%s", ta == TY_STR || tb == TY_STR ?
			      "strings compare with == and != only (or "
			      "strncmp)" : "this operator is for numbers");
		return n->type = TY_INT;
	case N_INCDEC:
		if (n->a->kind == N_VAR) {
			n->a->id = var_slot(ck, n->a->sval, n);
			if (!ck->vset[n->a->id] || ck->vtype[n->a->id] != TY_INT)
				cfail(ck, n, "%s: ++ and -- need a number "
				      "assigned before", n->a->sval);
		} else if (n->a->kind == N_MAP) {
			struct bt_map *m;

			n->a->id = map_slot(ck->ps->b, n->a->sval);
			m = ck->ps->b->maps[n->a->id];
			check_map_keys(ck, n->a);
			if (m->kind && m->kind != M_INT)
				cfail(ck, n, "%s: ++ and -- need a number map",
				      m->name);
			m->kind = M_INT;
		} else {
			cfail(ck, n, "%s", "++ and -- apply to a $variable or a "
			      "@map");
		}
		return n->type = TY_INT;
	case N_ASSIGN:
		cfail(ck, n, "%s", "an assignment is a statement, not a value");
	}
	cfail(ck, n, "%s", "not an expression");
}

static void check_block(struct check *ck, struct bt_node *blk);

static void check_stmt(struct check *ck, struct bt_node *s)
{
	switch (s->kind) {
	case N_IF:
		need(ck, s->a, TY_INT, "if's condition is a number");
		check_block(ck, s->b);
		if (s->c)
			check_block(ck, s->c);
		return;
	case N_UNROLL:
		check_block(ck, s->b);
		return;
	case N_WHILE:
		need(ck, s->a, TY_INT, "while's condition is a number");
		check_block(ck, s->b);
		return;
	case N_RETURN:
		return;
	case N_EXPR:
		if (s->a->kind == N_ASSIGN) {
			check_assign(ck, s->a);
			return;
		}
		if (s->a->kind == N_CALL) {
			check_call(ck, s->a, 1);
			return;
		}
		if (s->a->kind == N_INCDEC) {
			check_expr(ck, s->a);
			return;
		}
		cfail(ck, s, "%s", "this statement does nothing (a call, an "
		      "assignment, ++ or --)");
	}
	cfail(ck, s, "%s", "not a statement");
}

static void check_block(struct check *ck, struct bt_node *blk)
{
	for (int i = 0; i < blk->nlist; i++)
		check_stmt(ck, blk->list[i]);
}

static void check_all(struct parser *ps, int pass)
{
	struct limen_bt *b = ps->b;
	struct check ck = { .ps = ps, .pass = pass };

	for (int i = 0; i < b->nprobes; i++) {
		/* variables are the probe's own */
		uint8_t vtype[BT_MAXVARS] = { 0 }, vset[BT_MAXVARS] = { 0 };

		ck.p = &b->probes[i];
		ck.vtype = vtype;
		ck.vset = vset;
		if (ck.p->pred)
			need(&ck, ck.p->pred, TY_INT, "a predicate is a number "
			     "(compare strings with ==)");
		check_block(&ck, ck.p->body);
	}
}

void limen_bt_free(struct limen_bt *b);

struct limen_bt *limen_bt_compile(const char *src, size_t len, char *err,
				  size_t errlen)
{
	struct parser ps = { 0 };
	jmp_buf jb;
	struct limen_bt *volatile b = calloc(1, sizeof(*b));
	const char *e;

	if (!b)
		abort();
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
	check_all(&ps, 0);
	check_all(&ps, 1);
	free(ps.lx.sval);
	return b;
}
