/* SPDX-License-Identifier: MIT */
/*
 * The bytes the kernel leaves unwritten in a handler's frame
 * (tests/syscalls/sigframe_gap.t): x86-64 puts the FPU state 64-byte
 * aligned and struct rt_sigframe (return address, ucontext, siginfo) below
 * it at 16n - 8, leaving 16 bytes between the siginfo's end and the FPU
 * state that it never writes. The handler runs on a sigaltstack filled
 * with a pattern and reports whether those 16 bytes still hold it, and
 * whether the FPU state starts right after them. A signal raised by a call
 * (raise) and one that interrupts a loop (a timer) are both checked.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>
#include <sys/mman.h>
#include <sys/time.h>

#define MAP 65536
#define FILL 0x5a
#define GAP 16

static volatile sig_atomic_t ran, untouched, fp_after;

static void handler(int sig, siginfo_t *si, void *ucv)
{
	const unsigned char *gap = (const unsigned char *)si + sizeof(*si);
	const ucontext_t *uc = ucv;
	int same = 1;

	(void)sig;
	for (int i = 0; i < GAP; i++)
		same &= gap[i] == FILL;
	untouched = same;
	fp_after = (const void *)uc->uc_mcontext.fpregs ==
		   (const void *)(gap + GAP);
	ran = 1;
}

static void report(const char *how)
{
	printf("%s: handler ran: %s, the 16 bytes after the siginfo untouched: %s, "
	       "the FPU state after them: %s\n",
	       how, ran ? "yes" : "no", untouched ? "yes" : "no",
	       fp_after ? "yes" : "no");
}

int main(void)
{
	struct sigaction sa;
	struct itimerval it;
	unsigned char *map;
	stack_t ss;

	map = mmap(0, MAP, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		   -1, 0);
	if (map == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	ss.ss_sp = map;
	ss.ss_size = MAP;
	ss.ss_flags = 0;
	if (sigaltstack(&ss, 0)) {
		perror("sigaltstack");
		return 1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = handler;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	sigaction(SIGUSR1, &sa, 0);
	sigaction(SIGALRM, &sa, 0);

	memset(map, FILL, MAP);
	raise(SIGUSR1);
	report("raise");

	memset(map, FILL, MAP);
	ran = 0;
	memset(&it, 0, sizeof(it));
	it.it_value.tv_usec = 1000;
	setitimer(ITIMER_REAL, &it, 0);
	while (!ran)
		;
	report("timer");
	return 0;
}
