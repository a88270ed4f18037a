/* SPDX-License-Identifier: MIT */
/*
 * The SIGSYS handler: every system call of the program lands here (Syscall
 * User Dispatch with no selector: everything outside liblimen's own code
 * traps), except those of rewritten call sites, which enter the same core
 * (limen_dispatch) from rewrite.c's fast path. It records the entry, runs
 * the call (or the hook that stands in for it), records the exit, and
 * returns the result in rax.
 *
 * The handler is installed with SA_NODEFER and an empty sa_mask so that the
 * program's signals are delivered while a call blocks here, exactly as they
 * would be without limen, and with SA_ONSTACK: it runs on limen's own
 * signal stack (stack.c), never on the program's. A signal for the program
 * that interrupts the call finishes it first (signals.c, deliver), so the
 * program's handler never runs on top of a live SIGSYS frame; a signal
 * that arrives while other limen code runs waits until the program can
 * take it (signals.c, defer).
 */
#include <errno.h>
#include <linux/futex.h>
#include <linux/prctl.h>
#include <linux/seccomp.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#include "raw.h"
#include "acflag.h"
#include "rt.h"
#include "runtime/filter.h"
#include "rewrite_known.h"
#include "core_signal.h"
#include "pkru.h"

#ifndef PR_SET_SYSCALL_USER_DISPATCH
#define PR_SET_SYSCALL_USER_DISPATCH 59
#define PR_SYS_DISPATCH_ON 1
#endif
#define SYS_USER_DISPATCH_CODE 2
#define LIMEN_AUDIT_ARCH_I386 0x40000003u /* linux/audit.h: EM_386, LE */
/* PR_SET_UACCESS_DESCRIPTOR_ADDR_ADDR: uaccess logging (uaccess.c) */
#define LIMEN_PR_SET_UACCESS 63

/*
 * The end of a process is the collector's to tell even when no call that
 * says so is selected (strace -f -e trace=execve still shows "+++ killed
 * by SIGTERM +++"): a process killed by a signal writes no record of its
 * end, and one killed before its runtime started writes none at all. Its
 * reaper's wait4 or waitid says how it ended, and its parent's clone,
 * fork or vfork that it was made: their EXIT records, hidden, with the
 * wait's status or siginfo, when they reaped a child or made one
 * (tests/collector/killed_unselected.t).
 */
static int end_noted(long nr, const long *a, long ret)
{
	switch (nr) {
	case SYS_wait4:
		return ret > 0;
	case SYS_waitid:
		return ret == 0 && a[2] && !(a[3] & WNOWAIT);
	case SYS_clone:
	case SYS_clone3:
	case SYS_fork:
	case SYS_vfork:
		return ret > 0;
	}
	return 0;
}

void limen_record_sys(uint16_t type, long nr, const long *a, long ret,
		      int hidden)
{
	limen_record_sys_flags(type, nr, a, ret, hidden, 0);
}

/* One call's record, with its captures (and -y's, -e read=/write='s,
   netlink's), as every writer of ENTER and EXIT records writes it */
void limen_record_sys_flags(uint16_t type, long nr, const long *a, long ret,
			    int hidden, uint16_t flags)
{
	const struct limen_sysent *se = limen_sysent_get((unsigned long)nr);
	int at_exit = type == LIMEN_REC_EXIT;
	struct limen_rec_sys *r;
	struct limen_wr w;
	uint32_t bound = sizeof(*r), used, ncap = 0, fdb = 0, dmb = 0, nlb = 0;

	/* an i386 call (compat32.c): nothing captured, no 64-bit table */
	if (LIMEN_IS_I386(nr)) {
		limen_rec_sys_plain(type,
				    (uint16_t)(flags |
					       (hidden ? LIMEN_RECF_HIDDEN : 0)),
				    nr, a, ret);
		return;
	}
	/* nothing to capture: a fixed-size record (quickrec.c) */
	if (limen_quick_record(type, nr, a, ret, hidden, flags))
		return;
	if (se && hidden == LIMEN_HIDDEN_CAPS)
		bound += limen_capture_bound(se, a, ret, at_exit);
	if (se && !hidden) {
		/* -y, -e read=/write= and netlink's messages: asked for by
		   few sessions, and netlink's only by sockets' calls (%network).
		   Looked at only then: between two calls the kernel's work
		   leaves little of ours in the caches, and the three calls
		   that only said no cost about 4 ns a record */
		const struct limen_ctl *c = limen_rt.ctl;

		if (c && c->decode_fds)
			fdb = limen_fdinfo_bound(se, a, ret, at_exit);
		if (c && (c->flags & LIMEN_CTL_DUMP))
			dmb = limen_dump_bound(se, a, ret, at_exit);
		if (se->classes & LIMEN_CLASS_NETWORK)
			nlb = limen_nl_bound(se, a, ret, at_exit);
		bound += limen_capture_bound(se, a, ret, at_exit) + fdb + dmb +
			 nlb;
	}
	if (limen_rec_reserve(&w, bound) < 0)
		return;
	r = (struct limen_rec_sys *)w.p;
	limen_rec_sys_fill(r, nr, a, ret, 0);
	used = sizeof(*r);
	if (se && (!hidden || hidden == LIMEN_HIDDEN_CAPS))
		used += limen_capture(w.p + used, se, a, ret, at_exit, &ncap);
	if (fdb)
		used += limen_fdinfo_capture(w.p + used, fdb, se, a, ret,
					     at_exit, &ncap);
	if (dmb)
		used += limen_dump_capture(w.p + used, dmb, se, a, ret,
					   at_exit, &ncap);
	if (nlb)
		used += limen_nl_capture(w.p + used, nlb, se, a, ret, at_exit,
					 &ncap);
	r->ncap = ncap;
	limen_rec_commit(&w, type,
			 (uint16_t)(flags | (hidden ? LIMEN_RECF_HIDDEN : 0)),
			 used);
}

