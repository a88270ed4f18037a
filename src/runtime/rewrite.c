/* SPDX-License-Identifier: MIT */
/*
 * Lazy call-site rewriting: the fast path beside Syscall User Dispatch.
 *
 * SUD stays armed and sees every call that is not rewritten. When the same
 * call site has trapped twice (limen_rewrite_seen, from the SIGSYS path),
 * and what we can prove about it allows, a 5-byte instruction before the
 * `syscall` (just before it, or followed by a few straight-line
 * instructions: rewrite_forms.c) becomes a `jmp rel32` to a stub of its
 * own in a page within +-2 GiB, which runs that instruction and a copy of
 * those after it, exactly as they were, before it enters limen (fast.S
 * says what the stub does). The instructions after it and the `syscall`
 * stay in place: a branch that lands on one of them runs them as they are
 * and reaches the `syscall`, and a call the fast path hands back
 * (limen_fast: a number that needs a signal frame, held signals, a vfork
 * child) goes to the `syscall`: both trap to SUD with the program's own
 * context, the registers and flags those instructions left.
 *
 * What must hold before a site is rewritten (else it stays on SUD):
 *  - the bytes: one of the forms below, then the instructions
 *    rewrite_forms.c lists (none in 443 of libc.so.6's 526 `syscall`s
 *    here, more in 44), then `0f 05`, ending at the SIGSYS's call
 *    address, the registers showing what the instructions did, and the
 *    byte before not a prefix (REX, operand size, segment...) that would
 *    make it part of a longer instruction, except prefixes that change
 *    nothing in the first form (rewrite_forms.c, before_ok):
 *      b8+r imm32        mov $imm,%r32: r holds imm (zero-extended); r is
 *                        not rsp, nor rcx (which the syscall overwrites:
 *                        nothing to check it against). With r = eax the
 *                        number is the immediate (glibc's wrappers: 436
 *                        of libc.so.6's 526 `syscall`s here, 3 after an
 *                        inert byte), else rax was
 *                        loaded before (5 more: signalfd, sched_*affinity,
 *                        __open64_nocancel, a futex);
 *      48|4c 8b modrm 24 disp8, modrm 01 reg 100
 *                        mov disp8(%rsp),%r64: reg holds the 8 bytes at
 *                        rsp + disp8; reg not rsp, rcx or r11; no REX.B or
 *                        REX.X (r12-based, or an index). glibc's syscall()
 *                        (`mov 0x8(%rsp),%r9`, the number in rax from its
 *                        first argument) and recvfrom's call (2 sites).
 *      a rip-relative cmp or test (80 81 83 /7, 38-3b, 84 85, f6 f7 /0,
                        mod 00 rm 101), where the bytes alone prove nothing:
                        glibc 2.36's read, `cmpb $0,__libc_single_threaded
                        (%rip); je <threaded path>; xor %eax,%eax; syscall`.
                        The proof is the function's entry, the start of the
                        FDE that covers the site in its object's
                        .eh_frame_hdr (rewrite_entry.c), decoded forward with
                        rewrite_forms.c's exact decoder to exactly the
                        `syscall` (limen_form_entry). The stub re-aims the
                        cmp's displacement at the same memory and makes each
                        conditional branch a jcc rel32 to its original
                        target, reached with the program's exact state (the
                        stub has not touched the stack nor any register the
                        program would not have). Patched live too: a
                        thread that meets the int3 goes to the stub, written
                        before it, which does what the jmp leads to.
    Both forms, and the instructions after them, are position-independent
 *    (no rip-relative operand): the stub runs the same bytes at another
 *    address with the same effect, on the program's own rsp, before it
 *    touches the stack; its pushfq saves the flags they left. A number that
 *    needs a signal frame is handed back to SUD at run time (limen_fast),
 *    where the site's `syscall` sees the instruction's effect as it would
 *    have;
 *  - the mapping: private, executable and file-backed (/proc/self/maps): a
 *    private mapping's patched page is a copy of our own (never the file
 *    or another process's); JIT code (anonymous: node, java) stays on SUD,
 *    so code that rewrites or unmaps itself never meets a stale patch;
 *  - nobody else runs the site while it changes, or every other thread
 *    sees only whole instructions: with this one thread (/proc/self/stat)
 *    and memory shared with no other process (no CLONE_VM child without
 *    CLONE_THREAD ever, not a vfork child), the write cannot race an
 *    instruction fetch and the rt_sigreturn back to the program serializes
 *    this core. With other threads, the kernel's text_poke_bp protocol
 *    (patch_live): int3 first, membarrier's SYNC_CORE after each write; a
 *    thread that meets the int3 gets SIGTRAP, whose real handler is always
 *    limen's (safe.c; SIGTRAP is never really blocked, owned.c), and
 *    limen_rewrite_trap does the mov for it (either kind) and goes on at
 *    the next instruction in place (the first the stub copies, or the
 *    `syscall`), or, for a rip-relative cmp, sends it to the stub (written
 *    before the int3), which does what the jmp leads to. Never once any
 *    thread has had
 *    SIGTRAP really blocked (a pending one the program blocks: its int3
 *    would kill), and never while a debugger traces the process (it would
 *    stop the thread at the int3 and resume it past it).
 * The bytes are written through /proc/self/mem, as a debugger writes a
 * breakpoint: no page ever changes protection (the program's own mprotect
 * of the page is never undone or raced), and a W^X policy that forbids it
 * leaves the site on SUD.
 *
 * Costs and limits are in the README ("Rewritten call sites").
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/prctl.h>
#include <linux/sched.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "raw.h"
#include "rt.h"
#include "rewrite.h"
#include "rewrite_forms.h"
#include "rewrite_entry.h"
#include "rewrite_known.h"
#include "rewrite_pad.h"
#include "insn_len.h"
#include "procmap.h"

_Static_assert(sizeof(ucontext_t) <= FAST_EXIT_SP &&
	       FAST_EXIT_SP + 16 <= FAST_FRAME &&
	       offsetof(ucontext_t, uc_mcontext.gregs[REG_EFL]) == UC_EFL,
	       "fast.S's frame");

#define SYSCALL_LEN 2
#define INSN_LEN 5
#define OP_MOV_EAX 0xb8
#define OP_JMP32 0xe9
#define OP_JMP8 0xeb
#define OP_INT3 0xcc
#define MEMBARRIER_SYNC_CORE (1 << 5) /* MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE */
#define MEMBARRIER_REGISTER_SYNC_CORE (1 << 6)
#ifndef SI_KERNEL
#define SI_KERNEL 0x80 /* the si_code of an int3's SIGTRAP */
#endif
#define STUB_UNIT 16             /* stubs take whole units of a page */
#define STUB_TAIL 12             /* lea, pushfq, call: then the data
				    words */
#define STUB_WORDS 16            /* the address after the site's
				    `syscall`, then where a call handed back
				    to SUD goes (fast.S) */
#define STUB_BACK 7              /* the pad form's own `syscall` and a
				    jmp back to the site (pad_form) */
#define STUB_MAX (FORM_STUB_MAX + 7 + STUB_TAIL + STUB_WORDS + STUB_BACK)
				 /* 7: stub_pad */
#define PAD_ENTRY_MAX 1024       /* bytes from the entry to the `syscall`
				    the pad form decodes */
#define PAD_REACH 127            /* a jmp rel8's */
#define PROOF_TRIES 3            /* proofs of a site from its function's
				    entry, at most (limen_rewrite_seen) */
#define PAGE 4096ul
#define STUB_PAGES 64
#define SITES 4096               /* a power of two */
#define MAPS_BUF 2048
#define NEAR_STEP (1ul << 21)    /* 2 MiB between the hints tried */
#define NEAR_TRIES 64
#define LOW_LIMIT (1ul << 20)    /* never below 1 MiB: no page 0 here */
#define REACH (1l << 31)
#define MMF_DUMP_MAPPED_PRIVATE (1 << 2) /* coredump_filter's bit */
#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

/* The number a rewritten site's way out uses to reach limen_sigsys with
 * held signals (limen_fast_gate): no system call has it. */
#define FAST_GATE_NR 0x6c696d31l
#define GATE_WORDS 4
#define GATE_BELOW (FAST_BELOW + 16)

struct limen_fast_frame {
	ucontext_t uc;
	uint64_t entry_efl;      /* the flags the stub saw (fast.S) */
	uint64_t exit_sp;        /* where the way out moves rsp (fast.S) */
	uint64_t resume;         /* the address after the site's `syscall` */
	/* 1: fast.S made the lean path's checks of the thread and the
	   session, and found the number selected (limen_fast_sel) */
	uint32_t sel;
	long a[6];               /* the call's arguments (fast.S) */
	uint64_t handback;       /* the stub's second word: the `syscall`
				    a call handed to SUD goes to (fast.S) */
};
_Static_assert(offsetof(ucontext_t, uc_link) == UC_LINK &&
	       offsetof(ucontext_t, uc_stack.ss_sp) == UC_SS_SP &&
	       offsetof(ucontext_t, uc_stack.ss_flags) == UC_SS_FLAGS &&
	       offsetof(ucontext_t, uc_stack.ss_size) == UC_SS_SIZE &&
	       offsetof(ucontext_t, uc_mcontext.fpregs) == UC_FPREGS &&
	       offsetof(ucontext_t, uc_sigmask) == UC_SIGMASK &&
	       offsetof(ucontext_t, uc_flags) == 0 &&
	       sizeof(((ucontext_t *)0)->uc_flags) == 8 &&
	       sizeof(((ucontext_t *)0)->uc_stack.ss_flags) == 4 &&
	       FAST_STACK_BYTES == LIMEN_STACK_BYTES && SS_ONSTACK == 1,
	       "fast.S fills these");
