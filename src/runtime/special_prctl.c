/* SPDX-License-Identifier: MIT */
/*
 * prctl and seccomp arguments whose meaning depends on the option or the
 * operation (type special in tables/syscalls.tbl): how many bytes the
 * kernel reads (at entry) or writes (at exit) behind them, so that capture
 * takes them and decode/prctl.c prints them as strace 6.1 does:
 *
 *  prctl PR_SET_NAME arg2 (in), PR_GET_NAME arg2 (out): the 16-byte name;
 *  PR_GET_PDEATHSIG, PR_GET_CHILD_SUBREAPER, PR_GET_TSC, PR_GET_UNALIGN,
 *    PR_GET_FPEMU, PR_GET_FPEXC, PR_GET_ENDIAN arg2 (out): an int;
 *  PR_GET_TID_ADDRESS arg2 (out): the pointer (8 bytes);
 *  PR_SET_SECCOMP SECCOMP_MODE_FILTER arg3 (in): the struct sock_fprog;
 *  PR_SET_VMA PR_SET_VMA_ANON_NAME arg5 (in): the name and its NUL, at
 *    most 80 bytes (ANON_VMA_NAME_MAX_LEN: strndup_user's bound);
 *  seccomp uargs: SECCOMP_SET_MODE_FILTER the struct sock_fprog (in),
 *    SECCOMP_GET_ACTION_AVAIL the u32 action (in), SECCOMP_GET_NOTIF_SIZES
 *    the struct seccomp_notif_sizes (out).
 * The filter's instructions themselves are not taken: strace shows them
 * only with -v.
 */
#include <linux/prctl.h>
#include <linux/seccomp.h>

#include "rt.h"

#define TASK_COMM_LEN 16u
#define ANON_VMA_NAME_MAX_LEN 80u
#define SOCK_FPROG_SIZE 16u	/* u16 len, padding, filter pointer */
#define NOTIF_SIZES_SIZE 6u	/* three u16 */

/* the bytes strndup_user reads of an anonymous VMA name: to its NUL */
static uint64_t anon_name_len(uint64_t p)
{
	char name[ANON_VMA_NAME_MAX_LEN];
	struct limen_str_read r;

	if (!p)
		return 0;
	r = limen_safe_str(name, p, sizeof(name));
	if (r.len >= 0)
		return (uint64_t)r.len + 1;
	return r.got > 0 ? (uint64_t)r.got : 0;
}

uint64_t limen_prctl_special_bytes(unsigned i, const long *a, int at_exit)
{
	unsigned long op = (unsigned long)a[0];

	if (i == 1 && !at_exit)
		return op == PR_SET_NAME ? TASK_COMM_LEN : 0;
	if (i == 1) {
		switch (op) {
		case PR_GET_NAME:
			return TASK_COMM_LEN;
		case PR_GET_PDEATHSIG:
		case PR_GET_CHILD_SUBREAPER:
		case PR_GET_TSC:
		case PR_GET_UNALIGN:
		case PR_GET_FPEMU:
		case PR_GET_FPEXC:
		case PR_GET_ENDIAN:
			return sizeof(int);
		case PR_GET_TID_ADDRESS:
			return sizeof(long);
		}
		return 0;
	}
	if (at_exit)
		return 0;
	if (i == 2 && op == PR_SET_SECCOMP && a[1] == SECCOMP_MODE_FILTER)
		return SOCK_FPROG_SIZE;
	if (i == 4 && op == PR_SET_VMA && a[1] == PR_SET_VMA_ANON_NAME)
		return anon_name_len((uint64_t)a[4]);
	return 0;
}

uint64_t limen_seccomp_special_bytes(const long *a, int at_exit)
{
	switch (a[0]) {
	case SECCOMP_SET_MODE_FILTER:
		return at_exit ? 0 : SOCK_FPROG_SIZE;
	case SECCOMP_GET_ACTION_AVAIL:
		return at_exit ? 0 : sizeof(uint32_t);
	case SECCOMP_GET_NOTIF_SIZES:
		return at_exit ? NOTIF_SIZES_SIZE : 0;
	}
	return 0;
}
