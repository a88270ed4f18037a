/* SPDX-License-Identifier: MIT */
/*
 * Signals, virtualized so that the program sees what it would see without
 * limen while SIGSYS stays ours:
 *  - the program's handlers are installed behind sigwrap, which runs on
 *    limen's signal stack, records the delivery and builds the program's
 *    frame where the kernel would (deliver); the handler returns to its
 *    own restorer, whose rt_sigreturn traps (limen_hook_sigreturn), which
 *    records the rt_sigreturn strace shows and issues it from the exempt
 *    range;
 *  - SIGSYS, SIGSEGV and SIGBUS are never really blocked (owned.c): they
 *    are removed from every mask the program passes (sigprocmask, sa_mask,
 *    sigsuspend, ppoll, pselect6, epoll_pwait) and remembered per thread,
 *    so queries report them back;
 *  - the program's own SIGSYS disposition is kept aside and honoured for
 *    SIGSYS that does not come from Syscall User Dispatch (kill, seccomp).
 */
#include <errno.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "raw.h"
#include "acflag.h"
#include "rt.h"
#include "pkru.h"
#include "runtime/filter.h"
#include "core_signal.h"

#define SIGSYS_BIT (1ull << (SIGSYS - 1))
#define KSA_SIGINFO 4ull
#define KSA_ONSTACK 0x08000000ull
#define KSA_RESTART 0x10000000ull
#define KSA_NODEFER 0x40000000ull
#define KSA_RESETHAND 0x80000000ull
#define KSA_RESTORER 0x04000000ull
/* The flags the kernel keeps (UAPI_SA_FLAGS, since 5.11): it clears the
 * others so that a program can tell what it supports (SA_UNSUPPORTED). */
#define KSA_NOCLDSTOP 1ull
#define KSA_NOCLDWAIT 2ull
#define KSA_EXPOSE_TAGBITS 0x800ull
#define KSA_KNOWN (KSA_NOCLDSTOP | KSA_NOCLDWAIT | KSA_SIGINFO | KSA_ONSTACK | \
		   KSA_RESTART | KSA_NODEFER | KSA_RESETHAND |             \
		   KSA_EXPOSE_TAGBITS | KSA_RESTORER)
#define SYS_SECCOMP 1 /* si_code of a seccomp SECCOMP_RET_TRAP */
#define KSIGRTMIN 32  /* the kernel's first real-time signal, queued */
#define UNBLOCKABLE ((1ull << (SIGKILL - 1)) | (1ull << (SIGSTOP - 1)))
/* a capture that could not be read, its 8 bytes the pointer (capture.c's
   CAP_FAULT, the collector's LIMEN_BLOB_FAULT) */
#define CAP_FAULT_ 4

struct limen_rt limen_rt;

static struct limen_ksa *vsig_get(int sig)
{
	struct limen_vsig *v = &limen_vsig()[sig];

	if (!v->valid) {
		struct limen_ksa k;

		memset(&k, 0, sizeof(k));
		if (sig != SIGSYS)
			limen_sys4(SYS_rt_sigaction, sig, 0, &k, 8);
		v->act = k;
		v->valid = 1;
	}
	return &v->act;
}

static void record_signal(int sig, const siginfo_t *si, const ucontext_t *at)
{
	struct limen_rec_sig *r;
	struct limen_wr w;
	uint64_t tsc;

	/* -e signal= (filter.c) */
	if (limen_filter_on && !limen_filter_signal(sig))
		return;
	if (limen_rec_reserve(&w, sizeof(*r)) < 0)
		return;
	r = (struct limen_rec_sig *)w.p;
	r->sig = (uint32_t)sig;
	r->pad = 0;
	r->tsc = limen_now();
	memcpy(r->siginfo, si, sizeof(r->siginfo));
	/* strace -i: the program's instruction pointer, as ptrace sees it
	   at the signal's delivery */
	r->ip = (uint64_t)at->uc_mcontext.gregs[REG_RIP];
	tsc = r->tsc;
	limen_rec_commit(&w, LIMEN_REC_SIGNAL, 0, sizeof(*r));
	limen_capture_signal_stack(at, tsc);
}

/* Record the rt_sigreturn that strace would show after a handler, with the
 * mask it restores (strace: rt_sigreturn({mask=[]}) = 0), from uc's
 * registers (the call's site, its result in rax); at: where the frame
 * keeps the mask (the record's first argument: -e verbose= shows it);
 * mask 0: the mask there is unreadable, and strace shows its address
 * (rt_sigreturn({mask=0x1128}) = 0). */
static void record_sigreturn_of(const ucontext_t *uc, const void *mask,
				uint64_t at)
{
	long a[6] = { 0 };
	struct limen_rec_sys *r;
	struct limen_cap *c;
	struct limen_wr w;
	uint32_t used = sizeof(*r) + sizeof(*c) + 8;

	if (!limen_selected(SYS_rt_sigreturn))
		return;
	/* -P, -e status=, --filter (filter.c) */
	if (limen_filter_on &&
	    !limen_filter_plain(SYS_rt_sigreturn, a,
				uc->uc_mcontext.gregs[REG_RAX]))
		return;
	if (limen_rec_reserve(&w, used) == 0) {
		r = (struct limen_rec_sys *)w.p;
		memset(r, 0, sizeof(*r));
		r->nr = SYS_rt_sigreturn;
		r->tsc = limen_now();
		r->ncap = 1;
		/* where the frame keeps the mask: what strace shows for it
		   under -e verbose= */
		r->args[0] = at;
		r->ret = limen_call_site(uc);
		c = (struct limen_cap *)(r + 1);
		c->arg = 0;
		c->flags = mask ? 0 : CAP_FAULT_;
		c->pad = 0;
		c->len = 8;
		memcpy(c + 1, mask ? mask : (const void *)&at, 8);
		limen_rec_commit(&w, LIMEN_REC_ENTER, 0, used);
	}
	limen_record_sys(LIMEN_REC_EXIT, SYS_rt_sigreturn, a,
			 uc->uc_mcontext.gregs[REG_RAX], 0);
}

/* uc: a copy of the program's frame, which is at frame */
static void record_sigreturn(const ucontext_t *uc, uint64_t frame)
{
	record_sigreturn_of(uc, &uc->uc_sigmask,
			    frame + offsetof(ucontext_t, uc_sigmask));
}

/* The frame the kernel builds for a handler (arch/x86/kernel/signal_64.c,
 * struct rt_sigframe); deliver places it where the kernel would and writes
 * no byte outside it (the 16 bytes the kernel leaves between the siginfo
 * and the 64-byte aligned FPU state stay as the program had them). */
#define KSIGINFO_SIZE 128
struct kframe {
	uint64_t pretcode;
	uint8_t uc[KUC_SIZE];
	uint8_t info[KSIGINFO_SIZE];
};
#define KFRAME_KERNEL (8 + KUC_SIZE + KSIGINFO_SIZE)
_Static_assert(sizeof(struct kframe) == KFRAME_KERNEL,
	       "struct kframe is the kernel's rt_sigframe, no padding");

#ifndef FP_XSTATE_MAGIC1
#define FP_XSTATE_MAGIC1 0x46505853u
#endif
#define FX_SW_BYTES 464          /* struct _fpx_sw_bytes in the fxsave area */
#define XSAVE_HDR 512            /* xstate_bv */
#define FX_MXCSR 24
#define MXCSR_DEFAULT 0x1f80u
#define EFL_TF 0x100ull
#define EFL_DF 0x400ull
#define EFL_RF 0x10000ull
#define RED_ZONE 128
#define ERESTARTSYS 512
#define SCRATCH_FP 512           /* FPU state in limen_exit_held's scratch */

static int in_limen(uint64_t ip)
{
	/* the user events API (uevent.c) runs as the program's own code:
	   a signal there is the program's to take at once */
	if (ip >= (uintptr_t)__start_limen_api &&
	    ip < (uintptr_t)__stop_limen_api)
		return 0;
	return ip >= limen_rt.text_lo && ip < limen_rt.text_hi;
}

/* Bytes of a signal frame's FPU state: the xsave size the kernel wrote in
 * its software-reserved bytes, or the bare fxsave area. */
static uint32_t fp_size(const uint8_t *fp)
{
	uint32_t magic, ext;

	memcpy(&magic, fp + FX_SW_BYTES, 4);
	memcpy(&ext, fp + FX_SW_BYTES + 4, 4);
	return magic == FP_XSTATE_MAGIC1 && ext >= 512 && ext < (64u << 10) ?
		       ext : 512;
}

/* The kernel starts every handler with the FPU in its initial state, and
 * PKRU in its default (not the register's initial 0, pkru.h). */
static void fp_init(uint8_t *fp)
{
	uint32_t magic, mxcsr = MXCSR_DEFAULT;
	uint64_t bv = 0;

	if (!fp)
		return;
	memcpy(&magic, fp + FX_SW_BYTES, 4);
	if (magic != FP_XSTATE_MAGIC1)
		return;
	memcpy(fp + XSAVE_HDR, &bv, 8);     /* every component: init */
	memcpy(fp + FX_MXCSR, &mxcsr, 4);   /* loaded whatever xstate_bv says */
	limen_pkru_handler_default(fp);
}

/* sig's action SIG_DFL, the kernel's and the program's view of it */
static void set_default(int sig)
{
	struct limen_ksa dfl = { 0, KSA_RESTORER,
				 (uint64_t)(uintptr_t)limen_restorer, 0 };

	limen_vsig()[sig].act.handler = 0;
	limen_sys4(SYS_rt_sigaction, sig, &dfl, 0, 8);
}

static void kill_with(int sig)
{
	uint64_t bit = 1ull << (sig - 1);

	set_default(sig);
	limen_sys4(SYS_rt_sigprocmask, SIG_UNBLOCK, &bit, 0, 8);
	limen_sys2(SYS_tkill, limen_sys0(SYS_gettid), sig);
}

static void requeue(int sig, const void *info)
{
	limen_sys4(SYS_rt_tgsigqueueinfo, limen_sys0(SYS_getpid),
		   limen_sys0(SYS_gettid), sig, info);
}

