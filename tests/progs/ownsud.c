/* SPDX-License-Identifier: MIT */
/*
 * The program tries to use Syscall User Dispatch itself:
 * prctl(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_ON, 0, 0, &selector)
 * with the selector set to ALLOW (so nothing would be dispatched). On a
 * kernel with SUD that succeeds, under limen too (nested_sud.c), and the
 * program switches it off again at once. Prints the result, then makes a
 * getppid() call (the tracer must still see it).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef PR_SET_SYSCALL_USER_DISPATCH
#define PR_SET_SYSCALL_USER_DISPATCH 59
#define PR_SYS_DISPATCH_OFF 0
#define PR_SYS_DISPATCH_ON 1
#endif

static volatile char selector; /* 0: SYSCALL_DISPATCH_FILTER_ALLOW */

int main(void)
{
	long r = prctl(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_ON, 0, 0,
		       &selector);
	int e = errno;

	if (r == 0) {
		/* Switch it off before doing anything else. */
		long off = prctl(PR_SET_SYSCALL_USER_DISPATCH,
				 PR_SYS_DISPATCH_OFF, 0, 0, 0);
		printf("prctl ON: 0\nprctl OFF: %ld\n", off);
	} else {
		printf("prctl ON: %ld %s\n", r,
		       e == EINVAL ? "EINVAL" : strerrorname_np(e));
	}
	syscall(SYS_getppid);
	return 0;
}
