/* SPDX-License-Identifier: MIT */
/* limen bt: what the lexer, the parser and checker, and the evaluator
   share. */
#ifndef LIMEN_BTINT_H
#define LIMEN_BTINT_H

#include <setjmp.h>
#include <stdlib.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "bt/bt.h"

/* Tokens: single characters stand for themselves; the rest: */
enum bt_tok {
	T_EOF = 256, T_INT, T_STR, T_IDENT, T_VAR, T_MAP, T_PROBE,
	T_EQ, T_NE, T_LE, T_GE, T_AND, T_OR, T_SHL, T_SHR, T_ARROW,
	T_INC, T_DEC, T_ADDEQ, T_SUBEQ, T_MULEQ, T_DIVEQ, T_MODEQ,
	T_ANDEQ, T_OREQ, T_XOREQ, T_SHLEQ, T_SHREQ,
};

struct bt_lex {
	const char *src, *p, *end;
	int line, col;          /* of the token just read */
	const char *tokp;       /* where it starts */
	int tok;
	int64_t ival;
	char *sval;             /* T_STR (bytes, slen), T_IDENT, T_VAR,
				   T_MAP, T_PROBE: malloc'd */
	size_t slen;
	char *err;
	size_t errlen;
	jmp_buf *fail;
};

/* parse.c's state, the checker's too (its errors) */
struct bt_parser {
	struct bt_lex lx;
	struct limen_bt *b;
	int nest;               /* inside ( [ : '/' divides again */
	int in_pred;
	int depth;              /* of the expression being parsed */
};

/* check.c: pass 0 may meet maps whose kind is not known yet */
void bt_check_all(struct bt_parser *ps, int pass);

/* Errors unwind to the compile call. */
void bt_fail(struct bt_lex *lx, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5), noreturn));
void bt_lex_init(struct bt_lex *lx, const char *src, size_t len);
/* next token of a program's body */
int bt_next(struct bt_lex *lx);
/* at the top level: a probe's spec up to white space, ',', '{' or '/'
   (T_PROBE), or T_EOF */
int bt_next_probe(struct bt_lex *lx);
/* skips white space and comments, returns the next character (0: end) */
int bt_peek_char(struct bt_lex *lx);

/* Value types. */
enum bt_type { TY_NONE, TY_INT, TY_STR, TY_BUF };

#define BT_STRMAX 256
#define BT_MAXVARS 256

struct bt_val {
	uint8_t type;           /* enum bt_type */
	int8_t argi;            /* >= 0: args' field this came from (for
				   str() and buf()) */
	uint16_t len;           /* TY_STR, TY_BUF */
	int64_t i;
	char s[BT_STRMAX];
};

/* Node kinds. */
enum bt_nk {
	N_INT, N_STR, N_VAR, N_MAP, N_BUILTIN, N_FIELD, N_RAWARG, N_CALL,
	N_BIN, N_NOT, N_NEG, N_BNOT, N_TERN, N_ASSIGN, N_INCDEC,
	N_IF, N_UNROLL, N_WHILE, N_RETURN, N_EXPR, N_BLOCK,
	N_CAST,                 /* (int8)x ... (uint64)x: ival = bits, plus
				   BT_CAST_UNSIGNED */
};

#define BT_CAST_UNSIGNED 0x100
#define BT_ITYP_UNSIGNED 0x80
/* a node's integer width (1..64) and whether unsigned */
#define BT_IBITS(n) ((n)->ityp & 0x7f ? (unsigned)((n)->ityp & 0x7f) : 64u)
#define BT_IUNS(n) (!!((n)->ityp & BT_ITYP_UNSIGNED))

enum bt_builtin {
	B_PID, B_TID, B_COMM, B_NSECS, B_ELAPSED, B_PROBE, B_RETVAL,
};

enum bt_func {
	F_PRINTF, F_PRINT, F_TIME, F_EXIT, F_STR, F_BUF, F_JOIN, F_COUNT,
	F_SUM, F_AVG, F_MIN, F_MAX, F_STATS, F_HIST, F_LHIST, F_DELETE,
	F_CLEAR, F_ZERO, F_STRNCMP, F_SNAPSHOT,
};

/* Map kinds, fixed by the first assignment. */
enum bt_mkind {
	M_NONE, M_COUNT, M_SUM, M_MIN, M_MAX, M_AVG, M_STATS, M_HIST,
	M_LHIST, M_INT, M_STR,
};