/*
 * A pinned signal goes back to the queue it came from. One sent to the
 * process (kill: SI_USER) goes to the process's queue, so that the kernel
 * hands it to a thread that does not block it, or a sigwaitinfo of any
 * thread takes it, as without limen (this thread, really blocking it now,
 * is passed over). The kernel lets a thread queue an SI_USER signal only
 * to its own id: from the thread group's leader (the kernel's first choice
 * for a kill) this works; another thread sends a kill() of its own when
 * the process sent the signal itself (the same siginfo), and otherwise
 * keeps it queued to itself (tests/syscalls/groupsig.t).
 */
static void requeue_pinned(int sig, const void *info)
{
	pid_t pid = (pid_t)limen_sys0(SYS_getpid);

	const siginfo_t *si = info;

	if (si->si_code == SI_USER) {
		/* not the leader: sent by the process itself, a kill() of
		   ours is the same signal (the sender's pid and uid); sent
		   by another process: the same siginfo, through a pidfd of
		   this thread (Linux 6.9, group_signal.c) */
		if (limen_sys3(SYS_rt_sigqueueinfo, pid, sig, info) == 0 ||
		    (si->si_pid == pid &&
		     limen_sys2(SYS_kill, pid, sig) == 0) ||
		    limen_group_queue(sig, info) == 0) {
			/* a thread waiting for it to settle looks again */
			limen_group_taken();
			limen_group_settle(sig);
			return;
		}
	}
	requeue(sig, info);
}

/* ---- core-dumping signals: the default action at the program's context
 * (core_signal.c) ---- */

/*
 * die_at in seccomp strict mode, which forbids each of its calls (the
 * kernel would kill with SIGKILL): k returns, sig blocked, to an
 * instruction that faults with sig (arch/x86_64/refault.S), and the kernel
 * forces the fault, which kills as bare: the same status and core, the
 * core's rip that instruction's and its siginfo the fault's, the other
 * registers the program's. 0: sig is no fault's (a SIGUSR1 whose handler
 * was SA_RESETHAND): no call can kill with it here.
 */
extern const char limen_refault_segv[] LIMEN_HIDDEN;
extern const char limen_refault_bus[] LIMEN_HIDDEN;
extern const char limen_refault_ill[] LIMEN_HIDDEN;
extern const char limen_refault_fpe[] LIMEN_HIDDEN;
extern const char limen_refault_trap[] LIMEN_HIDDEN;

static int strict_refault(int sig, ucontext_t *k)
{
	greg_t *g = k->uc_mcontext.gregs;
	const char *at;

	switch (sig) {
	case SIGSEGV:
		at = limen_refault_segv;
		break;
	case SIGBUS:
		at = limen_refault_bus;
		g[REG_EFL] |= 1 << 18; /* AC: alignment check */
		break;
	case SIGILL:
		at = limen_refault_ill;
		break;
	case SIGFPE:
		at = limen_refault_fpe;
		break;
	case SIGTRAP:
		at = limen_refault_trap;
		break;
	default:
		return 0;
	}
	g[REG_RIP] = (greg_t)(uintptr_t)at;
	*(uint64_t *)&k->uc_sigmask |= LIMEN_SIGBIT(sig);
	return 1;
}

/*
 * The default action of sig, taken by the kernel as k's rt_sigreturn goes
 * back to the program's context: the kernel's disposition SIG_DFL, the
 * same siginfo queued again to this thread (rt_tgsigqueueinfo to itself
 * keeps si_code, si_pid, si_addr: the core's siginfo note), blocked until
 * k's mask, which lets it in, is installed. Killed from here instead, the
 * core held limen's registers.
 */
static void die_at(int sig, const void *si, ucontext_t *k)
{
	uint64_t bit = LIMEN_SIGBIT(sig);

	if (limen_tls.strict && strict_refault(sig, k))
		return;
	/* the other threads blocked in limen's calls to their own sites,
	   whose registers the core then holds (core_signal.c) */
	if (LIMEN_CORE_BITS & bit)
		limen_core_gather();
	limen_sys4(SYS_rt_sigprocmask, SIG_BLOCK, &bit, 0, 8);
	set_default(sig);
	*(uint64_t *)&k->uc_sigmask &= ~bit;
	if (limen_sys4(SYS_rt_tgsigqueueinfo, limen_sys0(SYS_getpid),
		       limen_sys0(SYS_gettid), sig, si) < 0)
		limen_sys2(SYS_tkill, limen_sys0(SYS_gettid), sig);
}

/* k, a frame of limen's, returns to the program's context prog: its
 * registers and its FPU state (the kernel gave limen's handler a fresh
 * one) */
static int deliverable_now(const ucontext_t *k);

static void take_context(ucontext_t *k, const ucontext_t *prog)
{
	uint8_t *kfp = (uint8_t *)k->uc_mcontext.fpregs;
	const uint8_t *pfp = (const uint8_t *)prog->uc_mcontext.fpregs;

	memcpy(k->uc_mcontext.gregs, prog->uc_mcontext.gregs,
	       sizeof(greg_t) * NGREG);
	if (kfp && pfp && kfp != pfp && fp_size(kfp) == fp_size(pfp))
		memcpy(kfp, pfp, fp_size(pfp));
}

static int deliver(int sig, const void *si, ucontext_t *k,
		   const struct limen_ksa *act, uint64_t base, uint64_t before);

/*
 * deliver found no room for sig's frame (get_sigframe's sigaltstack
 * overflow, or a stack it cannot write): the kernel's force_sigsegv, at
 * the program's context prog, with nothing written, the mask and the
 * sigaltstack as they were. For SIGSEGV itself, death; for another, a
 * SIGSEGV from the kernel (SI_KERNEL), which the program's handler takes
 * if it has one and does not block it, its frame placed by the same
 * rules (SIGSEGV's own overflow then kills); blocked, ignored or SIG_DFL,
 * force_sig_info_to_task makes it SIG_DFL: death. 0: k kills. before is
 * the mask in force before the failed delivery: the kernel changes the
 * blocked mask only once a frame is written (signal_setup_done), so the
 * SIGSEGV handler's mask holds neither the failed handler's sa_mask nor
 * its signal (tests/syscalls/altstack_overflow.t, segvmask).
 */
static int force_sigsegv(int sig, ucontext_t *k, ucontext_t *prog,
			 uint64_t before)
{
	struct limen_ksa act = *vsig_get(SIGSEGV);
	siginfo_t si;

	memset(&si, 0, sizeof(si));
	si.si_signo = SIGSEGV;
	si.si_code = SI_KERNEL;
	if (prog != k)
		take_context(k, prog);
	if (sig != SIGSEGV && act.handler > 1 &&
	    !limen_owned_blocked(SIGSEGV))
		return deliver(SIGSEGV, &si, k, &act, before, before);
	record_signal(SIGSEGV, &si, k);
	die_at(SIGSEGV, &si, k);
	return 0;
}

/*
 * What a call that a signal ended with -EINTR had left in rax bare, when
 * the signal kills: the kernel turns its restart codes into -EINTR only
 * for a handler (sigwrap here), and kills before it does so for SIG_DFL,
 * so strace shows "pause() = ? ERESTARTNOHAND" and a core holds -514 in
 * rax. The calls that answer so (the kernel's restart rules, checked
 * against strace): a sleep for a while, poll, a futex wait with a
 * timeout, -ERESTART_RESTARTBLOCK; select, ppoll, pause, sigsuspend, an
 * absolute sleep and the System V message calls, -ERESTARTNOHAND. Other
 * calls' -EINTR is theirs (epoll's, a socket's), and -ERESTARTSYS was
 * rewound (the wrapper's SA_RESTART).
 */
#define ERESTARTNOHAND_ 514
#define ERESTART_RESTARTBLOCK_ 516
#define TIMER_ABSTIME_ 1
#define FUTEX_CMD_MASK_ 0x7f /* ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME) */
#define FUTEX_WAIT_ 0
#define FUTEX_WAIT_BITSET_ 9

static long bare_interrupted(long nr, const long *a)
{
	switch (nr) {
	case SYS_pause:
	case SYS_rt_sigsuspend:
	case SYS_select:
	case SYS_pselect6:
	case SYS_ppoll:
	case SYS_msgrcv:
	case SYS_msgsnd:
		return -ERESTARTNOHAND_;
	case SYS_poll: /* sys_poll makes every one a restart block */
	case SYS_nanosleep:
		return -ERESTART_RESTARTBLOCK_;
	case SYS_futex:
		/* a wait with a timeout; without one it was -ERESTARTSYS,
		   rewound (the wrapper's SA_RESTART) */
		switch (a[1] & FUTEX_CMD_MASK_) {
		case FUTEX_WAIT_:
		case FUTEX_WAIT_BITSET_:
			if (a[3])
				return -ERESTART_RESTARTBLOCK_;
		}
		return -EINTR;
	case SYS_clock_nanosleep:
		return (a[1] & TIMER_ABSTIME_) ? -ERESTARTNOHAND_ :
						 -ERESTART_RESTARTBLOCK_;
	}
	return -EINTR;
}

/*
 * The same for a call that a handler without SA_RESTART ended (deliver):
 * the kernel turned -ERESTARTSYS into -EINTR for our wrapper as it does
 * for the program's handler bare, where strace saw -ERESTARTSYS first.
 * Only the calls whose every interruption is -ERESTARTSYS: a wait (wait4,
 * waitid, flock, a futex wait without a timeout), a read or a write on a
 * pipe; elsewhere a read may answer -EINTR (a socket with a timeout, some
 * devices) and keeps the -EINTR it got (README, "Signals"), as does any
 * read once the program may have a seccomp filter of its own. With
 * SA_RESTART the kernel rewound it, and deliver shows that.
 */
static long handler_interrupted(long nr, const long *a, uint64_t flags)
{
	long r = bare_interrupted(nr, a);

	if (r != -EINTR || (flags & KSA_RESTART))
		return r;
	switch (nr) {
	case SYS_wait4:
	case SYS_waitid:
	case SYS_flock:
		return -ERESTARTSYS;
	case SYS_read:
	case SYS_readv:
	case SYS_write:
	case SYS_writev: {
		struct stat st;

		/* a call the program did not make: a filter of its own
		   may kill it for that (the line keeps the -EINTR) */
		if (limen_program_filtered() || limen_tls.strict)
			return r;
		if (limen_sys2(SYS_fstat, a[0], &st) == 0 &&
		    S_ISFIFO(st.st_mode))
			return -ERESTARTSYS;
		return r;
	}
	case SYS_futex:
		switch (a[1] & FUTEX_CMD_MASK_) {
		case FUTEX_WAIT_:
		case FUTEX_WAIT_BITSET_:
			return -ERESTARTSYS; /* no timeout: bare_interrupted */
		}
	}
	return r;
}

