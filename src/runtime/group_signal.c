/* SPDX-License-Identifier: MIT */
/*
 * A signal sent to the whole process must reach the thread the kernel
 * would give it to without limen. For a kill() the kernel tries the thread
 * group's leader first (kernel/signal.c, complete_signal): a leader that
 * does not block the signal, is not exiting and is asleep (or running)
 * gets it, and is woken; no other thread looks at the signal, since no
 * other thread's TIF_SIGPENDING is set.
 *
 * Under limen every trapped call of another thread is a signal of its
 * own: Syscall User Dispatch queues a SIGSYS to the thread, and the
 * kernel's way back to user space, having delivered it, finds the
 * process's queue still holding the leader's signal, which this thread
 * does not block (dequeue_signal's recalc_sigpending looks at the
 * process's queue too), and delivers that as well, on top of the fresh
 * SIGSYS frame. The thread that kill()ed its process makes its next call
 * at once, before the leader has woken up: it took the signal.
 *
 * Such a signal arrives at the first instruction of limen_sigsys. When it
 * is one sent to the process (SI_USER: kill; SIGCHLD) and the leader would
 * take it (/proc/self/status: not exiting, not blocking it), it goes back
 * to the process's queue (limen_group_queue) while this thread blocks it,
 * so that the kernel hands it to the leader (or another thread that takes
 * it), as it did when it was sent. This thread blocks it until its call
 * returns to the program (limen_group_ride_done), and there, should it
 * still be pending (the leader woken but not yet run: a call as short as
 * a futex wake is over first), waits until a thread has taken it
 * (limen_group_taken), as a bare thread would never have looked at it.
 * The wait is bounded (GROUP_WAIT_ROUNDS of GROUP_WAIT_NS): a leader that
 * blocks the signal meanwhile, or is stopped, or whose view blocks one of
 * limen's own signals (it passes that on in turn, signals.c: pin) leaves
 * it to this thread, which takes it as the kernel's unblocking would.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include <time.h>

#include "raw.h"
#include "rt.h"

#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#define PIDFD_SELF_THREAD (-10000)     /* Linux 6.15: the calling thread */
#define PIDFD_THREAD O_EXCL            /* Linux 6.9: a thread's pidfd */
#define PIDFD_SIGNAL_THREAD_GROUP 2u   /* Linux 6.9: to its process */
#define SYS_USER_DISPATCH_CODE 2
#define CLD_FIRST 1                    /* CLD_EXITED .. CLD_CONTINUED */
#define CLD_LAST 6
#define STATUS_LINE 80
#define GROUP_WAIT_NS 20000000L    /* one wait: 20 ms at most */
#define GROUP_WAIT_ROUNDS 4        /* waits (a take of another signal, or
				      one passed on again, ends one) */

/*
 * Queue info to the process's queue, whoever sent it: the kernel lets a
 * thread give any siginfo only to itself, and a pidfd of the calling
 * thread with PIDFD_SIGNAL_THREAD_GROUP is itself with the process's
 * scope (rt_sigqueueinfo does the same only from the leader). 0 or
 * -errno (-EINVAL before Linux 6.9).
 */
long limen_group_queue(int sig, const void *info)
{
	long r, fd;

	r = limen_sys4(SYS_pidfd_send_signal, PIDFD_SELF_THREAD, sig, info,
		       PIDFD_SIGNAL_THREAD_GROUP);
	if (r != -EBADF)
		return r;
	/* 6.9 to 6.14: a descriptor for the time of the call */
	fd = limen_sys2(SYS_pidfd_open, limen_sys0(SYS_gettid), PIDFD_THREAD);
	if (fd < 0)
		return fd;
	r = limen_sys4(SYS_pidfd_send_signal, fd, sig, info,
		       PIDFD_SIGNAL_THREAD_GROUP);
	limen_sys1(SYS_close, fd);
	return r;
}

static int starts(const char *line, const char *key)
{
	while (*key)
		if (*line++ != *key++)
			return 0;
	return 1;
}

/* The mask of a "SigBlk:\t..." line */
static uint64_t sigblk(const char *line)
{
	const char *p = line + 8;

	return limen_proc_num(&p, 16);
}

