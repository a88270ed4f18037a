/* SPDX-License-Identifier: MIT */
/*
 * The quick way through limen_dispatch (dispatch.c) for the common call: a
 * number none of the runtime's hooks looks at, in a session that asks for
 * nothing around the call but its records. It does what the full way does
 * for such a call, in that order, and leaves out what would only have said
 * no: the filter, -k's stack, uaccess logging, run()'s switch, the
 * address-space count (limen_ua_mapped), the path window (peek.c: only
 * hooks read it).
 *
 * "None of the hooks looks at it" is lean.c's limen_lean_nrs, the bits of
 * the lean path of a rewritten site (fast.S), which has every number that
 * neither run(), bookkeeping(), group_signal.c, uaccess.c's address-space
 * count nor the runtime filter's unselected calls need: set at the first
 * rewritten site, cleared (for read, write, close...) before an emulated
 * user_events descriptor reaches the program; or a call that takes a path
 * none of the hooks wants before the kernel answered (quickpath.c: open,
 * openat, the stat, access, readlink and xattr calls). Until a site is rewritten every
 * call takes the full way.
 *
 * Its records (limen_quick_record) skip the captures' bounds and walks when
 * the call's arguments hold nothing to capture at that end (quick_nocap:
 * no pointer argument read in that direction, not a socket call: openat's
 * exit, read's entry, getppid's both), in sessions without -y or -e
 * read=/write=: a fixed-size record, reserved and committed at its exact
 * size. The full way's records (limen_record_sys_flags) use it too.
 */
#include <sys/syscall.h>

#include "raw.h"
#include "rt.h"
#include "quickpath.h"
#include "rewrite.h"
#include "runtime/filter.h"

extern uint64_t limen_lean_nrs[LEAN_NRS / 64] LIMEN_HIDDEN;

/* What nr's records capture, one byte a number: NOCAP_KNOWN once worked
   out (quick_nocap_of), NOCAP_ENTER when its ENTER record captures
   nothing, NOCAP_EXIT its EXIT record; NOCAP_BYCMD: the call's command
   says (fcntl: limen_fcntl_bytes), worked out at each call */
enum { NOCAP_KNOWN = 1, NOCAP_ENTER = 2, NOCAP_EXIT = 4, NOCAP_BYCMD = 8 };
static uint8_t quick_nocap[LEAN_NRS];

/* The session's flags under which a call needs more than its records:
   -k (STACK, MAPS records), --uaccess. */
#define QUICK_CTL_OFF (LIMEN_CTL_STACK | LIMEN_CTL_UACCESS)

/* 1: capture.c may capture something of se's calls at entry (at_exit 0)
   or exit (1): an argument of a type it reads (LIMEN_AT_PATH and above)
   in that direction (as its wants(); ioctl's by its command, so always),
   or a socket call (netlink's messages). Argument skip (-1: none) left
   out. */
int limen_may_capture(const struct limen_sysent *se, int at_exit, int skip)
{
	if (!se)
		return 0;
	if (se->classes & LIMEN_CLASS_NETWORK)
		return 1;
	for (unsigned i = 0; i < se->nargs; i++) {
		const struct limen_argdesc *d = &se->args[i];

		if (d->type < LIMEN_AT_PATH || (int)i == skip)
			continue;
		if (d->type == LIMEN_AT_IOCTL ||
		    (d->dir & (at_exit ? LIMEN_DIR_OUT : LIMEN_DIR_IN)))
			return 1;
	}
	return 0;
}

/*
 * From the table (a number with no entry records no capture either),
 * when a call of nr is first recorded: a program uses few numbers (the
 * whole table was read at every start, some 20 us of every traced
 * process). One byte, stored whole: threads that work it out at the same
 * time store the same byte.
 */
static __attribute__((noinline, cold)) unsigned quick_nocap_work(long nr)
{
	const struct limen_sysent *se = limen_sysent_get((unsigned long)nr);
	unsigned v = NOCAP_KNOWN;

	if (se == &limen_sysent[LIMEN_NR_fcntl])
		v |= NOCAP_BYCMD;
	else if (!limen_may_capture(se, 0, -1))
		v |= NOCAP_ENTER;
	if (!(v & NOCAP_BYCMD) && !limen_may_capture(se, 1, -1))
		v |= NOCAP_EXIT;
	__atomic_store_n(&quick_nocap[nr], (uint8_t)v, __ATOMIC_RELAXED);
	return v;
}

/* nr's NOCAP_ bits: which of its records capture nothing. Inline, their
   working out (quick_nocap_work) kept out of line: as a function of its
   own it took a full frame (six pushes and pops) three times a recorded
   call, 3 ns of a recorded getppid's 113 of CPU (medians of 11,
   interleaved). One byte a number, read once a record: a word of bits
   for each end, each said built in a word of its own, was 20
   instructions a recorded getppid (bench/stepcount) */
