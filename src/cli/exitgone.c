/* SPDX-License-Identifier: MIT */
/*
 * A process that entered exit_group ends in the trace when it is gone, not
 * at that call: until the kernel kills them its other threads go on making
 * calls, and the call itself may return (refused by a seccomp filter). Its
 * parent's wait4 or our own reap say so when they come; a process nobody
 * reaps (its parent waits otherwise, or not at all) is gone when none of
 * its threads runs any more. Looked at before a drain, that drain then
 * takes every record they wrote, and their end is told after them.
 */
#include <stdio.h>

#include "cli/cli.h"
#include "cli/exitgone.h"

size_t limen_exit_gone_scan(const struct limen_collector *t, int32_t *gone,
			    size_t max)
{
	size_t n = limen_collector_exiting(t, gone, max), k = 0;

	for (size_t i = 0; i < n; i++)
		if (limen_proc_gone(gone[i]) == 1)
			gone[k++] = gone[i];
	return k;
}
