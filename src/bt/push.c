/* SPDX-License-Identifier: MIT */
/*
 * limen bt's predicates pushed into the traced process: for each system
 * call the probes select, the part of their predicates the runtime can
 * decide at the call (arguments, path strings, pid, tid, the return value
 * at exit) becomes a filter program (cli/filter_compile.c), so a call no
 * probe can fire on takes no ring space and no collector time. The
 * collector still evaluates the whole predicate: what cannot be pushed
 * (maps, variables, comm, nsecs, arithmetic) is taken as "maybe", so the
 * program only ever keeps more than the probes need, never less.
 *
 * A predicate P becomes an expression E with P => E ("over", for a call
 * to be kept) or E => P ("under", beneath a "!"): an unknown part is true
 * over and false under, and "!" swaps them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include "bt/btint.h"
#include "cli/filter_compile.h"
#include "decode/decode.h"
#include "session/filter_abi.h"
#include "systab.h"

/* A translation: a constant, or an expression (K_UNKNOWN: strncmp_zero
   cannot say) */
enum { K_FALSE = 0, K_TRUE = 1, K_EXPR = -1, K_UNKNOWN = 2 };

struct tr {
	int k;
	struct limen_fexpr *e;
};

struct pctx {
	unsigned nr;
	const struct limen_sysent *se;
	const struct bt_probe *p;
	const struct limen_bt *b;
	int at_exit;            /* an exit probe: ret is known */
	int ret_ok;             /* the runtime decides at the call's exit */
};

static struct tr kconst(int v)
{
	return (struct tr){ .k = v ? K_TRUE : K_FALSE };
}

static struct tr kexpr(struct limen_fexpr *e)
{
	return (struct tr){ .k = K_EXPR, .e = e };
}

static struct tr tnot(struct tr a)
{
	if (a.k != K_EXPR)
		return kconst(!a.k);
	return kexpr(limen_fexpr_join('!', a.e, NULL));
}

/* && (and 1) or || (and 0), folding constants */
static struct tr tjoin(int and, struct tr a, struct tr c)
{
	if (a.k == !and || c.k == !and) {
		limen_fexpr_free(a.e);
		limen_fexpr_free(c.e);
		return kconst(!and);
	}
	if (a.k == and)
		return c;
	if (c.k == and)
		return a;
	return kexpr(limen_fexpr_join(and ? '&' : '|', a.e, c.e));
}

/* The call's argument a field names, or -1 */
static int field_arg(const struct pctx *x, const struct bt_node *n)
{
	if (n->kind == N_RAWARG)
		return (int)n->ival;
	if (n->kind != N_FIELD || x->p->type == P_RAW_ENTER ||
	    x->p->type == P_RAW_EXIT)
		return -1;
	for (unsigned i = 0; i < 6; i++) {
		const char *f = bt_field_name(x->nr, i);

		if (f && !strcmp(f, n->sval))
			return (int)i;
	}
	return -1;
}

/* An integer the runtime knows: a constant (*what -1, *v), or a value it
   reads (LIMEN_FX_*). 0 if it is not one. */
static int int_operand(const struct pctx *x, const struct bt_node *n,
		       int *what, int *argi, int *width, int64_t *v)
{
	int i;

	*what = -1;
	if (n->kind == N_INT) {
		*v = n->ival;
		return 1;
	}
	if (n->kind == N_NEG && n->a->kind == N_INT) {
		*v = (int64_t)(0 - (uint64_t)n->a->ival);
		return 1;
	}
	if (n->kind == N_BUILTIN) {
		if (n->ival == B_PID || n->ival == B_TID) {
			*what = n->ival == B_PID ? LIMEN_FX_PID : LIMEN_FX_TID;
			return 1;
		}
		if (n->ival == B_RETVAL && x->at_exit && x->ret_ok) {
			*what = LIMEN_FX_RET;
			return 1;
		}
		return 0;
	}
	if (n->kind == N_FIELD && (!strcmp(n->sval, "__syscall_nr") ||
				   !strcmp(n->sval, "id"))) {
		*v = x->nr;
		return 1;
	}
	if (n->kind == N_FIELD && !strcmp(n->sval, "ret")) {
		if (!x->at_exit || !x->ret_ok)
			return 0;
		*what = LIMEN_FX_RET;
		return 1;
	}
	i = field_arg(x, n);
	if (i < 0)
		return 0;
	*what = LIMEN_FX_ARG;
	*argi = i;
	*width = LIMEN_FARG_RAW;
	/* as eval.c's arg_value types it */
	if (n->kind == N_FIELD && (unsigned)i < x->se->nargs)
		switch (x->se->args[i].type) {
		case LIMEN_AT_INT: case LIMEN_AT_FD: case LIMEN_AT_DIRFD:
		case LIMEN_AT_PID: case LIMEN_AT_SIG:
			*width = LIMEN_FARG_S32;
			break;
		case LIMEN_AT_UINT:
			*width = LIMEN_FARG_U32;
			break;
		}
	return 1;
}

