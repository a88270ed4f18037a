/* SPDX-License-Identifier: MIT */
/*
 * Core-dumping signals whose action is the default one: the kernel takes
 * it at the program's context, never in limen's code (core_signal.c).
 */
#ifndef LIMEN_CORE_SIGNAL_H
#define LIMEN_CORE_SIGNAL_H

#include "rt.h"

/* the signals whose default action dumps a core (signal(7): Core) */
#define LIMEN_CORE_BITS                                                     \
	(LIMEN_SIGBIT(SIGQUIT) | LIMEN_SIGBIT(SIGILL) | LIMEN_SIGBIT(SIGTRAP) | \
	 LIMEN_SIGBIT(SIGABRT) | LIMEN_SIGBIT(SIGBUS) | LIMEN_SIGBIT(SIGFPE) |  \
	 LIMEN_SIGBIT(SIGSEGV) | LIMEN_SIGBIT(SIGSYS) | LIMEN_SIGBIT(SIGXCPU) | \
	 LIMEN_SIGBIT(SIGXFSZ))

/* SIGPIPE, whose default action ends the process without a core: wrapped
   too, for the trace to show the signal and the call it ended as strace
   does (a `yes | head -1`'s yes: its write's EPIPE, "--- SIGPIPE {...}
   ---", then its end; before, "write(...) = ?" and the end). The kernel
   raises it at the write that failed, in the writer. The other signals
   whose default action ends the process (SIGTERM, SIGINT, SIGHUP,
   SIGALRM...) stay the kernel's SIG_DFL: sent from elsewhere, they end a
   process the kernel has asleep where only a fatal signal wakes it (a
   hung NFS or FUSE read, a vfork), which a handler does not do, and
   SIGALRM is the watchdog of such waits. So do the core-dumping ones
   bare; wrapped, they wait there (README, "Signals"). */
#define LIMEN_TERM_BITS LIMEN_SIGBIT(SIGPIPE)

/* core_signal.c */
void limen_core_init(void) LIMEN_HIDDEN;
void limen_core_real(int sig, struct limen_ksa *real) LIMEN_HIDDEN;
void limen_core_strict(void) LIMEN_HIDDEN;
uint64_t limen_core_unwrap(uint64_t want) LIMEN_HIDDEN;
void limen_core_gather(void) LIMEN_HIDDEN;
int limen_core_answer(const siginfo_t *si, ucontext_t *k) LIMEN_HIDDEN;
/* signals.c: this thread back at its own `syscall`, for a core */
int limen_core_settle(ucontext_t *k) LIMEN_HIDDEN;
void limen_core_rewrap(uint64_t set) LIMEN_HIDDEN;
/* signals.c: the wrapper of the program's handlers, which holds a signal
 * that arrives in limen's code until the program can take it */
uint64_t limen_sigwrap_addr(void) LIMEN_HIDDEN;
/* signals.c: safe.c's fault_handler with a signal sent while the
 * program's action is SIG_DFL: take it as sigwrap does */
void limen_take_default(int sig, siginfo_t *si, ucontext_t *k) LIMEN_HIDDEN;
/* signals.c: this process is its pid namespace's init (pid 1), whose
   SIG_DFL signals the kernel drops but for forced ones */
int limen_ns_init(void) LIMEN_HIDDEN;
/* signals.c: the SIGNAL record of a fault that kills (safe.c) */
void limen_record_fatal(int sig, const siginfo_t *si,
			const ucontext_t *k) LIMEN_HIDDEN;

/* fast.S: the lean path's `syscall` and the address after it */
extern const char limen_lean_syscall[] LIMEN_HIDDEN;
extern const char limen_lean_ret[] LIMEN_HIDDEN;

#endif
