// SPDX-License-Identifier: MIT
/*
 * What the runtime's filter adds to a call, without the SIGSYS round trip
 * around it (which bench/filter.sh's figures are dominated by): ns per
 * limen_filter_enter for a call not selected, a call a predicate on its
 * fd rejects, and a call a glob on its path rejects (the path copied with
 * memcpy here; in the traced process it is one process_vm_readv).
 * src/runtime/filter.c as compiled for the runtime, with the records stubbed
 * (src/runtime/filter_host.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>

#include "cli/filter_compile.h"
#include "runtime/filter.h"
#include "runtime/filter_host.h"

long limen_safe_read(void *dst, uint64_t src, size_t n)
{
	memcpy(dst, (const void *)(uintptr_t)src, n);
	return (long)n;
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e9 + t.tv_nsec;
}

static struct limen_filter prog;
static struct limen_fcall fc;
static char path[4096] __attribute__((aligned(4096))) =
	"/nonexistent/limen-bench";

static double per_call(long nr, int sel, long n)
{
	double t0 = now();
	int kept = 0;

	for (long i = 0; i < n; i++) {
		long a[6] = { nr == SYS_openat ? -100 : 12345,
			      (long)(uintptr_t)path, 0, 0, 0, 0 };

		kept += limen_filter_enter(&fc, nr, a, sel);
	}
	if (kept)
		fprintf(stderr, "kept %d\n", kept);
	return (now() - t0) / (double)n;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 10000000;
	uint8_t mask[LIMEN_FILTER_NR / 8] = { 0 };
	char err[256];

	mask[SYS_close / 8] |= 1u << (SYS_close % 8);
	mask[SYS_openat / 8] |= 1u << (SYS_openat % 8);
	if (limen_filter_expr("fd == 3 || filename ~ \"/etc/*\"", err,
			      sizeof(err)) < 0 ||
	    limen_filter_build(&prog, mask, 0, err, sizeof(err)) <= 0) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	limen_filter_load(&prog);
	per_call(SYS_close, 1, n / 10); /* warm up */
	printf("not selected (getppid)          %6.1f ns\n",
	       per_call(SYS_getppid, 0, n));
	printf("rejected: fd == 3 (close)       %6.1f ns\n",
	       per_call(SYS_close, 1, n));
	printf("rejected: filename ~ \"/etc/*\"   %6.1f ns (+ one "
	       "process_vm_readv in the process)\n",
	       per_call(SYS_openat, 1, n / 4));
	return 0;
}
