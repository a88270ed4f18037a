/* SPDX-License-Identifier: MIT */
/*
 * timerstorm N: N getppid calls while a 50 us interval timer runs a handler
 * that makes a call of its own, so that handlers land inside the runtime's
 * record reservations, tiny rings full or not. Prints the calls made by
 * the loop and by the handler.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

static volatile long handled;

static void on_alarm(int sig)
{
	(void)sig;
	syscall(SYS_getpid);
	handled++;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 100000;
	struct itimerval it = { { 0, 50 }, { 0, 50 } }, off;
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
	for (long i = 0; i < n; i++)
		syscall(SYS_getppid);
	memset(&off, 0, sizeof(off));
	setitimer(ITIMER_REAL, &off, NULL);
	printf("%ld %ld\n", n, handled);
	return 0;
}
