/* SPDX-License-Identifier: MIT */
/*
 * Reading and writing the program's memory without trusting its pointers:
 * process_vm_readv/writev on ourselves fault in pages the kernel would fault
 * in (a fresh .rodata page right after execve) and report a bad pointer as an
 * error instead of a SIGSEGV in the program. Transfers are split at page
 * boundaries so that a range running into an unmapped page returns the part
 * before it.
 *
 * Reads take a faster way when they can (about 0.5 us less per read): plain
 * loads in limen_copy_user (arch/x86_64/safe_copy.S), whose faults limen's
 * SIGSEGV/SIGBUS handler turns into the same short count or -EFAULT, as the
 * kernel's exception tables do for copy_from_user. For that, the real
 * disposition of both signals is always limen's: sigwrap where the program
 * has a handler (it calls limen_copy_fixup first), else fault_handler
 * below, which gives any fault not limen's to the program's SIG_DFL or
 * SIG_IGN exactly as the kernel would. The program's view of both
 * dispositions (rt_sigaction) is unchanged (signals.c keeps it aside). A
 * blocked fault signal would kill the thread at a fault (the kernel forces
 * it to SIG_DFL), so neither is ever really blocked (owned.c), except where
 * limen knows it: one pending for the program (limen_tls.pinned), one held
 * while limen's code runs (limen_tls.deferred), and limen's own sections
 * that block every signal (limen_tls.fault_block): there, reads stay on
 * process_vm_readv. No read asks the kernel for the mask.
 *
 * Writes (the results limen's hooks give the program: sigaction's old
 * action, sigprocmask's old mask ...) take plain stores the same way
 * (limen_copy_to_user): a seccomp filter that denies process_vm_writev
 * (systemd's @system-service leaves out @debug) made each such call fail
 * with EFAULT where bare it succeeds (tests/syscalls/vm_denied.t).
 *
 * Protection keys: the plain loads and stores run with the program's PKRU
 * in force (pkru.h), so they fault where the kernel's uaccess for the
 * call would (a store into a page of a key the program write-disabled:
 * EFAULT). limen_put_user, for what a call writes, leaves it at that; only
 * limen_safe_write, for what the kernel writes with every key allowed (a
 * signal frame, Linux 6.12), goes on with process_vm_writev, which
 * ignores keys (tests/syscalls/pkey_key0.t). A program whose PKRU denies
 * key 0, limen's own memory, gets the split copies (safe_copy.S).
 */
#include <errno.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#include "raw.h"
#include "acflag.h"
#include "rt.h"
#include "core_signal.h"
#include "pkru.h"

#define PAGE 4096ul
#define MAXIOV 8

static long vm_rw(long nr, void *local, uint64_t remote, size_t n)
{
	struct iovec l = { local, n };
	struct iovec r[MAXIOV];
	int cnt = 0;
	uint64_t p = remote, end = remote + n;
	long ret;
	/* this thread's id, not the process's: a leader that has ended
	   (pthread_exit in main) is a zombie without memory, and the calls
	   fail on it (ESRCH); a thread sharing another's TLS has no id of
	   its own there */
	long pid = limen_rt.shared_tls ? limen_tls.pid : limen_tls.tid;

	/* seccomp strict mode would kill the thread for the call */
	if (!remote || end < remote || limen_tls.strict)
		return -EFAULT;
	while (p < end && cnt < MAXIOV) {
		uint64_t next = (p & ~(PAGE - 1)) + PAGE;

		if (next > end || cnt == MAXIOV - 1)
			next = end;
		r[cnt].iov_base = (void *)p;
		r[cnt].iov_len = next - p;
		cnt++;
		p = next;
	}
	if (!pid)
		pid = limen_sys0(SYS_getpid);
	ret = limen_sys6(nr, pid, (long)&l, 1, (long)r, cnt, 0);
	return ret;
}

