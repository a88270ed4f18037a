/* SPDX-License-Identifier: MIT */
/*
 * The program's own Syscall User Dispatch, virtualized (nested SUD). The
 * kernel has one configuration per thread and limen's holds it (every call
 * of the program traps to limen_sigsys), so the program's is kept here, per
 * thread, in the kernel's own form, and applied by limen_sigsys to each call
 * before anything else happens to it, as the kernel applies it at syscall
 * entry (kernel/entry/syscall_user_dispatch.c):
 *
 *  - a call whose address (after its `syscall`) is in the exempt range, or
 *    whose selector byte reads SYSCALL_DISPATCH_FILTER_ALLOW, goes on to be
 *    traced and made as any other;
 *  - with the selector BLOCK (or no selector), the call is not made and the
 *    program gets the SIGSYS the kernel gave limen for it: the kernel's
 *    siginfo (SYS_USER_DISPATCH, si_call_addr, si_syscall, si_arch) and the
 *    kernel's registers (rax rolled back to the call's number), delivered
 *    as force_sig_info delivers: blocked or ignored, it kills;
 *  - another selector value kills with SIGSYS, an unreadable selector with
 *    SIGSEGV (force_exit_sig: no handler runs).
 *
 * The trace shows what strace shows: no line for the call that was not
 * made, the `--- SIGSYS {..., si_code=SYS_USER_DISPATCH, ...} ---` line of
 * its delivery, then the handler's own calls and its rt_sigreturn.
 *
 * The kernel clears a thread's dispatch in every new task (dup_task_struct:
 * fork, vfork, threads) and at execve (begin_new_exec); a failed execve
 * keeps it. limen_nsud_child does the first; the second comes free, since
 * the new image starts a fresh limen.
 */
#include <errno.h>
#include <linux/prctl.h>
#include <sys/syscall.h>

#include "raw.h"
#include "rt.h"

#ifndef PR_SET_SYSCALL_USER_DISPATCH
#define PR_SET_SYSCALL_USER_DISPATCH 59
#endif
#ifndef PR_SYS_DISPATCH_OFF
#define PR_SYS_DISPATCH_OFF 0
#endif
/* Linux 6.17 renamed PR_SYS_DISPATCH_ON and added the inverted mode; older
   uapi headers have neither name */
#define NSUD_EXCLUSIVE_ON 1 /* PR_SYS_DISPATCH_EXCLUSIVE_ON, _ON */
#define NSUD_INCLUSIVE_ON 2 /* PR_SYS_DISPATCH_INCLUSIVE_ON */
#ifndef SYSCALL_DISPATCH_FILTER_ALLOW
#define SYSCALL_DISPATCH_FILTER_ALLOW 0
#define SYSCALL_DISPATCH_FILTER_BLOCK 1
#endif


/* A selector that lets every call through: see limen_nsud_prctl. */
static const char allow_all = SYSCALL_DISPATCH_FILTER_ALLOW;

/*
 * prctl(PR_SET_SYSCALL_USER_DISPATCH, mode, offset, len, selector). The
 * arguments are checked by the kernel itself, so that the program gets the
 * errors of the kernel it runs on (EINVAL for a mode that kernel does not
 * know, INCLUSIVE_ON before 6.17 included; EPERM where a sysctl denies it;
 * EFAULT for a selector outside user space), in the kernel's order:
 *  1. the program's mode, offset and len with a selector of ours that says
 *     ALLOW: nothing is dispatched meanwhile, whatever the range;
 *  2. the program's selector with limen's own range: only access_ok is
 *     checked, and our next call comes from that range;
 *  3. limen's configuration back (limen_arm), whatever happened.
 * Between them only limen's code runs on this thread, and a signal that
 * arrives is held until we are done (signals.c, defer).
 */
long limen_nsud_prctl(const long *a)
{
	unsigned long mode = (unsigned long)a[1];
	uint64_t off = (uint64_t)a[2], len = (uint64_t)a[3];
	uint64_t sel = (uint64_t)a[4];
	struct limen_nsud *n = &limen_tls.nsud;
	long r;

	if (mode == PR_SYS_DISPATCH_OFF) {
		if (off || len || sel)
			return -EINVAL;
		memset(n, 0, sizeof(*n));
		return 0;
	}
	r = limen_sys5(SYS_prctl, PR_SET_SYSCALL_USER_DISPATCH, mode, off, len,
		       &allow_all);
	if (r == 0 && sel)
		r = limen_sys5(SYS_prctl, PR_SET_SYSCALL_USER_DISPATCH,
			       NSUD_EXCLUSIVE_ON, limen_rt.text_lo,
			       limen_rt.text_hi - limen_rt.text_lo, sel);
	limen_arm();
	if (r < 0)
		return r;
	switch (mode) {
	case NSUD_EXCLUSIVE_ON:
		break;
	case NSUD_INCLUSIVE_ON:
		/* the kernel's form: the exempt range is the rest, which
		   the unsigned check below handles by wrapping around */
		off += len;
		len = -len;
		break;
	default:
		/* a mode newer than this code: refuse rather than guess */
		return -EINVAL;
	}
	n->selector = sel;
	n->sel_gen = 0;
	n->offset = off;
	n->len = len;
	n->on = 1;
	return 0;
}

/*
 * The selector byte, read as the kernel's __get_user reads it: 0, or -1
 * if it cannot be. A process_vm_readv costs about a third of a trapped
 * call, so once one has proven the byte readable, plain loads read it
 * until a call may have changed the address space (limen_map_gen, as
 * uaccess.c does for its slot). A selector unmapped by another thread
 * between the check and the load faults in limen's code: the process
 * dies of SIGSEGV, which is what the kernel's read would have done too.
 */
static int read_selector(struct limen_nsud *n, char *state)
{
	uint32_t g = limen_map_gen();

	if (n->sel_gen == g) {
		*state = *(volatile const char *)(uintptr_t)n->selector;
		return 0;
	}
	if (limen_safe_read(state, n->selector, 1) != 1)
		return -1;
	n->sel_gen = g;
	return 0;
}

/*
 * The program's dispatch for the call limen's SIGSYS (si, uc) stopped:
 * 0 to go on with the call, 1 when it is the program's SIGSYS instead (or
 * the end of the program).
 */
int limen_nsud_dispatch(siginfo_t *si, ucontext_t *uc)
{
	struct limen_nsud *n = &limen_tls.nsud;
	uint64_t ip = (uint64_t)(uintptr_t)si->si_call_addr;
	char state;

	if (__builtin_expect(!n->on, 1) || ip - n->offset < n->len)
		return 0;
	if (n->selector) {
		/* read at every call: the program flips it with plain
		   stores, no call in between */
		if (read_selector(n, &state) < 0) {
			limen_force_exit(SIGSEGV);
			return 1;
		}
		if (state == SYSCALL_DISPATCH_FILTER_ALLOW)
			return 0;
		if (state != SYSCALL_DISPATCH_FILTER_BLOCK) {
			limen_force_exit(SIGSYS);
			return 1;
		}
	}
	/* limen's SIGSYS is the one the kernel would have sent the program:
	   same siginfo, and uc is the program's context as the kernel left
	   it (rax = the call's number, syscall_rollback) */
	limen_force_sigsys(si, uc);
	return 1;
}

/* A new task starts without the dispatch of the task that made it. */
void limen_nsud_child(void)
{
	memset(&limen_tls.nsud, 0, sizeof(limen_tls.nsud));
}
