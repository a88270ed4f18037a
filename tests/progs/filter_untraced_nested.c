/* SPDX-License-Identifier: MIT */
/*
 * 17 threads under a filter of its own: the 17th finds the pool (16)
 * empty and runs untraced, then starts 20 threads of its own, untraced
 * too and never in the trace: 21 untraced, said as such, never as a
 * corrupted session. tests/syscalls/filter_untraced_nested.t.
 */
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
static volatile int stop, ready;
static void *leaf(void *a) { (void)a; return 0; }
static void *worker(void *a)
{
	if ((long)a == 16)
		for (int i = 0; i < 20; i++) { pthread_t t; pthread_create(&t, 0, leaf, 0); pthread_join(t, 0); }
	__atomic_add_fetch(&ready, 1, __ATOMIC_SEQ_CST);
	while (!stop) usleep(1000);
	return 0;
}
int main(void)
{
	struct sock_filter fl[] = { BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW) };
	struct sock_fprog p = { 1, fl };
	pthread_t t[17];
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &p);
	for (long i = 0; i < 17; i++) { pthread_create(&t[i], 0, worker, (void *)i); while (ready < i) usleep(100); }
	while (ready < 17) usleep(1000);
	stop = 1;
	for (int i = 0; i < 17; i++) pthread_join(t[i], 0);
	puts("done");
	return 0;
}
