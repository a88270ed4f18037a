/* SPDX-License-Identifier: MIT */
/*
 * A process that installs a seccomp filter of its own (allow-all) and
 * ends, or execs, or only probes for filters (seccomp with a null
 * program: EFAULT): tests/syscalls/filter_pool_freed.t runs many in a row.
 *
 *   filter_exits allow | probe | exec PATH
 */
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog p = { 1, f };

	if (argc < 2)
		return 2;
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	if (!strcmp(argv[1], "probe"))
		return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, 0) == 0;
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &p))
		return 1;
	if (!strcmp(argv[1], "exec") && argc > 2) {
		/* time for the collector to free the image before's pool */
		usleep(30000);
		execv(argv[2], argv + 2);
	}
	return 0;
}
