/* SPDX-License-Identifier: MIT */
/*
 * New threads and processes. Syscall User Dispatch is not inherited, so every
 * child arms it again before it runs a single instruction of the program.
 *
 *  - fork-like (no CLONE_VM, no new stack): the child returns from the raw
 *    call inside our handler, on its own copy of the stack: arm, register,
 *    return.
 *  - new stack (threads, posix_spawn, glibc's clone(fn, stack, SIGCHLD)):
 *    the child would start on an empty stack in the middle of our handler,
 *    so limen_clone_stub gives it a struct limen_child at its stack pointer
 *    (see place_child); limen_child_start arms, registers and jumps to the
 *    program with its registers.
 *  - CLONE_VM on our stack (vfork): see limen_vfork_stub.
 *
 * Signal stacks: a thread (CLONE_VM without CLONE_VFORK) gets none from the
 * kernel and maps its own before its first call. A CLONE_VM|CLONE_VFORK
 * child keeps ours, where its parent sleeps inside a SIGSYS frame: it is
 * given the thread's second area (vfork_area) instead, and never returns
 * through the parent's frames.
 *
 * A CLONE_VM child without CLONE_SETTLS shares our TLS. With CLONE_VFORK the
 * parent sleeps meanwhile, so the child may register (into the shared TLS)
 * and the parent puts its own state back afterwards; without it (a raw
 * thread), the child claims a slot without touching the TLS and from then
 * on every thread of the process checks the TLS against gettid (ring.c).
 */
#include <errno.h>
#include <linux/sched.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "core_signal.h"
#include "pkru.h"
#include "raw.h"
#include "rt.h"

#define CHILD_PAGE 4096ul
#ifdef LIMEN_GS_TLS
#define LIMEN_GS_SHARED 1 /* a CLONE_VM child has our %gs, whatever its TLS */
#else
#define LIMEN_GS_SHARED 0
#endif
#define PAGE_BYTES 4096ul
#define USER_TOP 0x7ffffffff000ull /* x86_64 TASK_SIZE with 4-level paging */
/* clone_args sizes the kernel accepts: at least version 0, at most a page */
#define CLONE_ARGS_SIZE_VER0 64

struct limen_child {
	uint64_t gregs[NGREG];
	uint64_t flags;
	uint64_t mask;          /* the program's, see set_mask */
	uint8_t *area;          /* a vfork child's signal stack */
	uint64_t vblock;        /* the parent's view, inherited with the mask */
	uint64_t ua_slot;       /* the uaccess slot's address, inherited as
				   the kernel's task copy would (uaccess.c) */
	struct limen_vsig *vsig; /* a vfork child's dispositions (vsig_own) */
	/* under a seccomp filter of the program's, a thread's ids from its
	   parent (ids_for_thread): the tid is the clone's result, stored
	   here by the parent once it has it; 0 in ids.pid: ask the kernel */
	struct limen_ids ids;
};

static void child_setup(uint64_t flags, uint32_t kind, uint8_t *area,
			struct limen_vsig *vsig, const struct limen_ids *ids,
			struct limen_kit *kit)
{
	int shares_tls = (flags & CLONE_VM) && !(flags & CLONE_SETTLS);
	int armed;

