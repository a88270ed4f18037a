/* SPDX-License-Identifier: MIT */
/*
 * The pages the collector makes present ahead of a thread's writer
 * (session.c, populate_ahead), seen with mincore on the ring: ahead of a
 * writer that will write them, never ahead of one that goes back to the
 * ring's start because the collector keeps up with it (session.h,
 * limen_ring_goes_back; runtime/ring.c, pad_for). The ring is filled here
 * as a producer would fill it, and the drain is the collector's own. TAP.
 */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cli/cli.h"
#include "tap.h"

#define RING (4u << 20) /* its hot start: 256 KiB */
#define KIB 1024u

static struct limen_session S;
static struct limen_opts O;
static uint64_t tsc = 1;

static void emit(void *ctx, struct limen_event *e)
{
	(void)ctx;
	(void)e;
}

/* published ENTER records from the head up to byte to of the ring */
static void fill_to(uint64_t to)
{
	struct limen_slot *sl = &S.slots[0];
	uint8_t *ring = limen_session_ring(&S, 0);

	while (sl->head + sizeof(struct limen_rec_sys) <= to) {
		struct limen_rec_sys r = { .h = { .size = sizeof(r),
						  .type = LIMEN_REC_ENTER },
					   .nr = 39, .tsc = tsc++ };

		memcpy(ring + sl->head, &r, sizeof(r));
		sl->head += sizeof(r);
	}
}

/* pages of [lo, hi) of the ring present, -1 where mincore cannot tell */
static long present(uint64_t lo, uint64_t hi)
{
	static unsigned char vec[RING / 4096];
	long n = 0;

	if (mincore(limen_session_ring(&S, 0) + lo, hi - lo, vec) < 0)
		return -1;
	for (uint64_t k = 0; k < (hi - lo) / 4096; k++)
		n += vec[k] & 1;
	return n;
}

int main(void)
{
	struct limen_slot *sl;
	uint64_t h;
	long n;
	void *probe;

	O.ring_bytes = RING;
	O.trace_all = 1;
	if (limen_session_create(&S, &O) < 0) {
		printf("1..0 # SKIP no session: %s\n", "memfd");
		return 0;
	}
	S.no_resolve = 1;
	if (present(0, RING) != 0) {
		printf("1..0 # SKIP a new ring's pages are present already\n");
		return 0;
	}
	/* the collector's madvise (MADV_POPULATE_WRITE, 23), on a page of
	   our own */
	probe = mmap(0, 4096, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (probe == MAP_FAILED || madvise(probe, 4096, 23) < 0) {
		printf("1..0 # SKIP no MADV_POPULATE_WRITE (Linux 5.14)\n");
		return 0;
	}
	sl = &S.slots[0];
	sl->state = LIMEN_SLOT_ACTIVE;
	sl->tid = (int32_t)syscall(SYS_gettid);
	sl->pid = getpid();
	sl->gen = 1;
	S.ctl->slots_used = 1;
	printf("1..3\n");

	/* below the hot start: twice what it wrote since the last drain */
	fill_to(64 * KIB);
	h = sl->head;
	limen_session_drain(&S, UINT64_MAX, emit, NULL);
	n = present((h + 4095) & ~4095ull, RING);
	printf("# head %llu: %ld pages present past it\n",
	       (unsigned long long)h, n);
	ok(n == (long)((((3 * h + 4095) & ~4095ull) - ((h + 4095) & ~4095ull)) /
		       4096),
	   "a_writer_below_the_ring's_hot_start_gets_twice_what_it_wrote_made_present_ahead");

	/* past the hot start, and every record of it taken: its next record
	   goes to the ring's start, and nothing ahead of it is written */
	fill_to(512 * KIB);
	h = sl->head;
	limen_session_drain(&S, UINT64_MAX, emit, NULL);
	n = present((h + 4095) & ~4095ull, RING);
	printf("# head %llu, tail %llu: %ld pages present past it\n",
	       (unsigned long long)h, (unsigned long long)sl->tail, n);
	ok(sl->tail == h && n == 0,
	   "a_writer_the_collector_caught_up_with_past_the_hot_start_gets_nothing_ahead");

	/* a writer ahead of us by more than a quarter of its place in the
	   ring (a reservation not yet published: the drain stops at it)
	   goes on in its first lap: ahead of it again */
	sl->head += 200 * KIB;
	h = sl->head;
	limen_session_drain(&S, UINT64_MAX, emit, NULL);
	n = present((h + 4095) & ~4095ull, RING);
	printf("# head %llu, tail %llu: %ld pages present past it\n",
	       (unsigned long long)h, (unsigned long long)sl->tail, n);
	ok(sl->tail == h - 200 * KIB &&
		   n == (long)((((h + 400 * KIB + 4095) & ~4095ull) -
				((h + 4095) & ~4095ull)) / 4096),
	   "a_writer_the_collector_is_behind_gets_twice_what_it_wrote_ahead");

	return nfail ? 1 : 0;
}
