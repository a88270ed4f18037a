/* SPDX-License-Identifier: MIT */
/*
 * A thread U started by a thread T whose own seccomp filter refuses prctl
 * (so U cannot be armed for Syscall User Dispatch), then a thread V of the
 * main thread: U and V must not share one %gs block (the kit U took from
 * the pool goes back without the page it installed).
 * tests/syscalls/filter_unarmed_gs.t. Prints "distinct" or "shared".
 */
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
static volatile int u_started, v_done;
static unsigned long gsu, gsv;
static unsigned long rdgs(void){unsigned long b=0; __asm__ volatile("rdgsbase %0":"=r"(b)); return b;}
static void *u_fn(void *a)
{
	(void)a;
	gsu = rdgs();
	u_started = 1;
	while (!v_done)
		getppid();
	return 0;
}
static void *t_fn(void *a)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_prctl, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog p = { 4, f };
	pthread_t u;
	(void)a;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &p))
		perror("seccomp"), exit(2);
	pthread_create(&u, 0, u_fn, 0);
	pthread_join(u, 0);
	return 0;
}
static void *v_fn(void *a)
{
	(void)a;
	for (int i = 0; i < 2000; i++)
		getppid();
	gsv = rdgs();
	v_done = 1;
	return 0;
}
int main(void)
{
	pthread_t t, v;
	pthread_create(&t, 0, t_fn, 0);
	while (!u_started)
		;
	pthread_create(&v, 0, v_fn, 0);
	pthread_join(v, 0);
	pthread_join(t, 0);
	printf("%s\n", gsu && gsu == gsv ? "shared" : "distinct");
	return 0;
}
