/* SPDX-License-Identifier: MIT */
/*
 * A child that sends n SIGUSR1 to its parent, each once the parent's
 * handler has acknowledged the one before by a byte on the pipe ack_rd
 * reads (pair_signals.c, path_pair_signals.c): every signal is handled
 * once, at whatever point of the parent's calls it lands. Returns the
 * child's pid, or -1.
 */
#ifndef LIMEN_TEST_ACKSIGNALS_H
#define LIMEN_TEST_ACKSIGNALS_H

#include <signal.h>
#include <unistd.h>

static pid_t ack_signaller(int ack_rd, int n)
{
	pid_t parent = getpid(), child = fork();

	if (child == 0) {
		char c;

		for (int k = 0; k < n; k++) {
			if (kill(parent, SIGUSR1) < 0 ||
			    read(ack_rd, &c, 1) != 1)
				_exit(4);
		}
		_exit(0);
	}
	return child;
}

#endif
