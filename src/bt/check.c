/* SPDX-License-Identifier: MIT */
/*
 * limen bt: the checker. Types, the fields of each probe's calls, map kinds
 * and keys, what may be a statement and what a value; run twice (the first
 * pass learns the maps' kinds from their assignments wherever they are).
 */
#include <string.h>

#include "bt/btint.h"
#include "systab.h"
#include "decode/oom.h"

struct check {
	struct bt_parser *ps;
	struct bt_probe *p;     /* the probe being checked (one of a group) */
	uint8_t *vtype;         /* per variable */
	uint8_t *vset;          /* assigned so far in this probe */
	uint8_t *vityp;         /* per variable: its integer type (ityp) */
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
		limen_out_of_memory();
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
		limen_out_of_memory();
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
	case F_SNAPSHOT:
		if (!stmt)
			break;
		if (n->nlist > 1 || (n->nlist && n->list[0]->kind != N_STR))
			cfail(ck, n, "%s", "snapshot() or snapshot(\"WHY\")");
		ck->ps->b->uses_snapshot = 1;
		return TY_NONE;
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
	/* a compound assignment computes in 64 bits */
	ck->vityp[l->id] = n->op == '=' ? r->ityp : 0;
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
		n->ityp = ck->vityp[n->id];
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
	case N_CAST:
		need(ck, n->a, TY_INT, "casts are for numbers");
		n->ityp = (uint8_t)((n->ival & 0x7f) |
				    (n->ival & BT_CAST_UNSIGNED ?
				     BT_ITYP_UNSIGNED : 0));
		if (BT_IBITS(n) == 64)
			n->ityp &= BT_ITYP_UNSIGNED;
		return n->type = TY_INT;
	case N_NOT: case N_NEG: case N_BNOT:
		need(ck, n->a, TY_INT, "this operator is for numbers");
		/* - and ~ keep their operand's type (! gives 0 or 1) */
		n->ityp = n->kind == N_NOT ? 0 : n->a->ityp;
		return n->type = TY_INT;
	case N_TERN:
		need(ck, n->a, TY_INT, "the condition is a number");
		ta = check_expr(ck, n->b);
		tb = check_expr(ck, n->c);
		if (ta != tb || ta == TY_NONE)
			cfail(ck, n, "%s", "?: both branches of one type");
		n->ityp = n->b->ityp == n->c->ityp ? n->b->ityp : 0;
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
		/* as C compares: unsigned if either operand is, both in 64
		   bits; arithmetic is in 64 bits, unsigned likewise */
		n->ucmp = (uint8_t)(BT_IUNS(n->a) || BT_IUNS(n->b));
		n->ityp = n->ucmp && n->ival != T_AND && n->ival != T_OR &&
			  n->ival != '<' && n->ival != '>' &&
			  n->ival != T_LE && n->ival != T_GE &&
			  n->ival != T_EQ && n->ival != T_NE ?
			  BT_ITYP_UNSIGNED : 0;
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

void bt_check_all(struct bt_parser *ps, int pass)
{
	struct limen_bt *b = ps->b;
	struct check ck = { .ps = ps, .pass = pass };

	for (int i = 0; i < b->nprobes; i++) {
		/* variables are the probe's own */
		uint8_t vtype[BT_MAXVARS] = { 0 }, vset[BT_MAXVARS] = { 0 };
		uint8_t vityp[BT_MAXVARS] = { 0 };

		ck.p = &b->probes[i];
		ck.vtype = vtype;
		ck.vset = vset;
		ck.vityp = vityp;
		if (ck.p->pred)
			need(&ck, ck.p->pred, TY_INT, "a predicate is a number "
			     "(compare strings with ==)");
		check_block(&ck, ck.p->body);
	}
}

