/* SPDX-License-Identifier: MIT */
/*
 * The clock and the median of the small timing programs under bench/
 * (sud_floor.c, ret_after_syscall.c): CLOCK_MONOTONIC in ns, and a qsort
 * order for doubles.
 */
#ifndef LIMEN_BENCH_NS_CLOCK_H
#define LIMEN_BENCH_NS_CLOCK_H

#include <time.h>

static inline double now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e9 + t.tv_nsec;
}

static inline int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

#endif
