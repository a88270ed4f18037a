/* SPDX-License-Identifier: MIT */
/*
 * Internal state of the runtime (liblimen.so). Everything here may run on the
 * SIGSYS path: no libc, no allocation except raw mmap, no locks.
 */
#ifndef LIMEN_RT_H
#define LIMEN_RT_H

#if !defined(__x86_64__)
#error "limen's runtime is x86_64 only (Syscall User Dispatch on x86_64)"
#endif

#include <stddef.h>
#include <stdint.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/ucontext.h>

#include "limen/uevent.h"
#include "session/session.h"
#include "systab.h"
#include "runtime/asm-offsets.h"
#include "runtime/peek.h"

#define LIMEN_HIDDEN __attribute__((visibility("hidden")))
/*
 * A large zeroed table of which an image's start touches a page or none:
 * placed after the rest of the runtime's bss (.lbss, which the linker
 * puts last), so that the small variables the start does touch share
 * fewer pages. Each page touched is a fault at every exec: 11 us on a
 * VM that keeps its guests' page tables.
 */
#define LIMEN_COLD_BSS __attribute__((section(".lbss")))
#define LIMEN_NSIG 65

/* The kernel's struct sigaction for rt_sigaction (not glibc's). */
struct limen_ksa {
	uint64_t handler;
	uint64_t flags;
	uint64_t restorer;
	uint64_t mask;
};

/* The program's call in flight in this thread's innermost SIGSYS handler. */
struct limen_inflight {
	long nr;
	const long *a;
	ucontext_t *uc;          /* the SIGSYS frame: the program's context */
	int record;              /* 0 none, 1 selected, 2 hidden bookkeeping */
	int done;                /* exit already recorded (by a signal wrapper) */
	uint64_t call_addr;      /* after the program's `syscall` instruction */
	struct limen_ua_call *ua; /* its uaccess log (uaccess.c) */
	struct limen_fcall *fc;  /* its filter state (filter.c), or NULL */
	int fast;                /* uc is a rewritten site's frame (rewrite.c) */
	const long *ka;          /* a wait's arguments as the kernel got them
				    (limen_wait_args), or NULL: a itself */
	struct limen_wait_scratch *wk; /* with ka: where they are */
	long pnr;                /* the program's rax for the call: what it
				    is given back to make the call again */
	long knr;                /* the number limen's own instruction
				    takes when it makes the call again */
};

/*
 * limen's signal stack. Every SIGSYS handler and every wrapper of a program
 * handler runs on it (SA_ONSTACK), never on the program's stack, which may
 * be a 2 KiB goroutine or a 4 KiB coroutine stack. No limen frame is live
 * while program code runs (the program's handlers run on the program's
 * stacks, signals.c), so the budget is one call's worth plus nesting:
 *   SIGSYS kernel frame: ~1 KB + xsave state (up to ~2.7 KB with AVX-512)
 *   the handler's C frames: at most ~6 KB (execve's hook, 4.8 KB, is the
 *     largest; -Wframe-larger-than in the Makefile keeps every frame small)
 *   per signal arriving while limen code runs: its kernel frame and the
 *     wrapper (~5.5 KB); each is blocked until the program can take it,
 *     so there is at most one per signal number, and one or two in practice.
 * 64 KiB holds a call and about ten such nestings; a guard page below it
 * turns an overflow into a fault instead of a corruption.
 */
#define LIMEN_STACK_BYTES (64u << 10)
#define LIMEN_GUARD_BYTES 4096u
/*
 * And a gap above it, never accessible: a thread's signal stack is mapped
 * when the thread starts, so the kernel puts it right below the thread's
 * own stack and its one guard page. A stack overflow that steps past that
 * guard (a frame of 4 KiB or more, alloca) or a signal frame the kernel
 * would fail to write there must fault as without limen, not land on
 * limen's stack (tests/corpus/overflow.t).
 */
#define LIMEN_STACK_GAP_BYTES (64u << 10)
#define LIMEN_STACK_MAP_BYTES \
	(LIMEN_GUARD_BYTES + LIMEN_STACK_BYTES + LIMEN_STACK_GAP_BYTES)

#define LIMEN_SS_AUTODISARM ((int)(1u << 31))

/* The program's own sigaltstack, which the kernel never sees. */
struct limen_vstack {
	uint64_t sp;
	uint64_t size;           /* 0: disabled */
	int32_t flags;           /* as the program set them (SS_AUTODISARM) */
};

/* A signal for the program that arrived while limen code ran. */
#define LIMEN_HELD 8
struct limen_held {
	int32_t sig;
	int32_t pad;
	uint8_t info[128];
};

/* The program's own Syscall User Dispatch, in the kernel's form: a call
 * at ip (after its `syscall`) is exempt when ip - offset < len. */
struct limen_nsud {
	uint64_t selector;       /* the program's selector byte; 0: none */
	uint64_t offset, len;
	int32_t on;
	uint32_t sel_gen;        /* limen_map_gen when the selector was last
				    read by process_vm_readv; 0: never */
};

/* Per thread. Lives in static TLS (initial-exec), zero in a new thread. */
#define LIMEN_UA_NEST 8 /* handlers nested on an armed slot, saved */

struct limen_wr {
	struct limen_slot *slot;
	uint8_t *p;              /* the reserved bytes */
	uint64_t start, end;     /* reservation, in ring positions */
};

struct limen_tls {
	/* signals that arrived while limen code ran, blocked until the
	   program can take them (signals.c, defer); first: stubs.S reads it
	   (TLS_DEFERRED) */
	uint64_t deferred;
	uint32_t nheld;          /* held[0..nheld-1], in order of arrival */
	/* while limen's code runs for a program whose PKRU denies key 0
	   (limen's own memory, pkru.h): that PKRU, in force only for the
	   program's call (stubs.S, TLS_PKRU_SPLIT) and limen's accesses to
	   its memory (safe_copy.S); 0 (key 0 allowed): the program's PKRU
	   is in force all along */
	uint32_t pkru_split;
	struct limen_slot *slot; /* NULL: this thread records nothing */
	uint8_t *ring;
	int32_t tid;
	int32_t pid;              /* for process_vm_readv on ourselves */
	int32_t vfork_child;     /* this is a vfork child on vfork_area */
	int32_t ppid;             /* as the thread's start record said it
				    (a new thread's, under a filter: clone.c) */
	uint8_t *vfork_area;     /* signal stack of our vfork children, lazily
				    mapped (see clone.c) */
	struct limen_inflight *inflight;
	int32_t sigsys_pending;  /* a SIGSYS that arrived while "blocked" */
	uint8_t sigsys_info[128];
	int32_t strict;          /* in seccomp strict mode (see dispatch.c) */
	uint64_t strict_tsc;     /* the clock of a strict thread */
	struct limen_vstack vstack;
	struct limen_held held[LIMEN_HELD];
	/* uaccess logging (uaccess.c) */
	uint64_t ua_slot;        /* prctl(63): the program's slot, 0: none */
	uint32_t ua_gen;         /* the address space generation at which: */
	uint32_t ua_slot_ok;     /*   the slot is readable (1), writable (2) */
	uint64_t ua_lo[2], ua_hi[2]; /* pages proven writable (desc, entries) */
	/* the slot of the code a handler interrupted, put back when the
	   handler returns through the frame whose ucontext is uc */
	struct { uint64_t slot, uc; } ua_saved[LIMEN_UA_NEST];
	uint32_t ua_nsaved;
	struct limen_nsud nsud;  /* the program's own dispatch (nested_sud.c) */
	uint64_t gs_reserving;    /* ring.c's `reserving` in the loader's
				    runtime, which has no __thread */
	void *gs_fcnt;            /* filter.c's when= counters, mapped at
				     the thread's first need: a pointer in
				     static TLS, not 1.9 KiB (glibc takes
				     static TLS out of every thread's
				     stack) */
	/* user events' chunk (uevent.c): ring positions [uc_start, uc.end)
	   reserved at once, filled from uc.pos by the program's inline emit
	   (include/limen/uevent.h) or limen_uevent_emit; uc.busy (the
	   emit's stack pointer) while an emit writes the record at uc.pos,
	   so that a signal handler's emit or system call leaves the chunk
	   to it */
	uint64_t uc_start;
	struct limen_slot *uc_slot;
	struct limen_uevent_thread uc;
	/* capture.c: the bytes of argv/envp (by argument) the record was
	   sized for, so that the capture never writes more even if another
	   thread grows the array in between */
	uint32_t argv_sized[6];
	/* the call's path, read once for all who look at it (peek.c) */
	struct limen_peek peek;
	/* limen's own synchronous signals (LIMEN_OWNED, owned.c) */
	uint64_t vblock;         /* those the program believes blocked */
	uint64_t pinned;         /* really blocked: one of them is pending */
	uint64_t vcall;          /* the view during a call that swaps the
				    mask (LIMEN_VCALL_ON set while it runs) */
	uint64_t vcall_real;     /* the mask that call really blocks */
	uint32_t fault_block;    /* > 0: limen blocks SIGSEGV and SIGBUS
				    for real (its reads use process_vm_readv) */
	/* signals sent to the process that rode on the trap whose frame is
	   rerouted_uc, passed back to it: blocked until that trap returns
	   (group_signal.c) */
	uint64_t rerouted;
	const void *rerouted_uc;
	/* user events' chunks (ring.c, limen_chunk_open), and records in
	   the ring's first lap (ring_ahead): bit i set once the i-th 64th
	   of the ring at uc_pop_ring has been made present, so that a
	   chunk there needs no madvise again; all ones: nothing more to
	   make present */
	uint64_t uc_populated;
	uint8_t *uc_pop_ring;
	/* ring.c, limen_rec_sys_pair: the room of the call's EXIT record,
	   reserved with its ENTER; exit_nr is the call's number + 1 while
	   it is, else 0 */
	struct limen_wr exit_w;
	long exit_nr;
	/* lone.c: the clock of a thread alone in the session: while
	   ctl->live is still lone_word (non-zero), each record takes
	   lone_tsc + 1; parked: this thread's count taken off ctl->live */
	uint64_t lone_word;
	uint64_t lone_tsc;
	uint32_t lone_parked;
	/* ring.c, ring_ahead: the ring position of the thread's first
	   record in the ring at uc_pop_ring; the ring position before which
	   it has nothing to do (reserve_quick does not call it) */
	uint64_t ring_pop_from;
	uint64_t ring_ahead_at;
	/* this thread's part of limen_rt.owned_transit (owned_transit.c) */
	uint32_t transit;
	/* a vfork child's own view of the dispositions, a copy its parent
	   made in a frame that stays put until the child execs or exits
	   (clone.c); NULL: limen_rt.vsig's, see limen_vsig */
	struct limen_vsig *vsig_own;
	/* aside.c: the tid of this thread while a helper runs for it (it
	   waits meanwhile): the helper, sharing this TLS, does further work
	   in place, and reads /proc/thread-self as this thread's */
	uint32_t aside;
	/* uaccess.c: the program's PKRU its proofs (ua_gen's) were made
	   with */
	uint32_t ua_pkru;
	/* aside.c: /proc/thread-self's link for the thread a helper runs
	   for ("PID/task/TID" as /proc numbers them, which need not be
	   getpid's and gettid's in a PID namespace whose /proc is
	   another's); "" if unread */
	char aside_self[40];
	/* exec.c: the mapping a vfork child (running on this thread's TLS)
	   planned its execve in, for the parent to take back when the child
	   is done (clone.c, restore_parent); per thread, as two threads'
	   children may exec at once */
	uint64_t exec_buf, exec_len;
	/* a vfork child's pid namespace, where it is not its parent's
	   (clone.c, child_setup): in the parent's TLS, which the parent
	   gets back whole (restore_parent); 0: limen_rt's */
	uint64_t pidns_vfork;
	/* a thread whose arming a seccomp filter of the program's refused
	   (clone.c): its rt_sigprocmask reaches the kernel, not limen, so
	   the real mask is the program's, owned signals too (owned.c) */
	uint32_t unarmed;
};
/* the loader's runtime makes limen_tls a macro, which the tag would meet */
typedef struct limen_tls limen_tls_t;
_Static_assert(offsetof(struct limen_tls, deferred) == TLS_DEFERRED &&
		       offsetof(struct limen_tls, pkru_split) == TLS_PKRU_SPLIT &&
		       offsetof(struct limen_tls, inflight) == TLS_INFLIGHT,
	       "stubs.S reads limen_tls.deferred, pkru_split and inflight");
