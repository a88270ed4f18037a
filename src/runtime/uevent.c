/* SPDX-License-Identifier: MIT */
/*
 * User events (include/limen/uevent.h): the two functions liblimen.so
 * exports for programs, reached through weak references.
 *
 * Registration claims an entry of the control page's table (the entry's
 * index is the event's id, shared by every process of the session: the
 * same name and format is one event), tells the collector the format in a
 * LIMEN_REC_UEVDEF record, and sets the program's enable word when the
 * collector asked for the event. Emitting writes the record in a chunk of
 * the calling thread's ring reserved at once, inline in the program
 * (include/limen/uevent.h) or in limen_uevent_emit below: no system
 * call, no atomic instruction.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/syscall.h>

#include "raw.h"
#include "rt.h"
#include "session/uevent_area.h"
#include "session/uevent_fmt.h"

#define LIMEN_EXPORT __attribute__((visibility("default")))
#define SIG_UNBLOCK_ 1

int limen_uevent_register(const char *name_args, uint32_t flags,
			  volatile uint32_t *enabled, int32_t *id)
	LIMEN_EXPORT;
int limen_uevent_emit(int32_t id, const void *data, size_t len)
	LIMEN_EXPORT;
int limen_uevent_unregister(volatile uint32_t *enabled) LIMEN_EXPORT;
struct limen_uevent_thread *limen_uevent_self(void) LIMEN_EXPORT;

#define MULTI_FORMAT 1u /* LIMEN_UEVENT_MULTI_FORMAT */
#define CLAIM_PERSIST 2u /* a new entry persists (dynamic_events) */

/* name (n bytes) is in the comma-separated list the collector wrote */
int limen_uev_wanted(const struct limen_ctl *c, const char *name, uint32_t n)
{
	const char *w = c->uevent_want;
	uint32_t i = 0, cap = sizeof(c->uevent_want);

	if (__atomic_load_n(&c->uevent_all, __ATOMIC_RELAXED))
		return 1;
	while (i < cap && w[i]) {
		uint32_t b = i;

		while (i < cap && w[i] && w[i] != ',')
			i++;
		if (i - b == n && !limen_strncmp(w + b, name, n))
			return 1;
		if (i < cap && w[i] == ',')
			i++;
	}
	return 0;
}

static void tell_def(int32_t id, const char *args, uint32_t len)
{
	struct limen_wr w;
	struct limen_rec_uev *r;

	if (limen_rec_reserve(&w, (uint32_t)sizeof(*r) + len) < 0)
		return;
	r = (void *)w.p;
	r->id = (uint32_t)id;
	r->len = len;
	r->tsc = limen_now();
	memcpy(r + 1, args, len);
	limen_rec_commit(&w, LIMEN_REC_UEVDEF, 0, (uint32_t)sizeof(*r) + len);
}

/* The id of the event name_args (normalised, len bytes), claiming a free
   entry if no entry has it; -EADDRINUSE, -ENOSPC. */
