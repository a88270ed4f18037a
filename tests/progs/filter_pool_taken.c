/* SPDX-License-Identifier: MIT */
/*
 * Under a filter of its own, a thread ends (its ring retired to the pool,
 * its slot freed by the collector), then a fork child takes that slot; 20
 * threads started after must not wait for it (it is never ours again):
 * prints the slowest thread start. tests/syscalls/filter_pool_taken.t.
 */
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
static volatile int stop;
static void *quick(void *a) { (void)a; return 0; }
static double born[20], lag[20];
static double now(void);
static void *worker(void *a) { long i = (long)a; lag[i] = now() - born[i]; while (!stop) usleep(1000); return 0; }
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }
int main(int argc, char **argv)
{
	int dofork = argc > 1 && atoi(argv[1]);
	struct sock_filter fl[] = { BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW) };
	struct sock_fprog p = { 1, fl };
	pthread_t q, t[20];
	pid_t c = 0;
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &p);
	pthread_create(&q, 0, quick, 0); pthread_join(q, 0);
	usleep(200000); /* the collector frees the quick thread's slot */
	if (dofork && !(c = fork())) { sleep(4); _exit(0); }
	usleep(200000);
	double worst = 0;
	for (int i = 0; i < 20; i++) { born[i] = now(); pthread_create(&t[i], 0, worker, (void *)(long)i); }
	usleep(1500000);
	stop = 1;
	for (int i = 0; i < 20; i++) pthread_join(t[i], 0);
	if (c) kill(c, 9), waitpid(c, 0, 0);
	for (int i = 0; i < 20; i++) if (lag[i] > worst) worst = lag[i];
	printf("slowest thread start %.3f s\n", worst);
	return 0;
}
