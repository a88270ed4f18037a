/* SPDX-License-Identifier: MIT */
/*
 * A thread's exit (SYS_exit) with signals held for the program.
 *
 * A signal that arrives while limen's code runs is held until limen hands
 * control back to the program (signals.c, defer), and limen_app_syscall
 * does not start the program's call meanwhile: the kernel would have
 * delivered it before the `syscall` executed. The exit of a thread is the
 * one call limen does not make through limen_app_syscall: it unmaps the
 * thread's signal stack and exits on its own (dispatch.c, thread_exit),
 * and a signal held then died with the thread. For a signal sent to the
 * process (kill) that another thread would take, that lost it: with
 * SIGSEGV, SIGBUS or SIGTRAP, which limen never really blocks (owned.c),
 * the kernel readily hands one to a thread that is ending with every
 * signal blocked in the program's view (glibc blocks them all before
 * exit), and that thread, were it still at the program's code, would have
 * passed it back to the process (signals.c, pin).
 *
 * So the exit is made only with every signal really blocked and nothing
 * held: from then on nothing can arrive, and whatever the kernel still
 * has for the process goes to another thread (its exit retargets it).
 * With signals held, the exit is put off like any other call: the way out
 * delivers them (or passes them back to the process, as the program's
 * mask says), and the program's `syscall` traps again.
 */
#include <sys/syscall.h>

#include "raw.h"
#include "rt.h"

/* 1: the thread may end now, every signal blocked until it has; 0: it has
 * signals held, and the caller puts the exit off (LIMEN_RET_DEFERRED). */
int limen_exit_settled(void)
{
	uint64_t all = ~0ull, old;

	/* seccomp strict mode allows exit but neither rt_sigprocmask nor
	   gettid: the signals held are delivered first all the same, and
	   one that comes after this look finds the thread in its exit, as
	   bare. A raw thread that shares its creator's TLS (clone.c) would
	   see the creator's held signals there, not its own */
	if (limen_tls.strict)
		return limen_rt.shared_tls ||
		       (!limen_tls.nheld && !limen_tls.deferred);
	if (limen_rt.shared_tls &&
	    limen_tls.tid != (int32_t)limen_sys0(SYS_gettid))
		return 1;
	limen_sys4(SYS_rt_sigprocmask, SIG_SETMASK, &all, &old, 8);
	/* a fault signal blocked: limen's reads take process_vm_readv */
	limen_tls.fault_block++;
	if (!limen_tls.nheld && !limen_tls.deferred)
		return 1;
	limen_tls.fault_block--;
	limen_transit_setmask(&old, 0); /* owned_transit.c */
	return 0;
}