/*
 * take's SIG_DFL: k is the program's context, or the signal ended the
 * program's call in flight (deliverable_now), whose frame is the program's
 * context as deliver finds it. Without limen the kernel acts on the call's
 * return: rip after the program's `syscall`, rax its result; for a call
 * the kernel rewound (our wrapper's SA_RESTART, core_signal.c) the bare
 * kernel had left -ERESTARTSYS there and not restarted it; a call not yet
 * made, the program is at its `syscall`. k takes those registers, so its
 * rt_sigreturn lands there and the kernel kills.
 */
static void die_taken(int sig, const siginfo_t *si, ucontext_t *k,
		      int lean_rewound)
{
	greg_t *kg = k->uc_mcontext.gregs, *pg;
	uint64_t ip = (uint64_t)kg[REG_RIP];
	struct limen_inflight *fl = limen_tls.inflight;
	ucontext_t *prog = k;

	if (in_limen(ip)) {
		prog = fl->uc;
		pg = prog->uc_mcontext.gregs;
		if (fl->fast)
			limen_fast_adopt(prog, k);
		if (limen_app_syscall_after(ip) &&
		    kg[REG_RAX] != LIMEN_RET_DEFERRED) {
			if (kg[REG_RAX] == -EINTR)
				kg[REG_RAX] = bare_interrupted(fl->nr, fl->a);
			limen_inflight_exit(k);
			pg[REG_RAX] = kg[REG_RAX];
		} else if (limen_app_syscall_after((uint64_t)kg[REG_RCX])) {
			limen_inflight_abandon(-ERESTARTSYS);
			pg[REG_RAX] = -ERESTARTSYS;
		} else {
			limen_inflight_unmade();
			pg[REG_RIP] -= 2;
		}
		limen_tls.inflight = 0;
		take_context(k, prog);
	} else if (lean_rewound) {
		/* the same for a rewritten site's lean call, which
		   limen_fast_settle put back at the site's `syscall` */
		kg[REG_RIP] += 2;
		kg[REG_RAX] = -ERESTARTSYS;
	}
	record_signal(sig, si, prog);
	die_at(sig, si, k);
}

/*
 * A seccomp filter's trap of a call limen made for a pid namespace's
 * init, whose SIGSYS is at SIG_DFL: the kernel forced it on limen's
 * handler and left the init unkillable, which die_at's SIGSYS queued
 * again does not kill (get_signal drops it, as a sent one): the init went
 * on, and died at its next trapped call, of Syscall User Dispatch's
 * SIGSYS. The program goes back to its own `syscall` with Syscall User
 * Dispatch off for this thread, as limen_core_settle puts it, and the
 * filter traps the call there again at SIG_DFL, which kills as bare (the
 * siginfo and the registers the program's). 1: so; 0: not such a call
 * (a rewritten site's: die_taken).
 */
static int seccomp_again(int sig, const siginfo_t *si, ucontext_t *k)
{
	struct limen_inflight *fl = limen_tls.inflight;
	uint64_t ip = (uint64_t)k->uc_mcontext.gregs[REG_RIP];
	ucontext_t *prog;

	if (sig != SIGSYS || si->si_code != SYS_SECCOMP || !in_limen(ip) ||
	    !fl || !fl->uc || !limen_app_syscall_after(ip) ||
	    !limen_ns_init())
		return 0;
	prog = fl->uc;
	if (fl->fast)
		limen_fast_adopt(prog, k);
	prog->uc_mcontext.gregs[REG_RIP] = (greg_t)limen_rewrite_native(
		(uint64_t)prog->uc_mcontext.gregs[REG_RIP] - 2);
	prog->uc_mcontext.gregs[REG_RAX] = fl->pnr;
	limen_tls.inflight = 0;
	take_context(k, prog);
	record_signal(sig, si, k);
	limen_core_gather();
	set_default(sig);
	limen_sys5(SYS_prctl, 59 /* PR_SET_SYSCALL_USER_DISPATCH */,
		   0 /* PR_SYS_DISPATCH_OFF */, 0, 0, 0);
	return 1;
}

/*
 * core_signal.c's call from a dying thread found this one at k. In a call
 * limen makes for the program (the full way's limen_app_syscall, a
 * rewritten site's lean path) or at a site's `syscall` limen's code put it
 * back to: k becomes the program's context at its own `syscall`, rax the
 * number, and Syscall User Dispatch goes off for this thread, so that the
 * kernel makes the call there, natively, and the thread blocks in it
 * again where the bare program blocks: the core holds the program's
 * registers, whose backtrace gdb reads. The process is dying: the call is
 * not traced again (its record stays open, as a call the process died
 * in). A call that had ended with its result goes on to the program with
 * it, traced. Elsewhere in limen's code (a record being written, a
 * handler of limen's), the thread stays where it is. 1: made again; 2:
 * left in limen's code (it may be on its way into a call); 0: the
 * program's code.
 */
int limen_core_settle(ucontext_t *k)
{
	greg_t *kg = k->uc_mcontext.gregs, *pg;
	struct limen_inflight *fl = limen_tls.inflight;
	int from_limen = in_limen((uint64_t)kg[REG_RIP]);
	uint16_t op = 0;
	long lean_nr;

	if (limen_tls.strict || limen_tls.vfork_child || limen_tls.nsud.on ||
	    limen_tls.aside)
		return 2;
	lean_nr = limen_fast_settle(k);
	if (!deliverable_now(k))
		return 2;
	if (in_limen((uint64_t)kg[REG_RIP])) {
		uint64_t ip = (uint64_t)kg[REG_RIP];
		ucontext_t *prog = fl->uc;

		pg = prog->uc_mcontext.gregs;
		if (fl->fast)
			limen_fast_adopt(prog, k);
		if (limen_app_syscall_after(ip) && kg[REG_RAX] != -EINTR &&
		    kg[REG_RAX] != LIMEN_RET_DEFERRED) {
			limen_inflight_exit(k);
			pg[REG_RAX] = kg[REG_RAX];
			limen_tls.inflight = 0;
			take_context(k, prog);
			return 0;
		}
		/* SUD's trap left rip after the program's `syscall` */
		pg[REG_RIP] = (greg_t)limen_rewrite_native(
			(uint64_t)pg[REG_RIP] - 2);
		pg[REG_RAX] = fl->pnr;
		limen_tls.inflight = 0;
		take_context(k, prog);
	} else if (lean_nr >= 0) {
		/* made, and ended by our SIGSYS (no SA_RESTART: -EINTR) */
		if (kg[REG_RAX] != -EINTR)
			return 0;
		kg[REG_RIP] = (greg_t)limen_rewrite_native(
			(uint64_t)kg[REG_RIP] - 2);
		kg[REG_RAX] = lean_nr;
	} else if (!from_limen ||
		   limen_safe_read(&op, (uint64_t)kg[REG_RIP], 2) != 2 ||
		   op != 0x050f) {
		/* the program's own code, or after its call: left alone */
		return 0;
	}
	limen_sys5(SYS_prctl, 59 /* PR_SET_SYSCALL_USER_DISPATCH */,
		   0 /* PR_SYS_DISPATCH_OFF */, 0, 0, 0);
	return 1;
}

/* ---- end of core-dumping signals ---- */

/*
 * A signal for the program arrived while limen code ran (recording, a hook,
 * limen's own return path): the program cannot take it there, since limen's
 * frames would stay live under its handler. Hold it, in order of arrival,
 * with its number blocked (later ones of the same number wait in the
 * kernel's queue, behind it), until limen hands control back to the
 * program: limen_exit_held then delivers it as the kernel would have.
 * limen_app_syscall does not start the program's call meanwhile. Past
 * LIMEN_HELD at once (nested arrivals of as many different signals), the
 * kernel's queue keeps the rest.
 */
static void defer(int sig, const siginfo_t *si, ucontext_t *k)
{
	uint64_t bit = 1ull << (sig - 1), ip;
	uint32_t n = limen_tls.nheld;

	/* between the last check for held signals and rt_sigreturn: check
	   again (stubs.S, limen_exit_check) */
	ip = (uint64_t)k->uc_mcontext.gregs[REG_RIP];
	if (ip >= (uintptr_t)limen_exit_check &&
	    ip <= (uintptr_t)limen_exit_syscall)
		k->uc_mcontext.gregs[REG_RIP] =
			(greg_t)(uintptr_t)limen_exit_check;
	/* the same before an execve (exec_stub.S) */
	if (ip >= (uintptr_t)limen_exec_check &&
	    ip <= (uintptr_t)limen_exec_syscall)
		k->uc_mcontext.gregs[REG_RIP] =
			(greg_t)(uintptr_t)limen_exec_check;

	*(uint64_t *)&k->uc_sigmask |= bit;
	/* a standard signal held already comes again when the frame that
	   blocked it was a nested one, gone since: in seccomp strict mode
	   the kernel's queue is out of reach (deliver_held's requeue is a
	   call the mode forbids), and the second is merged with the first,
	   as the kernel merges one that is pending already */
	if (limen_tls.strict && sig < KSIGRTMIN && (limen_tls.deferred & bit))
		return;
	limen_tls.deferred |= bit;
	if (n >= LIMEN_HELD) {
		requeue(sig, si);
		return;
	}
	/* reserve, then fill: a signal nested in here takes the next one */
	limen_tls.nheld = n + 1;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	limen_tls.held[n].sig = sig;
	memcpy(limen_tls.held[n].info, si, sizeof(limen_tls.held[n].info));
}

/* The frame and its FPU state on the program's stack; 0 if they cannot
 * be written there. */
static int write_frame(uint64_t fpdst, const uint8_t *fp, uint64_t fpsz,
		       uint64_t sp, const struct kframe *f)
{
	/* a ring of limen's mapped right below the program's stack (a
	   thread's guard page) is not there without limen: the kernel's
	   write would have faulted */
	if (limen_session_overlaps(sp, sizeof(*f)) ||
	    (fp && limen_session_overlaps(fpdst, fpsz)))
		return 0;
	return (!fp || limen_safe_write(fpdst, fp, fpsz) == (long)fpsz) &&
	       limen_safe_write(sp, f, sizeof(*f)) == sizeof(*f);
}

/* on_sig_stack(): sp on the program's alternate stack, which never holds
 * for one armed with SS_AUTODISARM (stack.c has the same rule) */