_Static_assert(offsetof(struct limen_fast_frame, exit_sp) == FAST_EXIT_SP &&
	       offsetof(struct limen_fast_frame, entry_efl) == FAST_ENTRY_EFL &&
	       offsetof(struct limen_fast_frame, resume) == FAST_RESUME &&
	       offsetof(struct limen_fast_frame, sel) == FAST_SEL &&
	       offsetof(struct limen_fast_frame, a) == FAST_ARGS &&
	       offsetof(struct limen_fast_frame, handback) == FAST_HANDBACK &&
	       sizeof(struct limen_fast_frame) <= FAST_FRAME,
	       "fast.S reads exit_sp");

/* The top of this thread's signal stack, where limen_fast_entry builds its
 * frame; 0: the thread must not use it (fast.S then hands the call to SUD). */
#ifndef LIMEN_GS_TLS
/* (the loader's runtime: in the thread's %gs block, rt.h) */
__thread uint64_t limen_fast_sp LIMEN_HIDDEN;
#endif

/* SITE_SEEN_LDSO: a site of ld.so's text seen once (limen_rewrite_seen) */
enum site_state { SITE_FREE, SITE_SEEN, SITE_DONE, SITE_NEVER,
		  SITE_SEEN_LDSO };

struct site {
	uint64_t addr;           /* the address after its `syscall` */
	uint64_t mov;            /* the replaced instruction's (SITE_DONE) */
	uint32_t len;            /* from there to the `syscall` */
	uint32_t state;
	uint32_t nr;
	uint32_t trap;           /* an int3 of ours may be at addr: it stands
				    for `mov $imm,%r32` (limen_rewrite_trap) */
	uint32_t imm;            /* that mov's: its immediate and its */
	int32_t reg;             /* register (a REG_ index) */
	uint32_t load;           /* or it stands for mov disp(%rsp),%r64 */
	int32_t disp;
	uint32_t rip;            /* or for a rip-relative cmp: the trap goes */
	uint64_t stub;           /* to the stub, which does what the jmp
				    would have led to */
	uint32_t copy;           /* the stub's copy of the site's
				    instructions: its length (stub_settle) */
	uint32_t tail;           /* where its lea, pushfq, call follow */
	uint8_t orig[5];         /* the bytes the jmp replaced (SITE_DONE):
				    put back where mremap moved them
				    (limen_rewrite_moved) */
	uint8_t op;              /* the first byte written at mov: e9, or
				    eb for the pad form */
	uint64_t pad;            /* the pad form: the slot after the
				    function its 2-byte jmp leads to */
	uint64_t handback;       /* the `syscall` that SUD sees for a call
				    handed back (the stub's second word) */
	uint32_t tries;          /* proofs from its file that failed */
};

/* The sites in the order they were first seen, found through an index by
 * address (1 + a site's place; 0: free): a program's sites fill a few pages
 * of the table, where spread by their hash over it each took a page fault
 * of its own (two: read, then written) in the start of every program. */
static struct site sites[SITES] LIMEN_COLD_BSS;
static uint16_t site_index[SITES];
static uint32_t nsites;
static struct {
	uint64_t base;
	uint32_t used;           /* units taken, the entry word's first */
} pages[STUB_PAGES];
static uint32_t npages;
static uint64_t gate_cookie;
static int mm_shared;            /* a CLONE_VM process shares our memory */
static int no_mem;               /* no patching: /proc/self/mem cannot be
				    written, or a seccomp filter is in force */
/* Patching while other threads run (patch_live): one patch at a time
 * (patch_lock, a try-lock: a SIGSYS handler never waits), never once a
 * thread has had SIGTRAP really blocked (trap_pinned: its int3 would kill
 * it), and never while one is being pinned (patching,
 * limen_rewrite_trap_pinned). Both words hold the tid of the thread
 * that holds them: a fork child, which has no such thread, takes over. */
static int32_t patch_lock;
static int32_t patching;
static int trap_pinned;
/* the pad form's slots lie in [pad_lo, pad_hi) (stub_settle) */
static uint64_t pad_lo = ~0ull, pad_hi;

/* Is tid a thread of this process? */
static int alive(int32_t tid)
{
	return limen_sys3(SYS_tgkill, limen_sys0(SYS_getpid), tid, 0) != -ESRCH;
}

extern const char limen_fast_entry[] LIMEN_HIDDEN;
extern const char limen_fast_exit_check[] LIMEN_HIDDEN;
extern const char limen_fast_exit_popf[] LIMEN_HIDDEN;
extern const char limen_fast_exit_ret[] LIMEN_HIDDEN;
extern const char limen_fast_exit_lea[] LIMEN_HIDDEN;
extern const char limen_fast_exit_lea2[] LIMEN_HIDDEN;
extern const char limen_fast_exit_ret2[] LIMEN_HIDDEN;
void limen_fast(struct limen_fast_frame *f) LIMEN_HIDDEN;
int limen_fast_gate_prepare(struct limen_fast_frame *f) LIMEN_HIDDEN;

void limen_fast_stack(const uint8_t *map)
{
	limen_fast_sp = map ? (uint64_t)(uintptr_t)map + LIMEN_GUARD_BYTES +
				      LIMEN_STACK_BYTES
			    : 0;
}

int limen_mm_shared(void)
{
	return mm_shared;
}

/* Registered for membarrier's SYNC_CORE (a no-op once it is): 1, and
   the program's view of membarrier told it is limen's (membarrier.c) */
static int register_sync_core(void)
{
	if (limen_sys3(SYS_membarrier, MEMBARRIER_REGISTER_SYNC_CORE, 0, 0))
		return 0;
	limen_membarrier_ours();
	return 1;
}

/*
 * Registering for membarrier's SYNC_CORE (patch_live) is cheap in a
 * process of one thread (4 us here) and costs an RCU grace period once
 * another thread shares the memory: 8 to 21 ms here, spent inside the
 * SIGSYS of the call being rewritten, often in the program's signal
 * handler with its signal blocked, where the process-directed signals
 * meanwhile went to its other threads (tests/syscalls/membarrier_early.t,
 * README "Signals"). So it is done before the process's first clone that
 * shares the memory, while it is still alone in it; a fork child inherits
 * the registration, an exec starts without one.
 */
static int rewrite_on(void);

static void sync_core_early(uint64_t flags)
{
	static int done;

	if (done || !(flags & CLONE_VM) || !rewrite_on() || no_mem ||
	    limen_program_filtered())
		return;
	done = 1;
	register_sync_core();
}

void limen_rewrite_clone(uint64_t flags)
{
	limen_aside_clone(flags);
	sync_core_early(flags);
	if ((flags & CLONE_VM) && !(flags & CLONE_THREAD) &&
	    !(flags & CLONE_VFORK))
		mm_shared = 1;
}

/*
 * Calls whose hooks need a real signal frame (dispatch.c, run: they read
 * or change the SIGSYS frame's mask, stack or registers), or that change
 * how the thread runs (seccomp strict mode, execve, exit), and
 * rt_sigreturn: their sites are never rewritten. Inline: limen_fast asks
 * it at every call not lean by its number (a call and a return of a
 * recorded open's 8 instructions here). Declared so first: lean.t reads
 * the definition's cases from the line below.
 */
static inline __attribute__((always_inline)) int needs_frame(long nr);
static int needs_frame(long nr)
{
	switch (nr) {
	case SYS_rt_sigreturn:
	case SYS_rt_sigprocmask:
	case SYS_sigaltstack:
	case SYS_rt_sigsuspend:
	case SYS_ppoll:
	case SYS_pselect6:
	case SYS_epoll_pwait:
	case SYS_epoll_pwait2:
	case SYS_clone:
	case SYS_clone3:
	case SYS_fork:
	case SYS_vfork:
	case SYS_execve:
	case SYS_execveat:
	case SYS_exit:
	case SYS_prctl:
	case SYS_seccomp:
	case SYS_ptrace:
	case FAST_GATE_NR:
		return 1;
	}
	return 0;
}

int limen_rewrite_needs_frame(long nr)
{
	return needs_frame(nr);
}

/*
 * Of those, the ones a rewritten site makes without a frame when what
 * needs one is not asked (limen_frameless_ok), else through SUD:
 * rt_sigprocmask while nothing of limen's signal state is afoot
 * (signals.c, limen_sigmask_frameless), which sh makes three times a
 * command it runs, glibc's posix_spawn, pthread_create and system,
 * siglongjmp to a sigsetjmp that saved the mask, some programs around
 * every critical section; and the calls that swap the mask for their
 * duration when they are given none (Go's scheduler polls with
 * epoll_pwait and no mask, libuv with epoll_pwait, ppoll stands for
 * poll): then they are the calls without the mask, as the kernel makes
 * them. 3.4 us through SUD here where a sigprocmask takes 0.34.
 */
static int frameless(long nr)
{
	switch (nr) {
	case SYS_rt_sigprocmask:
	case SYS_ppoll:
	case SYS_pselect6:
	case SYS_epoll_pwait:
	case SYS_epoll_pwait2:
		return 1;
	}
	return 0;
}

