/* SPDX-License-Identifier: MIT */
/*
 * kill_at(nr): the calling thread installs a seccomp filter that kills the
 * process at call nr and allows every other (the test programs whose
 * sandbox refuses one call limen might make for them); exit 99 if it
 * cannot.
 */
#ifndef LIMEN_TEST_KILL_AT_H
#define LIMEN_TEST_KILL_AT_H

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <unistd.h>

static void kill_at(unsigned nr)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, nr, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog p = { 4, f };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &p))
		_exit(99);
}

#endif