#define FAULT_BITS ((1ull << (SIGSEGV - 1)) | (1ull << (SIGBUS - 1)))
#define KSA_SIGINFO 4ull
#define KSA_ONSTACK 0x08000000ull
#define KSA_RESTORER 0x04000000ull
#define KSA_RESETHAND 0x80000000ull
/* the top of the lowest user address space (TASK_SIZE_MAX without 5-level
   paging): beyond it, process_vm_readv answers as it always did */
#define USER_TOP 0x00007ffffffff000ull

/* both signals' real handler is limen's (limen_fault_init) */
static int fault_ready;
/* the process made a userfaultfd that handles user-mode faults only
   (limen_safe_kernel_only) */
static int uffd_user;
/* fault_ready, and no such userfaultfd: what the common ways test */
static int loads_ready;

static void loads_sync(void)
{
	__atomic_store_n(&loads_ready,
			 __atomic_load_n(&fault_ready, __ATOMIC_SEQ_CST) &&
				 !__atomic_load_n(&uffd_user, __ATOMIC_SEQ_CST),
			 __ATOMIC_SEQ_CST);
}

extern const char limen_copy_fault_movs[] LIMEN_HIDDEN;
extern const char limen_copy_fault_byte[] LIMEN_HIDDEN;
extern const char limen_copy_fix_movs[] LIMEN_HIDDEN;
extern const char limen_copy_fix_byte[] LIMEN_HIDDEN;
long limen_copy_user(void *dst, uint64_t src, size_t n) LIMEN_HIDDEN;
extern const char limen_copyto_fault_movs[] LIMEN_HIDDEN;
extern const char limen_copyto_fault_byte[] LIMEN_HIDDEN;
extern const char limen_copyto_fix_movs[] LIMEN_HIDDEN;
extern const char limen_copyto_fix_byte[] LIMEN_HIDDEN;
long limen_copy_to_user(uint64_t dst, const void *src, size_t n) LIMEN_HIDDEN;
extern const char limen_copy_split_fault[] LIMEN_HIDDEN;
extern const char limen_copy_split_fix[] LIMEN_HIDDEN;
extern const char limen_copyto_split_fault[] LIMEN_HIDDEN;
extern const char limen_copyto_split_fix[] LIMEN_HIDDEN;
long limen_copy_user_split(void *dst, uint64_t src, size_t n, uint32_t prog,
			   uint32_t mine) LIMEN_HIDDEN;
long limen_copy_to_user_split(uint64_t dst, const void *src, size_t n,
			      uint32_t prog, uint32_t mine) LIMEN_HIDDEN;
/* arch/x86_64/safe_str.S, for limen_safe_str */
extern const char limen_str_fault_word[] LIMEN_HIDDEN;
extern const char limen_str_fault_byte[] LIMEN_HIDDEN;
extern const char limen_str_fix_word[] LIMEN_HIDDEN;
extern const char limen_str_fix_byte[] LIMEN_HIDDEN;
struct limen_str_read limen_copy_str(char *dst, uint64_t src,
				     size_t n) LIMEN_HIDDEN;

/* A fault of limen_copy_user's: resume at its fixup. */
int limen_copy_fixup(int sig, const siginfo_t *si, ucontext_t *uc)
{
	greg_t *g = uc->uc_mcontext.gregs;

	/* si_code <= 0: sent by kill, tkill or sigqueue, not a fault */
	if ((sig != SIGSEGV && sig != SIGBUS) || si->si_code <= 0)
		return 0;
	if (g[REG_RIP] == (greg_t)(uintptr_t)limen_copy_fault_movs)
		g[REG_RIP] = (greg_t)(uintptr_t)limen_copy_fix_movs;
	else if (g[REG_RIP] == (greg_t)(uintptr_t)limen_copy_fault_byte)
		g[REG_RIP] = (greg_t)(uintptr_t)limen_copy_fix_byte;
	else if (g[REG_RIP] == (greg_t)(uintptr_t)limen_copyto_fault_movs)
		g[REG_RIP] = (greg_t)(uintptr_t)limen_copyto_fix_movs;
	else if (g[REG_RIP] == (greg_t)(uintptr_t)limen_copyto_fault_byte)
		g[REG_RIP] = (greg_t)(uintptr_t)limen_copyto_fix_byte;
	else if (g[REG_RIP] == (greg_t)(uintptr_t)limen_copy_split_fault)
		g[REG_RIP] = (greg_t)(uintptr_t)limen_copy_split_fix;
	else if (g[REG_RIP] == (greg_t)(uintptr_t)limen_copyto_split_fault)
		g[REG_RIP] = (greg_t)(uintptr_t)limen_copyto_split_fix;
	else if (g[REG_RIP] == (greg_t)(uintptr_t)limen_str_fault_word)
		g[REG_RIP] = (greg_t)(uintptr_t)limen_str_fix_word;
	else if (g[REG_RIP] == (greg_t)(uintptr_t)limen_str_fault_byte)
		g[REG_RIP] = (greg_t)(uintptr_t)limen_str_fix_byte;
	else
		return 0;
	return 1;
}

