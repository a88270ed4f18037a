/* SPDX-License-Identifier: MIT */
/*
 * The runtime's own descriptors, out of the program's sight.
 *
 * The runtime keeps no descriptor (init.c), but some of its work needs
 * one for a moment: /proc/self/mem to write a rewritten site,
 * /proc/self/maps to ask about its mapping, /proc/self/stat or status, a
 * new thread's ring through the collector's memfd. A descriptor takes the
 * lowest free number of the process's table. With one thread nobody else
 * can be given a number meanwhile, and the numbers the program gets
 * afterwards are as bare. With other threads sharing the table, one of
 * them opening a file during that moment gets the next number instead of
 * the one it gets bare (POSIX promises the lowest): a perl thread's
 * open("/etc/passwd") returned 4 where bare returns 3, in 17 runs of 20
 * (tests/oracle/strace_seq.t), and tests/syscalls/fd_lowest.t saw
 * thousands of opens shifted in one run.
 *
 * So while the table may be shared, such work runs in a helper: a thread
 * of the process (the same memory: its mappings, its /proc/self) with a
 * copy of the table of its own (clone without CLONE_FILES), which the
 * program's threads never see. The caller waits for it (CLONE_VFORK: it
 * resumes when the helper exits) and the helper runs on the caller's own
 * stack below the caller's frames, which nothing touches meanwhile.
 *   - CLONE_UNTRACED: a debugger or strace -f following the program gets
 *     no event for it and does not trace it;
 *   - every signal the kernel may send to the process is blocked in it
 *     (it could otherwise be chosen to run the program's handler), but
 *     the ones its own faults raise (limen_safe_read's recovery: safe.c);
 *   - it exits with SYS_exit: a thread's end, reaped by the kernel;
 *   - for the time it lives, /proc/self/status counts one thread more
 *     and /proc/self/task lists it: tens of microseconds, once a site is
 *     rewritten or a thread maps its ring, in a process that already has
 *     threads.
 * It costs a thread's start and end (about 30 us on one core here, more
 * when the kernel starts it on another). Where no thread can be made
 * (RLIMIT_NPROC, a cgroup's pids.max) the caller is told and decides.
 *
 * When the table may be shared: the process has had a second thread
 * since it was last known to have one (an exec's start, a fork child, a
 * count of 1 in /proc/self/stat), or a process made with CLONE_FILES
 * shares it. A thread is made only by a clone limen sees
 * (limen_aside_clone, from clone.c).
 */
#include <errno.h>
#include <linux/sched.h>
#include <signal.h>
#include <sys/syscall.h>

#include "raw.h"
#include "rt.h"

#ifndef CLONE_UNTRACED
#define CLONE_UNTRACED 0x00800000
#endif

#define ASIDE_FLAGS (CLONE_VM | CLONE_FS | CLONE_SIGHAND | CLONE_THREAD | \
		     CLONE_SYSVSEM | CLONE_VFORK | CLONE_UNTRACED)

static int alone;        /* one thread in the process */
static int files_shared; /* a process made with CLONE_FILES shares them */

/* What a helper runs, and what it returned. */
struct aside_call {
	long (*fn)(void *, int);
	void *arg;
	long ret;
};

/* clone's return in the caller; the helper calls limen_aside_body with c
   on the caller's stack below its frames, then SYS_exit (aside.S) */
long limen_aside_run(unsigned long flags, struct aside_call *c) LIMEN_HIDDEN;
void limen_aside_body(struct aside_call *c) LIMEN_HIDDEN;

void limen_aside_body(struct aside_call *c)
{
	/* a fault of its own lands on this stack, not at the top of the
	   caller's alternate one, which holds the caller's frames (refused,
	   EPERM, where this stack is that one: the frame then goes below) */
	stack_t off = { .ss_flags = SS_DISABLE };

	limen_sys2(SYS_sigaltstack, &off, 0);
	c->ret = c->fn(c->arg, 1);
}

void limen_aside_alone(void)
{
	__atomic_store_n(&alone, 1, __ATOMIC_RELEASE);
}

int limen_aside_is_alone(void)
{
	return __atomic_load_n(&alone, __ATOMIC_ACQUIRE);
}

int limen_aside_private(void)
{
	return __atomic_load_n(&alone, __ATOMIC_ACQUIRE) &&
	       !__atomic_load_n(&files_shared, __ATOMIC_ACQUIRE);
}

/* Before a clone of the program's (clone.c): a thread, or a process that
   shares the table. */
void limen_aside_clone(uint64_t flags)
{
	if (flags & CLONE_THREAD)
		__atomic_store_n(&alone, 0, __ATOMIC_SEQ_CST);
	else if (flags & CLONE_FILES)
		__atomic_store_n(&files_shared, 1, __ATOMIC_SEQ_CST);
}

/* A fork child (clone.c, child_setup): its one thread, and a table of
   its own unless CLONE_FILES. */
void limen_aside_forked(uint64_t flags)
{
	__atomic_store_n(&alone, 1, __ATOMIC_RELEASE);
	__atomic_store_n(&files_shared, !!(flags & CLONE_FILES),
			 __ATOMIC_RELEASE);
}

int limen_aside(long (*fn)(void *, int), void *arg, long *ret)
{
	struct aside_call c = { fn, arg, -ENOSYS };
	/* all but the faults of its own: SIGSEGV, SIGBUS (limen_safe_read) */
	uint64_t held = ~((1ull << (SIGSEGV - 1)) | (1ull << (SIGBUS - 1)));
	uint64_t old;
	long r;

	if (limen_aside_private()) {
		*ret = fn(arg, 0);
		return 0;
	}
	limen_sys4(SYS_rt_sigprocmask, SIG_SETMASK, &held, &old, 8);
	r = limen_aside_run(ASIDE_FLAGS, &c);
	limen_sys4(SYS_rt_sigprocmask, SIG_SETMASK, &old, 0, 8);
	if (r < 0)
		return (int)r;
	*ret = c.ret;
	return 0;
}