/* The call of a rewritten site, a frameless() number, can go without a
 * frame: a mask call with no mask (pselect6's in its struct, which the
 * kernel reads: one that cannot be read goes to SUD, where the hook
 * passes it on as it is). */
static int frameless_ok(long nr, const long *a)
{
	uint64_t ps[2];
	long m;

	if (nr == SYS_rt_sigprocmask)
		return limen_sigmask_frameless(a);
	m = a[limen_mask_arg(nr)];
	if (nr == SYS_pselect6 && m)
		return limen_safe_read(ps, (uint64_t)m, 16) == 16 && !ps[0];
	return !m;
}

static int rewrite_on(void)
{
	return limen_rt.ctl && !(limen_rt.ctl->flags & LIMEN_CTL_NO_REWRITE);
}

static struct site *site_slot(uint64_t addr, int add)
{
	uint32_t h = (uint32_t)((addr * 0x9e3779b97f4a7c15ull) >> 52);
	uint32_t mine = 0; /* 1 + the place this call took */

	for (uint32_t i = 0; i < SITES; i++) {
		uint16_t *slot = &site_index[(h + i) & (SITES - 1)];
		uint16_t k = __atomic_load_n(slot, __ATOMIC_ACQUIRE);

		if (!k) {
			if (!add)
				return 0;
			/* threads of a process may get here at once (they
			   count sites; only a lone thread patches): a place
			   filled first, then published in the index */
			if (!mine) {
				mine = __atomic_add_fetch(&nsites, 1,
							  __ATOMIC_RELAXED);
				if (mine > SITES)
					return 0;
				sites[mine - 1].addr = addr;
			}
			if (__atomic_compare_exchange_n(slot, &k, (uint16_t)mine,
							0, __ATOMIC_ACQ_REL,
							__ATOMIC_ACQUIRE))
				return &sites[mine - 1];
		}
		if (sites[k - 1].addr == addr)
			return &sites[k - 1];
	}
	return 0;
}

/* The mapping that holds a site being rewritten: [lo, hi) */
static uint64_t map_lo, map_hi;

/* limen_rw_gen before the last question about a site's mapping: what the
   answer is known for (rewrite_known.h) */
static uint32_t query_gen;

/* One line of /proc/self/maps: [lo, hi) holds the site whole, and is a
 * private, executable mapping of a file (map_lo, map_hi: its bounds). */
static int line_ok(const char *l, uint64_t lo, uint64_t hi, int *found,
		   int *prev_x)
{
	const char *p = l;
	uint64_t start, end, inode = 0;
	const char *perms;

	start = limen_proc_num(&p, 16);
	if (*p++ != '-')
		return 0;
	end = limen_proc_num(&p, 16);
	if (lo - 1 >= start && lo - 1 < end && p[3] == 'x')
		*prev_x = 1; /* the byte before is executable */
	if (lo >= end || lo < start)
		return 0;
	*found = 1;
	map_lo = start;
	map_hi = end;
	if (*p++ != ' ')
		return 0;
	perms = p;
	if (hi > end || perms[0] != 'r' || perms[2] != 'x' || perms[3] != 'p')
		return 0;
	/* past the perms, offset and device: the inode */
	p = limen_proc_field(limen_proc_field(limen_proc_field(p)));
	inode = limen_proc_num(&p, 10);
	while (*p == ' ')
		p++;
	return inode != 0 && *p == '/';
}

/* mapping_ok's answer from the kernel's query of the two addresses it
 * needs (procmap.c), as line_ok would give it from their lines; -1: the
 * kernel cannot say, the text is read. */
static __attribute__((noinline)) int mapping_query(long fd, uint64_t lo,
						   uint64_t hi, int *prev_x)
{
	struct limen_vma v;
	int r = limen_procmap_query(fd, lo, &v), ok;

	if (r != LIMEN_VMA_FOUND)
		return r == LIMEN_VMA_NONE ? 0 : -1;
	map_lo = v.start;
	map_hi = v.end;
	ok = v.read && v.exec && !v.shared && hi <= v.end && v.inode != 0 &&
	     v.name[0] == '/';
	if (lo > v.start) {
		*prev_x = v.exec;
		return ok;
	}
	r = limen_procmap_query(fd, lo - 1, &v);
	if (r == LIMEN_VMA_ASK_TEXT)
		return -1;
	*prev_x = r == LIMEN_VMA_FOUND && v.exec;
	return ok;
}

/* The site [lo, hi) is in one mapping that line_ok accepts; *prev_x: the
 * byte before it is in an executable mapping; *elf (if asked): where its
 * object's ELF header is, and the site's mapping (rewrite_entry.c). */
static int mapping_ok(uint64_t lo, uint64_t hi, int *prev_x,
		      struct entry_maps *elf)
{
	struct entry_maps em = { 0 };
	char buf[MAPS_BUF + 1];
	long fd, n, have = 0;
	int found = 0, ok = 0;

	/* another site of the mapping the last one was rewritten in
	   (rewrite_known.h) */
	query_gen = limen_rw_gen();
	if (!elf && limen_aside_is_alone() &&
	    limen_rw_known_holds(lo, hi, query_gen)) {
		map_lo = limen_rw_known.lo;
		map_hi = limen_rw_known.hi;
		*prev_x = 1; /* the byte before: in the same mapping */
		return 1;
	}
	fd = limen_procmap_open();
	if (fd < 0)
		return 0;
	*prev_x = 0;
	if (!elf && (ok = mapping_query(fd, lo, hi, prev_x)) >= 0) {
		limen_sys1(SYS_close, fd);
		return ok;
	}
	ok = 0;
	*prev_x = 0;
	for (;;) {
		char *nl, *l = buf;

		n = limen_sys3(SYS_read, fd, buf + have, MAPS_BUF - have);
		if (n <= 0)
			break;
		have += n;
		buf[have] = 0;
		while ((nl = 0, 1)) {
			for (char *q = l; q < buf + have; q++)
				if (*q == '\n') {
					nl = q;
					break;
				}
			if (!nl)
				break;
			*nl = 0;
			if (elf)
				limen_entry_line(&em, l, lo);
			if (!found)
				ok = line_ok(l, lo, hi, &found, prev_x);
			else
				line_ok(l, lo, hi, &found, prev_x);
			l = nl + 1;
		}
		if (l == buf && have == MAPS_BUF)
			break; /* a line longer than the buffer: give up */
		have -= l - buf;
		memmove(buf, l, (size_t)have);
	}
	limen_sys1(SYS_close, fd);
	if (elf)
		*elf = em;
	return found && ok;
}

/* The process's thread count (field 20 of /proc/self/stat; a helper
 * that reads it is not counted: limen_self_stat). One thread is one for good: a
 * thread is made only by a clone of the process's own, which limen sees
 * (limen_aside_clone), a fork child has the one thread, an exec starts
 * anew. */
static long threads(void)
{
	uint64_t v;

	if (limen_aside_is_alone())
		return 1;
	if (limen_self_stat(20, &v) < 0 || !v)
		return -1;
	if (v == 1)
		limen_aside_alone();
	return (long)v;
}

static int mem_write(long fd, uint64_t at, const void *b, size_t n)
{
	return limen_sys4(SYS_pwrite64, fd, b, n, at) == (long)n;
}

static int near(uint64_t a, uint64_t b)
{
	long d = (long)(a - b);

	return d > -REACH + (long)PAGE && d < REACH - (long)PAGE;
}

/* A stub of n units within reach of the site, in a page of ours (mapped
 * in a free gap near it, never below LOW_LIMIT); 0 if there is none. */
static uint64_t stub_slot(long fd, uint64_t site, uint32_t n)
{
	uint64_t entry = (uint64_t)(uintptr_t)limen_fast_entry;
	uint32_t per = PAGE / STUB_UNIT, at;

	for (uint32_t i = 0; i < npages; i++)
		if (pages[i].used + n <= per && near(pages[i].base, site)) {
			at = pages[i].used;
			pages[i].used += n;
			return pages[i].base + STUB_UNIT * at;
		}
	if (npages == STUB_PAGES)
		return 0;
	for (long k = 1; k <= NEAR_TRIES; k++) {
		long dir = (k & 1) ? -1 : 1;
		uint64_t hint = (site & ~(NEAR_STEP - 1)) +
				(uint64_t)(dir * ((k + 1) / 2) * (long)NEAR_STEP);
		long m;

		if (hint < LOW_LIMIT || !near(hint, site))
			continue;
		m = limen_sys6(SYS_mmap, hint, PAGE, PROT_READ | PROT_EXEC,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
			       -1, 0);
		if (limen_is_err(m))
			continue;
		if ((uint64_t)m != hint) { /* a kernel without NOREPLACE */
			limen_sys2(SYS_munmap, m, PAGE);
			continue;
		}
		if (!mem_write(fd, hint, &entry, sizeof(entry))) {
			limen_sys2(SYS_munmap, m, PAGE);
			return 0;
		}
		limen_dontdump(m, PAGE);
		pages[npages].base = hint;
		pages[npages].used = 1 + n;
		npages++;
		return hint + STUB_UNIT;
	}
	return 0;
}

/* AC set by the program (alignment checking) stays set through fast.S,
 * which reads the data word with it: that word is 8-aligned (slots are
 * STUB_UNIT-aligned), one nop of pad bytes after the instruction's copy
 * (else SIGBUS on the way out, where the bare call has none). */
