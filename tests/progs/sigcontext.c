/* SPDX-License-Identifier: MIT */
/*
 * What a handler does with the interrupted context must be honoured:
 * changing the ucontext's rip (skip a ud2), adding to its uc_sigmask (the
 * mask after rt_sigreturn), and leaving for good with siglongjmp, both out
 * of a handler that interrupted the program's own code (SIGILL) and one
 * that interrupted a blocking read(), hundreds of times (whatever limen
 * keeps while a handler runs must not pile up).
 */
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>

#define ROUNDS 300

static sigjmp_buf jb;
static volatile int skipped, jumps;
static int p[2];

static void on_ill(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;

	uc->uc_mcontext.gregs[REG_RIP] += 2; /* ud2 */
	skipped++;
}

static void on_usr1(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;

	sigaddset(&uc->uc_sigmask, SIGUSR2);
}

static void on_segv(int sig)
{
	siglongjmp(jb, 1);
}

static void on_usr2(int sig)
{
	siglongjmp(jb, 2);
}

static volatile pid_t main_tid;

/* Send SIGUSR2 to the main thread each time it blocks in read (syscall 0). */
static void *kicker(void *arg)
{
	pthread_t m = *(pthread_t *)arg;
	char path[64], buf[64];

	snprintf(path, sizeof path, "/proc/self/task/%d/syscall", main_tid);
	for (int i = 0; i < ROUNDS; i++) {
		for (int k = 0; k < 100000; k++) {
			FILE *f = fopen(path, "r");
			int n = 0;

			if (f) {
				n = fread(buf, 1, sizeof buf - 1, f);
				fclose(f);
			}
			buf[n > 0 ? n : 0] = 0;
			if (!strncmp(buf, "0 ", 2))
				break;
			sched_yield();
		}
		pthread_kill(m, SIGUSR2);
		while (jumps <= i)
			sched_yield();
	}
	return NULL;
}

int main(void)
{
	struct sigaction sa;
	sigset_t cur;
	pthread_t t, self = pthread_self();
	volatile int i;
	char c;

	setvbuf(stdout, NULL, _IONBF, 0);
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_ill;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGILL, &sa, NULL);
	sa.sa_sigaction = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_flags = 0;
	sa.sa_handler = on_segv;
	sigaction(SIGSEGV, &sa, NULL);
	sa.sa_handler = on_usr2;
	sigaction(SIGUSR2, &sa, NULL);

	__asm__ volatile("ud2");
	printf("rip moved past ud2 by the handler: %s\n",
	       skipped == 1 ? "yes" : "no");

	raise(SIGUSR1);
	sigprocmask(SIG_BLOCK, NULL, &cur);
	printf("SIGUSR2 blocked after the handler added it: %s\n",
	       sigismember(&cur, SIGUSR2) ? "yes" : "no");
	sigprocmask(SIG_UNBLOCK, &cur, NULL);

	for (i = 0; i < ROUNDS; i++)
		if (!sigsetjmp(jb, 1))
			*(volatile int *)8 = 1;
	printf("siglongjmp out of SIGSEGV: %d rounds\n", i);

	if (pipe(p))
		return 1;
	main_tid = gettid();
	pthread_create(&t, NULL, kicker, &self);
	for (i = 0; i < ROUNDS; i++) {
		if (!sigsetjmp(jb, 1)) {
			if (read(p[0], &c, 1) >= 0)
				printf("read returned\n");
		}
		jumps = i + 1;
	}
	pthread_join(t, NULL);
	printf("siglongjmp out of a blocking read: %d rounds\n", i);
	return 0;
}
