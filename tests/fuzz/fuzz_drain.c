// SPDX-License-Identifier: MIT
/*
 * Fuzz harness (libFuzzer) for everything the collector does with what a
 * traced program can write: the slot table, the rings, and through them
 * every decoder. Built with clang -fsanitize=fuzzer,address,undefined by
 * `make fuzz` (a long run) and `make check` (the corpus replayed plus a
 * short run, tests/fuzz/fuzz.t).
 *
 * Input: byte 0 picks the mode (bits 0 and 7) and the printing options.
 *  - raw (bit 0 clear): for each of two slots, a 24-byte slot header
 *    (state, tid, pid, gen, head offset, lost) then a 16-bit length and that
 *    many bytes copied into the ring as they are: framing and validation;
 *  - records (bit 0 set): a stream of well-framed ENTER/EXIT/SIGNAL/LOST
 *    records (and with bit 7, START records, in the rings of two threads
 *    of one process), built from
 *    the input (syscall number, arguments, return value and captures all
 *    taken from it): the decoders and the collector's tables, the sinks behind the
 *    framing.
 * Each input is drained three times: with the rings mapped; with no room
 * to map them (session.c reads them through the descriptor; its mmap is
 * wrapped here, -Wl,--wrap=mmap); and mapped again with no room for the
 * second arena that compacts the records a drain holds over (session.c
 * then moves them down in place; its malloc is
 * limen_fuzz_session_malloc here, the Makefile renames it), the decoders
 * then as -e verbose=none and -e abbrev=none set them.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "cli/cli.h"
#include "collector/collector.h"

#define RING (16u << 10)
#define NSLOT_FUZZ 2

static struct limen_session S;
static struct limen_opts O;
static FILE *devnull;

/* the producer's mappings of the rings, which stay when the session's
   have no room */
static uint8_t *prod[NSLOT_FUZZ];
static int no_room;

void *__real_mmap(void *a, size_t n, int prot, int fl, int fd, off_t off);
void *__wrap_mmap(void *a, size_t n, int prot, int fl, int fd, off_t off);
void *__wrap_mmap(void *a, size_t n, int prot, int fl, int fd, off_t off)
{
	if (no_room && fd == S.fd && n == RING) {
		errno = ENOMEM;
		return MAP_FAILED;
	}
	return __real_mmap(a, n, prot, fl, fd, off);
}

/* session.c's malloc: no arena as large as the first (1 MiB) while
   no_arena is set. Only the second arena asks for that much; the other
   sizes session.c asks for stay served (one that fails ends the
   command). */
static int no_arena;
void *limen_fuzz_session_malloc(size_t n);
void *limen_fuzz_session_malloc(size_t n)
{
	if (no_arena && n >= (1u << 20)) {
		errno = ENOMEM;
		return NULL;
	}
	return malloc(n);
}

/* no room to map a ring from now on: the session's mappings go */
static void lose_room(void)
{
	for (uint32_t i = 0; i < NSLOT_FUZZ; i++) {
		if (S.rings[i])
			munmap(S.rings[i], RING);
		S.rings[i] = NULL;
		if (S.kept[i]) {
			S.kept[i] = 0;
			S.nkept--;
		}
	}
	no_room = 1;
}

struct in {
	const uint8_t *p;
	size_t n;
};

static uint64_t take(struct in *in, unsigned bytes)
{
	uint64_t v = 0;

	for (unsigned k = 0; k < bytes; k++) {
		uint8_t b = 0;

		if (in->n) {
			b = *in->p++;
			in->n--;
		}
		v |= (uint64_t)b << (8 * k);
	}
	return v;
}

static void setup(void)
{
	if (devnull)
		return;
	O.strsize = 32;
	O.trace_all = 1;
	O.ring_bytes = RING;
	if (limen_session_create(&S, &O) < 0)
		abort();
	S.no_resolve = 1;
	limen_clock_init();
	devnull = fopen("/dev/null", "w");
	if (!devnull)
		abort();
	for (uint32_t i = 0; i < NSLOT_FUZZ; i++) {
		prod[i] = __real_mmap(NULL, RING, PROT_READ | PROT_WRITE,
				      MAP_SHARED, S.fd,
				      (off_t)limen_ring_off(&S.geom, i));
		if (prod[i] == MAP_FAILED)
			abort();
	}
}

