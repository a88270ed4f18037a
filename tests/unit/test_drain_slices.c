/* SPDX-License-Identifier: MIT */
/*
 * The session's drain takes each ring a slice at a time (session.c,
 * DRAIN_SLICE): what it tells must be what a drain taking every ring
 * whole tells, in the same order. Rings are filled here as a producer
 * would fill them, and the order of the records emitted is compared with
 * the sort by time (ties in the order taken) of all of them. (Two threads'
 * records of the very same TSC are told in the order taken, which slices
 * may change: the times here differ from thread to thread.) The same
 * again with no room to map the rings (a ulimit -v): the drain reads them
 * through the session's descriptor (session.c, drain_unmapped); then a
 * record larger than its read window, and a ring left zeroed behind its
 * tail, as its producer needs it. TAP.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "cli/cli.h"
#include "tap.h"

#define RING (256u << 10)
#define NREC 16384

static struct limen_session S;
static struct limen_opts O;

/* the producer's view of the rings: mappings of the test's own, which
   stay when the session's have no room */
static uint8_t *prod[2];

/* session.c's mmap (linked with --wrap=mmap): a ring's map fails while
   no_room says so, as it does when the address space is full */
void *__real_mmap(void *a, size_t n, int prot, int fl, int fd, off_t off);
void *__wrap_mmap(void *a, size_t n, int prot, int fl, int fd, off_t off);
static int no_room;

void *__wrap_mmap(void *a, size_t n, int prot, int fl, int fd, off_t off)
{
	if (no_room && fd == S.fd && n == S.geom.ring_bytes) {
		errno = ENOMEM;
		return MAP_FAILED;
	}
	return __real_mmap(a, n, prot, fl, fd, off);
}

/* session.c's malloc (--wrap=malloc): none of a megabyte or more while
   no_big_malloc says so (the second arena compact wants) */
void *__real_malloc(size_t n);
void *__wrap_malloc(size_t n);
static int no_big_malloc;

void *__wrap_malloc(size_t n)
{
	if (no_big_malloc && n >= (1u << 20)) {
		errno = ENOMEM;
		return NULL;
	}
	return __real_malloc(n);
}

/* session.c's memmove (--wrap=memmove): counted; each pass of a drain
   that tells records moves those still held to the front */
void *__real_memmove(void *d, const void *src, size_t n);
void *__wrap_memmove(void *d, const void *src, size_t n);
static unsigned nmove;

void *__wrap_memmove(void *d, const void *src, size_t n)
{
	nmove++;
	return __real_memmove(d, src, n);
}

/* Ring i given back to its producer: its tail at its head, all zeros */
static int given_back(uint32_t i)
{
	if (S.slots[i].tail != S.slots[i].head)
		return 0;
	for (uint32_t b = 0; b < RING; b++)
		if (prod[i][b])
			return 0;
	return 1;
}

/* No room from now on: the session's ring mappings go */
static void lose_room(void)
{
	for (uint32_t i = 0; i < 2; i++)
		if (S.rings[i]) {
			munmap(S.rings[i], S.geom.ring_bytes);
			S.rings[i] = NULL;
		}
	no_room = 1;
}

/* what was put, in the order put (the order a whole drain takes it) */
static struct put {
	int32_t tid;
	uint64_t tsc;
} want[NREC], got[NREC];
static size_t nwant, ngot;
static uint32_t big_size; /* the size told of the record of time 7 */
static size_t max_held;   /* the most records held when one was told */
static uint32_t grow;     /* records to write into ring 0 from emit */
static void put(uint32_t i, uint64_t tsc);

static void emit(void *ctx, struct limen_event *e)
{
	(void)ctx;
	if (ngot < NREC)
		got[ngot] = (struct put){ e->tid, e->tsc };
	if (e->tsc == 7)
		big_size = e->size;
	if (S.nheld > max_held)
		max_held = S.nheld;
	/* a thread that writes while the drain runs, and ends */
	if (grow) {
		for (uint32_t k = 0; k < grow; k++)
			put(0, 1000000 + k);
		grow = 0;
		S.slots[0].state = LIMEN_SLOT_DONE;
	}
	ngot++;
}