/* str(args.F) of a string argument the runtime reads: its index */
static int str_arg(const struct pctx *x, const struct bt_node *n)
{
	int i;

	if (n->kind != N_CALL || n->ival != F_STR || n->nlist != 1)
		return -1;
	i = field_arg(x, n->list[0]);
	if (i < 0 || n->list[0]->kind != N_FIELD || (unsigned)i >= x->se->nargs)
		return -1;
	/* an input string; at exit bt may read what the kernel wrote */
	if (x->se->args[i].type == LIMEN_AT_PATH ||
	    (x->se->args[i].type == LIMEN_AT_STR && !x->at_exit))
		return i;
	return -1;
}

static int is_cmp(int op)
{
	return op == T_EQ || op == T_NE || op == '<' || op == '>' ||
	       op == T_LE || op == T_GE;
}

/* a OP c, and with the operands swapped */
static const char *op_str(int op, int swapped)
{
	switch (op) {
	case T_EQ: return "==";
	case T_NE: return "!=";
	case '<': return swapped ? ">" : "<";
	case '>': return swapped ? "<" : ">";
	case T_LE: return swapped ? ">=" : "<=";
	case T_GE: return swapped ? "<=" : ">=";
	}
	return "==";
}

static int64_t cmp_const(int op, int64_t a, int64_t c)
{
	switch (op) {
	case T_EQ: return a == c;
	case T_NE: return a != c;
	case '<': return a < c;
	case '>': return a > c;
	case T_LE: return a <= c;
	}
	return a >= c;
}

/* Bytes without a NUL that str() can equal whole: shorter than its
   bound (a longer string is cut there, and would equal its cut) */
static int str_ok(const struct limen_bt *b, const struct bt_node *s)
{
	return s->kind == N_STR && s->slen + 1 < b->strlen_max &&
	       memchr(s->sval, 0, s->slen) == NULL;
}

/* strncmp(str(args.F), "lit", k) (either way round) is 0: the string
   equals lit (lit shorter than k), or starts with lit's first k bytes */
static struct tr strncmp_zero(const struct pctx *x, const struct bt_node *n)
{
	const struct bt_node *lit = n->list[1];
	int i = str_arg(x, n->list[0]);
	size_t k = (size_t)n->list[2]->ival;
	char g[2 * BT_STRMAX + 2];
	size_t gn = 0;

	if (i < 0) {
		i = str_arg(x, n->list[1]);
		lit = n->list[0];
	}
	if (i < 0 || lit->kind != N_STR || memchr(lit->sval, 0, lit->slen))
		return (struct tr){ .k = K_UNKNOWN };
	if (lit->slen < k) {
		if (!str_ok(x->b, lit))
			return (struct tr){ .k = K_UNKNOWN };
		return kexpr(limen_fexpr_strcmp(i, 0, lit->sval, lit->slen));
	}
	/* the first k bytes, which str() keeps whole */
	if (k == 0)
		return kconst(1);
	if (k + 1 > x->b->strlen_max || k > BT_STRMAX)
		return (struct tr){ .k = K_UNKNOWN };
	for (size_t j = 0; j < k; j++) {
		char c = lit->sval[j];

		if (c == '*' || c == '?' || c == '[' || c == '\\')
			g[gn++] = '\\';
		g[gn++] = c;
	}
	g[gn++] = '*';
	return kexpr(limen_fexpr_strcmp(i, 1, g, gn));
}

static struct tr tr(const struct pctx *x, const struct bt_node *n, int over);

/* unknown: true over, false under */
static struct tr unknown(int over)
{
	return kconst(over);
}

/* A node whose value is 0 or 1 (a condition): 1 if tr() applies */
static int is_bool(const struct bt_node *n)
{
	return (n->kind == N_BIN && (is_cmp((int)n->ival) ||
				     n->ival == T_AND || n->ival == T_OR)) ||
	       n->kind == N_NOT ||
	       (n->kind == N_CALL && n->ival == F_STRNCMP);
}

/* a comparison a OP c */
static struct tr tr_cmp(const struct pctx *x, const struct bt_node *n,
			int over)
{
	const struct bt_node *a = n->a, *c = n->b;
	int op = (int)n->ival, wa, wc, ia = 0, ic = 0, da = 0, dc = 0, i;
	int64_t va = 0, vc = 0;

	/* strings: str(args.F) == "lit" */
	if ((op == T_EQ || op == T_NE) && a->type == TY_STR) {
		const struct bt_node *lit = c;

		i = str_arg(x, a);
		if (i < 0) {
			i = str_arg(x, c);
			lit = a;
		}
		if (i < 0 || !str_ok(x->b, lit))
			return unknown(over);
		if (op == T_EQ)
			return kexpr(limen_fexpr_strcmp(i, 0, lit->sval,
							lit->slen));
		return tnot(kexpr(limen_fexpr_strcmp(i, 0, lit->sval,
						     lit->slen)));
	}
	if (a->type != TY_INT || c->type != TY_INT)
		return unknown(over);
	/* a condition compared with a number: itself or its negation */
	if (is_bool(a) || is_bool(c)) {
		const struct bt_node *bn = is_bool(a) ? a : c;
		const struct bt_node *k = bn == a ? c : a;
		int64_t f0, f1;

		if (!int_operand(x, k, &wa, &ia, &da, &va) || wa >= 0)
			return unknown(over);
		f0 = bn == a ? cmp_const(op, 0, va) : cmp_const(op, va, 0);
		f1 = bn == a ? cmp_const(op, 1, va) : cmp_const(op, va, 1);
		if (f0 == f1)
			return kconst((int)f0);
		if (f1)
			return tr(x, bn, over);
		return tnot(tr(x, bn, !over));
	}
	if (!int_operand(x, a, &wa, &ia, &da, &va) ||
	    !int_operand(x, c, &wc, &ic, &dc, &vc))
		return unknown(over);
	if (wa < 0 && wc < 0)
		return kconst((int)cmp_const(op, va, vc));
	if (wa >= 0 && wc >= 0)
		return unknown(over);
	if (wa >= 0)
		return kexpr(limen_fexpr_cmp(wa, ia, da, op_str(op, 0), vc));
	return kexpr(limen_fexpr_cmp(wc, ic, dc, op_str(op, 1), va));
}

