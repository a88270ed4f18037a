/* SPDX-License-Identifier: MIT */
/*
 * limen bt: the evaluator. Probes run in the collector on each call as it
 * was recorded (its arguments, the user memory the runtime captured at
 * entry and exit), in time order; maps are maps.c's, comm is
 * sinks/pidcomm.c's.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bt/btint.h"
#include "decode/decode.h"
#include "sinks/pidcomm.h"
#include "systab.h"

struct bt_ctx {
	const struct bt_probe *p;
	const struct limen_call *c;     /* NULL: BEGIN, END, interval */
	int32_t pid, tid;
	uint64_t ns;
	const char *comm;
	struct bt_val *vars;
	int ret;                        /* return was run */
	long steps;                     /* statements run in this firing */
	unsigned long nr;
};

/* ---- values ---- */

static void vint(struct bt_val *v, int64_t i)
{
	v->type = TY_INT;
	v->argi = -1;
	v->i = i;
	v->len = 0;
}

static void vstr(struct bt_val *v, const void *s, size_t n, int type)
{
	if (n > BT_STRMAX - 1)
		n = BT_STRMAX - 1;
	v->type = (uint8_t)type;
	v->argi = -1;
	v->i = 0;
	memcpy(v->s, s, n);
	v->s[n] = 0;
	v->len = (uint16_t)n;
}

/* ---- the evaluator ---- */

static void eval(struct limen_bt *b, struct bt_ctx *x, struct bt_node *n,
		 struct bt_val *v);

static size_t map_key(struct limen_bt *b, struct bt_ctx *x,
		      struct bt_node *n, uint8_t *k)
{
	size_t at = 0;
	struct bt_val kv;

	for (int i = 0; i < n->nlist; i++) {
		eval(b, x, n->list[i], &kv);
		at = bt_key_put(k, at, &kv);
	}
	return at;
}

/* the raw argument i, typed as the tracepoint's field is */
static int64_t arg_value(const struct limen_call *c, unsigned i)
{
	const struct limen_sysent *se = limen_sysent_get(c->nr);
	uint64_t a = c->args[i];

	if (!se || i >= se->nargs)
		return (int64_t)a;
	switch (se->args[i].type) {
	case LIMEN_AT_INT: case LIMEN_AT_FD: case LIMEN_AT_DIRFD:
	case LIMEN_AT_PID: case LIMEN_AT_SIG:
		return (int32_t)a;
	case LIMEN_AT_UINT:
		return (uint32_t)a;
	}
	return (int64_t)a;
}

static int field_pos(struct bt_node *n, unsigned long nr)
{
	if (n->cache_nr == (long)nr)
		return n->cache_pos;
	n->cache_nr = (long)nr;
	n->cache_pos = -1;
	for (unsigned i = 0; i < 6; i++) {
		const char *f = bt_field_name(nr, i);

		if (f && !strcmp(f, n->sval))
			n->cache_pos = (int)i;
	}
	return n->cache_pos;
}

static void eval_field(struct bt_ctx *x, struct bt_node *n, struct bt_val *v)
{
	const struct limen_call *c = x->c;
	int pos;

	if (n->kind == N_RAWARG) {
		vint(v, (int64_t)c->args[n->ival]);
		v->argi = (int8_t)n->ival;
		return;
	}
	if (!strcmp(n->sval, "__syscall_nr") || !strcmp(n->sval, "id")) {
		vint(v, (int64_t)c->nr);
		return;
	}
	if (!strcmp(n->sval, "ret")) {
		vint(v, c->ret);
		return;
	}
	pos = field_pos(n, c->nr);
	vint(v, pos >= 0 ? arg_value(c, (unsigned)pos) : 0);
	v->argi = (int8_t)pos;
}

/* the bytes captured for a pointer: of the argument it came from, or of
   one of the call's arguments with that value */