static int vstack_on(const struct limen_vstack *vs, uint64_t sp)
{
	return !(vs->flags & LIMEN_SS_AUTODISARM) && vs->size &&
	       sp > vs->sp && sp - vs->sp <= vs->size;
}

/* Where get_sigframe puts a frame below top: the FPU state of fpsz bytes
 * 64-byte aligned (at *fpdst, if there is one), the frame below it 16-byte
 * aligned minus 8. */
static uint64_t frame_below(uint64_t top, uint64_t fpsz, uint64_t *fpdst)
{
	uint64_t sp = (top - fpsz) & ~63ull;

	if (fpdst)
		*fpdst = sp;
	return ((sp - KFRAME_KERNEL) & ~15ull) - 8;
}

/* room below deliver's stack pointer for the calls it still makes
   (write_frame, limen_grow_stack) */
#define LIVE_BELOW 2048

static uint64_t here_sp(void)
{
	uint64_t sp;

	__asm__ volatile("mov %%rsp, %0" : "=r"(sp));
	return sp;
}

/* Would a frame written at [sp, top) land on limen's live frames: k's own
 * (from its return address up to the end of its FPU state) or those of the
 * calls from k down to here? */
static int on_live_frames(const ucontext_t *k, uint64_t sp, uint64_t top)
{
	const uint8_t *kfp = (const uint8_t *)k->uc_mcontext.fpregs;
	uint64_t hi = (uint64_t)(uintptr_t)k + KUC_SIZE + KSIGINFO_SIZE;

	if (kfp && (uint64_t)(uintptr_t)kfp + fp_size(kfp) > hi)
		hi = (uint64_t)(uintptr_t)kfp + fp_size(kfp);
	return sp < hi && top > here_sp() - LIVE_BELOW;
}

/*
 * Deliver a signal to the program's handler as the kernel would have: a
 * frame (siginfo, ucontext, FPU state, return address) on the stack the
 * kernel would choose, and our own kernel frame k rewritten so that its
 * rt_sigreturn enters the handler with the handler's mask. Nothing of limen
 * stays live on limen's stack while the handler runs (it may longjmp away,
 * switch contexts, or block in calls of its own).
 *
 * The handler returns to the program's own restorer (sa_restorer), as the
 * kernel makes it, whose rt_sigreturn traps and goes through limen_sigsys
 * (the program's own dispatch first, then limen_hook_sigreturn). What the
 * handler finds there is then what it finds bare: an unwinder (-k's,
 * libgcc's for a C++ exception thrown out of a handler, backtrace(), a
 * debugger) goes handler -> the program's restorer (glibc's __restore_rt,
 * named as strace names it) -> the interrupted function; and with the
 * program's dispatch on, the restorer's rt_sigreturn is a call like any
 * other that the program may have dispatched (a handler that leaves the
 * selector at BLOCK gets it dispatched, or is killed, SIGSYS being blocked
 * in a SIGSYS handler). Without SA_RESTORER the kernel sets up no frame
 * and forces SIGSEGV, and so does deliver; a NULL restorer is returned
 * to, as bare.
 *
 * If the signal interrupted the program's call in flight in our SIGSYS
 * handler, the call is finished first, as the kernel finishes it before a
 * handler runs: with its result at limen_app_syscall_ret (the exit is
 * recorded before the signal), or, before the call or when the kernel
 * rewound it for a restart, by pointing the program back at its own
 * `syscall` so that it makes the call again after the handler (recorded as
 * strace shows it, "= ? ERESTARTSYS"). The program's context is then that
 * of the SIGSYS frame, and the handler sees and may change it.
 */
static int deliver(int sig, const void *si, ucontext_t *k,
		   const struct limen_ksa *act, uint64_t base, uint64_t before)
{
	greg_t *kg = k->uc_mcontext.gregs;
	uint64_t ip = (uint64_t)kg[REG_RIP], bit = 1ull << (sig - 1);
	uint64_t hmask, pmask, sp, rsp, top, fpdst = 0, fpsz = 0, view;
	struct limen_inflight *fl = limen_tls.inflight;
	int nested, entering = 0;
	struct limen_vstack *vs = &limen_tls.vstack;
	ucontext_t *prog = k, fu;
	const uint8_t *fp;
	struct kframe f;

	/* limen's frames end here, its SIGSYS handler's limen_pkru_leave
	   with them: the handler runs, and the program resumes, with the
	   PKRU of their frames */
	limen_tls.pkru_split = 0;
	if (in_limen(ip)) {
		prog = fl->uc;
		if (fl->fast)
			limen_fast_adopt(prog, k);
		if (limen_app_syscall_after(ip) &&
		    kg[REG_RAX] != LIMEN_RET_DEFERRED) {
			/* a call this handler ended: the kernel returned its
			   restart code, which strace shows ("pause() = ?
			   ERESTARTNOHAND"), and gave the program -EINTR, as our
			   wrapper's delivery gives it (tests/syscalls/
			   interrupted_as_strace.t) */
			long got = kg[REG_RAX], shown = got;

			if (got == -EINTR)
				shown = handler_interrupted(fl->nr, fl->a,
							    act->flags);
			kg[REG_RAX] = shown;
			limen_inflight_exit(k);
			/* the program gets -EINTR, unless the call's own
			   ending changed the result: a wait whose copy to
			   the program faulted ends in EFAULT (limen_wait_out) */
			if (kg[REG_RAX] == shown)
				kg[REG_RAX] = got;
			prog->uc_mcontext.gregs[REG_RAX] = kg[REG_RAX];
		} else if (limen_app_syscall_after((uint64_t)kg[REG_RCX]) &&
			   limen_wait_restart_faults(k)) {
			/* waitid's infop faulted: the call ends, EFAULT */
			prog->uc_mcontext.gregs[REG_RAX] = kg[REG_RAX];
		} else {
			/* the kernel rewound the call for a restart (it ran:
			   rcx holds its return address), or it was never
			   made (stubs.S clears rcx before the `syscall`) */
			if (limen_app_syscall_after(
				    (uint64_t)kg[REG_RCX]))
				limen_inflight_abandon(-ERESTARTSYS);
			else
				limen_inflight_unmade();
			prog->uc_mcontext.gregs[REG_RIP] -= 2;
		}
		limen_tls.inflight = 0;
	}
	record_signal(sig, (const siginfo_t *)si, prog);
	/* get_signal, before the frame is built: SA_RESETHAND puts back
	   SIG_DFL and leaves the flags (sigaction reads SA_SIGINFO back) */
	if (act->flags & KSA_RESETHAND)
		limen_vsig()[sig].act.handler = 0;

	/* the handler's mask: base (what the kernel set for our wrapper:
	   the interrupted mask, or sigsuspend's) | sa_mask | sig */
	hmask = base | act->mask | ((act->flags & KSA_NODEFER) ? 0 : bit);
	hmask &= ~UNBLOCKABLE;
	/* the owned signals' part of base is the view in force (owned.c);
	   an unarmed thread's is base's own: its rt_sigprocmask never
	   reaches limen, and owned.c gives it the real mask */
	if (limen_tls.unarmed)
		view = base;
	else
		view = (limen_tls.vcall & LIMEN_VCALL_ON) ? limen_tls.vcall :
							    limen_tls.vblock;
	hmask = (hmask & ~LIMEN_OWNED) | ((view | (hmask & ~base)) & LIMEN_OWNED);
	pmask = limen_owned_view(*(uint64_t *)&prog->uc_sigmask &
				 ~limen_tls.deferred);

	/* where the kernel puts the frame (get_sigframe): below the red
	   zone, or at the alternate stack's top; the FPU state (the size
	   the kernel gives this thread's, from our own frame's) 64-byte
	   aligned, the frame below it 16-byte aligned minus 8 */
	rsp = (uint64_t)prog->uc_mcontext.gregs[REG_RSP];
	nested = vstack_on(vs, rsp);
	sp = rsp - RED_ZONE;
	if ((act->flags & KSA_ONSTACK) && vs->size && !vstack_on(vs, sp)) {
		sp = vs->sp + vs->size;
		entering = 1;
	}
	fp = (const uint8_t *)prog->uc_mcontext.fpregs;
	fpsz = fp ? fp_size(fp) : 0;
	top = sp;
	sp = frame_below(top, fpsz, fp ? &fpdst : 0);
	/* limen's wrapper ran on the program's stack, not on a signal
	   stack of limen's: a thread that has none (one a seccomp filter
	   of the program's left unarmed, or that found the pool of rings
	   empty: clone.c), or on the program's own alternate stack (set by
	   an unarmed thread's own call). The kernel put k, whose rt_sigreturn
	   enters the handler, right where the program's frame goes, and the
	   wrapper's frames below it: the program's frame written there became k,
	   rewritten below, and the handler returned into itself for ever.
	   It goes below every live frame of limen's instead, as if the
	   program had been interrupted there (its frame lower than bare by
	   the wrapper's: tests/syscalls/unarmed_thread_signals.t) */
	if (on_live_frames(k, sp, top)) {
		top = here_sp() - LIVE_BELOW;
		sp = frame_below(top, fpsz, fp ? &fpdst : 0);
	}
	/* on the alternate stack, or entering it, and the kernel's frame
	   would run off its bottom: the kernel writes nothing and forces
	   SIGSEGV */
	if ((nested || entering) &&
	    !(sp > vs->sp && sp - vs->sp <= vs->size))
		return force_sigsegv(sig, k, prog, before);
	/* x86-64's frame needs the program's restorer (x64_setup_rt_frame:
	   no SA_RESTORER, -EFAULT): the kernel writes nothing and forces
	   SIGSEGV (tests/syscalls/altstack_overflow.t, norestorer) */
	if (!(act->flags & KSA_RESTORER))
		return force_sigsegv(sig, k, prog, before);

	memset(&fu, 0, KUC_SIZE);
	fu.uc_flags = prog->uc_flags;
	fu.uc_stack.ss_sp = (void *)(uintptr_t)vs->sp;
	fu.uc_stack.ss_size = vs->size;
	/* __save_altstack: the flags as the thread last set them, not
	   sigaltstack()'s answer (a thread's start, a disabled stack: 2;
	   the process's first thread: what its parent had) */
	fu.uc_stack.ss_flags = vs->flags;
	memcpy(fu.uc_mcontext.gregs, prog->uc_mcontext.gregs,
	       sizeof(fu.uc_mcontext.gregs));
	fu.uc_mcontext.fpregs = (void *)(uintptr_t)fpdst;
	memcpy(&fu.uc_sigmask, &pmask, 8);
	f.pretcode = act->restorer; /* SA_RESTORER is set (above) */
	memcpy(f.uc, &fu, KUC_SIZE); /* the kernel's part of a ucontext_t */
	memcpy(f.info, si, sizeof(f.info));

	/* below the main stack's mapping (handlers nested deep): grow it
	   and try again, as the kernel's own write of the frame would */
	if (!write_frame(fpdst, fp, fpsz, sp, &f) &&
	    (!limen_grow_stack(sp) || !write_frame(fpdst, fp, fpsz, sp, &f)))
		return force_sigsegv(sig, k, prog, before);
	/* signal_delivered: the frame is written */
	if (vs->flags & LIMEN_SS_AUTODISARM) {
		vs->sp = 0;
		vs->size = 0;
		vs->flags = SS_DISABLE;
	}
	/* the call that swapped the mask is over; a pending one of ours
	   is delivered now */
	limen_tls.vcall = 0;
	limen_tls.pinned &= ~bit;
	hmask = limen_owned_set(hmask);

	if (prog != k)
		memcpy(kg, prog->uc_mcontext.gregs, sizeof(greg_t) * NGREG);
	kg[REG_RIP] = (greg_t)act->handler;
	kg[REG_RSP] = (greg_t)sp;
	kg[REG_RDI] = sig;
	kg[REG_RSI] = (greg_t)(sp + offsetof(struct kframe, info));
	kg[REG_RDX] = (greg_t)(sp + offsetof(struct kframe, uc));
	kg[REG_RAX] = 0;
	kg[REG_EFL] &= ~(greg_t)(EFL_TF | EFL_DF | EFL_RF);
	memcpy(&k->uc_sigmask, &hmask, 8);
	fp_init((uint8_t *)k->uc_mcontext.fpregs);
	/* the handler's calls never consume the uaccess descriptor of the
	   code it interrupted */
	if (limen_tls.ua_slot)
		limen_ua_frame(sp + offsetof(struct kframe, uc));
	return 1;
}