	/* first: everything below may read or reset the dispositions */
	if ((flags & CLONE_VM) && (flags & CLONE_VFORK))
		limen_tls.vsig_own = vsig;
	if (flags & CLONE_CLEAR_SIGHAND)
		limen_clear_sighand(!(flags & CLONE_VM) ||
				    (flags & CLONE_VFORK));
	/* refused by a filter of the program's: untraced, and counted
	   (limen_thread_unarmed) */
	armed = limen_arm() == 0;
	if (!armed && kit) {
		/* its %gs block may be this thread's already (CLONE_SETTLS,
		   limen_gs_block_use): it stays with it, never another's */
		kit->gs = 0;
		limen_ring_kit_return(kit);
	}
	if ((flags & CLONE_VM) && !(flags & CLONE_VFORK)) {
		/* without one, SIGSYS would land on the program's stack; a
		   kit's was mapped before the program's filter went on */
		uint8_t *m = kit && kit->slot >= 0 && kit->stack ?
				     kit->stack :
			     kit && (flags & CLONE_THREAD) &&
					     limen_ring_pooled() ?
				     0 :
				     limen_stack_map();

		if (m)
			limen_stack_install(m);
		limen_fast_stack(shares_tls ? 0 : m);
	} else if (flags & CLONE_VM) {
		limen_stack_install(area);
		/* the parent's, put back by restore_parent */
		limen_fast_stack(area);
	}
	if ((flags & CLONE_VM) && !(flags & CLONE_VFORK) && !shares_tls) {
		/* copy_process's sas_ss_reset: a thread starts with no
		   sigaltstack, its flags SS_DISABLE (a handler's uc_stack
		   shows them) */
		limen_tls.vstack.sp = 0;
		limen_tls.vstack.size = 0;
		limen_tls.vstack.flags = SS_DISABLE;
	}
	if (shares_tls && !(flags & CLONE_VFORK)) {
		limen_rt.shared_tls = 1;
		if (armed)
			limen_thread_register_kit(kind, 0, ids, kit);
		else
			limen_thread_unarmed(0, ids);
		return;
	}
	/* signals the parent holds are the parent's (a vfork parent gets
	   its own state back when it wakes up, restore_parent) */
	limen_tls.deferred = 0;
	limen_tls.nheld = 0;
	limen_tls.sigsys_pending = 0; /* not inherited, as bare */
	limen_ua_child();
	limen_nsud_child();
	/* a process in a pid namespace other than ours (CLONE_NEWPID, or
	   one unshare or setns made ours for children): its own, for its
	   slot. A vfork child's in its TLS: limen_rt is its parent's too,
	   whose other threads claim slots meanwhile. Not a CLONE_VM one's
	   without CLONE_VFORK (it keeps ours, README) */
	if ((flags & CLONE_NEWPID) || limen_rt.pidns_moved) {
		if (!(flags & CLONE_VM))
			limen_rt.pidns = limen_pidns_read();
		else if (flags & CLONE_VFORK)
			limen_tls.pidns_vfork = limen_pidns_read();
	}
	if (flags & CLONE_VM) {
		/* the parent's, restored when it wakes up (restore_parent) */
		limen_tls.vfork_area = 0;
		limen_tls.vfork_child = !!(flags & CLONE_VFORK);
	} else {
		limen_aside_forked(flags); /* one thread, its own table */
		limen_rings_drop_inherited();
		limen_uev_child(); /* user events' refcounts */
		limen_transit_forked(); /* owned_transit.c */
	}
	if (armed)
		limen_thread_register_kit(kind, 1, ids, kit);
	else
		limen_thread_unarmed(1, ids);
	/* restore_parent unmaps it, or keeps it for the next child */
	if (shares_tls && !limen_ring_vfork_keeps())
		limen_ring_unlist();
}

/* The child starts with every signal blocked (block_all in its parent):
 * the program's mask, and the kernel delivers what came meanwhile. Signals
 * held by a child that shares our TLS (a raw thread) go back to the
 * kernel, which delivers them once the mask allows. */
static void set_mask(uint64_t mask)
{
	if (limen_tls.deferred &&
	    limen_tls.tid == (int32_t)limen_sys0(SYS_gettid))
		limen_requeue_held();
	limen_transit_setmask(&mask, 0); /* owned_transit.c */
}

/*
 * A vfork child's reads of the program's memory take the plain loads
 * (safe.c): the parent's count of limen's sections that block SIGSEGV and
 * SIGBUS, and the fault signals pending for it, are not the child's, whose
 * mask is now the program's without limen's own signals (set_mask). The
 * parent sleeps until the child execs or exits and then puts its own state
 * back whole (restore_parent). Left as they were, every read of the
 * child's execve (its path, argv and environment, twice: for the trace
 * and for the environment limen passes on) was a process_vm_readv.
 */
static void vfork_child_reads(uint64_t mask)
{
	if (mask & LIMEN_FAULT_BITS)
		return;
	limen_tls.pinned = 0;
	limen_tls.fault_block = 0;
}

