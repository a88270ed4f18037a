/* SPDX-License-Identifier: MIT */
/*
 * For reference in bench/uevent.sh: an LTTng-UST tracepoint with the same
 * 32-byte payload, recorded into the live session the script set up.
 * Prints ns per tracepoint. Not a test: it asserts nothing.
 */
#define LTTNG_UST_TRACEPOINT_CREATE_PROBES
#define LTTNG_UST_TRACEPOINT_DEFINE
#include "lttng_tp.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static uint64_t now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int main(int argc, char **argv)
{
	long m = argc > 1 ? atol(argv[1]) : 200000;
	uint64_t t0, t1;

	if (!lttng_ust_tracepoint_enabled(limen_bench, ev32)) {
		printf("lttng     (the tracepoint is not enabled: no session)\n");
		return 0;
	}
	/* twice: the first round also pays for the buffers' first touch */
	for (int round = 0; round < 2; round++) {
		t0 = now();
		for (long i = 0; i < m; i++)
			lttng_ust_tracepoint(limen_bench, ev32, (uint64_t)i, 2,
					     3, 4);
		t1 = now();
		if (round)
			printf("lttng     %.2f ns\n",
			       (double)(t1 - t0) / (double)m);
	}
	return 0;
}
