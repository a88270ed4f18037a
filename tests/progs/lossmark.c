/* SPDX-License-Identifier: MIT */
/*
 * lossmark N: getpid() as a start marker, N getppid calls flat out, a pause
 * (which lets limen drain) and getpid() as the end marker. Between the two
 * markers a trace holds exactly 2N + 2 events (an entry and an exit per
 * call, the pause's clock_nanosleep included): tests/syscalls/lost.t counts
 * them, shown or lost.
 */
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 100000;
	struct timespec settle = { 0, 200000000 };

	/* the start marker must not meet a ring still full of startup */
	nanosleep(&settle, NULL);
	syscall(SYS_getpid);
	for (long i = 0; i < n; i++)
		syscall(SYS_getppid);
	syscall(SYS_clock_nanosleep, CLOCK_REALTIME, 0, &settle, NULL);
	syscall(SYS_getpid);
	return 0;
}
