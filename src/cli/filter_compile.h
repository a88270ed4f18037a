/* SPDX-License-Identifier: MIT */
/*
 * limen trace's filters and fault injection, as the collector parses them
 * (filter_compile.c) and writes them into the session for the runtime
 * (session/filter_abi.h). Each parser returns 0, or -1 with a message in
 * err (no exit: the fuzz harness calls them too).
 */
#ifndef LIMEN_FILTER_COMPILE_H
#define LIMEN_FILTER_COMPILE_H

#include <stddef.h>
#include <stdint.h>

#include "session/filter_abi.h"

struct limen_fexpr;

/* The --filter expression language (README, "Filters"). NULL on error. */
struct limen_fexpr *limen_fexpr_parse(const char *src, char *err, size_t n);
void limen_fexpr_free(struct limen_fexpr *e);

/* limen trace's options, kept until limen_filter_build */
int limen_filter_status(const char *set, char *err, size_t n); /* -e status= */
/* -e status='s set (LIMEN_FST_* bits), 0 when not given */
unsigned limen_filter_status_mask(void);
int limen_filter_path(const char *path, char *err, size_t n);  /* -P */
int limen_filter_signals(const char *set, char *err, size_t n); /* -e signal= */
int limen_filter_expr(const char *src, char *err, size_t n);   /* --filter */
/* -e inject=SPEC, -e fault=SPEC (fault: 1) */
int limen_filter_inject(const char *spec, int fault, char *err, size_t n);
void limen_filter_stable(int on); /* --stable-inputs, --no-stable-inputs */
/* How a SET of -e inject= is read (main.c: as -e trace= reads one); plain
   comma-separated names without it */
void limen_filter_set_parser(int (*fn)(const char *set, uint8_t *mask,
				       char *err, size_t n));

/* Write the program for the calls trace_mask selects (all: trace_all) into
   out; 0 if there is nothing to filter (out untouched), 1 if written, -1
   with err if it does not fit. */
int limen_filter_build(struct limen_filter *out, const uint8_t *trace_mask,
		       int trace_all, char *err, size_t n);
/*
 * limen bt's predicates, pushed into the process (src/bt/push.c): built
 * as expressions, kept per call; a call with one is recorded only if it
 * holds (any of those given for it), on top of the options above.
 */
enum { LIMEN_FX_ARG, LIMEN_FX_RET, LIMEN_FX_PID, LIMEN_FX_TID };
struct limen_fexpr *limen_fexpr_const(int v);
/* op: '&', '|', or '!' (r NULL) */
struct limen_fexpr *limen_fexpr_join(int op, struct limen_fexpr *l,
				     struct limen_fexpr *r);
/* what (argument argi read as width, enum limen_farg) OP v; OP: "==",
   "!=", "<", "<=", ">", ">=" (signed) */
struct limen_fexpr *limen_fexpr_cmp(int what, int argi, int width,
				    const char *op, int64_t v);
/* the string args[argi] points to equals s, or matches the glob s */
struct limen_fexpr *limen_fexpr_strcmp(int argi, int glob, const char *s,
				       size_t len);
/* takes e; or'ed with one given before for nr */
void limen_filter_sys_expr(unsigned nr, struct limen_fexpr *e);
/* Forget every option (the fuzz harness) */
void limen_filter_reset(void);

#endif
