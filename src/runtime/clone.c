/* SPDX-License-Identifier: MIT */
/*
 * New threads and processes. Syscall User Dispatch is not inherited, so every
 * child arms it again before it runs a single instruction of the program.
 *
 *  - fork-like (no CLONE_VM): the child returns from the raw call inside our
 *    handler, on its own copy of the stack: arm, register, return.
 *  - new stack (threads, posix_spawn): the child would start on an empty
 *    stack in the middle of our handler, so limen_clone_stub gives it a
 *    struct limen_child at its stack pointer; limen_child_start arms,
 *    registers and jumps to the program with its registers.
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

#include "raw.h"
#include "rt.h"

struct limen_child {
	uint64_t gregs[NGREG];
	uint64_t flags;
	uint64_t mask;          /* the program's, see set_mask */
	uint8_t *area;          /* a vfork child's signal stack */
	int32_t sigsys_blocked; /* the parent's view, inherited with the mask */
};

static void child_setup(uint64_t flags, uint32_t kind, uint8_t *area)
{
	int shares_tls = (flags & CLONE_VM) && !(flags & CLONE_SETTLS);

	limen_arm();
	if ((flags & CLONE_VM) && !(flags & CLONE_VFORK)) {
		/* without one, SIGSYS would land on the program's stack */
		uint8_t *m = limen_stack_map();

		if (m)
			limen_stack_install(m);
	} else if (flags & CLONE_VM) {
		limen_stack_install(area);
	}
	if (shares_tls && !(flags & CLONE_VFORK)) {
		limen_rt.shared_tls = 1;
		limen_thread_register(kind, 0);
		return;
	}
	/* signals the parent holds are the parent's (a vfork parent gets
	   its own state back when it wakes up, restore_parent) */
	limen_tls.deferred = 0;
	limen_tls.nheld = 0;
	if (flags & CLONE_VM) {
		/* the parent's, restored when it wakes up (restore_parent) */
		limen_tls.vfork_area = 0;
		limen_tls.vfork_child = !!(flags & CLONE_VFORK);
	}
	limen_thread_register(kind, 1);
}

/* The child inherited the mask of its parent's SIGSYS handler, which may
 * block signals held there (signals.c, defer): the program's. Signals that
 * came while the child set itself up go back to the kernel, which delivers
 * them once the mask allows. */
static void set_mask(uint64_t mask)
{
	if (limen_tls.deferred &&
	    limen_tls.tid == (int32_t)limen_sys0(SYS_gettid))
		limen_requeue_held();
	limen_sys4(SYS_rt_sigprocmask, SIG_SETMASK, &mask, 0, 8);
}

void limen_child_start(struct limen_child *c) LIMEN_HIDDEN
	__attribute__((noreturn));
void limen_child_start(struct limen_child *c)
{
	child_setup(c->flags,
		    (c->flags & CLONE_THREAD) ? LIMEN_START_THREAD
					      : LIMEN_START_FORK,
		    c->area);
	if (!((c->flags & CLONE_VM) && !(c->flags & CLONE_SETTLS)))
		limen_tls.sigsys_blocked = c->sigsys_blocked;
	set_mask(c->mask);
	limen_resume(c->gregs);
}

/* The child of limen_vfork_stub, on the thread's second area: start the
 * program where the parent's SIGSYS frame would return, with rax = 0. */
void limen_vfork_child(struct limen_vfork_args *va) LIMEN_HIDDEN
	__attribute__((noreturn));
void limen_vfork_child(struct limen_vfork_args *va)
{
	uint64_t g[NGREG];

	child_setup(va->flags, LIMEN_START_FORK,
		    (uint8_t *)(uintptr_t)va->child_sp - LIMEN_STACK_BYTES -
			    LIMEN_GUARD_BYTES);
	memcpy(g, va->uc->uc_mcontext.gregs, sizeof(g));
	g[REG_RAX] = 0;
	set_mask(*(const uint64_t *)&va->uc->uc_sigmask);
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

	limen_sys4(SYS_rt_sigprocmask, SIG_SETMASK, &all, old, 8);
}

static uint8_t *vfork_area(void)
{
	if (!limen_tls.vfork_area)
		limen_tls.vfork_area = limen_stack_map();
	return limen_tls.vfork_area;
}

struct parent_save {
	struct limen_tls tls;
	struct limen_vsig vsig[LIMEN_NSIG];
};

static void save_parent(struct parent_save *s)
{
	s->tls = limen_tls;
	memcpy(s->vsig, limen_rt.vsig, sizeof(s->vsig));
}