static const struct limen_blob *captured(struct limen_bt *b,
					 struct bt_ctx *x,
					 const struct bt_val *p)
{
	const struct limen_call *c = x->c;
	int i = p->argi;

	if (!c)
		return NULL;
	if (i < 0)
		for (int k = 0; k < 6 && i < 0; k++)
			if (c->args[k] == (uint64_t)p->i && p->i &&
			    ((c->cap_in[k].flags | c->cap_out[k].flags) &
			     LIMEN_BLOB_PRESENT))
				i = k;
	if (i < 0)
		return NULL;
	/* at exit, what the kernel wrote if it wrote something */
	if (x->p->type == P_EXIT || x->p->type == P_RAW_EXIT)
		if (c->cap_out[i].flags & LIMEN_BLOB_PRESENT)
			return &c->cap_out[i];
	if (c->cap_in[i].flags & LIMEN_BLOB_PRESENT)
		return &c->cap_in[i];
	return NULL;
}

static void warn_uncaptured(struct limen_bt *b, const char *f,
			    const struct bt_val *p)
{
	if (b->runtime_warned++ < 3 && p->i)
		fprintf(stderr, "limen bt: %s(0x%llx): not memory limen "
			"captured with this call; empty\n", f,
			(unsigned long long)p->i);
}

static void eval_str(struct limen_bt *b, struct bt_ctx *x, struct bt_node *n,
		     struct bt_val *v, int isbuf)
{
	struct bt_val p, lim;
	const struct limen_blob *bl;
	size_t len, max = isbuf ? 64 : b->strlen_max - 1;

	eval(b, x, n->list[0], &p);
	if (n->nlist > 1) {
		eval(b, x, n->list[1], &lim);
		/* bpftrace 0.17: str(p, 5) is up to 5 characters */
		if (lim.i >= 0 && (size_t)lim.i < max)
			max = (size_t)lim.i;
	}
	bl = captured(b, x, &p);
	if (!bl) {
		warn_uncaptured(b, isbuf ? "buf" : "str", &p);
		vstr(v, "", 0, isbuf ? TY_BUF : TY_STR);
		return;
	}
	len = bl->len;
	if (!isbuf)
		len = strnlen((const char *)bl->data, len);
	if (len > max)
		len = max;
	vstr(v, bl->data, len, isbuf ? TY_BUF : TY_STR);
}

static void map_read(struct limen_bt *b, struct bt_ctx *x, struct bt_node *n,
		     struct bt_val *v)
{
	struct bt_map *m = b->maps[n->id];
	uint8_t k[BT_KEYMAX];
	size_t kn = map_key(b, x, n, k);
	struct bt_ent *e = bt_ent_find(m, k, kn, 0);

	if (m->kind == M_STR) {
		vstr(v, e && e->s ? e->s : "", e && e->s ? e->slen : 0, TY_STR);
		return;
	}
	if (!e) {
		vint(v, 0);
		return;
	}
	vint(v, m->kind == M_AVG ? (e->a ? e->b / e->a : 0) : e->a);
}

static int64_t arith(int op, int64_t a, int64_t c)
{
	uint64_t ua = (uint64_t)a, uc = (uint64_t)c;

	switch (op) {
	case '+': return (int64_t)(ua + uc);
	case '-': return (int64_t)(ua - uc);
	case '*': return (int64_t)(ua * uc);
	/* BPF's division is unsigned, and by zero gives 0 here */
	case '/': return uc ? (int64_t)(ua / uc) : 0;
	case '%': return uc ? (int64_t)(ua % uc) : 0;
	case '&': return a & c;
	case '|': return a | c;
	case '^': return a ^ c;
	case 'l': return (int64_t)(ua << (uc & 63));
	case 'r': return (int64_t)(ua >> (uc & 63));
	case T_SHL: return (int64_t)(ua << (uc & 63));
	case T_SHR: return (int64_t)(ua >> (uc & 63));
	case '<': return a < c;
	case '>': return a > c;
	case T_LE: return a <= c;
	case T_GE: return a >= c;
	case T_EQ: return a == c;
	case T_NE: return a != c;
	}
	return 0;
}

static void assign_to(struct limen_bt *b, struct bt_ctx *x,
		      struct bt_node *l, int op, struct bt_val *r);

static void eval(struct limen_bt *b, struct bt_ctx *x, struct bt_node *n,
		 struct bt_val *v)
{
	struct bt_val a, c;

