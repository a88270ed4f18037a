/* SPDX-License-Identifier: MIT */
/*
 * Events per second sustained (bench/uevent.sh): T threads each emit N
 * 32-byte events as fast as they can; limen's default is to lose none (a
 * thread whose ring is full waits for the collector), so the rate is what
 * the collector keeps up with. Prints the events and the wall time; the
 * script counts what the trace holds. Not a test: it asserts nothing.
 */
#include <limen/uevent.h>

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

LIMEN_UEVENT_DEFINE(ev_rate, "rate u64 a; u64 b; u64 c; u64 d");

static long per;

static uint64_t now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void *emitter(void *arg)
{
	uint64_t p[4] = { (uint64_t)(uintptr_t)arg, 0, 3, 4 };

	for (long i = 0; i < per; i++) {
		p[1] = (uint64_t)i;
		limen_uevent_write(&ev_rate, p, sizeof(p));
	}
	return 0;
}

int main(int argc, char **argv)
{
	int t = argc > 1 ? atoi(argv[1]) : 1;
	pthread_t th[64];
	uint64_t t0, t1;

	per = argc > 2 ? atol(argv[2]) : 250000;
	if (t < 1 || t > 64)
		return 2;
	t0 = now();
	for (int i = 0; i < t; i++)
		pthread_create(&th[i], 0, emitter, (void *)(uintptr_t)i);
	for (int i = 0; i < t; i++)
		pthread_join(th[i], 0);
	t1 = now();
	fprintf(stderr, "rate %d %ld %llu\n", t, (long)t * per,
		(unsigned long long)(t1 - t0));
	return 0;
}
