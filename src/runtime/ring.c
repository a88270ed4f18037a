/* SPDX-License-Identifier: MIT */
/*
 * The producer side of the per-thread rings (layout in session/session.h).
 *
 * A record is reserved at its largest possible size, filled in place, then
 * shrunk back to its real size if nothing was reserved behind it meanwhile
 * (a signal handler nested in ours, or a thread sharing the slot); otherwise
 * the unused tail becomes a PAD record. A full ring makes the producer
 * wait for the collector (the default), or with --lossy drops the record
 * and counts it; the next record that fits is preceded by a LOST record
 * saying how many went missing there.
 *
 * A process maps only the rings of its own threads: a thread maps its ring
 * when it registers and unmaps it when it ends; a fork child unmaps the
 * parent's rings it inherited; exec drops everything. So a traced process
 * costs the ctl page, the slot table and one ring per live thread of
 * address space, and none of it is written to a core dump.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "raw.h"
#include "rt.h"
#include "runtime/filter.h"

#ifndef LIMEN_GS_TLS
__thread struct limen_tls limen_tls;
#endif

/* see reserve_wait */
#ifdef LIMEN_GS_TLS
#define reserving (limen_tls.gs_reserving)
#else
static __thread uint64_t reserving;
#endif

/* Rings mapped in this process are among ring_of[0, ring_hw): private,
   unlike the high-water mark in the ctl page that any program may rewrite. */
static uint32_t ring_hw;

/* [a, a + n) meets a mapping of the session in this process (the ctl page
   and slot table, a ring): limen's memory, never a place for the program's
   signal frame (signals.c), wherever the kernel put it. */
int limen_session_overlaps(uint64_t a, uint64_t n)
{
	uint32_t hw = __atomic_load_n(&ring_hw, __ATOMIC_RELAXED);
	uint64_t lo = (uint64_t)(uintptr_t)limen_rt.ctl, end = a + n;

	if (!lo)
		return 0;
	if (a < lo + limen_rt.geom.rings_off && end > lo)
		return 1;
	for (uint32_t i = 0; i < hw && i < limen_rt.geom.nslots; i++) {
		lo = (uint64_t)(uintptr_t)limen_rt.ring_of[i];
		if (lo && a < lo + limen_rt.geom.ring_bytes && end > lo)
			return 1;
	}
	return limen_ring_pool_overlaps(a, end);
}

void limen_dontdump(long addr, uint64_t len)
{
	limen_sys3(SYS_madvise, addr, len, MADV_DONTDUMP);
}

/*
 * Without a descriptor: a second mapping of the session from offset 0 to
 * the end of ring i (mremap of a shared mapping with old size 0), cut down
 * to the ring. It takes as much address space as that for a moment (an
 * RLIMIT_AS may refuse it), so it is the way where a descriptor would be
 * seen (other threads share the table: map_ring) or cannot be had (a
 * process that changed its user id may no longer open the collector's
 * /proc entry).
 */
static long remap_ring(uint32_t i)
{
	uint64_t off = limen_ring_off(&limen_rt.geom, i);
	long r;

	r = limen_sys5(SYS_mremap, limen_rt.ctl, 0,
		       off + limen_rt.geom.ring_bytes, MREMAP_MAYMOVE, 0);
	if (limen_is_err(r))
		return r;
	limen_sys2(SYS_munmap, r, off);
	return r + (long)off;
}

/*
 * The descriptor of the session init.c opened for the control page, lent
 * until the first thread's ring is mapped (-1: none): a start opened the
 * collector's /proc entry twice, a path walk into another process's
 * descriptors and its permission check each time, a few calls apart. No
 * code of the program runs while it is open (limen_init).
 */
static long lent_fd = -1;

void limen_ring_lend(long fd)
{
	lent_fd = fd;
}

void limen_ring_lend_end(void)
{
	long fd = __atomic_exchange_n(&lent_fd, -1, __ATOMIC_RELAXED);

	if (fd >= 0)
		limen_sys1(SYS_close, fd);
}

/* Slot i's ring mapped through the session reopened by its path, or
 * -errno (map_ring; aside while other threads share the descriptors). */
static long open_map_ring(void *arg, int helper)
{
	uint32_t i = *(const uint32_t *)arg;
	long fd, r = -EBADF;
	struct stat st;

	(void)helper;
	if (!limen_rt.session_path[0])
		return -ENOENT;
	fd = limen_sys3(SYS_open, limen_rt.session_path, O_RDWR | O_CLOEXEC,
			0);
	if (fd < 0)
		return fd;
	/* after a PID namespace mounted its own /proc the path may lead to
	   some other process's descriptor: only ours will do */
	if (limen_sys2(SYS_fstat, fd, &st) == 0 &&
	    st.st_dev == limen_rt.session_dev &&
	    st.st_ino == limen_rt.session_ino)
		r = limen_sys6(SYS_mmap, 0, limen_rt.geom.ring_bytes,
			       PROT_READ | PROT_WRITE, MAP_SHARED, fd,
			       (long)limen_ring_off(&limen_rt.geom, i));
	else
		r = -ENOENT;
	limen_sys1(SYS_close, fd);
	return r;
}

/*
 * Map slot i's ring. The runtime holds no descriptor of its own (init.c),
 * so the memfd is reopened through the collector's /proc entry for the
 * time of the mmap (or, at a start, the one just opened is used). Where
 * other threads share the descriptor table, the number it took would
 * shift theirs (aside.c): a second mapping of the control page's
 * (remap_ring) needs none, else a helper with a table of its own opens
 * it.
 */
static uint8_t *map_ring(uint32_t i)
{
	uint32_t hw = __atomic_load_n(&ring_hw, __ATOMIC_RELAXED);
	long r;
	long lent = __atomic_exchange_n(&lent_fd, -1, __ATOMIC_RELAXED);

	if (lent >= 0) {
		r = limen_sys6(SYS_mmap, 0, limen_rt.geom.ring_bytes,
			       PROT_READ | PROT_WRITE, MAP_SHARED, lent,
			       (long)limen_ring_off(&limen_rt.geom, i));
		limen_sys1(SYS_close, lent);
	} else if (limen_aside_private()) {
		/* a fork or vfork child's first ring, at every traced exec:
		   the second mapping costs about half of the open of the
		   collector's /proc entry, its check and the close. Not
		   where other threads run in the address space (a vfork
		   child of a threaded program's): its moment of room could
		   make their mmap fail under an RLIMIT_AS. The descriptor
		   where the address space cannot take it */
		r = limen_aside_is_alone() ? remap_ring(i) : -ENOMEM;
		if (limen_is_err(r))
			r = open_map_ring(&i, 0);
	} else if (limen_is_err(r = remap_ring(i))) {
		limen_aside(open_map_ring, &i, &r);
	}
	/* no descriptor to spare (EMFILE), or another thread of the program
	   closed it under us (close_range) */
	if (limen_is_err(r))
		r = remap_ring(i);
	if (limen_is_err(r))
		return 0;
	limen_dontdump(r, limen_rt.geom.ring_bytes);
	while (hw <= i && !__atomic_compare_exchange_n(&ring_hw, &hw, i + 1, 0,
						       __ATOMIC_RELAXED,
						       __ATOMIC_RELAXED))
		;
	return (uint8_t *)r;
}

/* Whoever takes the pointer out unmaps: never twice, so never a mapping
   that took the freed place meanwhile. */
static void unmap_ring(uint32_t i)
{
	uint8_t *r = __atomic_exchange_n(&limen_rt.ring_of[i], 0,
					 __ATOMIC_ACQ_REL);

	if (r)
		limen_sys2(SYS_munmap, r, limen_rt.geom.ring_bytes);
}

void limen_ring_unlist(void)
{
	if (limen_tls.slot)
		__atomic_store_n(&limen_rt.ring_of[limen_tls.slot -
						   limen_rt.slots],
				 0, __ATOMIC_RELEASE);
}

void limen_ring_unmap(uint8_t *ring)
{
	limen_sys2(SYS_munmap, ring, limen_rt.geom.ring_bytes);
}

/*
 * 1 + the slots whose rings vfork children that are done left mapped
 * here, listed in ring_of (0: none). A shell's next child claims a slot
 * one of its last few had, most often (the collector frees a slot once
 * drained, and keeps a few freed slots' rings): it takes the mapping over
 * (limen_thread_register), where each child made a second mapping of the
 * session and cut it down to its ring (an mremap, a munmap, a madvise)
 * and the parent unmapped it when the child exec'd (its page-table pages,
 * a TLB flush), at every traced exec. KEPT at most: the oldest goes when
 * another comes. Only in a process of one thread that shares its memory
 * with no other (a vfork child of a threaded program unlists its ring,
 * and the parent unmaps it as before).
 */
#define KEPT 4
static uint32_t kept_slot[KEPT];
static uint32_t kept_next;

int limen_ring_vfork_keeps(void)
{
	/* nothing else claims slots in this address space meanwhile */
	return limen_aside_is_alone() && !limen_rt.shared_tls &&
	       !limen_mm_shared();
}

/* Slot i's ring is one a vfork child left here (limen_ring_vfork_done) */
static int kept_has(uint32_t i)
{
	for (int j = 0; j < KEPT; j++)
		if (__atomic_load_n(&kept_slot[j], __ATOMIC_ACQUIRE) == i + 1)
			return 1;
	return 0;
}