/*
 * A fault of a thread in seccomp strict mode, whose action is SIG_DFL: it
 * may not put the kernel's SIG_DFL back nor queue the signal (the kernel
 * would kill it with SIGKILL), so the instruction is made again with the
 * signal blocked, and faults again: the kernel forces a blocked fault
 * signal (force_sig_info: SIG_DFL, unblocked), which kills as bare, with
 * the program's registers in the core. Not SIGTRAP: past an int3 the
 * instruction made again is the next one.
 */
static void strict_fault(int sig, ucontext_t *uc)
{
	uint64_t bit = 1ull << (sig - 1);

	*(uint64_t *)&uc->uc_sigmask |= bit;
}

/*
 * The int3 of a pid namespace's init, whose SIGTRAP is at SIG_DFL: the
 * kernel forced it on limen's handler, which left the init unkillable
 * (force_sig_info_to_task drops SIGNAL_UNKILLABLE only at SIG_DFL), and
 * the same signal queued again is dropped as one sent would be
 * (get_signal): the init went on after its int3. Unlike a bad access,
 * the instruction does not trap again by itself: the init goes back to
 * it, to trap at SIG_DFL, which kills as bare (the core's rip the int3's,
 * not the next instruction's). 1: k is at the int3.
 */
static int trap_again(int sig, const siginfo_t *si, ucontext_t *k)
{
	greg_t *g = k->uc_mcontext.gregs;
	uint8_t op = 0;

	if (sig != SIGTRAP || si->si_code != SI_KERNEL || !limen_ns_init() ||
	    limen_safe_read(&op, (uint64_t)g[REG_RIP] - 1, 1) != 1 ||
	    op != 0xcc)
		return 0;
	g[REG_RIP] -= 1;
	return 1;
}

/*
 * The real handler of SIGSEGV and SIGBUS while the program's disposition is
 * SIG_DFL or SIG_IGN. Not limen's fault: what the kernel would have done.
 * A fault, or a signal sent while SIG_DFL: the kernel's SIG_DFL, and the
 * same signal again, queued to this thread (a fault's instruction would
 * fault again anyway); it is delivered as this handler returns. A signal
 * sent while SIG_IGN: dropped (a fault is never ignored: the kernel kills).
 */