/*
 * Seccomp strict mode (seccomp(SECCOMP_SET_MODE_STRICT) or
 * prctl(PR_SET_SECCOMP, SECCOMP_MODE_STRICT)): from then on the thread may
 * only read, write, exit and rt_sigreturn, and RDTSC faults. Our handler
 * still runs for every call (Syscall User Dispatch is not a call) and
 * leaves with rt_sigreturn; it must make no other call: captures with
 * plain loads only (safe.c), no pauses, no clock but its own (limen_now),
 * and a signal's way to the program's handler and back asks the kernel
 * nothing (signals.c: take, deliver_held).
 */
static long hook_strict(long nr, const long *a)
{
	uint64_t tsc = limen_rdtsc();
	long r;

	limen_core_strict(); /* the kernel's SIG_DFL back (core_signal.c) */
	/* before the call: a signal pending meanwhile is delivered as it
	   returns, and its wrapper must find the thread strict already */
	limen_tls.strict_tsc = tsc;
	limen_tls.strict = 1;
	r = limen_app_syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	if (r != 0) {
		limen_tls.strict = 0;
		limen_core_init();
	}
	return r;
}

/* PR_SET_SYSCALL_USER_DISPATCH: the program's own, kept aside (nested_sud.c). */
static long hook_prctl(const long *a)
{
	if (a[0] == PR_SET_SYSCALL_USER_DISPATCH)
		return limen_nsud_prctl(a);
	if (a[0] == LIMEN_PR_SET_UACCESS)
		return limen_ua_prctl(a);
	if (a[0] == PR_SET_SECCOMP && a[1] == SECCOMP_MODE_STRICT)
		return hook_strict(SYS_prctl, a);
	if (a[0] == PR_SET_SECCOMP && a[1] == SECCOMP_MODE_FILTER)
	{
		limen_ring_pool_fill(); /* its later threads' rings */
		limen_unix_peer_seccomp(); /* -yy asks sock_diag no more */
#ifdef LIMEN_GS_TLS
		limen_exe_settle();
#endif
		limen_aside_filtered();
	}
	return limen_sys6(SYS_prctl, a[0], a[1], a[2], a[3], a[4], a[5]);
}

/*
 * exit of one thread: it stands on its signal stack, which nothing else
 * will free. Unmap it on the way out, with every signal blocked (a
 * delivery would need the stack), unless it is a vfork child's (the
 * parent's second area, see clone.c).
 */
static void thread_exit(long status, const ucontext_t *uc, int kept)
{
	uint64_t all = ~0ull;
	uint8_t *map = (uint8_t *)uc->uc_stack.ss_sp - LIMEN_GUARD_BYTES;

	/* seccomp strict mode allows exit but not rt_sigprocmask or munmap;
	   under a filter of the program's the stack and %gs block went
	   back to the pool (kept, ring.c): nothing to unmap */
	if (limen_tls.vfork_child || limen_tls.strict || kept ||
	    uc->uc_stack.ss_size != LIMEN_STACK_BYTES)
		return;
	limen_sys4(SYS_rt_sigprocmask, SIG_SETMASK, &all, 0, 8);
	if (limen_tls.vfork_area &&
	    limen_tls.tid == (int32_t)limen_sys0(SYS_gettid))
		limen_sys2(SYS_munmap, limen_tls.vfork_area,
			   LIMEN_STACK_MAP_BYTES);
	limen_filter_thread_end();
#ifdef LIMEN_GS_TLS
	limen_gs_block_free(); /* limen's loader: this thread's state */
#endif
	limen_exit_unmap(status, map, LIMEN_STACK_MAP_BYTES);
}

#define NEWNET 0x40000000ull /* CLONE_NEWNET */
#define NEWPID 0x20000000ull /* CLONE_NEWPID */

/*
 * Before a call that makes or enters a network namespace (unshare, setns,
 * clone, clone3): the collector binds its pathname socket only when asked
 * (cli/rendezvous.c), so that a run that never needs it leaves no file of
 * limen's for the program to see; an image exec'd in the new namespace
 * then finds it there at once. The caller waits for the answer on the
 * word (a futex the collector wakes once it has answered, at its next
 * drain-loop turn), a second at most and not once the collector is gone;
 * with no answer by then the word says NONE, so that no later call waits
 * again. Not under a seccomp filter of the program's, which could kill or
 * refuse the futex call it never made: the word is set, and an image
 * exec'd before the collector's answer runs untraced, with the note.
 *
 * The word is in the session, which the program can write: it is read
 * once for the decision (two loads could see NONE, then BOUND, and wait
 * for an answer already given), and whatever it holds costs at most the
 * ten waits of a tenth of a second (a value that changes ends the futex
 * wait at once, and the loop), never a hang or a fault.
 */