/*
 * The note an execve carries to its new image (exec.c, session.h's
 * LIMEN_PREV): the slots of our threads, which the new image retires
 * (init.c, retire_old_slots). By the local pid alone, a process in a
 * sibling pid namespace has ours, and an exec there ended our threads'
 * rings: the collector freed them under a live writer. Found through
 * ring_of, the rings mapped here: not a kept one (another's since, maybe),
 * not another process's (a vfork child's while it runs); LIMEN_PREV_SLOTS
 * at most (the rest: by the pid and namespace, where known).
 */
size_t limen_ring_prev_note(char *out, size_t cap)
{
	uint32_t hw = __atomic_load_n(&ring_hw, __ATOMIC_RELAXED), listed = 0;
	int32_t pid = limen_tls.pid;
	char *p = out;

	if (!limen_rt.ctl || cap < LIMEN_PREV_NOTE_MAX)
		return 0;
	memcpy(p, LIMEN_PREV_ENV "=", sizeof(LIMEN_PREV_ENV));
	p += sizeof(LIMEN_PREV_ENV);
	p += limen_fmt_dec(p, (int64_t)(limen_pidns_mine() & INT64_MAX));
	*p++ = '.';
	*p++ = limen_rt.pidns_moved ? '1' : '0';
	for (uint32_t i = 0; i < hw && listed < LIMEN_PREV_SLOTS; i++) {
		struct limen_slot *s = &limen_rt.slots[i];

		if (!__atomic_load_n(&limen_rt.ring_of[i], __ATOMIC_ACQUIRE) ||
		    kept_has(i) ||
		    __atomic_load_n(&s->pid, __ATOMIC_RELAXED) != pid ||
		    __atomic_load_n(&s->state, __ATOMIC_ACQUIRE) !=
			    LIMEN_SLOT_ACTIVE)
			continue;
		*p++ = ',';
		p += limen_fmt_dec(p, i);
		*p++ = '.';
		p += limen_fmt_dec(p, __atomic_load_n(&s->gen,
						      __ATOMIC_RELAXED));
		listed++;
	}
	*p = 0;
	return (size_t)(p - out);
}

/* Slot i's ring is kept: no longer (the caller claimed the slot) */
static int kept_take(uint32_t i)
{
	for (int j = 0; j < KEPT; j++) {
		uint32_t k = i + 1;

		if (__atomic_compare_exchange_n(&kept_slot[j], &k, 0, 0,
						__ATOMIC_ACQ_REL,
						__ATOMIC_RELAXED))
			return 1;
	}
	return 0;
}

void limen_ring_vfork_done(struct limen_slot *slot, uint8_t *ring)
{
	uint32_t i, k, j;
	uint8_t *was;

	if (!ring)
		return;
	if (!slot || slot < limen_rt.slots ||
	    (i = (uint32_t)(slot - limen_rt.slots)) >= limen_rt.geom.nslots) {
		limen_ring_unmap(ring);
		return;
	}
	was = ring;
	/* still listed: the child kept it (child_setup, clone.c) */
	if (!__atomic_compare_exchange_n(&limen_rt.ring_of[i], &was, ring, 0,
					 __ATOMIC_ACQ_REL, __ATOMIC_RELAXED)) {
		limen_ring_unmap(ring);
		return;
	}
	if (!limen_ring_vfork_keeps()) {
		unmap_ring(i);
		return;
	}
	if (kept_has(i))
		return;
	j = kept_next++ % KEPT;
	k = __atomic_exchange_n(&kept_slot[j], i + 1, __ATOMIC_ACQ_REL);
	if (k && k <= limen_rt.geom.nslots)
		unmap_ring(k - 1);
}

/*
 * Rings for the threads a program starts under a seccomp filter of its
 * own. Mapping a ring takes calls the program never makes (an mremap and
 * a munmap, or an open, fstat, mmap and close; a madvise), which its
 * filter may refuse (the thread then ran untraced) or kill at (the
 * program died, where bare it would not). So when the program installs
 * its first filter (dispatch.c, before the call: nothing refuses them
 * yet), POOL slots are claimed and their rings mapped, and a thread
 * started after takes one (limen_thread_register_ids): no call of
 * limen's. A thread that ends after the filter went on unmaps nothing
 * (munmap is a call too): its ring waits here, retired, until the
 * collector has drained it and freed its slot, and is then taken again
 * with the slot. With none ready or free, the thread runs untraced and
 * is counted (ctl->threads_untraced, said at the end of the trace):
 * never a call, never silently.
 *
 * What it costs: POOL rings of address space (16 x 4 MiB by default,
 * --ring-size), no memory until a thread writes them, POOL of the
 * session's 32768 slots while the process lives (LIMEN_SLOT_POOLED: the
 * collector frees them once it is gone; not at an exec: init.c),
 * and at the filter's
 * install POOL mappings (an mremap, a munmap and a madvise each: about
 * 10 us each here). Not for a filter inherited through exec (never seen
 * going on): its threads map their rings as before.
 */
#define POOL 16
enum { POOL_EMPTY, POOL_BUSY, POOL_READY, POOL_RETIRED };
static struct pool_entry {
	uint32_t state;
	uint32_t slot;
	uint32_t gen;           /* RETIRED: the slot's, as its thread left */
	uint8_t *ring;
	uint8_t *stack;         /* limen_stack_map's, 0: none */
	void *gs;               /* a %gs block's page, 0: none */
} pool[POOL];
static int pool_on; /* filled once: later filters may refuse the calls */
#ifdef LIMEN_GS_TLS
/* %gs blocks' pages for threads started under the filter once the pool
   has no ring left for them (limen_ring_gs_spare): each such thread runs
   untraced, with no signal stack of limen's, but its own state; with
   none, it shared its parent's as a raw thread does, and a signal held
   or a mask seen in one went to the other (a SIGUSR1 handler ran after
   raise returned, saw the owned signals unblocked:
   tests/syscalls/unarmed_thread_signals.t, pool). Never given back: the
   thread's end would be the collector's to see (it has no slot), and a
   page reused while it still ran would be two threads' again. */
#define GS_SPARE 48
static void *gs_spare[GS_SPARE];
static uint32_t gs_spare_next;
#endif
static uint64_t pool_wait_tsc; /* POOL_WAIT_NS in TSC ticks (pool_fill) */

int limen_ring_pool_overlaps(uint64_t a, uint64_t end)
{
	for (int j = 0; j < POOL; j++) {
		uint64_t lo = (uint64_t)(uintptr_t)__atomic_load_n(
			&pool[j].ring, __ATOMIC_RELAXED);

		if (lo && __atomic_load_n(&pool[j].state, __ATOMIC_ACQUIRE) !=
				  POOL_EMPTY &&
		    a < lo + limen_rt.geom.ring_bytes && end > lo)
			return 1;
	}
	return 0;
}

int limen_ring_pooled(void)
{
	return __atomic_load_n(&pool_on, __ATOMIC_ACQUIRE);
}

static int64_t claim(struct limen_ctl *c);
static int take(struct limen_slot *s);
static uint8_t *ring_for(uint32_t i);

#define POOL_WAIT_NS 1000000000ul
/* pool_wait_tsc from the TSC's ticks over the fill's wall time (some
   hundreds of microseconds of mappings: before the filter, calls are
   allowed); a 4 GHz guess when the clock says nothing */
static void tsc_calibrate(int end)
{
	static uint64_t tsc0, ns0;
	struct {
		long sec, nsec;
	} ts = { 0, 0 };
	uint64_t tsc = limen_rdtsc(), ns;

	limen_sys2(SYS_clock_gettime, 1 /* CLOCK_MONOTONIC */, &ts);
	ns = (uint64_t)ts.sec * 1000000000ul + (uint64_t)ts.nsec;
	if (!end) {
		tsc0 = tsc;
		ns0 = ns;
		return;
	}
	pool_wait_tsc = 4 * POOL_WAIT_NS;
	if (ns > ns0 + 10000 && tsc > tsc0 && tsc - tsc0 < (1ul << 40))
		pool_wait_tsc = (tsc - tsc0) * POOL_WAIT_NS / (ns - ns0);
}

/* The program is about to install a seccomp filter (dispatch.c). */
void limen_ring_pool_fill(void)
{
	struct limen_ctl *c = limen_rt.ctl;
	int32_t pid;

	if (!c || limen_tls.strict || __atomic_exchange_n(&pool_on, 1,
							  __ATOMIC_ACQ_REL))
		return;
	pid = (int32_t)limen_sys0(SYS_getpid);
	tsc_calibrate(0);
	for (int j = 0; j < POOL; j++) {
		uint32_t st = POOL_EMPTY;
		int64_t i;
		uint8_t *ring;

		if (!__atomic_compare_exchange_n(&pool[j].state, &st,
						 POOL_BUSY, 0, __ATOMIC_ACQ_REL,
						 __ATOMIC_RELAXED))
			continue;
		i = claim(c);
		ring = i < 0 ? 0 : ring_for((uint32_t)i);
		if (!ring) {
			if (i >= 0)
				__atomic_store_n(&limen_rt.slots[i].state,
						 LIMEN_SLOT_FREE,
						 __ATOMIC_RELEASE);
			__atomic_store_n(&pool[j].state, POOL_EMPTY,
					 __ATOMIC_RELEASE);
			break;
		}
		pool[j].slot = (uint32_t)i;
		pool[j].ring = ring;
		/* the process's until it ends: the collector frees it
		   then (session.c, process_gone), so a process that
		   filtered does not keep POOL slots of the session for
		   good (not at its exec: init.c, retire_old_slots) */
		limen_rt.slots[i].tid = pid;
		limen_rt.slots[i].pid = pid;
		limen_rt.slots[i].pidns = limen_pidns_mine();
		limen_rt.slots[i].gen++;
		__atomic_store_n(&limen_rt.slots[i].state, LIMEN_SLOT_POOLED,
				 __ATOMIC_RELEASE);
		/* and the rest of what a thread maps at its start */
		pool[j].stack = limen_stack_map();
#ifdef LIMEN_GS_TLS
		pool[j].gs = limen_gs_page_map();
#else
		pool[j].gs = 0;
#endif
		__atomic_store_n(&pool[j].state, POOL_READY, __ATOMIC_RELEASE);
	}
#ifdef LIMEN_GS_TLS
	limen_gs_pages_map(gs_spare, GS_SPARE); /* one mmap for all */
#endif
	tsc_calibrate(1);
}