_Static_assert(offsetof(struct limen_inflight, uc) == INFL_UC,
	       "stubs.S reads limen_tls.inflight->uc");
#ifdef LIMEN_GS_TLS
/*
 * The runtime inside limen's own loader (src/loader/): there is no ld.so to
 * give it static TLS, and %fs is the program's (a static program, Go, sets
 * it itself). Each thread's struct limen_tls lives in a block of its own
 * whose address is the thread's %gs base, which no x86_64 Linux program we
 * know of uses (loader.c, limen_gs_block). The block starts with a pointer
 * to itself so that one load gives a flat pointer.
 *
 * A new thread switches %gs in the middle of a function (clone.c), so the
 * load may not be kept across that. It was a volatile asm, loaded again at
 * every use (some 40 loads a recorded open+close pair, bench/stepcount).
 * Now it reads limen_gs_anchor as far as the compiler knows: it keeps the
 * pointer until something may have written that (a call, or an asm with a
 * "memory" clobber: every system call of raw.h, the arch_prctl that sets
 * %gs among them), and no store to the block's fields can (an object of
 * its own type, never written).
 */
struct limen_gs_anchor {
	void (*never)(struct limen_gs_anchor *);
};
extern struct limen_gs_anchor limen_gs_anchor LIMEN_HIDDEN;
#define LIMEN_GS_HDR 16
struct limen_gs_block {
	struct limen_gs_block *self;
	uint64_t fast_sp;        /* rewrite.c's limen_fast_sp (fast.S reads
				    it at %gs:LIMEN_GS_FAST_SP) */
	struct limen_tls t;
};
#define LIMEN_GS_FAST_SP 8
static inline struct limen_tls *limen_tls_self(void)
{
	struct limen_gs_block *b;

	__asm__("mov %%gs:0, %0" : "=r"(b) : "m"(limen_gs_anchor));
	return &b->t;
}
_Static_assert(offsetof(struct limen_gs_block, t) == LIMEN_GS_HDR &&
	       offsetof(struct limen_gs_block, fast_sp) == LIMEN_GS_FAST_SP,
	       "stubs.S reads limen_tls.deferred at %gs:16, fast.S the fast "
	       "path's stack at %gs:8");
#define limen_tls (*limen_tls_self())
static inline struct limen_gs_block *limen_gs_self(void)
{
	struct limen_gs_block *b;

	__asm__("mov %%gs:0, %0" : "=r"(b) : "m"(limen_gs_anchor));
	return b;
}
/* a new block for the calling thread, its %gs base: 0 or -errno */
int limen_gs_block_new(void) LIMEN_HIDDEN;
void limen_gs_block_free(void) LIMEN_HIDDEN;
/* n blocks' pages mapped at once, in pages[] (each 0 if refused): 0 or -1 */
int limen_gs_pages_map(void **pages, unsigned n) LIMEN_HIDDEN;
/* a block's page mapped ahead (ring.c's pool), 0: none; such a page
   made the calling thread's block (zeroed), 0 or -errno; the calling
   thread's block */
void *limen_gs_page_map(void) LIMEN_HIDDEN;
int limen_gs_block_use(void *page) LIMEN_HIDDEN;
void *limen_gs_block_self(void) LIMEN_HIDDEN;
/* src/loader/exe_view.c: a call on /proc/self/exe, answered for the
   program (1, result in *ret) or not ours (0) */
int limen_exe_hook(long nr, const long *a, long *ret) LIMEN_HIDDEN;
/* the program is about to install a seccomp filter: the name its exe link
   gives is asked now, while limen's calls for it cannot be refused */
void limen_exe_settle(void) LIMEN_HIDDEN;
/* 1: a path (len bytes) limen_exe_hook may want: its last name is exe */
int limen_exe_may_name(const char *s, long len) LIMEN_HIDDEN;
int limen_exe_viewed(void) LIMEN_HIDDEN;
#else
extern __thread struct limen_tls limen_tls LIMEN_HIDDEN;
#endif

/*
 * An emit marked busy that the program left for good (a handler that
 * interrupted it jumped out with siglongjmp): the program now runs at sp
 * neither deeper on the stack than that emit's frame nor on its alternate
 * signal stack, where a handler nested in the emit would run. Its record,
 * never published, is written over; otherwise the chunk would never be
 * closed and the collector would wait at that record for ever.
 */
static inline int limen_uc_abandoned(uint64_t sp)
{
	uint64_t b = limen_tls.uc.busy;

	if (!b || sp < b)
		return 0;
	if (limen_tls.vstack.size &&
	    sp - limen_tls.vstack.sp < limen_tls.vstack.size)
		return 0;
	return 1;
}
_Static_assert(offsetof(ucontext_t, uc_mcontext.gregs[REG_R8]) == UC_R8 &&
	       offsetof(ucontext_t, uc_mcontext.gregs[REG_R15]) == UC_R15 &&
	       offsetof(ucontext_t, uc_mcontext.gregs[REG_RDI]) == UC_RDI &&
	       offsetof(ucontext_t, uc_mcontext.gregs[REG_RAX]) == UC_RAX &&
	       offsetof(ucontext_t, uc_mcontext.gregs[REG_RSP]) == UC_RSP &&
	       offsetof(ucontext_t, uc_mcontext.gregs[REG_RIP]) == UC_RIP &&
	       offsetof(ucontext_t, uc_sigmask) + 8 == KUC_SIZE,
	       "the ucontext layout of the CFI in stubs.S");

struct limen_vsig {
	struct limen_ksa act;    /* what the program installed */
	int valid;               /* 0: ask the kernel */
};

/* Per process. */
#define LIMEN_CORE_TIDS 64
struct limen_rt {
	struct limen_ctl *ctl;   /* NULL: not tracing; mapped with the slot
				    table only (the rings: see ring.c) */
	struct limen_slot *slots;
	struct limen_geom geom;  /* private copy, checked once (session.h) */
	uint8_t **ring_of;       /* per slot: its ring as mapped in this
				    process, or NULL */
	char session_path[64];   /* /proc/<collector>/fd/<n>; "" when that
				    path does not lead to the session */
	uint64_t session_dev, session_ino; /* the memfd, to check a reopening */
	uintptr_t text_lo, text_hi; /* the exempt range */
	uint32_t strsize;
	char session_env[1200];    /* "LIMEN_SESSION=..." to put back at execve */
	char preload[1024];      /* our own path, first in LD_PRELOAD */
	/* our pid namespace's inode (limen_pidns_read), for the slots we
	   claim; pidns_moved: unshare or setns was called, so a child may
	   be in another one (clone.c reads its own) */
	uint64_t pidns;
	int pidns_moved;
	int shared_tls;          /* a CLONE_VM thread shares our TLS: look up
				    the slot by tid (see ring.c) */
	uint64_t stack_start;    /* the main thread's stack top, from
				    /proc/self/stat; 0: not read yet */
	struct limen_vsig vsig[LIMEN_NSIG];
	uint32_t prog_tls_shared; /* a CLONE_VM thread shares the program's
				     %fs TLS (whatever ours, in the loader's
				     %gs build, does): user events' gate */
	/* a thread waits until the signal it passed back to the process is
	   taken (group_signal.c): a futex word bumped at each take */
	uint32_t group_taken;
	uint32_t group_waiters;
	/* one of limen's fault signals taken by the program (a handler, a
	   sigwaitinfo), not passed on: what limen_group_settle waits for */
	uint32_t owned_taken;
	int notime;              /* LIMEN_CTL_NO_TIME, read at start (lone.c) */
	/* limen's fault signals held between the kernel's dequeue and
	   their re-queue, process-wide: a futex word (owned_transit.c) */
	uint32_t owned_transit;
	uint32_t transit_gen;    /* bumped as each transit begins */
	/* core_signal.c, limen_core_gather: the thread about to dump a
	   core (0: none), the other threads that answered its call (a
	   futex word), and those that went to make their call again at
	   their own `syscall` (LIMEN_CORE_TIDS at most) */
	int32_t core_dumper;
	uint32_t core_answered;
	uint32_t core_nmoved;
	int32_t core_moved[LIMEN_CORE_TIDS];
};
extern struct limen_rt limen_rt LIMEN_HIDDEN;