	switch (n->kind) {
	case N_INT:
		vint(v, n->ival);
		return;
	case N_STR:
		vstr(v, n->sval, n->slen, TY_STR);
		return;
	case N_VAR:
		*v = x->vars[n->id];
		return;
	case N_MAP:
		map_read(b, x, n, v);
		return;
	case N_BUILTIN:
		switch (n->ival) {
		case B_PID: vint(v, x->pid); return;
		case B_TID: vint(v, x->tid); return;
		case B_NSECS: vint(v, (int64_t)x->ns); return;
		case B_ELAPSED: vint(v, (int64_t)(x->ns - b->t0_ns)); return;
		case B_RETVAL: vint(v, x->c ? x->c->ret : 0); return;
		case B_COMM:
			vstr(v, x->comm, strlen(x->comm), TY_STR);
			return;
		case B_PROBE: {
			char s[128];
			const char *tp = x->c ? bt_tpname(x->nr) : NULL;

			switch (x->p->type) {
			case P_BEGIN: strcpy(s, "BEGIN"); break;
			case P_END: strcpy(s, "END"); break;
			case P_INTERVAL: strcpy(s, "interval"); break;
			case P_RAW_ENTER:
				strcpy(s, "tracepoint:raw_syscalls:sys_enter");
				break;
			case P_RAW_EXIT:
				strcpy(s, "tracepoint:raw_syscalls:sys_exit");
				break;
			default:
				snprintf(s, sizeof(s), "tracepoint:syscalls:"
					 "sys_%s_%s", x->p->type == P_ENTER ?
					 "enter" : "exit", tp ? tp : "?");
			}
			vstr(v, s, strlen(s), TY_STR);
			return;
		}
		}
		break;
	case N_FIELD:
	case N_RAWARG:
		eval_field(x, n, v);
		return;
	case N_CALL:
		if (n->ival == F_STR || n->ival == F_BUF) {
			eval_str(b, x, n, v, n->ival == F_BUF);
			return;
		}
		if (n->ival == F_STRNCMP) {
			size_t k = (size_t)n->list[2]->ival;

			eval(b, x, n->list[0], &a);
			eval(b, x, n->list[1], &c);
			/* bpftrace: 0 if the first n bytes are the same */
			if (k > BT_STRMAX)
				k = BT_STRMAX;
			vint(v, strncmp(a.s, c.s, k) != 0);
			return;
		}
		break;
	case N_NOT:
		eval(b, x, n->a, &a);
		vint(v, !a.i);
		return;
	case N_NEG:
	case N_BNOT: {
		/* in the operand's width, as bpftrace 0.17 computes them:
		   the result zero-extended, -(uint8)1 is 255, and so is
		   -(int8)1 */
		unsigned bits = BT_IBITS(n->a);
		uint64_t u;

		eval(b, x, n->a, &a);
		u = n->kind == N_NEG ? 0 - (uint64_t)a.i : ~(uint64_t)a.i;
		if (bits < 64)
			u &= (1ull << bits) - 1;
		vint(v, (int64_t)u);
		return;
	}
	case N_CAST: {
		/* the low bits of the narrower of the two widths, extended
		   to the 64 bits every value has here by the cast's
		   signedness, as bpftrace 0.17 extends them:
		   (uint64)(int8)-1 is 255, (int64)(uint8)255 is -1 */
		unsigned bits = (unsigned)(n->ival & 0xff), from;
		uint64_t u;

		from = BT_IBITS(n->a);
		if (from < bits)
			bits = from;
		eval(b, x, n->a, &a);
		u = (uint64_t)a.i;
		if (bits < 64) {
			u &= (1ull << bits) - 1;
			if (!(n->ival & BT_CAST_UNSIGNED) &&
			    (u >> (bits - 1)) & 1)
				u |= ~0ull << bits;
		}
		vint(v, (int64_t)u);
		return;
	}
	case N_TERN:
		eval(b, x, n->a, &a);
		eval(b, x, a.i ? n->b : n->c, v);
		return;
	case N_BIN:
		if (n->ival == T_AND || n->ival == T_OR) {
			eval(b, x, n->a, &a);
			if (n->ival == T_AND ? !a.i : !!a.i) {
				vint(v, n->ival == T_OR);
				return;
			}
			eval(b, x, n->b, &c);
			vint(v, !!c.i);
			return;
		}
		eval(b, x, n->a, &a);
		eval(b, x, n->b, &c);
		if (a.type != TY_INT) {
			int same = a.len == c.len && !memcmp(a.s, c.s, a.len);

			vint(v, n->ival == T_EQ ? same : !same);
			return;
		}
		if (n->ucmp) {
			uint64_t ua = (uint64_t)a.i, uc = (uint64_t)c.i;

			switch (n->ival) {
			case '<': vint(v, ua < uc); return;
			case '>': vint(v, ua > uc); return;
			case T_LE: vint(v, ua <= uc); return;
			case T_GE: vint(v, ua >= uc); return;
			}
		}
		vint(v, arith((int)n->ival, a.i, c.i));
		return;
	case N_INCDEC: {
		struct bt_val one, old;

		eval(b, x, n->a, &old);
		vint(&one, 1);
		assign_to(b, x, n->a, n->op, &one);
		vint(v, n->post ? old.i :
		     old.i + (n->op == '+' ? 1 : -1));
		return;
	}
	}
	vint(v, 0);
}