static const uint8_t nops[8][7] = {
	{ 0 }, { 0x90 }, { 0x66, 0x90 }, { 0x0f, 0x1f, 0x00 },
	{ 0x0f, 0x1f, 0x40, 0x00 }, { 0x0f, 0x1f, 0x44, 0x00, 0x00 },
	{ 0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00 },
	{ 0x0f, 0x1f, 0x80, 0x00, 0x00, 0x00, 0x00 },
};

static uint32_t stub_pad(const struct form *f)
{
	return (8 - (f->stub_len + STUB_TAIL) % 8) % 8;
}

/* A stub's bytes for form f: its code, its two words, the pad form's
 * `syscall` and jmp back. */
static uint32_t stub_size(const struct form *f)
{
	return f->stub_len + stub_pad(f) + STUB_TAIL + STUB_WORDS +
	       (f->pad ? STUB_BACK : 0);
}

/* The bytes of its stub for a site at site whose f->len bytes before the
 * `syscall` are insn: their copy (limen_form_stub: as they are, or
 * re-aimed where they are rip-relative or branch), then
 * lea -128(%rsp),%rsp; pushfq; call *entry; the resume address (the
 * data word, where the call's return address points: fast.S reads it
 * there and returns straight to it), and the address of the `syscall`
 * that a call handed back to SUD goes to (*handback): the site's own,
 * or for the pad form, whose `syscall` is a jmp now, one of the stub's,
 * after the words, with a jmp back to the site after it (limen_sigsys
 * shows its calls as the site's: limen_rewrite_handed_back). The stub's
 * length (whole units); 0 if the copy cannot reach what it must. */
static uint32_t stub_bytes(uint8_t *b, uint64_t slot, uint64_t page,
			   const uint8_t *insn, const struct form *f,
			   uint64_t site, uint64_t resume, uint64_t *handback)
{
	uint32_t pad = stub_pad(f), len = f->stub_len + pad;
	uint32_t code = len + STUB_TAIL, size = stub_size(f);
	int32_t disp = (int32_t)(page - (slot + len + 12)), back;
	uint8_t *t = b + len, *x = b + code + STUB_WORDS;

	size = (size + STUB_UNIT - 1) / STUB_UNIT * STUB_UNIT;
	memset(b, 0xcc, size);
	if (!limen_form_stub(b, insn, f, site, slot))
		return 0;
	memcpy(b + f->stub_len, nops[pad], pad);
	t[0] = 0x48; t[1] = 0x8d; t[2] = 0x64; t[3] = 0x24; t[4] = 0x80;
	t[5] = 0x9c;                               /* pushfq */
	t[6] = 0xff; t[7] = 0x15;                  /* call *disp(%rip) */
	memcpy(t + 8, &disp, 4);
	memcpy(b + code, &resume, 8);
	*handback = resume - SYSCALL_LEN;
	if (f->pad) {
		*handback = slot + code + STUB_WORDS;
		back = (int32_t)(resume - (*handback + STUB_BACK));
		x[0] = 0x0f; x[1] = 0x05;          /* syscall */
		x[2] = OP_JMP32;                   /* jmp resume */
		memcpy(x + 3, &back, 4);
	}
	memcpy(b + code + 8, handback, 8);
	return size;
}

/* A debugger traces us (TracerPid in /proc/self/status): it would stop
 * a thread at our int3 and resume it after, in the middle of the mov. */
static int traced(void)
{
	char buf[2048];
	const char *v = limen_status_value("/proc/self/status", "\nTracerPid:",
					   buf, sizeof(buf));

	return !v || !(v[0] == '0' && v[1] == '\n');
}

/* Serialize every core running this process's threads (they refetch
 * what was written); 0 if the kernel cannot. */
static int sync_cores(void)
{
	return limen_sys3(SYS_membarrier, MEMBARRIER_SYNC_CORE, 0, 0) == 0;
}

/*
 * Write jmp (n bytes) over the site while other threads may run it: the
 * kernel's text_poke_bp protocol. An int3 first (a thread that meets it
 * traps to limen_rewrite_trap, which does what the mov did and goes on at
 * the `syscall`, or sends it to the stub), every core serialized, then the
 * jmp's other bytes, then its first; each write followed by a serialization, so no core runs a mix
 * of old and new bytes. Done only if membarrier can serialize, SIGTRAP's
 * real handler is ours and no thread may have it really blocked.
 */
static int patch_live(long fd, struct site *s, uint64_t site,
		      const uint8_t *jmp, uint32_t n)
{
	static const uint8_t int3 = OP_INT3;
	uint8_t old[5];
	int ok = 0;

	if (!limen_trap_ready() || traced() ||
	    limen_safe_read(old, site, n) != (long)n ||
	    !register_sync_core() || !sync_cores())
		return 0;
	__atomic_store_n(&patching, (int32_t)limen_sys0(SYS_gettid),
			 __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&trap_pinned, __ATOMIC_SEQ_CST))
		goto out;
	__atomic_store_n(&s->trap, 1, __ATOMIC_RELEASE); /* s->imm is set */
	if (!mem_write(fd, site, &int3, 1))
		goto out;
	sync_cores();
	if (!mem_write(fd, site + 1, jmp + 1, n - 1)) {
		mem_write(fd, site, old, 1);
		sync_cores();
		goto out;
	}
	sync_cores();
	if (!mem_write(fd, site, jmp, 1)) {
		mem_write(fd, site + 1, old + 1, n - 1);
		sync_cores();
		mem_write(fd, site, old, 1);
		sync_cores();
		goto out;
	}
	sync_cores();
	ok = 1;
out:
	__atomic_store_n(&patching, 0, __ATOMIC_SEQ_CST);
	return ok;
}

/* A thread met the int3 of a site being patched (patch_live): the mov it
 * replaced, then on at the next instruction as it is in place (the first
 * of those the stub copies, or the `syscall`: SUD, or the jmp once done). */
int limen_rewrite_trap(int sig, const siginfo_t *si, ucontext_t *uc)
{
	greg_t *g = uc->uc_mcontext.gregs;
	uint64_t at = (uint64_t)g[REG_RIP] - 1;
	struct site *s = 0;

	if (sig != SIGTRAP || si->si_code != SI_KERNEL)
		return 0;
	/* the pad form's int3 is on its `syscall`: to the stub, written
	   before it (as its pad slot's jmp), which makes the call */
	s = site_slot(at + SYSCALL_LEN, 0);
	if (s && __atomic_load_n(&s->trap, __ATOMIC_ACQUIRE) && s->pad &&
	    __atomic_load_n(&s->mov, __ATOMIC_ACQUIRE) == at) {
		g[REG_RIP] = (greg_t)s->stub;
		return 1;
	}
	s = 0;
	/* the sites are keyed by the end of their `syscall`, at most
	   FORM_COPY_MAX bytes after the mov's (or the longer cmp's) */
	for (uint64_t k = 0; k <= FORM_RIP_MAX - INSN_LEN + FORM_COPY_MAX && !s;
	     k++) {
		s = site_slot(at + INSN_LEN + k + SYSCALL_LEN, 0);
		if (s && (!__atomic_load_n(&s->trap, __ATOMIC_ACQUIRE) ||
			  __atomic_load_n(&s->mov, __ATOMIC_ACQUIRE) != at))
			s = 0;
	}
	if (!s)
		return 0;
	if (s->rip) {
		/* a rip-relative cmp: its stub, written before the int3 and
		   never unmapped, runs it re-aimed and the copied instructions
		   (a branch among them to its original target), exactly what
		   the jmp leads to, with this thread's registers as they are */
		g[REG_RIP] = (greg_t)s->stub;
		return 1;
	}
	if (s->load) {
		/* the program's stack, which the mov would read: readable
		   unless the mov itself would have faulted */
		uint64_t v, at_sp = (uint64_t)g[REG_RSP] + (uint64_t)(int64_t)s->disp;

		if (limen_safe_read(&v, at_sp, sizeof(v)) != sizeof(v))
			return 0;
		g[s->reg] = (greg_t)v;
	} else {
		g[s->reg] = (greg_t)s->imm; /* mov $imm32,%r32 zero-extends */
	}
	g[REG_RIP] = (greg_t)(at + 5);
	return 1;
}

/* A thread is about to block SIGTRAP for real (signals.c, pin): no int3
 * from now on, and none under way when it does. */
void limen_rewrite_trap_pinned(void)
{
	int32_t t;

	__atomic_store_n(&trap_pinned, 1, __ATOMIC_SEQ_CST);
	while ((t = __atomic_load_n(&patching, __ATOMIC_SEQ_CST)) && alive(t))
		__builtin_ia32_pause();
}

static int reg_of(unsigned r);

/*
 * A page of a file's private mapping that we wrote makes the kernel dump
 * the whole mapping in a core (it has anonymous pages now), where a bare
 * run dumps none of it: libc's text would add 1.4 MiB. Unless the
 * program's coredump_filter asks for file-backed private mappings (bit 2:
 * bare dumps them too), the mapping is marked do-not-dump, whole (its
 * exact bounds: no split of it in /proc/self/maps).
 */