/* Where the signal found this thread decides whether the program can take
 * it now (see deliver and defer). */
static int deliverable_now(const ucontext_t *k)
{
	uint64_t ip = (uint64_t)k->uc_mcontext.gregs[REG_RIP];
	const struct limen_inflight *fl = limen_tls.inflight;

	uint64_t lo = (uint64_t)(uintptr_t)k->uc_stack.ss_sp;

	if (!in_limen(ip))
		return 1;
	/* the call in flight must be this thread's: a raw thread created
	   without CLONE_SETTLS shares our TLS, not our signal stack */
	return fl && fl->uc && ip >= (uintptr_t)limen_app_syscall &&
	       ip < (uintptr_t)limen_app_syscall_end &&
	       (uint64_t)(uintptr_t)fl->uc - lo < k->uc_stack.ss_size;
}

/*
 * Nothing came for the program, whose call in flight the signal found at
 * k: a call it ended (-EINTR: our handlers without SA_RESTART, or a call
 * the kernel does not restart for a handler, as a sleep) is made again
 * from its `syscall`, as if nothing had interrupted it, but that a
 * relative timeout counts from there again (the kernel's restart block
 * ends with our handler's rt_sigreturn); one the kernel rewound for a
 * restart is made again as k returns. lean_nr: a rewritten site's lean
 * call (lean.c), k the program after it.
 */
static void call_goes_on(ucontext_t *k, long lean_nr)
{
	struct limen_inflight *fl = limen_tls.inflight;
	greg_t *kg = k->uc_mcontext.gregs;

	if (in_limen((uint64_t)kg[REG_RIP]) && fl && fl->uc &&
	    limen_app_syscall_after((uint64_t)kg[REG_RIP]) &&
	    kg[REG_RAX] == -EINTR) {
		kg[REG_RIP] -= 2;
		kg[REG_RAX] = fl->knr;
	}
	if (lean_nr >= 0 && kg[REG_RAX] == -EINTR) {
		kg[REG_RIP] -= 2;
		kg[REG_RAX] = lean_nr;
	}
}

/*
 * The init of a pid namespace (its pid 1: SIGNAL_UNKILLABLE) gets none of
 * the signals whose action is SIG_DFL, but SIGKILL and SIGSTOP from an
 * ancestor namespace and the faults the kernel forces on it: the kernel
 * drops the others as they are sent (sig_task_ignored: from inside the
 * namespace, from an ancestor, its own SIGPIPE or SIGXCPU alike), or as
 * get_signal takes them when they were queued blocked. limen's handlers
 * stand in for SIG_DFL (core_signal.c's wrapper, safe.c's for SIGSEGV and
 * SIGBUS, SIGSYS's), so the kernel hands those to us: they kill the init,
 * or die_at's requeue is dropped and the call they ended gets the restart
 * code (-ERESTARTSYS, errno 512). A forced fault (force_sig_fault for an
 * instruction of the program's, a seccomp trap, the program's own Syscall
 * User Dispatch: si_code > 0 and a fault's number) goes on to its
 * default action: the kernel drops SIGNAL_UNKILLABLE for it only at
 * SIG_DFL, which it finds when the instruction faults again (a bad
 * access, an invalid instruction), or traps again where limen puts the
 * init back (an int3: safe.c, trap_again; a seccomp trap: seccomp_again),
 * and kills as bare.
 */
#define FORCED_BITS (LIMEN_SIGBIT(SIGSEGV) | LIMEN_SIGBIT(SIGBUS) |        \
		     LIMEN_SIGBIT(SIGILL) | LIMEN_SIGBIT(SIGFPE) |         \
		     LIMEN_SIGBIT(SIGTRAP) | LIMEN_SIGBIT(SIGSYS))

static int init_drops(int sig, const siginfo_t *si)
{
	if (si->si_code > 0 && (FORCED_BITS & LIMEN_SIGBIT(sig)))
		return 0;
	return limen_ns_init();
}

/* This process is the init of its pid namespace: its pid is 1. */
int limen_ns_init(void)
{
	int32_t pid = limen_tls.pid;

	/* the pid the thread's ring start asked (a process's never
	   changes), unless this TLS may be another process's */
	if (!pid || limen_rt.shared_tls)
		pid = (int32_t)limen_sys0(SYS_getpid);
	return pid == 1;
}

/* This thread blocks sig for good while its program's view does (the
 * program's unblock lets it go, limen_hook_sigprocmask). */
static void pin_here(int sig)
{
	uint64_t bit = LIMEN_SIGBIT(sig);

	if (sig == SIGTRAP)
		limen_rewrite_trap_pinned(); /* before it is really blocked */
	limen_tls.pinned |= bit;
	limen_sys4(SYS_rt_sigprocmask, SIG_BLOCK, &bit, 0, 8);
}

/*
 * A SIGSEGV or SIGBUS sent (kill, tgkill, sigqueue) while the program has
 * it blocked, found at k where the program can take signals: it waits in
 * the kernel's queue, really blocked meanwhile, as without limen (owned.c:
 * "pinned"); the program unblocking it delivers it. A call in flight that
 * the signal interrupted is made again: without limen, nothing would have
 * interrupted it.
 */
static void pin(int sig, const void *si, ucontext_t *k, long lean_nr)
{
	uint64_t bit = 1ull << (sig - 1);
	struct limen_inflight *fl = limen_tls.inflight;

	pin_here(sig);
	*(uint64_t *)&k->uc_sigmask |= bit;
	/* the SIGSYS frame's rt_sigreturn installs its mask (a rewritten
	   site's way out keeps the one in force) */
	if (in_limen((uint64_t)k->uc_mcontext.gregs[REG_RIP]) && fl &&
	    fl->uc && !fl->fast)
		*(uint64_t *)&fl->uc->uc_sigmask |= bit;
	call_goes_on(k, lean_nr);
	requeue_pinned(sig, si);
}

/*
 * The program sends one of limen's fault signals to its own process
 * (kill, rt_sigqueueinfo) while this thread's view blocks it: this thread
 * blocks it really first, as the kernel would find it blocked here. Else
 * the kernel could give it to this thread, or to another that is in
 * limen's code and holds it for a moment, and the program's sigpending
 * right after its kill found nothing (groupsig.t, late). The frame of
 * the call keeps it blocked on the way out, as pin's does.
 */
void limen_pin_sent(int sig)
{
	struct limen_inflight *fl = limen_tls.inflight;
	uint64_t bit = LIMEN_SIGBIT(sig);

	if (!(LIMEN_FAULT_BITS & bit) || (limen_tls.pinned & bit) ||
	    !limen_owned_blocked(sig))
		return;
	pin_here(sig);
	if (fl && fl->uc && !fl->fast)
		*(uint64_t *)&fl->uc->uc_sigmask |= bit;
}

/* pin, if sig is a fault signal sent while the program blocks it */
static int owned_held(int sig, const siginfo_t *si, ucontext_t *k,
		      long lean_nr)
{
	if (!(LIMEN_FAULT_BITS & (1ull << (sig - 1))) || si->si_code > 0 ||
	    !limen_owned_blocked(sig))
		return 0;
	pin(sig, si, k, lean_nr);
	return 1;
}

static void sigwrap(int sig, siginfo_t *si, void *ucv);

/* What really goes in for the program's action act of sig (not SIGSYS,
 * whose handler is always limen's). */
static void real_action(int sig, const struct limen_ksa *act,
			struct limen_ksa *real)
{
	*real = *act;
	real->mask &= ~LIMEN_OWNED;
	/* the wrapper runs with its signal blocked, whatever the program's
	   SA_NODEFER says (deliver gives the program's handler that view):
	   a storm of the signal nested wrappers on limen's signal stack
	   until it overflowed (tests/syscalls/nodefer_storm.t) */
	real->flags &= ~KSA_NODEFER;
	/* the wrapper of a fault signal must not block it: limen's reads
	   there may fault (deliver keeps the program's view of SA_NODEFER) */
	if ((LIMEN_OWNED & (1ull << (sig - 1))) && act->handler > 1)
		real->flags |= KSA_NODEFER;
	real->flags |= KSA_RESTORER;
	real->restorer = (uint64_t)(uintptr_t)limen_restorer;
	if (act->handler > 1) {
		/* the wrapper runs on limen's stack and puts the program's
		   frame where the kernel would */
		real->handler = (uint64_t)(uintptr_t)sigwrap;
		real->flags |= KSA_SIGINFO | KSA_ONSTACK;
	}
	limen_fault_real(sig, real); /* SIGSEGV, SIGBUS */
	limen_core_real(sig, real); /* SIG_DFL of SIGABRT... */
}