#ifdef LIMEN_GS_TLS
/* rt.h: a spare %gs block's page, mapped before the filter; 0: none */
void *limen_ring_gs_spare(void)
{
	uint32_t j = __atomic_fetch_add(&gs_spare_next, 1, __ATOMIC_ACQ_REL);

	return j < GS_SPARE ? __atomic_exchange_n(&gs_spare[j], (void *)0,
						  __ATOMIC_ACQ_REL) :
			      0;
}
#endif

/* A pooled slot taken for a thread of ours */
static int unpool(struct limen_slot *s)
{
	uint32_t st = LIMEN_SLOT_POOLED;

	return __atomic_compare_exchange_n(&s->state, &st, LIMEN_SLOT_CLAIMED,
					   0, __ATOMIC_ACQ_REL,
					   __ATOMIC_RELAXED);
}

/* A retired entry's slot, not free: still the one our thread left (DONE,
   its generation), or taken since by someone else (freed by the
   collector, claimed again): then it never comes back to us */
static int retired_lost(const struct pool_entry *e)
{
	const struct limen_slot *s = &limen_rt.slots[e->slot];

	return __atomic_load_n(&s->state, __ATOMIC_ACQUIRE) !=
		       LIMEN_SLOT_DONE ||
	       __atomic_load_n(&s->gen, __ATOMIC_RELAXED) != e->gen;
}

/* A claimed slot and its ring for a thread started under the filter:
   a ready one, else a retired one whose slot the collector freed; -1. */
static int64_t pool_take(uint8_t **ring, uint8_t **stack, void **gs)
{
	for (int pass = 0; pass < 2; pass++)
		for (int j = 0; j < POOL; j++) {
			uint32_t st = pass ? POOL_RETIRED : POOL_READY;
			uint32_t i;

			if (__atomic_load_n(&pool[j].state, __ATOMIC_RELAXED) !=
				    st ||
			    !__atomic_compare_exchange_n(&pool[j].state, &st,
							 POOL_BUSY, 0,
							 __ATOMIC_ACQ_REL,
							 __ATOMIC_RELAXED))
				continue;
			i = pool[j].slot;
			if (!pass && !unpool(&limen_rt.slots[i])) {
				/* freed by the collector (it took us for
				   gone): maybe another process's now */
				__atomic_store_n(&pool[j].state, POOL_EMPTY,
						 __ATOMIC_RELEASE);
				continue;
			}
			if (pass && !take(&limen_rt.slots[i])) {
				/* not drained yet: wait; another's now
				   (claimed again since): never ours again */
				__atomic_store_n(&pool[j].state,
						 retired_lost(&pool[j]) ?
							 POOL_EMPTY :
							 POOL_RETIRED,
						 __ATOMIC_RELEASE);
				continue;
			}
			*ring = pool[j].ring;
			*stack = pool[j].stack;
			*gs = pool[j].gs;
			__atomic_store_n(&pool[j].state, POOL_EMPTY,
					 __ATOMIC_RELEASE);
			return i;
		}
	return -1;
}

/* pool_take, waiting while a retired ring may come free: its thread's
   end is the collector's to see (it frees the slot once the thread is
   gone and its ring drained, at its next drain: a millisecond or so).
   In pauses (a nap would be a call), POOL_WAIT_NS at most by the TSC (a
   collector behind with -k on a loaded machine took more than 50 ms;
   counted in pauses, taken for 20 ns each, the wait was 1.5 s), not
   once the collector is gone. */
static int64_t pool_take_wait(uint8_t **ring, uint8_t **stack, void **gs)
{
	int64_t i = pool_take(ring, stack, gs);
	uint64_t start = limen_rdtsc();

	while (i < 0 && limen_rdtsc() - start < pool_wait_tsc &&
	       !limen_collector_died()) {
		int retired = 0;

		for (int j = 0; j < POOL; j++)
			retired |= __atomic_load_n(&pool[j].state,
						   __ATOMIC_RELAXED) ==
				   POOL_RETIRED;
		if (!retired)
			break;
		for (int k = 0; k < 1000; k++)
			__builtin_ia32_pause();
		i = pool_take(ring, stack, gs);
	}
	return i;
}

/* rt.h: 0 and k filled, or -1 (no pool, or none left) */
int limen_ring_kit_take(struct limen_kit *k)
{
	k->slot = -1;
	if (!__atomic_load_n(&pool_on, __ATOMIC_ACQUIRE))
		return -1;
	k->slot = pool_take_wait(&k->ring, &k->stack, &k->gs);
	return k->slot < 0 ? -1 : 0;
}

/* An empty entry of the pool given slot i's set, as state (READY, or
   RETIRED with the slot's gen as its thread left); none empty: the set
   stays mapped, unused */
static void pool_put(uint32_t i, uint32_t gen, uint8_t *ring, uint8_t *stack,
		     void *gs, uint32_t state)
{
	for (int j = 0; j < POOL; j++) {
		uint32_t st = POOL_EMPTY;

		if (!__atomic_compare_exchange_n(&pool[j].state, &st,
						 POOL_BUSY, 0, __ATOMIC_ACQ_REL,
						 __ATOMIC_RELAXED))
			continue;
		pool[j].slot = i;
		pool[j].gen = gen;
		pool[j].ring = ring;
		pool[j].stack = stack;
		pool[j].gs = gs;
		__atomic_store_n(&pool[j].state, state, __ATOMIC_RELEASE);
		return;
	}
}

/* A kit taken and not used (the thread could not be armed): back, ready
   (its slot still claimed) */
void limen_ring_kit_return(struct limen_kit *k)
{
	struct limen_slot *s;

	if (k->slot < 0)
		return;
	/* pooled again, the process's (one taken retired still names the
	   thread that left it): with no room below, the collector still
	   frees it once the process ends */
	s = &limen_rt.slots[k->slot];
	s->tid = s->pid;
	__atomic_store_n(&s->state, LIMEN_SLOT_POOLED, __ATOMIC_RELEASE);
	pool_put((uint32_t)k->slot, 0, k->ring, k->stack, k->gs, POOL_READY);
	k->slot = -1;
}

/* A thread ends under the filter: its ring (slot i's), signal stack and
   %gs block wait for the slot to be free again, which the collector
   makes it only once the thread is gone (session.c, thread_gone); with
   no room here they stay mapped, unused. */
static void pool_retire(uint32_t i, uint8_t *ring, uint8_t *stack, void *gs)
{
	pool_put(i, __atomic_load_n(&limen_rt.slots[i].gen, __ATOMIC_RELAXED),
		 ring, stack, gs, POOL_RETIRED);
}

void limen_rings_drop_inherited(void)
{
	uint32_t hw = __atomic_load_n(&ring_hw, __ATOMIC_RELAXED);

	if (!limen_rt.ctl)
		return;
	uint8_t *busy = limen_tls.uc.busy && limen_tls.uc.end ?
				(uint8_t *)(uintptr_t)limen_tls.uc.base : 0;

	limen_tls.slot = 0;
	limen_tls.ring = 0;
	for (int j = 0; j < KEPT; j++) /* unmapped below */
		__atomic_store_n(&kept_slot[j], 0, __ATOMIC_RELAXED);
	/* the pool's slots are the parent's (their rings stay mapped
	   here, unused: not in ring_of while pooled) */
	for (int j = 0; j < POOL; j++) {
		__atomic_store_n(&pool[j].state, POOL_EMPTY, __ATOMIC_RELAXED);
		pool[j].ring = 0;
	}
	pool_on = 0;
	limen_tls.uc.end = 0; /* the parent's chunk, in its ring */
	limen_tls.uc_pop_ring = 0; /* its pages: ours may map there */
	limen_tls.uc_populated = 0;
	reserving = 0;
	limen_tls.exit_nr = 0; /* room in the parent's ring */
	for (uint32_t i = 0; i < hw; i++) {
		/* forked by a signal handler that interrupted an emit: the
		   emit, resumed in the child, still writes into the parent's
		   ring; private memory takes its place for it, unseen */
		if (busy && limen_rt.ring_of[i] == busy &&
		    !limen_is_err(limen_sys6(SYS_mmap, (long)busy,
					     limen_rt.geom.ring_bytes,
					     PROT_READ | PROT_WRITE,
					     MAP_PRIVATE | MAP_ANONYMOUS |
						     MAP_FIXED,
					     -1, 0))) {
			limen_rt.ring_of[i] = 0;
			continue;
		}
		unmap_ring(i);
	}
}

