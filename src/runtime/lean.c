/* SPDX-License-Identifier: MIT */
/*
 * The lean path of a rewritten call site (arch/x86_64/fast.S, at the top
 * of limen_fast_entry): a call that nothing asks limen to see or to do is
 * made right there, on the program's stack, with no stack switch, no
 * ucontext and no C, and the stub goes back to the program. What "nothing"
 * means, with a few loads:
 *  - this thread: it has its signal stack (limen_fast_sp), no signal held
 *    (limen_tls.deferred), no seccomp strict mode, is no vfork child, has
 *    no dispatch of its own on (nested_sud.c) and no uaccess slot armed
 *    (uaccess.c reads and clears it at every call);
 *  - the session: a control page, no flag under which every call counts
 *    (LEAN_CTL_OFF: every call recorded, -k's maps, --no-lean), and
 *    no user_events enable bit changed since this process last looked
 *    (ctl->uevent_gen: the full path brings them in line first);
 *  - the number: below LIMEN_TRACE_BITS, not selected in the live
 *    ctl->trace_mask (the collector clears bits while the program runs:
 *    sinks/limit.c), and set in limen_lean_nrs, which has every number
 *    none of the runtime's hooks looks at (hooked) and the runtime filter
 *    does not need unselected (filter.c, limen_filter_needs: -e inject='s
 *    numbers, -P's descriptor calls; -e status=, -z, -Z, --filter and
 *    limen bt's predicates decide on selected calls only), and read,
 *    write, close, dup, fcntl, getdents64, fstat, fchdir, getcwd and
 *    the f*xattr calls while the process holds no emulated user_events
 *    or tracefs descriptor, follows no kernel tracefs directory and has
 *    no emulated working directory (uev_fd);
 *  - or the number is a call of a path (limen_lean_path_nrs) and
 *    limen_lean_path (quickpath.c), run from fast.S on limen's stack
 *    between limen_lean_path_lo and _hi, finds that no hook wants it
 *    before the kernel or after any answer (a plain absolute path).
 * The kernel's `syscall` there is in limen's text, the exempt range: no
 * SIGSYS. It still takes the kernel's slow entry, as every call of a
 * thread with SUD armed does (syscall_trace_enter ->
 * syscall_user_dispatch): ~4 ns here (bench/sud_floor.c), a floor under
 * the lean path no user-space change removes; the rest is the stub's
 * jmp, call and pushfq, the checks and the flags put back. Folding the
 * per-thread and per-session checks into one word does not pay: all of
 * them removed (only the two bitmap words left), getppid gained 0.3 ns
 * (72.4 -> 72.1, bare 63.3): the loads are independent L1 hits. A signal arriving anywhere between the stub's call and its
 * return finds the program's own state (limen_lean_settle): before the
 * call is made, the program at its site's `syscall` (made again after the
 * handler, through SUD); after, the program after it, with the result.
 */
#include <errno.h>
#include <sys/syscall.h>

#include "raw.h"
#include "rt.h"
#include "quickpath.h"
#include "rewrite.h"
#include "runtime/filter.h"

_Static_assert(offsetof(limen_tls_t, vfork_child) == TLS_VFORK_CHILD &&
	       offsetof(limen_tls_t, strict) == TLS_STRICT &&
	       offsetof(limen_tls_t, ua_slot) == TLS_UA_SLOT &&
	       offsetof(limen_tls_t, nsud.on) == TLS_NSUD_ON &&
	       sizeof(((limen_tls_t *)0)->vfork_child) == 4 &&
	       sizeof(((limen_tls_t *)0)->strict) == 4 &&
	       sizeof(((limen_tls_t *)0)->nsud.on) == 4 &&
	       sizeof(((limen_tls_t *)0)->ua_slot) == 8,
	       "fast.S's lean path reads these");
_Static_assert(offsetof(struct limen_ctl, flags) == CTL_FLAGS &&
	       offsetof(struct limen_ctl, trace_mask) == CTL_TRACE_MASK &&
	       offsetof(struct limen_ctl, uevent_gen) == CTL_UEVENT_GEN &&
	       offsetof(struct limen_rt, ctl) == 0 &&
	       LEAN_NRS == LIMEN_TRACE_BITS && CTL_TRACE_ALL == LIMEN_CTL_TRACE_ALL &&
	       LEAN_CTL_OFF == (LIMEN_CTL_TRACE_ALL | LIMEN_CTL_STACK |
				LIMEN_CTL_NO_LEAN),
	       "fast.S's lean path reads these");

/* bit nr: no hook of the runtime needs to see a call nr (fast.S) */
uint64_t limen_lean_nrs[LEAN_NRS / 64] LIMEN_HIDDEN;
/* bit nr: a call of a path (quickpath.c), which the lean path makes when
   limen_lean_path says its path is one no hook wants (fast.S) */