/*
 * The program's view of its signal dispositions, indexed by signal. A vfork
 * child shares our memory but has its own kernel handler table: its
 * sigaction calls, its signals and its exec read and write a private copy
 * (limen_tls.vsig_own), never the table its parent's other threads use.
 */
static inline struct limen_vsig *limen_vsig(void)
{
	struct limen_vsig *own = limen_tls.vsig_own;

	return own ? own : limen_rt.vsig;
}

/*
 * A record's timestamp. Seccomp strict mode also disables RDTSC for the
 * thread (it would fault), and leaves no call to ask for the time: its
 * records take one tick each past the moment it entered the mode, which
 * keeps them in order after everything it did before. When no output
 * shows or counts time (LIMEN_CTL_NO_TIME), a thread alone in the
 * session takes one tick each past a real stamp too, as long as no
 * thread was added since (lone.c, where the order this keeps is proved).
 */
uint64_t limen_lone_now(void) LIMEN_HIDDEN;

/* limen_now's ways that need no call: 1 with the stamp in *t, 0 when it
   is limen_lone_now's to give. A record writer that takes that call out
   of line (ring.c) keeps no register across it in its common case. */
static inline __attribute__((always_inline)) int limen_now_quick(uint64_t *t)
{
	if (__builtin_expect(limen_tls.strict, 0)) {
		*t = ++limen_tls.strict_tsc;
		return 1;
	}
	if (limen_rt.notime) {
		if (limen_tls.lone_word &&
		    __atomic_load_n(&limen_rt.ctl->live, __ATOMIC_ACQUIRE) ==
			    limen_tls.lone_word) {
			*t = ++limen_tls.lone_tsc;
			return 1;
		}
		return 0;
	}
	*t = limen_rdtsc();
	return 1;
}

static inline uint64_t limen_now(void)
{
	uint64_t t;

	if (limen_now_quick(&t))
		return t;
	return limen_lone_now();
}

/* Bit i of a bitmap of n bits that other threads may change (0 past
   its end). */
static inline __attribute__((always_inline)) int
limen_bit_get(const uint64_t *bits, unsigned long n, long i)
{
	if ((unsigned long)i >= n)
		return 0;
	return (__atomic_load_n(&bits[i / 64], __ATOMIC_RELAXED) >> (i % 64)) &
	       1;
}

/* A call's record but its header: its number, stamp, arguments, result
   (or, at entry, the call site) and the count of captures that follow */
static inline __attribute__((always_inline)) void
limen_rec_sys_fill_at(struct limen_rec_sys *r, long nr, const long *a,
		      long ret, uint32_t ncap, uint64_t tsc)
{
	r->nr = (uint32_t)nr;
	r->ncap = ncap;
	r->tsc = tsc;
	/* spelled out: GCC keeps the loop (30 instructions a record, 12
	   this way; bench/stepcount) */
	r->args[0] = (uint64_t)a[0];
	r->args[1] = (uint64_t)a[1];
	r->args[2] = (uint64_t)a[2];
	r->args[3] = (uint64_t)a[3];
	r->args[4] = (uint64_t)a[4];
	r->args[5] = (uint64_t)a[5];
	r->ret = ret;
}

/* the same, stamped now */
static inline __attribute__((always_inline)) void
limen_rec_sys_fill(struct limen_rec_sys *r, long nr, const long *a, long ret,
		   uint32_t ncap)
{
	limen_rec_sys_fill_at(r, nr, a, ret, ncap, limen_now());
}

/* aside.c: work that needs a descriptor for a moment, kept out of the
 * program's descriptor table while other threads may share it: fn(arg,
 * helper) runs here (helper 0) or in a helper thread (1, where
 * /proc/thread-self is the helper's and /proc/self/stat counts it);
 * *ret is what it returned. Where no helper can be made, it runs here
 * although the table may be shared. */
void limen_aside(long (*fn)(void *, int), void *arg, long *ret) LIMEN_HIDDEN;
int limen_aside_private(void) LIMEN_HIDDEN; /* no helper needed now */
/* path (a /proc file) read into buf, at most size - 1 bytes and a NUL,
 * in one read, aside where the table may be shared (/proc/thread-self is
 * the calling thread's all the same): the bytes, or -errno; *helper: read
 * by a helper thread, which /proc/self/stat and status count. */
long limen_proc_read(const char *path, char *buf, size_t size, int *helper)
	LIMEN_HIDDEN;
int limen_aside_is_alone(void) LIMEN_HIDDEN;
void limen_aside_alone(void) LIMEN_HIDDEN;
void limen_aside_start(void) LIMEN_HIDDEN;
void limen_aside_clone(uint64_t flags) LIMEN_HIDDEN;
void limen_aside_forked(uint64_t flags) LIMEN_HIDDEN;
void limen_aside_filtered(void) LIMEN_HIDDEN;
/* a seccomp filter of the program's own may be on (aside.c) */
int limen_program_filtered(void) LIMEN_HIDDEN;
int limen_seccomp_outer_known(void) LIMEN_HIDDEN;

/* lone.c: the count of live threads (ctl->live) */
void limen_lone_start(void) LIMEN_HIDDEN;
void limen_lone_clone(void) LIMEN_HIDDEN;
void limen_lone_clone_failed(void) LIMEN_HIDDEN;
void limen_lone_vfork_back(void) LIMEN_HIDDEN;
void limen_lone_park(void) LIMEN_HIDDEN;
void limen_lone_unpark(void) LIMEN_HIDDEN;
long limen_lone_wait(long nr, const long *a) LIMEN_HIDDEN;
void limen_lone_off(void) LIMEN_HIDDEN;
void limen_lone_real(void) LIMEN_HIDDEN;

/* libc.c: what the compiler may call on its own. */
void *memcpy(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);
void *memmove(void *d, const void *s, size_t n);
size_t limen_strlen(const char *s) LIMEN_HIDDEN;
int limen_strncmp(const char *a, const char *b, size_t n) LIMEN_HIDDEN;
/*
 * v in decimal at p, '-' first if negative, then a NUL (21 bytes at most):
 * the bytes before the NUL. snprintf is libc's, which the runtime never
 * calls (Makefile, -nostdlib; the loader has no libc at all). Inline: its
 * callers format a descriptor on the way of a traced call (fdinfo.c).
 */
static inline uint32_t limen_fmt_dec(char *p, int64_t v)
{
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	char d[20];
	uint32_t n = 0, k = 0;

	do
		d[n++] = (char)('0' + u % 10);
	while ((u /= 10));
	if (v < 0)
		p[k++] = '-';
	while (n)
		p[k++] = d[--n];
	p[k] = 0;
	return k;
}

/* safe.c: reads of program memory that fail instead of faulting. */
long limen_safe_read(void *dst, uint64_t src, size_t n) LIMEN_HIDDEN;
/* mm_view.c: the kernel's view of the layout made the program's; a field
   left 0 (a pair by its end) keeps the kernel's, read from
   /proc/self/stat, unless start_stack is given: then every field is. 0
   or -errno. */
struct limen_mm_view {
	uint64_t start_code, end_code, start_data, end_data;
	uint64_t env_end;  /* where /proc/PID/environ stops */
	const void *auxv;  /* /proc/PID/auxv, AT_NULL included */
	uint32_t auxv_size;
	uint64_t start_stack, start_brk, brk, arg_start, arg_end, env_start;
};
int limen_mm_view_set(const struct limen_mm_view *w) LIMEN_HIDDEN;
/* safe.c: a string, a word at a time where it can */
struct limen_str_read {
	long got; /* bytes read (<= 0: none) */
	long len; /* the NUL's index in them, or -1 */
};
struct limen_str_read limen_safe_str(char *dst, uint64_t src,
				     size_t n) LIMEN_HIDDEN;
/* peek.c: limen_safe_read of a call's path, once per call */
void limen_peek_begin(void) LIMEN_HIDDEN;
void limen_peek_end(void) LIMEN_HIDDEN;
void limen_peek_note(uint64_t src, const char *s, uint32_t len, int cut,
		     int fault) LIMEN_HIDDEN;
long limen_peek_read(void *dst, uint64_t src, size_t n) LIMEN_HIDDEN;
/* safe.c: limen's SIGSEGV/SIGBUS recovery for limen_safe_read's plain loads */
int limen_copy_fixup(int sig, const siginfo_t *si, ucontext_t *uc) LIMEN_HIDDEN;
void limen_fault_init(void) LIMEN_HIDDEN;
void limen_fault_reinstall(void) LIMEN_HIDDEN;
void limen_fault_real(int sig, struct limen_ksa *real) LIMEN_HIDDEN;
/* n bytes into the program's memory as the kernel's copy_to_user for a
   call writes them: with the program's PKRU (a page of a key it denies
   writes to: short, or -EFAULT); bytes written, or -errno */
long limen_put_user(uint64_t dst, const void *src, size_t n) LIMEN_HIDDEN;
/* The same with the program's PKRU prog as it was at the call (pk: there
   is PKU), for a copy made later, from a signal's way where the kernel's
   default for handlers is in force (limen_wait_out) */
long limen_put_user_as(uint64_t dst, const void *src, size_t n,
		       uint32_t prog, int pk) LIMEN_HIDDEN;
/* The same as the kernel writes a signal frame: every key allowed */
long limen_safe_write(uint64_t dst, const void *src, size_t n) LIMEN_HIDDEN;
/* the process has a userfaultfd of user-mode faults only: every read and
   write of its memory through the kernel from now on */
void limen_safe_kernel_only(void) LIMEN_HIDDEN;
/* uffd.c: run()'s look at a call that may make such a userfaultfd */
long limen_uffd_call(long nr, const long *a, long ret) LIMEN_HIDDEN;

/* ring.c */
int limen_thread_register(uint32_t kind, int use_tls) LIMEN_HIDDEN;
/* The ids a new thread would ask the kernel for, known to its parent */
struct limen_ids {
	int32_t tid, pid, ppid;
};
int limen_thread_register_ids(uint32_t kind, int use_tls,
			      const struct limen_ids *ids) LIMEN_HIDDEN;
void limen_thread_unarmed(int use_tls, const struct limen_ids *ids)
	LIMEN_HIDDEN;
/* What a thread started under a seccomp filter of the program's takes
   from ring.c's pool, mapped before the filter went on: a claimed slot
   and its ring, a signal stack (limen_stack_map's), under limen's loader
   a %gs block's page; each 0 where there is none */