static void assign_to(struct limen_bt *b, struct bt_ctx *x,
		      struct bt_node *l, int op, struct bt_val *r)
{
	if (l->kind == N_VAR) {
		struct bt_val *d = &x->vars[l->id];

		if (op == '=')
			*d = *r;
		else
			vint(d, arith(op, d->i, r->i));
		return;
	}
	{
		struct bt_map *m = b->maps[l->id];
		uint8_t k[BT_KEYMAX];
		size_t kn = map_key(b, x, l, k);
		struct bt_ent *e = bt_ent_find(m, k, kn, 1);

		if (m->kind == M_STR) {
			free(e->s);
			e->s = malloc((size_t)r->len + 1);
			bt_oom(e->s);
			memcpy(e->s, r->s, (size_t)r->len + 1);
			e->slen = r->len;
			return;
		}
		e->a = op == '=' ? r->i : arith(op, e->a, r->i);
	}
}

static void exec_block(struct limen_bt *b, struct bt_ctx *x,
		       struct bt_node *blk);

static void print_value(FILE *out, const struct bt_val *v);
static void do_printf(struct limen_bt *b, struct bt_ctx *x, struct bt_node *n);
static void do_join(struct limen_bt *b, struct bt_ctx *x, struct bt_node *n);

static void exec_call(struct limen_bt *b, struct bt_ctx *x, struct bt_node *n)
{
	struct bt_val v;

	switch (n->ival) {
	case F_PRINTF:
		do_printf(b, x, n);
		return;
	case F_PRINT:
		if (n->list[0]->kind == N_MAP && !n->list[0]->ival) {
			bt_map_print(b, b->maps[n->list[0]->id], b->out);
			return;
		}
		eval(b, x, n->list[0], &v);
		print_value(b->out, &v);
		fputc('\n', b->out);
		return;
	case F_TIME: {
		char s[256];
		time_t now = time(NULL);
		struct tm tm;
		size_t k;

		localtime_r(&now, &tm);
		k = strftime(s, sizeof(s), n->nlist ? n->list[0]->sval :
			     "%H:%M:%S\n", &tm);
		fwrite(s, 1, k, b->out);
		return;
	}
	case F_EXIT:
		b->exited = 1;
		x->ret = 1;
		return;
	case F_JOIN:
		do_join(b, x, n);
		return;
	case F_DELETE: {
		struct bt_node *a = n->list[0];
		struct bt_map *m = b->maps[a->id];
		uint8_t k[BT_KEYMAX];
		size_t kn = map_key(b, x, a, k);
		struct bt_ent *e = bt_ent_find(m, k, kn, 0);

		if (e)
			bt_ent_delete(m, e);
		return;
	}
	case F_CLEAR:
		bt_map_clear(b->maps[n->list[0]->id]);
		return;
	case F_ZERO:
		bt_map_zero(b->maps[n->list[0]->id]);
		return;
	case F_SNAPSHOT: {
		/* the probe's name, as the builtin "probe" says it */
		struct bt_node pn = { .kind = N_BUILTIN, .ival = B_PROBE };

		if (!b->snap)
			return;
		eval(b, x, &pn, &v);
		b->snap(b->snap_ctx, n->nlist ? n->list[0]->sval : NULL, v.s,
			x->tid, x->c);
		return;
	}
	}
	eval(b, x, n, &v);
}