/*
 * The mask the kernel set as it entered limen's handler of sig at k, for a
 * thread in seccomp strict mode, which may not ask (rt_sigprocmask would
 * kill it): k's saved mask, the real action's sa_mask and, without
 * SA_NODEFER, the signal. limen knows the real actions: SIGSYS's
 * (limen_install_sigsys: no mask, SA_NODEFER), the others' from the
 * program's (real_action).
 */
static uint64_t strict_entry_mask(int sig, const ucontext_t *k)
{
	uint64_t m = *(const uint64_t *)&k->uc_sigmask;
	struct limen_ksa real;

	if (sig == SIGSYS)
		return m;
	real_action(sig, vsig_get(sig), &real);
	m |= real.mask;
	if (!(real.flags & KSA_NODEFER))
		m |= LIMEN_SIGBIT(sig);
	return m & ~UNBLOCKABLE;
}

/* A signal for the program, arrived at k: held if limen's code runs,
 * else taken as the program's disposition says now. */
static void take(int sig, siginfo_t *si, ucontext_t *k)
{
	struct limen_ksa act;
	uint64_t base = 0, before, added;
	long lean_nr;
	/* a lean call the kernel rewound (die_taken) */
	int lean_rewound =
		k->uc_mcontext.gregs[REG_RIP] ==
			(greg_t)(uintptr_t)limen_lean_syscall &&
		k->uc_mcontext.gregs[REG_RCX] ==
			(greg_t)(uintptr_t)limen_lean_ret;

	/* one for another thread, taken at our trap (group_signal.c) */
	if (limen_group_ride(sig, si, k))
		return;
	limen_group_taken();
	/* on a rewritten site's way out or lean path (rewrite.c) */
	lean_nr = limen_fast_settle(k);
	if (!deliverable_now(k)) {
		defer(sig, si, k);
		return;
	}
	if (owned_held(sig, si, k, lean_nr))
		return;
	if (LIMEN_FAULT_BITS & LIMEN_SIGBIT(sig))
		limen_group_owned_taken();
	act = *vsig_get(sig);
	if (si->si_code > 0 && (LIMEN_FAULT_BITS & (1ull << (sig - 1))) &&
	    limen_owned_blocked(sig)) {
		/* a fault while the program blocks its signal: the kernel
		   forces it (force_sig_info: SIG_DFL, unblocked), it kills */
		act.handler = 0;
		limen_tls.vblock &= ~(1ull << (sig - 1));
	}
	if (act.handler == 1) /* SIG_IGN installed meanwhile */
		return;
	if (act.handler == 0) {
		/* SIG_DFL: dropped for a namespace's init, as the kernel
		   drops it, else the default action, at the program's
		   context */
		if (init_drops(sig, si))
			call_goes_on(k, lean_nr);
		else if (!seccomp_again(sig, si, k))
			die_taken(sig, si, k, lean_rewound);
		return;
	}
	if (limen_tls.unarmed)
		limen_vstack_unarmed(&k->uc_stack);
	/* the mask the kernel set for us, without the signals we hold */
	if (limen_tls.strict)
		base = strict_entry_mask(sig, k);
	else
		limen_sys4(SYS_rt_sigprocmask, SIG_BLOCK, 0, &base, 8);
	/* and the one in force before, which a forced SIGSEGV keeps: base
	   without what our wrapper's delivery added (its sa_mask, the
	   program's less the owned ones, and its signal), those bits as
	   they were: k's saved mask, or the mask of a call that swapped it
	   (sigsuspend...) if the signal ended it, k's being the one the
	   call restores */
	added = (act.mask & ~(LIMEN_OWNED | UNBLOCKABLE)) | LIMEN_SIGBIT(sig);
	before = *(uint64_t *)&k->uc_sigmask;
	if ((limen_tls.vcall & LIMEN_VCALL_ON) &&
	    limen_app_syscall_after((uint64_t)k->uc_mcontext.gregs[REG_RIP]) &&
	    k->uc_mcontext.gregs[REG_RAX] == -EINTR)
		before = limen_tls.vcall_real;
	before = (base & ~added) | (before & added);
	/* our wrapper runs with its signal blocked, SA_NODEFER or not
	   (limen_hook_sigaction): the program's SA_NODEFER handler runs
	   without it, as the mask it was delivered under did not block it
	   (k's uc_sigmask is the one to restore: a sigsuspend's saved
	   mask may block it); sa_mask adds it back if it names it */
	if (act.flags & KSA_NODEFER)
		base &= ~LIMEN_SIGBIT(sig);
	deliver(sig, si, k, &act,
		base & ~(limen_tls.deferred | limen_tls.rerouted),
		before & ~(limen_tls.deferred | limen_tls.rerouted));
}

/* safe.c's fault_handler: a fault signal sent while the program blocks
 * it waits (pin); while limen's code runs, it is held first (defer). */
int limen_owned_sent(int sig, siginfo_t *si, ucontext_t *k)
{
	long lean_nr;

	if (!(LIMEN_FAULT_BITS & (1ull << (sig - 1))) || si->si_code > 0 ||
	    !limen_owned_blocked(sig))
		return 0;
	lean_nr = limen_fast_settle(k);
	if (!deliverable_now(k))
		defer(sig, si, k);
	else
		pin(sig, si, k, lean_nr);
	return 1;
}

/* The real handler of every signal the program handles. */
static void sigwrap(int sig, siginfo_t *si, void *ucv)
{
	/* first: held in limen's hands from here (owned_transit.c) */
	int transit = limen_transit_enter(sig, si);

	limen_ac_off(); /* the program's AC is not ours (acflag.h) */
	if (!limen_copy_fixup(sig, si, ucv) && /* limen's own read (safe.c) */
	    !limen_rewrite_trap(sig, si, ucv) && /* a site being patched */
	    !limen_rewrite_stub_fault(sig, si, ucv)) /* a stub's push */
		take(sig, si, ucv);
	limen_transit_leave(transit, sig);
}

/* safe.c's fault_handler: a fault of the program's whose action is
   SIG_DFL kills it (the instruction faults again); the trace shows the
   signal first, as strace does ("--- SIGSEGV {si_signo=SIGSEGV,
   si_code=SEGV_MAPERR, si_addr=0x8} ---"), at the faulting instruction */
void limen_record_fatal(int sig, const siginfo_t *si, const ucontext_t *k)
{
	/* the fault signal is blocked in its handler: -k's copy of the
	   stack reads past its end the slow way (safe.c), or the kernel
	   kills at that fault before the signal's stack is recorded */
	limen_tls.fault_block++;
	record_signal(sig, si, k);
	limen_tls.fault_block--;
}

/* core_signal.c: the wrapper stands in for SIG_DFL too */
uint64_t limen_sigwrap_addr(void)
{
	return (uint64_t)(uintptr_t)sigwrap;
}

/* safe.c's fault_handler: a signal sent while the program's action is
 * SIG_DFL, taken where the program's context is known (die_taken), or
 * held until it is */
void limen_take_default(int sig, siginfo_t *si, ucontext_t *k)
{
	take(sig, si, k);
}

/*
 * The held signals, out of limen_tls into h, and their bits: with every
 * signal blocked, as they are; in seccomp strict mode, where the thread may
 * not block them, a new one may come meanwhile, whose wrapper appends it
 * (defer) and runs to its end before this goes on: the copy is made again
 * until none came during it. One that comes after is held anew, and the
 * way out delivers it next (stubs.S).
 */
static uint32_t take_held(struct limen_held *h, uint64_t *bits)
{
	uint32_t n;

	do {
		n = __atomic_load_n(&limen_tls.nheld, __ATOMIC_RELAXED);
		*bits = __atomic_load_n(&limen_tls.deferred, __ATOMIC_RELAXED);
		memcpy(h, limen_tls.held,
		       (n < LIMEN_HELD ? n : LIMEN_HELD) * sizeof(*h));
		__atomic_signal_fence(__ATOMIC_SEQ_CST);
	} while (!__atomic_compare_exchange_n(&limen_tls.nheld, &n, 0, 0,
					      __ATOMIC_RELAXED,
					      __ATOMIC_RELAXED));
	__atomic_fetch_and(&limen_tls.deferred, ~*bits, __ATOMIC_RELAXED);
	return n < LIMEN_HELD ? n : LIMEN_HELD;
}

/*
 * Hand the held signals to the program: k is the frame whose rt_sigreturn
 * goes back to program code (the SIGSYS frame, a handler's frame, or our
 * wrapper's, rewritten to enter a handler). Each is delivered on top of the
 * previous one, as the kernel delivers the next pending signal on top of
 * the frame it just built, unless the mask then in force blocks it: then it
 * goes back to the kernel's queue (where sigpending sees it). Every signal
 * stays blocked meanwhile: k's rt_sigreturn installs the mask. Not in
 * seccomp strict mode, which forbids rt_sigprocmask: there a signal that
 * comes meanwhile is held, and delivered next (take_held).
 */
