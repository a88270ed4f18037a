/* SPDX-License-Identifier: MIT */
/*
 * limen's own synchronous signals (LIMEN_OWNED): SIGSYS, which Syscall User
 * Dispatch raises, SIGSEGV and SIGBUS, whose faults in limen's plain loads
 * of the program's memory limen recovers (safe.c), and SIGTRAP, from the
 * int3 of a call site being patched while threads run it (rewrite.c). A
 * blocked one would kill: the kernel forces a blocked fault or trap
 * signal, and a blocked SIGSYS from SUD. So none of them is ever really blocked; the program's view of
 * their block state is kept per thread (limen_tls.vblock) and shown
 * wherever it can look (signals.c: rt_sigprocmask, its handlers' ucontext,
 * rt_sigreturn; clone.c and exec.c: inheritance; the calls that swap the
 * mask). With nothing of theirs really blocked, a read of the program's
 * memory needs no question to the kernel about the mask (safe.c).
 *
 * Not in a thread left unarmed (limen_tls.unarmed, clone.c): its
 * rt_sigprocmask goes to the kernel, which then holds the program's mask,
 * owned signals included. The view is the real mask there, vblock stays 0:
 * a signal limen's wrapper takes in that thread was not blocked (a fault
 * the program blocks is forced by the kernel and kills before any
 * handler runs).
 *
 * One that is sent (kill, tgkill, sigqueue) while the program has it
 * blocked waits as the kernel would keep it pending: SIGSYS in limen's
 * hands (signals.c, sigsys_pending), the others in the kernel's queue,
 * really blocked only while one is pending there ("pinned"), so that
 * sigpending, sigtimedwait, signalfd and execve see it as they would
 * without limen; unblocking delivers it. While one is pinned, a fault or
 * trap of the program kills it as the kernel's forced signal would,
 * limen's own reads take process_vm_readv (SIGSEGV, SIGBUS) and no site is
 * patched with an int3 again (SIGTRAP, rewrite.c).
 */
#include "raw.h"
#include "rt.h"

/* The program's mask, from the real one limen keeps. */
uint64_t limen_owned_view(uint64_t real)
{
	if (limen_tls.unarmed)
		return real;
	return (real & ~LIMEN_OWNED) | limen_tls.vblock;
}

/* The program set the mask view: remember its owned part, return the real
 * mask to install (only pinned ones stay blocked, while still blocked). */
uint64_t limen_owned_set(uint64_t view)
{
	if (limen_tls.unarmed)
		return view;
	limen_tls.vblock = view & LIMEN_OWNED;
	limen_tls.pinned &= limen_tls.vblock;
	limen_tls.pinned |= limen_transit_parked(view); /* owned_transit.c */
	return (view & ~LIMEN_OWNED) | limen_tls.pinned;
}

/* A mask for the time of one call (sigsuspend, ppoll, ...): what it really
 * blocks. The view it gives is kept aside (limen_owned_blocked). */
uint64_t limen_owned_call(uint64_t set)
{
	limen_tls.vcall = LIMEN_VCALL_ON | (set & LIMEN_OWNED);
	limen_tls.vcall_real = (set & ~LIMEN_OWNED) | (set & limen_tls.pinned);
	return limen_tls.vcall_real;
}

/* Does the program block sig (an owned one) now? */
int limen_owned_blocked(int sig)
{
	uint64_t v = (limen_tls.vcall & LIMEN_VCALL_ON) ? limen_tls.vcall :
							 limen_tls.vblock;

	return !!(v & LIMEN_SIGBIT(sig));
}
