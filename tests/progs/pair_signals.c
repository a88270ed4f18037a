/* SPDX-License-Identifier: MIT */
/*
 * Calls whose entry keeps the room of their exit in the ring (ring.c,
 * limen_rec_sys_pair: getppid, getpid, pause...) while signals come from
 * another process at any point of them: before the call, in the kernel,
 * on the way out. Each signal's handler makes such a call of its own
 * (getpid) and acknowledges the signal by a byte on a pipe; the sender
 * waits for that byte before the next signal, so that every signal is
 * handled once. The loop of getppid ends once SIGNALS were handled; then
 * the program writes its pid to the file given as argument, if any, and
 * waits in pause() for one more SIGUSR1 (tests/collector/exit_room.t sends
 * it once the trace shows the pause under way).
 * Prints "getppid N handled K": the calls the loop made and the handler
 * runs.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "acksignals.h"

#define SIGNALS 200

static int ack[2] = { -1, -1 };
static volatile sig_atomic_t handled;

static void on_usr1(int sig)
{
	char c = 0;

	(void)sig;
	syscall(SYS_getpid);
	handled++;
	if (ack[1] >= 0 && write(ack[1], &c, 1) != 1)
		_exit(3);
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_usr1, .sa_flags = SA_RESTART };
	pid_t child;
	long calls = 0;
	int st;

	if (pipe(ack) < 0 || sigaction(SIGUSR1, &sa, NULL) < 0)
		return 2;
	child = ack_signaller(ack[0], SIGNALS);
	if (child < 0)
		return 2;
	while (handled < SIGNALS) {
		syscall(SYS_getppid);
		calls++;
	}
	if (waitpid(child, &st, 0) != child || !WIFEXITED(st) ||
	    WEXITSTATUS(st))
		return 5;
	printf("getppid %ld handled %d\n", calls, (int)handled);
	fflush(stdout);
	if (argc > 1) {
		FILE *f = fopen(argv[1], "w");

		close(ack[1]);
		ack[1] = -1;
		if (!f || fprintf(f, "%d\n", (int)getpid()) < 0 || fclose(f))
			return 6;
		while (handled == SIGNALS)
			pause();
	}
	return 0;
}
