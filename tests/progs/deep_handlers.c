/* SPDX-License-Identifier: MIT */
/*
 * Handlers nested until the main stack reaches its limit
 * (tests/syscalls/deep_handlers.t): an SA_NODEFER handler raises its own
 * signal again, each frame below the last, with RLIMIT_STACK set 128 KiB
 * below where the program stands. The kernel grows the stack for each
 * frame until its size, counted from the top of its mapping, would pass
 * the limit; then it forces SIGSEGV, which the program's handler takes
 * on its alternate stack. Run it with a large environment: the strings
 * lie above where the stack started, inside the mapping.
 * LIMEN_TEST_KILLNR=NR: then a seccomp filter that kills the process at
 * call NR alone (one the program does not make after it).
 */
#include <signal.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>

#include "kill_at.h"

static volatile long depth;

static void segv(int sig)
{
	(void)sig;
	(void)!write(1, "SIGSEGV handler ran\n", 20);
	_exit(0);
}

static void nest(int sig)
{
	depth++;
	raise(sig);
}

/* the end of the [stack] mapping */
static unsigned long stack_end(void)
{
	char line[256];
	unsigned long lo, hi = 0;
	FILE *f = fopen("/proc/self/maps", "r");

	while (f && fgets(line, sizeof(line), f))
		if (strstr(line, "[stack]") &&
		    sscanf(line, "%lx-%lx", &lo, &hi) == 2)
			break;
	if (f)
		fclose(f);
	return hi;
}

int main(void)
{
	static char alt[65536];
	stack_t ss = { .ss_sp = alt, .ss_size = sizeof(alt) };
	struct sigaction a, b;
	struct rlimit rl;
	char here;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	a.sa_handler = segv;
	a.sa_flags = SA_ONSTACK;
	b.sa_handler = nest;
	b.sa_flags = SA_NODEFER;
	sigaltstack(&ss, 0);
	sigaction(SIGSEGV, &a, 0);
	sigaction(SIGUSR1, &b, 0);
	getrlimit(RLIMIT_STACK, &rl);
	rl.rlim_cur = stack_end() - (unsigned long)&here + 131072;
	setrlimit(RLIMIT_STACK, &rl);
	if (getenv("LIMEN_TEST_KILLNR"))
		kill_at(atoi(getenv("LIMEN_TEST_KILLNR")));
	raise(SIGUSR1);
	printf("returned\n");
	return 0;
}
