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
 * A CLONE_VM child without CLONE_SETTLS shares our TLS. With CLONE_VFORK the
 * parent sleeps meanwhile, so the child may register (into the shared TLS)
 * and the parent puts its own state back afterwards; without it (a raw
 * thread), the child claims a slot without touching the TLS and from then
 * on every thread of the process checks the TLS against gettid (ring.c).
 */
#include <linux/errno.h>
#include <linux/sched.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "raw.h"
#include "rt.h"

#define VFORK_SAVE_BYTES (64u << 10)
#define CHILD_AREA 4096ul
#define PAGE_BYTES 4096ul
#define USER_TOP 0x7ffffffff000ull /* x86_64 TASK_SIZE with 4-level paging */
/* clone_args sizes the kernel accepts: at least version 0, at most a page */
#define CLONE_ARGS_SIZE_VER0 64

struct limen_child {
	uint64_t gregs[NGREG];
	uint64_t flags;
	int32_t sigsys_blocked; /* the parent's view, inherited with the mask */
};

static void child_setup(uint64_t flags, uint32_t kind)
{
	int shares_tls = (flags & CLONE_VM) && !(flags & CLONE_SETTLS);

	if (flags & CLONE_CLEAR_SIGHAND)
		limen_clear_sighand(!(flags & CLONE_VM) ||
				    (flags & CLONE_VFORK));
	limen_arm();
	if (shares_tls && !(flags & CLONE_VFORK)) {
		limen_rt.shared_tls = 1;
		limen_thread_register(kind, 0);
		return;
	}
	if (flags & CLONE_VM)
		limen_tls.vfork_save = 0; /* the parent's; it may need it */
	else
		limen_rings_drop_inherited();
	limen_thread_register(kind, 1);
	if (shares_tls)
		limen_ring_unlist(); /* restore_parent unmaps it */
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
	/* the child's ring, mapped in our address space */
	if (limen_tls.ring && limen_tls.ring != s->tls.ring)
		limen_ring_unmap(limen_tls.ring);
	limen_tls = s->tls;
	memcpy(limen_rt.vsig, s->vsig, sizeof(s->vsig));
	if (limen_rt.exec_buf) {
		limen_sys2(SYS_munmap, limen_rt.exec_buf, limen_rt.exec_len);
		limen_rt.exec_buf = 0;
	}
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
			    uint64_t lo, uint64_t *area)
{
	uint64_t top = (sp - sizeof(*c)) & ~15ull;
	long m;

	*area = 0;
	if (top < sp && top >= lo &&
	    limen_safe_write(top, c, sizeof(*c)) == (long)sizeof(*c))
		return top;
	m = limen_sys6(SYS_mmap, 0, CHILD_AREA, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (limen_is_err(m))
		return 0;
	*area = (uint64_t)m;
	top = ((uint64_t)m + CHILD_AREA - sizeof(*c)) & ~15ull;
	memcpy((void *)(uintptr_t)top, c, sizeof(*c));
	return top;
}

static long new_stack_clone(long nr, const long *a, uint64_t flags,
			    uint64_t sp, ucontext_t *uc, void *args3,
			    long csize)
{
	struct limen_child c;
	struct parent_save *save = 0, saved;
	struct clone_args *ca = args3;
	uint64_t top, area;
	long r;

	memcpy(c.gregs, uc->uc_mcontext.gregs, sizeof(c.gregs));
	c.gregs[REG_RAX] = 0;
	c.gregs[REG_RSP] = sp;
	c.flags = flags;
	c.sigsys_blocked = limen_tls.sigsys_blocked;
	/* the kernel refuses a clone3 stack that is not user memory
	   (EINVAL): let it, before our own page stands in for it */
	if (ca && (ca->stack_size > USER_TOP || ca->stack > USER_TOP - ca->stack_size))
		return limen_sys2(nr, (long)ca, csize);
	top = place_child(&c, sp, ca ? ca->stack : 0, &area);
	if (!top)
		return -ENOMEM;
	if ((flags & CLONE_VM) && (flags & CLONE_VFORK) &&
	    !(flags & CLONE_SETTLS)) {
		save = &saved;
		save_parent(save);
	}
	if (nr == SYS_clone) {
		r = limen_clone_stub(nr, a[0], (long)top, a[2], a[3], a[4]);
	} else {
		if (area)
			ca->stack = area;
		ca->stack_size = top - ca->stack;
		r = limen_clone_stub(nr, (long)ca, csize, 0, 0, 0);
	}
	if (save)
		restore_parent(save);
	/* our page is the child's stack until it has read its registers:
	   free it only when the child has its own copy or has exec'd or
	   died (CLONE_VFORK); a CLONE_VM thread on it keeps one page */
	if (area && (r < 0 || !(flags & CLONE_VM) || (flags & CLONE_VFORK)))
		limen_sys2(SYS_munmap, area, CHILD_AREA);
	return r;
}

static long vfork_clone(long nr, const long *a, uint64_t flags, ucontext_t *uc,
			struct clone_args *ca, long csize)
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
		limen_dontdump(m, VFORK_SAVE_BYTES);
		limen_tls.vfork_save = (uint8_t *)m;
	}
	va.nr = nr;
	for (int i = 0; i < 5; i++)
		va.a[i] = a[i];
	if (ca) {
		va.a[0] = (long)ca;
		va.a[1] = csize;
	}
	va.save = limen_tls.vfork_save;
	va.hi = (uint64_t)uc->uc_mcontext.gregs[REG_RSP];
	/* our frames must fit in the save area (generously: 1 KiB for the
	   stub's own pushes and the call) */
	if (va.hi < here || va.hi - here + 1024 > VFORK_SAVE_BYTES)
		return -ENOMEM; /* never seen with a sane stack */
	save_parent(&saved);
	r = limen_vfork_stub(&va);
	if (r == 0) {
		child_setup(flags, LIMEN_START_FORK);
		return 0;
	}
	restore_parent(&saved);
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
	/* a child on a new stack cannot return through our frames, with or
	   without CLONE_VM (glibc's clone(fn, stack, SIGCHLD, arg)) */
	if (sp)
		return new_stack_clone(nr, a, flags, sp, uc,
				       nr == SYS_clone3 ? &ca : 0, csize);
	if (flags & CLONE_VM)
		return vfork_clone(nr, a, flags, uc,
				   nr == SYS_clone3 ? &ca : 0, csize);
	if (nr == SYS_clone3)
		r = limen_sys2(nr, (long)&ca, csize);
	else
		r = limen_sys6(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	if (r == 0)
		child_setup(flags, (flags & CLONE_THREAD) ? LIMEN_START_THREAD
							  : LIMEN_START_FORK);
	return r;
}
