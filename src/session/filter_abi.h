/* SPDX-License-Identifier: MIT */
/*
 * Filters and fault injection (limen trace -e status=, -z, -Z, -P,
 * -e signal=, --filter, -e inject=, -e fault=): the program the collector
 * compiles (src/cli/filter_compile.c) and the runtime evaluates on each call
 * before anything is written to the ring (src/runtime/filter.c).
 *
 * It lives in the session, after the ctl page (LIMEN_FILTER_OFF): the
 * traced program can write it, so the runtime copies it into private memory
 * once per image, validates the copy and uses only the copy. A program that
 * fails validation turns filtering and injection off for that image; nothing
 * in it can make the runtime read out of bounds or loop: every operand is
 * bounds-checked, jumps go forward only, the stack depth is checked.
 *
 * The program is a list of 8-byte instructions for a small stack machine;
 * each system call number names where its program starts (or none: the
 * call is kept). A program leaves one value: non-zero keeps the call.
 */
#ifndef LIMEN_FILTER_ABI_H
#define LIMEN_FILTER_ABI_H

#include <stdint.h>

#define LIMEN_FILTER_OFF 4096u    /* in the session, after the ctl page */
#define LIMEN_FILTER_BYTES 20480u
#define LIMEN_FILTER_MAGIC 0x5254464c4e454d4cull /* "LMENLFTR" */
#define LIMEN_FILTER_NR 1024u     /* = LIMEN_TRACE_BITS */
#define LIMEN_FILTER_INSNS 560u
#define LIMEN_FILTER_STRS 2048u   /* string pool bytes */
#define LIMEN_FILTER_RULES 16u    /* -e inject= rules */
#define LIMEN_FILTER_STACK 16u    /* evaluation stack depth */
#define LIMEN_FILTER_NONE 0xffffu /* no program: the call is kept */

enum limen_fop {
	LIMEN_FOP_END = 0,   /* the value on top is the result */
	LIMEN_FOP_CONST,     /* push (int64)imm */
	LIMEN_FOP_SHL32OR,   /* top = top << 32 | (uint32)imm */
	LIMEN_FOP_ARG,       /* push args[a] (a < 6); b: LIMEN_FARG_* */
	LIMEN_FOP_RET,       /* push the return value (exit programs only) */
	LIMEN_FOP_STATUS,    /* push 1 if the call's status is in mask imm
				(enum limen_fstatus) */
	LIMEN_FOP_EQ, LIMEN_FOP_NE, LIMEN_FOP_LT, LIMEN_FOP_LE,
	LIMEN_FOP_GT, LIMEN_FOP_GE,   /* signed, pop 2 push 1 */
	LIMEN_FOP_BAND,      /* pop 2, push their bitwise and */
	LIMEN_FOP_NOT,       /* top = !top */
	LIMEN_FOP_JFALSE,    /* top == 0: jump b insns forward, keeping it;
				else pop (&&) */
	LIMEN_FOP_JTRUE,     /* top != 0: jump b forward, keeping it; else
				pop (||) */
	LIMEN_FOP_STREQ,     /* push: the string args[a] points to equals
				pool[b, b + imm) */
	LIMEN_FOP_GLOB,      /* push: it matches the glob pool[b, b + imm) */
	LIMEN_FOP_PATHSET,   /* push: a path argument (mask a: bit i: args[i]
				is a path) is one of -P's, or an fd argument
				(mask b) is an fd opened on one */
	LIMEN_FOP_TASK,      /* push the calling thread's pid (a = 0) or tid
				(a = 1): limen bt's pid, tid */
	LIMEN_FOP_NOPS
};

/* How ARG reads a register: whole, or as the kernel's tracepoint field
   types an int (limen bt compares args.fd as bpftrace does) */
enum limen_farg {
	LIMEN_FARG_RAW = 0, LIMEN_FARG_S32, LIMEN_FARG_U32, LIMEN_FARG_NW
};

struct limen_finsn {
	uint8_t op;          /* enum limen_fop */
	uint8_t a;
	uint16_t b;
	int32_t imm;
};

/* A call's status, as strace's -e status= names them. */
enum limen_fstatus {
	LIMEN_FST_SUCCESSFUL = 1,
	LIMEN_FST_FAILED = 2,
	LIMEN_FST_UNFINISHED = 4,  /* never returns: exit, exit_group */
	LIMEN_FST_UNAVAILABLE = 8, /* strace could not read it: never here */
	LIMEN_FST_DETACHED = 16,   /* strace detached: never here */
};

enum limen_fsys_flags {
	LIMEN_FSYS_AT_EXIT = 1,  /* decided at exit (status, ret): the entry
				    is written then, with the exit */
	LIMEN_FSYS_PATHS = 2,    /* reads path arguments (mask in paths) */
};

struct limen_fsys {
	uint16_t prog;       /* first instruction, or LIMEN_FILTER_NONE */
	uint8_t flags;       /* enum limen_fsys_flags */
	uint8_t inject;      /* rule + 1, 0: none */
	uint8_t counter;     /* 1: its when= is counted (per thread and
				call number), 0: every call */
	uint8_t paths;       /* bit i: args[i] is a path to copy (stable) */
	uint16_t when;       /* when={EXPR} of its rule for this call, or
				LIMEN_FILTER_NONE */
};

enum limen_rule_flags {
	LIMEN_RULE_ERROR = 1,    /* return -error */
	LIMEN_RULE_RETVAL = 2,   /* return retval */
	LIMEN_RULE_SIGNAL = 4,
	LIMEN_RULE_DELAY_ENTER = 8,
	LIMEN_RULE_DELAY_EXIT = 16,
	LIMEN_RULE_SYSCALL = 32, /* with ERROR or RETVAL: make the pure call
				    scno (no arguments) in place of the call */
};

struct limen_frule {
	uint32_t flags;      /* enum limen_rule_flags */
	int32_t signo;
	int64_t retval;      /* -errno for ERROR */
	uint64_t delay_enter_ns, delay_exit_ns;
	uint32_t first, step; /* when=first+step; step 0: only the first */
	uint32_t last;       /* when=first..last: the last one, 0: none */
	uint32_t scno;       /* LIMEN_RULE_SYSCALL's call (< LIMEN_FILTER_NR) */
	uint32_t pad;
};

enum limen_filter_flags {
	LIMEN_FILTER_STABLE = 1, /* decide on a private copy of the paths a
				    decision reads and pass the copy */
	LIMEN_FILTER_SIGNALS = 2, /* sigmask says which signals are shown */
};

struct limen_filter {
	uint64_t magic;      /* LIMEN_FILTER_MAGIC: written last */
	uint32_t size;       /* sizeof(struct limen_filter) */
	uint32_t flags;      /* enum limen_filter_flags */
	uint32_t ninsn;
	uint32_t nstr;
	uint64_t sigmask;    /* bit n-1: signal n is shown */
	uint16_t pset_off, pset_len; /* -P paths in the pool, NUL-separated */
	uint32_t nrules;
	struct limen_fsys sys[LIMEN_FILTER_NR];
	struct limen_frule rules[LIMEN_FILTER_RULES];
	struct limen_finsn insn[LIMEN_FILTER_INSNS];
	char str[LIMEN_FILTER_STRS];
};
_Static_assert(sizeof(struct limen_filter) <= LIMEN_FILTER_BYTES,
	       "the filter area");

#endif