struct bt_node {
	uint8_t kind, op;       /* op: a token (N_BIN, N_ASSIGN, N_INCDEC) */
	uint8_t post;           /* N_INCDEC: x++ rather than ++x */
	uint8_t type;           /* enum bt_type, set by the checker */
	/* TY_INT: the integer type bpftrace gives the value, set by the
	   checker: its bits (0: 64) | BT_ITYP_UNSIGNED. The value itself
	   is always held extended to 64 bits; a cast extends from its
	   operand's width, and -, ~ work in it (eval.c) */
	uint8_t ityp;
	uint8_t ucmp;           /* N_BIN: compared as unsigned (an operand
				   is of an unsigned type) */
	int line, col;
	int64_t ival;           /* N_INT; N_BUILTIN, N_CALL: which */
	char *sval;             /* N_STR bytes; N_FIELD: the field name */
	size_t slen;
	int id;                 /* N_VAR: slot; N_MAP: map index */
	struct bt_node *a, *b, *c;
	struct bt_node **list;  /* N_CALL args, N_MAP keys, N_BLOCK */
	struct bt_node *all;    /* every node, to free them */
	int nlist;
	/* N_FIELD: the position for the syscall seen last */
	long cache_nr;
	int cache_pos;
};

enum bt_ptype {
	P_BEGIN, P_END, P_ENTER, P_EXIT, P_RAW_ENTER, P_RAW_EXIT, P_INTERVAL,
};

struct bt_probe {
	uint8_t type;           /* enum bt_ptype */
	uint8_t *nrs;           /* P_ENTER/P_EXIT: bitmap of the calls */
	uint64_t period_ns;     /* P_INTERVAL */
	uint64_t next_ns;
	struct bt_node *pred;   /* NULL: none */
	struct bt_node *body;   /* N_BLOCK */
	int line, col;
};

struct bt_ent;
struct bt_map {
	char *name;             /* "@name" */
	uint8_t kind;           /* enum bt_mkind */
	int nkeys;              /* -1: not known yet */
	uint8_t ktype[8];
	int64_t lmin, lmax, lstep;  /* lhist */
	struct bt_ent *ents;    /* open addressing */
	size_t n, cap;
};

struct bt_ctx;
struct limen_bt {
	struct bt_probe *probes;
	int nprobes;
	struct bt_map **maps;
	int nmaps;
	char **vars;            /* $names, their slots */
	int nvars;
	struct bt_node *nodes;  /* every node (->all) */
	int uses_comm;
	unsigned strlen_max;    /* str()'s bound, with the NUL (64) */
	/* the evaluator's state (eval.c) */
	FILE *out;
	int exited;
	uint64_t t0_ns;         /* nsecs at BEGIN */
	int64_t mono_off;       /* CLOCK_REALTIME - CLOCK_MONOTONIC */
	struct bt_ctx *ctx;
	struct limen_pidcomm *names; /* tid -> comm, when comm is used */
	int runtime_warned;
	int uses_snapshot;      /* snapshot() is called */
	limen_bt_snap_fn snap;  /* what snapshot() runs */
	void *snap_ctx;
};

struct bt_ent {
	uint8_t *key;           /* NULL: an empty slot */
	uint32_t klen;
	int64_t a, b;           /* count/sum/min/max/int: a; avg, stats:
				   a count, b total; min/max: b set */
	uint64_t *bk;           /* hist, lhist */
	char *s;                /* a string value */
	uint16_t slen;
};

static inline void bt_oom(void *p)
{
	if (!p)
		abort();
}

/* parse.c */
const char *bt_field_name(unsigned long nr, unsigned i);
long bt_syscall_by_tpname(const char *name);
const char *bt_tpname(unsigned long nr);
void bt_map_print(struct limen_bt *b, struct bt_map *m, FILE *out);
void bt_print_all(struct limen_bt *b, FILE *out);
/* eval.c */
/* comm: each thread's name, followed as -Y follows it (sinks/pidcomm.c) */
struct limen_pidcomm *bt_names(struct limen_bt *b);
/* maps.c: keys are, per key, a type byte then 8 bytes (numbers) or a
   2-byte length and the bytes */
#define BT_KEYMAX (8 * (3 + BT_STRMAX))
size_t bt_key_put(uint8_t *k, size_t at, const struct bt_val *v);
struct bt_ent *bt_ent_find(struct bt_map *m, const uint8_t *k, size_t n,
			   int add);
void bt_ent_delete(struct bt_map *m, struct bt_ent *e);
void bt_map_clear(struct bt_map *m);
void bt_map_zero(struct bt_map *m);
void bt_agg_update(struct bt_map *m, struct bt_ent *e, int64_t v);
/* bytes, the non-printable ones as \xNN (bpftrace's buf) */
void bt_put_buf(FILE *out, const char *s, size_t n);
void bt_run_kind(struct limen_bt *b, int type, uint64_t ns);
void bt_run_interval(struct limen_bt *b, uint64_t ns);
void bt_run_call(struct limen_bt *b, const struct limen_call *c, int at_exit,
		 int32_t pid, int32_t tid, uint64_t ns);

#endif