static void put_hdr(uint8_t *p, uint32_t size, uint16_t type, uint16_t flags)
{
	struct limen_rec *h = (struct limen_rec *)p;

	h->size = size;
	h->flags = flags;
	__atomic_store_n(&h->type, type, __ATOMIC_RELEASE);
}

/*
 * head = v if it still is *expect, else *expect = head. A slot's head is
 * written by its own thread only (a vfork child runs while its parent's
 * thread waits), and what may nest in that thread's reservation is a
 * signal handler, which runs between two instructions: a cmpxchg without
 * the lock prefix is atomic for it, as the kernel's local_cmpxchg is for
 * data of one CPU. The lock cost a store-buffer drain twice per record
 * (reserve and commit, after the record's bytes). The collector only reads
 * head, and x86 keeps the order of stores it relies on (head before the
 * record's type). Once a thread shares another's TLS (clone.c), the two
 * may for a moment see each other's slot in it: locked then, as before.
 */
static inline __attribute__((always_inline)) int
head_cas_own(uint64_t *head, uint64_t *expect, uint64_t v)
{
	int ok;

	__asm__ volatile("cmpxchgq %3, %1"
			 : "=@ccz"(ok), "+m"(*head), "+a"(*expect)
			 : "r"(v)
			 : "memory");
	return ok;
}

static inline int head_cas(uint64_t *head, uint64_t *expect, uint64_t v)
{
	if (__builtin_expect(limen_rt.shared_tls, 0))
		return __atomic_compare_exchange_n(head, expect, v, 0,
						   __ATOMIC_ACQ_REL,
						   __ATOMIC_RELAXED);
	return head_cas_own(head, expect, v);
}

/*
 * The padding before a record of bound bytes at head h (pos in the ring):
 * to the ring's end where the record does not fit before it, and also
 * where the writer is past the ring's hot start and the collector has
 * nearly caught up (tail). A ring's first lap touches each of its pages
 * for the first time in this process, and a page's first touch is a
 * fault (1.8-2.2 us on one machine, 11 us on a VM that keeps its guests'
 * page tables: a lap of a 4 MiB ring there cost `find /usr/include` 8 ms
 * of its 30 under a full trace); going back to the start while the
 * collector keeps up keeps the writer in pages it has touched, and in
 * the caches of both sides. Back only with at most a quarter of pos
 * unread, so that the room left before the tail's page is three
 * quarters of pos at least (a writer that outruns the collector there
 * waits as it would at a full ring); never for a record that needs more
 * (session.h, limen_ring_goes_back: the collector asks it too).
 */
static inline __attribute__((always_inline)) uint64_t
pad_for(uint64_t h, uint64_t tail, uint64_t pos, uint32_t rsize,
	uint32_t bound)
{
	uint64_t used = h - tail;

	if (pos + bound > rsize)
		return rsize - pos;
	if (limen_ring_goes_back(pos, used, rsize) && used + bound <= pos)
		return rsize - pos;
	return 0;
}

static int reserve_raw(struct limen_slot *s, uint8_t *ring, uint32_t rsize,
		       uint32_t bound, uint64_t *start)
{
	uint64_t h, pos, need, pad, tail;

	h = __atomic_load_n(&s->head, __ATOMIC_RELAXED);
	for (;;) {
		tail = __atomic_load_n(&s->tail, __ATOMIC_ACQUIRE);
		pos = h & (rsize - 1);
		pad = pad_for(h, tail, pos, rsize, bound);
		need = pad + bound;
		if (h + need - tail > rsize)
			return -1;
		if (head_cas(&s->head, &h, h + need))
			break;
	}
	if (pad)
		put_hdr(ring + pos, (uint32_t)pad, LIMEN_REC_PAD, 0);
	*start = h + pad;
	return 0;
}

/*
 * The calling thread's slot. A CLONE_VM thread created without CLONE_SETTLS
 * shares its parent's TLS, so once such a thread exists the TLS answer is
 * checked against gettid and, for the stranger, the slot table is searched.
 */
static struct limen_slot *cur(uint8_t **ring)
{
	if (__builtin_expect(limen_rt.shared_tls, 0)) {
		int32_t tid = (int32_t)limen_sys0(SYS_gettid);
		struct limen_slot *slots = limen_rt.slots;

		if (tid != limen_tls.tid) {
			uint32_t n = limen_slots_used(limen_rt.ctl,
						      &limen_rt.geom);

			for (uint32_t i = 0; i < n; i++) {
				if (slots[i].tid == tid &&
				    __atomic_load_n(&slots[i].state,
						    __ATOMIC_ACQUIRE) ==
					    LIMEN_SLOT_ACTIVE) {
					*ring = __atomic_load_n(
						&limen_rt.ring_of[i],
						__ATOMIC_ACQUIRE);
					return *ring ? &slots[i] : 0;
				}
			}
			return 0;
		}
	}
	*ring = limen_tls.ring;
	return limen_tls.slot;
}

/*
 * Bytes this thread has reserved and not yet committed. A signal handler
 * nested inside our own reservation can wait for room only for what the
 * collector can free: it drains up to the unpublished record we are in the
 * middle of and no further, so pending + need must fit in the ring, or the
 * handler would wait for itself.
 */

/* Set once the collector is known to be gone. */
static int collector_gone;

#define WAIT_SPINS 64          /* pause loops before sleeping */
#define WAIT_SLEEP_NS 50000    /* then naps of 50 us, twice as long each
				  time up to ... */
#define WAIT_NAP_MAX_NS 1000000 /* ... 1 ms: a hundred threads waiting
				  for their rings woke 20 000 times a
				  second each, kept both cores busy and
				  left the collector, which frees the
				  room, no time (a run 50x slower) */
#define WAIT_STALL_NS 2000000000ull /* with no word on whether the
				  collector lives, 2 s without progress */

/* rt.h */
int limen_collector_died(void)
{
	uint32_t w = __atomic_load_n((uint32_t *)limen_rt.ctl->collector_lock,
				     __ATOMIC_ACQUIRE);

	return (w & LIMEN_COLLECTOR_DIED) != 0;
}

/*
 * The default (LIMEN_CTL_NO_LOSS): a ring without room for `need` more
 * bytes makes its producer wait for the collector, as a complete trace is
 * what strace users expect (a collector that is slow to write, say to a
 * paused pager, slows the program down as strace would). Never forever:
 * not inside our own reservation beyond what the ring can free, and not
 * for a collector that is gone (the kernel marks its lock; with no lock,
 * 2 s without progress): then the record is dropped and counted.
 * 0: room now.
 */
static int wait_room(struct limen_slot *s, uint32_t rsize, uint64_t need)
{
	uint64_t tail = __atomic_load_n(&s->tail, __ATOMIC_ACQUIRE);
	uint64_t stalled = 0;
	uint32_t spins = 0, nap_ns = WAIT_SLEEP_NS;

	if (!(limen_rt.ctl->flags & LIMEN_CTL_NO_LOSS) ||
	    reserving + need > rsize ||
	    __atomic_load_n(&collector_gone, __ATOMIC_RELAXED))
		return -1;
	for (;;) {
		uint64_t h = __atomic_load_n(&s->head, __ATOMIC_RELAXED);
		uint64_t t = __atomic_load_n(&s->tail, __ATOMIC_ACQUIRE);

		if (h - t + need <= rsize)
			return 0;
		if (t != tail) {
			tail = t;
			stalled = 0;
		}
		if (spins < WAIT_SPINS) {
			spins++;
			__builtin_ia32_pause();
			continue;
		}
		if (limen_collector_died() ||
		    (!limen_rt.ctl->collector_lock[0] &&
		     (stalled += nap_ns) > WAIT_STALL_NS)) {
			__atomic_store_n(&collector_gone, 1, __ATOMIC_RELAXED);
			return -1;
		}
		/* seccomp strict mode forbids nanosleep, and a filter of the
		   program's may refuse or kill it (a call the program never
		   made: tests/syscalls/own_calls_under_filter.t): the nap is
		   pauses there, some 20 ns each */
		if (limen_tls.strict || limen_program_filtered()) {
			for (uint32_t k = 0; k < nap_ns / 20; k++)
				__builtin_ia32_pause();
		} else {
			struct timespec_k {
				long sec, nsec;
			} nap = { 0, nap_ns };

			limen_sys2(SYS_nanosleep, &nap, 0);
		}
		if (nap_ns < WAIT_NAP_MAX_NS)
			nap_ns = nap_ns * 2 < WAIT_NAP_MAX_NS ? nap_ns * 2
							     : WAIT_NAP_MAX_NS;
	}
}

/* reserve_raw, waiting for room when the session asks for no loss */
static int reserve_wait(struct limen_slot *s, uint8_t *ring, uint32_t rsize,
			uint32_t bound, uint64_t *start)
{
	for (int tries = 0; tries < 2; tries++) {
		if (reserve_raw(s, ring, rsize, bound, start) == 0)
			return 0;
		/* the bound plus the padding a wrap may need */
		if (wait_room(s, rsize, 2ull * bound) < 0)
			return -1;
	}
	return reserve_raw(s, ring, rsize, bound, start);
}