static int32_t find_or_claim(struct limen_ctl *c, const char *args,
			     uint32_t len, uint32_t name_len, uint32_t flags)
{
	int32_t other = 0;

	for (uint32_t i = 0; i < LIMEN_UEVENT_MAX; i++) {
		struct limen_uevent_ent *e = &limen_uev_area(c)->uevents[i];
		const char *a = e->name_args;

		if (__atomic_load_n(&e->state, __ATOMIC_ACQUIRE) !=
		    LIMEN_UEVENT_READY)
			continue;
		if (limen_strncmp(a, args, name_len) ||
		    (a[name_len] != ' ' && a[name_len] != 0))
			continue;
		if (!limen_strncmp(a, args, len + 1))
			return (int32_t)i;
		other = 1;
	}
	if (other && !(flags & MULTI_FORMAT))
		return -EADDRINUSE;
	for (uint32_t i = 0; i < LIMEN_UEVENT_MAX; i++) {
		struct limen_uevent_ent *e = &limen_uev_area(c)->uevents[i];
		uint32_t expect = LIMEN_UEVENT_FREE;

		if (!__atomic_compare_exchange_n(&e->state, &expect,
						 LIMEN_UEVENT_CLAIMED, 0,
						 __ATOMIC_ACQ_REL,
						 __ATOMIC_RELAXED))
			continue;
		memcpy(e->name_args, args, len + 1);
		/* a new generation: records still made for the id's last
		   event are not taken for this one's (LIMEN_UEV_TAG) */
		e->gen = ((e->gen + 1) & LIMEN_UEV_GEN_MASK) |
			 (flags & CLAIM_PERSIST ? LIMEN_UEV_PERSIST : 0);
		__atomic_store_n(&e->state, LIMEN_UEVENT_READY,
				 __ATOMIC_RELEASE);
		/* its name is one now: every process looks at the table again
		   before it lets a relative path by (uevent_tracefs.c,
		   limen_tfs_events_named) */
		__atomic_add_fetch(&c->uevent_gen, 1, __ATOMIC_ACQ_REL);
		return (int32_t)i;
	}
	return -ENOSPC;
}

/*
 * Register the program's string at name_args (at most max bytes with its
 * NUL) in the session: *id, and whether the collector wants it (*on).
 * Without a session: 0, *id untouched. With hold, a reference to the
 * event is taken under the table's lock, as the kernel's find_user_event
 * takes one under event_mutex (trace_events_user.c): a DIAG_IOCSDEL of
 * another process sees the event either absent or held, never found and
 * not yet counted. The caller drops it (limen_uev_ref(*id, -1)) once its
 * own references (the file's, the enabler's) are counted. Without hold
 * (dynamic_events' "u:NAME ...") an event it creates persists, as the
 * kernel's user_event_create makes it with USER_EVENT_REG_PERSIST.
 * *id is tagged with the entry's generation (LIMEN_UEV_TAG): the table's
 * index is LIMEN_UEV_SLOT(*id).
 */
int limen_uev_register(uint64_t name_args, uint32_t max, int multi,
		       int32_t *id, int *on, uint32_t *fixed, int hold)
{
	char raw[2 * LIMEN_UEVENT_ARGS + 1], args[LIMEN_UEVENT_ARGS];
	struct limen_uev_fmt fmt;
	struct limen_ctl *c = limen_rt.ctl;
	uint32_t want = max < sizeof(raw) - 1 ? max : (uint32_t)sizeof(raw) - 1;
	uint32_t gen = 0;
	long n;
	int len, r;
	int32_t i;

	/* the string is the program's: a bad pointer is EFAULT, not a
	   fault in limen. As strndup_user(name_args, max): at most max
	   bytes with its NUL (EINVAL if longer), all of it readable */
	n = limen_safe_read(raw, name_args, want);
	if (n <= 0)
		return -EFAULT;
	raw[n] = 0;
	if (limen_strlen(raw) == (size_t)n)
		return n < (long)want ? -EFAULT :
		       want == max    ? -EINVAL :
					-E2BIG;
	len = limen_uev_norm(args, sizeof(args), raw, (uint32_t)n);
	if (len < 0)
		return len;
	r = limen_uev_parse(args, &fmt);
	if (r < 0)
		return r;
	*on = 0;
	*fixed = fmt.fixed;
	if (!c) /* no session: registered, disabled for ever */
		return 0;
	/* one registration at a time in the whole tree: two processes
	   registering the same name at once must agree on one id, or one
	   of two formats must be refused */
	{
		uint32_t *lk = &limen_uev_area(c)->reg_lock;
		uint64_t old = limen_area_lock(lk);

		limen_uev_reap(); /* events whose holders all ended: gone */
		i = find_or_claim(c, args, (uint32_t)len, fmt.name_len,
				  (multi ? MULTI_FORMAT : 0) |
					  (hold ? 0 : CLAIM_PERSIST));
		if (i >= 0 && hold)
			limen_uev_ref(i, 1);
		if (i >= 0)
			gen = limen_uev_area(c)->uevents[i].gen;
		limen_area_unlock(lk, old);
	}
	if (i < 0)
		return i;
	tell_def(LIMEN_UEV_TAG((uint32_t)i, gen), args, (uint32_t)len);
	*id = LIMEN_UEV_TAG((uint32_t)i, gen);
	if (limen_uev_wanted(c, args, fmt.name_len))
		limen_uev_set_on(i, 1);
	*on = limen_uev_bit(limen_uev_area(c)->on, (uint32_t)i);
	return 0;
}