static void reset(void)
{
	struct limen_slot *slots = S.slots;

	for (uint32_t i = 0; i < NSLOT_FUZZ; i++) {
		memset(&slots[i], 0, sizeof(slots[i]));
		memset(prod[i], 0, RING);
		memset(&S.view[i], 0, sizeof(S.view[i]));
	}
	S.all_gone = 0;
	S.ctl->slots_used = NSLOT_FUZZ;
}

/* Append one record to ring 0 as a producer would. */
static void put(struct limen_slot *sl, uint8_t *ring, const uint8_t *rec,
		uint32_t size)
{
	uint64_t pos = sl->head & (RING - 1);

	if (size > RING / 4)
		return;
	if (pos + size > RING) {
		struct limen_rec pad = { .size = (uint32_t)(RING - pos),
					 .type = LIMEN_REC_PAD };

		memcpy(ring + pos, &pad, sizeof(pad));
		sl->head += RING - pos;
		pos = 0;
	}
	if (sl->head + size - sl->tail > RING)
		return;
	memcpy(ring + pos, rec, size);
	sl->head += size;
}

static void records(struct in *in, int two)
{
	struct limen_slot *slots = S.slots;
	static uint8_t rec[RING / 4];

	/* two: two threads of one process, and START records: the thread
	   and process tables, their ends (exit, exit_group, execve) and
	   pairing across threads; else one thread */
	for (uint32_t i = 0; i < (two ? NSLOT_FUZZ : 1); i++) {
		slots[i].state = LIMEN_SLOT_ACTIVE;
		slots[i].tid = (int32_t)(4242 + i);
		slots[i].pid = 4242;
		slots[i].gen = 1;
	}
	while (in->n) {
		unsigned pick = (unsigned)take(in, 1);
		unsigned kind = two ? pick % 5 : pick % 4;
		struct limen_slot *sl = &slots[two ? (pick >> 4) % NSLOT_FUZZ : 0];
		uint8_t *ring = prod[sl - slots];
		uint32_t size;

		memset(rec, 0, sizeof(rec));
		if (kind < 2) {
			struct limen_rec_sys *r = (void *)rec;
			unsigned ncap = (unsigned)take(in, 1) % 4;

			r->h.type = kind ? LIMEN_REC_EXIT : LIMEN_REC_ENTER;
			r->nr = (uint32_t)take(in, 2) % 512;
			r->tsc = take(in, 1);
			for (int a = 0; a < 6; a++)
				r->args[a] = take(in, (unsigned)take(in, 1) % 9);
			r->ret = (int64_t)take(in, 8);
			size = sizeof(*r);
			for (unsigned k = 0; k < ncap; k++) {
				struct limen_cap *c = (void *)(rec + size);
				uint32_t len = (uint32_t)take(in, 2) % 1024;

				if (size + sizeof(*c) + LIMEN_ALIGN8(len) >
				    sizeof(rec))
					break;
				/* an argument's capture (0-5, 6 an invalid
				   one), or -y's, the dump's, netlink's
				   (LIMEN_CAP_FD...LIMEN_CAP_NETLINK) */
				c->arg = (uint8_t)(take(in, 1) % 26);
				if (c->arg >= 7)
					c->arg = (uint8_t)(LIMEN_CAP_FD +
							   c->arg - 7);
				c->flags = (uint8_t)take(in, 1);
				c->len = len;
				for (uint32_t b = 0; b < len; b++)
					rec[size + sizeof(*c) + b] =
						(uint8_t)take(in, 1);
				size += sizeof(*c) + (uint32_t)LIMEN_ALIGN8(len);
				r->ncap++;
			}
		} else if (kind == 2) {
			struct limen_rec_sig *g = (void *)rec;

			g->h.type = LIMEN_REC_SIGNAL;
			g->sig = (uint32_t)take(in, 1);
			g->tsc = take(in, 1);
			for (unsigned b = 0; b < sizeof(g->siginfo); b++)
				g->siginfo[b] = (uint8_t)take(in, 1);
			size = sizeof(*g);
		} else if (kind == 4) {
			struct limen_rec_start *st = (void *)rec;

			st->h.type = LIMEN_REC_START;
			st->kind = (uint32_t)take(in, 1) % 4;
			st->ppid = (int32_t)take(in, 1);
			st->tsc = take(in, 1);
			size = sizeof(*st);
		} else {
			struct limen_rec_lost *l = (void *)rec;

			l->h.type = LIMEN_REC_LOST;
			l->count = take(in, 2);
			l->tsc = take(in, 1);
			size = sizeof(*l);
		}
		((struct limen_rec *)rec)->size = size;
		put(sl, ring, rec, size);
	}
}