static int reserve(struct limen_wr *w, uint32_t bound)
{
	uint8_t *ring;
	struct limen_slot *s = cur(&ring);
	uint32_t rsize = limen_rt.geom.ring_bytes;
	uint64_t lost;

	if (!s)
		return -1;
	/* records of this thread go after its user events' chunk: close
	   it, unless we are inside an emit that is filling it */
	if (__builtin_expect(limen_tls.uc.end != 0, 0) &&
	    s == limen_tls.uc_slot) {
		const struct limen_inflight *fl = limen_tls.inflight;

		if (limen_tls.uc.busy && fl && fl->uc &&
		    limen_uc_abandoned((uint64_t)fl->uc->uc_mcontext
					       .gregs[REG_RSP]))
			limen_chunk_abandoned();
		if (!limen_tls.uc.busy)
			limen_chunk_close();
	}

	bound = (uint32_t)LIMEN_ALIGN8(bound);
	/* larger than half the ring (an execve with -s 8192 in a 16K
	   ring) it could not be waited for (a wrap may need as much again
	   in padding): its loss is counted. Half, not less: a path (4 KiB
	   at most) still fits a 16K ring */
	if (bound > rsize / 2)
		goto drop;
	lost = __atomic_load_n(&s->lost, __ATOMIC_RELAXED);
	if (lost) {
		struct limen_rec_lost *l;
		uint64_t at;

		if (reserve_wait(s, ring, rsize, sizeof(*l), &at) < 0)
			goto drop;
		l = (void *)(ring + (at & (rsize - 1)));
		l->count = __atomic_exchange_n(&s->lost, 0, __ATOMIC_RELAXED);
		l->tsc = limen_now();
		put_hdr((uint8_t *)l, sizeof(*l), LIMEN_REC_LOST, 0);
	}
	if (reserve_wait(s, ring, rsize, bound, &w->start) < 0)
		goto drop;
	reserving += bound;
	w->slot = s;
	w->end = w->start + bound;
	w->p = ring + (w->start & (rsize - 1));
	return 0;
drop:
	__atomic_add_fetch(&s->lost, 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(&s->lost_total, 1, __ATOMIC_RELAXED);
	return -1;
}

static void ring_ahead(uint8_t *ring, uint64_t start);

/* a 64th of a ring of rsize bytes (a power of two), a page at least:
   ring_ahead's unit */
static inline uint32_t ring_part(uint32_t rsize)
{
	return rsize / 64 < 4096 ? 4096 : rsize / 64;
}

/*
 * reserve's common case in one step: the thread's own slot (no TLS shared),
 * no user events' chunk open, nothing lost to announce, room now. Anything
 * else, -1 with nothing done: reserve then does it all.
 */
static inline __attribute__((always_inline)) int
reserve_quick(struct limen_wr *w, uint32_t bound)
{
	struct limen_slot *s = limen_tls.slot;
	uint8_t *ring = limen_tls.ring;
	uint32_t rsize = limen_rt.geom.ring_bytes;
	uint64_t h, tail, pos, pad, need;

	if (__builtin_expect(!s || limen_rt.shared_tls ||
				     limen_tls.uc.end != 0 ||
				     __atomic_load_n(&s->lost, __ATOMIC_RELAXED),
			     0))
		return -1;
	bound = (uint32_t)LIMEN_ALIGN8(bound);
	if (bound > rsize / 2)
		return -1;
	h = __atomic_load_n(&s->head, __ATOMIC_RELAXED);
	tail = __atomic_load_n(&s->tail, __ATOMIC_ACQUIRE);
	pos = h & (rsize - 1);
	pad = pad_for(h, tail, pos, rsize, bound);
	need = pad + bound;
	/* no TLS shared, as said above: a thread that shares ours sets
	   shared_tls itself (clone.c, child_setup) and writes no record
	   before, all its signals blocked, so until then this thread is
	   the slot's only writer (head_cas's own test, read again after
	   the loads, was 3 instructions a record) */
	if (h + need - tail > rsize || !head_cas_own(&s->head, &h, h + need))
		return -1;
	if (pad)
		put_hdr(ring + pos, (uint32_t)pad, LIMEN_REC_PAD, 0);
	reserving += bound;
	w->slot = s;
	w->start = h + pad;
	w->end = w->start + bound;
	w->p = ring + (w->start & (rsize - 1));
	/* the ring's first lap in this process (ring_ahead): only a record
	   in the second half of a 64th can make it act, and none before
	   the position it said */
	if (__builtin_expect(limen_tls.uc_populated != ~0ull, 0) &&
	    (w->start & ring_part(rsize) / 2) &&
	    (w->start >= limen_tls.ring_ahead_at ||
	     limen_tls.uc_pop_ring != ring))
		ring_ahead(ring, w->start);
	return 0;
}

/* limen_rec_reserve, inline in limen_rec_sys_plain too */
static void exit_room_release(void);

static inline __attribute__((always_inline)) int
rec_reserve(struct limen_wr *w, uint32_t bound)
{
	/* whatever comes before the call's exit, the room kept for it
	   goes first (limen_rec_sys_pair) */
	if (__builtin_expect(limen_tls.exit_nr != 0, 0))
		exit_room_release();
	if (!limen_rt.ctl)
		return -1;
	if (__builtin_expect(reserve_quick(w, bound) == 0, 1))
		return 0;
	return reserve(w, bound);
}

int limen_rec_reserve(struct limen_wr *w, uint32_t bound)
{
	return rec_reserve(w, bound);
}

/*
 * A call's record with nothing captured (quickrec.c): reserved, written
 * and committed at its exact size in one step, as limen_rec_reserve,
 * the writer and limen_rec_commit would; the EXIT of a call whose ENTER
 * kept room for it (limen_rec_sys_pair) is written there.
 */
static __attribute__((noinline)) void
sys_plain_reserved(uint16_t type, uint16_t flags, long nr, const long *a,
		   long ret)
{
	struct limen_rec_sys *r;
	struct limen_wr w;

	if (rec_reserve(&w, sizeof(*r)) < 0)
		return;
	r = (struct limen_rec_sys *)w.p;
	limen_rec_sys_fill(r, nr, a, ret, 0);
	_Static_assert(sizeof(*r) % 8 == 0, "reserved at its exact size");
	reserving -= sizeof(*r);
	put_hdr(w.p, sizeof(*r), type, flags);
}

/* exit_kept's record at r, stamped tsc */
static inline __attribute__((always_inline)) void
exit_kept_at(struct limen_rec_sys *r, uint16_t flags, long nr,
	     const long *a, long ret, uint64_t tsc)
{
	limen_rec_sys_fill_at(r, nr, a, ret, 0, tsc);
	reserving -= sizeof(*r);
	put_hdr((uint8_t *)r, sizeof(*r), LIMEN_REC_EXIT, flags);
}

/* exit_kept when the stamp is limen_lone_now's */
static __attribute__((noinline, cold)) void
exit_kept_lone(struct limen_rec_sys *r, uint16_t flags, long nr,
	       const long *a, long ret)
{
	exit_kept_at(r, flags, nr, a, ret, limen_lone_now());
}

/* The EXIT of nr into the room its ENTER kept (limen_tls.exit_nr is
   nr + 1): no reservation. The stamp's call, when there is one, out of
   line with the rest of the record: its registers took this a frame of
   its own (three pushes and pops of 56 instructions, bench/stepcount) */
static inline __attribute__((always_inline)) void
exit_kept(uint16_t flags, long nr, const long *a, long ret)
{
	struct limen_rec_sys *r;
	uint64_t tsc;

	limen_tls.exit_nr = 0;
	r = (struct limen_rec_sys *)limen_tls.exit_w.p;
	if (__builtin_expect(!limen_now_quick(&tsc), 0)) {
		exit_kept_lone(r, flags, nr, a, ret);
		return;
	}
	exit_kept_at(r, flags, nr, a, ret, tsc);
}

/* The EXIT into the room kept for it needs no reservation: a function
   of its own, without the frame the reservation's registers took (81
   instructions a recorded open's EXIT, 13 of them that frame) */
void limen_rec_sys_plain(uint16_t type, uint16_t flags, long nr,
			 const long *a, long ret)
{
	/* an i386 call (compat32.c): its number and the ring's flag */
	if (LIMEN_IS_I386(nr)) {
		flags |= LIMEN_RECF_I386;
		nr = (uint32_t)nr;
		sys_plain_reserved(type, flags, nr, a, ret);
		return;
	}
	if (limen_tls.exit_nr != nr + 1 || type != LIMEN_REC_EXIT) {
		sys_plain_reserved(type, flags, nr, a, ret);
		return;
	}
	exit_kept(flags, nr, a, ret);
}

/* dispatch_quick's EXIT, which found the room kept (exit_nr == nr + 1):
   without limen_rec_sys_plain's tests again, nor the frame its way to a
   reservation takes */
void limen_rec_exit_kept(long nr, const long *a, long ret)
{
	exit_kept(0, nr, a, ret);
}

/*
 * The ring's lines this thread writes next, from p (its kept EXIT room,
 * then the next call's records) asked for in the state a store needs,
 * before the kernel runs the call: a record's stores otherwise miss on
 * lines the collector zeroed a lap ago, and the kernel's entry waits for
 * them. A hint only: an address past the ring's end is never read nor
 * written, and a prefetch does not fault. 50,000 recorded opens
 * (build/tests/sysloop 0 50000 under -e trace=openat): 1.7% less of the
 * program's CPU time, medians of 101 interleaved rounds' ratios (the
 * same build against itself: 0.35%).
 */
static inline __attribute__((always_inline)) void ring_warm(const uint8_t *p)
{
	/* four lines: an EXIT and the next call's ENTER with its path */
	__builtin_prefetch(p, 1, 3);
	__builtin_prefetch(p + 64, 1, 3);
	__builtin_prefetch(p + 128, 1, 3);
	__builtin_prefetch(p + 192, 1, 3);
}

/*
 * The ENTER record of a call whose EXIT will have nothing to capture
 * either (quickrec.c): both reserved at once, the ENTER published now and
 * the EXIT's room kept behind it in limen_tls.exit_w, where
 * limen_rec_sys_plain writes the EXIT when the call returns (from the
 * quick way, limen_dispatch, or a signal's limen_inflight_exit): one
 * reservation a call instead of two. The ENTER is published before the
 * call as always, so a call that blocks or never returns is seen. What
 * the ring holds behind the room waits for it: any other record of the
 * thread meanwhile (a signal's, a handler's, an EXIT written with
 * captures after all) first gives the room back (rec_reserve,
 * exit_room_release), and is written after it, as before. A thread that
 * ends in the call leaves the room unpublished, which the collector
 * frees with the slot, as any record reserved and never published.
 *
 * Not for the calls after which the thread or its memory is another's
 * (exit, execve, fork, vfork, clone, rt_sigreturn: a fork child forgets
 * the room, limen_rings_drop_inherited), nor under a runtime filter, -k
 * or uaccess logging, whose records would come between the two, nor
 * where reserve_quick says no: then the ENTER alone, as before.
 */
static inline __attribute__((always_inline)) void
sys_pair(long nr, const long *a, long site, int checked)
{
	struct limen_rec_sys *r;
	struct limen_wr w;

	/* checked: dispatch_quick's call, of a number lean.c made lean (or
	   a wait), which none of these is (lean.c, hooked: run()'s exit,
	   exec, clone and rt_sigreturn) */
	if (!checked)
		switch (nr) {
		case SYS_exit:
		case SYS_exit_group:
		case SYS_execve:
		case SYS_execveat:
		case SYS_fork:
		case SYS_vfork:
		case SYS_clone:
		case SYS_clone3:
		case SYS_rt_sigreturn:
			goto alone;
		}
	if (limen_tls.exit_nr)
		exit_room_release();
	if (!limen_rt.ctl ||
	    (!checked && (limen_filter_on || limen_tls.ua_slot)) ||
	    (limen_rt.ctl->flags & (LIMEN_CTL_STACK | LIMEN_CTL_UACCESS)) ||
	    reserve_quick(&w, 2 * sizeof(*r)) < 0)
		goto alone;
	r = (struct limen_rec_sys *)w.p;
	limen_rec_sys_fill(r, nr, a, site, 0);
	/* the EXIT's room stays reserved */
	reserving -= sizeof(*r);
	limen_tls.exit_w.slot = w.slot;
	limen_tls.exit_w.start = w.start + sizeof(*r);
	limen_tls.exit_w.end = w.end;
	limen_tls.exit_w.p = w.p + sizeof(*r);
	/* the room before the number that says it is kept: a signal's
	   record in between releases only room that is whole */
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	limen_tls.exit_nr = nr + 1;
	put_hdr(w.p, sizeof(*r), LIMEN_REC_ENTER, 0);
	ring_warm(w.p + sizeof(*r));
	return;
alone:
	limen_rec_sys_plain(LIMEN_REC_ENTER, 0, nr, a, site);
}

void limen_rec_sys_pair(long nr, const long *a, long site)
{
	sys_pair(nr, a, site, 0);
}

/* The same for dispatch_quick, which found no runtime filter and no
   uaccess slot (private state, which nothing changes on the way) */
void limen_rec_sys_pair_quick(long nr, const long *a, long site)
{
	sys_pair(nr, a, site, 1);
}

/* The ENTER of limen_rec_enter_path at p: the call's fixed part, one
   limen_cap, the string and the zeros after it to the next 8 bytes (the
   last word's bytes from the NUL on zeroed: little-endian, its high
   ones), a word at a time */
static inline __attribute__((always_inline)) void
path_fill(uint8_t *p, long nr, const long *a, long site, int pi,
	  const char *s, uint32_t len)
{
	struct limen_rec_sys *r = (struct limen_rec_sys *)p;
	struct limen_cap *cp = (struct limen_cap *)(p + sizeof(*r));
	uint8_t *to = (uint8_t *)(cp + 1);
	uint32_t i = 0;
	uint64_t v;

	limen_rec_sys_fill(r, nr, a, site, 1);
	cp->arg = (uint8_t)pi;
	cp->flags = 0;
	cp->pad = 0;
	cp->len = len;
	for (; i + 8 <= len; i += 8) {
		__builtin_memcpy(&v, s + i, 8);
		__builtin_memcpy(to + i, &v, 8);
	}
	if (i < len) {
		__builtin_memcpy(&v, s + i, 8);
		v &= ~0ull >> (64 - 8 * (len - i));
		__builtin_memcpy(to + i, &v, 8);
	}
}

/* limen_rec_enter_path's ENTER alone, reserved as any record */
static __attribute__((noinline)) void
enter_path_alone(long nr, const long *a, long site, int pi, const char *s,
		 uint32_t len, uint32_t used)
{
	struct limen_wr w;

	if (rec_reserve(&w, used) < 0)
		return; /* counted lost, as the full way's */
	path_fill(w.p, nr, a, site, pi, s, len);
	limen_rec_commit(&w, LIMEN_REC_ENTER, 0, used);
}

/*
 * The ENTER record of a call whose only capture is the path s (len bytes,
 * its NUL left out: quickpath.c), in capture.c's bytes, at its exact
 * size, in one step: as limen_rec_reserve, the writer and limen_rec_commit
 * would. pair: its EXIT will capture nothing, and the EXIT's room is
 * reserved with the ENTER and kept as limen_rec_sys_pair keeps it
 * (limen_tls.exit_w, exit_nr): after the call limen_rec_sys_plain writes
 * the EXIT there with no reservation, no look at the slot's line nor at
 * the thread's state reserve_quick reads, just after the kernel ran the
 * call and left them out of the caches. Where reserve_quick says no, or -k
 * or uaccess logging came on since the caller looked (the ctl page is the
 * program's to write), the ENTER alone, as limen_rec_sys_pair would. The
 * caller (dispatch_quick) made the call's other tests: no runtime filter,
 * no uaccess slot, and the call is none of those limen_rec_sys_pair
 * leaves alone (exit, execve, clone...). s holds LIMEN_ALIGN8(len) bytes
 * at least. One function, reserve_quick inline, reserve's other ways out
 * of line: it was three calls (reserve, commit, and the reservation's own
 * tests of the session again), 142 instructions a record
 * (bench/stepcount).
 */
void limen_rec_enter_path(long nr, const long *a, long site, int pi,
			  const char *s, uint32_t len, int pair)
{
	struct limen_wr w;
	uint32_t used = (uint32_t)(sizeof(struct limen_rec_sys) +
				   sizeof(struct limen_cap) + LIMEN_ALIGN8(len));
	const struct limen_ctl *c = limen_rt.ctl;

	if (__builtin_expect(limen_tls.exit_nr != 0, 0))
		exit_room_release();
	if (!c)
		return;
	if (c->flags & (LIMEN_CTL_STACK | LIMEN_CTL_UACCESS))
		pair = 0;
	if (reserve_quick(&w, used + (pair ? (uint32_t)sizeof(
						     struct limen_rec_sys) :
					     0)) < 0) {
		enter_path_alone(nr, a, site, pi, s, len, used);
		return;
	}
	path_fill(w.p, nr, a, site, pi, s, len);
	reserving -= used;
	if (!pair) {
		/* reserved at its exact size: limen_rec_commit's give-back
		   has nothing to give */
		put_hdr(w.p, used, LIMEN_REC_ENTER, 0);
		return;
	}
	/* the ENTER published, the EXIT's room behind it kept */
	limen_tls.exit_w.slot = w.slot;
	limen_tls.exit_w.start = w.start + used;
	limen_tls.exit_w.end = w.end;
	limen_tls.exit_w.p = w.p + used;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	limen_tls.exit_nr = nr + 1;
	put_hdr(w.p, used, LIMEN_REC_ENTER, 0);
	ring_warm(w.p + used);
}

/* The reservation's bytes from `from` on given back: the head moves
   back over them if nothing was reserved behind them, else they are
   padding. */
static void give_back(struct limen_wr *w, uint64_t from)
{
	uint64_t expect = w->end;

	if (from < w->end && !head_cas(&w->slot->head, &expect, from))
		put_hdr(w->p + (from - w->start), (uint32_t)(w->end - from),
			LIMEN_REC_PAD, 0);
}

/* The EXIT's room given back, all of it. */
static void exit_room_release(void)
{
	struct limen_wr *w = &limen_tls.exit_w;

	limen_tls.exit_nr = 0;
	reserving -= w->end - w->start;
	give_back(w, w->start);
}

void limen_rec_commit(struct limen_wr *w, uint16_t type, uint16_t flags,
		      uint32_t used)
{
	uint64_t end = w->start + LIMEN_ALIGN8(used);

	reserving -= w->end - w->start;
	give_back(w, end);
	put_hdr(w->p, (uint32_t)(end - w->start), type, flags);
}

void limen_chunk_close(void)
{
	struct limen_wr w;
	uint64_t pos = limen_tls.uc.pos, end = limen_tls.uc.end;

	if (!end)
		return;
	limen_tls.uc.end = 0;
	/* the chunk counted as reserved until now; commit takes the part
	   left off, we the part filled */
	reserving -= pos - limen_tls.uc_start;
	if (pos >= end)
		return;
	w.slot = limen_tls.uc_slot;
	w.start = pos;
	w.end = end;
	w.p = (uint8_t *)(uintptr_t)limen_tls.uc.base +
	      (pos & (limen_rt.geom.ring_bytes - 1));
	limen_rec_commit(&w, LIMEN_REC_PAD, 0, 8);
}

/*
 * The emit in progress was left for good (limen_uc_abandoned): the record
 * it was writing at uc.pos, never published, becomes padding, so that the
 * collector does not wait at it for ever, and uc.pos moves past it. Its
 * size is uc.recsize; left before that was set, uc.recsize is the previous
 * record's and covers bytes not yet written (zeros): padding as well.
 * Published meanwhile (the CAS fails) or already drained (behind the
 * tail: its bytes are the collector's zeros, and must stay so for the
 * next lap), it is left alone.
 */
void limen_chunk_abandoned(void)
{
	uint64_t at = limen_tls.uc.pos, end = limen_tls.uc.end;
	uint32_t size = limen_tls.uc.recsize;
	struct limen_rec *h;
	uint16_t none = LIMEN_REC_NONE;

	limen_tls.uc.busy = 0;
	if (!end || at >= end)
		return;
	if (size < sizeof(*h) || size > end - at)
		size = (uint32_t)(end - at);
	limen_tls.uc.pos = at + size;
	if (at < __atomic_load_n(&limen_tls.uc_slot->tail, __ATOMIC_ACQUIRE))
		return;
	h = (struct limen_rec *)(uintptr_t)(limen_tls.uc.base +
					    (at & limen_tls.uc.mask));
	h->size = size;
	h->flags = 0;
	__atomic_compare_exchange_n(&h->type, &none, LIMEN_REC_PAD, 0,
				    __ATOMIC_RELEASE, __ATOMIC_RELAXED);
}

#define MADV_POPULATE_WRITE_ 23 /* Linux 5.14 */

/*
 * Make the pages under the chunk [p, p + len) of the ring present and
 * writable, so that filling it takes no page fault: by 64ths of the ring
 * (a page at least), each once per thread and ring (uc_populated). The
 * ring's pages stay
 * present while the thread lives (the collector zeroes what it drained,
 * and gives the memory back only once the thread is gone), so that after
 * the ring's first lap a chunk costs no system call: the madvise, every
 * 64 KiB, was 0.6-2 us, 0.5-1.9 ns an emit (README: the emit). A page
 * that went away all the same (swapped out) only faults back in.
 */
static void chunk_populate(uint8_t *ring, uint8_t *p, uint64_t len)
{
	uint32_t rsize = limen_rt.geom.ring_bytes;
	uint32_t part = rsize / 64 < 4096 ? 4096 : rsize / 64;
	uint64_t first = (uint64_t)(p - ring) / part;
	uint64_t last = (uint64_t)(p + len - 1 - ring) / part;

	if (limen_tls.uc_pop_ring != ring) {
		limen_tls.uc_pop_ring = ring;
		limen_tls.uc_populated = 0;
		limen_tls.ring_pop_from = 0;
	}
	for (uint64_t i = first; i <= last; i++) {
		uint64_t lo, hi;

		if (limen_tls.uc_populated & 1ull << i)
			continue;
		lo = (uint64_t)(uintptr_t)(ring + i * part);
		hi = lo + part;
		if (limen_sys3(SYS_madvise, (long)lo, (long)(hi - lo),
			       MADV_POPULATE_WRITE_) < 0) {
			/* older kernels: touch the chunk's pages (the bytes
			   are ours, and 0), and ask again next time */
			for (uint64_t a = (uint64_t)(uintptr_t)p;
			     a < (uint64_t)(uintptr_t)(p + len);
			     a = (a + 4096) & ~4095ull)
				*(volatile uint8_t *)(uintptr_t)a = 0;
			return;
		}
		limen_tls.uc_populated |= 1ull << i;
	}
}

/*
 * The records' side of the same (reserve_quick): a ring's first lap in
 * this process takes a page fault at each of its pages, which allocates
 * and zeroes the page (or only maps it, when the collector made it
 * present ahead, session.c populate_ahead): 1.8-2.2 us a page on issue
 * 11's loop, 2 ms of the program's 58 for a 4 MiB ring. The collector is
 * not ahead there: its first drain comes 2-3 ms after the spawn, when a
 * program that records 3 GB/s has written its first lap already. One
 * MADV_POPULATE_WRITE for a 64th of the ring costs 1.3 us a page against
 * the faults' 1.9 (0.36 against 0.9 where the collector populated
 * first): 0.4 ms less of the program's CPU on `sysloop 200000 0` (24.84
 * -> 24.46 ms, medians of 11 interleaved runs). So, once the thread
 * has written half a 64th since it took the ring and a record lands in
 * the second half of a 64th, the rest of that 64th and the next one are
 * made present: the faults stay only for the first half 64th, and a
 * thread that writes little (a short program, a thread that makes a few
 * calls) populates nothing it does not write. Once every 64th is,
 * uc_populated is all ones and reserve_quick's test is all that is left.
 * Not in seccomp strict mode (madvise is not allowed there) nor under a
 * filter the program installed or inherited (one that kills at madvise
 * would kill the program for a call it never made:
 * limen_seccomp_filtered, tests/syscalls/ring_first_lap.t); a
 * kernel without the madvise (before 5.14), or a filter that refuses it,
 * ends the attempts: the faults stay, as before.
 */
static long populate(uint8_t *ring, uint64_t lo, uint64_t hi)
{
	return lo < hi ? limen_sys3(SYS_madvise, (long)(ring + lo),
				    (long)(hi - lo), MADV_POPULATE_WRITE_) :
			 0;
}

static __attribute__((noinline, cold)) void ring_ahead(uint8_t *ring,
							uint64_t start)
{
	uint32_t rsize = limen_rt.geom.ring_bytes;
	uint32_t part = ring_part(rsize);
	/* powers of two all: shifts and masks, not the divisions that
	   cost 50 instructions' time on every record of the first lap */
	int shift = __builtin_ctz(part);
	uint32_t nparts = rsize >> shift;
	uint64_t all = nparts == 64 ? ~0ull : (1ull << nparts) - 1;
	uint64_t pos = start & (rsize - 1), i = pos >> shift;
	uint64_t next = (i + 1) & (nparts - 1), lo;

	/* this 64th's start, and where the next one's second half starts:
	   nothing to do here before that once this 64th is seen to */
	uint64_t here = start - (pos & (part - 1)), later = here + part + part / 2;

	if (limen_tls.uc_pop_ring != ring) {
		limen_tls.uc_pop_ring = ring;
		limen_tls.uc_populated = 0;
		limen_tls.ring_ahead_at = 0;
		/* a ring limen_thread_register did not say the start of:
		   first called in a 64th's second half (reserve_quick), the
		   thread took it at the start of this 64th or before */
		limen_tls.ring_pop_from = here;
	}
	if ((limen_tls.uc_populated & all) == all) {
		limen_tls.uc_populated = ~0ull;
		return;
	}
	if ((pos & (part - 1)) < part / 2)
		return;
	if (start - limen_tls.ring_pop_from < part / 2) {
		limen_tls.ring_ahead_at = limen_tls.ring_pop_from + part / 2;
		return;
	}
	if (limen_tls.uc_populated & 1ull << next) {
		limen_tls.ring_ahead_at = later;
		return;
	}
	if (limen_tls.strict || limen_seccomp_filtered())
		goto stop;
	/* the rest of this 64th (the record's page on), unless it is
	   present already, and the next whole; after the last 64th, the
	   first */
	lo = limen_tls.uc_populated & 1ull << i ? next * part : pos & ~4095ull;
	if (next == 0 && lo != 0) {
		if (populate(ring, lo, rsize) < 0)
			goto stop;
		lo = 0;
	}
	if (populate(ring, lo, (next + 1) * part) < 0)
		goto stop;
	limen_tls.uc_populated |= 1ull << i | 1ull << next;
	limen_tls.ring_ahead_at = later;
	return;
stop:
	limen_tls.uc_populated = ~0ull;
}

/*
 * A new chunk of bound bytes for the calling thread's user events. Its
 * pages are made present and writable here (chunk_populate). 0, or -1
 * (the loss is counted).
 */
int limen_chunk_open(uint32_t bound)
{
	struct limen_wr w;

	limen_chunk_close();
	if (limen_rec_reserve(&w, bound) < 0)
		return -1;
	chunk_populate(w.p - (w.start & (limen_rt.geom.ring_bytes - 1)), w.p,
		       w.end - w.start);
	limen_tls.uc_slot = w.slot;
	limen_tls.uc.base = (uint64_t)(uintptr_t)w.p -
			    (w.start & (limen_rt.geom.ring_bytes - 1));
	limen_tls.uc.mask = limen_rt.geom.ring_bytes - 1;
	limen_tls.uc_start = w.start;
	limen_tls.uc.pos = w.start;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	limen_tls.uc.end = w.end;
	return 0;
}

static int take(struct limen_slot *s)
{
	uint32_t st = LIMEN_SLOT_FREE;

	return __atomic_load_n(&s->state, __ATOMIC_RELAXED) ==
		       LIMEN_SLOT_FREE &&
	       __atomic_compare_exchange_n(&s->state, &st, LIMEN_SLOT_CLAIMED,
					   0, __ATOMIC_ACQ_REL,
					   __ATOMIC_RELAXED);
}

/*
 * A free slot: one freed by a thread gone, else a fresh one past the
 * high-water mark, which grows as the tree does (the collector scans up to
 * it). Slots are found by a linear scan: this runs once per thread.
 */
static int64_t claim(struct limen_ctl *c)
{
	struct limen_slot *slots = limen_rt.slots;
	uint32_t n = limen_rt.geom.nslots, used;

	used = limen_slots_used(c, &limen_rt.geom);
	for (uint32_t i = 0; i < used; i++)
		if (take(&slots[i]))
			return i;
	used = __atomic_load_n(&c->slots_used, __ATOMIC_RELAXED);
	for (;;) {
		if (used >= n)
			return -1;
		if (!__atomic_compare_exchange_n(&c->slots_used, &used,
						 used + 1, 0, __ATOMIC_ACQ_REL,
						 __ATOMIC_RELAXED))
			continue;
		if (take(&slots[used]))
			return used;
		used++;
	}
}

/* Slot i's ring (the caller claimed it). A ring still mapped for the
   slot belongs to no live thread of ours (the slot was free): a CLONE_VM
   child's that exec'd; the one a vfork child left for the next
   (limen_ring_vfork_done) is taken over. */
static uint8_t *ring_for(uint32_t i)
{
	int kept = kept_take(i);
	uint8_t *ring = __atomic_exchange_n(&limen_rt.ring_of[i], 0,
					    __ATOMIC_ACQ_REL);

	if (!ring || !kept || !limen_ring_vfork_keeps()) {
		if (ring)
			limen_ring_unmap(ring);
		ring = map_ring(i);
	}
	return ring;
}

int limen_thread_register(uint32_t kind, int use_tls)
{
	return limen_thread_register_ids(kind, use_tls, 0);
}

/*
 * Claim a slot for the calling thread, map its ring and announce it. ids:
 * its tid, pid and ppid as its parent knew them (a thread started under a
 * seccomp filter of the program's, clone.c), so that it asks none of them
 * of the kernel, where the filter could kill at the call; 0: asked.
 */
int limen_thread_register_ids(uint32_t kind, int use_tls,
			      const struct limen_ids *ids)
{
	return limen_thread_register_kit(kind, use_tls, ids, 0);
}

/* ... with the slot and ring of a kit taken from the pool (k), if any */
int limen_thread_register_kit(uint32_t kind, int use_tls,
			      const struct limen_ids *ids,
			      const struct limen_kit *k)
{
	struct limen_ctl *c = limen_rt.ctl;
	struct limen_slot *mine;
	int32_t tid, pid, ppid;
	uint8_t *ring;
	int64_t i;

	if (use_tls) {
		limen_tls.unarmed = 0;
		limen_tls.slot = 0;
		limen_tls.ring = 0;
		limen_tls.uc_pop_ring = 0; /* a new ring: pages not present */
		limen_tls.uc_populated = 0;
	}
	if (!c)
		return -1;
	if (ids) {
		tid = ids->tid;
		pid = ids->pid;
	} else {
		tid = (int32_t)limen_sys0(SYS_gettid);
		pid = (int32_t)limen_sys0(SYS_getpid);
	}
	if (use_tls) {
		limen_tls.tid = tid;
		limen_tls.pid = pid;
	}
	/* a thread of a process that installed a seccomp filter: a ring
	   mapped before it went on (pool_take), or none. Not a vfork
	   child's (a process: its parent unmaps the ring when it execs) */
	if (k && k->slot >= 0) {
		i = k->slot;
		ring = k->ring;
		mine = &limen_rt.slots[i];
		goto mapped;
	}
	/* its start found the pool empty, and waited already */
	if (k && kind == LIMEN_START_THREAD &&
	    __atomic_load_n(&pool_on, __ATOMIC_ACQUIRE))
		goto untraced;
	if (__atomic_load_n(&pool_on, __ATOMIC_ACQUIRE) &&
	    kind == LIMEN_START_THREAD) {
		uint8_t *stack; /* one its thread did not take: unused */
		void *gs;

		i = pool_take_wait(&ring, &stack, &gs);
		if (i < 0)
			goto untraced;
		mine = &limen_rt.slots[i];
		goto mapped;
	}
	i = claim(c);
	if (i < 0)
		goto untraced;
	mine = &limen_rt.slots[i];
	ring = ring_for((uint32_t)i);
mapped:
	if (!ring) {
		__atomic_store_n(&mine->state, LIMEN_SLOT_FREE,
				 __ATOMIC_RELEASE);
		goto untraced;
	}
	mine->tid = tid;
	mine->pid = pid;
	mine->pidns = limen_pidns_mine();
	mine->gen++;
	mine->lost = 0;
	__atomic_store_n(&limen_rt.ring_of[i], ring, __ATOMIC_RELEASE);
	if (use_tls) {
		limen_tls.slot = mine;
		limen_tls.ring = ring;
	}
	__atomic_store_n(&mine->state, LIMEN_SLOT_ACTIVE, __ATOMIC_RELEASE);
	ppid = ids ? ids->ppid : (int32_t)limen_sys0(SYS_getppid);
	if (use_tls)
		limen_tls.ppid = ppid; /* for the threads it starts */
	{
		struct limen_wr w;
		struct limen_rec_start *r;

		if (reserve(&w, sizeof(*r)) == 0) {
			/* where the thread's first lap starts (ring_ahead):
			   a free slot's ring goes on from its last owner's
			   head, anywhere in a 64th. Taken for the start of
			   that 64th, a short process (/bin/true, a vfork
			   child) whose first record fell in a second half
			   made 17-24 pages present that it never wrote */
			if (use_tls) {
				limen_tls.uc_pop_ring = ring;
				limen_tls.uc_populated = 0;
				limen_tls.ring_pop_from = w.start;
				limen_tls.ring_ahead_at = 0;
			}
			r = (void *)w.p;
			r->kind = kind;
			r->ppid = ppid;
			r->tsc = limen_now();
			limen_rec_commit(&w, LIMEN_REC_START, 0, sizeof(*r));
		}
	}
	return 0;
untraced:
	__atomic_add_fetch(&c->threads_untraced, 1, __ATOMIC_RELAXED);
	return -1;
}

/*
 * A new thread whose prctl arming Syscall User Dispatch was refused (a
 * seccomp filter of the program's: it is not inherited, clone.c): its
 * calls would not reach limen, and a ring would show some of them (those
 * of rewritten sites) as if they were all. It is counted untraced, said
 * at the end of the trace, and takes no slot.
 */
void limen_thread_unarmed(int use_tls, const struct limen_ids *ids)
{
	if (use_tls) {
		limen_tls.unarmed = 1;
		limen_tls.slot = 0;
		limen_tls.ring = 0;
		limen_tls.uc_pop_ring = 0;
		limen_tls.uc_populated = 0;
		limen_tls.tid = ids ? ids->tid : 0;
		limen_tls.pid = ids ? ids->pid : 0;
		limen_tls.ppid = ids ? ids->ppid : 0;
	}
	if (limen_rt.ctl)
		__atomic_add_fetch(&limen_rt.ctl->threads_untraced, 1,
				   __ATOMIC_RELAXED);
}

/* The thread is about to end: the collector may free the slot once drained. */
void limen_thread_done(void)
{
	limen_thread_done_kit(0, 0);
}

int limen_thread_done_kit(uint8_t *stack, void *gs)
{
	uint8_t *ring;
	struct limen_slot *s = limen_rt.ctl ? cur(&ring) : 0;

	if (!s)
		return 0;
	/* nothing may be recorded from here on: the ring goes away */
	if (s == limen_tls.slot) {
		limen_chunk_close();
		limen_tls.slot = 0;
		limen_tls.ring = 0;
	}
	/* out of ring_of before DONE: once DONE, the collector may free the
	   slot and another thread of ours claim it and map its own ring */
	__atomic_store_n(&limen_rt.ring_of[s - limen_rt.slots], 0,
			 __ATOMIC_RELEASE);
	__atomic_store_n(&s->state, LIMEN_SLOT_DONE, __ATOMIC_RELEASE);
	/* seccomp strict mode allows exit but not munmap: the ring's address
	   space stays mapped until the process ends; under a filter of the
	   program's the ring goes back to the pool, for the next thread
	   once the collector has freed the slot */
	if (__atomic_load_n(&pool_on, __ATOMIC_ACQUIRE)) {
		pool_retire((uint32_t)(s - limen_rt.slots), ring, stack, gs);
		return stack != 0;
	}
	if (!limen_tls.strict)
		limen_ring_unmap(ring);
	return 0;
}