static void rendezvous_want(void)
{
	struct limen_ctl *c = limen_rt.ctl;
	uint32_t *w, want = LIMEN_PATH_WANTED, now;

	if (!c)
		return;
	w = &c->path_wanted;
	now = __atomic_load_n(w, __ATOMIC_ACQUIRE);
	if (now == LIMEN_PATH_BOUND || now == LIMEN_PATH_NONE)
		return;
	__atomic_store_n(w, LIMEN_PATH_WANTED, __ATOMIC_RELEASE);
	if (limen_tls.strict || limen_seccomp_filtered())
		return;
	for (int i = 0; i < 10; i++) {
		struct timespec tenth = { 0, 100000000 };

		if (__atomic_load_n(w, __ATOMIC_ACQUIRE) != LIMEN_PATH_WANTED ||
		    limen_collector_died())
			return;
		/* shared with the collector: not FUTEX_PRIVATE */
		limen_sys6(SYS_futex, (long)w, FUTEX_WAIT, LIMEN_PATH_WANTED,
			   (long)&tenth, 0, 0);
	}
	__atomic_compare_exchange_n(w, &want, LIMEN_PATH_NONE, 0,
				    __ATOMIC_ACQ_REL, __ATOMIC_RELAXED);
}

/* A call that makes or enters a network namespace, where limen's abstract
   socket cannot be reached: the collector's pathname socket is bound
   first (rendezvous_want), for the images exec'd there (reach.c) */
static void net_ns_call(long nr, const long *a)
{
	uint64_t flags = 0;

	switch (nr) {
	case SYS_unshare:
	case SYS_clone:
		flags = (uint64_t)a[0];
		break;
	case SYS_clone3:
		/* struct clone_args starts with the flags */
		if ((unsigned long)a[1] < sizeof(flags) ||
		    limen_safe_read(&flags, (uint64_t)a[0], sizeof(flags)) !=
			    (long)sizeof(flags))
			return;
		break;
	case SYS_setns:
		/* nstype 0: whatever namespace the descriptor is; a pidfd
		   takes the flags */
		flags = a[1] ? (uint64_t)a[1] : NEWNET;
		break;
	}
	if (flags & NEWNET)
		rendezvous_want();
}

/*
 * A call limen answers itself (the signal state it keeps for the
 * program: rt_sigaction, rt_sigprocmask, sigaltstack, rt_sigpending)
 * under a seccomp filter of the program's own: the filter has its say
 * first, as without limen. The same call number with the same first
 * argument and size, asking nothing and changing nothing, goes to the
 * kernel (a filter cannot read what the pointers point at; one that
 * compares their values is not told them). A verdict (an errno, the
 * value a SIGSYS handler left, a kill) is the call's; 0: the kernel let
 * it through, and limen answers (tests/syscalls/emulated_under_filter.t).
 */
static long put_to_filter(long nr, const long *a)
{
	uint64_t pend;

	if (!limen_program_filtered())
		return 0;
	switch (nr) {
	case SYS_rt_sigaction:
	case SYS_rt_sigprocmask:
		return limen_app_syscall(nr, a[0], 0, 0, a[3], 0, 0);
	case SYS_sigaltstack:
		return limen_app_syscall(nr, 0, 0, 0, 0, 0, 0);
	case SYS_rt_sigpending:
		return limen_app_syscall(nr, (long)&pend,
					 a[1] == 8 ? 8 : a[1], 0, 0, 0, 0);
	}
	return 0;
}

/* a call that may make a userfaultfd of user-mode faults only (uffd.c) */
static int uffd_nr(long nr)
{
	return nr == SYS_userfaultfd || nr == SYS_ioctl;
}

/*
 * In seccomp strict mode a call that the mode forbids goes to the kernel
 * as the program made it, which kills the thread with SIGKILL, as bare:
 * limen must not answer it itself (a siglongjmp's rt_sigprocmask, which
 * limen_hook_sigprocmask answers without a call, went on working), nor
 * make calls of its own for it. exit ends the thread as the kernel's
 * exit, below.
 */
static int strict_forbids(long nr)
{
	return limen_tls.strict && nr != SYS_read && nr != SYS_write &&
	       nr != SYS_exit && nr != SYS_rt_sigreturn;
}