void limen_child_start(struct limen_child *c) LIMEN_HIDDEN
	__attribute__((noreturn));
void limen_child_start(struct limen_child *c)
{
	const struct limen_ids *ids = 0;
	struct limen_kit kit = { .slot = -1 };

	/* the program's TLS, and with it the user events header's pointer
	   to its thread's chunk, is the parent's: every emit goes through
	   limen from now on (uevent.c), in both builds of the runtime */
	if ((c->flags & CLONE_VM) && !(c->flags & CLONE_VFORK) &&
	    !(c->flags & CLONE_SETTLS))
		__atomic_store_n(&limen_rt.prog_tls_shared, 1,
				 __ATOMIC_RELEASE);
	/* under a seccomp filter of the program's: what the thread would
	   map, mapped before the filter went on (ring.c, the pool) */
	if ((c->flags & CLONE_THREAD) && (c->flags & CLONE_VM) &&
	    !(c->flags & CLONE_VFORK))
		limen_ring_kit_take(&kit);
#ifdef LIMEN_GS_TLS
	/* a new thread shares our %gs block (the kernel copies the base,
	   CLONE_SETTLS sets only %fs): its own, as if it had its own TLS */
	if ((c->flags & CLONE_VM) && !(c->flags & CLONE_VFORK)) {
		/* none left in the pool: a spare block of its own, mapped
		   with the pool; with none, as if mmap were refused, no
		   memory call under the filter */
		void *spare;

		if (kit.slot >= 0 && kit.gs ? limen_gs_block_use(kit.gs) == 0 :
		    (c->flags & CLONE_THREAD) && limen_ring_pooled() ?
			    (spare = limen_ring_gs_spare()) &&
				    limen_gs_block_use(spare) == 0 :
			    limen_gs_block_new() == 0)
			c->flags |= CLONE_SETTLS;
		else /* no memory, or a filter of the program's refusing
			mmap: it shares ours, as a raw thread does */
			c->flags &= ~(uint64_t)CLONE_SETTLS;
	}
#endif
	if (c->ids.pid) {
		/* the parent stores it with every signal blocked, right
		   after its clone returns (new_stack_clone) */
		while (!__atomic_load_n(&c->ids.tid, __ATOMIC_ACQUIRE))
			__builtin_ia32_pause();
		ids = &c->ids;
	}
	child_setup(c->flags,
		    (c->flags & CLONE_THREAD) ? LIMEN_START_THREAD
					      : LIMEN_START_FORK,
		    c->area, c->vsig, ids, &kit);
	if (!((c->flags & CLONE_VM) && !(c->flags & CLONE_SETTLS))) {
		limen_tls.vblock = c->vblock;
		limen_tls.ua_slot = c->ua_slot;
		/* pending signals are not inherited: nothing of limen's is
		   pinned in the child (owned.c) */
		limen_tls.pinned = 0;
		limen_tls.vcall = 0;
		limen_tls.fault_block = 0;
		c->mask &= ~LIMEN_OWNED;
		/* left unarmed: its own calls set its mask from now on, and
		   limen would never hear of an unblock (glibc's start of a
		   thread unblocks what pthread_create blocked): the kernel
		   holds the program's view, owned signals too (owned.c). With
		   the view kept here, a fault in the thread found SIGSEGV
		   "blocked" and killed, where bare its handler ran */
		if (limen_tls.unarmed) {
			c->mask |= c->vblock;
			limen_tls.vblock = 0;
		}
	}
	set_mask(c->mask);
	/* posix_spawn's vfork on a stack of its own (new_stack_clone
	   saved our state when the child shares our TLS) */
	if ((c->flags & CLONE_VM) && (c->flags & CLONE_VFORK) &&
	    !(c->flags & CLONE_SETTLS))
		vfork_child_reads(c->mask);
	limen_resume(c->gregs);
}

/* The child of limen_vfork_stub, on the thread's second area: start the
 * program where the parent's SIGSYS frame would return, with rax = 0. */