/* nested unrolls and whiles could run for ever: a firing stops there */
#define MAX_STEPS 10000000L

static void exec_stmt(struct limen_bt *b, struct bt_ctx *x, struct bt_node *s)
{
	struct bt_val v;

	if (++x->steps > MAX_STEPS) {
		if (!x->ret && b->runtime_warned++ < 3)
			fprintf(stderr, "limen bt: %d:%d: a probe ran %ld "
				"statements: stopped there\n", s->line, s->col,
				MAX_STEPS);
		x->ret = 1;
		return;
	}
	switch (s->kind) {
	case N_IF:
		eval(b, x, s->a, &v);
		if (v.i)
			exec_block(b, x, s->b);
		else if (s->c)
			exec_block(b, x, s->c);
		return;
	case N_UNROLL:
		for (int64_t i = 0; i < s->ival && !x->ret; i++)
			exec_block(b, x, s->b);
		return;
	case N_WHILE:
		/* bpftrace's verifier bounds loops; so does this */
		for (long i = 0; i < 1000000 && !x->ret; i++) {
			eval(b, x, s->a, &v);
			if (!v.i)
				break;
			exec_block(b, x, s->b);
		}
		return;
	case N_RETURN:
		x->ret = 1;
		return;
	case N_EXPR:
		break;
	}
	s = s->a;
	if (s->kind == N_ASSIGN) {
		struct bt_node *r = s->b;

		if (s->a->kind == N_MAP && r->kind == N_CALL &&
		    r->ival >= F_COUNT && r->ival <= F_LHIST) {
			struct bt_map *m = b->maps[s->a->id];
			uint8_t k[BT_KEYMAX];
			size_t kn = map_key(b, x, s->a, k);
			struct bt_ent *e;

			if (r->nlist)
				eval(b, x, r->list[0], &v);
			else
				vint(&v, 0);
			e = bt_ent_find(m, k, kn, 1);
			bt_agg_update(m, e, v.i);
			return;
		}
		eval(b, x, r, &v);
		assign_to(b, x, s->a, s->op, &v);
		return;
	}
	if (s->kind == N_CALL) {
		exec_call(b, x, s);
		return;
	}
	eval(b, x, s, &v);
}

static void exec_block(struct limen_bt *b, struct bt_ctx *x,
		       struct bt_node *blk)
{
	for (int i = 0; i < blk->nlist && !x->ret; i++)
		exec_stmt(b, x, blk->list[i]);
}

static void run_probe(struct limen_bt *b, struct bt_ctx *x)
{
	struct bt_val v;

	if (b->exited && x->p->type != P_END)
		return;
	memset(x->vars, 0, sizeof(*x->vars) * (size_t)(b->nvars ? b->nvars : 1));
	x->ret = 0;
	x->steps = 0;
	if (x->p->pred) {
		eval(b, x, x->p->pred, &v);
		if (!v.i)
			return;
	}
	exec_block(b, x, x->p->body);
}

static void print_value(FILE *out, const struct bt_val *v)
{
	if (v->type == TY_INT)
		fprintf(out, "%lld", (long long)v->i);
	else if (v->type == TY_BUF)
		bt_put_buf(out, v->s, v->len);
	else
		fwrite(v->s, 1, strnlen(v->s, v->len), out);
}