static void keep_out_of_core(void)
{
	char buf[24];
	long fd, n;
	uint64_t filter;
	const char *p = buf;

	int lone_now = limen_aside_is_alone();

	/* marked already, and still the same mapping (rewrite_known.h) */
	if (lone_now && limen_rw_known_marked(map_lo, map_hi, limen_rw_gen()))
		return;
	if (lone_now)
		limen_rw_known_set(map_lo, map_hi, query_gen, 0);
	fd = limen_sys3(SYS_open, "/proc/self/coredump_filter",
			O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0)
		return;
	n = limen_sys3(SYS_read, fd, buf, sizeof(buf) - 1);
	limen_sys1(SYS_close, fd);
	if (n <= 0)
		return;
	buf[n] = 0;
	filter = limen_proc_num(&p, 16);
	if (!(filter & MMF_DUMP_MAPPED_PRIVATE) && map_hi > map_lo &&
	    limen_sys3(SYS_madvise, (long)map_lo, (long)(map_hi - map_lo),
		       MADV_DONTDUMP) == 0 && lone_now)
		limen_rw_known_set(map_lo, map_hi, query_gen, 1);
}

static const struct site *pad_site(uint64_t ip);

/* n bytes at a are all int3 (a function's padding, as Go's linker
 * fills it). */
static int all_int3(uint64_t a, uint32_t n)
{
	uint8_t b[PAD_REACH + 8];

	if (n > sizeof(b) || limen_safe_read(b, a, n) != (long)n)
		return 0;
	for (uint32_t i = 0; i < n; i++)
		if (b[i] != OP_INT3)
			return 0;
	return 1;
}

static const uint8_t int3s[5] = { OP_INT3, OP_INT3, OP_INT3, OP_INT3,
				  OP_INT3 };

/* b: a jmp rel32 at at to to */
static void jmp32(uint8_t *b, uint64_t at, uint64_t to)
{
	int32_t rel = (int32_t)(to - (at + 5));

	b[0] = OP_JMP32;
	memcpy(b + 1, &rel, 4);
}

/* b: the jmp a patched site has at s->mov (its stub, or the pad form's
 * slot, s->stub and s->pad set); its length */
static uint32_t site_jmp(const struct site *s, uint8_t *b)
{
	if (!s->pad) {
		jmp32(b, s->mov, s->stub);
		return 5;
	}
	b[0] = OP_JMP8;
	b[1] = (uint8_t)(s->pad - (s->mov + 2));
	return 2;
}

/*
 * live: other threads may run the site (patch_live): the int3's handler
 * stands in for the replaced mov (limen_rewrite_trap).
 */
static void patch(struct site *s, const struct form *f, const uint8_t *insn,
		  int live)
{
	uint8_t stub[STUB_MAX + STUB_UNIT], jmp[5], cc[5];
	uint64_t site = s->mov, slot, back;
	uint32_t size, n;
	long fd;

	limen_lean_init(); /* before any site leads to fast.S */
	s->pad = 0;
	if (live && !f->rip && !f->pad) {
		/* what the int3 stands for (limen_rewrite_trap) */
		s->load = f->reg < 0;
		s->reg = reg_of((unsigned)(s->load ? f->load_reg : f->reg));
		s->imm = f->imm;
		s->disp = f->disp;
		if (s->reg < 0)
			return; /* stays on SUD (SITE_NEVER) */
	}
	fd = limen_sys3(SYS_open, "/proc/self/mem", O_RDWR | O_CLOEXEC, 0);
	if (fd < 0) {
		no_mem = 1;
		return;
	}
	/* the pad form's slot: still five int3s, taken by no other site
	   (each writes its jmp there under patch_lock) */
	if (f->pad && !all_int3(f->pad, sizeof(cc)))
		goto out;
	size = stub_size(f);
	slot = stub_slot(fd, site, (size + STUB_UNIT - 1) / STUB_UNIT);
	if (!slot)
		goto out;
	size = stub_bytes(stub, slot, slot & ~(PAGE - 1), insn, f, site,
			  s->addr, &back);
	if (!size || !mem_write(fd, slot, stub, size))
		goto out;
	s->copy = f->stub_len;
	s->tail = f->stub_len + stub_pad(f);
	s->stub = slot;          /* before the int3: limen_rewrite_trap */
	s->rip = (uint32_t)f->rip;
	s->handback = back;
	memcpy(s->orig, insn, sizeof(s->orig));
	if (f->pad) {
		/* the slot's jmp to the stub, reached from nowhere until the
		   site's jmp is written; then the site's jmp rel8 to it */
		jmp32(cc, f->pad, slot);
		if (!mem_write(fd, f->pad, cc, sizeof(cc)))
			goto out;
		s->pad = f->pad;
		if (f->pad < pad_lo)
			pad_lo = f->pad;
		if (f->pad + 5 > pad_hi)
			pad_hi = f->pad + 5;
	}
	n = site_jmp(s, jmp);
	s->op = jmp[0];
	if (live ? !patch_live(fd, s, site, jmp, n) :
		   !mem_write(fd, site, jmp, n)) {
		/* the slot as it was; s->pad stays, for a thread whose
		   SIGTRAP of the int3 comes late (limen_rewrite_trap sends it
		   to the stub, which is whole) */
		if (f->pad)
			mem_write(fd, f->pad, int3s, sizeof(int3s));
		goto out;
	}
	if (!gate_cookie)
		gate_cookie = limen_rdtsc() * 0x9e3779b97f4a7c15ull | 1;
	keep_out_of_core();
	s->state = SITE_DONE;
out:
	limen_sys1(SYS_close, fd);
}

/* The frame's register of x86 number r (REX.R/B in bit 3); -1 for those
 * the check cannot see or a form must not have: rsp, and rcx and r11,
 * which the `syscall` overwrote. */
static int reg_of(unsigned r)
{
	static const signed char g[16] = {
		REG_RAX, -1, REG_RDX, REG_RBX, -1, REG_RBP, REG_RSI, REG_RDI,
		REG_R8, REG_R9, REG_R10, -1, REG_R12, REG_R13, REG_R14, REG_R15,
	};

	return g[r & 15];
}

/* The stack read of a form's check (rewrite_forms.c). */
static long load(void *dst, uint64_t addr, size_t n)
{
	return limen_safe_read(dst, addr, n);
}

/* The trap's registers by x86 number, as rewrite_forms.c reads them. */
static void form_regs(const ucontext_t *uc, struct form_regs *r)
{
	static const signed char g[16] = {
		REG_RAX, REG_RCX, REG_RDX, REG_RBX, REG_RSP, REG_RBP, REG_RSI,
		REG_RDI, REG_R8, REG_R9, REG_R10, REG_R11, REG_R12, REG_R13,
		REG_R14, REG_R15,
	};

	for (int i = 0; i < 16; i++)
		r->r[i] = (uint64_t)uc->uc_mcontext.gregs[g[i]];
	r->known = (uint16_t)~(1u << 1 | 1u << 11); /* not rcx, r11 */
	r->load = load;
}

/*
 * The bytes before the `syscall` at sc, up to FORM_WINDOW of them, into
 * win (then the `syscall`); how many. Fewer where the mapping starts.
 */
static size_t window(uint8_t *win, uint64_t sc)
{
	size_t avail = FORM_WINDOW;

	if (limen_safe_read(win, sc - avail, avail + SYSCALL_LEN) ==
	    (long)(avail + SYSCALL_LEN))
		return avail;
	avail = sc - (sc & ~(PAGE - 1));
	if (avail > FORM_WINDOW)
		avail = FORM_WINDOW;
	if (limen_safe_read(win + FORM_WINDOW - avail, sc - avail,
			    avail + SYSCALL_LEN) != (long)(avail + SYSCALL_LEN))
		return 0;
	return avail;
}

/*
 * A site no form fits from its bytes alone: proved from its function's
 * entry (rewrite_entry.c finds the FDE's start; limen_form_entry decodes
 * from there to the `syscall`), else by the pad form. The replaced
 * instruction, in code; 0 if there is no such proof. The maps are read (a
 * descriptor for a moment): in second_time's helper where other threads
 * share the table (aside.c).
 */
static const uint8_t *entry_form_here(uint64_t call_addr, uint8_t *code,
				      struct form *f);

/*
 * The pad form (rewrite_pad.c says what proves it): the `syscall` at
 * call_addr - 2 becomes a jmp rel8 to a slot of five int3s after its
 * function, within the jmp's reach and the same mapping, which becomes a
 * jmp to the stub. The site's bytes into code (its `syscall`, then what
 * follows, for orig); 0 if there is no such proof or slot.
 */
static const uint8_t *pad_form(uint64_t call_addr, const struct entry_maps *em,
			       uint8_t *code, struct form *f)
{
	uint64_t sc = call_addr - SYSCALL_LEN, hi, at;
	uint8_t fn[PAD_ENTRY_MAX + SYSCALL_LEN];
	struct pad_proof p;
	size_t n;

	if (!limen_pad_symbols(sc, em, &p) || p.entry > sc ||
	    sc - p.entry > PAD_ENTRY_MAX || p.gap_lo < call_addr)
		return 0;
	n = sc - p.entry + SYSCALL_LEN;
	if (limen_safe_read(fn, p.entry, n) != (long)n ||
	    !limen_insn_bound(fn, n) ||
	    limen_safe_read(code, sc, FORM_INSN) != FORM_INSN)
		return 0;
	hi = p.gap_hi < p.map_hi ? p.gap_hi : p.map_hi;
	if (hi > call_addr + PAD_REACH + 5)
		hi = call_addr + PAD_REACH + 5;
	/* the first five int3s of the padding that starts at the
	   function's end: int3s and other sites' slots from there on, so
	   that a symbol table that lacks some functions (local ones
	   stripped) never leads into one (0xcc bytes in an immediate); a
	   slot taken holds a jmp: patch checks again under patch_lock */
	for (at = p.gap_lo; at + 5 <= hi;) {
		uint8_t b;

		if (all_int3(at, 5))
			break;
		if (pad_site(at))
			at += 5;
		else if (limen_safe_read(&b, at, 1) == 1 && b == OP_INT3)
			at++;
		else
			return 0;
	}
	if (at + 5 > hi || at < p.map_lo)
		return 0;
	/* nothing copied, nothing replaced before the `syscall` */
	*f = (struct form){ .reg = -1, .load_reg = -1, .pad = at };
	return code;
}

