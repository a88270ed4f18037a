/* SPDX-License-Identifier: MIT */
/*
 * The session: one shared-memory region (a memfd created by the collector,
 * mapped by every process of the traced tree). Used by both sides, so only
 * layouts and lock-free helpers live here: no libc calls.
 *
 *   [ctl page][slot table][ring 0][ring 1]...[ring nslots-1]
 *
 * Every traced thread owns one slot and its ring. A ring is a byte stream of
 * 8-byte aligned records; the producer reserves space with a CAS on `head`
 * (so a signal handler nested in the producer, or a second thread sharing the
 * slot, cannot tear a record), fills it, and publishes it by storing its type
 * last. The consumer reads from `tail`, stops at a record whose type is still
 * 0, zeroes what it consumed and then advances `tail`.
 */
#ifndef LIMEN_SESSION_H
#define LIMEN_SESSION_H

#include <stdint.h>

#define LIMEN_SESSION_MAGIC 0x4e454d494cull /* "LIMEN" */
#define LIMEN_SESSION_VERSION 1
#define LIMEN_SESSION_ENV "LIMEN_SESSION"   /* "collector_pid:fd" */

#define LIMEN_CTL_BYTES 4096u
#define LIMEN_NSLOTS_DEFAULT 512u
#define LIMEN_RING_BYTES_DEFAULT (4u << 20)
#define LIMEN_TRACE_BITS 1024u /* syscall numbers the filter can name */

enum limen_ctl_flags {
	LIMEN_CTL_TRACE_ALL = 1, /* ignore trace_mask */
	LIMEN_CTL_NO_LOSS = 2,   /* pause a thread whose ring is nearly full */
};

struct limen_ctl {
	uint32_t size;          /* sizeof(struct limen_ctl) */
	uint32_t version;
	uint64_t magic;
	uint64_t total_bytes;   /* size of the whole mapping */
	uint32_t nslots;
	uint32_t ring_bytes;    /* power of two */
	uint64_t slots_off;     /* offset of the slot table */
	uint64_t rings_off;     /* offset of ring 0 */
	uint32_t strsize;       /* -s: bytes of strings and buffers captured */
	uint32_t flags;         /* enum limen_ctl_flags */
	uint64_t threads_untraced; /* threads that found no free slot */
	uint8_t trace_mask[LIMEN_TRACE_BITS / 8]; /* syscalls to record */
	/*
	 * A robust, process-shared mutex the collector locks at start and
	 * holds while it lives. Its first word is the futex word: when the
	 * collector is gone (exit, kill), the kernel sets
	 * LIMEN_COLLECTOR_DIED in it. A producer waiting for room in a full
	 * ring stops waiting then. 0: no collector ever locked it.
	 */
	uint64_t collector_lock[8];
};
#define LIMEN_COLLECTOR_DIED 0x40000000u /* FUTEX_OWNER_DIED */
_Static_assert(sizeof(struct limen_ctl) <= LIMEN_CTL_BYTES, "ctl page");

enum limen_slot_state {
	LIMEN_SLOT_FREE = 0,
	LIMEN_SLOT_CLAIMED,  /* being set up by its thread */
	LIMEN_SLOT_ACTIVE,   /* owned by a live thread */
	LIMEN_SLOT_DONE,     /* thread gone; collector frees it when drained */
};

struct limen_slot {
	uint32_t state;      /* enum limen_slot_state */
	int32_t tid;
	int32_t pid;         /* thread group id */
	uint32_t gen;        /* bumped on every claim */
	uint64_t head;       /* bytes reserved by producers (monotonic) */
	uint64_t tail;       /* bytes consumed by the collector (monotonic) */
	uint64_t lost;       /* records dropped since the last LOST record */
	uint64_t lost_total;
	uint64_t pad[2];
};
_Static_assert(sizeof(struct limen_slot) == 64, "slot is one cache line");

enum limen_rec_type {
	LIMEN_REC_NONE = 0,  /* not yet published */
	LIMEN_REC_PAD,       /* skip to the end of the ring */
	LIMEN_REC_ENTER,     /* syscall entry: struct limen_rec_sys */
	LIMEN_REC_EXIT,      /* syscall exit: struct limen_rec_sys */
	LIMEN_REC_SIGNAL,    /* signal delivered to a handler */
	LIMEN_REC_START,     /* thread/process start: struct limen_rec_start */
	LIMEN_REC_LOST,      /* records dropped here: struct limen_rec_lost */
	LIMEN_REC_NOTE,      /* runtime message: text follows */
};

struct limen_rec {
	uint32_t size;       /* whole record, multiple of 8 */
	uint16_t type;       /* written last */
	uint16_t flags;
};

enum limen_rec_flags {
	LIMEN_RECF_HIDDEN = 1, /* recorded for bookkeeping, not selected by -e */
};

/* A capture follows the fixed part: header then data padded to 8. */
struct limen_cap {
	uint8_t arg;
	uint8_t flags;       /* LIMEN_BLOB_TRUNC, LIMEN_BLOB_FAULT */
	uint16_t pad;
	uint32_t len;
};

struct limen_rec_sys {
	struct limen_rec h;
	uint32_t nr;
	uint32_t ncap;
	uint64_t tsc;
	uint64_t args[6];    /* ENTER only meaningful; EXIT repeats them */
	int64_t ret;         /* EXIT */
};

enum limen_start_kind {
	LIMEN_START_INIT = 1, /* the runtime loaded in a new image */
	LIMEN_START_THREAD,
	LIMEN_START_FORK,
};

struct limen_rec_start {
	struct limen_rec h;
	uint32_t kind;
	int32_t ppid;
	uint64_t tsc;
};

struct limen_rec_sig {
	struct limen_rec h;
	uint32_t sig;
	uint32_t pad;
	uint64_t tsc;
	uint8_t siginfo[128];
};

struct limen_rec_lost {
	struct limen_rec h;
	uint64_t count;
	uint64_t tsc;
};

static inline struct limen_slot *limen_slots(struct limen_ctl *c)
{
	return (struct limen_slot *)((char *)c + c->slots_off);
}

static inline uint8_t *limen_ring(struct limen_ctl *c, uint32_t i)
{
	return (uint8_t *)c + c->rings_off + (uint64_t)i * c->ring_bytes;
}

static inline uint64_t limen_rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

#define LIMEN_ALIGN8(x) (((x) + 7u) & ~(uint64_t)7u)

#endif
