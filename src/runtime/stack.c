/* SPDX-License-Identifier: MIT */
/*
 * Stacks. limen's handlers run on a signal stack of limen's own, one per
 * thread (rt.h states its budget), installed as the thread's real
 * sigaltstack; the program's sigaltstack becomes virtual, kept per thread
 * in limen_tls.vstack with the kernel's rules (kernel/signal.c,
 * do_sigaltstack): the program sees its own stack, SS_ONSTACK while it runs
 * on it, EPERM for a change made there, ENOMEM below MINSIGSTKSZ, and its
 * handlers run there (signals.c, deliver).
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "raw.h"
#include "rt.h"
#include "procmap.h"

#define KERNEL_MINSIGSTKSZ 2048 /* x86's, not glibc's dynamic one */

uint8_t *limen_stack_map(void)
{
	long m = limen_sys6(SYS_mmap, 0, LIMEN_STACK_MAP_BYTES,
			    PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK |
				    MAP_NORESERVE,
			    -1, 0);

	if (limen_is_err(m))
		return 0;
	limen_sys3(SYS_mprotect, m, LIMEN_GUARD_BYTES, PROT_NONE);
	limen_sys3(SYS_mprotect, m + LIMEN_GUARD_BYTES + LIMEN_STACK_BYTES,
		   LIMEN_STACK_GAP_BYTES, PROT_NONE);
	limen_dontdump(m, LIMEN_STACK_MAP_BYTES);
	return (uint8_t *)m;
}

int limen_stack_install(uint8_t *map)
{
	stack_t ss = {
		.ss_sp = map + LIMEN_GUARD_BYTES,
		.ss_flags = 0,
		.ss_size = LIMEN_STACK_BYTES,
	};

	return (int)limen_sys2(SYS_sigaltstack, &ss, 0);
}

/* rt.h: /proc/self/stat into buf; its fields from the command name's
   closing ')' on (which the name may hold too: the last one) */
const char *limen_stat_fields(const char *buf, long got)
{
	const char *p = 0;

	for (long i = 0; i < got; i++)
		if (buf[i] == ')')
			p = buf + i + 1;
	return p;
}

static const char *stat_line(char *buf, size_t size, int *helper)
{
	long got = limen_proc_read("/proc/self/stat", buf, size, helper);

	return got > 0 ? limen_stat_fields(buf, got) : 0;
}

const char *limen_self_stat_line(char *buf, size_t size)
{
	int helper;

	return stat_line(buf, size, &helper);
}

/* rt.h: field n (as proc(5) counts: 3 is the state) of such a line, a
   decimal number; 0 where the line is shorter */
uint64_t limen_stat_field(const char *fields, int n)
{
	int field = 2;

	while (*fields && field < n) {
		if (*fields++ == ' ')
			field++;
	}
	return limen_proc_num(&fields, 10);
}

/* rt.h: a field of /proc/self/stat */
int limen_self_stat(int n, uint64_t *v)
{
	char buf[1024];
	int helper;
	const char *fields = stat_line(buf, sizeof(buf), &helper);

	if (!fields)
		return -1;
	*v = limen_stat_field(fields, n);
	if (n == 20 && helper && *v > 1)
		*v -= 1; /* num_threads: not the helper that read it */
	return 0;
}

/*
 * The value of a line of a /proc status file (path), read whole into buf
 * (size bytes): past the blanks after key, which starts with the "\n"
 * before the line and ends with its ':'. 0 where the file or the key
 * cannot be read (a key past what fits in buf is not found).
 */
const char *limen_status_value(const char *path, const char *key, char *buf,
			       size_t size)
{
	size_t k = limen_strlen(key);
	int helper;
	long n = limen_proc_read(path, buf, size, &helper);

	if (n <= 0)
		return 0;
	for (const char *s = buf; *s; s++) {
		if (limen_strncmp(s, key, k))
			continue;
		s += k;
		while (*s == ' ' || *s == '\t')
			s++;
		return s;
	}
	return 0;
}

/*
 * The main thread's stack grows on demand: the kernel extends it when the
 * program (or the kernel writing a signal frame) faults below it. deliver
 * writes a frame with limen_safe_write, whose plain stores fault as the
 * kernel's write of the frame would: the kernel's fault path then grows
 * the stack exactly where it would have (its mapping the first at or
 * above the address, stack_guard_gap clear below, RLIMIT_STACK counted
 * from its end), and when they ran and failed, the kernel said no: the
 * frame is not written, SIGSEGV is forced, as bare. Where they cannot run
 * (a fault signal held or blocked: a fault in limen's code would kill),
 * process_vm_writev wrote, which grows nothing; there limen checks the
 * kernel's rules itself and faults the page in with a store of its own
 * once they allow it. A check that took `below the stack's start' for
 * the main stack stored into a thread's guard page (RLIMIT_STACK
 * unlimited) and killed the program (tests/syscalls/deep_handlers.t).
 * Under a seccomp filter of the program's own no such check is made: its
 * calls (the open and ioctl of PROCMAP_QUERY, prlimit64, /proc/self/stat)
 * could kill the program, which bare made none.
 */
static uint64_t main_stack_start(void)
{
	uint64_t v;

	if (limen_rt.stack_start)
		return limen_rt.stack_start;
	/* startstack is field 28 */
	if (limen_self_stat(28, &v) < 0)
		return 0;
	limen_rt.stack_start = v;
	return v;
}