/* After a CLONE_VM|CLONE_VFORK child has exec'd or exited. */
static void restore_parent(const struct parent_save *s)
{
	limen_tls = s->tls;
	memcpy(limen_rt.vsig, s->vsig, sizeof(s->vsig));
	if (limen_rt.exec_buf) {
		limen_sys2(SYS_munmap, limen_rt.exec_buf, limen_rt.exec_len);
		limen_rt.exec_buf = 0;
	}
}

static long new_stack_clone(long nr, const long *a, uint64_t flags,
			    uint64_t sp, ucontext_t *uc, void *args3)
{
	struct limen_child *c;
	struct parent_save *save = 0, saved;
	uint64_t old = 0;
	uint64_t top = (sp - sizeof(*c)) & ~15ull;
	long r;

	c = (struct limen_child *)(uintptr_t)top;
	memcpy(c->gregs, uc->uc_mcontext.gregs, sizeof(c->gregs));
	c->gregs[REG_RAX] = 0;
	c->gregs[REG_RSP] = sp;
	c->flags = flags;
	c->mask = *(uint64_t *)&uc->uc_sigmask;
	c->area = 0;
	c->sigsys_blocked = limen_tls.sigsys_blocked;
	if (flags & CLONE_VFORK) {
		c->area = vfork_area();
		if (!c->area)
			return -ENOMEM;
	}
	if ((flags & CLONE_VFORK) && !(flags & CLONE_SETTLS)) {
		save = &saved;
		save_parent(save);
	}
	if (flags & CLONE_VFORK)
		block_all(&old);
	if (nr == SYS_clone) {
		r = limen_clone_stub(nr, a[0], (long)top, a[2], a[3], a[4]);
	} else {
		struct clone_args *ca = args3;

		ca->stack_size = top - ca->stack;
		r = limen_clone_stub(nr, (long)ca, a[1], 0, 0, 0);
	}
	if (save)
		restore_parent(save);
	if (flags & CLONE_VFORK)
		limen_sys4(SYS_rt_sigprocmask, SIG_SETMASK, &old, 0, 8);
	return r;
}

static long vfork_clone(long nr, const long *a, uint64_t flags, ucontext_t *uc,
			struct clone_args *ca)
{
	struct limen_vfork_args va;
	struct parent_save saved;
	uint8_t *area = vfork_area();
	uint64_t old = 0;
	long r;

	if (!area)
		return -ENOMEM;
	va.nr = nr;
	for (int i = 0; i < 5; i++)
		va.a[i] = a[i];
	if (ca)
		va.a[0] = (long)ca;
	va.child_sp = (uint64_t)(uintptr_t)area + LIMEN_GUARD_BYTES +
		      LIMEN_STACK_BYTES;
	va.flags = flags;
	va.uc = uc;
	save_parent(&saved);
	block_all(&old);
	r = limen_vfork_stub(&va); /* the child never returns here */
	limen_sys4(SYS_rt_sigprocmask, SIG_SETMASK, &old, 0, 8);
	restore_parent(&saved);
	return r;
}

long limen_hook_clone(long nr, const long *a, ucontext_t *uc)
{
	struct clone_args ca;
	uint64_t flags, sp = 0;
	long r;

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
		memset(&ca, 0, sizeof(ca));
		if ((unsigned long)a[1] < 64 || (unsigned long)a[1] > 4096)
			return limen_sys2(nr, a[0], a[1]);
		if (limen_safe_read(&ca, (uint64_t)a[0],
				    a[1] < (long)sizeof(ca) ? (size_t)a[1]
							     : sizeof(ca)) < 0)
			return -14;
		if ((unsigned long)a[1] > sizeof(ca))
			return limen_sys2(nr, a[0], a[1]); /* let it say E2BIG */
		flags = ca.flags;
		if (ca.stack)
			sp = ca.stack + ca.stack_size;
		break;
	}
	if ((flags & CLONE_VM) && sp)
		return new_stack_clone(nr, a, flags, sp, uc,
				       nr == SYS_clone3 ? &ca : 0);
	if (flags & CLONE_VM)
		return vfork_clone(nr, a, flags, uc,
				   nr == SYS_clone3 ? &ca : 0);
	if (nr == SYS_clone3)
		r = limen_sys2(nr, (long)&ca, a[1]);
	else
		r = limen_sys6(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	if (r == 0)
		child_setup(flags,
			    (flags & CLONE_THREAD) ? LIMEN_START_THREAD
						   : LIMEN_START_FORK,
			    0);
	return r;
}