uint64_t limen_lean_path_nrs[LEAN_NRS / 64] LIMEN_HIDDEN;
/* 1 once limen_lean_init has run in this image: the quick ways
   (quickrec.c, quickpath.c) are taken from then on */
int limen_lean_ready LIMEN_HIDDEN;

extern const char limen_fast_entry[] LIMEN_HIDDEN;
extern const char limen_lean_flags[] LIMEN_HIDDEN;
extern const char limen_lean_syscall[] LIMEN_HIDDEN;
extern const char limen_lean_ret[] LIMEN_HIDDEN;
extern const char limen_lean_resumed[] LIMEN_HIDDEN;
extern const char limen_lean_back[] LIMEN_HIDDEN;
extern const char limen_lean_jmp[] LIMEN_HIDDEN;
extern const char limen_lean_end[] LIMEN_HIDDEN;
extern const char limen_lean_path_lo[] LIMEN_HIDDEN;
extern const char limen_lean_path_hi[] LIMEN_HIDDEN;

/*
 * The numbers the runtime does something for even when nothing selects
 * them: dispatch.c's run() (its switch: the user_events and tracefs
 * emulation, signals, clone, exec, prctl, seccomp, exit; under limen's
 * loader limen_exe_hook's open, stat and readlink calls, all among them),
 * its bookkeeping() and rt_sigtimedwait (group_signal.c), the calls that
 * change the address space (uaccess.c, limen_ua_mapped: the proofs of
 * nested_sud.c and uaccess.c), and those rewrite.c hands to SUD
 * (limen_rewrite_needs_frame). The user_events emulation's are rt.h's
 * lists, run()'s own; tests/syscalls/lean.t checks the rest against
 * run()'s.
 */
static int hooked(long nr)
{
	switch (nr) {
	LIMEN_UEV_OTHER_CALLS(LIMEN_CASE)
	case SYS_rt_sigpending:
	case SYS_rt_sigaction:
	case SYS_kill:
	case SYS_rt_sigqueueinfo:
	/* bookkeeping(), group_signal.c; a wait's note of a child's end
	   (limen_end_note: the quick way takes them, quickrec.c) */
	case SYS_wait4:
	case SYS_waitid:
	case SYS_exit_group:
	case SYS_rt_sigtimedwait:
	/* owned_transit.c */
	case SYS_signalfd:
	case SYS_signalfd4:
	/* a network namespace: reach.c, limen_rendezvous_want */
	case SYS_unshare:
	case SYS_setns:
	/* the program's view of limen's registration (membarrier.c) */
	case SYS_membarrier:
		return 1;
	}
	/* the rest of run()'s (signal masks and stacks, clone, exec, exit,
	   prctl, seccomp, ptrace, rt_sigreturn) need a frame */
	return limen_ua_changes_maps(nr) || limen_rewrite_needs_frame(nr);
}

/*
 * The calls of run() whose hook (uevent_abi.c, limen_uev_hook) only looks
 * at descriptors that stand for an emulated user_events or tracefs file,
 * at a kernel's tracefs directory whose listing gets emulated entries, or
 * at an emulated working directory: with none of them in this process, it
 * passes them on as they are. They stay lean until the first (the bits are
 * cleared before its descriptor reaches the program, before the chdir
 * returns: a thread can only use it after that) and never again
 * (limen_lean_fd_off: uevent_abi.c, uevent_tfs_path.c).
 */
static int uev_fd(long nr)
{
	switch (nr) {
	LIMEN_UEV_FD_CALLS(LIMEN_CASE)
		return 1;
	}
	return 0;
}

static int fd_off; /* limen_lean_fd_off was called in this image */

void limen_lean_fd_off(void)
{
	__atomic_store_n(&fd_off, 1, __ATOMIC_SEQ_CST);
	for (long nr = 0; nr < LEAN_NRS; nr++)
		if (uev_fd(nr))
			__atomic_and_fetch(&limen_lean_nrs[nr / 64],
					   ~(1ull << (nr % 64)),
					   __ATOMIC_SEQ_CST);
}

/*
 * Once per image, at its first rewritten site (rewrite.c, patch): after
 * the constructor loaded this image's filter (init.c, map_session, before
 * SUD is armed: no site is rewritten before), which stays as it is for the
 * image's life (a private copy; a fork child has the same copy and the
 * same bits, an execve's new image loads its own and starts from none).
 */
void limen_lean_init(void)
{
	static int done;

	if (done)
		return;
	for (long nr = 0; nr < LEAN_NRS; nr++) {
		if (!hooked(nr) && !limen_filter_needs(nr))
			limen_lean_nrs[nr / 64] |= 1ull << (nr % 64);
		else if (limen_qpath_number(nr) && !limen_filter_needs(nr))
			limen_lean_path_nrs[nr / 64] |= 1ull << (nr % 64);
	}
	/* an emulated file opened meanwhile, or a working directory
	   entered (fd_off is set before limen_lean_fd_off clears): its
	   calls are not lean */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (__atomic_load_n(&fd_off, __ATOMIC_SEQ_CST))
		limen_lean_fd_off();
	done = 1;
	__atomic_store_n(&limen_lean_ready, 1, __ATOMIC_RELEASE);
}