static long run(long nr, const long *a, ucontext_t *uc)
{
	long ret;
	uint32_t transit;

	if (strict_forbids(nr))
		return limen_app_syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
#ifdef LIMEN_GS_TLS
	/* limen's loader: /proc/self/exe names the program (exe_view.c) */
	if (limen_exe_hook(nr, a, &ret))
		return ret;
#endif
	/* one of limen's fault signals in another thread's hands: calls
	   that could see it wait until it is back (owned_transit.c) */
	transit = __atomic_load_n(&limen_rt.owned_transit, __ATOMIC_RELAXED);
	if (transit)
		limen_transit_call(nr);
	switch (nr) {
	/* user_events files where the kernel has none (uevent_abi.c), the
	   emulated tracefs (uevent_tfs_path.c), files passed to or by
	   another process (uevent_passfd.c) */
	LIMEN_UEV_FD_CALLS(LIMEN_CASE)
	LIMEN_UEV_OTHER_CALLS(LIMEN_CASE)
		/* one of them, too: a signalfd watched for limen's fault
		   signals in transit (owned_transit.c) */
		if (nr == SYS_signalfd || nr == SYS_signalfd4)
			limen_transit_signalfd(a);
		if (limen_uev_hook(nr, a, &ret))
			return uffd_nr(nr) ? limen_uffd_call(nr, a, ret) : ret;
		if (uffd_nr(nr))
			return limen_uffd_call(
				nr, a,
				transit ? limen_transit_made(nr, a) :
					  limen_app_syscall(nr, a[0], a[1],
							    a[2], a[3], a[4],
							    a[5]));
		break;
	case SYS_rt_sigpending:
	case SYS_sigaltstack:
	case SYS_rt_sigaction:
	case SYS_rt_sigprocmask:
		ret = put_to_filter(nr, a);
		if (ret)
			return ret;
		if (nr == SYS_rt_sigpending)
			return limen_hook_sigpending(a);
		if (nr == SYS_sigaltstack)
			return limen_hook_sigaltstack(a, uc);
		if (nr == SYS_rt_sigaction)
			return limen_hook_sigaction(a);
		return limen_hook_sigprocmask(a, uc);
	case SYS_rt_sigtimedwait:
		if (limen_tls.sigsys_pending) {
			long r = limen_sigsys_wait(a);

			if (r)
				return r;
		}
		return limen_transit_made(nr, a);
	case SYS_rt_sigsuspend:
	case SYS_ppoll:
	case SYS_pselect6:
	case SYS_epoll_pwait:
	case SYS_epoll_pwait2:
		return limen_hook_masked(nr, a);
	case SYS_unshare:
	case SYS_setns:
		/* children may be in another pid namespace (clone.c) */
		if (nr == SYS_setns || ((uint64_t)a[0] & NEWPID))
			limen_rt.pidns_moved = 1;
		net_ns_call(nr, a);
		break;
	case SYS_clone:
	case SYS_clone3:
		net_ns_call(nr, a);
		/* fall through */
	case SYS_fork:
	case SYS_vfork:
		ret = limen_hook_clone(nr, a, uc);
		if (ret > 0) /* the parent: its CLONE_PIDFD (uevent_abi.c) */
			limen_uev_clone_done(nr, a);
		return ret;
	case SYS_ptrace:
		return limen_hook_ptrace(a);
	case SYS_membarrier:
		return limen_hook_membarrier(a);
	/* one of limen's fault signals sent to this process (group_signal.c) */
	case SYS_kill:
	case SYS_rt_sigqueueinfo:
		return limen_hook_kill(nr, a);
	case SYS_execve:
	case SYS_execveat: {
		long r;

		/* the new image counts the thread again (lone.c) */
		limen_lone_park();
		r = limen_hook_execve(nr, a);
		limen_lone_unpark();
		return r;
	}
	case SYS_prctl:
		return hook_prctl(a);
	case SYS_seccomp:
		if (a[0] == SECCOMP_SET_MODE_STRICT)
			return hook_strict(nr, a);
		if (a[0] == SECCOMP_SET_MODE_FILTER) {
			limen_ring_pool_fill(); /* ring.c */
			limen_unix_peer_seccomp(); /* -yy: see unixpeer.c */
#ifdef LIMEN_GS_TLS
			limen_exe_settle();
#endif
			limen_aside_filtered();
		}
		break;
	case SYS_exit:
		/* held signals first, as before any call (thread_end.c) */
		if (!limen_exit_settled())
			return LIMEN_RET_DEFERRED;
	{
		/* the stack and %gs block this thread ends on, for the
		   pool under a filter of the program's (ring.c) */
		int own = !limen_tls.vfork_child && !limen_tls.strict &&
			  uc->uc_stack.ss_size == LIMEN_STACK_BYTES;
		uint8_t *stack = own ? (uint8_t *)uc->uc_stack.ss_sp -
					       LIMEN_GUARD_BYTES :
				       0;
		void *gs = 0;
		int kept;

#ifdef LIMEN_GS_TLS
		if (own && !limen_rt.shared_tls)
			gs = limen_gs_block_self();
#endif
		kept = limen_thread_done_kit(stack, gs);
		limen_lone_park(); /* no record from here on (lone.c) */
		thread_exit(a[0], uc, kept);
		break;
	}
	case SYS_exit_group:
		limen_lone_park(); /* lone.c */
		break;
	}
	if (transit)
		return limen_transit_made(nr, a);
	return limen_app_syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}

/* A signal for the program ends the call in flight: its uaccess log is
 * written first, as the kernel writes it at the call's exit, before the
 * signal is delivered. */
static void inflight_ua(struct limen_inflight *fl, long ret)
{
	struct limen_ua_call *ua = fl->ua;

	if (!ua)
		return;
	fl->ua = 0;
	if (ua->desc) {
		limen_ua_exit(ua, fl->nr, fl->a, ret);
		ua->desc = 0;
	}
	if (fl->record == 1 && (limen_rt.ctl->flags & LIMEN_CTL_UACCESS))
		limen_ua_record(ua, fl->nr, fl->a, ret);
}

