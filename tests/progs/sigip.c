// SPDX-License-Identifier: MIT
/*
 * -i on signal lines: a signal delivered at a call's return (kill of
 * itself: where the call returns) and one raised by an instruction (a
 * store to address 0: the instruction itself).
 */
#include <signal.h>
#include <string.h>
#include <unistd.h>

static void on_usr1(int sig)
{
	(void)sig;
}

static void on_segv(int sig)
{
	(void)sig;
	_exit(0);
}

int main(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_handler = on_segv;
	sigaction(SIGSEGV, &sa, NULL);
	kill(getpid(), SIGUSR1);
	*(volatile int *)0 = 1;
	return 1;
}