static void deliver_held(ucontext_t *k)
{
	uint64_t all = ~0ull, *m = (uint64_t *)&k->uc_sigmask, bits;
	struct limen_held held[LIMEN_HELD];
	int strict = limen_tls.strict;
	uint32_t n;
	int dying = 0;

	if (!strict) {
		limen_sys4(SYS_rt_sigprocmask, SIG_SETMASK, &all, 0, 8);
		/* until k's rt_sigreturn: reads the slow way */
		limen_tls.fault_block++;
	}
	/* k's mask is the program's: what the held signals' defer added
	   to the real one never reaches a frame that goes back to the
	   program (dispatch.c, sigsys; deliver's masks), so one the
	   program blocks there (blocked by the very call that was held,
	   a handler's own signal) waits as the kernel keeps it pending,
	   where it was delivered on top of k with its bit taken out of k's
	   mask, and the program's block lost with the frame's
	   rt_sigreturn (tests/syscalls/stepsig.t, mask mode) */
	n = take_held(held, &bits);
	/* in seccomp strict mode no signal can go back to the kernel's
	   queue (rt_tgsigqueueinfo kills there): delivered on k, which
	   stops blocking it, as before */
	if (strict)
		*m &= ~bits;
	for (uint32_t i = 0; i < n; i++) {
		const struct limen_held *h = &held[i];
		uint64_t bit = 1ull << (h->sig - 1);
		struct limen_ksa act = *vsig_get(h->sig);

		if (dying) {
			/* k's rt_sigreturn kills (die_at): no frame on it */
			requeue(h->sig, h->info);
		} else if (h->sig == SIGSYS && limen_owned_blocked(SIGSYS)) {
			memcpy(limen_tls.sigsys_info, h->info,
			       sizeof(limen_tls.sigsys_info));
			limen_tls.sigsys_pending = 1;
		} else if ((LIMEN_FAULT_BITS & bit) &&
			   ((const siginfo_t *)(const void *)h->info)->si_code
				   <= 0 &&
			   limen_owned_blocked(h->sig)) {
			/* k returns to the program: pinned in its mask */
			if (h->sig == SIGTRAP)
				limen_rewrite_trap_pinned();
			limen_tls.pinned |= bit;
			*m |= bit;
			requeue_pinned(h->sig, h->info);
		} else if (*m & bit) {
			requeue(h->sig, h->info);
		} else if (act.handler == 0 &&
			   init_drops(h->sig,
				      (const siginfo_t *)(const void *)h->info)) {
			/* nothing for a namespace's init (init_drops) */
		} else if (act.handler == 0) {
			record_signal(h->sig, (const siginfo_t *)h->info, k);
			die_at(h->sig, h->info, k);
			dying = 1;
		} else if (act.handler != 1) {
			if (LIMEN_FAULT_BITS & bit)
				limen_group_owned_taken();
			dying = !deliver(h->sig, h->info, k, &act, *m, *m);
		}
	}
	limen_transit_drop(); /* each is queued again or the program's */
	if (!strict)
		limen_tls.fault_block--;
}

/* A new thread starts with its mask set by a plain call: the kernel
 * delivers what it held then. */
void limen_requeue_held(void)
{
	uint32_t n = limen_tls.nheld;

	limen_tls.nheld = 0;
	limen_tls.deferred = 0;
	for (uint32_t i = 0; i < n && i < LIMEN_HELD; i++)
		requeue(limen_tls.held[i].sig, limen_tls.held[i].info);
	limen_transit_drop();
}

/*
 * The way out (stubs.S, limen_exit_check) found signals held: deliver them
 * on top of the frame, if it goes back to program code (into limen code,
 * limen's own way out will). A frame on the program's stack is where the
 * new frames go: return through a copy of it on limen's stack instead.
 */
struct limen_exit_to limen_exit_held(ucontext_t *uc, uint8_t *scratch,
				     long on_program_stack)
{
	const uint8_t *fp = (const uint8_t *)uc->uc_mcontext.fpregs;
	uint32_t fpsz = fp ? fp_size(fp) : 0;
	ucontext_t *copy = (ucontext_t *)(void *)scratch;

	if (in_limen((uint64_t)uc->uc_mcontext.gregs[REG_RIP]))
		return (struct limen_exit_to){ uc, 0 };
	if (on_program_stack) {
		if (fpsz > LIMEN_SCRATCH - SCRATCH_FP) {
			limen_requeue_held();
			return (struct limen_exit_to){ uc, 0 };
		}
		memcpy(scratch, uc, KUC_SIZE);
		if (fp) {
			memcpy(scratch + SCRATCH_FP, fp, fpsz);
			copy->uc_mcontext.fpregs =
				(void *)(scratch + SCRATCH_FP);
		}
		uc = copy;
	}
	deliver_held(uc);
	return (struct limen_exit_to){ uc, 1 };
}

/*
 * rt_sigreturn called by the program on a frame at its stack pointer (a
 * handler's return through its restorer, or a call of its own): recorded as
 * strace shows it. rt_sigreturn reinstalls the mask and the sigaltstack
 * from the frame: the program's view of both is taken from it (the handler
 * may have changed them) and the kernel is left limen's. Then the SIGSYS
 * frame returns to limen's way out with the program's frame, whose
 * rt_sigreturn unwinds it for real.
 */
long limen_hook_sigreturn(ucontext_t *uc)
{
	union {
		ucontext_t uc;
		uint8_t b[KUC_SIZE];
	} pf;
	greg_t *g = uc->uc_mcontext.gregs;
	uint64_t at = (uint64_t)g[REG_RSP];

	if (limen_safe_read(pf.b, at, KUC_SIZE) != KUC_SIZE) {
		/* the kernel's rt_sigreturn cannot read the frame either:
		   its signal_fault, a SIGSEGV (SI_KERNEL) at the program's
		   own context, taken by its handler or killing as bare */
		uint64_t base = 0, mask,
			 mat = at + offsetof(ucontext_t, uc_sigmask);

		limen_sys4(SYS_rt_sigprocmask, SIG_BLOCK, 0, &base, 8);
		g[REG_RAX] = 0; /* what the failed call leaves in rax */
		/* strace's line comes first: the mask it reads at the frame,
		   or where it is if that fails too */
		record_sigreturn_of(uc,
				    limen_safe_read(&mask, mat, 8) == 8 ? &mask : 0,
				    mat);
		force_sigsegv(0, uc, uc, base);
		return g[REG_RAX];
	}
	/* limen_exit_check with the program's frame (stubs.S) */
	g[REG_RIP] = (greg_t)(uintptr_t)limen_exit_check;
	g[REG_RBX] = (greg_t)at;
	g[REG_R12] = (greg_t)((((uint64_t)(uintptr_t)uc->uc_stack.ss_sp +
				uc->uc_stack.ss_size) & ~63ull) - LIMEN_SCRATCH);
	g[REG_R13] = 1;
	record_sigreturn(&pf.uc, at);
	/* a frame of ours, returned through the program's restorer
	   (nested_sud.c) */
	limen_ua_handler_done((const void *)(uintptr_t)at);
	*(uint64_t *)&pf.uc.uc_sigmask =
		limen_owned_set(*(uint64_t *)&pf.uc.uc_sigmask);
	limen_vstack_restore(&pf.uc.uc_stack,
			     (uint64_t)pf.uc.uc_mcontext.gregs[REG_RSP]);
	pf.uc.uc_stack = uc->uc_stack;
	limen_safe_write(at, pf.b, KUC_SIZE);
	return SYS_rt_sigreturn;
}

long limen_hook_sigaction(const long *a)
{
	int sig = (int)a[0];
	struct limen_ksa act, old, real;
	long r;

	if (a[3] != 8 || sig < 1 || sig >= LIMEN_NSIG || sig == SIGKILL ||
	    sig == SIGSTOP)
		return limen_sys4(SYS_rt_sigaction, a[0], a[1], a[2], a[3]);
	if (a[1] && limen_safe_read(&act, (uint64_t)a[1], sizeof(act)) !=
			    sizeof(act))
		return -14;
	/* what the kernel stores, hence what a read back shows */
	act.flags &= KSA_KNOWN;
	act.mask &= ~UNBLOCKABLE;
	old = *vsig_get(sig);
	if (a[1]) {
		if (sig != SIGSYS) {
			real_action(sig, &act, &real);
			limen_vsig()[sig].act = act;
			r = limen_sys4(SYS_rt_sigaction, sig, &real, 0, 8);
			if (r < 0) {
				limen_vsig()[sig].act = old;
				return r;
			}
		} else {
			limen_vsig()[sig].act = act;
		}
	}
	if (a[2] && limen_put_user((uint64_t)a[2], &old, sizeof(old)) !=
			    sizeof(old))
		return -14;
	return 0;
}

/* rt_sigprocmask's arguments checked in the kernel's order (size, the new
 * set, how), the set read: 0, or the call's error. */
static long sigmask_read(const long *a, uint64_t *set)
{
	*set = 0;
	if (a[3] != 8)
		return -22;
	if (a[1] && limen_safe_read(set, (uint64_t)a[1], 8) != 8)
		return -14;
	if (a[1] && a[0] != SIG_BLOCK && a[0] != SIG_UNBLOCK &&
	    a[0] != SIG_SETMASK)
		return -22;
	return 0;
}

/* The mask view after rt_sigprocmask(how, set) (a set given, how valid). */
static uint64_t mask_after(uint64_t view, long how, uint64_t set)
{
	return how == SIG_BLOCK   ? view | set :
	       how == SIG_UNBLOCK ? view & ~set :
				    set;
}

/*
 * rt_sigprocmask from a rewritten site (rewrite.c, limen_fast), without
 * the 2-3 us of a SIGSYS round trip: there is no signal frame there, and
 * the thread's mask is the program's own (less the owned signals, which
 * are never really blocked), so the program's change is made by one call
 * of the kernel's, whose old set is the program's view of it. Only while
 * none of what limen keeps of the thread's mask is afoot (limen_fast asks
 * limen_sigmask_frameless first): no owned signal pinned, sent or in
 * transit, none of its block state changed by this call (vblock, which a
 * handler's frame shows, would be out of step with the mask for the
 * instructions between them), no signal held or rerouted, an armed
 * thread. Else the call goes through SUD, and the hook below.
 */
int limen_sigmask_frameless(const long *a)
{
	uint64_t set, vb = limen_tls.vblock;

	if (limen_tls.unarmed || limen_tls.strict || limen_tls.sigsys_pending ||
	    limen_tls.pinned || limen_tls.rerouted || limen_tls.nheld ||
	    limen_tls.deferred || (limen_tls.vcall & LIMEN_VCALL_ON) ||
	    __atomic_load_n(&limen_rt.owned_transit, __ATOMIC_RELAXED) ||
	    /* an error (EINVAL, EFAULT) too: the hook's */
	    sigmask_read(a, &set))
		return 0;
	return !a[1] || mask_after(vb, a[0], set & LIMEN_OWNED) == vb;
}