struct limen_kit {
	int64_t slot;
	uint8_t *ring;
	uint8_t *stack;
	void *gs;
};
int limen_ring_kit_take(struct limen_kit *k) LIMEN_HIDDEN;
void limen_ring_kit_return(struct limen_kit *k) LIMEN_HIDDEN;
int limen_thread_register_kit(uint32_t kind, int use_tls,
			      const struct limen_ids *ids,
			      const struct limen_kit *k) LIMEN_HIDDEN;
/* limen_thread_done for a thread that ends on its signal stack (the
   mapping's start) and %gs block (0: none), given back to the pool
   under a filter: 1 then, nothing of them to unmap */
int limen_thread_done_kit(uint8_t *stack, void *gs) LIMEN_HIDDEN;
void limen_ring_lend(long fd) LIMEN_HIDDEN;   /* ring.c */
void limen_ring_lend_end(void) LIMEN_HIDDEN;
/* The kernel marked the collector's lock (ctl->collector_lock): the
   collector exited or was killed. */
int limen_collector_died(void) LIMEN_HIDDEN;
void limen_thread_done(void) LIMEN_HIDDEN;
/* A fork child: drop the rings of the parent's threads it inherited. */
void limen_rings_drop_inherited(void) LIMEN_HIDDEN;
/* A vfork child: its ring is known to the TLS it shares with its parent
   only (unlisted), and the parent unmaps it when it resumes
   (limen_ring_vfork_done); where limen_ring_vfork_keeps, it stays listed
   and the parent keeps it mapped for its next child (ring.c). */
void limen_ring_unlist(void) LIMEN_HIDDEN;
void limen_ring_unmap(uint8_t *ring) LIMEN_HIDDEN;
int limen_ring_vfork_keeps(void) LIMEN_HIDDEN;
/* A vfork child's execve planned in [buf, buf + len) (limen_tls.exec_buf):
   unmapped, or kept for the next child (exec.c) */
void limen_exec_buf_done(uint64_t buf, uint64_t len) LIMEN_HIDDEN;
void limen_ring_vfork_done(struct limen_slot *slot, uint8_t *ring) LIMEN_HIDDEN;
/* Keep a mapping of limen's out of the program's core dumps. */
int limen_session_overlaps(uint64_t a, uint64_t n) LIMEN_HIDDEN;
/* ring.c: rings mapped before the program's first seccomp filter, for
   the threads it starts after (dispatch.c calls the fill) */
void limen_ring_pool_fill(void) LIMEN_HIDDEN;
int limen_ring_pooled(void) LIMEN_HIDDEN;
#ifdef LIMEN_GS_TLS
/* a %gs block's page mapped with the pool, for a thread it has no ring
   for; 0: none left */
void *limen_ring_gs_spare(void) LIMEN_HIDDEN;
#endif
int limen_ring_pool_overlaps(uint64_t a, uint64_t end) LIMEN_HIDDEN;
void limen_dontdump(long addr, uint64_t len) LIMEN_HIDDEN;
/* the inode of the calling process's pid namespace, 0: unknown (no /proc,
   or a seccomp filter of the program's that could refuse the stat) */
uint64_t limen_pidns_read(void) LIMEN_HIDDEN;
/* the calling thread's pid namespace, for the slots it claims */
static inline uint64_t limen_pidns_mine(void)
{
	return limen_tls.pidns_vfork ? limen_tls.pidns_vfork : limen_rt.pidns;
}
/* ring.c: the LIMEN_PREV note (session.h) into out, whose cap must be
   LIMEN_PREV_NOTE_MAX at least; its length, 0: none */
#define LIMEN_PREV_SLOTS 128
#define LIMEN_PREV_NOTE_MAX (sizeof(LIMEN_PREV_ENV) + 24 + \
			     LIMEN_PREV_SLOTS * 22 + 1)
size_t limen_ring_prev_note(char *out, size_t cap) LIMEN_HIDDEN;
int limen_rec_reserve(struct limen_wr *w, uint32_t bound) LIMEN_HIDDEN;
void limen_rec_commit(struct limen_wr *w, uint16_t type, uint16_t flags,
		      uint32_t used) LIMEN_HIDDEN;
/* the user events' chunk of this thread: reserve one of bound bytes
   (closing the one open), or close it (what is left becomes padding) */
int limen_chunk_open(uint32_t bound) LIMEN_HIDDEN;
void limen_chunk_close(void) LIMEN_HIDDEN;
void limen_chunk_abandoned(void) LIMEN_HIDDEN;

/* capture.c */
uint32_t limen_capture_bound(const struct limen_sysent *se, const long *a,
			     long ret, int at_exit) LIMEN_HIDDEN;
uint32_t limen_capture(uint8_t *dst, const struct limen_sysent *se,
		       const long *a, long ret, int at_exit,
		       uint32_t *ncap) LIMEN_HIDDEN;

/* fdinfo.c: -y, -yy: the descriptors of a call, resolved at the call */
uint32_t limen_fdinfo_bound(const struct limen_sysent *se, const long *a,
			    long ret, int at_exit) LIMEN_HIDDEN;
uint32_t limen_fdinfo_capture(uint8_t *dst, uint32_t limit,
			      const struct limen_sysent *se, const long *a,
			      long ret, int at_exit,
			      uint32_t *ncap) LIMEN_HIDDEN;
/* -yy: a UNIX socket's peer inode at the call, 0: none, -1: not asked */
long limen_unix_peer(uint32_t ino, int type);
/* the program installs a seccomp filter; an image starts (unixpeer.c) */
void limen_unix_peer_seccomp(void);
int limen_seccomp_filtered(void); /* a filter may be on (asks once) */
/* ... and it is only limen's own environment's (a container's) */
int limen_seccomp_outer_only(void) LIMEN_HIDDEN;
void limen_unix_peer_exec(void);

/* dump.c: -e read=, -e write=: the whole data of a call */
uint32_t limen_dump_bound(const struct limen_sysent *se, const long *a,
			  long ret, int at_exit) LIMEN_HIDDEN;
uint32_t limen_dump_capture(uint8_t *dst, uint32_t limit,
			    const struct limen_sysent *se, const long *a,
			    long ret, int at_exit,
			    uint32_t *ncap) LIMEN_HIDDEN;

uint32_t limen_nl_bound(const struct limen_sysent *se, const long *a,
			long ret, int at_exit) LIMEN_HIDDEN;
uint32_t limen_nl_capture(uint8_t *dst, uint32_t limit,
			  const struct limen_sysent *se, const long *a,
			  long ret, int at_exit, uint32_t *ncap) LIMEN_HIDDEN;

/* exact bytes of special argument i (capture bounds them) */
uint64_t limen_special_bytes(const struct limen_sysent *se, unsigned i,
			     const long *a, long ret, int at_exit) LIMEN_HIDDEN;
/* pselect6, io_pgetevents: a special argument of a signal mask's pointer
   and size (the mask behind it read too) */
int limen_is_sigpack(const struct limen_sysent *se) LIMEN_HIDDEN;

/* special_prctl.c: bytes behind prctl's argument i, seccomp's uargs */
uint64_t limen_prctl_special_bytes(unsigned i, const long *a,
				   int at_exit) LIMEN_HIDDEN;
uint64_t limen_seccomp_special_bytes(const long *a, int at_exit) LIMEN_HIDDEN;

/* special_ipc.c: bytes a System V IPC call's special argument covers */
uint64_t limen_special_ipc_len(const struct limen_sysent *se, const long *a,
			       long ret, int at_exit) LIMEN_HIDDEN;

/* uaccess.c: the uaccess logging ABI (include/limen/uaccess.h) */
struct limen_ua_call {
	uint64_t desc;           /* the program's descriptor; 0: no log */
	uint64_t addr, size;     /* its contents at entry */
	uint32_t in_len[6];      /* socklen values at entry, by argument */
	uint32_t namelen[8];     /* msg_namelen at entry (recvmsg, recvmmsg) */
	int snap;                /* in_len, namelen and gen taken */
	int inplace;             /* the call read its iovec arrays whole */
	int timeout_set;         /* select/ppoll: a non-zero timeout */
	uint32_t gen;            /* the address space at entry (uaccess.c) */
};
long limen_ua_prctl(const long *a) LIMEN_HIDDEN;

/* uevent.c, uevent_abi.c: user events (include/limen/uevent.h) and the
   kernel's user_events ABI where the kernel has none */
int limen_uev_register(uint64_t name_args, uint32_t max, int multi,
		       int32_t *id, int *on, uint32_t *fixed, int hold)
	LIMEN_HIDDEN;
long limen_uev_record(int32_t id, const long *iov, long n, uint64_t skip,
		      uint32_t fixed) LIMEN_HIDDEN;
long limen_uev_hook(long nr, const long *a, long *ret) LIMEN_HIDDEN;
void limen_uev_clone_done(long nr, const long *a) LIMEN_HIDDEN;
/*
 * The calls limen_uev_hook looks at, one list for dispatch.c's run() and
 * lean.c: those that only matter for a descriptor the emulation follows
 * (an emulated file's, a kernel's tracefs directory whose listing gets
 * entries added) or for an emulated working directory (fchdir leaves it,
 * getcwd names it):
 * lean until the process has one (limen_lean_fd_off); and the others:
 * paths and directories of the emulated tracefs, descriptors passed to or
 * by another process.
 */
#define LIMEN_UEV_FD_CALLS(X) \
	X(SYS_read) X(SYS_readv) X(SYS_write) X(SYS_writev) X(SYS_close) \
	X(SYS_close_range) X(SYS_dup) X(SYS_dup2) X(SYS_dup3) X(SYS_fcntl) \
	X(SYS_ioctl) X(SYS_getdents64) X(SYS_fstat) X(SYS_fchdir) \
	X(SYS_getcwd) X(SYS_fgetxattr) X(SYS_flistxattr) \
	LIMEN_UEV_NEWFD_CALLS(X)
/* the calls that make new descriptors, but open, openat and the dups
   (the syscall table's RET_FD numbers, and pipe, pipe2, socketpair):
   a number the emulation had seen closed elsewhere may come back from
   any of them (uevent_abi.c, new_fds) */
