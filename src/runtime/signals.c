/* SPDX-License-Identifier: MIT */
/*
 * Signals, virtualized so that the program sees what it would see without
 * limen while SIGSYS stays ours:
 *  - the program's handlers are installed behind limen_sigwrap (which records
 *    the delivery and the rt_sigreturn strace shows) with our restorer, whose
 *    rt_sigreturn is issued from the exempt range;
 *  - SIGSYS is never really blocked: it is removed from every mask the
 *    program passes (sigprocmask, sa_mask, sigsuspend, ppoll, pselect6,
 *    epoll_pwait) and remembered per thread, so queries report it back;
 *  - the program's own SIGSYS disposition is kept aside and honoured for
 *    SIGSYS that does not come from Syscall User Dispatch (kill, seccomp).
 */
#include <sys/syscall.h>

#include "raw.h"
#include "rt.h"

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
#define UNBLOCKABLE ((1ull << (SIGKILL - 1)) | (1ull << (SIGSTOP - 1)))

struct limen_rt limen_rt;

static struct limen_ksa *vsig_get(int sig)
{
	struct limen_vsig *v = &limen_rt.vsig[sig];

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

static void record_signal(int sig, const siginfo_t *si)
{
	struct limen_rec_sig *r;
	struct limen_wr w;

	if (limen_rec_reserve(&w, sizeof(*r)) < 0)
		return;
	r = (struct limen_rec_sig *)w.p;
	r->sig = (uint32_t)sig;
	r->pad = 0;
	r->tsc = limen_now();
	memcpy(r->siginfo, si, sizeof(r->siginfo));
	limen_rec_commit(&w, LIMEN_REC_SIGNAL, 0, sizeof(*r));
}

/* Record the rt_sigreturn that strace would show after a handler, with the
 * mask it restores (strace: rt_sigreturn({mask=[]}) = 0). */
static void record_sigreturn(ucontext_t *uc)
{
	long a[6] = { 0 };
	struct limen_rec_sys *r;
	struct limen_cap *c;
	struct limen_wr w;
	uint32_t used = sizeof(*r) + sizeof(*c) + 8;

	if (!limen_selected(SYS_rt_sigreturn))
		return;
	if (limen_rec_reserve(&w, used) == 0) {
		r = (struct limen_rec_sys *)w.p;
		memset(r, 0, sizeof(*r));
		r->nr = SYS_rt_sigreturn;
		r->tsc = limen_now();
		r->ncap = 1;
		c = (struct limen_cap *)(r + 1);
		c->arg = 0;
		c->flags = 0;
		c->pad = 0;
		c->len = 8;
		memcpy(c + 1, &uc->uc_sigmask, 8);
		limen_rec_commit(&w, LIMEN_REC_ENTER, 0, used);
	}
	limen_record_sys(LIMEN_REC_EXIT, SYS_rt_sigreturn, a,
			 uc->uc_mcontext.gregs[REG_RAX], 0);
}

typedef void (*limen_handler)(int, siginfo_t *, void *);

static void sigwrap(int sig, siginfo_t *si, void *uc)
{
	struct limen_ksa act = *vsig_get(sig);
	struct limen_inflight *fl = limen_tls.inflight;

	limen_inflight_exit(uc);
	record_signal(sig, si);
	/* the handler's own calls are not the interrupted one */
	limen_tls.inflight = 0;
	if (act.flags & KSA_RESETHAND) {
		limen_rt.vsig[sig].act.handler = 0;
		limen_rt.vsig[sig].act.flags &= ~KSA_SIGINFO;
	}
	if (act.handler == 1) /* SIG_IGN installed meanwhile */
		goto out;
	if (act.handler == 0) {
		/* SIG_DFL installed meanwhile: take the default action */
		struct limen_ksa dfl = { 0, KSA_RESTORER,
					 (uint64_t)(uintptr_t)limen_restorer,
					 0 };

		limen_sys4(SYS_rt_sigaction, sig, &dfl, 0, 8);
		limen_sys2(SYS_tkill, limen_sys0(SYS_gettid), sig);
		goto out;
	}
	{
		int was = limen_tls.sigsys_blocked;

		if (act.mask & SIGSYS_BIT)
			limen_tls.sigsys_blocked = 1;
		((limen_handler)(uintptr_t)act.handler)(sig, si, uc);
		limen_tls.sigsys_blocked = was;
	}
out:
	record_sigreturn(uc);
	limen_tls.inflight = fl;
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
			real = act;
			real.mask &= ~SIGSYS_BIT;
			real.flags |= KSA_RESTORER;
			real.restorer = (uint64_t)(uintptr_t)limen_restorer;
			if (act.handler > 1) {
				real.handler = (uint64_t)(uintptr_t)sigwrap;
				real.flags |= KSA_SIGINFO;
			}
			limen_rt.vsig[sig].act = act;
			r = limen_sys4(SYS_rt_sigaction, sig, &real, 0, 8);
			if (r < 0) {
				limen_rt.vsig[sig].act = old;
				return r;
			}
		} else {
			limen_rt.vsig[sig].act = act;
		}
	}
	if (a[2] && limen_safe_write((uint64_t)a[2], &old, sizeof(old)) !=
			    sizeof(old))
		return -14;
	return 0;
}

