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
 * program's threads never see (limen_aside).
 *   - It runs on a stack of its own (mapped for it, a guard page, not
 *     inherited by a fork), and shares the caller's TLS: limen_tls.aside
 *     holds the caller's tid while it lives, aside_self the caller's
 *     /proc/thread-self link. A thread whose tid is not limen_tls.aside
 *     is the helper; the caller itself, handling a signal while it waits,
 *     makes another helper if it needs one.
 *   - The caller waits on the word CLONE_CHILD_CLEARTID clears, a futex
 *     wait that a stop stops and a signal interrupts (CLONE_VFORK's wait
 *     takes no part in a group stop: a ^Z left the program half
 *     stopped), then until the helper has left the thread group (a
 *     program's unshare of a user namespace is refused while it is in).
 *   - CLONE_UNTRACED: a debugger or strace -f following the program gets
 *     no event for it and does not trace it.
 *   - Every signal is blocked in it (the caller blocks them all around
 *     the clone): the kernel never chooses it for one sent to the
 *     process (to run the program's handler, or limen's for the
 *     program's SIGSEGV with the caller's TLS); so it reads the program's
 *     memory with process_vm_readv, never with the plain loads whose
 *     faults limen's handler recovers (safe.c, direct_ok).
 *   - It closes its copy of the table before SYS_exit (the kernel wakes
 *     the caller before it would release the files), and shares no
 *     fs_struct.
 *   - For the time it lives, /proc/self/status counts one thread more,
 *     /proc/self/task lists it, its stack is a mapping, and its copy of
 *     the table holds the files open then: tens of microseconds.
 * It costs a thread's start and end (about 30 us on one core here, more
 * when the kernel starts it on another, more with a large table). Where
 * no helper can be made (a seccomp filter of the program's, which could
 * kill for the clone; a thread sharing its TLS; RLIMIT_NPROC, pids.max,
 * no memory) the work is done in place, as before.
 *
 * When the table may be shared: the process has had a second thread
 * since it was last known to have one (an exec's start, a fork child, a
 * count of 1 in /proc/self/stat), or a process made with CLONE_FILES
 * shares it. A thread is made only by a clone limen sees
 * (limen_aside_clone, from clone.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "raw.h"
#include "rt.h"

#ifndef CLONE_UNTRACED
#define CLONE_UNTRACED 0x00800000
#endif

/* Not CLONE_FILES (the point), nor CLONE_FS (a helper still exiting
   would hold the caller's fs_struct shared: the program's unshare or
   setns of a user namespace right after would fail), nor CLONE_VFORK (its
   wait takes no part in a group stop: a ^Z while a helper ran left the
   program half stopped; and a debugger got PTRACE_EVENT_VFORK_DONE). */
#define ASIDE_FLAGS (CLONE_VM | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM | \
		     CLONE_UNTRACED | CLONE_CHILD_CLEARTID)
#define ASIDE_STACK (64u << 10)
#define ASIDE_GUARD 4096u
#define FUTEX_WAIT_ 0 /* shared: CLONE_CHILD_CLEARTID's wake is */
#define ASIDE_GONE_TRIES 1000

static int alone;        /* one thread in the process */
static int files_shared; /* a process made with CLONE_FILES shares them */
static int filtered;     /* the program installed a seccomp filter */

/* What a helper runs, and what it returned. */
struct aside_call {
	long (*fn)(void *, int);
	void *arg;
	long ret;
};

/* clone's return in the caller; the helper calls limen_aside_body with c
   on stack_top, then SYS_exit (aside.S) */
long limen_aside_run(unsigned long flags, struct aside_call *c,
		     void *stack_top, uint32_t *tid_word) LIMEN_HIDDEN;
void limen_aside_body(struct aside_call *c) LIMEN_HIDDEN;

void limen_aside_body(struct aside_call *c)
{
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
	/* a vfork child has a table of its own (posix_spawn's: not
	   CLONE_FILES), whatever its parent's threads */
	return (__atomic_load_n(&alone, __ATOMIC_ACQUIRE) ||
		limen_tls.vfork_child) &&
	       !__atomic_load_n(&files_shared, __ATOMIC_ACQUIRE);
}

/* A helper may be made: not where a filter could kill the process for
 * its clone (a filter of the program's: installed in this image, or found
 * with the process, unless all it has are limen's environment's, read
 * when it could be without one: limen_seccomp_outer_known), nor in
 * seccomp's strict mode. */
