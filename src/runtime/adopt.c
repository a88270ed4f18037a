/* SPDX-License-Identifier: MIT */
/*
 * The signal state the program set up before the runtime started. execve
 * leaves only SIG_DFL and SIG_IGN and no sigaltstack, but code of the new
 * image can run before liblimen's constructor: an ASan runtime, which
 * must be preloaded first (spawn.c), installs its SIGSEGV, SIGBUS and
 * SIGFPE handlers and a sigaltstack from the program's .preinit_array; so
 * may a .preinit_array of the program's own, or a library initialized
 * before ours under LIMEN_LOADER=preload. Left alone, that state escapes
 * limen's virtualization:
 *  - limen_stack_install replaces the program's sigaltstack with limen's
 *    own, so that the program's handlers ran on limen's signal stack;
 *  - those handlers are the real ones, not behind sigwrap: no trace line
 *    of the signal, and while one runs (on limen's stack) every call it
 *    makes through a rewritten site moves to the top of that same stack
 *    (fast.S), where the handler's own frame is: ASan's report of a
 *    SEGV crashed in limen's code halfway ("nested bug in the same
 *    thread"), and its stack-overflow report lost its frame.
 * So, at start, the program's sigaltstack becomes its virtual one
 * (limen_tls.vstack) before limen's goes in, and each handler already
 * installed goes behind sigwrap as if the program installed it now
 * (limen_hook_sigaction). Its handlers then run where the kernel would
 * put them, and limen's stack holds only limen's frames.
 */
#include <sys/syscall.h>

#include "raw.h"
#include "rt.h"
#include "runtime/rewrite.h"

_Static_assert(FAST_STACK_BYTES == LIMEN_STACK_BYTES,
	       "fast.S tells limen's signal stack by its size");

#define SS_ENABLED_MASK (~LIMEN_SS_AUTODISARM)

/* the signals whose handler was adopted (behind sigwrap), bit sig - 1 */
uint64_t limen_adopted;

/*
 * Before limen's signal stack replaces it: the program's, made virtual.
 * execve leaves the thread's sigaltstack flags as they were (a handler's
 * uc_stack.ss_flags shows them: 0 from a process's first thread that
 * never set one, SS_DISABLE from a thread or after a disable), while
 * sigaltstack() answers SS_DISABLE for no stack whatever they are: only
 * SS_AUTODISARM is read here, the rest taken as 0, the common case.
 */
void limen_adopt_altstack(void)
{
	stack_t old;

	if (limen_sys2(SYS_sigaltstack, 0, &old) < 0)
		return;
	limen_tls.vstack.flags = old.ss_flags & LIMEN_SS_AUTODISARM;
	if ((old.ss_flags & SS_ENABLED_MASK) == SS_DISABLE || !old.ss_size)
		return;
	limen_tls.vstack.sp = (uint64_t)(uintptr_t)old.ss_sp;
	limen_tls.vstack.size = old.ss_size;
}

#ifndef LIMEN_GS_TLS

/*
 * After limen's signal stack and SIGSYS handler are in: every handler
 * the program already has goes behind sigwrap (SIGSYS's was kept aside by
 * limen_install_sigsys). 62 queries of rt_sigaction (8-10 us here), made
 * only where the runtime is preloaded: limen's loader starts it before
 * any code of the image.
 */
void limen_adopt_handlers(void)
{
	for (int sig = 1; sig < LIMEN_NSIG; sig++) {
		struct limen_ksa act;
		long a[4] = { sig, (long)&act, 0, sizeof(uint64_t) };

		if (sig == SIGKILL || sig == SIGSTOP || sig == SIGSYS)
			continue;
		if (limen_sys4(SYS_rt_sigaction, sig, 0, &act,
			       sizeof(uint64_t)) < 0 ||
		    act.handler <= 1)
			continue;
		if (limen_hook_sigaction(a) == 0)
			limen_adopted |= LIMEN_SIGBIT(sig);
	}
}
#else
/* limen's loader starts the runtime before any code of the image runs */
void limen_adopt_handlers(void)
{
}
#endif