static const uint8_t *entry_form_here(uint64_t call_addr, uint8_t *code,
				      struct form *f)
{
	uint64_t sc = call_addr - SYSCALL_LEN, entry;
	struct entry_maps elf;
	int prev_x;
	size_t n;

	if (!mapping_ok(sc, call_addr, &prev_x, &elf))
		return 0;
	if (!(entry = limen_entry_find(&elf, sc)) || sc - entry > FORM_ENTRY_MAX)
		return pad_form(call_addr, &elf, code, f);
	n = sc - entry + SYSCALL_LEN;
	if (limen_safe_read(code, entry, n) != (long)n ||
	    !limen_form_entry(code, n, f))
		return pad_form(call_addr, &elf, code, f);
	return code + f->entry_off;
}

/* A site seen the second time (limen_rewrite_seen): its proof from the
 * file where its bytes alone gave none (insn 0: the maps and the file are
 * read), and the patch; all that takes descriptors for a moment, in one
 * helper (limen_aside), whose start and end cost more than the work. */
struct second_job {
	struct site *s;
	struct form *f;
	const uint8_t *insn;
	uint8_t *code; /* entry_form_here's copy of the function */
	uint64_t site, call_addr;
	long nr;
};
#define PROOF_FAILED 1 /* second_time: no proof from the file */

static long second_time(void *arg, int helper)
{
	struct second_job *j = arg;
	struct site *s = j->s;
	int32_t me, holder;
	int prev_x;
	long n;

	(void)helper;
	if (!j->insn &&
	    !(j->insn = entry_form_here(j->call_addr, j->code, j->f)))
		return PROOF_FAILED;
	j->site = j->call_addr - SYSCALL_LEN - j->f->len;
	if (j->site < limen_rt.text_hi && j->call_addr > limen_rt.text_lo)
		return 0;
	/* the byte before, unread only where the mapping starts, must then
	   not be executable (checked with the maps) */
	n = threads();
	if (n < 1 || !mapping_ok(j->site, j->call_addr, &prev_x, 0) ||
	    (j->f->prev_unread && prev_x))
		return 0;
	me = (int32_t)limen_sys0(SYS_gettid); /* the helper's, if aside */
	holder = 0;
	if (!__atomic_compare_exchange_n(&patch_lock, &holder, me, 0,
					 __ATOMIC_ACQUIRE, __ATOMIC_RELAXED) &&
	    (alive(holder) ||
	     !__atomic_compare_exchange_n(&patch_lock, &holder, me, 0,
					  __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))) {
		s->state = SITE_SEEN; /* another thread patches: later */
		return 0;
	}
	s->nr = (uint32_t)j->nr;
	s->len = j->f->len;
	__atomic_store_n(&s->mov, j->site, __ATOMIC_RELEASE);
	patch(s, j->f, j->insn, n > 1);
	__atomic_store_n(&patch_lock, 0, __ATOMIC_RELEASE);
	return 0;
}

/*
 * The SIGSYS path saw the program's call from the `syscall` ending at
 * call_addr: count the site, rewrite it the second time if it qualifies.
 */
void limen_rewrite_seen(const ucontext_t *uc, uint64_t call_addr)
{
	long nr = uc->uc_mcontext.gregs[REG_RAX];
	uint8_t win[FORM_WINDOW + SYSCALL_LEN], b;
	uint8_t code[FORM_ENTRY_MAX + SYSCALL_LEN];
	const uint8_t *w = win + FORM_WINDOW;
	struct form_regs regs;
	struct form f;
	struct second_job job;
	struct site *s;
	size_t avail;
	long done;

	/* a seccomp filter of the program's may forbid the calls a patch
	   makes (open, pwrite64, mmap): none from then on, in this process
	   and its children */
	if (nr == SYS_seccomp ||
	    (nr == SYS_prctl && uc->uc_mcontext.gregs[REG_RDI] == PR_SET_SECCOMP))
		no_mem = 1;
	if (!rewrite_on() || no_mem || (needs_frame(nr) && !frameless(nr)) ||
	    (unsigned long)nr > UINT32_MAX || limen_tls.vfork_child ||
	    limen_tls.nsud.on ||
	    limen_tls.strict || mm_shared || limen_rt.shared_tls ||
	    !limen_fast_sp)
		return;
	s = site_slot(call_addr, 1);
	if (!s || s->state == SITE_NEVER)
		return;
	if (s->state == SITE_DONE) {
		/* handed back by the fast path, or new code at the address
		   (a library loaded where a patched one was): look again */
		if (limen_safe_read(&b, s->mov, 1) == 1 && b != s->op) {
			s->pad = 0; /* its slot was the old code's */
			s->state = SITE_FREE;
		}
		return;
	}
	/*
	 * ld.so calls each of its sites once a library it loads (openat,
	 * read, newfstatat, mmap, close...): in a program with libc alone,
	 * twice, and a rewrite at the second call (an open of /proc/self/mem,
	 * two writes, a close: 15-20 us here) costs more than the traps it
	 * would save, none, at every exec (four of /bin/true's six rewrites).
	 * Its sites wait for a third call; the price where they have one is
	 * one trap more each (about 3-5 us).
	 */
	if (s->state == SITE_FREE) {
		s->state = call_addr > limen_ldso_lo && call_addr <= limen_ldso_hi
				   ? SITE_SEEN_LDSO
				   : SITE_SEEN;
		return;
	}
	if (s->state == SITE_SEEN_LDSO) {
		s->state = SITE_SEEN;
		return;
	}
	/* the second time: prove what we can (one thread claims it) */
	{
		uint32_t seen = SITE_SEEN;

		if (!__atomic_compare_exchange_n(&s->state, &seen, SITE_NEVER,
						 0, __ATOMIC_ACQ_REL,
						 __ATOMIC_ACQUIRE))
			return;
	}
	/* a filter inherited through exec may forbid them too (asked
	   once: unixpeer.c; ring_ahead asks the same); not the ones
	   limen itself runs under (a container's), which every image of
	   the trace inherits and which let the collector and the
	   runtime's start run: with no filter of a traced program's
	   added to them, sites are rewritten as without any */
	if (limen_seccomp_filtered() && !limen_seccomp_outer_only()) {
		no_mem = 1;
		return;
	}
	avail = window(win, call_addr - SYSCALL_LEN);
	form_regs(uc, &regs);
	job.s = s;
	job.f = &f;
	job.insn = avail && limen_form_find(w, avail, &regs, &f) ? w - f.len : 0;
	job.code = code;
	job.call_addr = call_addr;
	job.nr = nr;
	/* with other threads, the descriptors the proof and the patch take
	   for a moment would shift the numbers theirs get (aside.c): done
	   aside */
	limen_aside(second_time, &job, &done);
	/* a proof read from /proc/self/maps and the file may fail for a
	   moment (the maps read in pieces while other threads map and
	   unmap, as a Go runtime's do as it starts): tried again at the
	   site's next trap, PROOF_TRIES times in all */
	if (done == PROOF_FAILED && ++s->tries < PROOF_TRIES)
		__atomic_store_n(&s->state, SITE_SEEN, __ATOMIC_RELEASE);
}
/*
 * The program's mremap moved [old, old + old_len) to [to, to + new_len)
 * (rewrite_known.c, after the call). A patched site's jmp is relative to
 * where it stands, and its stub jumps back to where it stood: moved, it
 * leads into whatever lies at the same distance (a SIGSEGV, or worse).
 * The moved copy gets the site's own bytes back, and calls from there
 * trap to Syscall User Dispatch as any other site not yet seen; the
 * sites where the range was stay as they are (MREMAP_DONTUNMAP keeps
 * them mapped, and their stubs are still right for them).
 */
struct moved_job {
	uint64_t old, old_len, to, new_len;
};

/* The bytes [a, a + n) of the range moved, and where they are now */
static int moved_in(const struct moved_job *j, uint64_t a, uint64_t n,
		    uint64_t *now)
{
	if (a < j->old || a - j->old + n > j->old_len ||
	    a - j->old + n > j->new_len)
		return 0;
	*now = j->to + (a - j->old);
	return 1;
}

/* The n bytes at a are b's (a jmp of ours, its displacement moved with
 * it): not a page the program wrote anew, nor another object mapped since
 * where this site's was. Then they become put's, through *fd (opened the
 * first time: most mremaps move no site). */
static void put_back(long *fd, uint64_t a, const uint8_t *b, uint32_t n,
		     const uint8_t *put)
{
	uint8_t now[5];

	if (limen_safe_read(now, a, n) != (long)n)
		return;
	for (uint32_t i = 0; i < n; i++)
		if (now[i] != b[i])
			return;
	if (*fd < 0)
		*fd = limen_sys3(SYS_open, "/proc/self/mem", O_RDWR | O_CLOEXEC,
				 0);
	if (*fd >= 0)
		mem_write(*fd, a, put, n);
}