/*
 * How a child ended must reach the collector when the program's wait does
 * not keep it: a wait that throws it away (wait4 with a NULL status,
 * waitid with a NULL infop: waitpid(pid, NULL, 0) is common), and one
 * whose pointer faults, where the kernel reaps the child first and then
 * fails its copy (EFAULT): a child killed by a signal writes no record of
 * its own. So the kernel writes its answer into k, limen's memory, which
 * never faults, and limen_wait_out writes it where the program asked, as
 * the kernel would have: the same bytes, under the same conditions, and
 * EFAULT where the kernel's copy would have faulted (limen_put_user keeps
 * the program's protection keys). Returns the arguments the kernel is
 * given: k->a, with limen's status or siginfo, and struct rusage when the
 * program asked for one (its copy can fault too, after the reap).
 */
const long *limen_wait_args(long nr, const long *a,
			    struct limen_wait_scratch *k)
{
	int i = nr == SYS_wait4 ? 1 : nr == SYS_waitid ? 2 : -1;

	if (i < 0)
		return a; /* no ka: k is not looked at */
	__builtin_memcpy(k->a, a, sizeof(k->a));
	k->out = (uint64_t)a[i];
	k->ru_out = (uint64_t)a[i + 2];
	k->state = 1;
	/* the copy may be made from a signal's way (deliver), with the
	   kernel's default for handlers in force: the program's, now */
	k->pk = limen_pkru_have();
	k->pkru = k->pk ? limen_pkru_prog() : 0;
	if (i == 1) {
		k->status = 0;
		k->a[1] = (long)&k->status;
	} else {
		__builtin_memset(&k->si, 0, sizeof(k->si));
		k->a[2] = (long)&k->si;
	}
	if (k->ru_out)
		k->a[i + 2] = (long)&k->ru;
	return k->a;
}

/*
 * One field the kernel writes with put_user (4 bytes): a single store,
 * all of it or none (a field that runs into a page that faults is not
 * written at all, where a byte-wise copy would write its first bytes).
 * Within a page, a copy that faults does so at its first byte; across
 * two, the part in the second page goes first, and is put back if the
 * first page's part faults. 1: written.
 */
static int wait_field(const struct limen_wait_scratch *k, uint64_t dst,
		      const void *src, size_t n)
{
	size_t head = 4096 - (dst & 4095);
	uint8_t old[8];
	long got;

	if (head >= n)
		return limen_put_user_as(dst, src, n, k->pkru, k->pk) ==
		       (long)n;
	got = limen_safe_read(old, dst + head, n - head);
	if (limen_put_user_as(dst + head, (const uint8_t *)src + head,
			      n - head, k->pkru, k->pk) != (long)(n - head))
		return 0;
	if (limen_put_user_as(dst, src, head, k->pkru, k->pk) == (long)head)
		return 1;
	if (got == (long)(n - head))
		limen_put_user_as(dst + head, old, n - head, k->pkru, k->pk);
	return 0;
}

/* The child's struct rusage where the program asked for it (none: 1),
   a copy_to_user: 1 when it was written whole */
static int wait_rusage(const struct limen_wait_scratch *k)
{
	return !k->ru_out || limen_put_user_as(k->ru_out, &k->ru,
					       sizeof(k->ru), k->pkru,
					       k->pk) == (long)sizeof(k->ru);
}

long limen_wait_out(const struct limen_inflight *fl, long ret)
{
	struct limen_wait_scratch *k = fl->wk;
	const uint8_t *si;

	if (!fl->ka || !k || ret == LIMEN_RET_DEFERRED)
		return ret;
	if (k->state == 2)
		return k->ret;
	k->state = 2;
	k->kret = ret;
	if (fl->nr == SYS_wait4) {
		/* a child's pid (kernel_wait4): put_user(status), then
		   copy_to_user(rusage) (the wait4 syscall itself) */
		if (ret > 0 &&
		    ((k->out && !wait_field(k, k->out, &k->status, 4)) ||
		     !wait_rusage(k)))
			ret = -EFAULT;
	} else {
		/* a child reaped or seen (kernel_waitid above 0: si_signo
		   SIGCHLD): its rusage, a fault there ends the call; then,
		   whatever kernel_waitid returned, the kernel writes
		   si_signo, si_errno and si_code, then si_pid, si_uid and
		   si_status (bytes 0-11 and 16-27), and nothing else */
		si = (const uint8_t *)&k->si;
		if (k->si.si_signo == SIGCHLD && !wait_rusage(k))
			ret = -EFAULT;
		else if (k->out)
			for (int f = 0; f < 7; f++)
				if (f != 3 && !wait_field(k, k->out + 4 * f,
							  si + 4 * f, 4)) {
					ret = -EFAULT;
					break;
				}
	}
	k->ret = ret;
	return ret;
}

/* end_noted's record for fl's call (result ret), when nothing else
   records its exit: not selected, and the filter wrote nothing for it;
   or a selected wait whose own record cannot tell (limen_wait_args: its
   pointer NULL, or the copy to it faulted), written before that record */