#define STACK_GUARD_GAP (256ull << 12) /* the kernel's default */

struct grow_check {
	uint64_t lo, top; /* lo page-aligned; top inside the stack's mapping */
	uint64_t end;     /* the stack mapping's end */
	int ok;
};

/* aside (the descriptor is not in the program's table where it shares
   it): the first mapping at or above lo is the main stack's, and none
   lies within the guard gap below lo (expand_downwards) */
static long grow_check(void *arg, int helper)
{
	struct grow_check *g = arg;
	uint64_t s, e, s2, e2;
	long fd = limen_procmap_open();

	(void)helper;
	if (fd < 0)
		return fd;
	g->ok = limen_procmap_next(fd, g->lo, &s, &e) == LIMEN_VMA_FOUND &&
		s > g->lo && s <= g->top && e > g->top &&
		(g->lo < STACK_GUARD_GAP ||
		 (limen_procmap_next(fd, g->lo - STACK_GUARD_GAP, &s2, &e2) ==
			  LIMEN_VMA_FOUND &&
		  s2 == s));
	g->end = e;
	limen_sys1(SYS_close, fd);
	return 0;
}

int limen_grow_stack(uint64_t lo)
{
	struct grow_check g = { lo & ~4095ull, 0, 0, 0 };
	struct limen_rlimit l;
	long r;

	if (limen_stores_direct(lo, 1) || limen_program_filtered() ||
	    limen_tls.strict)
		return 0;
	g.top = main_stack_start();
	if (!g.top || g.lo >= g.top)
		return 0;
	limen_aside(grow_check, &g, &r);
	if (!g.ok || limen_sys4(SYS_prlimit64, 0, RLIMIT_STACK, 0, &l) < 0 ||
	    (l.cur != RLIM_INFINITY && g.end - g.lo > l.cur))
		return 0;
	*(volatile uint8_t *)(uintptr_t)lo = 0;
	return 1;
}

/* on_sig_stack(): sp is on the program's alternate stack */
static int vstack_on(uint64_t sp)
{
	const struct limen_vstack *v = &limen_tls.vstack;

	if (v->flags & LIMEN_SS_AUTODISARM)
		return 0;
	return v->size && sp > v->sp && sp - v->sp <= v->size;
}

/* do_sigaltstack()'s change, for a program whose stack pointer is sp */
static long vstack_set(const stack_t *n, uint64_t sp)
{
	struct limen_vstack *v = &limen_tls.vstack;
	int mode = n->ss_flags & ~LIMEN_SS_AUTODISARM;

	if (vstack_on(sp))
		return -EPERM;
	if (mode != SS_DISABLE && mode != SS_ONSTACK && mode != 0)
		return -EINVAL;
	if (mode == SS_DISABLE) {
		v->sp = 0;
		v->size = 0;
		v->flags = n->ss_flags;
		return 0;
	}
	if (n->ss_size < KERNEL_MINSIGSTKSZ)
		return -ENOMEM;
	v->sp = (uint64_t)(uintptr_t)n->ss_sp;
	v->size = n->ss_size;
	v->flags = n->ss_flags;
	return 0;
}

long limen_hook_sigaltstack(const long *a, const ucontext_t *uc)
{
	const struct limen_vstack *v = &limen_tls.vstack;
	uint64_t sp = (uint64_t)uc->uc_mcontext.gregs[REG_RSP];
	stack_t n, old;
	long r;

	if (a[0] && limen_safe_read(&n, (uint64_t)a[0], sizeof(n)) !=
			    sizeof(n))
		return -EFAULT;
	memset(&old, 0, sizeof(old));
	old.ss_sp = (void *)(uintptr_t)v->sp;
	old.ss_size = v->size;
	old.ss_flags = (!v->size ? SS_DISABLE : vstack_on(sp) ? SS_ONSTACK : 0) |
		       (v->flags & LIMEN_SS_AUTODISARM);
	if (a[0]) {
		r = vstack_set(&n, sp);
		if (r < 0)
			return r;
	}
	if (a[1] && limen_put_user((uint64_t)a[1], &old, sizeof(old)) !=
			    sizeof(old))
		return -EFAULT;
	return 0;
}

/* A thread left unarmed (limen_tls.unarmed, clone.c) sets its sigaltstack
 * with its own calls, which reach the kernel and not limen: the program's
 * is the kernel's, as the frame of a signal limen's wrapper took saved it
 * (ks, __save_altstack), unless that is still limen's own. Kept as it was,
 * a handler with SA_ONSTACK ran on the stack the fault came from: a stack
 * overflow that bare ends in the handler killed. */
void limen_vstack_unarmed(const stack_t *ks)
{
	struct limen_vstack *v = &limen_tls.vstack;
	uint64_t sp = (uint64_t)(uintptr_t)ks->ss_sp;

	if (sp && limen_fast_sp && sp + ks->ss_size == limen_fast_sp)
		return;
	v->sp = sp;
	v->size = ks->ss_size;
	v->flags = ks->ss_flags & ~SS_ONSTACK;
}

/* rt_sigreturn's restore_altstack(): errors are ignored */
void limen_vstack_restore(const stack_t *ss, uint64_t sp)
{
	vstack_set(ss, sp);
}