#define LIMEN_UEV_NEWFD_CALLS(X) \
	X(SYS_creat) X(SYS_openat2) X(SYS_open_by_handle_at) \
	X(SYS_socket) X(SYS_accept) X(SYS_accept4) X(SYS_socketpair) \
	X(SYS_pipe) X(SYS_pipe2) X(SYS_epoll_create) X(SYS_epoll_create1) \
	X(SYS_eventfd) X(SYS_eventfd2) X(SYS_signalfd) X(SYS_signalfd4) \
	X(SYS_timerfd_create) X(SYS_inotify_init) X(SYS_inotify_init1) \
	X(SYS_fanotify_init) X(SYS_memfd_create) X(SYS_perf_event_open) \
	X(SYS_pidfd_open) X(SYS_userfaultfd) X(SYS_io_uring_setup) \
	X(SYS_open_tree) X(SYS_fsopen) X(SYS_fsmount) X(SYS_fspick) \
	X(SYS_mq_open) X(SYS_landlock_create_ruleset) X(SYS_memfd_secret)
#define LIMEN_UEV_OTHER_CALLS(X) \
	X(SYS_open) X(SYS_openat) \
	X(SYS_stat) X(SYS_lstat) X(SYS_newfstatat) \
	X(SYS_statx) X(SYS_access) X(SYS_faccessat) X(SYS_faccessat2) \
	X(SYS_chdir) X(SYS_getxattr) \
	X(SYS_lgetxattr) X(SYS_listxattr) \
	X(SYS_llistxattr) X(SYS_readlink) \
	X(SYS_readlinkat) X(SYS_mount) X(SYS_umount2) X(SYS_sendmsg) \
	X(SYS_sendmmsg) X(SYS_recvmsg) X(SYS_recvmmsg) X(SYS_pidfd_getfd)
#define LIMEN_CASE(nr) case nr:
/* enable or disable event id for the whole session */
void limen_uev_set_on(int32_t id, int on) LIMEN_HIDDEN;
/* the API's enable word (a u32, 1: on), kept in line with the session */
int limen_uev_track(uint64_t word, int32_t id, int on) LIMEN_HIDDEN;
int limen_uev_untrack(uint64_t word) LIMEN_HIDDEN;
/* at a system call: bring this process's enable bits in line */
void limen_uev_sync(void) LIMEN_HIDDEN;
extern uint32_t limen_uev_gen_seen LIMEN_HIDDEN;
int limen_uev_wanted(const struct limen_ctl *c, const char *name, uint32_t n)
	LIMEN_HIDDEN;
long limen_uev_del(uint64_t name) LIMEN_HIDDEN;
long limen_uev_del_all(void) LIMEN_HIDDEN;
/* the functions of the user events API (uevent.c), called by the program
   as its own code: a signal arriving there is delivered, not held */
#define LIMEN_API_TEXT __attribute__((section("limen_api"), noinline))
extern const char __start_limen_api[] LIMEN_HIDDEN;
extern const char __stop_limen_api[] LIMEN_HIDDEN;
/* uevent_tracefs.c: the tracefs files of user_events, emulated; a
   descriptor of one is LIMEN_TFS_FILE | what it is (see there) */
#define LIMEN_TFS_FILE 0x8000u
uint16_t limen_tfs_path(uint64_t path) LIMEN_HIDDEN;
int limen_tfs_any(void) LIMEN_HIDDEN;
int limen_tfs_is_pipe(uint16_t kind) LIMEN_HIDDEN;
int limen_tfs_is_dir(uint16_t kind) LIMEN_HIDDEN;
long limen_tfs_getdents(uint16_t kind, long fd, uint64_t dst, long count)
	LIMEN_HIDDEN;
int limen_tfs_is_session_wide(uint16_t kind) LIMEN_HIDDEN;
int limen_tfs_kernel_has(void) LIMEN_HIDDEN;
int limen_tfs_shadowed(void) LIMEN_HIDDEN;
void limen_tfs_forget_mounts(void) LIMEN_HIDDEN;
long limen_tfs_open(uint16_t kind, long flags) LIMEN_HIDDEN;
long limen_tfs_write(uint16_t kind, uint64_t buf, long n) LIMEN_HIDDEN;
long limen_tfs_read(long fd, uint64_t dst, long n) LIMEN_HIDDEN;
void limen_tfs_emit(int32_t id, const uint8_t *p, uint32_t len) LIMEN_HIDDEN;
void limen_tfs_enable(int32_t id, int on) LIMEN_HIDDEN;
#define LIMEN_TFS_PATH 1024u /* longest path that can name one */
void limen_tfs_norm(char *p) LIMEN_HIDDEN;
/* uevent_tfs_path.c: the path of the directory a relative path is
   resolved from (the working directory, or dirfd's), without its NUL */
long limen_dir_path(long dirfd, char *abs, size_t size) LIMEN_HIDDEN;
uint16_t limen_tfs_lookup(char *p) LIMEN_HIDDEN;
int limen_tfs_may_name(const char *last, uint32_t n) LIMEN_HIDDEN;
int limen_tfs_no_name(const char *last, uint32_t n) LIMEN_HIDDEN;
int limen_tfs_events_named(void) LIMEN_HIDDEN;
uint32_t limen_tfs_dir_path(uint16_t kind, char *out) LIMEN_HIDDEN;
uint32_t limen_tfs_mode(uint16_t kind) LIMEN_HIDDEN;
uint64_t limen_tfs_ino(uint16_t kind) LIMEN_HIDDEN;
uint16_t limen_tfs_data_kind(void) LIMEN_HIDDEN;
int limen_tfs_is_data(uint16_t kind) LIMEN_HIDDEN;
uint32_t limen_tfs_kind_path(uint16_t kind, char *out) LIMEN_HIDDEN;
/* a stand-in memfd's name: "limen:" and the path it stands for, within
   the kernel's 249 bytes (MFD_NAME_MAX_LEN) */
#define LIMEN_TFS_MEMFD "limen:"
#define LIMEN_TFS_MEMFD_NAME 250u
long limen_tfs_memfd(uint16_t kind, long flags) LIMEN_HIDDEN;
/* uevent_tfs_proc.c: the emulated files through /proc/PID/fd/N,
   /dev/fd/N and /proc/PID/cwd */
int limen_tfs_proc_file(uint64_t path, int nofollow, char *abs, uint16_t *f)
	LIMEN_HIDDEN;
long limen_tfs_proc_readlink(uint64_t path, uint64_t buf, long size,
			     long *ret) LIMEN_HIDDEN;
uint16_t limen_tfs_proc_after_enoent(uint64_t path) LIMEN_HIDDEN;
uint16_t limen_tfs_memfd_kind(long fd) LIMEN_HIDDEN;
uint16_t limen_tfs_pipe_of(uint64_t dev, uint64_t ino) LIMEN_HIDDEN;
uint16_t limen_tfs_cwd_kind(void) LIMEN_HIDDEN;
extern uint16_t limen_tfs_wd_kind LIMEN_HIDDEN; /* limen_tfs_cwd_kind's */
uint16_t limen_tfs_cwd_of(uint64_t dev, uint64_t ino) LIMEN_HIDDEN;
void limen_tfs_dir_opened(long fd, uint16_t kind) LIMEN_HIDDEN;
uint16_t limen_tfs_dir_of(uint64_t dev, uint64_t ino) LIMEN_HIDDEN;
/* uevent_passfd.c: descriptors received from another process */
long limen_uev_passfd_hook(long nr, const long *a, long *ret) LIMEN_HIDDEN;
void limen_uev_adopt_fd(long fd) LIMEN_HIDDEN;
long limen_uevf_adopt(long fd, uint32_t *gen, uint16_t *kind) LIMEN_HIDDEN;
int limen_uevf_any(void) LIMEN_HIDDEN;
void limen_uevf_send(uint32_t slot, uint32_t gen) LIMEN_HIDDEN;
void limen_uevf_unsend(uint32_t slot, uint32_t gen) LIMEN_HIDDEN;
void limen_uev_send_fd(long fd, int undo) LIMEN_HIDDEN;
/* uevent_tfs_path.c: stat, access, cwd and directory descriptors of the
   emulated files */
long limen_tfs_path_hook(long nr, const long *a, long *ret) LIMEN_HIDDEN;
int limen_tfs_rel(long dirfd, uint64_t path, char *abs) LIMEN_HIDDEN;
int limen_tfs_rel_file(long dirfd, uint64_t path, char *abs, uint16_t *f)
	LIMEN_HIDDEN;
uint16_t limen_tfs_after_enoent(long dirfd, uint64_t path) LIMEN_HIDDEN;
int limen_tfs_lean_inert(const char *s, long len, int dir) LIMEN_HIDDEN;
int limen_tfs_dir_inert(const char *s, long len) LIMEN_HIDDEN;
void limen_tfs_cwd_exec(void) LIMEN_HIDDEN;
long limen_tfs_empty_dir(long flags) LIMEN_HIDDEN;
uint16_t limen_tfs_real_dir(const char *p) LIMEN_HIDDEN;
long limen_tfs_real_getdents(uint16_t kind, uint32_t *cursor, uint64_t dst,
			     long count) LIMEN_HIDDEN;
void limen_tfs_opened_dir(long dirfd, uint64_t path, long fd) LIMEN_HIDDEN;
long limen_tfs_dir_hook(const long *a, long *ret) LIMEN_HIDDEN;
/* uevent_tfs_plain.c: no hook has anything to do with path before the
   kernel looked at it */
int limen_tfs_plain_path(long dirfd, uint64_t path) LIMEN_HIDDEN;
/* what the hooks do with the kernel's answer for a plain path */
long limen_uev_open_plain_done(long dirfd, uint64_t path, long flags, long r)
	LIMEN_HIDDEN;
long limen_tfs_plain_done(long nr, const long *a, long dirfd, uint64_t path,
			  long r) LIMEN_HIDDEN;
/* quickpath.c: the quick way of a call with a plain path (quickpath.h) */
uint16_t limen_uev_file_of(long fd) LIMEN_HIDDEN;
/* uevent_abi.c: a user_events file was ever opened in this process */
extern int limen_uev_any LIMEN_HIDDEN;
void limen_uev_forget(uint32_t id) LIMEN_HIDDEN;
/* uevent_refs.c: every process's registrations of each event (EBUSY) */
void limen_uev_ref(int32_t id, int delta) LIMEN_HIDDEN;
uint32_t limen_uev_refs(uint32_t id) LIMEN_HIDDEN;
void limen_uev_refs_exec(void) LIMEN_HIDDEN;
/* uevent_refs.c: the ended processes' counts taken away and the events
   no one holds deleted (reg_lock held); a tracer let go of an event */
