/* SPDX-License-Identifier: MIT */
/*
 * The runtime stamps records with the TSC (cheap, no syscall, no vDSO call
 * that could fall back to a trapping syscall inside our handler). The
 * collector maps TSC values to wall-clock time with a line through its first
 * sample and the latest one, re-sampled at every drain.
 */
#include <time.h>

#include "cli.h"

static uint64_t tsc0, ns0, tsc1, ns1;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* No wait for a second sample here (it cost every run 2 ms of start-up):
 * the collector samples again before each drain, so the line spans at
 * least the child's spawn before any record is placed on it. */
void limen_clock_init(void)
{
	tsc0 = limen_rdtsc();
	ns0 = now_ns();
	limen_clock_sample();
}

void limen_clock_sample(void)
{
	tsc1 = limen_rdtsc();
	ns1 = now_ns();
}

uint64_t limen_clock_delta_ns(uint64_t a, uint64_t b)
{
	if (b <= a || tsc1 <= tsc0)
		return 0;
	return (uint64_t)((double)(b - a) * (double)(ns1 - ns0) /
			  (double)(tsc1 - tsc0));
}

uint64_t limen_clock_ns(uint64_t tsc)
{
	if (tsc >= tsc0)
		return ns0 + limen_clock_delta_ns(tsc0, tsc);
	return ns0 - limen_clock_delta_ns(tsc, tsc0);
}

/* The line's two samples, for a recording (limen record) to keep. */
void limen_clock_params(uint64_t *t0, uint64_t *n0, uint64_t *t1,
			uint64_t *n1)
{
	*t0 = tsc0;
	*n0 = ns0;
	*t1 = tsc1;
	*n1 = ns1;
}

/* The line a recording was made with (limen report): times print as they
   would have at the end of the recording. */
void limen_clock_set(uint64_t t0, uint64_t n0, uint64_t t1, uint64_t n1)
{
	tsc0 = t0;
	ns0 = n0;
	tsc1 = t1;
	ns1 = n1;
}
