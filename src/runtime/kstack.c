/* SPDX-License-Identifier: MIT */
/*
 * -k: at a selected call's entry, the registers of the SIGSYS frame and a
 * bounded copy of the stack from rsp go into the ring after the ENTER
 * record (exit's and exit_group's before it: limen_stack_first), as perf
 * record --call-graph dwarf does; the collector unwinds
 * them with the executables' CFI (libdw), which needs no frame pointers.
 * The process's mappings (/proc/self/maps) go before the first capture
 * and again after a call that may have changed what is mapped executable,
 * so that the collector knows the modules even once the process is gone.
 * Everything is copied straight into the reserved record: nothing large
 * on the signal stack.
 *
 * The collector unwinds a stack with the maps record of its process that
 * came before it in time (the TSC stamps merge the threads' rings), so a
 * capture goes on without maps of its own only once a record that holds
 * every change so far is in a ring, stamped before the capture's own
 * stamp. Reading the maps takes a helper thread's start (aside.c):
 * hundreds of microseconds, milliseconds on a loaded machine. A record
 * stamped once read, with the other threads told at the start of the
 * read that the maps were there, put their captures of the meantime
 * ahead of it: before the process's first maps, unwound with nothing,
 * they were dropped (a thread's first 27 calls without their stacks, 1
 * run in 6 to 8 of 4 threads under load: tests/cli/stack_maps_in_flight.t).
 * Now the record is stamped before the read, and a thread that finds the
 * maps being read reads them too (the collector takes the same text
 * again cheaply: unwind.c).
 */
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "raw.h"
#include "rt.h"

/*
 * maps_gen counts the calls that may have changed the mappings, once they
 * have (limen_stack_maps_call). maps_told is the process and count a maps
 * record was read at, set once that record is committed, and maps_told_tsc
 * the latest stamp of such records: a capture stamped from then on needs
 * no maps of its own while both still say so. 0: none yet. The pid tells
 * a fork child, which inherits them, that the records were its parent's.
 */
static uint32_t maps_gen;
static uint64_t maps_told;
static uint64_t maps_told_tsc;

static uint64_t maps_key(int32_t pid, uint32_t gen)
{
	return (uint64_t)(uint32_t)pid << 32 | gen;
}

/* the maps as pid's process has them now are in a ring, in a record
   stamped at tsc or before (tsc 0: whenever, the capture is stamped
   after this) */
static int maps_told_for(int32_t pid, uint64_t tsc)
{
	uint32_t gen = __atomic_load_n(&maps_gen, __ATOMIC_ACQUIRE);

	if (__atomic_load_n(&maps_told, __ATOMIC_ACQUIRE) !=
	    maps_key(pid, gen))
		return 0;
	return !tsc || __atomic_load_n(&maps_told_tsc, __ATOMIC_RELAXED) <= tsc;
}

/* /proc/self/maps into to, LIMEN_MAPS_MAX bytes at most: how many (aside
   where other threads share the descriptors: aside.c) */
static long read_maps(void *to, int helper)
{
	long fd, n, used = 0;

	(void)helper;
	fd = limen_sys4(SYS_openat, AT_FDCWD, "/proc/self/maps",
			O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0)
		return 0;
	while (used < LIMEN_MAPS_MAX &&
	       (n = limen_sys3(SYS_read, fd, (uint8_t *)to + used,
			       LIMEN_MAPS_MAX - used)) > 0)
		used += n;
	limen_sys1(SYS_close, fd);
	return used;
}

/* pid's maps record, stamped tsc (0: now, before the read: the stacks
   other threads capture while it is read are stamped after it, and are
   not told of it before it is committed) */