void limen_uev_reap(void) LIMEN_HIDDEN;
void limen_uev_me(uint32_t *tgid, uint64_t *start) LIMEN_HIDDEN;
int limen_uev_gone(uint32_t tgid, uint64_t start) LIMEN_HIDDEN;
void limen_uev_file_ref(int32_t id, int delta) LIMEN_HIDDEN;
/* uevent_files.c: user_events_data files, shared across fork and exec */
long limen_uevf_open(uint64_t dev, uint64_t ino, uint32_t *gen) LIMEN_HIDDEN;
void limen_uevf_drop(uint32_t slot, uint32_t gen) LIMEN_HIDDEN;
int limen_uevf_fork_hold(uint32_t slot, uint32_t gen) LIMEN_HIDDEN;
void limen_uevf_unfork(uint32_t slot, uint32_t gen) LIMEN_HIDDEN;
void limen_uevf_child(uint32_t slot, uint32_t gen) LIMEN_HIDDEN;
long limen_uevf_ref(uint32_t slot, uint32_t gen, int32_t tag, uint32_t fixed,
		    uint32_t has_loc) LIMEN_HIDDEN;
int limen_uevf_find(uint32_t slot, uint32_t gen, uint32_t index, int32_t *tag,
		    uint32_t *fixed, uint32_t *has_loc) LIMEN_HIDDEN;
long limen_uevf_exec(uint16_t *fd_file, uint32_t nfd, uint32_t *gens)
	LIMEN_HIDDEN;
void limen_uevf_reap(void) LIMEN_HIDDEN;
int limen_uev_fork_pre(uint64_t flags, uint64_t *old) LIMEN_HIDDEN;
void limen_uev_fork_post(int held, long r, uint64_t old) LIMEN_HIDDEN;
void limen_uev_exec_files(void) LIMEN_HIDDEN;
void limen_uev_untraced(uint32_t id) LIMEN_HIDDEN;
void limen_uev_refs_child(void) LIMEN_HIDDEN;
void limen_uev_child(void) LIMEN_HIDDEN;
uint64_t limen_area_lock(uint32_t *word) LIMEN_HIDDEN;
struct limen_uev_fmt;
int limen_uev_fmt_of(uint32_t id, struct limen_uev_fmt *f) LIMEN_HIDDEN;
void limen_area_unlock(uint32_t *word, uint64_t old) LIMEN_HIDDEN;
void limen_ua_enter(struct limen_ua_call *c, long nr, const long *a)
	LIMEN_HIDDEN;
void limen_ua_exit(struct limen_ua_call *c, long nr, const long *a,
		   long ret) LIMEN_HIDDEN;
void limen_ua_snapshot(struct limen_ua_call *c, long nr, const long *a)
	LIMEN_HIDDEN;
/* limen trace --uaccess: the call's ranges as a record after its exit */
void limen_ua_record(struct limen_ua_call *c, long nr, const long *a,
		     long ret) LIMEN_HIDDEN;
void limen_ua_mapped(long nr, long ret) LIMEN_HIDDEN;
int limen_ua_changes_maps(long nr) LIMEN_HIDDEN;
void limen_ua_unmade(struct limen_ua_call *c) LIMEN_HIDDEN;
void limen_ua_child(void) LIMEN_HIDDEN;
void limen_ua_frame(uint64_t uc) LIMEN_HIDDEN;
void limen_ua_handler_done(const void *uc) LIMEN_HIDDEN;
/* bumped after each call that may have changed the address space */
uint32_t limen_map_gen(void) LIMEN_HIDDEN;

/* dispatch.c */
void limen_sigsys(int sig, siginfo_t *si, void *uc) LIMEN_HIDDEN;
/* kstack.c: -k's registers and stack copy after a call's ENTER record
   (before it for limen_stack_first's calls) */
void limen_capture_stack(long nr, const long *a, const ucontext_t *uc)
	LIMEN_HIDDEN;
/* -k: 1 for the calls whose stack goes before their ENTER record, not
   after: exit and exit_group, whose entry may end the thread in the
   trace, and whose stack strace prints after that end (kstack.c) */
int limen_stack_first(long nr) LIMEN_HIDDEN;
/* -k, after any call: whether it changed the mappings (kstack.c) */
void limen_stack_maps_call(long nr, const long *a) LIMEN_HIDDEN;
/* the stack at a signal's delivery, after its record (stamped tsc) */
void limen_capture_signal_stack(const ucontext_t *uc, uint64_t tsc)
	LIMEN_HIDDEN;

/* -i: where the program made the call (0 unless asked) */
static inline long limen_call_site(const ucontext_t *uc)
{
	return limen_rt.ctl && (limen_rt.ctl->flags & LIMEN_CTL_IP) ?
	       (long)uc->uc_mcontext.gregs[REG_RIP] : 0;
}
void limen_record_sys(uint16_t type, long nr, const long *a, long ret,
		      int hidden) LIMEN_HIDDEN;
void limen_record_sys_flags(uint16_t type, long nr, const long *a, long ret,
			    int hidden, uint16_t flags) LIMEN_HIDDEN;
/* -e trace= selects nr (the live mask, which the collector may clear
   while the program runs): recorded. Inline: the quick ways ask it at
   every call */
static inline int limen_selected(long nr)
{
	const struct limen_ctl *c = limen_rt.ctl;

	if (!c)
		return 0;
	if (c->flags & LIMEN_CTL_TRACE_ALL)
		return 1;
	if ((unsigned long)nr >= LIMEN_TRACE_BITS)
		return 0;
	return (c->trace_mask[nr / 8] >> (nr % 8)) & 1;
}
int limen_arm(void) LIMEN_HIDDEN;
/* the core both ways in share: the SIGSYS adapter and rewrite.c */
void limen_dispatch(ucontext_t *uc, uint64_t call_addr, int fast) LIMEN_HIDDEN;
/* the same for the call nr with arguments a, not uc's own registers (an
   int $0x80 call made as its 64-bit twin: compat32.c) */
void limen_dispatch_as(ucontext_t *uc, uint64_t call_addr, int fast, long nr,
		       const long *a) LIMEN_HIDDEN;
/* compat32.c: an int $0x80 call of a 64-bit program (SIGSYS's si_arch
   AUDIT_ARCH_I386) */
void limen_compat_call(ucontext_t *uc, uint64_t call_addr) LIMEN_HIDDEN;
/* a record's number for call n of the i386 table (runtime-only: the ring
   has n and LIMEN_RECF_I386) */
#define LIMEN_NR_I386 (1L << 40)
/* exactly so: a 64-bit call's number is an int sign-extended, whose high
   half is all 0 or all 1 (-1 has bit 40 too) */
#define LIMEN_IS_I386(nr) ((unsigned long)(nr) >> 32 == (1ul << 8))

/* rewrite.c: rewritten call sites (the fast path beside SUD) */
#ifdef LIMEN_GS_TLS
/* per thread, in the %gs block's header */
#define limen_fast_sp (limen_gs_self()->fast_sp)
#else
extern __thread uint64_t limen_fast_sp LIMEN_HIDDEN;
#endif
void limen_fast_stack(const uint8_t *map) LIMEN_HIDDEN;
void limen_rewrite_clone(uint64_t flags) LIMEN_HIDDEN;
/* membarrier.c: the program's view of the registrations limen made */
void limen_membarrier_ours(void) LIMEN_HIDDEN;
long limen_hook_membarrier(const long *a) LIMEN_HIDDEN;
/* A CLONE_VM process that is not a thread nor a vfork child shares our
   memory (rewrite.c) */
int limen_mm_shared(void) LIMEN_HIDDEN;
void limen_rewrite_seen(const ucontext_t *uc, uint64_t call_addr) LIMEN_HIDDEN;
/* rewrite.c: the int3 of a site being patched; a SIGTRAP pinned */
int limen_rewrite_trap(int sig, const siginfo_t *si, ucontext_t *uc) LIMEN_HIDDEN;
void limen_rewrite_handed_back(siginfo_t *si, ucontext_t *uc) LIMEN_HIDDEN;
uint64_t limen_rewrite_native(uint64_t sc) LIMEN_HIDDEN;
void limen_rewrite_trap_pinned(void) LIMEN_HIDDEN;
/* rewrite.c: a fault of a stub's writes to the program's stack */
int limen_rewrite_stub_fault(int sig, const siginfo_t *si,
			     ucontext_t *uc) LIMEN_HIDDEN;
int limen_trap_ready(void) LIMEN_HIDDEN;
int limen_fast_gate(ucontext_t *uc) LIMEN_HIDDEN;
long limen_fast_settle(ucontext_t *k) LIMEN_HIDDEN;
int limen_rewrite_needs_frame(long nr) LIMEN_HIDDEN;
/* lean.c: the lean path of a rewritten site (fast.S) */
void limen_lean_init(void) LIMEN_HIDDEN;
void limen_lean_fd_off(void) LIMEN_HIDDEN;
long limen_lean_settle(ucontext_t *k) LIMEN_HIDDEN;
void limen_lean_call_addr(siginfo_t *si, const ucontext_t *k) LIMEN_HIDDEN;
void limen_fast_adopt(ucontext_t *prog, const ucontext_t *k) LIMEN_HIDDEN;

/* signals.c */
long limen_hook_sigaction(const long *a) LIMEN_HIDDEN;
long limen_hook_sigreturn(ucontext_t *uc) LIMEN_HIDDEN;
/* stubs.S's way out: the frame to return through, and again 1 when the
   held signals were delivered on it (the way out looks again) */
struct limen_exit_to {
	ucontext_t *uc;
	long again;
};
struct limen_exit_to limen_exit_held(ucontext_t *uc, uint8_t *scratch,
				     long on_program_stack) LIMEN_HIDDEN;
void limen_requeue_held(void) LIMEN_HIDDEN;
/* thread_end.c: a thread ends only with no signal held for the program */
int limen_exit_settled(void) LIMEN_HIDDEN;
/* exec_stub.S: execve, unless a signal is held (LIMEN_RET_DEFERRED) */
long limen_exec_call(long nr, long a0, long a1, long a2, long a3, long a4,
		     long a5) LIMEN_HIDDEN;
