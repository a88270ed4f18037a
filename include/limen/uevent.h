/* SPDX-License-Identifier: MIT */
/*
 * limen/uevent.h: typed user events, recorded by limen in the same timeline
 * as the system calls (`limen trace -e uevent=NAME,... -- CMD`).
 *
 * An event is described by a string in the grammar of Linux's user_events
 * (name_args): "myevent u32 count; char[20] msg; __rel_loc char[] path".
 * Its payload is the fields packed in that order, as the kernel expects it
 * (a __rel_loc field is a u32: length << 16 | offset of the data from the
 * end of the field; a __data_loc one the same with the offset counted as
 * ftrace counts it, from the start of the kernel's entry, which has 8 bytes
 * of common fields before the payload: payload offset + 8).
 *
 *	LIMEN_UEVENT_DEFINE(ev_hello, "hello u32 count; char[8] msg");
 *	...
 *	if (limen_uevent_on(&ev_hello))           // one load, one branch
 *		limen_uevent_write(&ev_hello, &payload, sizeof(payload));
 *
 * or at run time: struct limen_uevent e = LIMEN_UEVENT_INIT(fmt);
 * limen_uevent_init(&e), and limen_uevent_fini(&e) before e goes away.
 *
 * limen keeps `enabled` in line with the session: `limen trace -e
 * uevent=...` enables events from the start, and a write of 1 or 0 to
 * /sys/kernel/tracing/events/user_events/NAME/enable (emulated where the
 * kernel has no user_events) enables or disables one while the program
 * runs: the writer's words change before its write returns, the other
 * processes' at their next system call.
 *
 * The program needs no library: the functions liblimen.so exports (when
 * limen preloads it) are reached through weak references; when limen's
 * loader started the program (no liblimen.so: the runtime is inside the
 * loader, README "limen's loader"), through a table whose address the
 * loader puts in the auxiliary vector under LIMEN_UEVENT_AT, found with
 * getauxval (no system call). Without limen, registration succeeds, the
 * event stays disabled forever and the check is all an emit costs.
 * Emitting is safe from several threads and from signal handlers, and
 * makes no system call: limen_uevent_write writes the record into the
 * calling thread's ring itself, inline (see limen_uevent_put_), and calls
 * into limen only for a new chunk of the ring, a thread's first emit, or
 * an emit nested in another (a signal handler's).
 *
 * Header-only, C and C++.
 */
#ifndef LIMEN_UEVENT_H
#define LIMEN_UEVENT_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/auxv.h>

