/* SPDX-License-Identifier: MIT */
/* Print which of a few signals the mask it started with blocks. */
#include <signal.h>
#include <stdio.h>

int main(void)
{
	sigset_t s;

	sigprocmask(SIG_BLOCK, NULL, &s);
	printf("SIGSYS %d SIGUSR1 %d SIGINT %d\n", sigismember(&s, SIGSYS),
	       sigismember(&s, SIGUSR1), sigismember(&s, SIGINT));
	return 0;
}
