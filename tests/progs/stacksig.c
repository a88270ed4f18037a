/* SPDX-License-Identifier: MIT */
/*
 * -k in a signal handler (tests/cli/stack_signal.t): a getpid made in a
 * SIGUSR1 handler, whose stack goes handler -> the program's restorer ->
 * raise -> limen_k_raiser -> main, and the getpid before it in
 * limen_k_raiser itself.
 */
#include <signal.h>
#include <unistd.h>

static void handler(int sig)
{
	(void)sig;
	getpid();
}

__attribute__((noinline)) void limen_k_raiser(void);
__attribute__((noinline)) void limen_k_raiser(void)
{
	getpid();
	raise(SIGUSR1);
	__asm__ volatile("" ::: "memory");
}

int main(void)
{
	signal(SIGUSR1, handler);
	limen_k_raiser();
	return 0;
}