static long moved(void *arg, int helper)
{
	const struct moved_job *j = arg;
	uint32_t n = __atomic_load_n(&nsites, __ATOMIC_ACQUIRE);
	long fd = -1;

	if (n > SITES)
		n = SITES;
	for (uint32_t i = 0; i < n; i++) {
		const struct site *s = &sites[i];
		uint64_t at;
		uint8_t jmp[5];
		uint32_t len;

		if (__atomic_load_n(&s->state, __ATOMIC_ACQUIRE) != SITE_DONE)
			continue;
		/* the site's jmp and the pad form's slot, each given back its
		   own bytes wherever it went (a site moved without its slot
		   would jump 2..129 bytes on, into whatever is there now) */
		len = site_jmp(s, jmp);
		if (moved_in(j, s->mov, len, &at))
			put_back(&fd, at, jmp, len, s->orig);
		if (!s->pad)
			continue;
		jmp32(jmp, s->pad, s->stub);
		if (moved_in(j, s->pad, 5, &at))
			put_back(&fd, at, jmp, 5, int3s);
	}
	if (fd >= 0)
		limen_sys1(SYS_close, fd);
	(void)helper;
	return 0;
}

void limen_rewrite_moved(uint64_t old, uint64_t old_len, uint64_t to,
			 uint64_t new_len)
{
	struct moved_job j = { old, old_len, to, new_len };
	long r;

	limen_aside(moved, &j, &r);
}

extern uint64_t limen_lean_nrs[LEAN_NRS / 64] LIMEN_HIDDEN;

static int lean_bit(long nr)
{
	return limen_bit_get(limen_lean_nrs, LEAN_NRS, nr);
}

/* limen_fast_entry's C part: f is on limen's stack, its ucontext holds the
 * program's registers (fast.S). It ends in a tail call (limen_fast_run),
 * and fast.S puts the program's flags and rip where its way out takes
 * them: one frame and one return fewer after the program's call, 2 ns
 * less a recorded getppid (112.4 -> 110.3 and 111.8 -> 110.1 ns of CPU,
 * medians of 9 and 11 interleaved). Returns after the call to calls made
 * before it are dear here (one call/ret pair around the `syscall` added
 * 3.2 ns in fast.S, the same pair before it 0.7), but not all the gain:
 * fast.S making the quick call itself, one frame fewer still, measured
 * 1.6 ns slower. */
void limen_fast(struct limen_fast_frame *f)
{
	ucontext_t *uc = &f->uc;
	greg_t *g = uc->uc_mcontext.gregs;
	long nr = g[REG_RAX];

	/* fast.S filled f->resume, f->exit_sp, f->a and the ucontext: the
	   program's registers, rcx and r11 as the kernel's `syscall` at
	   the site leaves them (a handler of a signal delivered from this
	   frame while the call runs sees them: signals.c,
	   limen_app_syscall), limen's signal stack in uc_stack, no FPU
	   state, 8 bytes of signal mask clear (all the kernel uses) and
	   nothing else: its registers were at hand there, some 10
	   instructions fewer a call than here (bench/stepcount).
	   f->sel: the thread's tests below made by fast.S, and nr below
	   LEAN_NRS. A signal held since is found by limen_app_syscall, as
	   one that comes after these tests: the call is not made, and made
	   again after the handler (dispatch.c, reissue) */
	if ((!f->sel &&
	     (!limen_rt.ctl || limen_tls.deferred || limen_tls.strict ||
	      limen_tls.vfork_child || limen_tls.nsud.on)) ||
	    (!lean_bit(nr) &&
	     ((needs_frame(nr) &&
	       !(frameless(nr) && frameless_ok(nr, f->a))) ||
	      (uint64_t)nr >> 32)))
		/* to SUD, through the site's own `syscall` (the pad form's,
		   in its stub: f->handback): rax is nr (the program's own
		   dispatch decides there, nested_sud.c); and a number with
		   high bits set, which the kernel ignores: SUD's adapter
		   drops them before it asks what the call needs */
		g[REG_RIP] = (greg_t)f->handback;
	else
		limen_fast_run(uc, f->resume, f->a, (int)f->sel); /* quickrec.c */
}

/*
 * The way out found signals held. If the call was made, its result goes to
 * limen_sigsys through the site's `syscall` with FAST_GATE_NR: a cookie,
 * the result, the flags and rip below the program's stack pointer (under
 * what the stub wrote). Returns 0 when nothing needs handing over (the
 * call goes back to its `syscall` anyway, and SUD delivers the signals).
 */
int limen_fast_gate_prepare(struct limen_fast_frame *f)
{
	greg_t *g = f->uc.uc_mcontext.gregs;
	uint64_t w[GATE_WORDS], at = (uint64_t)g[REG_RSP] - GATE_BELOW;

	if ((uint64_t)g[REG_RIP] != f->resume || !gate_cookie)
		return 0;
	w[0] = gate_cookie;
	w[1] = (uint64_t)g[REG_RAX];
	w[2] = (uint64_t)g[REG_EFL];
	w[3] = (uint64_t)g[REG_RIP];
	if (limen_safe_write(at, w, sizeof(w)) != sizeof(w))
		return 0;
	f->exit_sp = at;
	g[REG_RAX] = FAST_GATE_NR;
	g[REG_RCX] = (greg_t)f->handback;
	return 1;
}

/* limen_sigsys: FAST_GATE_NR with our cookie: finish the fast path's call
 * (its exit is recorded) in this frame, whose way out delivers the held
 * signals. */
int limen_fast_gate(ucontext_t *uc)
{
	greg_t *g = uc->uc_mcontext.gregs;
	uint64_t w[GATE_WORDS], zero = 0;

	if (g[REG_RAX] != FAST_GATE_NR || !gate_cookie ||
	    limen_safe_read(w, (uint64_t)g[REG_RSP], sizeof(w)) != sizeof(w) ||
	    w[0] != gate_cookie)
		return 0;
	limen_safe_write((uint64_t)g[REG_RSP], &zero, sizeof(zero));
	g[REG_RAX] = (greg_t)w[1];
	g[REG_EFL] = (greg_t)w[2];
	g[REG_R11] = (greg_t)w[2];
	g[REG_RIP] = (greg_t)w[3];
	g[REG_RCX] = (greg_t)w[3];
	g[REG_RSP] += GATE_BELOW;
	return 1;
}

/* Where a signal that found the program on its way from a pad form's
 * site into the stub puts it back: at the site's `syscall` (a jmp now,
 * made again after the handler), as bare. But a program that single-steps
 * itself (TF in its flags) would meet the jmp again at every step and
 * never get past it: it goes to the stub's own `syscall` instead, which
 * SUD makes as the site's (limen_rewrite_handed_back). So does a fault of
 * the stub's own writes (to_sud: limen_rewrite_stub_fault), which the
 * stub would make again. */
static uint64_t pad_back(const struct site *s, const greg_t *g, int to_sud)
{
	return to_sud || (g[REG_EFL] & 0x100) ? s->handback
					       : s->addr - SYSCALL_LEN;
}

/* The pad form's site whose slot is at ip, or 0. */
static const struct site *pad_site(uint64_t ip)
{
	uint32_t n = __atomic_load_n(&nsites, __ATOMIC_ACQUIRE);

	/* set once its slot's jmp is written: a thread may pass through
	   the slot before SITE_DONE; still that jmp there (not new code
	   where a library was, nor a slot put back) */
	for (uint32_t i = 0; i < n && i < SITES; i++)
		if (sites[i].pad == ip) {
			uint8_t b[5], want[5];

			jmp32(want, ip, sites[i].stub);
			if (limen_safe_read(b, ip, sizeof(b)) != sizeof(b))
				return 0;
			for (int k = 0; k < 5; k++)
				if (b[k] != want[k])
					return 0;
			return &sites[i];
		}
	return 0;
}

/* The `syscall` that makes the call of the site whose `syscall` was at sc
 * natively, with Syscall User Dispatch off (signals.c: a dying process's
 * call made again where the bare one blocks, a seccomp filter's kill):
 * the site's own, or for the pad form, whose `syscall` is a jmp now into
 * the stub and limen, its stub's own. */
uint64_t limen_rewrite_native(uint64_t sc)
{
	const struct site *s = site_slot(sc + SYSCALL_LEN, 0);
	uint8_t b;

	if (!s || !s->pad || s->mov != sc ||
	    __atomic_load_n(&s->state, __ATOMIC_ACQUIRE) != SITE_DONE ||
	    limen_safe_read(&b, sc, 1) != 1 || b != OP_JMP8)
		return sc;
	return s->handback;
}

/* limen_sigsys, first: a call of a pad form's site handed back to SUD
 * traps at its stub's `syscall` (stub_bytes). It is the site's call:
 * the frame and the siginfo say so, as for the site's own `syscall`
 * (rip after it), for every hook, handler and child that sees them, and
 * the frame's way out goes straight back there. */