/*
 * Signals that arrived while an API call ran limen's own code (a chunk's
 * reservation, a registration: signals.c holds those, blocked, until limen
 * hands control back to the program, which a plain call never does): back
 * to the kernel's queue, and unblocked from here, API text, where the
 * kernel delivers them to the program at once.
 */
static inline __attribute__((always_inline)) void release_held(void)
{
	uint64_t bits = limen_tls.deferred;

	if (__builtin_expect(!limen_tls.nheld && !bits, 1))
		return;
	limen_requeue_held();
	limen_sys4(SYS_rt_sigprocmask, SIG_UNBLOCK_, &bits, 0, 8);
}

LIMEN_API_TEXT
int limen_uevent_register(const char *name_args, uint32_t flags,
			  volatile uint32_t *enabled, int32_t *id)
{
	int on = 0, r;
	uint32_t fixed;

	if (flags & ~MULTI_FORMAT)
		return -EINVAL;
	limen_lone_off(); /* the header's emits read the clock (lone.c) */
	r = limen_uev_register((uint64_t)(uintptr_t)name_args,
			       2 * LIMEN_UEVENT_ARGS, flags & MULTI_FORMAT,
			       id, &on, &fixed, 1);
	if (!r && *id >= 0) {
		int32_t slot = (int32_t)LIMEN_UEV_SLOT(*id);

		r = limen_uev_track((uint64_t)(uintptr_t)enabled, slot, on);
		limen_uev_ref(slot, -1); /* the registration's, counted */
	}
	release_held();
	return r;
}

/* The enable word is no longer the program's to keep in line. */
LIMEN_API_TEXT
int limen_uevent_unregister(volatile uint32_t *enabled)
{
	int r = limen_uev_untrack((uint64_t)(uintptr_t)enabled);

	release_held();
	return r;
}

/* Bytes of ring a thread takes at once for its events: one reservation
   (a locked instruction on a line the collector reads) per chunk. */
#define CHUNK_BYTES (64u << 10)

/* An emit the chunk cannot take: nested in another emit (a signal
   handler's), or a thread sharing another's TLS. Reserve as any record. */
static int emit_slow(int32_t id, const void *data, size_t len)
{
	struct limen_wr w;
	struct limen_rec_uev *r;

	if (limen_rec_reserve(&w, (uint32_t)(sizeof(*r) + len)) < 0)
		return -ENOSPC; /* counted as lost */
	r = (void *)w.p;
	r->id = (uint32_t)id;
	r->len = (uint32_t)len;
	r->tsc = limen_now();
	memcpy(r + 1, data, len);
	limen_rec_commit(&w, LIMEN_REC_UEVENT, 0,
			 (uint32_t)(sizeof(*r) + len));
	return 0;
}

/* memcpy is rep movsb, whose start-up costs more than a payload of a few
   words: copy those by words, into the record's padding (it is ours) */
static inline void copy_small(uint8_t *d, const uint8_t *s, size_t n)
{
	size_t i = 0;

	if (n > 256) {
		memcpy(d, s, n);
		return;
	}
	for (; i + 8 <= n; i += 8) {
		uint64_t v;

		__builtin_memcpy(&v, s + i, 8);
		__builtin_memcpy(d + i, &v, 8);
	}
	for (; i < n; i++)
		d[i] = s[i];
}

