/* SPDX-License-Identifier: MIT */
/*
 * Protection keys (PKU, pkeys(7)): the PKRU register holds the thread's
 * rights to the pages of each key, and the kernel checks them when it
 * reads or writes the program's memory for a call (a read() into a page
 * of a key PKRU denies is EFAULT); pkey_alloc() writes the new key's
 * rights into the register. The kernel starts every signal handler with
 * its default PKRU (init_pkru: key 0 only) and puts the interrupted
 * context's back from the frame's XSAVE area at rt_sigreturn.
 *
 * So limen's SIGSYS handler runs the program's call with the program's
 * PKRU, taken from the frame, and writes back to the frame what the call
 * left there: without, a read() into the program's key-1 buffer failed
 * with EFAULT, and pkey_alloc's rights were lost at the handler's return
 * (the program's first store to the new key's page: SIGSEGV). A handler
 * of the program that deliver (signals.c) starts from limen's frame gets
 * the kernel's default, as bare, not the zero an empty xstate_bv loads.
 * (tests/syscalls/pkey_rights.t)
 *
 * A program may deny key 0 itself (wrpkru, around code that touches no
 * memory of key 0, which is all of its ordinary memory): limen's code
 * would then fault on its own stack, TLS and session. There limen runs
 * with key 0 open and the program's rights for every other key, and
 * puts the program's PKRU exactly in force for the `syscall` of the
 * program's call (stubs.S, limen_app_syscall) and for each access to the
 * program's memory (safe_copy.S, the split copies), so that the kernel's
 * accesses for the call and limen's on its behalf fault where they would
 * bare (tests/syscalls/pkey_key0.t). A site first called so is not
 * rewritten: a rewritten site's stub writes the program's stack.
 */
#ifndef LIMEN_PKRU_H
#define LIMEN_PKRU_H

#include <stdint.h>
#include <ucontext.h>

static inline __attribute__((always_inline)) uint32_t limen_pkru_read(void)
{
	uint32_t a, d;

	/* rdpkru */
	__asm__ volatile(".byte 0x0f, 0x01, 0xee" : "=a"(a), "=d"(d) : "c"(0));
	return a;
}

static inline __attribute__((always_inline)) void limen_pkru_write(uint32_t v)
{
	/* wrpkru */
	__asm__ volatile(".byte 0x0f, 0x01, 0xef"
			 : : "a"(v), "c"(0), "d"(0) : "memory");
}

/* PKRU's bits for key 0: access and write disabled */
#define PKRU_KEY0 3u

/* The program's PKRU around the calls limen's SIGSYS handler runs */
struct limen_pkru {
	uint32_t *slot;  /* the frame's PKRU, NULL: no PKU (nothing to do) */
	uint32_t mine;   /* the handler's own, the kernel's default */
	uint32_t prog;   /* the program's, in force meanwhile (key 0 open:
			    limen_tls.pkru_split) */
	uint32_t split;  /* limen_tls.pkru_split before */
};

/* At the handler's entry: the program's PKRU in force */
void limen_pkru_enter(struct limen_pkru *p, const ucontext_t *uc);
/* After its calls: what they left in PKRU (pkey_alloc) goes to the frame,
   for rt_sigreturn to load, and the handler's own is back */
void limen_pkru_leave(const struct limen_pkru *p, ucontext_t *uc);
/* The program's PKRU for limen's accesses to its memory now (the split
   one, or the register's), 0 where there is no PKU */
uint32_t limen_pkru_prog(void);
/* 1 where there is PKU (PKRU may be read) */
int limen_pkru_have(void);
/* A handler of the program started from one of limen's frames (fp, its
   XSAVE area, all components reset): the PKRU the kernel gives handlers */
void limen_pkru_handler_default(uint8_t *fp);
/* Before a clone whose child starts in limen's code: the program's x87,
   SSE and AVX state (not PKRU) from the SIGSYS frame uc, live, for the
   child to inherit (pkru.c) */
void limen_fpu_inherit(const ucontext_t *uc);

#endif