static void fault_handler(int sig, siginfo_t *si, void *ucv)
{
	struct limen_ksa dfl = { 0, KSA_RESTORER,
				 (uint64_t)(uintptr_t)limen_restorer, 0 };
	const struct limen_vsig *v = &limen_vsig()[sig];
	/* first: held in limen's hands from here (owned_transit.c) */
	int transit = limen_transit_enter(sig, si);

	limen_ac_off(); /* the program's AC is not ours (acflag.h) */
	if (limen_copy_fixup(sig, si, ucv) || limen_rewrite_trap(sig, si, ucv) ||
	    limen_rewrite_stub_fault(sig, si, ucv) ||
	    limen_owned_sent(sig, si, ucv)) { /* the program blocks it */
		limen_transit_leave(transit, sig);
		return;
	}
	if (v->valid && v->act.handler > 1) {
		/* a handler installed meanwhile, behind sigwrap: a fault
		   faults again into it; a sent signal is sent again */
		if (si->si_code <= 0)
			limen_sys4(SYS_rt_tgsigqueueinfo, limen_sys0(SYS_getpid),
				   limen_sys0(SYS_gettid), sig, si);
		return;
	}
	if (v->valid && v->act.handler == 1 && si->si_code <= 0)
		return;
	if (si->si_code <= 0) {
		/* sent: the default action at the program's context, which
		   k may not be (core_signal.c) */
		limen_take_default(sig, si, ucv);
		return;
	}
	limen_record_fatal(sig, si, ucv);
	if (limen_tls.strict && sig != SIGTRAP) {
		strict_fault(sig, ucv);
		return;
	}
	limen_core_gather(); /* the other threads' registers (core_signal.c) */
	fault_ready = 0;
	loads_sync();
	limen_sys4(SYS_rt_sigaction, sig, &dfl, 0, 8);
	if (trap_again(sig, si, ucv))
		return;
	limen_sys4(SYS_rt_tgsigqueueinfo, limen_sys0(SYS_getpid),
		   limen_sys0(SYS_gettid), sig, si);
}

/* Install fault_handler for sig; 0 on success. */
static int fault_install(int sig)
{
	struct limen_ksa k = {
		.handler = (uint64_t)(uintptr_t)fault_handler,
		.flags = KSA_SIGINFO | KSA_RESTORER | KSA_ONSTACK,
		.restorer = (uint64_t)(uintptr_t)limen_restorer,
		.mask = ~0ull,
	};

	return limen_sys4(SYS_rt_sigaction, sig, &k, 0, 8) < 0;
}

/* At start-up, after SIGSYS's handler: the program's dispositions (SIG_DFL
 * or SIG_IGN, the only ones execve keeps) go aside, ours in. A handler the
 * program installed before we started is behind sigwrap already (adopt.c),
 * which recovers limen's faults as fault_handler does. */
void limen_fault_init(void)
{
	static const int sigs[] = { SIGSEGV, SIGBUS, SIGTRAP };

	for (int i = 0; i < 3; i++) {
		struct limen_vsig *v = &limen_vsig()[sigs[i]];

		if (!v->valid) {
			memset(&v->act, 0, sizeof(v->act));
			if (limen_sys4(SYS_rt_sigaction, sigs[i], 0, &v->act,
				       8) < 0)
				return;
			v->valid = 1;
		}
		if (v->act.handler > 1 ?
			    !(limen_adopted & LIMEN_SIGBIT(sigs[i])) :
			    fault_install(sigs[i]))
			return;
	}
	fault_ready = 1;
	loads_sync();
}

/* CLONE_CLEAR_SIGHAND reset our handlers to SIG_DFL (signals.c). */
void limen_fault_reinstall(void)
{
	if (fault_ready && (fault_install(SIGSEGV) || fault_install(SIGBUS) ||
			    fault_install(SIGTRAP))) {
		fault_ready = 0;
		loads_sync();
	}
}

/* SIGTRAP's real handler is limen's: a site may be patched int3 first
 * (rewrite.c) */
int limen_trap_ready(void)
{
	return fault_ready;
}

/* limen_hook_sigaction: what really goes in for the program's act. */
void limen_fault_real(int sig, struct limen_ksa *real)
{
	if (sig != SIGSEGV && sig != SIGBUS && sig != SIGTRAP)
		return;
	/* a handler of the program's resets in limen's view only (deliver):
	   the real one stays sigwrap, which still recovers limen's faults */
	real->flags &= ~KSA_RESETHAND;
	if (real->handler <= 1 && fault_ready) {
		real->handler = (uint64_t)(uintptr_t)fault_handler;
		real->flags |= KSA_SIGINFO | KSA_ONSTACK;
		real->mask = ~0ull;
	}
}

/* The plain loads may run: limen's handler is in, and this thread blocks
 * neither signal (a blocked fault signal kills): see the top. Never in a
 * helper (aside.c), which blocks every signal. In seccomp strict mode
 * they are the only way (process_vm_readv would kill the thread): a
 * fault's way through limen's handler back to the fixup makes no call. */