extern const char limen_exec_check[] LIMEN_HIDDEN;
extern const char limen_exec_syscall[] LIMEN_HIDDEN;

/* stack.c: limen's signal stacks, the program's virtual sigaltstack */
uint8_t *limen_stack_map(void) LIMEN_HIDDEN;
int limen_stack_install(uint8_t *map) LIMEN_HIDDEN;
/* Grow the main thread's stack down to lo, as a fault there would. */
/* Field n (numbered as proc(5) numbers them) of /proc/self/stat, a
   decimal number, into *v: 0, or -1 if it cannot be read (stack.c). */
int limen_self_stat(int n, uint64_t *v) LIMEN_HIDDEN;
/* /proc/self/stat read into buf: its fields after the command's name, or
   0; and field n of them, a decimal number (stack.c) */
const char *limen_self_stat_line(char *buf, size_t size) LIMEN_HIDDEN;
/* the fields of a /proc stat file read into buf (got bytes) after the
   command name's closing ')' (which the name may hold too: the last
   one), or 0 (stack.c) */
const char *limen_stat_fields(const char *buf, long got) LIMEN_HIDDEN;
uint64_t limen_stat_field(const char *fields, int n) LIMEN_HIDDEN;
/* "\nKey:"'s value in a /proc status file, read into buf (stack.c) */
const char *limen_status_value(const char *path, const char *key, char *buf,
			       size_t size) LIMEN_HIDDEN;
/* init_args.c: a constructor's arguments, the stack's if not given */
void limen_init_args(int *argc, char ***argv, char ***envp) LIMEN_HIDDEN;
/* procdir.c: fn for each numbered entry of the /proc directory path (n
   its number, name its text, dir the listing's own descriptor) until it
   returns nonzero: that value; 0 after the last; -1 when path cannot be
   opened */
int limen_proc_numbers(const char *path,
		       int (*fn)(void *ctx, long n, const char *name, long dir),
		       void *ctx) LIMEN_HIDDEN;
/* "/proc/self/task/NAME" then leaf ("/status"), into buf (size bytes,
   NUL-terminated; a name too long is cut, which no tid's is) */
void limen_task_path(char *buf, size_t size, const char *name,
		     const char *leaf) LIMEN_HIDDEN;
/* the number at *p in base 10 or 16 (lower-case digits, as /proc writes
   them), *p left past it */
uint64_t limen_proc_num(const char **p, unsigned base) LIMEN_HIDDEN;
/* past the rest of this space-separated field and the spaces after it */
const char *limen_proc_field(const char *p) LIMEN_HIDDEN;
int limen_grow_stack(uint64_t lo) LIMEN_HIDDEN;
/* safe.c: limen_safe_write's plain stores, not process_vm_writev, write
   at dst (a fault there is the kernel's fault path: it grows a stack) */
int limen_stores_direct(uint64_t dst, size_t n) LIMEN_HIDDEN;
long limen_hook_sigaltstack(const long *a, const ucontext_t *uc) LIMEN_HIDDEN;
void limen_vstack_restore(const stack_t *ss, uint64_t sp) LIMEN_HIDDEN;
void limen_vstack_unarmed(const stack_t *ks) LIMEN_HIDDEN;
long limen_hook_sigprocmask(const long *a, ucontext_t *uc) LIMEN_HIDDEN;
int limen_sigmask_frameless(const long *a) LIMEN_HIDDEN;
long limen_sigprocmask_frameless(const long *a) LIMEN_HIDDEN;
/* owned.c: limen's synchronous signals, never really blocked */
#define LIMEN_SIGBIT(sig) (1ull << ((sig) - 1))
/* the signals limen's own work raises in the program's threads: faults of
   its reads (safe.c), int3 of a site being patched (rewrite.c) */
#define LIMEN_FAULT_BITS (LIMEN_SIGBIT(SIGSEGV) | LIMEN_SIGBIT(SIGBUS) | \
			  LIMEN_SIGBIT(SIGTRAP))
#define LIMEN_OWNED (LIMEN_SIGBIT(SIGSYS) | LIMEN_FAULT_BITS)
#define LIMEN_VCALL_ON (1ull << 63)
uint64_t limen_owned_view(uint64_t real) LIMEN_HIDDEN;
uint64_t limen_owned_set(uint64_t view) LIMEN_HIDDEN;
uint64_t limen_owned_call(uint64_t set) LIMEN_HIDDEN;
int limen_owned_blocked(int sig) LIMEN_HIDDEN;
/* signals.c: a fault signal sent while the program blocks it */
int limen_owned_sent(int sig, siginfo_t *si, ucontext_t *k) LIMEN_HIDDEN;
/* group_signal.c: a signal sent to the process goes where the kernel sends
   it, not to a thread whose trap it rode on */
long limen_group_queue(int sig, const void *info) LIMEN_HIDDEN;
int limen_group_ride(int sig, const siginfo_t *si, ucontext_t *k) LIMEN_HIDDEN;
void limen_group_ride_done(const ucontext_t *uc) LIMEN_HIDDEN;
void limen_group_taken(void) LIMEN_HIDDEN;
void limen_group_wait_taken(uint64_t bits) LIMEN_HIDDEN;
void limen_group_settle(int sig) LIMEN_HIDDEN;
void limen_pin_sent(int sig) LIMEN_HIDDEN;
long limen_hook_kill(long nr, const long *a) LIMEN_HIDDEN;
void limen_group_owned_taken(void) LIMEN_HIDDEN;
/* owned_transit.c: limen's fault signals between dequeue and re-queue */
int limen_transit_enter(int sig, const siginfo_t *si) LIMEN_HIDDEN;
void limen_transit_leave(int counted, int sig) LIMEN_HIDDEN;
void limen_transit_drop(void) LIMEN_HIDDEN;
void limen_transit_forked(void) LIMEN_HIDDEN;
void limen_transit_wait(void) LIMEN_HIDDEN;
int limen_transit_none(void) LIMEN_HIDDEN;
void limen_transit_call(long nr) LIMEN_HIDDEN;
long limen_transit_made(long nr, const long *a) LIMEN_HIDDEN;
long limen_transit_setmask(const uint64_t *mask, uint64_t *old) LIMEN_HIDDEN;
void limen_transit_signalfd(const long *a) LIMEN_HIDDEN;
uint64_t limen_transit_parked(uint64_t view) LIMEN_HIDDEN;
long limen_transit_sigpending(uint64_t *set) LIMEN_HIDDEN;
void limen_transit_unblock(uint64_t bits) LIMEN_HIDDEN;
void limen_transit_sent(void) LIMEN_HIDDEN;
long limen_hook_masked(long nr, const long *a) LIMEN_HIDDEN;
/* the argument where a call that swaps the signal mask for its duration
   (rt_sigsuspend, ppoll, pselect6, epoll_pwait, epoll_pwait2) takes the
   mask: pselect6's points at a struct whose first word is the mask's
   pointer */
static inline int limen_mask_arg(long nr)
{
	switch (nr) {
	case SYS_rt_sigsuspend:
		return 0;
	case SYS_ppoll:
		return 3;
	case SYS_pselect6:
		return 5;
	default: /* epoll_pwait, epoll_pwait2 */
		return 4;
	}
}
long limen_hook_sigpending(const long *a) LIMEN_HIDDEN;
/* signals.c: rt_sigtimedwait takes a SIGSYS sent while the program
   blocked it (held by limen, sigsys_pending): SIGSYS, -errno, or 0 to
   make the call */
long limen_sigsys_wait(const long *a) LIMEN_HIDDEN;
/* signals.c: a SIGSYS the kernel holds pending while SIGSYS is really
   blocked (queued for an execve, exec.c, or from before one, init.c) is
   held by limen again */
void limen_sigsys_take_back(void) LIMEN_HIDDEN;
void limen_forward_sigsys(int sig, siginfo_t *si, ucontext_t *uc) LIMEN_HIDDEN;
/* A signal interrupted the return of the program's call: record its exit
   (a wait's answer copied to the program's memory first, uc's rax then
   the program's result: limen_wait_out). */
void limen_inflight_exit(ucontext_t *uc) LIMEN_HIDDEN;
void limen_inflight_abandon(long ret) LIMEN_HIDDEN;
/* dispatch.c: the kernel rewound fl's call for a restart (k, the
   signal's frame, at its `syscall`): a waitid writes its zeroed infop
   even then, as the kernel's does, and a fault there ends the call
   with EFAULT, not restarted (k after it, the call's exit told): 1 */
int limen_wait_restart_faults(ucontext_t *k) LIMEN_HIDDEN;
void limen_inflight_unmade(void) LIMEN_HIDDEN;
void limen_record_unmade(long nr, const long *a, int hidden) LIMEN_HIDDEN;
int limen_install_sigsys(void) LIMEN_HIDDEN;
void limen_clear_sighand(int own_view) LIMEN_HIDDEN;

/* nested_sud.c: the program's own Syscall User Dispatch */
long limen_nsud_prctl(const long *a) LIMEN_HIDDEN;
int limen_nsud_dispatch(siginfo_t *si, ucontext_t *uc) LIMEN_HIDDEN;
void limen_nsud_child(void) LIMEN_HIDDEN;
/* signals.c: the kernel's force_sig_info (SIGSYS) and force_exit_sig */
void limen_force_sigsys(siginfo_t *si, ucontext_t *uc) LIMEN_HIDDEN;
void limen_force_exit(int sig) LIMEN_HIDDEN;

/* clone.c */
long limen_hook_clone(long nr, const long *a, ucontext_t *uc) LIMEN_HIDDEN;

/* reach.c: the session's memfd from the collector's abstract socket, or
   from its socket at path (LIMEN_SESSION's last field); < 0: none */
long limen_session_by_socket(long pid, long fd) LIMEN_HIDDEN;
long limen_session_by_path(const char *path, long pid) LIMEN_HIDDEN;

/* init.c: liblimen's constructor; limen's loader calls it itself */
void limen_init(int argc, char **argv, char **envp) LIMEN_HIDDEN;

/* exec.c */
long limen_hook_execve(long nr, const long *a) LIMEN_HIDDEN;
/* "LIMEN_STACK=<soft limit>": the stack limit to put back (exec.c, init.c) */
#define LIMEN_STACK_ENV "LIMEN_STACK"
struct limen_rlimit {
	uint64_t cur, max;
};