static int helper_allowed(void)
{
	/* a thread that shares its TLS with another (a raw CLONE_VM thread
	   without CLONE_SETTLS) would share limen_tls.aside with it too */
	return !limen_tls.strict && !limen_rt.shared_tls &&
	       !__atomic_load_n(&filtered, __ATOMIC_ACQUIRE) &&
	       (!limen_seccomp_filtered() || limen_seccomp_outer_known());
}

struct proc_read {
	const char *path;
	char *buf;
	size_t size;
	int helper;
};

static long proc_read(void *arg, int helper);

/* The runtime's start (init.c): one thread, unless code that ran before
   it (a preloaded library's constructor, under LIMEN_LOADER=preload)
   made more, which /proc/self/stat says, read here in place: limen's
   loader knows it already. */
void limen_aside_start(void)
{
	char buf[512];
	struct proc_read r = { "/proc/self/stat", buf, sizeof(buf), 0 };
	const char *fields;
	long got;

	if (limen_aside_is_alone())
		return;
	got = proc_read(&r, 0);
	fields = got > 0 ? limen_stat_fields(buf, got) : 0;
	if (fields && limen_stat_field(fields, 20) == 1)
		limen_aside_alone();
}

/* Before a clone of the program's (clone.c): a thread, or a process that
   shares the table, or a vfork child that does (a vfork child is taken
   for one with a table of its own: limen_aside_private). */
void limen_aside_clone(uint64_t flags)
{
	if (flags & CLONE_THREAD)
		__atomic_store_n(&alone, 0, __ATOMIC_SEQ_CST);
	if ((flags & CLONE_FILES) &&
	    (!(flags & CLONE_THREAD) || (flags & CLONE_VFORK)))
		__atomic_store_n(&files_shared, 1, __ATOMIC_SEQ_CST);
}

/* The program installs a seccomp filter (dispatch.c): it may kill at the
   clone of a helper, which it never makes itself. */
void limen_aside_filtered(void)
{
	__atomic_store_n(&filtered, 1, __ATOMIC_RELEASE);
}

/*
 * A filter of the program's own may be on (one this image installed, or
 * one found with the process that is not limen's environment's): a call
 * limen would make of its own accord could be refused or kill the
 * process, where without limen nothing would. The per-call paths then
 * make none (ring.c's wait, fdinfo.c, kstack.c).
 */
int limen_program_filtered(void)
{
	return __atomic_load_n(&filtered, __ATOMIC_ACQUIRE) ||
	       (limen_seccomp_filtered() && !limen_seccomp_outer_only());
}

/* A fork child (clone.c, child_setup): its one thread, and a table of
   its own unless CLONE_FILES. */
void limen_aside_forked(uint64_t flags)
{
	__atomic_store_n(&alone, 1, __ATOMIC_RELEASE);
	__atomic_store_n(&files_shared, !!(flags & CLONE_FILES),
			 __ATOMIC_RELEASE);
}

/*
 * The caller blocks every signal while its helper lives (the helper is
 * born with that mask). A signal sent to the process meanwhile goes to
 * another thread, as it would have if this one had been busy; but the
 * kernel makes a thread that changes its mask, or clones, look at the
 * process's queue, and one pending there that the thread's mask lets
 * through is then its own: the other thread, woken for it, finds
 * nothing (a kill() from a thread whose next call was rewritten went to
 * that thread instead of the main one: tests/syscalls/groupsig_target.t).
 * So before the clone and before the mask is put back, while one is
 * pending that the old mask lets through, the caller waits a little for
 * another thread to take it (group_signal.c); one still there (its own,
 * or one nobody else takes) is then taken here, as it would have been.
 */
static void others_first(uint64_t old)
{
	uint64_t pend;

	if (limen_sys2(SYS_rt_sigpending, &pend, 8) == 0 && (pend & ~old))
		limen_group_wait_taken(pend & ~old);
}

