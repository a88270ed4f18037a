/* SPDX-License-Identifier: MIT */
/*
 * Offsets and constants that arch/x86_64/stubs.S uses, as plain numbers so
 * that assembly can include them; rt.h pins each against the C layout with
 * _Static_assert.
 */
#ifndef LIMEN_ASM_OFFSETS_H
#define LIMEN_ASM_OFFSETS_H

/* struct ucontext (the kernel's, same prefix as glibc's ucontext_t) */
#define UC_R8 40
#define UC_R9 48
#define UC_R10 56
#define UC_R11 64
#define UC_R12 72
#define UC_R13 80
#define UC_R14 88
#define UC_R15 96
#define UC_RDI 104
#define UC_RSI 112
#define UC_RBP 120
#define UC_RBX 128
#define UC_RDX 136
#define UC_RAX 144
#define UC_RCX 152
#define UC_RSP 160
#define UC_RIP 168
#define KUC_SIZE 304		/* the kernel's struct ucontext */

/* scratch on limen's stack for limen_exit_held's copy of a frame that is
   on the program's stack (ucontext at 0, FPU state at 512) */
#define LIMEN_SCRATCH 8192

/* struct limen_tls */
#define TLS_DEFERRED 0
#define TLS_PKRU_SPLIT 12
#define TLS_INFLIGHT 56

/* struct limen_inflight */
#define INFL_UC 16

/* struct limen_vfork_args */
#define VA_NR 0
#define VA_A0 8
#define VA_A1 16
#define VA_A2 24
#define VA_A3 32
#define VA_A4 40
#define VA_CHILD_SP 48

/* limen_app_syscall did not make the call: a signal is waiting (-ERESTARTNOINTR,
   a code the kernel never returns to user space) */
#define LIMEN_RET_DEFERRED (-513)

#endif
