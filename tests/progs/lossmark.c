/* SPDX-License-Identifier: MIT */
/*
 * lossmark N: getpid() as a start marker, N getppid calls flat out, a pause
 * (which lets limen drain) and getpid() as the end marker. Between the two
 * markers a trace holds exactly 2N + 2 events (an entry and an exit per
 * call, the pause's clock_nanosleep included): tests/syscalls/lost.t counts
 * them, shown or lost. lossmark N end [GOFILE]: no pause and no end
 * marker, the process ends right after the loop: 2N + 1 events
 * (exit_group's entry); with GOFILE, the loop starts once it exists.
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
	/* lossmark N end GOFILE: start only once GOFILE exists (the test
	   stops limen first, so that the loop fills the ring for good) */
	if (argc > 3) {
		struct timespec tick = { 0, 10000000 };

		while (access(argv[3], F_OK) != 0)
			nanosleep(&tick, NULL);
	}
	syscall(SYS_getpid);
	for (long i = 0; i < n; i++)
		syscall(SYS_getppid);
	/* "end": no pause, no end marker: the process ends (exit_group)
	   with its ring as full as the loop left it */
	if (argc > 2 && argv[2][0] == 'e')
		syscall(SYS_exit_group, 0);
	syscall(SYS_clock_nanosleep, CLOCK_REALTIME, 0, &settle, NULL);
	syscall(SYS_getpid);
	return 0;
}