void limen_end_note(const struct limen_inflight *fl, long ret)
{
	const long *a = fl->ka ? fl->ka : fl->a;
	/* the program's memory holds what the kernel said */
	int told = !fl->ka || (fl->wk && fl->wk->state == 2 && fl->wk->out &&
			       fl->wk->ret == fl->wk->kret);

	if (fl->ka && fl->wk && fl->wk->state == 2)
		ret = fl->wk->kret;
	/* a filter that wrote the call's records wrote the program's NULL
	   too; one that answered for the call made none */
	if ((fl->record && told) || !end_noted(fl->nr, a, ret) ||
	    (fl->fc && ((fl->fc->entered && told) ||
			limen_filter_replaces(fl->fc))))
		return;
	if (fl->nr == SYS_clone3) {
		/* whether it made a thread: its clone_args.flags in the
		   third argument, which clone3 does not have (the
		   collector counts a thread from its parent's clone) */
		long b[6] = { a[0], a[1], 0, 0, 0, 0 };
		uint64_t f;

		if ((unsigned long)a[1] >= sizeof(f) &&
		    limen_safe_read(&f, (uint64_t)a[0], sizeof(f)) ==
			    (long)sizeof(f))
			b[2] = (long)f;
		limen_record_sys(LIMEN_REC_EXIT, fl->nr, b, ret,
				 LIMEN_HIDDEN_CAPS);
		return;
	}
	limen_record_sys(LIMEN_REC_EXIT, fl->nr, a, ret, LIMEN_HIDDEN_CAPS);
}

int limen_wait_restart_faults(ucontext_t *k)
{
	struct limen_inflight *fl = limen_tls.inflight;
	greg_t *g = k->uc_mcontext.gregs;

	/* kernel_waitid's -ERESTARTSYS: the waitid syscall writes infop
	   (zeros: no child) before it returns that, and its fault turns
	   the restart into EFAULT */
	if (!fl || fl->done || fl->nr != SYS_waitid || !fl->ka || !fl->wk ||
	    limen_wait_out(fl, -512 /* ERESTARTSYS */) != -EFAULT)
		return 0;
	g[REG_RIP] = g[REG_RCX];
	g[REG_RAX] = -EFAULT;
	limen_inflight_exit(k);
	return 1;
}

void limen_inflight_exit(ucontext_t *uc)
{
	struct limen_inflight *fl = limen_tls.inflight;
	greg_t *g = uc->uc_mcontext.gregs;

	if (!fl || fl->done ||
	    !limen_app_syscall_after((uint64_t)g[REG_RIP]))
		return;
	limen_peek_end(); /* the call is over, its frame may be left */
	/* before the program's handler runs, as the kernel writes it */
	g[REG_RAX] = limen_wait_out(fl, g[REG_RAX]);
	limen_end_note(fl, g[REG_RAX]);
	if (fl->record)
		limen_record_sys(LIMEN_REC_EXIT, fl->nr, fl->a, g[REG_RAX],
				 fl->record == 2);
	limen_filter_inflight(fl, g[REG_RAX]);
	inflight_ua(fl, g[REG_RAX]);
	fl->done = 1;
}

/* The exit of a call that was never made (LIMEN_RECF_UNMADE): the trace
 * shows the call once, when the program makes it again. */
void limen_record_unmade(long nr, const long *a, int hidden)
{
	limen_rec_sys_plain(LIMEN_REC_EXIT,
			    LIMEN_RECF_UNMADE | (hidden ? LIMEN_RECF_HIDDEN : 0),
			    nr, a, LIMEN_RET_DEFERRED);
}

void limen_inflight_unmade(void)
{
	struct limen_inflight *fl = limen_tls.inflight;

	if (!fl || fl->done)
		return;
	limen_peek_end();
	/* the program makes it again after the handler: logged then */
	if (fl->ua)
		limen_ua_unmade(fl->ua);
	limen_filter_inflight(fl, LIMEN_RET_DEFERRED);
	if (!fl->record)
		return;
	fl->done = 1;
	limen_record_unmade(fl->nr, fl->a, fl->record == 2);
}

void limen_inflight_abandon(long ret)
{
	struct limen_inflight *fl = limen_tls.inflight;

	if (!fl || fl->done)
		return;
	limen_peek_end();
	limen_end_note(fl, ret);
	if (fl->record)
		limen_record_sys(LIMEN_REC_EXIT, fl->nr, fl->a, ret,
				 fl->record == 2);
	limen_filter_inflight(fl, ret);
	inflight_ua(fl, ret);
	fl->done = 1;
}

/* Let the program take the signals held for it before its call, as the
 * kernel delivers them before a `syscall` executes: back to the instruction
 * (2 bytes, as the kernel's own restart assumes), which traps again after
 * the handlers (our way out delivers them, stubs.S). */
static void reissue(ucontext_t *uc)
{
	uc->uc_mcontext.gregs[REG_RIP] -= 2;
}

/*
 * The core of every call of the program, whichever way it arrived: through
 * Syscall User Dispatch (limen_sigsys, uc is the SIGSYS frame) or through
 * a rewritten call site (rewrite.c, uc is the frame its stub built on
 * limen's stack, fast = 1). uc's gregs are the program's registers as the
 * kernel's `syscall` sees them (rax the number, rip just after the
 * `syscall`, call_addr); the result goes back in rax, or rip is moved back
 * to the `syscall` (reissue) when the program must take a signal first.
 * The hooks that need a real signal frame (sigprocmask, sigaltstack, clone
 * and friends, exit: see run) are only reached through SUD: rewrite.c never
 * rewrites a site of theirs.
 */
