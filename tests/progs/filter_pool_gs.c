/* SPDX-License-Identifier: MIT */
/*
 * A seccomp filter refusing only acct(2), then more threads alive at once
 * than ring.c's pool has rings for: the threads past the pool run
 * untraced, and each must still have a %gs block of its own (limen's
 * loader keeps a thread's state there), not its parent's. Every thread
 * reads its %gs base while all are alive; prints "distinct", or "shared"
 * and how many bases another live thread had too.
 * tests/syscalls/filter_pool_gs.t.
 */
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#define N 40 /* more than the pool's rings (ring.c, POOL) */

static unsigned long gs[N + 1];
static volatile int arrived, go;

static unsigned long rdgs(void)
{
	unsigned long b = 0;

	__asm__ volatile("rdgsbase %0" : "=r"(b));
	return b;
}

static void *fn(void *a)
{
	gs[(long)a] = rdgs();
	__atomic_add_fetch(&arrived, 1, __ATOMIC_SEQ_CST);
	while (!go)
		usleep(1000);
	return 0;
}

int main(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_acct, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog p = { 4, f };
	pthread_t t[N];
	int shared = 0;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &p))
		perror("seccomp"), exit(2);
	gs[N] = rdgs();
	for (long i = 0; i < N; i++)
		pthread_create(&t[i], 0, fn, (void *)i);
	while (arrived < N)
		usleep(1000);
	go = 1;
	for (int i = 0; i < N; i++)
		pthread_join(t[i], 0);
	for (int i = 0; i <= N; i++)
		for (int j = 0; j < i; j++)
			if (gs[i] && gs[i] == gs[j]) {
				shared++;
				break;
			}
	if (shared)
		printf("shared %d\n", shared);
	else
		printf("distinct\n");
	return 0;
}
