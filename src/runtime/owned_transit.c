/* SPDX-License-Identifier: MIT */
/*
 * limen's own fault signals in transit. One of SIGSEGV, SIGBUS, SIGTRAP
 * sent to the process (kill) while every thread blocks it waits in the
 * process's queue without limen. Under limen they are never really
 * blocked (owned.c): the kernel hands it to a thread whose view blocks it,
 * whose handler pins it and puts it back in the queue (signals.c, pin,
 * deliver_held). Between the kernel's dequeue and that re-queue the signal
 * is in no queue: another thread's sigpending, sigtimedwait, signalfd
 * read, or an unblock that should deliver it at once, would miss it
 * (groupsig.t, late; owned_inflight.t).
 *
 * Without limen, the kernel would hand it to none of them: each really
 * blocks it. complete_signal prefers the sender, but limen_pin_sent has
 * just blocked it there for real; another thread whose view blocks it
 * but which has not pinned it yet does not, and is chosen.
 *
 * So a signal limen holds that way counts as in transit, process-wide
 * (limen_rt.owned_transit, a futex word), from the first instruction of
 * the thread's handler (sigwrap, safe.c's fault_handler) until it is back
 * in the queue or handed to the program: the handler's end, or, for one
 * held while limen's code ran, deliver_held. Each thread also counts its
 * own (limen_tls.transit): it never waits for itself, and drops all of
 * its own at once where every held signal has been dealt with. A mask
 * that limen itself sets back around a clone or a thread's start counts
 * as a transit for the time of its call (limen_transit_setmask); a mask
 * view set with one pending keeps it pinned (limen_transit_parked, once
 * one of these signals was sent in the process).
 *
 * The calls of the program that look at pending signals or take them
 * (sigpending, sigtimedwait, the reads of a signalfd for one of them) are
 * made once none is in transit, and made again if one began meanwhile
 * (limen_rt.transit_gen); an unblock lets them in at once and waits until
 * none is (limen_transit_unblock); sigsuspend and its kin and execve wait
 * first. The path of other calls has one load (dispatch.c, run) and a
 * test. The waits are bounded (a thread stopped in the window, by SIGSTOP
 * or a debugger, would hold it for as long): then the call goes on.
 *
 * Not covered: the moment between the kernel's dequeue in a thread that
 * really let the signal in and that thread's first instruction of the
 * handler, outside limen_transit_setmask (the kill's own wait,
 * limen_group_settle, goes beyond it for the sender), and a read of a
 * signalfd inherited through execve. A fork child has none in transit
 * (the forking thread holds none: a held signal keeps its call from being
 * made; the other threads are not copied).
 */
#include <errno.h>
#include <sys/syscall.h>
#include <time.h>

#include "raw.h"
#include "rt.h"

#define TRANSIT_SPINS 16          /* sched_yield rounds first: the holder
				     runs on another CPU, its re-queue
				     takes microseconds */
#define TRANSIT_WAIT_NS 2000000L  /* then waits of 2 ms at most */
#define TRANSIT_ROUNDS 50         /* 100 ms in all: a holder stopped */
#define LOOK_TRIES 8              /* looks made again at most */
/* limen_rt.owned_transit: the count, and this flag: the image made a
 * signalfd for one of the signals (its reads are watched too) */
#define TRANSIT_SFD 0x80000000u
#define TRANSIT_COUNT (~TRANSIT_SFD)

/* In transit, held by threads other than this one */
static uint32_t others(void)
{
	return (__atomic_load_n(&limen_rt.owned_transit, __ATOMIC_SEQ_CST) &
		TRANSIT_COUNT) - limen_tls.transit;
}

static uint32_t gen_now(void)
{
	return __atomic_load_n(&limen_rt.transit_gen, __ATOMIC_SEQ_CST);
}

static void transit_add(void)
{
	__atomic_add_fetch(&limen_rt.owned_transit, 1, __ATOMIC_SEQ_CST);
	__atomic_add_fetch(&limen_rt.transit_gen, 1, __ATOMIC_SEQ_CST);
}

static void transit_sub(uint32_t n)
{
	if (!n)
		return;
	/* under a filter of the program's nobody waits in futex
	   (limen_transit_wait) */
	if ((__atomic_sub_fetch(&limen_rt.owned_transit, n, __ATOMIC_SEQ_CST) &
	     TRANSIT_COUNT) == 0 && !limen_program_filtered())
		limen_sys3(SYS_futex, &limen_rt.owned_transit,
			   FUTEX_WAKE_PRIVATE_, 0x7fffffff);
}