static inline __attribute__((always_inline)) unsigned quick_nocap_of(long nr)
{
	unsigned v;

	if (nr < 0 || nr >= LEAN_NRS)
		return NOCAP_KNOWN;
	v = __atomic_load_n(&quick_nocap[nr], __ATOMIC_RELAXED);
	if (__builtin_expect(!v, 0))
		v = quick_nocap_work(nr);
	return v;
}

/* The NOCAP_ bits of this call of nr: fcntl captures only for the
   commands that take a struct (F_DUPFD, F_GETFL... take none), so the
   common ones keep the plain records. */
static __attribute__((noinline)) unsigned quick_nocap_cmd(unsigned v,
							  const long *a)
{
	if (!limen_fcntl_bytes(a, 0))
		v |= NOCAP_ENTER;
	if (!limen_fcntl_bytes(a, 1))
		v |= NOCAP_EXIT;
	return v;
}

static inline __attribute__((always_inline)) unsigned
quick_nocap_call(long nr, const long *a)
{
	unsigned v = quick_nocap_of(nr);

	if (__builtin_expect(v & NOCAP_BYCMD, 0))
		v = quick_nocap_cmd(v, a);
	return v;
}

static int quick_bit(const uint64_t *bits, long nr)
{
	return limen_bit_get(bits, LEAN_NRS, nr);
}

extern int limen_lean_ready LIMEN_HIDDEN;

/* wait4 and waitid: never lean (lean.c: limen_end_note's records), on
   this way once the lean numbers are (their bits would be, but for that),
   where limen_lone_wait parks them */
static inline int quick_wait(long nr)
{
	return (nr == SYS_wait4 || nr == SYS_waitid) &&
	       __atomic_load_n(&limen_lean_ready, __ATOMIC_ACQUIRE);
}

/*
 * The record of a call that captures nothing, as limen_record_sys_flags
 * writes it; 0 when the session or the number asks for more (that writer
 * then writes it).
 */
static inline int quick_record(uint16_t type, long nr, const long *a,
				long ret, int hidden, uint16_t flags,
				int checked)
{
	const struct limen_ctl *c = limen_rt.ctl;
	unsigned end = type == LIMEN_REC_EXIT ? NOCAP_EXIT : NOCAP_ENTER;

	/* a hidden record (bookkeeping) has no captures, but for
	   limen_end_note's (a wait's status: the full writer's) */
	if (hidden == LIMEN_HIDDEN_CAPS && !(quick_nocap_call(nr, a) & end))
		return 0;
	if (!hidden) {
		unsigned v;

		if (!c || c->decode_fds || (c->flags & LIMEN_CTL_DUMP))
			return 0;
		v = quick_nocap_call(nr, a);
		if (!(v & end))
			return 0;
		/* its exit plain too: one reservation for both (ring.c) */
		if (type == LIMEN_REC_ENTER && !flags && (v & NOCAP_EXIT)) {
			if (checked)
				limen_rec_sys_pair_quick(nr, a, ret);
			else
				limen_rec_sys_pair(nr, a, ret);
			return 1;
		}
	}
	limen_rec_sys_plain(type,
			    (uint16_t)(flags | (hidden ? LIMEN_RECF_HIDDEN : 0)),
			    nr, a, ret);
	return 1;
}

int limen_quick_record(uint16_t type, long nr, const long *a, long ret,
		       int hidden, uint16_t flags)
{
	return quick_record(type, nr, a, ret, hidden, flags, 0);
}

/* ppoll, epoll_pwait and epoll_pwait2 with no mask (its pointer in a
   register, which no other thread changes meanwhile) */
static inline int quick_unmasked(long nr, const long *a)
{
	return (nr == SYS_ppoll || nr == SYS_epoll_pwait ||
		nr == SYS_epoll_pwait2) &&
	       !a[limen_mask_arg(nr)];
}

/*
 * limen_dispatch's way for a call that needs nothing but its records; 0
 * when the call needs more (then the full way runs, from the start: this
 * one has done nothing yet). uc, call_addr and fast as limen_dispatch's;
 * nr and a read from uc.
 */
