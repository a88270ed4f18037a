/* SPDX-License-Identifier: MIT */
/*
 * Faults inside signal handlers that run on a sigaltstack and make calls
 * through one site often enough for it to be rewritten:
 *   fault_in_handler usr1     a SIGUSR1 handler reads a bad pointer; the
 *                             SIGSEGV handler reports and exits 7
 *   fault_in_handler nodefer  an SA_NODEFER SIGSEGV handler faults again
 *                             inside itself, three levels deep, then exits 7
 *   fault_in_handler defer    a SIGSEGV handler without SA_NODEFER faults
 *                             inside itself: the kernel kills with SIGSEGV
 * Each level prints the faulting address and whether it runs on the
 * alternate stack.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define ALT_SIZE (64 * 1024)

static char alt[ALT_SIZE] __attribute__((aligned(16)));
static volatile int depth;
static int again;

static void calls(void)
{
	for (int i = 0; i < 5; i++)
		if (getppid() <= 0)
			_exit(2);
}

static void segv(int sig, siginfo_t *si, void *uc)
{
	char b[96];
	int n;

	(void)sig;
	(void)uc;
	n = snprintf(b, sizeof(b), "SIGSEGV at depth %d, address %p, %s\n",
		     depth, si->si_addr,
		     (char *)&n >= alt && (char *)&n < alt + ALT_SIZE ?
			     "on the alternate stack" : "elsewhere");
	calls();
	if (write(1, b, (size_t)n) < 0)
		_exit(2);
	if (again && depth++ < 3) {
		/* a fault in here: the handler again, or the kernel's kill */
		n = *(volatile int *)(uintptr_t)(0x100 + depth * 8);
		return;
	}
	_exit(7);
}

static void usr1(int sig)
{
	(void)sig;
	calls();
	*(volatile int *)(uintptr_t)0x40 = 1;
}

int main(int argc, char **argv)
{
	stack_t ss = { .ss_sp = alt, .ss_size = ALT_SIZE, .ss_flags = 0 };
	struct sigaction sa;
	const char *mode = argc > 1 ? argv[1] : "usr1";

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = segv;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	if (!strcmp(mode, "nodefer"))
		sa.sa_flags |= SA_NODEFER;
	again = strcmp(mode, "usr1") != 0;
	if (sigaltstack(&ss, NULL) < 0 || sigaction(SIGSEGV, &sa, NULL) < 0)
		return 6;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = usr1;
	sa.sa_flags = SA_ONSTACK;
	if (sigaction(SIGUSR1, &sa, NULL) < 0)
		return 6;
	calls();
	if (!strcmp(mode, "usr1"))
		raise(SIGUSR1);
	return *(volatile int *)(uintptr_t)0x10;
}