static void do_printf(struct limen_bt *b, struct bt_ctx *x, struct bt_node *n)
{
	const char *f = n->list[0]->sval;
	size_t flen = n->list[0]->slen;
	int ai = 1;

	for (size_t i = 0; i < flen; i++) {
		char spec[32];
		size_t k = 0;
		struct bt_val v;
		char conv;
		int wide, half;

		if (f[i] != '%') {
			fputc(f[i], b->out);
			continue;
		}
		if (f[i + 1] == '%') {
			fputc('%', b->out);
			i++;
			continue;
		}
		spec[k++] = f[i++];
		while (i < flen && strchr("-+ #0123456789.", f[i]) &&
		       k < sizeof(spec) - 5)
			spec[k++] = f[i++];
		/* the length as C's printf takes it, which bpftrace 0.17
		   calls with each 64-bit value: no l, the low 32 bits */
		wide = half = 0;
		while (i < flen && strchr("hlzjt", f[i])) {
			wide |= f[i] != 'h';
			half += f[i] == 'h';
			i++;
		}
		conv = f[i];
		eval(b, x, n->list[ai++], &v);
		switch (conv) {
		case 's':
			spec[k++] = 's';
			spec[k] = 0;
			fprintf(b->out, spec, v.s);
			break;
		case 'r':
			bt_put_buf(b->out, v.s, v.len);
			break;
		case 'c':
			spec[k++] = 'c';
			spec[k] = 0;
			fprintf(b->out, spec, (int)(unsigned char)v.i);
			break;
		case 'p':
			spec[k++] = 'l';
			spec[k++] = 'l';
			spec[k++] = 'x';
			spec[k] = 0;
			fputs("0x", b->out);
			fprintf(b->out, spec, (unsigned long long)v.i);
			break;
		default: {
			int sig = conv == 'd' || conv == 'i';
			uint64_t u = (uint64_t)v.i;
			unsigned bits = wide ? 64 : half > 1 ? 8 : half ? 16 : 32;

			if (bits < 64) {
				u &= (1ull << bits) - 1;
				if (sig && (u >> (bits - 1)) & 1)
					u |= ~0ull << bits;
			}
			spec[k++] = 'l';
			spec[k++] = 'l';
			spec[k++] = conv == 'i' ? 'd' : conv;
			spec[k] = 0;
			fprintf(b->out, spec, (long long)u);
		}
		}
	}
}

/* join(args.argv [, delim]): the strings of an argv capture, each as
   str() would give it (bpftrace: at most 16 of them) */
static void do_join(struct limen_bt *b, struct bt_ctx *x, struct bt_node *n)
{
	struct bt_val p;
	const struct limen_blob *bl;
	const char *delim = n->nlist > 1 ? n->list[1]->sval : " ";
	uint32_t cnt, off = 8;

	eval(b, x, n->list[0], &p);
	bl = captured(b, x, &p);
	if (!bl || bl->len < 8) {
		warn_uncaptured(b, "join", &p);
		fputc('\n', b->out);
		return;
	}
	memcpy(&cnt, bl->data, 4);
	for (uint32_t i = 0; i < cnt && i < 16; i++) {
		uint32_t len;

		if (off + 8 > bl->len)
			break;
		memcpy(&len, bl->data + off, 4);
		off += 8;
		if (len > bl->len - off)
			break;
		if (i)
			fputs(delim, b->out);
		fwrite(bl->data + off, 1,
		       strnlen((const char *)bl->data + off,
			       len < b->strlen_max - 1 ? len :
			       b->strlen_max - 1), b->out);
		off += (len + 3) & ~3u;
	}
	fputc('\n', b->out);
}

/* ---- running probes ---- */

static struct bt_ctx *ctx_of(struct limen_bt *b)
{
	if (!b->ctx) {
		b->ctx = calloc(1, sizeof(*b->ctx));
		bt_oom(b->ctx);
		b->ctx->vars = calloc((size_t)(b->nvars ? b->nvars : 1),
				      sizeof(*b->ctx->vars));
		bt_oom(b->ctx->vars);
	}
	return b->ctx;
}