static void reset(void)
{
	for (uint32_t i = 0; i < 2; i++) {
		memset(&S.slots[i], 0, sizeof(S.slots[i]));
		memset(prod[i], 0, RING);
		memset(&S.view[i], 0, sizeof(S.view[i]));
		S.slots[i].state = LIMEN_SLOT_ACTIVE;
		S.slots[i].tid = 100 + (int32_t)i;
		S.slots[i].pid = 100;
		S.slots[i].gen = 1;
	}
	S.ctl->slots_used = 2;
	nwant = ngot = 0;
}

/* an ENTER record of time tsc at the head of thread i's ring */
static void put(uint32_t i, uint64_t tsc)
{
	struct limen_slot *sl = &S.slots[i];
	uint8_t *ring = prod[i];
	struct limen_rec_sys r = { .h = { .size = sizeof(r),
					  .type = LIMEN_REC_ENTER },
				   .nr = 39, .tsc = tsc };
	uint64_t pos = sl->head & (RING - 1);

	if (pos + sizeof(r) > RING) {
		struct limen_rec pad = { .size = (uint32_t)(RING - pos),
					 .type = LIMEN_REC_PAD };

		memcpy(ring + pos, &pad, sizeof(pad));
		sl->head += RING - pos;
		pos = 0;
	}
	memcpy(ring + pos, &r, sizeof(r));
	sl->head += sizeof(r);
	want[nwant++] = (struct put){ S.slots[i].tid, tsc };
}

static int cmp_put(const void *a, const void *b)
{
	const struct put *x = a, *y = b;

	/* stable: ties keep the order taken (qsort is not, so the index
	   breaks them) */
	if (x->tsc != y->tsc)
		return x->tsc < y->tsc ? -1 : 1;
	return x < y ? -1 : x > y;
}

/* Drain once; the records told must be all of them, sorted by time. */
static void check(const char *name)
{
	size_t k;

	limen_session_drain(&S, UINT64_MAX, emit, NULL);
	/* a merge sort would do; the index makes qsort stable here */
	for (k = 1; k < nwant; k++)
		if (want[k].tsc < want[k - 1].tsc)
			break;
	if (k < nwant) {
		struct put *w = malloc(nwant * sizeof(*w));
		size_t *idx = malloc(nwant * sizeof(*idx));

		if (!w || !idx)
			abort();
		/* sort indices, then gather */
		for (k = 0; k < nwant; k++)
			idx[k] = k;
		for (size_t a = 1; a < nwant; a++)
			for (size_t b = a; b > 0 &&
			     cmp_put(&want[idx[b - 1]], &want[idx[b]]) > 0; b--) {
				size_t t = idx[b];

				idx[b] = idx[b - 1];
				idx[b - 1] = t;
			}
		for (k = 0; k < nwant; k++)
			w[k] = want[idx[k]];
		memcpy(want, w, nwant * sizeof(*w));
		free(w);
		free(idx);
	}
	for (k = 0; k < nwant && k < ngot; k++)
		if (got[k].tid != want[k].tid || got[k].tsc != want[k].tsc)
			break;
	if (k < nwant && k < ngot)
		printf("# record %zu: told thread %d time %llu, a whole drain "
		       "tells thread %d time %llu\n", k, got[k].tid,
		       (unsigned long long)got[k].tsc, want[k].tid,
		       (unsigned long long)want[k].tsc);
	if (ngot != nwant)
		printf("# %zu records told of %zu\n", ngot, nwant);
	ok(ngot == nwant && k == nwant, name);
}

/* a busy thread and a slower one: a slice of the busy one's ring spans a
   short time, the other's a long one; what the slower slice holds beyond
   the busy one's waits for the next slices */