/*
 * The mask the program sets must be the one in force when our handler
 * returns: rt_sigreturn reinstalls uc_sigmask, so that is what we change
 * (a real rt_sigprocmask here would be undone on the way out).
 */
long limen_hook_sigprocmask(const long *a, ucontext_t *uc)
{
	uint64_t *cur = (uint64_t *)&uc->uc_sigmask;
	uint64_t set = 0, old = *cur;

	/* the kernel's order: size, new set, how; the old set is written
	   last, after the change (a bad pointer there fails a call whose
	   change holds) */
	if (a[3] != 8)
		return -22;
	if (a[1] && limen_safe_read(&set, (uint64_t)a[1], 8) != 8)
		return -14;
	if (limen_tls.sigsys_blocked)
		old |= SIGSYS_BIT;
	if (a[1] && a[0] != SIG_BLOCK && a[0] != SIG_UNBLOCK &&
	    a[0] != SIG_SETMASK)
		return -22;
	if (!a[1])
		goto out;
	switch (a[0]) {
	case SIG_BLOCK:
		*cur |= set;
		if (set & SIGSYS_BIT)
			limen_tls.sigsys_blocked = 1;
		break;
	case SIG_UNBLOCK:
		*cur &= ~set;
		if (set & SIGSYS_BIT)
			limen_tls.sigsys_blocked = 0;
		break;
	default: /* SIG_SETMASK */
		*cur = set;
		limen_tls.sigsys_blocked = !!(set & SIGSYS_BIT);
		break;
	}
	/* SIGKILL and SIGSTOP cannot be blocked; SIGSYS must not be */
	*cur &= ~(SIGSYS_BIT | (1ull << (SIGKILL - 1)) |
		  (1ull << (SIGSTOP - 1)));
	if (!limen_tls.sigsys_blocked && limen_tls.sigsys_pending) {
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
	if (a[2] && limen_safe_write((uint64_t)a[2], &old, 8) != 8)
		return -14;
	return 0;
}

long limen_hook_sigpending(const long *a)
{
	uint64_t set;
	long r;

	if (a[1] != 8)
		return limen_sys2(SYS_rt_sigpending, a[0], a[1]);
	r = limen_sys2(SYS_rt_sigpending, &set, 8);
	if (r < 0)
		return r;
	if (limen_tls.sigsys_pending)
		set |= SIGSYS_BIT;
	if (limen_safe_write((uint64_t)a[0], &set, 8) != 8)
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
	int idx;

	for (int i = 0; i < 6; i++)
		b[i] = a[i];
	switch (nr) {
	case SYS_rt_sigsuspend:
		idx = 0;
		break;
	case SYS_ppoll:
		idx = 3;
		break;
	case SYS_pselect6:
		idx = 5;
		break;
	default: /* epoll_pwait, epoll_pwait2 */
		idx = 4;
		break;
	}
	if (nr == SYS_pselect6) {
		if (a[5] && limen_safe_read(&ps, (uint64_t)a[5], 16) == 16 &&
		    ps.ss && ps.len == 8 &&
		    limen_safe_read(&set, ps.ss, 8) == 8) {
			set &= ~SIGSYS_BIT;
			ps.ss = (uint64_t)(uintptr_t)&set;
			b[5] = (long)&ps;
		}
	} else if (a[idx] && limen_safe_read(&set, (uint64_t)a[idx], 8) == 8) {
		set &= ~SIGSYS_BIT;
		b[idx] = (long)&set;
	}
	return limen_app_syscall(nr, b[0], b[1], b[2], b[3], b[4], b[5]);
}

/* SIGSYS from somewhere else than Syscall User Dispatch. */
void limen_forward_sigsys(int sig, siginfo_t *si, ucontext_t *uc)
{
	struct limen_ksa act = *vsig_get(SIGSYS);

	if (limen_tls.sigsys_blocked) {
		/* the program blocked it: keep it pending (one, like the
		   kernel for a standard signal) */
		memcpy(limen_tls.sigsys_info, si, sizeof(limen_tls.sigsys_info));
		limen_tls.sigsys_pending = 1;
		return;
	}
	limen_inflight_exit(uc);
	if (si->si_code == SYS_SECCOMP && limen_tls.inflight &&
	    si->si_call_addr == (void *)limen_app_syscall_ret) {
		/* a seccomp filter trapped the call we ran for the program:
		   it was the program's call, from the program's address */
		si->si_call_addr =
			(void *)(uintptr_t)limen_tls.inflight->call_addr;
	}
	record_signal(sig, si);
	if (act.flags & KSA_RESETHAND)
		limen_rt.vsig[SIGSYS].act.handler = 0;
	if (act.handler == 1)
		return;
	if (act.handler == 0) {
		struct limen_ksa dfl = { 0, KSA_RESTORER,
					 (uint64_t)(uintptr_t)limen_restorer,
					 0 };

		limen_sys4(SYS_rt_sigaction, SIGSYS, &dfl, 0, 8);
		limen_sys2(SYS_tkill, limen_sys0(SYS_gettid), SIGSYS);
		return;
	}
	{
		struct limen_inflight *fl = limen_tls.inflight;

		/* the handler's own calls are not the interrupted one */
		limen_tls.inflight = 0;
		((limen_handler)(uintptr_t)act.handler)(sig, si, uc);
		limen_tls.inflight = fl;
	}
	/* strace shows the handler's return, with the result it leaves
	   in rax (a seccomp RET_TRAP handler emulating the call) */
	record_sigreturn(uc);
}

int limen_install_sigsys(void)
{
	struct limen_ksa k = {
		.handler = (uint64_t)(uintptr_t)limen_sigsys,
		.flags = KSA_SIGINFO | KSA_RESTORER | KSA_NODEFER,
		.restorer = (uint64_t)(uintptr_t)limen_restorer,
		.mask = 0,
	};
	struct limen_ksa old;

	if (limen_sys4(SYS_rt_sigaction, SIGSYS, &k, &old, 8) < 0)
		return -1;
	limen_rt.vsig[SIGSYS].act = old;
	limen_rt.vsig[SIGSYS].valid = 1;
	return 0;
}

/*
 * A child made with CLONE_CLEAR_SIGHAND (glibc >= 2.38's posix_spawn): the
 * kernel reset its handlers to SIG_DFL (SIG_IGN stays) with flags, mask and
 * restorer cleared (flush_signal_handlers), ours for SIGSYS too. Put ours
 * back before the child's first trapped call and reset the program's view
 * the same way. Only for a child whose memory is its own or whose parent
 * sleeps until it execs (CLONE_VFORK: the parent restores its view).
 */
void limen_clear_sighand(int own_view)
{
	struct limen_vsig sys = limen_rt.vsig[SIGSYS];

	limen_install_sigsys();
	limen_rt.vsig[SIGSYS] = sys;
	if (!own_view)
		return;
	for (int sig = 1; sig < LIMEN_NSIG; sig++) {
		struct limen_ksa *k = &limen_rt.vsig[sig].act;

		if (!limen_rt.vsig[sig].valid)
			continue; /* the kernel's answer is already right */
		if (k->handler != (uint64_t)(uintptr_t)SIG_IGN)
			k->handler = (uint64_t)(uintptr_t)SIG_DFL;
		k->flags = 0;
		k->restorer = 0;
		k->mask = 0;
	}
}
