/* SPDX-License-Identifier: MIT */
/*
 * A program that writes into the limen session it maps (found in
 * /proc/self/maps), as a buggy or hostile program may: the collector must
 * validate what it reads, name the thread whose ring is corrupted, and carry
 * on with the others. Untraced, it only prints what it would do.
 *
 *   scribble short   a record shorter than its type in its own ring
 *   scribble size    a record whose size runs past the ring's head
 *   scribble sibling a sibling thread's slot marked done, with a forged pid
 *                    and a forged exit_group in its own ring: the sibling
 *                    then makes 1000 getppid calls while a new thread makes
 *                    1000 getpid calls, all of which must show
 *   scribble head    a sibling's head moved 2^40 bytes on
 *   scribble counts  the control page's count of threads untraced, its
 *                    own slot's count of lost events and a LOST record in
 *                    its own ring all made absurd (8211807017336824331)
 *   scribble stamp   a getppid's entry and exit records of its own, the
 *                    entry stamped 2^45 TSC cycles (hours) before now
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../../src/session/session.h"

#define ABSURD 8211807017336824331ull /* as D17 saw it */

static struct limen_ctl *ctl;
static pthread_barrier_t go;
static volatile int32_t sib_tid;

/*
 * The session's mappings, from /proc/self/maps: the control page and slot
 * table at file offset 0, and each ring of this process's threads at its
 * own offset (a process maps only its own threads' rings).
 */
static void *mapping_at(unsigned long long off)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	unsigned long lo;
	unsigned long long o;

	while (f && fgets(line, sizeof(line), f))
		if (strstr(line, "limen-session") &&
		    sscanf(line, "%lx-%*x %*s %llx", &lo, &o) == 2 &&
		    o == off) {
			fclose(f);
			return (void *)lo;
		}
	if (f)
		fclose(f);
	return NULL;
}

static struct limen_ctl *find_session(void)
{
	return mapping_at(0);
}

static struct limen_slot *slot_of(int32_t tid, uint8_t **ring)
{
	struct limen_slot *s =
		(struct limen_slot *)((char *)ctl + ctl->slots_off);

	for (uint32_t i = 0; i < ctl->slots_used && i < ctl->nslots; i++)
		if (s[i].tid == tid && s[i].state == LIMEN_SLOT_ACTIVE) {
			*ring = mapping_at(ctl->rings_off +
					   (unsigned long long)i *
						   ctl->ring_bytes);
			return *ring ? &s[i] : NULL;
		}
	return NULL;
}

/* Append raw bytes to a ring as if they were a record (no syscall between
   reading head and publishing: the runtime writes only inside syscalls). */
static void put(struct limen_slot *s, uint8_t *ring, const void *rec,
		uint32_t len, uint32_t advance)
{
	uint64_t h = s->head, pos = h & (ctl->ring_bytes - 1);
	struct limen_rec *r;

	if (pos + len > ctl->ring_bytes)
		return;
	memcpy(ring + pos, rec, len);
	r = (struct limen_rec *)(ring + pos);
	__atomic_store_n(&s->head, h + advance, __ATOMIC_RELEASE);
	__atomic_store_n(&r->type, ((const struct limen_rec *)rec)->type,
			 __ATOMIC_RELEASE);
}

/* A thread started after the forgery: it claims the first free slot,
   which is the sibling's if the collector was fooled into freeing it. */
static void *newcomer(void *arg)
{
	(void)arg;
	for (int i = 0; i < 1000; i++)
		syscall(SYS_getpid);
	return NULL;
}

static void *sibling(void *arg)
{
	(void)arg;
	sib_tid = (int32_t)syscall(SYS_gettid);
	pthread_barrier_wait(&go);
	pthread_barrier_wait(&go);
	for (int i = 0; i < 1000; i++)
		syscall(SYS_getppid);
	return NULL;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "short";
	int32_t me = (int32_t)syscall(SYS_gettid);
	struct limen_slot *s;
	uint8_t *ring;
	pthread_t t;

	ctl = find_session();
	if (!ctl) {
		printf("untraced: %s\n", mode);
		return 0;
	}
	if (!strcmp(mode, "stamp")) {
		struct limen_rec_sys x;

		s = slot_of(me, &ring);
		if (!s)
			return 2;
		syscall(SYS_getppid);
		memset(&x, 0, sizeof(x));
		x.h.size = sizeof(x);
		x.h.type = LIMEN_REC_ENTER;
		x.nr = SYS_getppid;
		x.tsc = __builtin_ia32_rdtsc() - (1ull << 45);
		put(s, ring, &x, sizeof(x), sizeof(x));
		x.h.type = LIMEN_REC_EXIT;
		x.tsc = __builtin_ia32_rdtsc();
		x.ret = 1;
		put(s, ring, &x, sizeof(x), sizeof(x));
		syscall(SYS_getppid);
		write(1, "after\n", 6);
		return 0;
	}
	if (!strcmp(mode, "counts")) {
		struct limen_rec_lost l = {
			.h = { .size = sizeof(l), .type = LIMEN_REC_LOST },
			.count = ABSURD,
		};

		s = slot_of(me, &ring);
		if (!s)
			return 2;
		syscall(SYS_getppid);
		put(s, ring, &l, sizeof(l), sizeof(l));
		syscall(SYS_getppid);
		__atomic_store_n(&ctl->threads_untraced, ABSURD,
				 __ATOMIC_RELAXED);
		__atomic_store_n(&s->lost, ABSURD, __ATOMIC_RELAXED);
		write(1, "after\n", 6);
		return 0;
	}
	if (!strcmp(mode, "short") || !strcmp(mode, "size")) {
		struct limen_rec r = { .size = 8, .type = LIMEN_REC_ENTER };
		uint8_t big[16] = { 0 };

		s = slot_of(me, &ring);
		if (!s)
			return 2;
		if (!strcmp(mode, "short")) {
			/* the bytes behind it in the collector's copy would
			   be read as its syscall number and arguments */
			put(s, ring, &r, sizeof(r), sizeof(r));
		} else {
			r.size = 1u << 20;
			memcpy(big, &r, sizeof(r));
			put(s, ring, big, sizeof(big), sizeof(big));
		}
		syscall(SYS_getppid);
		write(1, "after\n", 6);
		return 0;
	}
	pthread_barrier_init(&go, NULL, 2);
	pthread_create(&t, NULL, sibling, NULL);
	pthread_barrier_wait(&go);
	s = slot_of(sib_tid, &ring);
	if (!s)
		return 2;
	if (!strcmp(mode, "sibling")) {
		struct limen_rec_sys x;
		struct limen_slot *mine;
		uint8_t *myring;

		/* the sibling "done", under another pid; and our own ring
		   says this process called exit_group */
		s->pid = 1;
		__atomic_store_n(&s->state, LIMEN_SLOT_DONE, __ATOMIC_RELEASE);
		mine = slot_of(me, &myring);
		if (!mine)
			return 2;
		memset(&x, 0, sizeof(x));
		x.h.size = sizeof(x);
		x.h.type = LIMEN_REC_ENTER;
		x.nr = SYS_exit_group;
		put(mine, myring, &x, sizeof(x), sizeof(x));
	} else {
		__atomic_add_fetch(&s->head, 1ull << 40, __ATOMIC_RELEASE);
	}
	/* let the collector see it before the sibling goes on */
	usleep(50000);
	{
		pthread_t n;

		pthread_create(&n, NULL, newcomer, NULL);
		pthread_barrier_wait(&go);
		pthread_join(n, NULL);
	}
	pthread_join(t, NULL);
	write(1, "after\n", 6);
	return 0;
}