static void record_maps(int32_t pid, uint64_t tsc)
{
	/* the changes the read will see, at least */
	uint32_t gen = __atomic_load_n(&maps_gen, __ATOMIC_ACQUIRE);
	struct limen_rec_maps *m;
	struct limen_wr w;
	uint64_t stamp, seen;
	long used;

	/* none: the next capture tries again */
	if (limen_rec_reserve(&w, sizeof(*m) + LIMEN_MAPS_MAX) < 0)
		return;
	stamp = tsc ? tsc : limen_now();
	m = (struct limen_rec_maps *)w.p;
	limen_aside(read_maps, w.p + sizeof(*m), &used);
	m->len = (uint32_t)used;
	m->pad = 0;
	m->tsc = stamp;
	limen_rec_commit(&w, LIMEN_REC_MAPS, 0, sizeof(*m) + used);
	seen = __atomic_load_n(&maps_told_tsc, __ATOMIC_RELAXED);
	while (seen < stamp &&
	       !__atomic_compare_exchange_n(&maps_told_tsc, &seen, stamp, 0,
					    __ATOMIC_RELAXED,
					    __ATOMIC_RELAXED))
		;
	__atomic_store_n(&maps_told, maps_key(pid, gen), __ATOMIC_RELEASE);
}

/* the stack record for uc's registers and stack, stamped tsc (0: now) */
static void capture(const ucontext_t *uc, uint16_t flags, uint64_t tsc)
{
	const greg_t *g = uc->uc_mcontext.gregs;
	static const int dwarf[LIMEN_STACK_REGS] = {
		REG_RAX, REG_RDX, REG_RCX, REG_RBX, REG_RSI, REG_RDI,
		REG_RBP, REG_RSP, REG_R8,  REG_R9,  REG_R10, REG_R11,
		REG_R12, REG_R13, REG_R14, REG_R15, REG_RIP,
	};
	struct limen_rec_stack *r;
	struct limen_wr w;
	int32_t pid;
	long got;

	/* seccomp strict mode allows neither the reads nor the open */
	if (limen_tls.strict)
		return;
	/* the pid the ring's start asked (ring.c): no getpid a filter of
	   the program's could refuse or kill */
	pid = limen_tls.pid ? limen_tls.pid : (int32_t)limen_sys0(SYS_getpid);
	if (!maps_told_for(pid, tsc))
		record_maps(pid, tsc);
	if (limen_rec_reserve(&w, sizeof(*r) + LIMEN_STACK_COPY) == 0) {
		r = (struct limen_rec_stack *)w.p;
		for (int i = 0; i < LIMEN_STACK_REGS; i++)
			r->regs[i] = (uint64_t)g[dwarf[i]];
		got = limen_safe_read(w.p + sizeof(*r), r->regs[7],
				      LIMEN_STACK_COPY);
		r->len = got > 0 ? (uint32_t)got : 0;
		r->pad = 0;
		r->tsc = tsc ? tsc : limen_now();
		limen_rec_commit(&w, LIMEN_REC_STACK, flags,
				 sizeof(*r) + ((r->len + 7) & ~7u));
	}
}

int limen_stack_first(long nr)
{
	return nr == SYS_exit || nr == SYS_exit_group;
}

void limen_capture_stack(long nr, const long *a, const ucontext_t *uc)
{
	/* strace captures these calls' stacks at their entry, and prints
	   a frame with no symbol there as "(+0x0)", not "()" */
	int entry = limen_stack_first(nr) || nr == SYS_execve ||
		    nr == SYS_execveat;

	capture(uc, entry ? LIMEN_RECF_AT_ENTRY : 0, 0);
}

/* -k: strace prints under a signal's line the stack it found */
void limen_capture_signal_stack(const ucontext_t *uc, uint64_t tsc)
{
	if (limen_rt.ctl && (limen_rt.ctl->flags & LIMEN_CTL_STACK))
		capture(uc, LIMEN_RECF_SIGNAL, tsc);
}

/*
 * What a call maps, unmaps or makes executable is for the captures after
 * it, whether or not the call itself is traced: with -e trace=read, the
 * mmap of a library (ld.so's before main when the trace starts at its
 * first instruction, dlopen's later) must still make the next capture
 * record the maps, or the library's frames are unknown to the collector.
 * After the call, not at its entry: another thread's capture in between
 * would read the maps without the library and count them as up to date.
 */
void limen_stack_maps_call(long nr, const long *a)
{
	if ((nr == SYS_mmap && (a[2] & PROT_EXEC)) ||
	    (nr == SYS_mprotect && (a[2] & PROT_EXEC)) ||
	    nr == SYS_munmap || nr == SYS_mremap)
		__atomic_add_fetch(&maps_gen, 1, __ATOMIC_RELEASE);
}
