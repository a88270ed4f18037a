/* SPDX-License-Identifier: MIT */
/*
 * A process that installs an allow-all seccomp filter, waits, then starts
 * four threads one after another, each calling getppid twice: run as the
 * first process of a new pid namespace (tests/syscalls/filter_pool_ns.t),
 * two at once in sibling namespaces, both with the same local pid.
 */
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static void *two_calls(void *a)
{
	syscall(SYS_getppid);
	syscall(SYS_getppid);
	return a;
}

int main(void)
{
	struct sock_filter allow[] = {
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { 1, allow };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog)) {
		perror("seccomp");
		return 1;
	}
	/* the sibling's image starts and its pool fills meanwhile */
	usleep(300000);
	for (int i = 0; i < 4; i++) {
		pthread_t t;

		pthread_create(&t, 0, two_calls, 0);
		pthread_join(t, 0);
	}
	printf("done pid=%d\n", getpid());
	return 0;
}
