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
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
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

/*
 * ---- the other threads of a core ----
 *
 * The kernel dumps every thread's registers where it finds the thread
 * when the dumping one kills it. A thread blocked in a call limen made
 * for it (the full way's limen_app_syscall, a rewritten site's lean path)
 * sat in limen's code, whose pages the core leaves out (init.c) and whose
 * unwind information gdb does not have: its backtrace in the core was
 * "?? ()". So before a core-dumping signal takes its default action
 * (signals.c, die_at), the dying thread sends each other thread a SIGSYS
 * of its own (never really blocked, owned.c; from this process, SI_QUEUE,
 * with CORE_MAGIC while core_dumper says a gather is on), and each one in
 * such a call goes back to its own `syscall` and makes the call there,
 * natively (signals.c, limen_core_settle): blocked where the bare program
 * blocks. The dying thread waits for their answers, then until those
 * block again, each wait bounded (a thread that never answers, one
 * sleeping in a vfork, costs CORE_WAIT_MS and keeps limen's registers).
 * A thread in seccomp strict mode is not sent anything: its handler's
 * calls would kill it.
 */
#define CORE_MAGIC 0x6c696d656e636f72ull /* "limencor" */
#define CORE_WAIT_MS 200
#define CORE_ANSWER_MS 50

struct core_send {
	long me, pid;
	uint32_t sent;
	uint32_t waiting; /* core_look: threads not settled yet */
	int resend;       /* core_look: send the SIGSYS again */
};

/* the dying thread itself, or the helper that lists /proc/self/task for
   it (aside.c), which is no thread of the program's and never answers */
static int core_not_other(const struct core_send *c, long tid)
{
	return tid == c->me || tid == limen_sys0(SYS_gettid);
}

static int core_send_one(void *ctx, long tid, const char *name, long dir)
{
	struct core_send *c = ctx;
	char path[64], buf[2048];
	const char *v;
	siginfo_t si;

	(void)dir;
	if (core_not_other(c, tid))
		return 0;
	limen_task_path(path, sizeof(path), name, "/status");
	v = limen_status_value(path, "\nSeccomp:", buf, sizeof(buf));
	if (v && *v == '1') /* strict mode */
		return 0;
	memset(&si, 0, sizeof(si));
	si.si_signo = SIGSYS;
	si.si_code = SI_QUEUE;
	si.si_pid = (pid_t)c->pid;
	si.si_value.sival_ptr = (void *)(uintptr_t)CORE_MAGIC;
	if (limen_sys4(SYS_rt_tgsigqueueinfo, c->pid, tid, SIGSYS, &si) == 0)
		c->sent++;
	return 0;
}

/* Where the thread tid (its /proc name) is: CORE_OUT blocked in a call
 * outside limen's code, or gone; CORE_RUNNING not in a call; CORE_IN
 * blocked in limen's code */
#define CORE_OUT 0
#define CORE_RUNNING 1
#define CORE_IN 2
static int core_state(const char *name)
{
	char path[64], buf[256];
	const char *p = buf;
	uint64_t pc;
	int helper;
	long len;

	limen_task_path(path, sizeof(path), name, "/syscall");
	len = limen_proc_read(path, buf, sizeof(buf) - 1, &helper);
	if (len <= 0)
		return CORE_OUT; /* gone, or unreadable: nothing to wait for */
	buf[len] = 0;
	if (buf[0] < '0' || buf[0] > '9')
		return CORE_RUNNING; /* "running" */
	/* "nr a0 .. a5 sp pc": the last field */
	for (int f = 0; f < 8; f++)
		p = limen_proc_field(p);
	if (p[0] == '0' && p[1] == 'x')
		p += 2;
	pc = limen_proc_num(&p, 16);
	return pc >= limen_rt.text_lo && pc < limen_rt.text_hi ? CORE_IN :
								  CORE_OUT;
}

/* limen_proc_numbers over the other threads once the first answers are
 * in: one still blocked in limen's code is sent the SIGSYS again (it may
 * have been on its way into its call the first time, which the signal
 * did not find in flight); one that answered from limen's code or went
 * back to its `syscall`, and is not blocked yet, is waited for; one that
 * answered from the program's code is left to run */
static int core_look(void *ctx, long tid, const char *name, long dir)
{
	struct core_send *c = ctx;
	int st;
	uint32_t n;

	(void)dir;
	if (core_not_other(c, tid))
		return 0;
	st = core_state(name);
	if (st == CORE_IN) {
		c->waiting++;
		if (c->resend)
			core_send_one(ctx, tid, name, dir);
	} else if (st == CORE_RUNNING) {
		n = __atomic_load_n(&limen_rt.core_nmoved, __ATOMIC_ACQUIRE);
		for (uint32_t i = 0; i < n && i < LIMEN_CORE_TIDS; i++)
			if (__atomic_load_n(&limen_rt.core_moved[i],
					    __ATOMIC_ACQUIRE) == tid)
				c->waiting++;
	}
	return 0;
}