void limen_aside(long (*fn)(void *, int), void *arg, long *ret)
{
	struct aside_call c = { fn, arg, -ENOSYS };
	uint64_t held = ~0ull, old;
	uint32_t tid_word = 1, v, outer = limen_tls.aside;
	long r, n, stack;

	/* in a helper already (the TLS is its caller's): here; but the
	   caller itself, in a handler while it waits, makes another */
	if (outer && (uint32_t)limen_sys0(SYS_gettid) != outer) {
		*ret = fn(arg, 1);
		return;
	}
	if (limen_aside_private()) {
		*ret = fn(arg, 0);
		return;
	}
	stack = helper_allowed() ?
			limen_sys6(SYS_mmap, 0, ASIDE_GUARD + ASIDE_STACK,
				   PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK |
					   MAP_NORESERVE,
				   -1, 0) :
			-EPERM;
	if (limen_is_err(stack)) {
		/* no helper to be had: here, a number shifted rather than
		   the work not done */
		*ret = fn(arg, 0);
		return;
	}
	limen_sys3(SYS_mprotect, stack, ASIDE_GUARD, PROT_NONE);
	/* a fork child of another thread has no helper to unmap it for */
	limen_sys3(SYS_madvise, stack, ASIDE_GUARD + ASIDE_STACK,
		   MADV_DONTFORK);
	/* the helper is born with every signal blocked (the caller's mask
	   at the clone), and keeps it */
	limen_sys4(SYS_rt_sigprocmask, SIG_SETMASK, &held, &old, 8);
	others_first(old);
	if (!outer) {
		n = limen_sys3(SYS_readlink, "/proc/thread-self",
			       limen_tls.aside_self,
			       sizeof(limen_tls.aside_self) - 1);
		limen_tls.aside_self[n > 0 ? n : 0] = 0;
	}
	limen_tls.aside = (uint32_t)limen_sys0(SYS_gettid);
	r = limen_aside_run(ASIDE_FLAGS, &c,
			    (void *)(stack + ASIDE_GUARD + ASIDE_STACK),
			    &tid_word);
	if (r < 0)
		tid_word = 0;
	others_first(old);
	/* back as around a clone of the program's: a fault signal sent to
	   the process that the mask lets through counts as in transit
	   (owned_transit.c) */
	limen_transit_setmask(&old, 0);
	/* until its exit clears the word: a wait that signals interrupt and
	   a stop stops, as the program's thread would be */
	while ((v = __atomic_load_n(&tid_word, __ATOMIC_ACQUIRE)))
		limen_sys6(SYS_futex, (long)&tid_word, FUTEX_WAIT_, v, 0, 0,
			   0);
	/* and until it has left the thread group, which it does after
	   that (exit_notify): the program's unshare(CLONE_NEWUSER) or
	   setns into a user namespace is refused while another thread
	   is in it (EINVAL), and it counts against RLIMIT_NPROC. Bounded:
	   its tid could be another thread's by then. */
	for (int i = 0; r > 0 && i < ASIDE_GONE_TRIES &&
			limen_sys3(SYS_tgkill, limen_sys0(SYS_getpid), r, 0) !=
				-ESRCH;
	     i++)
		limen_sys0(SYS_sched_yield);
	limen_tls.aside = outer; /* the helper it waited in a handler for
				    still runs for this thread */
	limen_sys2(SYS_munmap, stack, ASIDE_GUARD + ASIDE_STACK);
	*ret = r < 0 ? fn(arg, 0) : c.ret;
}

#define THREAD_SELF "/proc/thread-self/"

static long proc_read(void *arg, int helper)
{
	struct proc_read *r = arg;
	size_t k = sizeof(THREAD_SELF) - 1, n;
	const char *path = r->path;
	char task[64 + 256];
	long fd, got;

	r->helper = helper;
	if (helper && !limen_strncmp(path, THREAD_SELF, k)) {
		/* the helper's would be its own: the thread's it runs for,
		   as /proc names it (its link, read by limen_aside; none:
		   no /proc to read it in, nor this) */
		size_t m = limen_strlen(limen_tls.aside_self);
		char *q = task;

		n = limen_strlen(path + k);
		if (!m)
			return -ENOENT;
		if (n >= 256)
			return -ENAMETOOLONG;
		memcpy(q, "/proc/", 6);
		memcpy(q + 6, limen_tls.aside_self, m);
		q += 6 + m;
		*q++ = '/';
		memcpy(q, path + k, n + 1);
		path = task;
	}
	fd = limen_sys3(SYS_open, path, O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0)
		return fd;
	got = limen_sys3(SYS_read, fd, r->buf, r->size - 1);
	limen_sys1(SYS_close, fd);
	if (got >= 0)
		r->buf[got] = 0;
	return got;
}

long limen_proc_read(const char *path, char *buf, size_t size, int *helper)
{
	struct proc_read r = { path, buf, size, 0 };
	long got;

	*helper = 0;
	if (size < 1)
		return -EINVAL;
	limen_aside(proc_read, &r, &got);
	*helper = r.helper;
	return got;
}