static inline __attribute__((always_inline)) int may_load(uint64_t src,
							 size_t n, int ready)
{
	if (!ready || src + n < src || src + n > USER_TOP)
		return 0;
	return !((limen_tls.pinned | limen_tls.deferred |
		  limen_tls.rerouted) & FAULT_BITS) &&
	       !limen_tls.fault_block && !limen_tls.aside;
}

static inline __attribute__((always_inline)) int direct_ok(uint64_t src,
							  size_t n)
{
	return may_load(src, n, loads_ready);
}

/*
 * A userfaultfd made with UFFD_USER_MODE_ONLY handles the faults of the
 * program's own loads and stores, not the kernel's: the kernel's access to
 * a page it has not resolved fails with EFAULT (a missing page, a
 * write-protected one), where limen's plain loads and stores would fault
 * it in through the program's handler, and the call succeed. From the
 * call that makes one on, the process's reads and writes go through
 * process_vm_readv/writev on itself: remote GUP is not a user-mode fault,
 * the same EFAULT (tests/syscalls/uffd_kernel.t). A fork child inherits
 * the state with the memory; an execve's new image starts without (its
 * memory has no registration). A uffd that handles the kernel's faults
 * too needs nothing: its handler resolves limen's access as it would the
 * kernel's.
 */
void limen_safe_kernel_only(void)
{
	__atomic_store_n(&uffd_user, 1, __ATOMIC_SEQ_CST);
	loads_sync();
}

/*
 * Under a seccomp filter of the program's own, process_vm_readv/writev
 * may kill it (systemd's SystemCallFilter= without @debug): there the
 * plain loads and stores stay, the way they were (a missing page of a
 * user-mode-only registration is filled by the program's handler where
 * the kernel's access would have failed).
 */
static int loads_instead(uint64_t src, size_t n)
{
	return __atomic_load_n(&uffd_user, __ATOMIC_RELAXED) &&
	       may_load(src, n, fault_ready) && limen_program_filtered();
}

/*
 * process_vm_readv/writev refused on ourselves: a seccomp filter's errno
 * (EPERM: systemd's, Docker's), or a kernel without CROSS_MEMORY_ATTACH.
 * The plain loads and stores are then the only way left, even where a
 * fault signal is blocked (a fault there kills the thread, as the
 * kernel's forced signal does): the program's valid pointers, the frames
 * of held signals (deliver_held) on its stack, work as bare, rather than
 * every such call failing with EFAULT and every held signal's frame
 * killing as if there were no room for it.
 */
static int refused(long r)
{
	return r == -EPERM || r == -ENOSYS;
}

/* The plain loads, and stores: with the program's PKRU for each access to
   its memory where it denies key 0 (pkru.h), the one in force else */
static long loads(void *dst, uint64_t src, size_t n)
{
	uint32_t split = limen_tls.pkru_split;

	return split ? limen_copy_user_split(dst, src, n, split,
					     limen_pkru_read()) :
		       limen_copy_user(dst, src, n);
}

static long stores(uint64_t dst, const void *src, size_t n)
{
	uint32_t split = limen_tls.pkru_split;

	return split ? limen_copy_to_user_split(dst, src, n, split,
						limen_pkru_read()) :
		       limen_copy_to_user(dst, src, n);
}

int limen_stores_direct(uint64_t dst, size_t n)
{
	return dst && (direct_ok(dst, n) || loads_instead(dst, n));
}

long limen_safe_read(void *dst, uint64_t src, size_t n)
{
	long r;

	if (!n)
		return 0;
	if (src && (direct_ok(src, n) || loads_instead(src, n)))
		return loads(dst, src, n);
	r = vm_rw(SYS_process_vm_readv, dst, src, n);
	/* never in a helper, whose signals are all blocked: a fault
	   there would kill the process (aside.c) */
	if (refused(r) && !limen_tls.aside && src && src + n >= src &&
	    src + n <= USER_TOP)
		r = loads(dst, src, n);
	return r;
}

