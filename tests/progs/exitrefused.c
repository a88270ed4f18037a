/* SPDX-License-Identifier: MIT */
/*
 * An exit_group the program's own seccomp filter refuses: the filter
 * answers exit_group with EPERM (SECCOMP_RET_ERRNO), so exit_group(4)
 * returns -1 and the program goes on; it writes one line and ends with 5
 * by exit (the thread's own exit: only exit_group is refused). strace -f
 * shows "exit_group(4) = -1 EPERM (Operation not permitted)" and then
 * the calls after it and "+++ exited with 5 +++".
 */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_exit_group, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof(f) / sizeof(f[0]),
				   .filter = f };
	char line[] = "exit_group refused\n";
	long r;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog)) {
		perror("seccomp");
		return 1;
	}
	r = syscall(SYS_exit_group, 4);
	if (r != -1 || errno != EPERM)
		return 2;
	if (write(1, line, sizeof(line) - 1) != sizeof(line) - 1)
		return 3;
	syscall(SYS_exit, 5);
	return 4;
}
