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
 * A CLONE_VM child without CLONE_SETTLS shares our TLS. With CLONE_VFORK the
 * parent sleeps meanwhile, so the child may register (into the shared TLS)
 * and the parent puts its own state back afterwards; without it (a raw
 * thread), the child claims a slot without touching the TLS and from then
 * on every thread of the process checks the TLS against gettid (ring.c).
 */
#include <linux/sched.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "raw.h"
#include "rt.h"

#define VFORK_SAVE_BYTES (64u << 10)

struct limen_child {
	uint64_t gregs[NGREG];
	uint64_t flags;
	int32_t sigsys_blocked; /* the parent's view, inherited with the mask */
};

static void child_setup(uint64_t flags, uint32_t kind)
{
	int shares_tls = (flags & CLONE_VM) && !(flags & CLONE_SETTLS);

	if (limen_child_steps_aside(flags))
		return;
	limen_arm();
	if (shares_tls && !(flags & CLONE_VFORK)) {
		limen_rt.shared_tls = 1;
		limen_thread_register(kind, 0);
		return;
	}
	if (flags & CLONE_VM)
		limen_tls.vfork_save = 0; /* the parent's; it may need it */
	limen_thread_register(kind, 1);
}

void limen_child_start(struct limen_child *c) LIMEN_HIDDEN
	__attribute__((noreturn));
void limen_child_start(struct limen_child *c)
{
	child_setup(c->flags, (c->flags & CLONE_THREAD) ? LIMEN_START_THREAD
							: LIMEN_START_FORK);
	if (!((c->flags & CLONE_VM) && !(c->flags & CLONE_SETTLS)))
		limen_tls.sigsys_blocked = c->sigsys_blocked;
	limen_resume(c->gregs);
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
	uint64_t top = (sp - sizeof(*c)) & ~15ull;
	long r;

	c = (struct limen_child *)(uintptr_t)top;
	memcpy(c->gregs, uc->uc_mcontext.gregs, sizeof(c->gregs));
	c->gregs[REG_RAX] = 0;
	c->gregs[REG_RSP] = sp;
	c->flags = flags;
	c->sigsys_blocked = limen_tls.sigsys_blocked;
	if ((flags & CLONE_VFORK) && !(flags & CLONE_SETTLS)) {
		save = &saved;
		save_parent(save);
	}
	if (nr == SYS_clone) {
		r = limen_clone_stub(nr, a[0], (long)top, a[2], a[3], a[4]);
	} else {
		struct clone_args *ca = args3;

		ca->stack_size = top - ca->stack;
		r = limen_clone_stub(nr, (long)ca, a[1], 0, 0, 0);
	}
	if (save)
		restore_parent(save);
	return r;
}

static long vfork_clone(long nr, const long *a, uint64_t flags, ucontext_t *uc,
			struct clone_args *ca)
{
	struct limen_vfork_args va;
	struct parent_save saved;
	uint64_t here = (uint64_t)(uintptr_t)&va;
	long r;

	if (!limen_tls.vfork_save) {
		long m = limen_sys6(SYS_mmap, 0, VFORK_SAVE_BYTES,
				    PROT_READ | PROT_WRITE,
				    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (limen_is_err(m))
			return m;
		limen_tls.vfork_save = (uint8_t *)m;
	}
	va.nr = nr;
	for (int i = 0; i < 5; i++)
		va.a[i] = a[i];
	if (ca)
		va.a[0] = (long)ca;
	va.save = limen_tls.vfork_save;
	va.hi = (uint64_t)uc->uc_mcontext.gregs[REG_RSP];
	/* our frames must fit in the save area (generously: 1 KiB for the
	   stub's own pushes and the call) */
	if (va.hi < here || va.hi - here + 1024 > VFORK_SAVE_BYTES)
		return -12; /* ENOMEM: never seen with a sane stack */
	save_parent(&saved);
	r = limen_vfork_stub(&va);
	if (r == 0) {
		child_setup(flags, LIMEN_START_FORK);
		return 0;
	}
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
		child_setup(flags, (flags & CLONE_THREAD) ? LIMEN_START_THREAD
							  : LIMEN_START_FORK);
	return r;
}
