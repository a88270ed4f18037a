/* SPDX-License-Identifier: MIT */
/*
 * The program's view of membarrier's registrations.
 *
 * Live patching (rewrite.c, patch_live) needs the process registered for
 * PRIVATE_EXPEDITED_SYNC_CORE, and limen registers before the program's
 * first thread (sync_core_early). The kernel keeps one registration per
 * address space, and it is not the program's: without limen, a program
 * that never registered gets EPERM from PRIVATE_EXPEDITED_SYNC_CORE, and
 * GET_REGISTRATIONS (Linux 6.3) lists no private expedited registration.
 * So the program's membarrier calls come here (dispatch.c, run;
 * never lean: lean.c, hooked), which answer from what the program
 * registered itself once limen has registered:
 *  - PRIVATE_EXPEDITED_SYNC_CORE (flags 0: other flags are the kernel's
 *    EINVAL first, so those calls are made) is EPERM until the program's
 *    own REGISTER_PRIVATE_EXPEDITED_SYNC_CORE has succeeded;
 *  - GET_REGISTRATIONS leaves out what only limen's registration set:
 *    REGISTER_PRIVATE_EXPEDITED_SYNC_CORE, and REGISTER_PRIVATE_EXPEDITED,
 *    which the kernel lists after any private expedited registration
 *    (plain, SYNC_CORE or RSEQ: measured, tests/progs/membarrier_view.c),
 *    though PRIVATE_EXPEDITED itself stays EPERM until its own (the
 *    kernel's answer, left as it is).
 * A fork child keeps both the kernel's registrations and these words; an
 * exec starts with neither.
 */
#include <errno.h>
#include <sys/syscall.h>

#include "rt.h"

#define CMD_REGISTER_PRIVATE_EXPEDITED (1 << 4)
#define CMD_PRIVATE_EXPEDITED_SYNC_CORE (1 << 5)
#define CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE (1 << 6)
#define CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ (1 << 8)
#define CMD_GET_REGISTRATIONS (1 << 9)
#define OURS (CMD_REGISTER_PRIVATE_EXPEDITED | \
	      CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE)

static int ours;      /* limen has registered (rewrite.c) */
static int listed;    /* of OURS, what the program's registrations list */
static int sync_core; /* the program has registered for SYNC_CORE */

void limen_membarrier_ours(void)
{
	__atomic_store_n(&ours, 1, __ATOMIC_RELEASE);
}

long limen_hook_membarrier(const long *a)
{
	int cmd = (int)a[0];
	unsigned flags = (unsigned)a[1];
	long r;

	if (__atomic_load_n(&ours, __ATOMIC_ACQUIRE) && !flags &&
	    cmd == CMD_PRIVATE_EXPEDITED_SYNC_CORE &&
	    !__atomic_load_n(&sync_core, __ATOMIC_ACQUIRE))
		return -EPERM;
	r = limen_app_syscall(SYS_membarrier, a[0], a[1], a[2], 0, 0, 0);
	if (r == 0 && !flags && (cmd == CMD_REGISTER_PRIVATE_EXPEDITED ||
				 cmd == CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ))
		__atomic_or_fetch(&listed, CMD_REGISTER_PRIVATE_EXPEDITED,
				  __ATOMIC_ACQ_REL);
	if (r == 0 && !flags && cmd == CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE) {
		__atomic_or_fetch(&listed, OURS, __ATOMIC_ACQ_REL);
		__atomic_store_n(&sync_core, 1, __ATOMIC_RELEASE);
	}
	if (r >= 0 && !flags && cmd == CMD_GET_REGISTRATIONS &&
	    __atomic_load_n(&ours, __ATOMIC_ACQUIRE))
		r &= ~(long)(OURS & ~__atomic_load_n(&listed, __ATOMIC_ACQUIRE));
	return r;
}
