/* SPDX-License-Identifier: MIT */
/*
 * Unregistering an event while other threads emit it, its id taken over
 * at once by another event (tests/uevent/idreuse.t). Each round, threads
 * read the id of "ida" from its struct and hold it, as an emit in flight
 * does; the main thread then unregisters ida (the event goes with its
 * last reference, its id is free) and registers "idb" (another format:
 * it takes the free id); the threads now make their emits with the id
 * they hold, BURST each; then the main thread unregisters idb and
 * registers ida again. ROUNDS rounds, ordered by counters, not timed:
 * every emit is made while idb holds the id. The main thread never emits
 * idb: every idb line in the trace is an ida emit recorded under the
 * wrong name. Prints how many emits returned 0 (each must be in the
 * trace, as ida) and how many rounds reused the id.
 */
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>

#include <limen/uevent.h>

#define THREADS 2
#define ROUNDS 500
#define BURST 8

static struct limen_uevent ev_a = LIMEN_UEVENT_INIT("ida u32 v");
static struct limen_uevent ev_b = LIMEN_UEVENT_INIT("idb u64 w; u64 x");
/* rounds started; ids read; idb registered; bursts done */
static int started, held, reused_at, done;

static void wait_for(int *counter, int n)
{
	while (__atomic_load_n(counter, __ATOMIC_ACQUIRE) < n)
		sched_yield();
}

/* limen_uevent_write's emit, with an id of our own: liblimen.so's, or
   the loader's table (limen's loader runs the program) */
static int emit(int32_t id, const void *data, size_t len)
{
	const struct limen_uevent_api *a;

	if (limen_uevent_emit)
		return limen_uevent_emit(id, data, len);
	a = limen_uevent_api_();
	return a ? a->emit(id, data, len) : -1;
}

static void *emitter(void *p)
{
	long ok = 0;

	for (int r = 1; r <= ROUNDS; r++) {
		int32_t id;

		wait_for(&started, r);
		/* an emit in flight: its id read before the unregister */
		id = __atomic_load_n(&ev_a.id, __ATOMIC_RELAXED);
		__atomic_add_fetch(&held, 1, __ATOMIC_RELEASE);
		wait_for(&reused_at, r);
		for (uint32_t i = 0; i < BURST; i++) {
			uint32_t v = (uint32_t)r * BURST + i;

			if (id >= 0 && emit(id, &v, sizeof(v)) == 0)
				ok++;
		}
		__atomic_add_fetch(&done, 1, __ATOMIC_RELEASE);
	}
	*(long *)p = ok;
	return 0;
}

int main(void)
{
	pthread_t t[THREADS];
	long ok[THREADS], all = 0;
	int reused = 0;

	if (limen_uevent_init(&ev_a) < 0)
		return 1;
	for (int i = 0; i < THREADS; i++)
		pthread_create(&t[i], 0, emitter, &ok[i]);
	for (int r = 1; r <= ROUNDS; r++) {
		int32_t was = ev_a.id;

		__atomic_store_n(&started, r, __ATOMIC_RELEASE);
		wait_for(&held, r * THREADS);
		limen_uevent_fini(&ev_a);
		limen_uevent_init(&ev_b);
		/* the same table entry (low 16 bits): the id was reused */
		if (was >= 0 && ev_b.id >= 0 &&
		    ((uint32_t)was & 0xffff) == ((uint32_t)ev_b.id & 0xffff))
			reused++;
		__atomic_store_n(&reused_at, r, __ATOMIC_RELEASE);
		wait_for(&done, r * THREADS);
		limen_uevent_fini(&ev_b);
		limen_uevent_init(&ev_a);
	}
	for (int i = 0; i < THREADS; i++) {
		pthread_join(t[i], 0);
		all += ok[i];
	}
	printf("emitted=%ld reused=%d\n", all, reused);
	return 0;
}