void bt_run_kind(struct limen_bt *b, int type, uint64_t ns)
{
	struct bt_ctx *x = ctx_of(b);

	for (int i = 0; i < b->nprobes; i++) {
		if (b->probes[i].type != type)
			continue;
		x->p = &b->probes[i];
		x->c = NULL;
		x->pid = x->tid = (int32_t)getpid();
		x->ns = ns;
		x->comm = "limen";
		run_probe(b, x);
	}
}

void bt_run_interval(struct limen_bt *b, uint64_t ns)
{
	struct bt_ctx *x = ctx_of(b);

	for (int i = 0; i < b->nprobes; i++) {
		struct bt_probe *p = &b->probes[i];

		if (p->type != P_INTERVAL)
			continue;
		if (!p->next_ns)
			p->next_ns = b->t0_ns + p->period_ns;
		if (ns < p->next_ns)
			continue;
		/* missed periods are not run again */
		while (p->next_ns <= ns)
			p->next_ns += p->period_ns;
		x->p = p;
		x->c = NULL;
		x->pid = x->tid = (int32_t)getpid();
		x->ns = ns;
		x->comm = "limen";
		run_probe(b, x);
	}
}

struct limen_pidcomm *bt_names(struct limen_bt *b)
{
	if (!b->names)
		b->names = limen_pidcomm_new(NULL, 1);
	return b->names;
}

/* A call's entry (exit 0) or exit (1): the probes on it. */
void bt_run_call(struct limen_bt *b, const struct limen_call *c, int at_exit,
		 int32_t pid, int32_t tid, uint64_t ns)
{
	struct bt_ctx *x = ctx_of(b);

	if (b->uses_comm)
		limen_pidcomm_call(bt_names(b), pid, tid, c, at_exit);
	for (int i = 0; i < b->nprobes; i++) {
		struct bt_probe *p = &b->probes[i];

		switch (p->type) {
		case P_ENTER:
		case P_EXIT:
			if ((p->type == P_EXIT) != at_exit ||
			    c->nr >= LIMEN_NSYSENT ||
			    !(p->nrs[c->nr / 8] >> (c->nr % 8) & 1))
				continue;
			break;
		case P_RAW_ENTER:
		case P_RAW_EXIT:
			if ((p->type == P_RAW_EXIT) != at_exit)
				continue;
			break;
		default:
			continue;
		}
		x->p = p;
		x->c = c;
		x->nr = c->nr;
		x->pid = pid;
		x->tid = tid;
		x->ns = ns;
		x->comm = "";
		if (b->uses_comm &&
		    !(x->comm = limen_pidcomm_of(bt_names(b), pid, tid)))
			x->comm = "";
		run_probe(b, x);
	}
}

void limen_bt_free(struct limen_bt *b)
{
	struct bt_node *n, *next;

	if (!b)
		return;
	for (n = b->nodes; n; n = next) {
		next = n->all;
		free(n->sval);
		free(n->list);
		free(n);
	}
	for (int i = 0; i < b->nprobes; i++)
		free(b->probes[i].nrs);
	free(b->probes);
	for (int i = 0; i < b->nmaps; i++) {
		bt_map_clear(b->maps[i]);
		free(b->maps[i]->ents);
		free(b->maps[i]->name);
		free(b->maps[i]);
	}
	free(b->maps);
	for (int i = 0; i < b->nvars; i++)
		free(b->vars[i]);
	free(b->vars);
	if (b->ctx)
		free(b->ctx->vars);
	free(b->ctx);
	limen_pidcomm_free(b->names);
	free(b);
}

int limen_bt_exited(const struct limen_bt *b)
{
	return b->exited;
}

void limen_bt_run_static(struct limen_bt *b, FILE *out)
{
	b->out = out;
	b->t0_ns = 1;
	bt_run_kind(b, P_BEGIN, 1);
	bt_run_interval(b, 2000000000ull);
	bt_run_kind(b, P_END, 3000000000ull);
	bt_print_all(b, out);
	limen_bt_free(b);
}

void limen_bt_on_snapshot(struct limen_bt *b, limen_bt_snap_fn fn, void *ctx)
{
	b->snap = fn;
	b->snap_ctx = ctx;
}

int limen_bt_snapshots(const struct limen_bt *b)
{
	return b->uses_snapshot;
}