static struct tr tr(const struct pctx *x, const struct bt_node *n, int over)
{
	int what, argi, width;
	int64_t v;

	switch (n->kind) {
	case N_NOT:
		return tnot(tr(x, n->a, !over));
	case N_BIN:
		if (n->ival == T_AND || n->ival == T_OR)
			return tjoin(n->ival == T_AND, tr(x, n->a, over),
				     tr(x, n->b, over));
		if (is_cmp((int)n->ival))
			return tr_cmp(x, n, over);
		break;
	case N_CALL:
		/* strncmp(...) alone: true when the strings differ */
		if (n->ival == F_STRNCMP) {
			struct tr z = strncmp_zero(x, n);

			if (z.k == K_UNKNOWN)
				return unknown(over);
			return tnot(z);
		}
		break;
	}
	/* a number as a condition: != 0 */
	if (n->type == TY_INT && int_operand(x, n, &what, &argi, &width, &v)) {
		if (what < 0)
			return kconst(v != 0);
		return kexpr(limen_fexpr_cmp(what, argi, width, "!=", 0));
	}
	return unknown(over);
}

/* The calls comm follows (sink.c): recorded whole when comm is used */
static int comm_call(const char *name)
{
	static const char *const calls[] = {
		"execve", "execveat", "clone", "clone3", "fork", "vfork",
		"prctl",
	};

	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
		if (!strcmp(name, calls[i]))
			return 1;
	return 0;
}

static int probe_on(const struct bt_probe *p, unsigned nr)
{
	if (p->type == P_RAW_ENTER || p->type == P_RAW_EXIT)
		return 1;
	if (p->type == P_ENTER || p->type == P_EXIT)
		return p->nrs[nr / 8] >> (nr % 8) & 1;
	return 0;
}

/* The calls selected that a predicate narrows; say so on stderr */
int limen_bt_push(const struct limen_bt *b, const uint8_t *mask, int all,
		  int show)
{
	int pushed = 0;

	for (unsigned nr = 0; nr < LIMEN_NSYSENT && nr < LIMEN_FILTER_NR;
	     nr++) {
		struct pctx x = { .nr = nr, .se = limen_sysent_get(nr),
				  .b = b };
		struct tr keep = kconst(0);
		int probes = 0;

		if (!x.se || !x.se->name ||
		    !(all || (mask[nr / 8] >> (nr % 8) & 1)))
			continue;
		if (b->uses_comm && comm_call(limen_str(x.se->name)))
			continue;
		/* A program reading ret is run at the call's exit, and the
		   entry is then written with the exit (its time, and the
		   memory as it is after the call): not when an entry probe
		   reads the call. At entry anyway for these (as
		   filter_compile.c decides them). */
		x.ret_ok = x.se->ret != LIMEN_RET_NONE && nr != SYS_execve &&
			   nr != SYS_execveat;
		for (int i = 0; i < b->nprobes; i++)
			if ((b->probes[i].type == P_ENTER ||
			     b->probes[i].type == P_RAW_ENTER) &&
			    probe_on(&b->probes[i], nr))
				x.ret_ok = 0;
		for (int i = 0; i < b->nprobes && keep.k != K_TRUE; i++) {
			const struct bt_probe *p = &b->probes[i];

			if (!probe_on(p, nr))
				continue;
			probes++;
			x.p = p;
			x.at_exit = p->type == P_EXIT || p->type == P_RAW_EXIT;
			keep = tjoin(0, keep, p->pred ? tr(&x, p->pred, 1) :
						       kconst(1));
		}
		/* no probe: a call recorded for comm */
		if (keep.k == K_TRUE || !probes)
			continue;
		if (keep.k == K_FALSE)
			keep = kexpr(limen_fexpr_const(0));
		limen_filter_sys_expr(nr, keep.e);
		pushed++;
		if (show)
			fprintf(stderr, "limen bt: %s: filtered in the process\n",
				limen_str(x.se->name));
	}
	return pushed;
}
