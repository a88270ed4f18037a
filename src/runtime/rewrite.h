/* SPDX-License-Identifier: MIT */
/*
 * Call-site rewriting (rewrite.c, arch/x86_64/fast.S): constants the
 * assembly needs, as plain numbers; rewrite.c pins them against the C
 * layout with _Static_assert.
 */
#ifndef LIMEN_REWRITE_H
#define LIMEN_REWRITE_H

/* struct limen_fast_frame: a ucontext_t (glibc's, 968 bytes) and after it
   the flags it came with, the stack pointer the way out loads
   (FAST_EXIT_SP), the call's arguments */
#define FAST_FRAME 1088
#define FAST_EXIT_SP 976
#define FAST_ENTRY_EFL 968       /* the program's flags at the stub */
#define FAST_RESUME 984          /* the address after the site's `syscall` */
#define FAST_SEL 992             /* 1: fast.S found the call selected */
#define FAST_ARGS 1000           /* the call's six arguments, in order */
#define FAST_HANDBACK 1048       /* the stub's second word: where a call
				    handed back to SUD goes */
/* the ucontext_t's other fields fast.S fills (glibc's layout) */
#define UC_LINK 8
#define UC_SS_SP 16
#define UC_SS_FLAGS 24
#define UC_SS_SIZE 32
#define UC_FPREGS 224
#define UC_SIGMASK 296
#define UC_EFL 176

/* what a site's stub leaves on the program's stack below its red zone:
   the program's flags (pushfq) and its call's return address, which
   points at the stub's data word (the address after the site's
   `syscall`, where fast.S returns straight to): FAST_BELOW bytes under
   the program's stack pointer */
#define FAST_RED_ZONE 128
#define FAST_BELOW 144

/* The lean path (lean.c, fast.S): what its few loads read, pinned in
   lean.c. struct limen_tls: */
#define TLS_VFORK_CHILD 40
#define TLS_STRICT 196
#define TLS_UA_SLOT 1320
#define TLS_NSUD_ON 1528
/* struct limen_ctl (session.h), limen_rt.ctl at offset 0 of limen_rt */
#define CTL_FLAGS 52
#define CTL_TRACE_MASK 72
#define CTL_UEVENT_GEN 268
#define LEAN_NRS 1024            /* LIMEN_TRACE_BITS */
/* the ctl flags under which no call may skip the runtime: every call
   recorded (LIMEN_CTL_TRACE_ALL), -k's maps (LIMEN_CTL_STACK), or the
   lean path switched off (LIMEN_CTL_NO_LEAN) */
#define LEAN_CTL_OFF (CTL_TRACE_ALL | 64 | (1 << 21))
#define CTL_TRACE_ALL 1
/* the bytes of limen's signal stack below limen_fast_sp (rt.h's
   LIMEN_STACK_BYTES, pinned in adopt.c) */
#define FAST_STACK_BYTES 65536

#endif