void limen_dispatch(ucontext_t *uc, uint64_t call_addr, int fast)
{
	greg_t *g = uc->uc_mcontext.gregs;
	long a[6];

	a[0] = g[REG_RDI];
	a[1] = g[REG_RSI];
	a[2] = g[REG_RDX];
	a[3] = g[REG_R10];
	a[4] = g[REG_R8];
	a[5] = g[REG_R9];
	limen_dispatch_as(uc, call_addr, fast, g[REG_RAX], a);
}

void limen_dispatch_as(ucontext_t *uc, uint64_t call_addr, int fast, long nr,
		       const long *a_in)
{
	greg_t *g = uc->uc_mcontext.gregs;
	long ret, a[6];
	int sel, hidden, stack;
	struct limen_inflight fl, *prev;
	struct limen_ua_call ua;
	struct limen_fcall fc;
	struct limen_wait_scratch wk;
	const long *ka;

	for (int i = 0; i < 6; i++)
		a[i] = a_in[i];
	/* a call that needs nothing but its records (quickrec.c) */
	if (limen_dispatch_quick(uc, call_addr, fast, nr, a))
		return;
	/* an event enabled or disabled since (a write to its tracefs
	   enable file in another process): the program's bits follow
	   before its next call runs */
	if (limen_rt.ctl &&
	    __atomic_load_n(&limen_rt.ctl->uevent_gen, __ATOMIC_ACQUIRE) !=
		    limen_uev_gen_seen)
		limen_uev_sync();
	/* the path, read once for the capture and the hooks (peek.c) */
	limen_peek_begin();
	sel = limen_selected(nr);
	/* -e status=, -P, --filter, -e inject= (filter.c) */
	if (limen_filter_on) {
		fc.site = limen_call_site(uc);
		fc.uc = uc;
		sel = limen_filter_enter(&fc, nr, a, sel);
	}
	/* a call the filter wrote (or answers for: not made) needs no
	   bookkeeping record */
	hidden = !sel && limen_bookkeeping(nr) &&
		 !(limen_filter_on &&
		   (fc.entered || limen_filter_replaces(&fc)));
	/* -k: the user stack, for the collector to unwind (kstack.c);
	   an exit's before its entry, which ends the thread in the trace */
	stack = sel && (limen_rt.ctl->flags & LIMEN_CTL_STACK);
	if (stack && limen_stack_first(nr))
		limen_capture_stack(nr, a, uc);
	if (sel || hidden)
		limen_record_sys(LIMEN_REC_ENTER, nr, a, limen_call_site(uc),
				 hidden);
	if (stack && !limen_stack_first(nr))
		limen_capture_stack(nr, a, uc);
	/* uaccess logging: the slot is read and cleared at entry */
	ua.desc = 0;
	ua.snap = 0;
	if (limen_tls.ua_slot)
		limen_ua_enter(&ua, nr, a);
	if (sel && (limen_rt.ctl->flags & LIMEN_CTL_UACCESS))
		limen_ua_snapshot(&ua, nr, a);
	fl.nr = nr;
	fl.a = a;
	fl.uc = uc;
	fl.record = sel ? 1 : hidden ? 2 : 0;
	fl.done = 0;
	fl.call_addr = call_addr;
	fl.ua = ua.snap ? &ua : 0;
	fl.fc = limen_filter_on ? &fc : 0;
	fl.fast = fast;
	ka = limen_wait_args(nr, a, &wk);
	fl.ka = ka != a ? ka : 0;
	fl.wk = &wk;
	fl.pnr = g[REG_RAX];
	fl.knr = nr;
	prev = limen_tls.inflight;
	limen_tls.inflight = &fl;
	if (!(limen_filter_on && limen_filter_tamper(&fc, nr, &ret))) {
		ret = run(nr, ka, uc);
		if (fl.ka)
			ret = limen_wait_out(&fl, ret);
	}
	limen_peek_end();
	limen_tls.inflight = prev;
	limen_filter_inflight(&fl, ret);
	/* and after a call that blocked while one was */
	if (limen_rt.ctl &&
	    __atomic_load_n(&limen_rt.ctl->uevent_gen, __ATOMIC_ACQUIRE) !=
		    limen_uev_gen_seen)
		limen_uev_sync();
	limen_ua_mapped(nr, ret);
	limen_rw_mapped(nr, a, ret); /* rewrite_known.c */
	/* -k: the next captures' maps show what it mapped (kstack.c) */
	if (limen_rt.ctl && (limen_rt.ctl->flags & LIMEN_CTL_STACK))
		limen_stack_maps_call(nr, a);
	/* sigwaitinfo took one of limen's fault signals (group_signal.c) */
	if (nr == SYS_rt_sigtimedwait && ret > 0 && ret < 64 &&
	    (LIMEN_FAULT_BITS & LIMEN_SIGBIT(ret)))
		limen_group_owned_taken();
	/* fork and clone cancel the log in the child */
	if (ua.desc && ret != LIMEN_RET_DEFERRED &&
	    !(ret == 0 && (nr == SYS_clone || nr == SYS_clone3 ||
			   nr == SYS_fork || nr == SYS_vfork)))
		limen_ua_exit(&ua, nr, a, ret);
	if (ret == LIMEN_RET_DEFERRED) {
		/* a signal came while we recorded the entry: the call was
		   not made */
		if (sel || hidden)
			limen_record_unmade(nr, a, hidden);
		/* it is made again after the handlers, and logged then */
		limen_ua_unmade(&ua);
		reissue(uc);
		return;
	}
	/* a new child returns 0 here too; strace shows only the parent's */
	if ((sel || hidden) && !fl.done && !(ret == 0 && (nr == SYS_clone ||
		nr == SYS_clone3 || nr == SYS_fork || nr == SYS_vfork))) {
		if (fl.ka)
			limen_end_note(&fl, ret); /* limen_wait_args */
		limen_record_sys(LIMEN_REC_EXIT, nr, a, ret, hidden);
		if (sel && (limen_rt.ctl->flags & LIMEN_CTL_UACCESS))
			limen_ua_record(&ua, nr, a, ret);
	} else if (!fl.done) {
		limen_end_note(&fl, ret);
	}
	g[REG_RAX] = ret;
	/* signals that arrived meanwhile are delivered on the way out
	   (stubs.S, limen_exit_check), where the kernel delivers them */
}