void limen_rewrite_handed_back(siginfo_t *si, ucontext_t *uc)
{
	uint64_t x = (uint64_t)(uintptr_t)si->si_call_addr - SYSCALL_LEN;
	uint32_t i, n;

	for (i = 0; i < npages; i++)
		if (x - pages[i].base < PAGE)
			break;
	if (i == npages)
		return;
	n = __atomic_load_n(&nsites, __ATOMIC_ACQUIRE);
	for (i = 0; i < n && i < SITES; i++) {
		const struct site *s = &sites[i];

		if (s->pad && s->handback == x) {
			uc->uc_mcontext.gregs[REG_RIP] = (greg_t)s->addr;
			si->si_call_addr = (void *)(uintptr_t)s->addr;
			return;
		}
	}
}

/*
 * A signal found the program at offset k of its stub's copy of the site's
 * instructions, past the replaced one (a profiler's SIGPROF, in 3 of 10
 * runs of a torture run's pipe loop under a 100 us timer): where the copy
 * is the site's bytes as they are (no branch grown, nothing re-aimed from
 * k on), the same instruction stands at the site's own address + k, after
 * the jmp, and the program goes on there (to its `syscall`, through SUD),
 * as the bare program would be. Else it stays where it is.
 */
static void copy_settle(greg_t *g, const struct site *s, uint64_t k)
{
	uint8_t a[FORM_STUB_MAX], b[FORM_STUB_MAX];
	uint64_t n = s->len - k;

	if (s->copy != s->len || k < INSN_LEN || k >= s->len ||
	    s->len > sizeof(a) ||
	    limen_safe_read(a, s->stub + k, n) != (long)n ||
	    limen_safe_read(b, s->mov + k, n) != (long)n)
		return;
	for (uint64_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return;
	g[REG_RIP] = (greg_t)(s->mov + k);
}

/*
 * A signal found the program in a stub, which has no unwind information
 * (an unwinder, backtrace() in the handler or an asynchronous
 * cancellation, stops there) and is no address of the program's: after
 * the copy of the site's instructions, on the lea, the pushfq or the
 * call, the program is at its site's `syscall` (made through SUD after
 * the handler), with the stack pointer the program's: what the bare
 * program would be; before a copy that is `mov $imm,%eax`, the same with
 * the mov done (or at the next copy's instruction in place). On a later
 * copy, at the same instruction in place (copy_settle).
 */
static void stub_settle(greg_t *g, int to_sud)
{
	uint64_t ip = (uint64_t)g[REG_RIP], t;
	uint32_t i;
	const struct site *s;

	/* on the jmp in a pad form's slot (pad_lo <= ip < pad_hi: no search
	   at every signal): at the site's `syscall`, as bare */
	if (ip >= pad_lo && ip < pad_hi && (s = pad_site(ip))) {
		g[REG_RIP] = (greg_t)pad_back(s, g, to_sud);
		return;
	}
	for (i = 0; i < npages; i++)
		if (ip - pages[i].base < PAGE)
			break;
	if (i == npages)
		return;
	for (i = 0; i < nsites; i++) {
		s = &sites[i];
		if (__atomic_load_n(&s->state, __ATOMIC_ACQUIRE) != SITE_DONE)
			continue;
		if (s->pad && ip == s->handback + SYSCALL_LEN) {
			/* made: on the stub's jmp back to the site */
			g[REG_RIP] = (greg_t)s->addr;
			return;
		}
		if (s->pad && ip == s->handback &&
		    g[REG_RAX] != FAST_GATE_NR) {
			/* a call handed back, about to trap: at the site, as
			   bare (the gate's own registers stay as they are) */
			g[REG_RIP] = (greg_t)pad_back(s, g, to_sud);
			return;
		}
		if (ip - s->stub >= s->tail + STUB_TAIL)
			continue;
		t = s->stub + s->tail;
		if (s->pad) {
			/* its nops, lea, pushfq or call: as on the slot's
			   jmp, the stack as it was */
			g[REG_RIP] = (greg_t)pad_back(s, g, to_sud);
			if (ip == t + 5)
				g[REG_RSP] += FAST_RED_ZONE;
			else if (ip == t + 6)
				g[REG_RSP] += FAST_RED_ZONE + 8;
			return;
		}
		if (ip == s->stub) {
			uint8_t b[5];

			/* back to the site would come here again (single
			   steps: SIGTRAP after the jmp, every time): a mov
			   $imm,%eax, the usual form, is done here instead,
			   then on at the `syscall` or at the first copy's
			   instruction in place (copy_settle; if it cannot,
			   here again, where the mov is done once more) */
			if (limen_safe_read(b, ip, sizeof(b)) != sizeof(b) ||
			    b[0] != OP_MOV_EAX)
				return;
			g[REG_RAX] = (greg_t)(b[1] | b[2] << 8 | b[3] << 16 |
					      (uint32_t)b[4] << 24);
			if (s->copy == INSN_LEN)
				g[REG_RIP] = (greg_t)s->handback;
			else
				copy_settle(g, s, INSN_LEN);
		} else if (ip == s->stub + s->copy || ip == t) {
			g[REG_RIP] = (greg_t)s->handback;
		} else if (ip < s->stub + s->copy) {
			copy_settle(g, s, ip - s->stub);
		} else if (ip == t + 5) {               /* pushfq */
			g[REG_RIP] = (greg_t)s->handback;
			g[REG_RSP] += FAST_RED_ZONE;
		} else if (ip == t + 6) {               /* call */
			g[REG_RIP] = (greg_t)s->handback;
			g[REG_RSP] += FAST_RED_ZONE + 8;
		}
		return;
	}
}

/*
 * A fault of a stub's own writes to the program's stack, its pushfq's or
 * its call's, which the bare program does not make at its `syscall`: a
 * program whose PKRU denies its stack's key around a call (key 0 for an
 * ordinary stack, pkru.h). The program goes to its site's `syscall`, as
 * stub_settle puts it, and makes the call there through SUD
 * (tests/syscalls/pkey_key0.t).
 */
int limen_rewrite_stub_fault(int sig, const siginfo_t *si, ucontext_t *uc)
{
	greg_t *g = uc->uc_mcontext.gregs;
	uint64_t ip = (uint64_t)g[REG_RIP];

	if (sig != SIGSEGV || si->si_code <= 0)
		return 0;
	for (uint32_t i = 0; i < nsites; i++) {
		const struct site *s = &sites[i];
		uint64_t t = s->stub + s->tail;

		if (__atomic_load_n(&s->state, __ATOMIC_ACQUIRE) ==
			    SITE_DONE &&
		    (ip == t + 5 || ip == t + 6)) {
			stub_settle(g, 1);
			return 1;
		}
	}
	return 0;
}

/*
 * A signal arrived at k on the way out of limen_fast_entry. Before the
 * switch to the program's stack: back to the check, which sees it held.
 * On the popfq or the ret: the registers are the program's already; finish
 * the two instructions in k, so that the signal finds the program after
 * its call and is delivered now (signals.c, take). Returns what
 * limen_lean_settle returns for the lean path, else -1.
 */
long limen_fast_settle(ucontext_t *k)
{
	greg_t *g = k->uc_mcontext.gregs;
	uint64_t ip = (uint64_t)g[REG_RIP];
	const uint64_t *sp;
	long lean = limen_lean_settle(k); /* or on its lean path (lean.c) */

	if (lean == -2 &&
	    ((ip >= (uintptr_t)limen_fast_exit_check &&
	      ip < (uintptr_t)limen_fast_exit_lea) ||
	     (ip > (uintptr_t)limen_fast_exit_ret &&
	      ip < (uintptr_t)limen_fast_exit_popf))) {
		g[REG_RIP] = (greg_t)(uintptr_t)limen_fast_exit_check;
		return -1;
	}
	/* the registers are the program's, rcx where it goes back to; rsp
	   the program's - FAST_BELOW, the flags in its slot there (the
	   program's already, or popfq's), until the lea */
	if (lean == -2 && (ip == (uintptr_t)limen_fast_exit_lea ||
			   ip == (uintptr_t)limen_fast_exit_popf)) {
		sp = (const uint64_t *)(uintptr_t)g[REG_RSP];
		g[REG_EFL] = (greg_t)sp[0];
		g[REG_RSP] += FAST_BELOW;
		ip = (uintptr_t)limen_fast_exit_ret;
	}
	if (lean == -2 && ip == (uintptr_t)limen_fast_exit_lea2) {
		g[REG_RSP] += FAST_BELOW - 8;
		ip = (uintptr_t)limen_fast_exit_ret;
	}
	if (lean == -2 && (ip == (uintptr_t)limen_fast_exit_ret ||
			   ip == (uintptr_t)limen_fast_exit_ret2))
		g[REG_RIP] = g[REG_RCX];
	if (lean == -2)
		stub_settle(g, 0);
	return lean == -2 ? -1 : lean;
}

/* deliver (signals.c) for a call in flight from a rewritten site: our
 * frame has no mask, FPU state or segment selectors of its own; the
 * program's are those at k, where the signal found the thread (limen's
 * code leaves them as the program had them). */
void limen_fast_adopt(ucontext_t *prog, const ucontext_t *k)
{
	greg_t *g = prog->uc_mcontext.gregs;
	const greg_t *kg = k->uc_mcontext.gregs;

	prog->uc_flags = k->uc_flags;
	memcpy(&prog->uc_sigmask, &k->uc_sigmask, sizeof(uint64_t));
	prog->uc_mcontext.fpregs = k->uc_mcontext.fpregs;
	g[REG_CSGSFS] = kg[REG_CSGSFS];
	g[REG_ERR] = 0;
	g[REG_TRAPNO] = 0;
	g[REG_OLDMASK] = 0;
	g[REG_CR2] = 0;
}