/* The handler of sig starts: 1 if it counts as in transit (one of
 * limen's fault signals, sent, which this thread's view blocks). */
int limen_transit_enter(int sig, const siginfo_t *si)
{
	uint64_t bit = LIMEN_SIGBIT(sig);

	if (!(LIMEN_FAULT_BITS & bit) || si->si_code > 0 ||
	    !limen_owned_blocked(sig))
		return 0;
	limen_tls.transit++;
	transit_add();
	return 1;
}

/* The handler that counted sig (limen_transit_enter gave counted) ends:
 * the signal is back in a queue or the program's, unless it is held
 * (deferred) for deliver_held, which drops it then. */
void limen_transit_leave(int counted, int sig)
{
	if (counted && !(limen_tls.deferred & LIMEN_SIGBIT(sig)) &&
	    limen_tls.transit) {
		limen_tls.transit--;
		transit_sub(1);
	}
}

/* Every signal this thread held has been dealt with (deliver_held,
 * limen_requeue_held). */
void limen_transit_drop(void)
{
	uint32_t n = limen_tls.transit;

	limen_tls.transit = 0;
	transit_sub(n);
}

/* The child of a fork: no thread of its own holds one. */
void limen_transit_forked(void)
{
	limen_tls.transit = 0;
	__atomic_and_fetch(&limen_rt.owned_transit, TRANSIT_SFD,
			   __ATOMIC_SEQ_CST);
}

/* Until no other thread holds one of limen's fault signals in transit
 * (bounded: see the top). */
void limen_transit_wait(void)
{
	struct timespec ts = { 0, TRANSIT_WAIT_NS };
	uint32_t seen;

	/* a filter of the program's may refuse or kill at sched_yield and
	   futex, which it never makes (tests/syscalls/
	   own_calls_under_filter.t, threads): pauses, some 20 ns each, for
	   as long at most */
	if (limen_program_filtered()) {
		for (long i = 0; i < TRANSIT_ROUNDS * TRANSIT_WAIT_NS / 20 &&
				 others();
		     i++)
			__builtin_ia32_pause();
		return;
	}
	for (int i = 0; i < TRANSIT_SPINS && others(); i++)
		limen_sys0(SYS_sched_yield);
	for (int i = 0; i < TRANSIT_ROUNDS; i++) {
		seen = __atomic_load_n(&limen_rt.owned_transit,
				       __ATOMIC_SEQ_CST);
		if ((seen & TRANSIT_COUNT) == limen_tls.transit)
			return;
		limen_sys4(SYS_futex, &limen_rt.owned_transit,
			   FUTEX_WAIT_PRIVATE_, seen, &ts);
	}
}

/* The program sends one of the signals to its own process (group_signal.c,
 * limen_hook_kill): a transit may begin. */
void limen_transit_sent(void)
{
	__atomic_add_fetch(&limen_rt.transit_gen, 1, __ATOMIC_SEQ_CST);
}

/* None held by another thread now? (limen_group_settle) */
int limen_transit_none(void)
{
	return !others();
}

/*
 * limen sets back a mask it had widened for a moment (every signal
 * blocked around a clone, a new thread's start, a thread's end): one of
 * its fault signals that this thread's view blocks, waiting in the
 * process's queue meanwhile, comes to this thread as the call returns,
 * and its handler counts it, but the kernel has taken it from the queue
 * before that, and the thread may be preempted in between. So the call
 * counts as a transit itself (the process-wide count only: a thread that
 * shares its creator's TLS may make it).
 */
long limen_transit_setmask(const uint64_t *mask, uint64_t *old)
{
	int opens = !!(limen_tls.vblock & LIMEN_FAULT_BITS & ~*mask);
	long r;

	if (opens)
		transit_add();
	r = limen_sys4(SYS_rt_sigprocmask, SIG_SETMASK, mask, old, 8);
	if (opens)
		transit_sub(1);
	return r;
}

/*
 * The program sets a mask view that blocks fault signals of limen's not
 * pinned here (owned.c): the real mask would let them in. One of them that
 * waits in the queue now (this thread really blocks it for the moment: a
 * new thread's start, a mask glibc widened around a clone, a handler's)
 * stays there, pinned, rather than come to this thread and go back: a
 * thread that found it pending a moment ago would miss it meanwhile.
 * Returns those to pin. A system call only for a view that blocks an
 * unpinned one of them, in a process where one of them was sent (a
 * transit began, or the program sent one to itself: transit_gen): a mask
 * that blocks every signal (glibc's around a clone) is common.
 */