_Static_assert(LIMEN_UEVENT_REC_ == LIMEN_REC_UEVENT &&
		       LIMEN_UEVENT_HDR_ == sizeof(struct limen_rec_uev) &&
		       offsetof(struct limen_rec_uev, id) == 8 &&
		       offsetof(struct limen_rec_uev, len) == 12 &&
		       offsetof(struct limen_rec_uev, tsc) == 16 &&
		       offsetof(struct limen_rec, type) == 4,
	       "include/limen/uevent.h writes these records inline");

/* PREFETCHW (CPUID 0x80000001 ECX bit 8): older Intel CPUs lack it, and
   what 0F 0D does there is not ours to guess */
static int has_prefetchw(void)
{
	static int known; /* 1 + the answer, once asked (CPUID exits a VM) */
	uint32_t a = 0x80000000u, b, c = 0, d;
	int k = __atomic_load_n(&known, __ATOMIC_RELAXED);

	if (k)
		return k - 1;
	__asm__("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	if (a >= 0x80000001u) {
		a = 0x80000001u;
		c = 0;
		__asm__("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
		k = 1 + ((c >> 8) & 1);
	} else {
		k = 1;
	}
	__atomic_store_n(&known, k, __ATOMIC_RELAXED);
	return k - 1;
}

/*
 * The program's inline emit (include/limen/uevent.h) asks once per thread
 * where the thread's chunk is: its struct limen_uevent_thread, in our
 * per-thread state. The gate sends every emit here once threads share
 * their TLS (and so the header's pointer). 0 without a session, or in
 * seccomp strict mode (no RDTSC there: our clock).
 */
LIMEN_API_TEXT
struct limen_uevent_thread *limen_uevent_self(void)
{
	struct limen_uevent_thread *u = &limen_tls.uc;

	if (!limen_rt.ctl || limen_tls.strict)
		return 0;
	limen_lone_off(); /* the header's emits read the clock (lone.c) */
	u->size = (uint32_t)sizeof(*u);
	u->gate = (uint64_t)(uintptr_t)&limen_rt.prog_tls_shared;
	u->flags = has_prefetchw() ? LIMEN_UEVENT_PREFETCHW : 0;
	return u;
}

/*
 * Here when the program's inline emit cannot go on (no chunk, or no room
 * in it; nested in another emit; threads sharing their TLS), or for a
 * program built without it. The same protocol as the header's: the
 * record at uc.pos (the thread-local cursor, no atomic instruction), busy
 * set while it is written, published by the release store of its type,
 * then uc.pos moves past it; the collector drains it from there. The
 * chunk's pages were made present when it was taken: no page fault here.
 * A signal handler interrupting this sees uc.busy and reserves its record
 * past the chunk; the chunk is closed at the thread's next record outside
 * an emit (its next system call).
 */
LIMEN_API_TEXT
int limen_uevent_emit(int32_t id, const void *data, size_t len)
{
	struct limen_uevent_thread *u = &limen_tls.uc;
	struct limen_rec_uev *r;
	uint64_t pos, size;
	uint32_t bound;

	/* an id of the table, its generation above (LIMEN_UEV_TAG): one
	   test, as the bound alone was */
	if (((uint32_t)id & ~(LIMEN_UEV_GEN_MASK << 16 |
			      (LIMEN_UEVENT_MAX - 1))) ||
	    !limen_rt.ctl)
		return -ENOENT;
	if (len > 65535)
		return -E2BIG;
	if (__builtin_expect(u->busy &&
				     limen_uc_abandoned((uint64_t)(uintptr_t)
						__builtin_frame_address(0)), 0))
		limen_chunk_abandoned();
	if (__builtin_expect(u->busy || limen_rt.prog_tls_shared ||
				     limen_tls.strict, 0)) {
		int e = emit_slow(id, data, len);

		release_held();
		return e;
	}
	size = LIMEN_ALIGN8(sizeof(*r) + len);
	u->busy = (uint64_t)(uintptr_t)__builtin_frame_address(0);
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	pos = u->pos;
	if (__builtin_expect(pos + size > u->end, 0)) {
		bound = limen_rt.geom.ring_bytes / 8;
		if (bound > CHUNK_BYTES)
			bound = CHUNK_BYTES;
		if (bound < size)
			bound = (uint32_t)size;
		if (!limen_tls.slot || limen_chunk_open(bound) < 0) {
			__atomic_signal_fence(__ATOMIC_SEQ_CST);
			u->busy = 0;
			release_held();
			return -ENOSPC; /* counted as lost */
		}
		pos = u->pos;
	}
	/* its size first: a handler that jumps out of this finds the
	   record at uc.pos, and how far it goes, and makes it padding */
	u->recsize = (uint32_t)size;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	r = (void *)(uintptr_t)(u->base + (pos & u->mask));
	/* as the header's emit (why there) */
	if (u->flags & LIMEN_UEVENT_PREFETCHW)
		__asm__ volatile("prefetchw %0"
				 : : "m"(((uint8_t *)r)[LIMEN_UEVENT_AHEAD_]));
	else
		__builtin_prefetch((uint8_t *)r + LIMEN_UEVENT_AHEAD_, 1, 3);
	r->h.size = (uint32_t)size;
	r->h.flags = 0;
	r->id = (uint32_t)id;
	r->len = (uint32_t)len;
	r->tsc = limen_rdtsc();
	limen_lone_off(); /* as the header's emit (lone.c) */
	copy_small((uint8_t *)(r + 1), data, len);
	__atomic_store_n(&r->h.type, LIMEN_REC_UEVENT, __ATOMIC_RELEASE);
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	u->pos = pos + size;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	u->busy = 0;
	release_held();
	return 0;
}

/*
 * The kernel ABI's write (uevent_abi.c): the payload is the program's
 * iovec array iovp[n] past its first `skip` bytes (the write_index).
 * Returns the bytes written, write_index included, as the kernel does;
 * EINVAL if the payload is shorter than the format's fixed part; EFAULT.
 * id < 0: the event is not enabled, only counted.
 */
long limen_uev_record(int32_t id, const long *iovp, long n, uint64_t skip,
		      uint32_t fixed)
{
	struct limen_wr w;
	struct limen_rec_uev *r;
	uint64_t total = 0, off = 0, used;
	long iov[2];

	for (long i = 0; i < n; i++) {
		if (limen_safe_read(iov, (uint64_t)(iovp + 2 * i), 16) != 16)
			return -EFAULT;
		total += (uint64_t)iov[1];
	}
	if (total < skip + fixed)
		return -EINVAL;
	if (id < 0)
		return (long)total;
	if (total - skip > 65535)
		return -E2BIG;
	if (limen_rec_reserve(&w, (uint32_t)(sizeof(*r) + total - skip)) < 0)
		return (long)total; /* counted as lost */
	r = (void *)w.p;
	used = 0;
	for (long i = 0; i < n; i++) {
		uint64_t base, len, s = 0;

		if (limen_safe_read(iov, (uint64_t)(iovp + 2 * i), 16) != 16)
			goto fault;
		base = (uint64_t)iov[0];
		len = (uint64_t)iov[1];
		if (off < skip)
			s = skip - off < len ? skip - off : len;
		off += len;
		if (len - s && limen_safe_read((uint8_t *)(r + 1) + used,
					       base + s, len - s) !=
				       (long)(len - s))
			goto fault;
		used += len - s;
	}
	r->id = (uint32_t)id;
	r->len = (uint32_t)used;
	r->tsc = limen_now();
	limen_rec_commit(&w, LIMEN_REC_UEVENT, 0,
			 (uint32_t)(sizeof(*r) + used));
	return (long)total;
fault:
	/* published as padding: the collector skips it */
	limen_rec_commit(&w, LIMEN_REC_PAD, 0, (uint32_t)sizeof(*r));
	return -EFAULT;
}