/* One line of the leader's /proc status: 1 if it rules the leader out. */
static int rules_out(const char *line, uint64_t bit)
{
	if (starts(line, "State:\t"))
		/* exiting (zombie, dead), stopped or traced: passed over */
		return line[7] != 'S' && line[7] != 'R' && line[7] != 'D';
	if (starts(line, "SigBlk:\t"))
		return !!(sigblk(line) & bit);
	return 0;
}

struct scan {
	const char *path;
	int (*fn)(const char *line, uint64_t bit);
	uint64_t bit;
};

static long scan_lines(void *arg, int helper)
{
	const struct scan *sc = arg;
	char buf[256], line[STATUS_LINE];
	uint32_t n = 0;
	int r = 0;
	long fd, got;

	(void)helper;
	fd = limen_sys3(SYS_open, sc->path, O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	while (!r && (got = limen_sys3(SYS_read, fd, buf, sizeof(buf))) > 0) {
		for (long i = 0; i < got && !r; i++) {
			if (buf[i] != '\n') {
				if (n < sizeof(line) - 1)
					line[n++] = buf[i];
				continue;
			}
			line[n] = 0;
			n = 0;
			r = sc->fn(line, sc->bit);
		}
	}
	limen_sys1(SYS_close, fd);
	return r;
}

/* The lines of a /proc status file (path), read in small pieces (the
 * signal path's stack stays small), each given to fn with bit until it
 * returns nonzero: that value, 0 at the end, -1 if path cannot be read
 * (aside where other threads share the descriptors: aside.c). */
static int status_scan(const char *path,
		       int (*fn)(const char *line, uint64_t bit), uint64_t bit)
{
	struct scan sc = { path, fn, bit };
	long r;

	limen_aside(scan_lines, &sc, &r);
	return (int)r;
}

/* Would the kernel give sig to the thread group's leader? */
static int leader_takes(int sig)
{
	return status_scan("/proc/self/status", rules_out,
			   LIMEN_SIGBIT(sig)) == 0;
}

/* Sent to the process as a whole: kill(), or a child's SIGCHLD. */
static int to_process(int sig, const siginfo_t *si)
{
	if (si->si_code == SI_USER)
		return 1;
	return sig == SIGCHLD && si->si_code >= CLD_FIRST &&
	       si->si_code <= CLD_LAST;
}

/* Back to the process's queue: one the process sent itself as a kill() of
 * ours (the same siginfo; the kernel tries the leader first, as it did),
 * any other through limen_group_queue. 1 if it went. */
static int to_process_again(int sig, const siginfo_t *si)
{
	long pid = limen_sys0(SYS_getpid);

	if (si->si_code == SI_USER && si->si_pid == pid &&
	    limen_sys2(SYS_kill, pid, sig) == 0)
		return 1;
	return limen_group_queue(sig, si) == 0;
}

/*
 * sig arrived at k (our wrapper's frame). If it rode on a trap's SIGSYS
 * (see the top) and the leader would take it, pass it back to the process
 * and return 1; k's rt_sigreturn goes on into limen_sigsys with it blocked.
 */
int limen_group_ride(int sig, const siginfo_t *si, ucontext_t *k)
{
	const greg_t *kg = k->uc_mcontext.gregs;
	const siginfo_t *sys_si;
	ucontext_t *sys;
	uint64_t bit = LIMEN_SIGBIT(sig), old;
	long nr;

	/* seccomp strict mode: no call but read, write and exit */
	if ((uintptr_t)kg[REG_RIP] != (uintptr_t)limen_sigsys ||
	    !to_process(sig, si) || limen_tls.strict)
		return 0;
	/* one of limen's fault signals this thread's program blocks: held
	   and then pinned (signals.c, deliver_held), so that it stays in
	   the process's queue while this thread really blocks it. Passed
	   on from here, it came back to this thread at the trap's
	   rt_sigreturn, and a thread that checked sigpending meanwhile
	   found nothing (groupsig.t, late) */
	if ((LIMEN_FAULT_BITS & bit) && limen_owned_blocked(sig))
		return 0;
	/* limen_sigsys's arguments: the trap's siginfo and frame */
	sys_si = (const siginfo_t *)(uintptr_t)kg[REG_RSI];
	sys = (ucontext_t *)(uintptr_t)kg[REG_RDX];
	if (sys_si->si_code != SYS_USER_DISPATCH_CODE)
		return 0;
	nr = sys->uc_mcontext.gregs[REG_RAX];
	/* a new image would start with it blocked */
	if (nr == SYS_execve || nr == SYS_execveat)
		return 0;
	if (limen_sys0(SYS_gettid) == limen_sys0(SYS_getpid) ||
	    !leader_takes(sig))
		return 0;
	/* limen's reads take process_vm_readv while a fault signal is
	   really blocked (safe.c), no site is patched with an int3 */
	limen_tls.rerouted |= bit;
	limen_tls.rerouted_uc = sys;
	if (sig == SIGTRAP)
		limen_rewrite_trap_pinned();
	limen_sys4(SYS_rt_sigprocmask, SIG_BLOCK, &bit, &old, 8);
	if (!to_process_again(sig, si)) {
		/* no way back (Linux < 6.9): taken here, as before */
		limen_sys4(SYS_rt_sigprocmask, SIG_SETMASK, &old, 0, 8);
		limen_tls.rerouted &= ~bit;
		return 0;
	}
	*(uint64_t *)&k->uc_sigmask |= bit;
	return 1;
}

/* A thread took a signal (signals.c, take): wake those that wait for the
 * one they passed on to be taken. */
void limen_group_taken(void)
{
	if (!__atomic_load_n(&limen_rt.group_waiters, __ATOMIC_ACQUIRE))
		return;
	__atomic_add_fetch(&limen_rt.group_taken, 1, __ATOMIC_RELEASE);
	limen_sys3(SYS_futex, &limen_rt.group_taken, FUTEX_WAKE_PRIVATE_,
		   0x7fffffff);
}

/* Until none of bits is pending (this thread blocks them: rt_sigpending
 * sees the process's queue), or a signal for this thread came (held: the
 * program takes it on the way out), or the time is up (rounds of ns). */
static void wait_taken_for(uint64_t bits, long ns, int rounds)
{
	struct timespec ts = { 0, ns };
	uint64_t pend;
	uint32_t seen;

	__atomic_add_fetch(&limen_rt.group_waiters, 1, __ATOMIC_ACQ_REL);
	for (int i = 0; i < rounds; i++) {
		/* read before the check: a take after it changes the word,
		   and the wait returns at once */
		seen = __atomic_load_n(&limen_rt.group_taken, __ATOMIC_ACQUIRE);
		if (limen_sys2(SYS_rt_sigpending, &pend, 8) < 0 ||
		    !(pend & bits) || limen_tls.deferred)
			break;
		if (limen_sys4(SYS_futex, &limen_rt.group_taken,
			       FUTEX_WAIT_PRIVATE_, seen, &ts) == -ETIMEDOUT)
			break;
	}
	__atomic_sub_fetch(&limen_rt.group_waiters, 1, __ATOMIC_ACQ_REL);
}

static void wait_taken(uint64_t bits)
{
	wait_taken_for(bits, GROUP_WAIT_NS, GROUP_WAIT_ROUNDS);
}

/* rt.h: a helper's caller (aside.c), every signal blocked: until none of
   bits is pending, as long as a rider waits for its signal's taker (1 ms
   was too short on a loaded machine: the leader, woken, had not run yet,
   and the caller took the signal, groupsig_target.t, 1 run in 20) */
void limen_group_wait_taken(uint64_t bits)
{
	wait_taken(bits);
}

/* The trap whose frame is uc returns to the program: its rt_sigreturn
 * installs the program's mask, which unblocks what was passed on. */
void limen_group_ride_done(const ucontext_t *uc)
{
	if (limen_tls.rerouted_uc != uc)
		return;
	wait_taken(limen_tls.rerouted);
	limen_tls.rerouted = 0;
	limen_tls.rerouted_uc = 0;
}

/* A SigBlk line: 1 if it has bit, 2 if not (status_scan stops there). */
#define SIGBLK_CLEAR 2
static int sigblk_has(const char *line, uint64_t bit)
{
	if (!starts(line, "SigBlk:\t"))
		return 0;
	return (sigblk(line) & bit) ? 1 : SIGBLK_CLEAR;
}

struct takes {
	uint64_t bit;
	long me;
};

/* limen_proc_numbers over /proc/self/task: stops at a thread other than
 * this one (t->me) that does not block t->bit (a thread gone, or whose
 * status has no mask, takes nothing). A helper that lists them for it
 * (aside.c) is no thread of the program's. */
static int thread_takes(void *tp, long tid, const char *name, long dir)
{
	const struct takes *t = tp;
	char path[48];

	(void)dir;
	if (tid == t->me || tid == limen_sys0(SYS_gettid))
		return 0;
	limen_task_path(path, sizeof(path), name, "/status");
	return status_scan(path, sigblk_has, t->bit) == SIGBLK_CLEAR;
}

/* Does every other thread of the process really block bit? */
static int others_block(uint64_t bit)
{
	struct takes t = { bit, limen_sys0(SYS_gettid) };

	return limen_proc_numbers("/proc/self/task", thread_takes, &t) == 0;
}

/*
 * An owned signal (SIGSEGV, SIGBUS, SIGTRAP) sent to the process while this
 * thread's view blocks it went back to the process's queue (signals.c,
 * requeue_pinned). The kernel may hand it to another thread that blocks it
 * only in its view (limen's own signals are never really blocked there),
 * which passes it back in turn: between the two, it is in no queue, and a
 * sigpending or an unblock of this thread's would miss it, where without
 * limen it would simply wait in the process's queue. So this thread waits
 * until it is parked (pending, every other thread really blocking it) or
 * taken by the program (a handler, a sigwaitinfo: limen_group_owned_taken),
 * SETTLE_ROUNDS waits at most, each ended early by a take or a pass.
 */
#define SETTLE_NS 4000000L  /* one wait: 4 ms */
#define SETTLE_ROUNDS 50
void limen_group_settle(int sig)
{
	struct timespec ts = { 0, SETTLE_NS };
	uint64_t bit = LIMEN_SIGBIT(sig), nthreads = 0, pend;
	uint32_t seen, taken;

	if (limen_self_stat(20, &nthreads) < 0 || nthreads <= 1)
		return;
	__atomic_add_fetch(&limen_rt.group_waiters, 1, __ATOMIC_ACQ_REL);
	taken = __atomic_load_n(&limen_rt.owned_taken, __ATOMIC_ACQUIRE);
	for (int i = 0; i < SETTLE_ROUNDS; i++) {
		/* read before the checks: a take or a pass after them
		   changes the word, and the wait returns at once */
		seen = __atomic_load_n(&limen_rt.group_taken, __ATOMIC_ACQUIRE);
		if (__atomic_load_n(&limen_rt.owned_taken, __ATOMIC_ACQUIRE) !=
			    taken ||
		    limen_sys2(SYS_rt_sigpending, &pend, 8) < 0 ||
		    ((pend & bit) && limen_transit_none() && others_block(bit)))
			break;
		limen_sys4(SYS_futex, &limen_rt.group_taken,
			   FUTEX_WAIT_PRIVATE_, seen, &ts);
	}
	__atomic_sub_fetch(&limen_rt.group_waiters, 1, __ATOMIC_ACQ_REL);
}

/* The program took one of limen's fault signals: wake the settlers. */
void limen_group_owned_taken(void)
{
	__atomic_add_fetch(&limen_rt.owned_taken, 1, __ATOMIC_RELEASE);
	limen_group_taken();
}

/* Does a kill() or rt_sigqueueinfo() to pid reach this process? */
static int reaches_self(long pid)
{
	if (pid == 0 || pid == -1 || pid == limen_sys0(SYS_getpid))
		return 1;
	return pid < -1 && -pid == limen_sys0(SYS_getpgrp);
}

/*
 * kill and rt_sigqueueinfo of the program. One of limen's fault signals
 * sent to its own process: the calling thread blocks it first if its
 * view does (limen_pin_sent), and the call returns once the signal is
 * parked in the process's queue or taken (limen_group_settle), as the
 * kernel has it pending or delivered when a bare kill() returns.
 */
long limen_hook_kill(long nr, const long *a)
{
	int sig = (int)a[1];
	long r;

	if (sig <= 0 || sig > 64 || !(LIMEN_FAULT_BITS & LIMEN_SIGBIT(sig)) ||
	    !reaches_self(a[0]))
		return limen_app_syscall(nr, a[0], a[1], a[2], a[3], a[4],
					 a[5]);
	limen_transit_sent(); /* owned_transit.c */
	limen_pin_sent(sig);
	r = limen_app_syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	if (r == 0)
		limen_group_settle(sig);
	return r;
}
