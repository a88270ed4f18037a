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
 */
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "raw.h"
#include "rt.h"

/* the process whose mappings the ring last got (0: none yet) */
static int32_t maps_pid;
static volatile int maps_stale = 1;

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

/* stamped tsc (0: now): not after the stack record that follows, which
   the collector would then unwind without them */
static void record_maps(uint64_t tsc)
{
	struct limen_rec_maps *m;
	struct limen_wr w;
	long used;

	if (limen_rec_reserve(&w, sizeof(*m) + LIMEN_MAPS_MAX) < 0)
		return;
	m = (struct limen_rec_maps *)w.p;
	limen_aside(read_maps, w.p + sizeof(*m), &used);
	m->len = (uint32_t)used;
	m->pad = 0;
	m->tsc = tsc ? tsc : limen_now();
	limen_rec_commit(&w, LIMEN_REC_MAPS, 0, sizeof(*m) + used);
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
	if (maps_stale || maps_pid != pid) {
		maps_stale = 0;
		maps_pid = pid;
		record_maps(tsc);
	}
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
	limen_stack_maps_call(nr, a);
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
 */
void limen_stack_maps_call(long nr, const long *a)
{
	if ((nr == SYS_mmap && (a[2] & PROT_EXEC)) ||
	    (nr == SYS_mprotect && (a[2] & PROT_EXEC)) ||
	    nr == SYS_munmap || nr == SYS_mremap)
		maps_stale = 1;
}
