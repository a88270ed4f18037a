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

/*
 * One sample: the clock read between two TSC reads, the TSC taken as their
 * middle. A sample whose reads are far apart (we were preempted between
 * them) would tilt the line: a few tries keep the tightest.
 */
static void sample(uint64_t *tsc, uint64_t *ns)
{
	uint64_t best = UINT64_MAX;

	for (int i = 0; i < 4; i++) {
		uint64_t a = limen_rdtsc(), n = now_ns(), b = limen_rdtsc();

		if (b - a < best) {
			best = b - a;
			*tsc = a + (b - a) / 2;
			*ns = n;
		}
		if (best < 20000)	/* about 10 us or less: good enough */
			break;
	}
}

/*
 * No wait for a second sample here: the line is only used at a drain, and
 * every drain samples first, so each record lies between the line's two
 * points and its time is off by no more than one sample's error, however
 * close the points are; a call's duration (-T) is told after its exit, when
 * the line is longer still. (A 2 ms nap here cost every run 2 ms.)
 */
void limen_clock_init(void)
{
	sample(&tsc0, &ns0);
	tsc1 = tsc0;
	ns1 = ns0;
}

void limen_clock_sample(void)
{
	sample(&tsc1, &ns1);
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