void limen_vfork_child(struct limen_vfork_args *va) LIMEN_HIDDEN
	__attribute__((noreturn));
void limen_vfork_child(struct limen_vfork_args *va)
{
	uint64_t g[NGREG], mask;

	child_setup(va->flags, LIMEN_START_FORK,
		    (uint8_t *)(uintptr_t)va->child_sp - LIMEN_STACK_BYTES -
			    LIMEN_GUARD_BYTES,
		    va->vsig, 0, 0);
	memcpy(g, va->uc->uc_mcontext.gregs, sizeof(g));
	g[REG_RAX] = 0;
	mask = *(const uint64_t *)&va->uc->uc_sigmask & ~LIMEN_OWNED;
	set_mask(mask);
	vfork_child_reads(mask);
	limen_resume(g);
}

/*
 * A vfork child inherits our sigaltstack, where we sleep inside a SIGSYS
 * frame, until it installs its own: it starts with every signal blocked
 * (and then sets the program's mask, set_mask). We sleep anyway until it
 * execs or exits.
 */
static void block_all(uint64_t *old)
{
	uint64_t all = ~0ull;

	limen_tls.fault_block++; /* until unblock_all (safe.c) */
	limen_sys4(SYS_rt_sigprocmask, SIG_SETMASK, &all, old, 8);
}

/*
 * block_all for a CLONE_VFORK call: the parent sleeps in it until the child
 * execs or exits, and a signal whose real disposition is SIG_DFL or SIG_IGN
 * (no handler: no frame on the sigaltstack the child inherits) stays
 * unblocked unless the program blocks it. Bare, a fatal one (SIGTERM's
 * default) kills the sleeping parent at once; blocked, it waited for the
 * child. The child may take it too before set_mask, as it would bare.
 * Those of limen's wrapper (core_signal.c) are the kernel's SIG_DFL again
 * meanwhile (*unwrapped: limen_core_rewrap's, after the call).
 */
static void block_vfork(uint64_t *old, uint64_t *unwrapped)
{
	uint64_t mask = ~0ull;
	struct limen_ksa k;

	block_all(old);
	*unwrapped = limen_core_unwrap(~*old);
	for (int sig = 1; sig < LIMEN_NSIG; sig++) {
		uint64_t bit = LIMEN_SIGBIT(sig);

		if ((LIMEN_OWNED & bit) || (*old & bit))
			continue;
		if (limen_sys4(SYS_rt_sigaction, sig, 0, &k, 8) == 0 &&
		    k.handler <= 1)
			mask &= ~bit;
	}
	limen_sys4(SYS_rt_sigprocmask, SIG_SETMASK, &mask, 0, 8);
}

static void unblock_all(uint64_t old)
{
	limen_transit_setmask(&old, 0); /* owned_transit.c */
	limen_tls.fault_block--;
}

static uint8_t *vfork_area(void)
{
	if (!limen_tls.vfork_area)
		limen_tls.vfork_area = limen_stack_map();
	return limen_tls.vfork_area;
}

struct parent_save {
	uint64_t fast_sp;        /* rewrite.c's, the child changes it */
	limen_tls_t tls;
};

static void save_parent(struct parent_save *s)
{
	s->tls = limen_tls;
	s->fast_sp = limen_fast_sp;
}

/*
 * A CLONE_VM|CLONE_VFORK child's view of the dispositions: a copy of ours as
 * the kernel copies its table, in our frame, which stays put while we sleep
 * until the child execs or exits (the child runs limen on vfork_area). The
 * child's sigaction calls and resets then never reach the table our other
 * threads use (limen_vsig), and nothing needs putting back.
 */
static void vsig_for_child(struct limen_vsig *vsig)
{
	memcpy(vsig, limen_vsig(), sizeof(struct limen_vsig) * LIMEN_NSIG);
}

