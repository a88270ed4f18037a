/* SPDX-License-Identifier: MIT */
/*
 * filter_at(nr, action): the calling thread installs a seccomp filter that
 * answers call nr with action (SECCOMP_RET_KILL_PROCESS, SECCOMP_RET_TRAP)
 * and allows every other; 0, or -1 if it cannot. kill_at(nr): the one
 * that kills the process at nr (the test programs whose sandbox refuses
 * one call limen might make for them); exit 99 if it cannot.
 */
#ifndef LIMEN_TEST_KILL_AT_H
#define LIMEN_TEST_KILL_AT_H

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <unistd.h>

static int filter_at(unsigned nr, unsigned action)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, nr, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, action),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog p = { 4, f };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &p))
		return -1;
	return 0;
}

static inline void kill_at(unsigned nr)
{
	if (filter_at(nr, SECCOMP_RET_KILL_PROCESS))
		_exit(99);
}

#endif