static inline __attribute__((always_inline)) int
dispatch_quick(ucontext_t *uc, uint64_t call_addr, int fast, long nr,
	       const long *a, int sel_known)
{
	greg_t *g = uc->uc_mcontext.gregs;
	const struct limen_ctl *c = limen_rt.ctl;
	struct limen_inflight fl, *prev;
	struct limen_wait_scratch wk;
	struct limen_qp q;
	char ps[QP_BYTES]; /* a path call's path (limen_qpath_enter) */
	long ret;
	int sel, path = 0, mask = 0;

	if (!c || limen_filter_on || (c->flags & QUICK_CTL_OFF) ||
	    limen_tls.ua_slot ||
	    /* a path call: its path decides (quickpath.c); a wait is
	       never lean (its end note), but takes this way; and from a
	       rewritten site, an rt_sigprocmask not selected (below), and
	       a call that swaps the mask given none (rewrite.c,
	       frameless_ok: the call without it) */
	    (!quick_bit(limen_lean_nrs, nr) && !quick_wait(nr) &&
	     !(mask = fast && nr == SYS_rt_sigprocmask) &&
	     !(fast && quick_unmasked(nr, a)) &&
	     !(path = limen_qpath_nr(nr, a, &q))) ||
	    /* none is lean (lean.c); said again, as this way records
	       none of their hidden records (no path call is one) */
	    (!path && limen_bookkeeping(nr)))
		return 0;
	/* an event enabled or disabled since: limen_uev_sync may make the
	   number hooked, so before its bit is read again */
	if (__atomic_load_n(&c->uevent_gen, __ATOMIC_ACQUIRE) !=
	    limen_uev_gen_seen) {
		limen_uev_sync();
		if (!path && !quick_bit(limen_lean_nrs, nr))
			return 0;
	}
	/* sel_known: fast.S read the number's bit in the live trace mask
	   (limen_fast_sel), as limen_selected would */
	sel = sel_known || limen_selected(nr);
	/* rt_sigprocmask without a frame (signals.c), when nothing but the
	   change is to be made: not selected (its records capture the
	   sets), no filter of the program's to ask first, no owned signal
	   in another thread's hands (dispatch.c, run) */
	if (mask && (sel || limen_program_filtered() ||
		     __atomic_load_n(&limen_rt.owned_transit, __ATOMIC_RELAXED)))
		return 0;
	if (path) {
		/* a path no hook wants before the kernel: its ENTER record
		   with the path in it */
		if (!limen_qpath_enter(nr, a, sel, limen_call_site(uc), &q,
				       ps))
			return 0;
	} else if (sel && !quick_record(LIMEN_REC_ENTER, nr, a,
					limen_call_site(uc), 0, 0, 1))
		limen_record_sys(LIMEN_REC_ENTER, nr, a, limen_call_site(uc),
				 0);
	fl.nr = nr;
	fl.a = a;
	fl.uc = uc;
	fl.record = sel;
	fl.done = 0;
	fl.call_addr = call_addr;
	fl.ua = 0;
	fl.fc = 0;
	fl.fast = fast;
	fl.pnr = g[REG_RAX];
	fl.knr = nr;
	prev = limen_tls.inflight;
	limen_tls.inflight = &fl;
	fl.ka = 0;
	if (__builtin_expect(nr == SYS_wait4 || nr == SYS_waitid, 0)) {
		const long *ka = limen_wait_args(nr, a, &wk);

		fl.ka = ka != a ? ka : 0;
		fl.wk = &wk;
		ret = limen_wait_out(&fl, limen_lone_wait(nr, ka)); /* lone.c */
	} else if (mask)
		ret = limen_sigprocmask_frameless(a);
	else
		ret = limen_app_syscall(nr, a[0], a[1], a[2], a[3], a[4],
					a[5]);
	/* what the hooks do with the kernel's answer, as run() would */
	if (path)
		ret = limen_qpath_after(nr, a, &q, ret);
	limen_tls.inflight = prev;
	/* and after a call that blocked while one was */
	if (__atomic_load_n(&c->uevent_gen, __ATOMIC_ACQUIRE) !=
	    limen_uev_gen_seen)
		limen_uev_sync();
	if (ret == LIMEN_RET_DEFERRED) {
		/* a signal came while we recorded the entry: the call was
		   not made; it is made again after the handlers */
		if (sel)
			limen_record_unmade(nr, a, 0);
		g[REG_RIP] -= 2; /* dispatch.c, reissue */
		return 1;
	}
	if (!fl.done && (!sel || fl.ka))
		limen_end_note(&fl, ret); /* a child's end or birth */
	if (fl.done || !sel)
		;
	/* into the room its ENTER kept (ring.c, limen_rec_sys_pair,
	   limen_rec_enter_path): kept only for a number whose EXIT captures
	   nothing, its NOCAP_EXIT in quick_nocap then and for good, so of
	   quick_record's tests only the session's are made again */
	else if (limen_tls.exit_nr == nr + 1 && c && !c->decode_fds &&
		 !(c->flags & LIMEN_CTL_DUMP))
		limen_rec_exit_kept(nr, a, ret);
	else if (!quick_record(LIMEN_REC_EXIT, nr, a, ret, 0, 0, 1))
		limen_record_sys(LIMEN_REC_EXIT, nr, a, ret, 0);
	g[REG_RAX] = ret;
	return 1;
}

int limen_dispatch_quick(ucontext_t *uc, uint64_t call_addr, int fast,
			 long nr, const long *a)
{
	return dispatch_quick(uc, call_addr, fast, nr, a, 0);
}

/* rewrite.c's limen_fast (its tail call): the quick way first, before
   limen_dispatch's frame (its hooks' state) is set up, else
   limen_dispatch; a: the call's arguments (fast.S stored them in
   order); sel: fast.S found the call selected */
void limen_fast_run(ucontext_t *uc, uint64_t call_addr, const long *a,
		    int sel)
{
	const greg_t *g = uc->uc_mcontext.gregs;

	if (!dispatch_quick(uc, call_addr, 1, g[REG_RAX], a, sel))
		limen_dispatch(uc, call_addr, 1);
}