/*
 * A signal found the thread at k on the lean path (limen_fast_settle):
 * make k the program's state, as the kernel's `syscall` at the site would
 * have left it. Before the call is made (or when the kernel rewound it for
 * a restart: rax is the number again, or restart_syscall's), the program is
 * at its site's `syscall`, which traps to SUD after the handler; the
 * program's rsp and flags are where the stub put them (fast.S). After it,
 * the program is after its `syscall` with the result in rax (-EINTR, or
 * what the call returned) and rcx = rip, r11 = flags as the kernel's
 * `syscall` leaves them. Returns the call's number once it was made
 * (signals.c: a pin makes an interrupted call again), else -1; -2 when k
 * is not on the lean path.
 */
/* the address after the site's `syscall`, from the word at the program's
 * rsp - FAST_BELOW at ip: the stub's return address (its data word is
 * there) until limen_lean_flags puts that word in its place (fast.S) */
static uint64_t resume_of(uint64_t ip, uint64_t w0)
{
	if (ip >= (uintptr_t)limen_lean_resumed &&
	    ip <= (uintptr_t)limen_lean_back)
		return w0;
	return *(const uint64_t *)(uintptr_t)w0;
}

long limen_lean_settle(ucontext_t *k)
{
	greg_t *g = k->uc_mcontext.gregs;
	uint64_t ip = (uint64_t)g[REG_RIP], sp = (uint64_t)g[REG_RSP];
	/* rsp stays the program's - FAST_BELOW all the way (fast.S): the
	   stub's return address at w[0] (the address it leads to from
	   limen_lean_resumed on), the program's flags at w[1], the number
	   at w[-1] from limen_lean_flags on */
	const uint64_t *w = (const uint64_t *)(uintptr_t)sp;
	uint64_t resume;

	if (ip < (uintptr_t)limen_fast_entry || ip >= (uintptr_t)limen_lean_end)
		return -2;
	/* the last jump: the program's rsp and registers, rcx the address
	   after the site's `syscall`; the number below the stub's words */
	if (ip == (uintptr_t)limen_lean_jmp) {
		g[REG_RIP] = g[REG_RCX];
		return (long)w[-FAST_BELOW / 8 - 1];
	}
	resume = resume_of(ip, w[0]);
	g[REG_RSP] = (greg_t)(sp + FAST_BELOW);
	/* the path check (limen_lean_path_lo to _hi) is before the call too:
	   rax the number, the program's registers; while limen_lean_path
	   runs on limen's stack, rip is outside the lean path (a signal
	   there is held: the check after it sees it) */
	if (ip <= (uintptr_t)limen_lean_syscall ||
	    (ip >= (uintptr_t)limen_lean_path_lo &&
	     ip < (uintptr_t)limen_lean_path_hi)) {
		g[REG_RIP] = (greg_t)(resume - 2);
		/* the flags being restored: rax holds them, the number is
		   kept, from limen_lean_resumed's store on (before it, rax
		   is still the number and w[-1] what an earlier call left
		   there; at the `syscall` itself, rax is what the kernel
		   left when it rewound the call: the number again, or
		   restart_syscall's) */
		if (ip > (uintptr_t)limen_lean_resumed &&
		    ip < (uintptr_t)limen_lean_syscall)
			g[REG_RAX] = (greg_t)w[-1];
		/* the kernel rewound the call it made: its `syscall` left rcx
		   the address after it, as the site's would have (before the
		   call, the checks hold the word index there, never
		   limen_lean_ret) */
		if (g[REG_RCX] == (greg_t)(uintptr_t)limen_lean_ret)
			g[REG_RCX] = (greg_t)resume;
		g[REG_EFL] = (greg_t)w[1];
		return -1;
	}
	g[REG_RIP] = (greg_t)resume;
	g[REG_RCX] = (greg_t)resume;
	return (long)w[-1];
}

/* A seccomp filter's SIGSYS for the lean path's `syscall`: the program's
 * call, from its site (signals.c, limen_forward_sigsys). */
void limen_lean_call_addr(siginfo_t *si, const ucontext_t *k)
{
	const uint64_t *w;

	if ((uintptr_t)si->si_call_addr != (uintptr_t)limen_lean_ret)
		return;
	w = (const uint64_t *)(uintptr_t)k->uc_mcontext.gregs[REG_RSP];
	si->si_call_addr = (void *)(uintptr_t)resume_of(
		(uintptr_t)limen_lean_ret, w[0]);
}
