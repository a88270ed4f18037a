/* SPDX-License-Identifier: MIT */
/*
 * The floor under every rewritten call site (README, "Rewritten call
 * sites"): with Syscall User Dispatch armed, every system call of the
 * thread takes the kernel's slow entry (syscall_trace_enter ->
 * syscall_user_dispatch), even one made from the exempt range, as the
 * lean path's is (src/runtime/arch/x86_64/fast.S). This program times
 * getppid bare, then with SUD armed over an exempt range that covers the
 * whole address space (no SIGSYS ever: only the slow entry), and prints
 * both and their difference, the part of a lean call no user-space
 * change can remove. Not a test: it asserts nothing.
 *   sud_floor [CALLS]   (default 300000; medians of 7 rounds, 3 times)
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ns_clock.h"

#ifndef PR_SET_SYSCALL_USER_DISPATCH
#define PR_SET_SYSCALL_USER_DISPATCH 59
#define PR_SYS_DISPATCH_OFF 0
#define PR_SYS_DISPATCH_ON 1
#endif

#define ROUNDS 7

/* ns per getppid, the median of ROUNDS rounds of n calls */
static double per_call(long n)
{
	double r[ROUNDS];

	for (int k = 0; k < ROUNDS; k++) {
		double t0 = now_ns();

		for (long i = 0; i < n; i++)
			syscall(SYS_getppid);
		r[k] = (now_ns() - t0) / n;
	}
	qsort(r, ROUNDS, sizeof(r[0]), cmp_double);
	return r[ROUNDS / 2];
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 300000;

	if (n <= 0) {
		fprintf(stderr, "usage: sud_floor [CALLS]\n");
		return 2;
	}
	for (int i = 0; i < 3; i++) {
		double bare = per_call(n), armed;

		/* offset 0, length 2^63 - 1: every address is exempt */
		if (prctl(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_ON, 0UL,
			  ~0UL >> 1, 0UL)) {
			perror("sud_floor: PR_SET_SYSCALL_USER_DISPATCH");
			return 1;
		}
		armed = per_call(n);
		prctl(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_OFF, 0UL,
		      0UL, 0UL);
		printf("getppid: bare %.1f ns, SUD armed (all exempt) %.1f ns, "
		       "floor +%.1f ns\n", bare, armed, armed - bare);
	}
	return 0;
}