long limen_sigprocmask_frameless(const long *a)
{
	uint64_t set, vb = limen_tls.vblock, real, cur = 0;
	long r;

	/* read again: the errors are the kernel's, for a set another thread
	   changed since */
	r = sigmask_read(a, &set);
	if (r)
		return r;
	/* the owned part, unchanged where limen_fast looked; changed only
	   by another thread's write to the set since, and then the program's
	   all the same (limen_owned_set) a few instructions before the mask */
	if (a[1])
		limen_tls.vblock = mask_after(vb, a[0], set & LIMEN_OWNED);
	real = set & ~(LIMEN_OWNED | UNBLOCKABLE);
	/* as the program's own call: a signal held since limen_fast looked
	   leaves it unmade, and it is made again after the handler, through
	   SUD (dispatch.c, reissue) */
	r = limen_app_syscall(SYS_rt_sigprocmask, a[1] ? a[0] : SIG_BLOCK,
			      a[1] ? (long)&real : 0, (long)&cur, 8, 0, 0);
	if (r != 0) {
		limen_tls.vblock = vb;
		return r;
	}
	/* the old set last, after the change, as the kernel writes it */
	cur = (cur & ~LIMEN_OWNED) | vb;
	if (a[2] && limen_put_user((uint64_t)a[2], &cur, 8) != 8)
		return -14;
	return 0;
}

/*
 * The mask the program sets must be the one in force when our handler
 * returns: rt_sigreturn reinstalls uc_sigmask, so that is what we change
 * (a real rt_sigprocmask here would be undone on the way out). From a
 * rewritten site, the way above.
 */
long limen_hook_sigprocmask(const long *a, ucontext_t *uc)
{
	uint64_t *cur = (uint64_t *)&uc->uc_sigmask;
	uint64_t set, old, view;
	long r;

	if (limen_tls.inflight && limen_tls.inflight->fast)
		return limen_sigprocmask_frameless(a);
	old = limen_owned_view(*cur);
	/* the old set is written last, after the change (a bad pointer
	   there fails a call whose change holds) */
	r = sigmask_read(a, &set);
	if (r)
		return r;
	if (!a[1])
		goto out;
	view = mask_after(old, a[0], set);
	/* SIGKILL and SIGSTOP cannot be blocked; limen's own signals must
	   not be (owned.c): a pinned one unblocked is delivered once our
	   rt_sigreturn installs the mask */
	*cur = limen_owned_set(view & ~UNBLOCKABLE);
	limen_transit_unblock(old & ~view); /* owned_transit.c */
	if (!limen_owned_blocked(SIGSYS) && limen_tls.sigsys_pending) {
		/* delivered once this call has returned, as the kernel
		   would: blocked until our rt_sigreturn installs the mask */
		uint64_t sys = SIGSYS_BIT;

		limen_tls.sigsys_pending = 0;
		limen_sys4(SYS_rt_sigprocmask, SIG_BLOCK, &sys, 0, 8);
		limen_sys4(SYS_rt_tgsigqueueinfo, limen_sys0(SYS_getpid),
			   limen_sys0(SYS_gettid), SIGSYS,
			   limen_tls.sigsys_info);
	}
out:
	if (a[2] && limen_put_user((uint64_t)a[2], &old, 8) != 8)
		return -14;
	return 0;
}

/*
 * rt_sigtimedwait with SIGSYS in its set while a SIGSYS sent to the
 * program waits in limen's hands (it is never really blocked: owned.c):
 * taken now, as the kernel takes a pending signal before it sleeps,
 * unless the kernel would take another first: it dequeues the
 * synchronous signals (SIGILL, SIGTRAP, SIGBUS, SIGFPE, SIGSEGV, SIGSYS)
 * before the others, lowest first, so a pending one below SIGSYS goes
 * first, by the call.
 */
long limen_sigsys_wait(const long *a)
{
	const uint64_t sync = LIMEN_SIGBIT(SIGILL) | LIMEN_SIGBIT(SIGTRAP) |
			      LIMEN_SIGBIT(SIGBUS) | LIMEN_SIGBIT(SIGFPE) |
			      LIMEN_SIGBIT(SIGSEGV);
	uint64_t set, pend = 0;

	if (a[3] != 8 || limen_safe_read(&set, (uint64_t)a[0], 8) != 8 ||
	    !(set & SIGSYS_BIT))
		return 0;
	if (limen_sys2(SYS_rt_sigpending, &pend, 8) == 0 && (pend & set & sync))
		return 0;
	if (a[1] && limen_put_user((uint64_t)a[1], limen_tls.sigsys_info,
				   sizeof(limen_tls.sigsys_info)) !=
			    (long)sizeof(limen_tls.sigsys_info))
		return -14; /* EFAULT */
	limen_tls.sigsys_pending = 0;
	return SIGSYS;
}

/* SIGSYS really blocked now (exec.c, init.c): one pending in the kernel's
   queue is taken into limen's hands, held as the program's, blocked. */
void limen_sigsys_take_back(void)
{
	uint64_t sys = SIGSYS_BIT;
	struct {
		long sec, nsec;
	} zero = { 0, 0 };
	uint8_t info[sizeof(limen_tls.sigsys_info)];

	if (limen_sys4(SYS_rt_sigtimedwait, &sys, info, &zero, 8) != SIGSYS)
		return;
	memcpy(limen_tls.sigsys_info, info, sizeof(info));
	limen_tls.sigsys_pending = 1;
}

long limen_hook_sigpending(const long *a)
{
	uint64_t set;
	long r;

	if (a[1] != 8)
		return limen_sys2(SYS_rt_sigpending, a[0], a[1]);
	r = limen_transit_sigpending(&set); /* owned_transit.c */
	if (r < 0)
		return r;
	if (limen_tls.sigsys_pending)
		set |= SIGSYS_BIT;
	if (limen_put_user((uint64_t)a[0], &set, 8) != 8)
		return -14;
	return 0;
}

/* Calls that replace the signal mask for their duration. */
long limen_hook_masked(long nr, const long *a)
{
	long b[6];
	uint64_t set;
	struct {
		uint64_t ss;
		uint64_t len;
	} ps;
	int idx = limen_mask_arg(nr);
	long r;

	for (int i = 0; i < 6; i++)
		b[i] = a[i];
	if (nr == SYS_pselect6) {
		if (a[idx] && limen_safe_read(&ps, (uint64_t)a[idx], 16) == 16 &&
		    ps.ss && ps.len == 8 &&
		    limen_safe_read(&set, ps.ss, 8) == 8) {
			set = limen_owned_call(set);
			ps.ss = (uint64_t)(uintptr_t)&set;
			b[idx] = (long)&ps;
		}
	} else if (a[idx] && limen_safe_read(&set, (uint64_t)a[idx], 8) == 8) {
		set = limen_owned_call(set);
		b[idx] = (long)&set;
	}
	r = limen_app_syscall(nr, b[0], b[1], b[2], b[3], b[4], b[5]);
	limen_tls.vcall = 0;
	return r;
}

/* SIGSYS from somewhere else than Syscall User Dispatch. */
void limen_forward_sigsys(int sig, siginfo_t *si, ucontext_t *uc)
{
	(void)sig;
	/* a dying thread's call, whatever the program blocks */
	if (limen_core_answer(si, uc))
		return;
	if (limen_owned_blocked(SIGSYS)) {
		/* the program blocked it: keep it pending (one, like the
		   kernel for a standard signal) */
		memcpy(limen_tls.sigsys_info, si, sizeof(limen_tls.sigsys_info));
		limen_tls.sigsys_pending = 1;
		return;
	}
	if (si->si_code == SYS_SECCOMP && limen_tls.inflight &&
	    limen_app_syscall_after((uintptr_t)si->si_call_addr)) {
		/* a seccomp filter trapped the call we ran for the program:
		   it was the program's call, from the program's address */
		si->si_call_addr =
			(void *)(uintptr_t)limen_tls.inflight->call_addr;
	}
	limen_lean_call_addr(si, uc); /* or a rewritten site's lean call */
	take(SIGSYS, si, uc);
}

/*
 * The program's own Syscall User Dispatch sends it SIGSYS the way the
 * kernel's force_sig_info does (nested_sud.c): blocked or ignored, the
 * signal is unblocked with its default action, which kills.
 */
void limen_force_sigsys(siginfo_t *si, ucontext_t *uc)
{
	struct limen_ksa *act = vsig_get(SIGSYS);

	if (limen_owned_blocked(SIGSYS) ||
	    act->handler == (uintptr_t)SIG_IGN) {
		act->handler = (uintptr_t)SIG_DFL;
		limen_tls.vblock &= ~SIGSYS_BIT;
		limen_tls.vcall &= ~SIGSYS_BIT;
	}
	take(SIGSYS, si, uc);
}

/* force_exit_sig: no handler, no mask, no trace line of the signal. */
void limen_force_exit(int sig)
{
	kill_with(sig);
}

int limen_install_sigsys(void)
{
	struct limen_ksa k = {
		.handler = (uint64_t)(uintptr_t)limen_sigsys,
		.flags = KSA_SIGINFO | KSA_RESTORER | KSA_NODEFER | KSA_ONSTACK,
		.restorer = (uint64_t)(uintptr_t)limen_restorer,
		.mask = 0,
	};
	struct limen_ksa old;

	if (limen_sys4(SYS_rt_sigaction, SIGSYS, &k, &old, 8) < 0)
		return -1;
	limen_vsig()[SIGSYS].act = old;
	limen_vsig()[SIGSYS].valid = 1;
	return 0;
}

/*
 * A child made with CLONE_CLEAR_SIGHAND (glibc >= 2.38's posix_spawn): the
 * kernel reset its handlers to SIG_DFL (SIG_IGN stays) with flags, mask and
 * restorer cleared (flush_signal_handlers), ours for SIGSYS too. Put ours
 * back before the child's first trapped call and reset the program's view
 * the same way. Only for a child whose memory is its own or whose parent
 * sleeps until it execs (CLONE_VFORK: the view is the child's own copy,
 * limen_vsig).
 */
void limen_clear_sighand(int own_view)
{
	struct limen_vsig sys = limen_vsig()[SIGSYS];

	limen_install_sigsys();
	limen_fault_reinstall();
	limen_vsig()[SIGSYS] = sys;
	if (!own_view) {
		limen_core_init(); /* the wrapper of SIG_DFL (core_signal.c) */
		return;
	}
	for (int sig = 1; sig < LIMEN_NSIG; sig++) {
		struct limen_vsig *v = &limen_vsig()[sig];
		struct limen_ksa *k = &v->act;

		if (!v->valid)
			continue; /* the kernel's answer is already right */
		if (k->handler != (uint64_t)(uintptr_t)SIG_IGN)
			k->handler = (uint64_t)(uintptr_t)SIG_DFL;
		k->flags = 0;
		k->restorer = 0;
		k->mask = 0;
	}
	limen_core_init();
}