static uint64_t core_ms(void)
{
	struct timespec ts;

	limen_sys2(SYS_clock_gettime, 1 /* CLOCK_MONOTONIC */, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* 1 when the kernel will write a core at all: a process that may dump
   (PR_GET_DUMPABLE), with room for one (RLIMIT_CORE) or a pipe to send it
   to (core_pattern "|...", which ignores the limit unless it is 1): most
   shells' ulimit -c 0 dumps nothing, and the other threads are then left
   as they are, the process's death not held up */
static int core_will_dump(void)
{
	struct { uint64_t cur, max; } lim = { 0, 0 };
	char pat[8];
	long fd, n;

	if (limen_sys5(SYS_prctl, PR_GET_DUMPABLE, 0, 0, 0, 0) <= 0)
		return 0;
	if (limen_sys4(SYS_prlimit64, 0, RLIMIT_CORE, 0, &lim) == 0 &&
	    lim.cur > 1)
		return 1;
	fd = limen_sys3(SYS_open, "/proc/sys/kernel/core_pattern",
			O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0)
		return 1; /* not known: as if it did */
	n = limen_sys3(SYS_read, fd, pat, sizeof(pat));
	limen_sys1(SYS_close, fd);
	return n > 0 && pat[0] == '|' && lim.cur != 1;
}

void limen_core_gather(void)
{
	struct core_send c = { limen_sys0(SYS_gettid), limen_sys0(SYS_getpid),
			       0, 0, 0 };
	struct timespec ts = { 0, 2000000 };
	uint64_t end;
	uint32_t seen;
	int32_t none = 0;

	if (limen_tls.strict || !core_will_dump() ||
	    !__atomic_compare_exchange_n(&limen_rt.core_dumper, &none,
					 (int32_t)c.me, 0, __ATOMIC_ACQ_REL,
					 __ATOMIC_ACQUIRE))
		return;
	limen_proc_numbers("/proc/self/task", core_send_one, &c);
	/* the answers, for a part of the time: a helper thread of another
	   one's (aside.c) may take the SIGSYS and never answer, and the
	   rest of the time goes to the threads not settled yet */
	end = core_ms() + CORE_ANSWER_MS;
	while ((seen = __atomic_load_n(&limen_rt.core_answered,
				       __ATOMIC_ACQUIRE)) < c.sent &&
	       core_ms() < end)
		limen_sys4(SYS_futex, &limen_rt.core_answered,
			   FUTEX_WAIT_PRIVATE_, seen, &ts);
	end += CORE_WAIT_MS - CORE_ANSWER_MS;
	for (int round = 0; core_ms() < end; round++) {
		c.waiting = 0;
		c.resend = round % 4 == 3; /* every 8 ms */
		limen_proc_numbers("/proc/self/task", core_look, &c);
		if (!c.waiting)
			break;
		limen_sys2(SYS_nanosleep, &ts, 0);
	}
}

/* signals.c, limen_forward_sigsys: a SIGSYS of limen_core_gather's? */
int limen_core_answer(const siginfo_t *si, ucontext_t *k)
{
	int32_t tid = (int32_t)limen_sys0(SYS_gettid);
	uint32_t i, n;

	if (si->si_code != SI_QUEUE ||
	    (uint64_t)(uintptr_t)si->si_value.sival_ptr != CORE_MAGIC ||
	    !__atomic_load_n(&limen_rt.core_dumper, __ATOMIC_ACQUIRE) ||
	    si->si_pid != (pid_t)limen_sys0(SYS_getpid))
		return 0;
	/* watched: until blocked at its own `syscall`, or, in limen's
	   code still, until blocked there (sent the SIGSYS again) */
	if (limen_core_settle(k)) {
		n = __atomic_load_n(&limen_rt.core_nmoved, __ATOMIC_ACQUIRE);
		for (i = 0; i < n && i < LIMEN_CORE_TIDS; i++)
			if (__atomic_load_n(&limen_rt.core_moved[i],
					    __ATOMIC_ACQUIRE) == tid)
				break;
		if (i == n || i == LIMEN_CORE_TIDS)
			i = __atomic_fetch_add(&limen_rt.core_nmoved, 1,
					       __ATOMIC_ACQ_REL);
		if (i < LIMEN_CORE_TIDS)
			__atomic_store_n(&limen_rt.core_moved[i], tid,
					 __ATOMIC_RELEASE);
	}
	__atomic_add_fetch(&limen_rt.core_answered, 1, __ATOMIC_ACQ_REL);
	limen_sys3(SYS_futex, &limen_rt.core_answered, FUTEX_WAKE_PRIVATE_, 1);
	return 1;
}