static void raw(struct in *in)
{
	struct limen_slot *slots = S.slots;

	for (uint32_t i = 0; i < NSLOT_FUZZ && in->n; i++) {
		struct limen_slot *sl = &slots[i];
		uint32_t len;

		sl->state = (uint32_t)take(in, 1) % 5;
		sl->tid = (int32_t)take(in, 4);
		sl->pid = (int32_t)take(in, 4);
		sl->gen = (uint32_t)take(in, 4);
		sl->head = take(in, 4);
		sl->lost = take(in, 4);
		take(in, 3);
		len = (uint32_t)take(in, 2);
		if (len > RING)
			len = RING;
		if (len > in->n)
			len = (uint32_t)in->n;
		memcpy(prod[i], in->p, len);
		in->p += len;
		in->n -= len;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
static void one(const uint8_t *data, size_t size)
{
	struct in in = { data, size };
	struct limen_collector *t;
	unsigned mode;

	reset();
	mode = (unsigned)take(&in, 1);
	O.verbose = !!(mode & 2);
	O.show_time = !!(mode & 4);
	O.timestamps = (mode >> 3) & 3;
	O.summary = (mode >> 5) & 1 ? 2 : 0;
	O.strsize = mode & 0x40 ? 4 : 32;
	t = limen_collector_new(&O);
	limen_collector_add(t, limen_text_sink(devnull, &O));
	if (O.summary)
		limen_collector_add(t, limen_summary_sink(devnull, &O, 0));
	/* every sink is fed what the text sink is fed */
	limen_collector_add(t, limen_json_sink(devnull, &O));
	limen_collector_add(t, limen_perfetto_sink(devnull, &O));
	limen_collector_add(t, limen_latency_sink(devnull, &O));
	if (mode & 1)
		records(&in, !!(mode & 0x80));
	else
		raw(&in);
	/* first up to a time inside the records' (one byte's worth): some
	   held over to the next drain, an ended thread's ring freed a
	   slice at a time */
	limen_session_drain(&S, 128, limen_collector_event, t);
	limen_session_drain(&S, UINT64_MAX, limen_collector_event, t);
	/* a process end, then the end of the tree: the retire and free
	   paths, with the loss counters threads leave behind */
	limen_session_retire_pid(&S, S.slots[0].pid);
	limen_session_drain(&S, UINT64_MAX, limen_collector_event, t);
	limen_session_reap_slots(&S, 1);
	limen_session_drain(&S, UINT64_MAX, limen_collector_event, t);
	limen_collector_finish(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	setup();
	one(data, size);
	lose_room();
	one(data, size);
	no_room = 0;
	/* the spare arena, kept from input to input, goes: compact asks for
	   a new one, and finds no room */
	free(S.arena2);
	S.arena2 = NULL;
	S.caparena2 = 0;
	no_arena = 1;
	/* and the decoders as -e verbose=none and -e abbrev=none have them
	   (every structure its address, every call unabbreviated) */
	O.deref_set = 1;
	O.abbrev_set = 1;
	one(data, size);
	O.deref_set = 0;
	O.abbrev_set = 0;
	no_arena = 0;
	return 0;
}