uint64_t limen_transit_parked(uint64_t view)
{
	uint64_t want = view & LIMEN_FAULT_BITS & ~limen_tls.pinned, pend;

	if (!want || !__atomic_load_n(&limen_rt.transit_gen, __ATOMIC_RELAXED) ||
	    limen_tls.strict ||
	    limen_sys2(SYS_rt_sigpending, &pend, 8) < 0 || !(pend & want))
		return 0;
	if (pend & want & LIMEN_SIGBIT(SIGTRAP))
		limen_rewrite_trap_pinned(); /* before it is really blocked */
	return pend & want;
}

/*
 * The program's signalfd or signalfd4 (a), before the call (dispatch.c's
 * run, which then makes it, the user events' way or its own): one for a
 * fault signal of
 * limen's has its reads watched too. They are lean calls at a rewritten
 * site (lean.c), which never reach run(): this image makes them the slow
 * way from then on, as it does for user_events files (a signalfd
 * inherited through execve is not known to the new image).
 */
void limen_transit_signalfd(const long *a)
{
	uint64_t mask;

	/* before the call: before the descriptor reaches the program */
	if (a[2] == 8 && limen_safe_read(&mask, (uint64_t)a[1], 8) == 8 &&
	    (mask & LIMEN_FAULT_BITS)) {
		__atomic_or_fetch(&limen_rt.owned_transit, TRANSIT_SFD,
				  __ATOMIC_SEQ_CST);
		limen_lean_fd_off();
	}
}

/*
 * A look at the pending signals: made again if a transit was under way
 * or began meanwhile (limen_rt.transit_gen; a thread opening its mask
 * lets the kernel dequeue one before its handler counts it), once none
 * is, a few times at most. again: the result that may have missed one.
 */
static long look(long nr, const long *a, int (*again)(long r))
{
	uint32_t gen;
	long r = 0;

	for (int i = 0; i < LOOK_TRIES; i++) {
		gen = gen_now();
		if (others())
			limen_transit_wait();
		r = limen_app_syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
		if (!again(r) || (!others() && gen_now() == gen))
			break;
	}
	return r;
}

static int found_none(long r)
{
	return r == -EAGAIN;
}

static int always(long r)
{
	return r >= 0;
}

/* The program's sigpending (set: 8 bytes of limen's). */
long limen_transit_sigpending(uint64_t *set)
{
	long a[6] = { (long)set, 8 };

	return look(SYS_rt_sigpending, a, always);
}

/*
 * The program unblocks fault signals of limen's (bits) that its view
 * blocked: one pending is delivered before the call returns, bare. One
 * pinned here goes at our rt_sigreturn; but one that another thread holds
 * in transit, or takes from the queue before then, would come back to the
 * queue after it. So they are unblocked at once, here in limen's code
 * (one that comes is held, and delivered on the way out, signals.c), and
 * this thread waits until no other holds one: each goes back to the queue
 * while this thread takes it, and so comes here before the call returns.
 * Nothing to do in a process where none was sent (transit_gen).
 */
void limen_transit_unblock(uint64_t bits)
{
	bits &= LIMEN_FAULT_BITS;
	if (!bits || !gen_now() || limen_tls.strict)
		return;
	limen_sys4(SYS_rt_sigprocmask, SIG_UNBLOCK, &bits, 0, 8);
	if (others())
		limen_transit_wait();
}

/* Calls that take pending signals or unblock them, before they are made
 * (dispatch.c, run, when limen_rt.owned_transit is not 0): wait until no
 * other thread holds one in transit. */
void limen_transit_call(long nr)
{
	switch (nr) {
	case SYS_rt_sigprocmask:
	case SYS_rt_sigsuspend:
	case SYS_ppoll:
	case SYS_pselect6:
	case SYS_epoll_pwait:
	case SYS_epoll_pwait2:
	case SYS_execve:
	case SYS_execveat:
		if (others())
			limen_transit_wait();
		break;
	default:
		break;
	}
}

/* The call itself (dispatch.c, run): sigtimedwait, and the reads of an
 * image with a signalfd for one of the signals (which descriptor is one
 * is not known here: a read that finds nothing is made again), that
 * found none are made again if a transit met them. */
long limen_transit_made(long nr, const long *a)
{
	if (nr == SYS_rt_sigtimedwait ||
	    ((nr == SYS_read || nr == SYS_readv) &&
	     (__atomic_load_n(&limen_rt.owned_transit, __ATOMIC_RELAXED) &
	      TRANSIT_SFD)))
		return look(nr, a, found_none);
	return limen_app_syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}