static void busy_and_slow(uint32_t per, const char *name)
{
	reset();
	for (uint32_t k = 0; k < 8 * per; k++)
		put(0, 2 + 2 * k);
	for (uint32_t k = 0; k < 2 * per; k++)
		put(1, 5 + 8 * k);
	check(name);
}

/* a drain that ends with records still held, then another: each record
   is told once, in order */
static void one_drain_then_another(uint32_t per, const char *name)
{
	reset();
	for (uint32_t k = 0; k < 3 * per; k++)
		put(0, 2 * k + 1);
	limen_session_drain(&S, UINT64_MAX, emit, NULL);
	for (uint32_t k = 0; k < 3 * per; k++)
		put(1, 6 * per + 2 * k + 2);
	for (uint32_t k = 3 * per; k < 6 * per; k++)
		put(0, 2 * k + 1);
	check(name);
}

int main(void)
{
	/* records in a slice (a 32nd of the ring), whatever its size */
	uint32_t per = (RING / 32 + sizeof(struct limen_rec_sys) - 1) /
		       sizeof(struct limen_rec_sys);
	uint64_t t;

	O.ring_bytes = RING;
	O.trace_all = 1;
	if (limen_session_create(&S, &O) < 0) {
		printf("1..0 # SKIP no session: %s\n", "memfd");
		return 0;
	}
	S.no_resolve = 1;
	for (uint32_t i = 0; i < 2; i++) {
		prod[i] = __real_mmap(NULL, RING, PROT_READ | PROT_WRITE,
				      MAP_SHARED, S.fd,
				      (off_t)limen_ring_off(&S.geom, i));
		if (prod[i] == MAP_FAILED) {
			printf("1..0 # SKIP no producer mapping\n");
			return 0;
		}
	}
	printf("1..20\n");

	busy_and_slow(per, "records_from_two_rings_cut_into_slices_come_in_"
			   "time_order");

	/* a signal handler's records, taken while a record was being
	   filled: they follow it in the ring with earlier times, and the
	   slice ends right after it */
	reset();
	for (t = 1; t < per; t++)
		put(0, 10 * t);
	put(0, 10 * per + 500);         /* filled after the handler ran */
	put(0, 10 * per + 1);           /* the handler's */
	put(0, 10 * per + 2);
	for (t = per + 60; t < 3 * per; t++)
		put(0, 10 * t);
	for (t = 0; t < 3 * per; t++)
		put(1, 10 * t + 5);
	check("a_handler's_records_after_a_slice's_end_come_before_the_record_it_interrupted");

	one_drain_then_another(per, "drains_one_after_another_tell_each_record_once_in_order");

	/* a ring whose slices span more time than another's (a slower
	   thread): not read ahead of it, held until the other caught up */
	reset();
	for (uint32_t k = 0; k < 8 * per; k++) {
		put(0, 100 * k + 1);
		put(1, k);
	}
	max_held = 0;
	check("a_sparse_ring_and_a_dense_one_come_in_time_order");
	printf("# %zu records held at most, %u in a slice\n", max_held, per);
	ok(max_held <= 3 * per, "the_sparse_ring_is_not_read_ahead");

	/* two threads whose records interleave in time: both are sliced in
	   each pass (8 passes for 8 slices each), not one ring a pass (16,
	   and with 64 threads 64 times as many as they need, each sorting
	   and moving all that is held) */
	reset();
	for (uint32_t k = 0; k < 8 * per; k++) {
		put(0, 2 * k + 2);
		put(1, 2 * k + 3);
	}
	nmove = 0;
	check("interleaved_rings_come_in_time_order");
	printf("# %u passes told records\n", nmove);
	ok(nmove <= 10, "interleaved_rings_are_sliced_in_the_same_pass");

	/* a thread that wrote 8 slices as the drain ran, and ended: what
	   it wrote is taken a slice at a time, not held whole */
	reset();
	for (uint32_t k = 0; k < 3 * per; k++)
		put(0, k + 1); /* cut in slices: told as the drain runs */
	grow = 8 * per;
	max_held = 0;
	limen_session_drain(&S, 1u << 30, emit, NULL);
	{
		size_t most = max_held;

		check("an_ended_thread's_last_records_come_in_time_order");
		printf("# %zu records held at most, %u in a slice\n", most,
		       per);
		ok(most <= 3 * per && S.slots[0].state == LIMEN_SLOT_FREE,
		   "an_ended_thread's_ring_is_freed_a_slice_at_a_time");
	}

	/* no room to map the rings: read through the descriptor */
	lose_room();
	max_held = 0;
	busy_and_slow(per, "rings_with_no_room_to_map_them_are_read_whole_in_time_order");
	ok(given_back(0) && given_back(1) && !S.rings[0] && !S.rings[1],
	   "a_ring_read_with_no_room_is_given_back_zeroed_to_its_head");
	printf("# %zu records held at most, %u in a slice\n", max_held, per);
	ok(max_held <= 3 * per, "a_ring_with_no_room_is_read_a_slice_at_a_time");
	one_drain_then_another(per, "drains_with_no_room_tell_each_record_once_in_order");

	/* a record larger than the window the drain reads through */
	reset();
	put(0, 3);
	{
		struct limen_rec_sys r = { .h = { .size = 100u << 10,
						  .type = LIMEN_REC_ENTER },
					   .nr = 39, .tsc = 7 };
		uint64_t pos = S.slots[0].head;

		memcpy(prod[0] + pos, &r, sizeof(r));
		prod[0][pos + r.h.size - 1] = 0x5a;
		S.slots[0].head += r.h.size;
		want[nwant++] = (struct put){ S.slots[0].tid, 7 };
	}
	put(0, 9);
	put(1, 8);
	check("a_record_larger_than_the_read_window_is_read_whole");
	ok(big_size == 100u << 10, "its_whole_size_is_told");

	/* a record the program wrote over (its size not a multiple of 8):
	   the ring is given back whole, never waited on */
	reset();
	put(0, 3);
	{
		struct limen_rec bad = { .size = 12, .type = LIMEN_REC_ENTER };
		uint64_t pos = S.slots[0].head;

		memcpy(prod[0] + pos, &bad, sizeof(bad));
		S.slots[0].head += 64;
	}
	limen_session_drain(&S, UINT64_MAX, emit, NULL);
	ok(given_back(0) && ngot == 2,
	   "a_corrupted_ring_with_no_room_is_given_back_with_a_word");

	/* a head the program moved behind our tail: the tail stays (a tail
	   moved back to it was taken forward again when the head was put
	   back, the same records taken twice, and a program flipping it
	   kept a drain's passes going) */
	reset();
	for (uint32_t k = 0; k < 2 * per; k++)
		put(0, k + 1);
	limen_session_drain(&S, UINT64_MAX, emit, NULL);
	{
		uint64_t tail = S.slots[0].tail, head = S.slots[0].head;

		S.slots[0].head = 64;
		limen_session_drain(&S, UINT64_MAX, emit, NULL);
		ok(S.slots[0].tail == tail && S.view[0].tail == tail,
		   "a_head_behind_the_tail_never_moves_it_back");
		S.slots[0].head = head;
		ngot = 0;
		limen_session_drain(&S, UINT64_MAX, emit, NULL);
		ok(ngot == 0, "and_no_record_is_taken_twice");
	}

	/* records held over a drain (newer than it), moved to the arena's
	   front with no room for a second arena: in place */
	reset();
	for (uint32_t k = 0; k < 3 * per; k++) {
		put(0, 4 * k + 1);
		put(1, 4 * k + 3);
	}
	free(S.arena2);
	S.arena2 = NULL;
	no_big_malloc = 1;
	limen_session_drain(&S, 6 * per, emit, NULL);
	{
		int in_place = !S.arena2 && S.nheld > 0;

		check("records_held_with_no_room_for_a_second_arena_come_once_"
		      "in_order");
		ok(in_place, "they_were_moved_in_place");
	}
	no_big_malloc = 0;
	return nfail ? 1 : 0;
}