long limen_put_user(uint64_t dst, const void *src, size_t n)
{
	long r;

	if (!n)
		return 0;
	if (dst && (direct_ok(dst, n) || loads_instead(dst, n)))
		return stores(dst, src, n);
	r = vm_rw(SYS_process_vm_writev, (void *)src, dst, n);
	if (refused(r) && dst && dst + n >= dst && dst + n <= USER_TOP)
		r = stores(dst, src, n);
	return r;
}

long limen_put_user_as(uint64_t dst, const void *src, size_t n,
		       uint32_t prog, int pk)
{
	uint32_t now;

	if (!pk)
		return limen_put_user(dst, src, n);
	now = limen_pkru_read();
	/* what limen_put_user writes with: the split one, else the live */
	if ((limen_tls.pkru_split ? limen_tls.pkru_split : now) == prog ||
	    !n || !dst || !direct_ok(dst, n))
		return limen_put_user(dst, src, n); /* process_vm_writev:
						       no keys */
	return limen_copy_to_user_split(dst, src, n, prog, now);
}

long limen_safe_write(uint64_t dst, const void *src, size_t n)
{
	long r, w;

	if (!n)
		return 0;
	if (dst && (direct_ok(dst, n) || loads_instead(dst, n))) {
		r = limen_copy_to_user(dst, src, n);
		if (r == (long)n)
			return r;
		/* short: as before, through process_vm_writev, which
		   ignores protection keys as the kernel's write of a signal
		   frame does (a handler's stack of a key the kernel's
		   default PKRU denies); refused, the stores' count stands */
		w = vm_rw(SYS_process_vm_writev, (void *)src, dst, n);
		return refused(w) ? r : w;
	}
	r = vm_rw(SYS_process_vm_writev, (void *)src, dst, n);
	if (refused(r) && dst && dst + n >= dst && dst + n <= USER_TOP)
		r = limen_copy_to_user(dst, src, n);
	return r;
}

/*
 * The program's string at src, at most n bytes (n > 0): .got the bytes
 * read, all readable (<= 0: none was), up to its NUL or a little past it
 * (the rest of the NUL's word), or to the first unreadable byte, or n;
 * .len the NUL's index, -1 when there is none in them. The plain loads a
 * word at a time where limen_safe_read's may run, else its
 * process_vm_readv of n bytes and a scan.
 */
/* limen_safe_str where the plain loads may not run: out of line, so that
   the common way is a leaf that ends in its tail call (no frame) */
static __attribute__((noinline)) struct limen_str_read
safe_str_slow(char *dst, uint64_t src, size_t n)
{
	struct limen_str_read r;

	if (src && (direct_ok(src, n) || loads_instead(src, n))) {
		if (!limen_tls.pkru_split)
			return limen_copy_str(dst, src, n);
		r.got = loads(dst, src, n); /* its word loads are not split */
	} else {
		r.got = vm_rw(SYS_process_vm_readv, dst, src, n);
	}
	if (refused(r.got) && !limen_tls.aside && src && src + n >= src &&
	    src + n <= USER_TOP)
		return limen_copy_str(dst, src, n);
	r.len = -1;
	for (long i = 0; i < r.got; i++)
		if (!dst[i]) {
			r.len = i;
			break;
		}
	return r;
}

/* The common way: direct_ok's tests and pkru_split's, without a
   branch each (every path call the lean path makes reads its path
   here): the thread's words or'ed, the range as one compare (src - 1
   wraps for NULL) */
struct limen_str_read limen_safe_str(char *dst, uint64_t src, size_t n)
{
	uint64_t off = (limen_tls.pinned | limen_tls.deferred |
			limen_tls.rerouted) & FAULT_BITS;

	off |= limen_tls.fault_block | limen_tls.aside | limen_tls.pkru_split;
	if (__builtin_expect(!off && loads_ready && n <= USER_TOP &&
				     src - 1 < USER_TOP - n,
			     1))
		return limen_copy_str(dst, src, n);
	return safe_str_slow(dst, src, n);
}
