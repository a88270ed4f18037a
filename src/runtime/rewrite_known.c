/* SPDX-License-Identifier: MIT */
/*
 * What moves limen_rw_gen (rewrite_known.h): the program's calls that may
 * have changed the mapping rewrite.c last asked the kernel about.
 *
 * Every call that can change the address space (uaccess.c's changes_maps:
 * mmap, munmap, mprotect, mremap, madvise, brk, shmat, ...) enters
 * limen_dispatch, never the lean path (lean.c, hooked()), and comes here
 * after it ran, failed or not, as limen_ua_mapped does. Those that say
 * which range they changed move the generation only when that range
 * touches the known mapping or the page on either side of it (a neighbour
 * can merge with it or split from it): ld.so mapping libraries and
 * protecting their data leaves its own text known while its sites are
 * rewritten. brk moves the heap, which is no file's mapping and merges
 * with none. The others move it always. Calls that only split a mapping
 * without a word here (mlock, mbind) keep what was known true: both parts
 * keep the permissions, the file and the do-not-dump mark.
 */
#include <sys/mman.h>
#include <sys/syscall.h>

#include "raw.h"
#include "rt.h"
#include "rewrite_known.h"

#define PAGE 4096ull

struct limen_rw_known limen_rw_known;
uint64_t limen_ldso_lo, limen_ldso_hi;
static uint32_t rw_gen;

uint32_t limen_rw_gen(void)
{
	return __atomic_load_n(&rw_gen, __ATOMIC_ACQUIRE);
}

/* [addr, addr + len) touches the known mapping or a page next to it */
static int touches(uint64_t addr, uint64_t len)
{
	const struct limen_rw_known *k = &limen_rw_known;
	uint64_t end = addr + len;

	if (k->hi <= k->lo)
		return 0;
	if (end < addr || end + PAGE < end)
		return 1; /* wraps: assume the worst */
	return addr < k->hi + PAGE && end + PAGE > k->lo;
}

void limen_rw_mapped(long nr, const long *a, long ret)
{
	int t;

	if (!limen_ua_changes_maps(nr))
		return; /* every other call that enters limen_dispatch */
	switch (nr) {
	case SYS_brk:
		return;
	case SYS_mmap:
		/* where the kernel chose, nothing was mapped (but it may
		   be next to the known mapping); MAP_FIXED replaces, and
		   may have unmapped what was there even when it failed */
		if (!limen_is_err(ret))
			t = touches((uint64_t)ret, (uint64_t)a[1]);
		else
			t = (a[3] & MAP_FIXED) &&
			    touches((uint64_t)a[0], (uint64_t)a[1]);
		break;
	case SYS_munmap:
	case SYS_mprotect:
	case SYS_pkey_mprotect:
	case SYS_madvise:
		t = touches((uint64_t)a[0], (uint64_t)a[1]);
		break;
	case SYS_mremap:
		/* moved: the patched sites' copies get their bytes back */
		if (!limen_is_err(ret) && ret != a[0])
			limen_rewrite_moved((uint64_t)a[0], (uint64_t)a[1],
					    (uint64_t)ret, (uint64_t)a[2]);
		t = 1;
		break;
	default:
		t = 1;
	}
	if (t)
		__atomic_add_fetch(&rw_gen, 1, __ATOMIC_RELEASE);
}
