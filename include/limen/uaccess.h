/* SPDX-License-Identifier: MIT */
/*
 * limen/uaccess.h: the uaccess logging ABI (prctl 63, v4 of the Linux
 * series "kernel: introduce uaccess logging", never merged) as limen
 * provides it in user space, and a small helper API around it.
 *
 * A thread registers a per-thread slot once with
 *     prctl(PR_SET_UACCESS_DESCRIPTOR_ADDR_ADDR, &slot, 0, 0, 0);
 * Before a system call it stores the address of a struct
 * uaccess_descriptor in the slot. At the call's entry the slot is read and
 * cleared (one descriptor serves one call; a signal handler's calls never
 * consume it); at its exit one struct uaccess_buffer_entry is written per
 * range of user memory the kernel read or wrote, and the descriptor becomes
 * { addr + n * sizeof(entry), size - n }. Entries past `size` are dropped.
 *
 * Without limen (a stock kernel) the prctl fails with EINVAL: the helper
 * limen_uaccess_register returns -1 and the program can fall back.
 *
 * Header-only, C and C++.
 */
#ifndef LIMEN_UACCESS_H
#define LIMEN_UACCESS_H

#include <stdint.h>
#include <sys/prctl.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef PR_SET_UACCESS_DESCRIPTOR_ADDR_ADDR
#define PR_SET_UACCESS_DESCRIPTOR_ADDR_ADDR 63
#endif

/* The ABI: 64-bit fields only, the same layout for every program. */
struct uaccess_descriptor {
	uint64_t addr;   /* of the next struct uaccess_buffer_entry */
	uint64_t size;   /* room left, in entries */
};

struct uaccess_buffer_entry {
	uint64_t addr;   /* first byte of the range */
	uint64_t size;   /* bytes */
	uint64_t flags;  /* UACCESS_BUFFER_FLAG_WRITE, or 0: a read */
};

#define UACCESS_BUFFER_FLAG_WRITE 1 /* the kernel wrote; other bits 0 */

#ifdef __cplusplus
static_assert(sizeof(struct uaccess_descriptor) == 16, "ABI");
static_assert(sizeof(struct uaccess_buffer_entry) == 24, "ABI");
#else
_Static_assert(sizeof(struct uaccess_descriptor) == 16, "ABI");
_Static_assert(sizeof(struct uaccess_buffer_entry) == 24, "ABI");
#endif

/*
 * Helper API. A struct limen_uaccess_log holds one thread's slot, its
 * descriptor and the caller's entry buffer:
 *
 *	static __thread uint64_t slot;
 *	struct uaccess_buffer_entry ents[64];
 *	struct limen_uaccess_log log;
 *
 *	if (limen_uaccess_register(&slot) < 0)
 *		...no uaccess logging (not under limen): fall back...
 *	limen_uaccess_begin(&log, &slot, ents, 64);
 *	n = read(fd, buf, sizeof(buf));
 *	for (e = ents; e < limen_uaccess_end(&log); e++)
 *		...e->addr, e->size, e->flags...
 *
 * Nothing may run between begin and the call that makes a system call of
 * its own (a libc wrapper that calls another function first is fine as
 * long as that function makes no system call).
 */
struct limen_uaccess_log {
	struct uaccess_descriptor desc;
	struct uaccess_buffer_entry *first;
	volatile uint64_t *slot;
};

/* Register this thread's slot: 0, or -1 with errno (EINVAL: no uaccess
   logging here). */
static inline int limen_uaccess_register(uint64_t *slot)
{
	*slot = 0;
	return prctl(PR_SET_UACCESS_DESCRIPTOR_ADDR_ADDR,
		     (unsigned long)(uintptr_t)slot, 0UL, 0UL, 0UL) < 0 ? -1 : 0;
}

/* Arm the slot for the next system call of this thread. */
static inline void limen_uaccess_begin(struct limen_uaccess_log *log,
				       uint64_t *slot,
				       struct uaccess_buffer_entry *buf,
				       uint64_t n)
{
	log->desc.addr = (uint64_t)(uintptr_t)buf;
	log->desc.size = n;
	log->first = buf;
	log->slot = slot;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	*log->slot = (uint64_t)(uintptr_t)&log->desc;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
}

/* After the call: one past the last entry written. Disarms the slot if the
   call was never made (so a later call does not log into a stale buffer). */
static inline struct uaccess_buffer_entry *
limen_uaccess_end(struct limen_uaccess_log *log)
{
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	*log->slot = 0;
	return (struct uaccess_buffer_entry *)(uintptr_t)log->desc.addr;
}

/* Entries written by the call. */
static inline uint64_t limen_uaccess_count(const struct limen_uaccess_log *log)
{
	return (uint64_t)((struct uaccess_buffer_entry *)(uintptr_t)
				  log->desc.addr - log->first);
}

#ifdef __cplusplus
}
#endif

#endif