/* step_aside.c: what an execve will start, decided before it */
struct limen_exec_plan {
	const char *aside;       /* not NULL: the new image will run untraced,
				    for this reason (a NOTE record says so) */
	int strip;               /* pass none of our variables on: limen
				    leaves the whole subtree alone */
	char asan[64];           /* ASan runtime to preload before ours */
	int is_static;           /* a static x86_64 image */
	int via_loader;          /* run it with limen's loader (loader_exec.c) */
};
/* loader_exec.c: limen's loader, next to liblimen.so; NULL if none */
const char *limen_loader_path(void) LIMEN_HIDDEN;
/* set around an execve of /proc/self/exe (exe_view.c): the name the
   program gave, the path given to the execve being the file's own */
extern uint64_t limen_exec_name LIMEN_HIDDEN;
extern const char limen_valgrind_guest[] LIMEN_HIDDEN;
/* room for limen_exec_plan's path and probe, off the signal stack */
#define LIMEN_EXEC_PLAN_ROOM 8192u
/* scratch: LIMEN_EXEC_PLAN_ROOM bytes of the caller's, 8-aligned, or NULL
   (then mapped and unmapped here) */
void limen_exec_plan(long nr, const long *a, struct limen_exec_plan *pl,
		     void *scratch) LIMEN_HIDDEN;
void limen_note(uint32_t kind, int32_t pid, const char *text) LIMEN_HIDDEN;
long limen_hook_ptrace(const long *a) LIMEN_HIDDEN;
/* clone, clone3, fork, vfork: limen_hook_clone, and a note for a child
   in a new PID namespace */
/* in the constructor, registered: 1 if limen leaves this image alone
   (a valgrind guest the execve did not recognise); the note is written */
int limen_steps_aside_at_start(void) LIMEN_HIDDEN;
enum { LIMEN_PRELOAD_OURS = 1, LIMEN_PRELOAD_KEEP = 2 };
int limen_preload_strip(char *d, const char *v) LIMEN_HIDDEN;

/* arch/x86_64/stubs.S */
void limen_restorer(void) LIMEN_HIDDEN;
extern const char limen_exit_check[] LIMEN_HIDDEN;
extern const char limen_exit_syscall[] LIMEN_HIDDEN;
long limen_clone_stub(long nr, long a0, long a1, long a2, long a3,
		      long a4) LIMEN_HIDDEN;
struct limen_vfork_args {
	long nr, a[5];
	uint64_t child_sp;       /* top of the child's own signal stack */
	uint64_t flags;
	const ucontext_t *uc;    /* the parent's SIGSYS frame */
	struct limen_vsig *vsig; /* the child's dispositions (vsig_own) */
};
_Static_assert(offsetof(struct limen_vfork_args, nr) == VA_NR &&
	       offsetof(struct limen_vfork_args, a[4]) == VA_A4 &&
	       offsetof(struct limen_vfork_args, child_sp) == VA_CHILD_SP,
	       "stubs.S reads struct limen_vfork_args");
long limen_vfork_stub(struct limen_vfork_args *va) LIMEN_HIDDEN;
long limen_app_syscall(long nr, long a0, long a1, long a2, long a3, long a4,
		       long a5) LIMEN_HIDDEN;
extern const char limen_app_syscall_ret[] LIMEN_HIDDEN;
extern const char limen_app_syscall_ret_split[] LIMEN_HIDDEN;
extern const char limen_app_syscall_end[] LIMEN_HIDDEN;
/* an int $0x80 call of the i386 table (compat32.c), n in eax and its
   arguments in ebx, ecx, edx, esi, edi, ebp, made in the same window as
   limen_app_syscall's (its end a third "after" address) */
long limen_app_int80(long n, long a0, long a1, long a2, long a3, long a4,
		     long a5) LIMEN_HIDDEN;
extern const char limen_app_int80_ret[] LIMEN_HIDDEN;
/* ip is right after one of limen_app_syscall's two `syscall`s (the one
   for a program whose PKRU denies key 0, pkru.h), or limen_app_int80's
   `int $0x80`: the call is over, rax its result; or, in rcx, the kernel
   rewound it for a restart (never told for int $0x80, whose rcx is an
   argument: such a call is taken for one not made, made again alike) */
static inline int limen_app_syscall_after(uint64_t ip)
{
	return ip == (uintptr_t)limen_app_syscall_ret ||
	       ip == (uintptr_t)limen_app_syscall_ret_split ||
	       ip == (uintptr_t)limen_app_int80_ret;
}
void limen_exit_unmap(long status, void *stack, size_t len) LIMEN_HIDDEN
	__attribute__((noreturn));
void limen_resume(const uint64_t *gregs) LIMEN_HIDDEN __attribute__((noreturn));

/* first_exec.c: the command's own execve line, when spawn marked its
   first image (LIMEN_FIRST): told by the loader, or by init.c under
   LD_PRELOAD */
void limen_first_exec(const char *path, const char *script_argv,
		      uint64_t argc, char **argv, char **envp) LIMEN_HIDDEN;

/* A call the collector follows processes by (exec, exit), recorded
   hidden when not selected (dispatch.c). Inline: the quick way asks it
   of every call it takes (quickrec.c), where the call and the
   registers kept across it were 14 instructions a recorded getppid
   (bench/stepcount), the test itself 3. */
static inline __attribute__((always_inline)) int limen_bookkeeping(long nr)
{
	switch (nr) {
	case SYS_execve:
	case SYS_execveat:
	case SYS_exit:
	case SYS_exit_group:
		return 1;
	}
	return 0;
}
/* dispatch.c: the EXIT of fl's call (result ret) when nothing selected it
   and the collector still needs it, recorded hidden with its captures
   (LIMEN_HIDDEN_CAPS): a wait that reaped a child, a clone that made one */
struct limen_inflight;
void limen_end_note(const struct limen_inflight *fl, long ret) LIMEN_HIDDEN;
/* dispatch.c: where the kernel writes how a child ended (wait4's status,
   waitid's infop), limen's, then copied to the program's (out, 0: NULL) as
   the kernel would have written it (limen_wait_out) */
struct limen_wait_scratch {
	long a[6];
	int status;
	siginfo_t si;
	struct rusage ru;
	uint64_t out, ru_out;
	long kret;               /* the kernel's result */
	long ret;                /* the program's: -EFAULT when out faulted */
	int state;               /* 1 the kernel has limen's, 2 copied out */
	uint32_t pkru;           /* the program's PKRU at the call */
	int pk;                  /* there is PKU */
};
const long *limen_wait_args(long nr, const long *a,
			    struct limen_wait_scratch *k) LIMEN_HIDDEN;
/* dispatch.c: the wait fl made returned ret: what the kernel wrote to
   limen's word, written to the program's; returns the program's result */
long limen_wait_out(const struct limen_inflight *fl, long ret) LIMEN_HIDDEN;
/* limen_record_sys's hidden: 1 without captures, this with them */
#define LIMEN_HIDDEN_CAPS 2
/* quickrec.c: limen_dispatch's way, and the record writer, for a call that
   needs nothing but its records; 0: take the full way */
int limen_dispatch_quick(ucontext_t *uc, uint64_t call_addr, int fast,
			 long nr, const long *a) LIMEN_HIDDEN;
/* quickrec.c: a rewritten site's call, the quick way, else the full */
void limen_fast_run(ucontext_t *uc, uint64_t call_addr, const long *a,
		    int sel) LIMEN_HIDDEN;
int limen_quick_record(uint16_t type, long nr, const long *a, long ret,
		       int hidden, uint16_t flags) LIMEN_HIDDEN;
/* fcntl's third argument, by command: how many bytes the kernel reads
   (at entry) or writes (at exit) behind it: struct flock (32) for the
   lock commands (F_GETLK reads it, then writes the lock found), struct
   f_owner_ex (8), the u64 write hints; 0 for the commands that take a
   number. Inline: quickrec.c asks it at every recorded fcntl. */
static inline uint64_t limen_fcntl_bytes(const long *a, int at_exit)
{
#define FC(name) LIMEN_XV_fcntl_cmd_##name
	switch ((unsigned)a[1]) {
	case FC(F_GETLK): case FC(F_OFD_GETLK):
		return 32;
	case FC(F_SETLK): case FC(F_SETLKW):
	case FC(F_OFD_SETLK): case FC(F_OFD_SETLKW):
		return at_exit ? 0 : 32;
	case FC(F_SETOWN_EX): case FC(F_SET_RW_HINT):
		return at_exit ? 0 : 8;
	case FC(F_GETOWN_EX): case FC(F_GET_RW_HINT):
		return at_exit ? 8 : 0;
	}
	return 0;
#undef FC
}
/* quickrec.c: 1 when capture.c may capture something of se at entry or
   exit, argument skip (-1: none) left out */
int limen_may_capture(const struct limen_sysent *se, int at_exit,
		      int skip) LIMEN_HIDDEN;
/* ring.c: its record, reserved, written and committed in one step */
void limen_rec_sys_plain(uint16_t type, uint16_t flags, long nr,
			 const long *a, long ret) LIMEN_HIDDEN;
/* ring.c: the plain EXIT of nr into the room its ENTER kept
   (limen_tls.exit_nr is nr + 1) */
void limen_rec_exit_kept(long nr, const long *a, long ret) LIMEN_HIDDEN;
/* ring.c: the ENTER record of a call whose EXIT will be plain too, with
   the room of the EXIT reserved behind it */
void limen_rec_sys_pair(long nr, const long *a, long site) LIMEN_HIDDEN;
/* the same where no runtime filter and no uaccess slot were seen */
void limen_rec_sys_pair_quick(long nr, const long *a, long site)
	LIMEN_HIDDEN;
/* ring.c: an ENTER whose one capture is a path (quickpath.c), written
   whole; pair: with the EXIT's room, as limen_rec_sys_pair */
void limen_rec_enter_path(long nr, const long *a, long site, int pi,
			  const char *s, uint32_t len, int pair) LIMEN_HIDDEN;

/* adopt.c: the signal state set before the runtime started (ASan's) */
void limen_adopt_altstack(void) LIMEN_HIDDEN;
void limen_adopt_handlers(void) LIMEN_HIDDEN;
extern uint64_t limen_adopted LIMEN_HIDDEN;

#endif