/* After a CLONE_VM|CLONE_VFORK child has exec'd or exited. */
static void restore_parent(const struct parent_save *s)
{
	/* the child's ring, mapped in our address space */
	/* and its execve's plan, in the thread's TLS the child ran on:
	   another thread's child may be in its own execve meanwhile, whose
	   plan it is not ours to unmap */
	uint64_t buf = limen_tls.exec_buf, len = limen_tls.exec_len;

	if (limen_tls.ring && limen_tls.ring != s->tls.ring)
		limen_ring_vfork_done(limen_tls.slot, limen_tls.ring);
	limen_tls = s->tls;
	limen_fast_sp = s->fast_sp;
	limen_tls.exec_buf = 0;
	if (buf)
		limen_exec_buf_done(buf, len);
}

/*
 * Where the child's struct limen_child goes: just below the stack pointer
 * the program gave it, or, when that memory cannot take it (unmapped,
 * read-only, a clone3 stack smaller than the struct), in a page of our own
 * that the child starts on. The child then resumes with the program's own
 * stack pointer and faults at its first use of it, as it would bare, and the
 * parent gets the child's id instead of a fault in our handler.
 */
static uint64_t place_child(const struct limen_child *c, uint64_t sp,
			    uint64_t lo, uint64_t *page)
{
	uint64_t top = (sp - sizeof(*c)) & ~15ull;
	long m;

	*page = 0;
	if (top < sp && top >= lo &&
	    limen_safe_write(top, c, sizeof(*c)) == (long)sizeof(*c))
		return top;
	m = limen_sys6(SYS_mmap, 0, CHILD_PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (limen_is_err(m))
		return 0;
	*page = (uint64_t)m;
	top = ((uint64_t)m + CHILD_PAGE - sizeof(*c)) & ~15ull;
	memcpy((void *)(uintptr_t)top, c, sizeof(*c));
	return top;
}

/*
 * Under a seccomp filter of the program's, a new thread asks the kernel
 * none of its ids (the filter could kill at gettid, getpid or getppid, or
 * refuse them, where the program never makes them): a thread's pid and
 * ppid are its parent's, its tid the clone's result, stored by the parent
 * (new_stack_clone). Not for a raw thread that shares the TLS, whose ids
 * there may be another thread's, nor without CLONE_THREAD (a process of
 * its own).
 */
static void ids_for_thread(struct limen_ids *ids, uint64_t flags)
{
	ids->tid = 0;
	ids->pid = 0;
	ids->ppid = 0;
	if (!(flags & CLONE_THREAD) || !(flags & CLONE_VM) ||
	    (flags & CLONE_VFORK) || !(flags & CLONE_SETTLS) ||
	    limen_rt.shared_tls || !limen_tls.slot || !limen_tls.pid ||
	    !limen_program_filtered())
		return;
	ids->pid = limen_tls.pid;
	ids->ppid = limen_tls.ppid;
}

static long new_stack_clone(long nr, const long *a, uint64_t flags,
			    uint64_t sp, ucontext_t *uc, void *args3,
			    long csize)
{
	struct limen_child c;
	struct parent_save *save = 0, saved;
	struct limen_vsig vsig[LIMEN_NSIG];
	struct clone_args *ca = args3;
	uint64_t top, page, old = 0, unwrapped = 0;
	long r;

	memcpy(c.gregs, uc->uc_mcontext.gregs, sizeof(c.gregs));
	c.gregs[REG_RAX] = 0;
	c.gregs[REG_RSP] = sp;
	c.flags = flags;
	c.mask = *(uint64_t *)&uc->uc_sigmask;
	c.area = 0;
	c.vblock = limen_tls.vblock;
	c.ua_slot = limen_tls.ua_slot;
	c.vsig = vsig;
	ids_for_thread(&c.ids, flags);
	/* the kernel refuses a clone3 stack that is not user memory
	   (EINVAL): let it, before our own page stands in for it */
	if (ca && (ca->stack_size > USER_TOP ||
		   ca->stack > USER_TOP - ca->stack_size))
		return limen_sys2(nr, (long)ca, csize);
	if ((flags & CLONE_VM) && (flags & CLONE_VFORK)) {
		c.area = vfork_area();
		if (!c.area)
			return -ENOMEM;
	}
	top = place_child(&c, sp, ca ? ca->stack : 0, &page);
	if (!top)
		return -ENOMEM;
	/* the child sets itself up with every signal blocked: one taken
	   there would be held in state that child_setup resets (or, in
	   limen's loader, in its parent's) and be lost; set_mask lets the
	   kernel deliver it once the program's mask is in. Blocked before
	   the save too: one held after it would be lost by the restore. A
	   vfork parent keeps the signals with no handler (block_vfork) */
	if (flags & CLONE_VFORK)
		block_vfork(&old, &unwrapped);
	else
		block_all(&old);
	if ((flags & CLONE_VM) && (flags & CLONE_VFORK))
		vsig_for_child(vsig);
	if ((flags & CLONE_VM) && (flags & CLONE_VFORK) &&
	    (LIMEN_GS_SHARED || !(flags & CLONE_SETTLS))) {
		save = &saved;
		save_parent(save);
	}
	/* the child's x87, SSE and AVX registers: the program's */
	limen_fpu_inherit(uc);
	if (nr == SYS_clone) {
		r = limen_clone_stub(nr, a[0], (long)top, a[2], a[3], a[4]);
	} else {
		if (page)
			ca->stack = page;
		ca->stack_size = top - ca->stack;
		r = limen_clone_stub(nr, (long)ca, csize, 0, 0, 0);
	}
	/* the child waits for it (limen_child_start), in the memory
	   place_child wrote a moment ago; a plain store: a call (the
	   filter may refuse it) that failed would leave the child waiting */
	if (c.ids.pid && r > 0)
		__atomic_store_n(&((struct limen_child *)(uintptr_t)top)->ids.tid,
				 (int32_t)r, __ATOMIC_RELEASE);
	if (save)
		restore_parent(save);
	limen_core_rewrap(unwrapped);
	unblock_all(old);
	/* our page is the child's stack until it has read its registers:
	   free it only when the child has its own copy or has exec'd or
	   died (CLONE_VFORK); a CLONE_VM thread on it keeps one page */
	if (page && (r < 0 || !(flags & CLONE_VM) || (flags & CLONE_VFORK)))
		limen_sys2(SYS_munmap, page, CHILD_PAGE);
	return r;
}

static long vfork_clone(long nr, const long *a, uint64_t flags, ucontext_t *uc,
			struct clone_args *ca, long csize)
{
	struct limen_vfork_args va;
	struct parent_save saved;
	struct limen_vsig vsig[LIMEN_NSIG];
	uint8_t *area = vfork_area();
	uint64_t old = 0, unwrapped = 0;
	long r;

	if (!area)
		return -ENOMEM;
	va.nr = nr;
	for (int i = 0; i < 5; i++)
		va.a[i] = a[i];
	if (ca) {
		va.a[0] = (long)ca;
		va.a[1] = csize;
	}
	va.child_sp = (uint64_t)(uintptr_t)area + LIMEN_GUARD_BYTES +
		      LIMEN_STACK_BYTES;
	va.flags = flags;
	va.uc = uc;
	va.vsig = vsig;
	/* the saved state is put back whole (restore_parent): a signal
	   held in between, one that came while we slept, taken as soon as
	   we unblock, would be overwritten and lost; with every signal
	   that has a handler blocked from the save to the restore
	   (block_vfork: one with none kills or is ignored by the kernel,
	   no limen code runs), none is held in between */
	if (flags & CLONE_VFORK)
		block_vfork(&old, &unwrapped);
	else
		block_all(&old);
	save_parent(&saved);
	if ((flags & CLONE_VM) && (flags & CLONE_VFORK))
		vsig_for_child(vsig);
	limen_fpu_inherit(uc);
	r = limen_vfork_stub(&va); /* the child never returns here */
	restore_parent(&saved);
	limen_core_rewrap(unwrapped);
	unblock_all(old);
	return r;
}

/*
 * clone3's struct as the kernel takes it (copy_struct_from_user): a size
 * above ours is fine when the extra bytes are zero (E2BIG otherwise, EFAULT
 * if they cannot be read), and every byte of the size must be readable. We
 * go on with our copy and our size, so that the child is armed either way.
 */
static long read_clone_args(struct clone_args *ca, uint64_t uptr, size_t usize)
{
	size_t n = usize < sizeof(*ca) ? usize : sizeof(*ca);

	for (size_t off = sizeof(*ca); off < usize;) {
		uint8_t tail[128];
		size_t k = usize - off < sizeof(tail) ? usize - off
						      : sizeof(tail);

		if (limen_safe_read(tail, uptr + off, k) != (long)k)
			return -EFAULT;
		for (size_t i = 0; i < k; i++)
			if (tail[i])
				return -E2BIG;
		off += k;
	}
	memset(ca, 0, sizeof(*ca));
	if (limen_safe_read(ca, uptr, n) != (long)n)
		return -EFAULT;
	return (long)n;
}

static long clone_counted(long nr, const long *a, ucontext_t *uc,
			  uint64_t flags, uint64_t sp, struct clone_args *ca,
			  long csize);

long limen_hook_clone(long nr, const long *a, ucontext_t *uc)
{
	struct clone_args ca;
	uint64_t flags, sp = 0;
	long r, csize = 0;

	switch (nr) {
	case SYS_fork:
		flags = SIGCHLD;
		break;
	case SYS_vfork:
		flags = CLONE_VM | CLONE_VFORK | SIGCHLD;
		break;
	case SYS_clone:
		flags = (uint64_t)a[0];
		sp = (uint64_t)a[1];
		break;
	default: /* clone3 */
		if ((unsigned long)a[1] < CLONE_ARGS_SIZE_VER0 ||
		    (unsigned long)a[1] > PAGE_BYTES)
			return limen_sys2(nr, a[0], a[1]); /* EINVAL, E2BIG */
		csize = read_clone_args(&ca, (uint64_t)a[0], (size_t)a[1]);
		if (csize < 0)
			return csize;
		flags = ca.flags;
		/* a stack without a size (or the reverse) is the kernel's
		   EINVAL: no child, nothing to place */
		if (ca.stack && ca.stack_size)
			sp = ca.stack + ca.stack_size;
		else if (ca.stack || ca.stack_size)
			return limen_sys2(nr, (long)&ca, csize);
		break;
	}
	limen_rewrite_clone(flags);
	/* the child is counted before it runs (lone.c) */
	limen_lone_clone();
	r = clone_counted(nr, a, uc, flags, sp,
			  nr == SYS_clone3 ? &ca : 0, csize);
	if (r < 0)
		limen_lone_clone_failed();
	else if (r > 0 && (flags & CLONE_VM) && (flags & CLONE_VFORK) &&
		 !(flags & CLONE_SETTLS))
		limen_lone_vfork_back();
	return r;
}

static long clone_counted(long nr, const long *a, ucontext_t *uc,
			  uint64_t flags, uint64_t sp, struct clone_args *ca,
			  long csize)
{
	uint64_t uev_old = 0, old;
	long r;
	int uev;

	/* a fork child holds the user_events files from the start */
	uev = limen_uev_fork_pre(flags, &uev_old);
	/* a child on a new stack cannot return through our frames, with or
	   without CLONE_VM (glibc's clone(fn, stack, SIGCHLD, arg)) */
	if (sp) {
		r = new_stack_clone(nr, a, flags, sp, uc, ca, csize);
		limen_uev_fork_post(uev, r, uev_old);
		return r;
	}
	if (flags & CLONE_VM)
		return vfork_clone(nr, a, flags, uc, ca, csize);
	/* as on a new stack: the child's setup takes no signal (one
	   sent to it at once would be lost there); it gets it once the
	   setup is over, in limen's code: held, then delivered on the way
	   out of this call */
	block_all(&old);
	if (nr == SYS_clone3)
		r = limen_sys2(nr, (long)ca, csize);
	else
		r = limen_sys6(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	if (r == 0)
		child_setup(flags,
			    (flags & CLONE_THREAD) ? LIMEN_START_THREAD
						   : LIMEN_START_FORK,
			    0, 0, 0, 0);
	unblock_all(old);
	if (r != 0)
		limen_uev_fork_post(uev, r, uev_old);
	return r;
}
