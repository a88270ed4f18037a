/* SPDX-License-Identifier: MIT */
/*
 * Path calls whose ENTER record keeps the room of their EXIT in the ring
 * (quickpath.c, ring.c's limen_rec_reserve_pair: open and openat of a
 * plain path on the quick way) while signals come from another process
 * at any point of them: before the call, in the kernel, on the way out.
 * Each signal's handler opens a path of its own ("h") and acknowledges
 * the signal by a byte on a pipe; the sender waits for that byte before
 * the next signal, so that every signal is handled once. The loop opens
 * and closes "f" until SIGNALS were handled (both files in the working
 * directory).
 * Prints "open N handled K": the opens the loop made and the handler runs.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "acksignals.h"

#define SIGNALS 200

static int ack[2] = { -1, -1 };
static volatile sig_atomic_t handled;

static void on_usr1(int sig)
{
	char c = 0;
	int fd = open("h", O_RDONLY);

	(void)sig;
	if (fd >= 0)
		close(fd);
	handled++;
	if (write(ack[1], &c, 1) != 1)
		_exit(3);
}

int main(void)
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
		int fd = open("f", O_RDONLY);

		if (fd < 0)
			return 6;
		close(fd);
		calls++;
	}
	if (waitpid(child, &st, 0) != child || !WIFEXITED(st) ||
	    WEXITSTATUS(st))
		return 5;
	printf("open %ld handled %d\n", calls, (int)handled);
	return 0;
}
