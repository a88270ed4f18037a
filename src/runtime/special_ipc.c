/* SPDX-License-Identifier: MIT */
/*
 * System V IPC arguments whose size depends on the command or on another
 * argument (type special in tables/syscalls.tbl): how many bytes to capture.
 */
#include "rt.h"

uint64_t limen_special_ipc_len(const struct limen_sysent *se, const long *a,
			       long ret, int at_exit)
{
	(void)se;
	(void)a;
	(void)ret;
	(void)at_exit;
	return 0;
}
