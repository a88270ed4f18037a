/* SPDX-License-Identifier: MIT */
/*
 * A core-dumping signal (abort()'s SIGABRT, ^\'s SIGQUIT, SIGFPE, ...) whose
 * action is the default one kills where the kernel finds the thread, and
 * the core holds the registers there. Under limen that is often limen's
 * code: abort()'s tgkill runs in limen_app_syscall, and the kernel acts on
 * the call's return; a SIGQUIT from outside ends a read that limen made for
 * the program. gdb then found limen's registers in the core and no
 * backtrace of the program.
 *
 * So while the program's action is SIG_DFL, the kernel's is sigwrap
 * (rt_sigaction still answers SIG_DFL: signals.c keeps the program's view
 * aside). One that arrives while limen's code runs is held, as one with a
 * handler is (signals.c, defer), or, having ended the program's call in
 * flight, is taken at the call's frame; either way limen knows the
 * program's context, and signals.c's die_at lets the kernel take the
 * default action there: SIG_DFL again, and the same siginfo queued again
 * to the thread, which the rt_sigreturn to the program's context unblocks.
 * The core's registers and siginfo are the program's, as if the kernel had
 * delivered the signal right as the program's call returned.
 *
 * limen's own signals (SIGSYS, SIGSEGV, SIGBUS, SIGTRAP: owned.c) have a
 * handler of limen's in the kernel anyway; the others are wrapped here.
 * /proc's SigCgt shows them caught, as it shows limen's own.
 */
#include <sys/syscall.h>

#include "raw.h"
#include "rt.h"
#include "core_signal.h"

#define KSA_SIGINFO 4ull
#define KSA_RESTORER 0x04000000ull
#define KSA_ONSTACK 0x08000000ull
#define KSA_RESTART 0x10000000ull
#define KSA_RESETHAND 0x80000000ull

/* the core-dumping and terminating signals that have no handler of
   limen's */
#define WRAPPED ((LIMEN_CORE_BITS | LIMEN_TERM_BITS) & ~LIMEN_OWNED)

/* limen_hook_sigaction: what really goes in for the program's act */
void limen_core_real(int sig, struct limen_ksa *real)
{
	if (!(WRAPPED & LIMEN_SIGBIT(sig)))
		return;
	/* a handler of the program's resets in limen's view only (deliver):
	   the next signal finds the wrapper, not the kernel's SIG_DFL */
	real->flags &= ~KSA_RESETHAND;
	if (real->handler != (uint64_t)(uintptr_t)SIG_DFL)
		return;
	real->handler = limen_sigwrap_addr();
	/* SA_RESTART: the kernel rewinds the call the signal ended instead
	   of answering -EINTR, which tells signals.c (die_taken) that the
	   bare program's core would hold -ERESTARTSYS */
	real->flags = KSA_SIGINFO | KSA_ONSTACK | KSA_RESTART | KSA_RESTORER;
	real->restorer = (uint64_t)(uintptr_t)limen_restorer;
	real->mask = 0;
}

/*
 * A parent about to sleep in vfork until its child execs or exits
 * (clone.c, block_vfork): the kernel's wait there ends only for a fatal
 * signal, and the wrapper makes none fatal, so bare's SIGTERM that kills
 * the sleeping parent at once would wait for the child
 * (tests/syscalls/vfork_fatal.t). The wrapped signals of want (those the
 * program does not block) that the program leaves at SIG_DFL go back to
 * the kernel's SIG_DFL meanwhile: returned, for limen_core_rewrap after
 * the call. The trace then shows such a signal's end without the signal
 * itself (strace's "--- SIGTERM" line), as before they were wrapped. The
 * child has its own copy of the table (no CLONE_SIGHAND) and keeps them
 * at SIG_DFL: it execs, whose new image wraps them again, or exits.
 */
uint64_t limen_core_unwrap(uint64_t want)
{
	struct limen_ksa dfl = { 0, KSA_RESTORER,
				 (uint64_t)(uintptr_t)limen_restorer, 0 };
	uint64_t set = 0;

	for (int sig = 1; sig < LIMEN_NSIG; sig++) {
		const struct limen_vsig *v = &limen_vsig()[sig];
		uint64_t bit = LIMEN_SIGBIT(sig);

		if ((WRAPPED & want & bit) && v->valid &&
		    v->act.handler == (uint64_t)(uintptr_t)SIG_DFL &&
		    limen_sys4(SYS_rt_sigaction, sig, &dfl, 0, 8) == 0)
			set |= bit;
	}
	return set;
}

/* The wrapper back for limen_core_unwrap's set, as the program's view
   stands now. Another thread's sigaction (limen_hook_sigaction: the view,
   then the kernel's) may come meanwhile: the view is read again after
   the call, and a change made in between is put in again */
void limen_core_rewrap(uint64_t set)
{
	for (int sig = 1; set && sig < LIMEN_NSIG; sig++) {
		const struct limen_vsig *v = &limen_vsig()[sig];
		struct limen_ksa seen, real;

		if (!(set & LIMEN_SIGBIT(sig)))
			continue;
		for (int tries = 0; tries < 4; tries++) {
			seen = v->act;
			real = seen;
			limen_core_real(sig, &real);
			limen_sys4(SYS_rt_sigaction, sig, &real, 0, 8);
			if (seen.handler == v->act.handler &&
			    seen.flags == v->act.flags &&
			    seen.mask == v->act.mask)
				break;
		}
	}
}

/*
 * At start-up, and after CLONE_CLEAR_SIGHAND reset every handler: the
 * program's dispositions go aside (SIG_DFL or SIG_IGN, the only ones an
 * execve or the reset leaves), the wrapper in for SIG_DFL.
 */
void limen_core_init(void)
{
	for (int sig = 1; sig < LIMEN_NSIG; sig++) {
		struct limen_vsig *v = &limen_vsig()[sig];
		struct limen_ksa real;

		if (!(WRAPPED & LIMEN_SIGBIT(sig)))
			continue;
		if (!v->valid) {
			memset(&v->act, 0, sizeof(v->act));
			if (limen_sys4(SYS_rt_sigaction, sig, 0, &v->act, 8) < 0)
				continue;
			v->valid = 1;
		}
		if (v->act.handler != (uint64_t)(uintptr_t)SIG_DFL)
			continue;
		real = v->act;
		limen_core_real(sig, &real);
		limen_sys4(SYS_rt_sigaction, sig, &real, 0, 8);
	}
}

/*
 * Seccomp strict mode is about to start (dispatch.c, hook_strict): the
 * thread may then make none of the calls die_at needs (the kernel would
 * kill it with SIGKILL), so a fault of its must find the kernel's SIG_DFL,
 * as bare: a core of a signal taken in limen's code holds limen's
 * registers again. limen_core_init puts the wrapper back if the call
 * fails.
 */
void limen_core_strict(void)
{
	limen_core_unwrap(~0ull); /* all of them, for good */
}
