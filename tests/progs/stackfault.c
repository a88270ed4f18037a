/* SPDX-License-Identifier: MIT */
/* -k under a fatal signal's line (tests/cli/stack_signal.t): a getpid,
   then a load from address 8 in limen_k_faulter, SIGSEGV's default
   action kills */
#include <unistd.h>

__attribute__((noinline)) int limen_k_faulter(volatile int *p);
__attribute__((noinline)) int limen_k_faulter(volatile int *p)
{
	return *p + 1;
}

int main(void)
{
	getpid();
	return limen_k_faulter((volatile int *)8);
}