#ifdef __cplusplus
extern "C" {
#endif

/* limen_uevent_init flags: as the kernel's USER_EVENT_REG_MULTI_FORMAT,
   the same name may be registered with another format (another id). */
#define LIMEN_UEVENT_MULTI_FORMAT 0x1u

struct limen_uevent {
	volatile uint32_t enabled; /* set by limen when the event is wanted */
	int32_t id;                /* -1: not registered in a session */
	const char *name_args;
	uint32_t flags;
};

#define LIMEN_UEVENT_INIT(name_args) { 0, -1, (name_args), 0 }

/*
 * The calling thread's place in its ring, which limen_uevent_write fills
 * inline (no call): limen reserves a chunk of the thread's ring at once
 * (its pages present, so that filling it never faults) and the program
 * writes each record at pos and publishes it by the release store of its
 * type. It lives in limen's per-thread state; its layout is an ABI
 * (size-prefixed, integers rather than pointers).
 */
struct limen_uevent_thread {
	uint32_t size;     /* sizeof(struct limen_uevent_thread) */
	uint32_t recsize;  /* bytes of the record being written at pos */
	uint64_t busy;     /* while an emit writes at pos: its stack pointer;
			      a signal handler's emit then goes through
			      limen, past the chunk */
	uint64_t pos, end; /* the chunk's free bytes, ring positions */
	uint64_t base;     /* the ring's address */
	uint64_t mask;     /* the ring's size - 1 */
	uint64_t gate;     /* address of a uint32_t: non-zero, every emit goes
			      through limen (threads sharing their TLS) */
	uint64_t flags;    /* LIMEN_UEVENT_PREFETCHW */
};

/* struct limen_uevent_thread's flags: the CPU has PREFETCHW (CPUID
   0x80000001 ECX bit 8), which asks for a line to write, where PREFETCHT0
   only asks to read it */
#define LIMEN_UEVENT_PREFETCHW 0x1u

/* What liblimen.so exports. register: 0 or -errno (EINVAL: bad format,
   E2BIG: too long, EADDRINUSE: the name is registered with another
   format, ENOSPC: no room); emit: 0 or -errno; self: the calling
   thread's struct limen_uevent_thread, or 0 (no session). */
int limen_uevent_register(const char *name_args, uint32_t flags,
			  volatile uint32_t *enabled, int32_t *id)
	__attribute__((weak));
int limen_uevent_emit(int32_t id, const void *data, size_t len)
	__attribute__((weak));
int limen_uevent_unregister(volatile uint32_t *enabled)
	__attribute__((weak));
struct limen_uevent_thread *limen_uevent_self(void) __attribute__((weak));

/* The same functions when limen's loader runs the program: the auxv
   entry LIMEN_UEVENT_AT holds the table's address ("lime": a type no
   kernel defines). */
#define LIMEN_UEVENT_AT 0x6c696d65ul
#define LIMEN_UEVENT_API_MAGIC 0x31697061756d696cull /* "limuapi1" */
struct limen_uevent_api {
	uint64_t magic;
	int (*reg)(const char *name_args, uint32_t flags,
		   volatile uint32_t *enabled, int32_t *id);
	int (*emit)(int32_t id, const void *data, size_t len);
	int (*unreg)(volatile uint32_t *enabled);
	/* grown at its end: size says how far it goes */
	uint64_t size;
	struct limen_uevent_thread *(*self)(void);
};

/* The loader's table, or 0 (liblimen.so's functions, or no limen). Looked
   up once per translation unit; getauxval's errno is not the program's. */
static inline const struct limen_uevent_api *limen_uevent_api_(void)
{
	static const struct limen_uevent_api *api;
	static int looked;
	const struct limen_uevent_api *a;
	int err;

	if (__atomic_load_n(&looked, __ATOMIC_ACQUIRE))
		return __atomic_load_n(&api, __ATOMIC_RELAXED);
	err = errno;
	a = (const struct limen_uevent_api *)(uintptr_t)getauxval(
		LIMEN_UEVENT_AT);
	errno = err;
	if (a && a->magic != LIMEN_UEVENT_API_MAGIC)
		a = 0;
	__atomic_store_n(&api, a, __ATOMIC_RELAXED);
	__atomic_store_n(&looked, 1, __ATOMIC_RELEASE);
	return a;
}

/* 0, or -errno from limen; 0 without limen (the event stays disabled). */
static inline int limen_uevent_init(struct limen_uevent *e)
{
	const struct limen_uevent_api *a;

	if (limen_uevent_register)
		return limen_uevent_register(e->name_args, e->flags,
					     &e->enabled, &e->id);
	a = limen_uevent_api_();
	if (!a)
		return 0;
	return a->reg(e->name_args, e->flags, &e->enabled, &e->id);
}

/* Before an event's memory goes away (a run-time event on the stack, in
   freed memory): limen stops updating its enable word, which reads 0.
   The last registration of an event in the session gone, and no tracer
   holding it, the event goes (as the kernel's user_events, 6.5 on); an
   emit still in flight in another thread is recorded as this event. */
static inline int limen_uevent_fini(struct limen_uevent *e)
{
	int r = 0;

	if (limen_uevent_unregister && e->id >= 0)
		r = limen_uevent_unregister(&e->enabled);
	else if (e->id >= 0 && limen_uevent_api_())
		r = limen_uevent_api_()->unreg(&e->enabled);
	e->enabled = 0;
	e->id = -1;
	return r;
}

static inline int limen_uevent_on(const struct limen_uevent *e)
{
	return __builtin_expect(e->enabled != 0, 0);
}

/* The emit through limen's function (liblimen.so's, or the loader's). */
static inline int limen_uevent_call_(int32_t id, const void *data,
				     size_t len)
{
	if (limen_uevent_emit)
		return limen_uevent_emit(id, data, len);
	/* enabled: registered through the loader's table */
	return limen_uevent_api_()->emit(id, data, len);
}

/* Where the calling thread's struct limen_uevent_thread is kept once
   limen has said it (per thread and translation unit). initial-exec: one
   load, even in a shared library. */
static inline struct limen_uevent_thread **limen_uevent_slot_(void)
{
	static __thread struct limen_uevent_thread *self
		__attribute__((tls_model("initial-exec")));

	return &self;
}

/* The first emit of a thread: ask limen (0: no session, or every emit of
   this thread goes through limen's function). */
static __attribute__((noinline, cold, unused)) struct limen_uevent_thread *
limen_uevent_lookup_(void)
{
	struct limen_uevent_thread *t = 0;
	const struct limen_uevent_api *a;

	if (limen_uevent_self) {
		t = limen_uevent_self();
	} else {
		a = limen_uevent_api_();
		if (a && a->size >= offsetof(struct limen_uevent_api, self) +
					    sizeof(a->self))
			t = a->self();
	}
	if (t && t->size != sizeof(*t))
		t = 0;
	*limen_uevent_slot_() = t;
	return t;
}

/* A record in limen's ring: its type (session.h's LIMEN_REC_UEVENT) and
   the bytes before the payload: size u32, type u16, flags u16, id u32,
   len u32, tsc u64. */
#define LIMEN_UEVENT_REC_ 10
#define LIMEN_UEVENT_HDR_ 24
/* how far ahead of its record an emit prefetches (bytes of the ring) */
#define LIMEN_UEVENT_AHEAD_ 1024

/*
 * The emit, inline (x86-64): in the thread's chunk, no call, no atomic
 * instruction. busy is set first, so that a signal handler interrupting
 * this emits through limen, past the chunk, rather than at pos; the
 * record at pos is published (the release store of its type) before pos
 * moves past it, and if a handler jumps out of it limen finds it there by
 * busy (the stack pointer) and makes it padding. Anything else (no chunk
 * or no room left in it, nested in another emit, threads sharing their
 * TLS) goes to limen's function. tsc: 0, read the clock now (rdtsc, as
 * the system calls' records); else the record's time (bench/uevent.c
 * measures the emit without its clock).
 */
static inline __attribute__((always_inline)) int
limen_uevent_put_(int32_t id, const void *data, size_t len, uint64_t tsc)
{
#if defined(__x86_64__) && !defined(LIMEN_UEVENT_NO_INLINE)
	struct limen_uevent_thread *t = *limen_uevent_slot_();
	uint64_t size = (LIMEN_UEVENT_HDR_ + (uint64_t)len + 7) & ~7ull;
	uint64_t pos, sp, w;
	unsigned char *r;
	uint32_t lo = 0, hi = 0;

	/* the clock first, its result stored last: rdtsc is a long
	   sequence of micro-ops (7.5 ns here), and issued before the rest
	   the checks and stores below overlap more of it (README: the
	   emit, "Tried"); the event's time is still inside its emit,
	   between the system calls before and after it */
	if (!tsc)
		__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	if (__builtin_expect(!t, 0))
		t = limen_uevent_lookup_();
	/* busy and the gate or'ed, one branch for both (0.2 ns of the
	   emit's code in cache, README: the emit) */
	if (__builtin_expect(!t || len > 65535 ||
				     (t->busy |
				      *(const volatile uint32_t *)(uintptr_t)
					      t->gate),
			     0))
		return limen_uevent_call_(id, data, len);
	/* below the red zone: a handler nested in this runs deeper still
	   (its frame goes there), the program after jumping out of it no
	   deeper, even in the system call wrapper it calls next */
	__asm__("mov %%rsp, %0" : "=r"(sp));
	t->busy = sp - 128;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	pos = t->pos;
	if (__builtin_expect(pos + size > t->end, 0)) {
		__atomic_signal_fence(__ATOMIC_SEQ_CST);
		t->busy = 0;
		return limen_uevent_call_(id, data, len);
	}
	t->recsize = (uint32_t)size;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	r = (unsigned char *)(uintptr_t)(t->base + (pos & t->mask));
	/* the line the record 1 KiB further goes to, asked for now and for
	   writing: the ring's lines were last written by the collector (it
	   zeroes what it drained), on another core, and waiting for each
	   at the store is most of an emit's time otherwise */
	if (__builtin_expect(t->flags & LIMEN_UEVENT_PREFETCHW, 1))
		__asm__ volatile("prefetchw %0" : : "m"(r[LIMEN_UEVENT_AHEAD_]));
	else
		__builtin_prefetch(r + LIMEN_UEVENT_AHEAD_, 1, 3);
	w = (uint32_t)id | (uint64_t)len << 32;
	__builtin_memcpy(r + 8, &w, 8);
	if (!tsc)
		tsc = (uint64_t)hi << 32 | lo;
	__builtin_memcpy(r + 16, &tsc, 8);
	__builtin_memcpy(r + LIMEN_UEVENT_HDR_, data, len);
	/* size, type and flags (0) in one 8-byte store, the record's last:
	   it publishes the record whole (the collector reads the type, then
	   the size), one store fewer than the size first and the type
	   after it (0.1 ns, README: the emit) */
	__atomic_store_n((uint64_t *)(void *)r,
			 size | (uint64_t)LIMEN_UEVENT_REC_ << 32,
			 __ATOMIC_RELEASE);
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	t->pos = pos + size;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	t->busy = 0;
	return 0;
#else
	(void)tsc;
	return limen_uevent_call_(id, data, len);
#endif
}

/* Record one event: data is its payload. 0 or -errno (not enabled:
   -ENOENT from limen, 0 when nothing was asked). */
static inline __attribute__((always_inline)) int
limen_uevent_write(const struct limen_uevent *e, const void *data, size_t len)
{
	if (!limen_uevent_on(e))
		return 0;
	return limen_uevent_put_(e->id, data, len, 0);
}

/* An event registered before main (a constructor) under the name var. */
#define LIMEN_UEVENT_DEFINE(var, name_args)                                  \
	struct limen_uevent var = LIMEN_UEVENT_INIT(name_args);              \
	__attribute__((constructor)) static void limen_uevent_ctor_##var(void) \
	{                                                                    \
		limen_uevent_init(&var);                                     \
	}                                                                    \
	extern struct limen_uevent var

#ifdef __cplusplus
}
#endif

#endif