/* The SIGSYS adapter: what needs the signal frame, then the core. */
static void sigsys(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	greg_t *g = uc->uc_mcontext.gregs;

	if (si->si_code != SYS_USER_DISPATCH_CODE) {
		limen_forward_sigsys(sig, si, uc);
		return;
	}
	/* a pad form's call handed back: the site's (rewrite.c) */
	limen_rewrite_handed_back(si, uc);
	/* a trap taken while limen held signals (the gate below, a thread
	   that started with some held) saved them blocked in the mask its
	   rt_sigreturn installs: blocked by limen (signals.c, defer), never
	   by the program, which had them unblocked when they came. Off
	   before the program's mask is read from the frame, or the held
	   signals are delivered on it (deliver_held: a held signal the
	   program's mask blocks waits in the kernel's queue) */
	*(uint64_t *)&uc->uc_sigmask &= ~limen_tls.deferred;
	/* a rewritten site's way back with signals held (rewrite.c):
	   limen's own, never the program's dispatch. First: the gate is
	   taken only with signals held, and its call is made already; it
	   puts the program's registers back (rip after its `syscall`, the
	   result, its stack pointer), and this frame's way out delivers
	   the held signals on them. Reissued instead, they were delivered
	   on the gate's registers, which no unwinder can read (async
	   pthread_cancel, backtrace() in a handler crashed). */
	if (limen_fast_gate(uc))
		return;
	if (limen_tls.deferred) {
		/* signals held while this thread started */
		reissue(uc);
		return;
	}
	/* the program's own dispatch comes first, as in the kernel (its
	   rt_sigreturn too); a rewritten site hands its calls to SUD while
	   that dispatch is on (rewrite.c) */
	if (limen_nsud_dispatch(si, uc))
		return;
	/* int $0x80: a call of the i386 table, its own numbers and
	   registers (compat32.c); never a site to rewrite */
	if (si->si_arch == LIMEN_AUDIT_ARCH_I386) {
		limen_compat_call(uc, (uint64_t)(uintptr_t)si->si_call_addr);
		return;
	}
	/* the kernel takes the call's number from rax's low 32 bits
	   (do_syscall_64: an int), whatever the high ones say: so does
	   every hook, or an execve with a high bit set went past limen's
	   (tests/syscalls/nr_high_bits.t) */
	g[REG_RAX] = (greg_t)(int32_t)g[REG_RAX];
	if (g[REG_RAX] == SYS_rt_sigreturn) {
		/* recorded with the mask it restores, by the hook */
		g[REG_RAX] = limen_hook_sigreturn(uc);
		return;
	}
	/* a site seen here the first time may be rewritten (rewrite.c);
	   not one called while the program denies key 0, for its stub
	   writes the program's stack (pkru.h) */
	if (!limen_tls.pkru_split)
		limen_rewrite_seen(uc, (uint64_t)(uintptr_t)si->si_call_addr);
	limen_dispatch(uc, (uint64_t)(uintptr_t)si->si_call_addr, 0);
}

void limen_sigsys(int sig, siginfo_t *si, void *ucv)
{
	struct limen_pkru pk;

	limen_ac_off(); /* the program's AC is not ours (acflag.h) */
	/* its PKRU is: the kernel reads and writes its memory with it, and
	   pkey_alloc changes it (pkru.h) */
	limen_pkru_enter(&pk, ucv);
	sigsys(sig, si, ucv);
	limen_pkru_leave(&pk, ucv);
	/* a signal for another thread that rode on this trap stays blocked
	   until the frame's rt_sigreturn (group_signal.c) */
	if (limen_tls.rerouted)
		limen_group_ride_done(ucv);
}

int limen_arm(void)
{
	long r = limen_sys5(SYS_prctl, PR_SET_SYSCALL_USER_DISPATCH,
			    PR_SYS_DISPATCH_ON, limen_rt.text_lo,
			    limen_rt.text_hi - limen_rt.text_lo, 0);
	return r < 0 ? (int)r : 0;
}
