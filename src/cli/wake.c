/* SPDX-License-Identifier: MIT */
/*
 * The drain loop's nap, cut short by what it waits for. A signal handler
 * (SIGCHLD: a child ended) only sets a flag; one that arrives while the
 * loop drains, between its look at the flag and the nap, would otherwise
 * be seen only after a whole nap (up to 4 ms), and the end of the command
 * with it. The handler also writes a byte into a pipe that the nap polls:
 * a nap that starts after the signal ends at once.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

static int wake_fd[2] = { -1, -1 };

void limen_wake_init(void)
{
	if (pipe2(wake_fd, O_CLOEXEC | O_NONBLOCK) < 0)
		wake_fd[0] = wake_fd[1] = -1;
}

/* from a signal handler: async-signal-safe, errno kept */
void limen_wake_poke(void)
{
	int e = errno;
	char c = 0;

	if (wake_fd[1] >= 0 && write(wake_fd[1], &c, 1) < 0) {
		/* EAGAIN: the full pipe already holds a wake-up */
	}
	errno = e;
}

/* Sleep for d, or less: until a poke (one made since the last nap too) or
   a signal. */
void limen_wake_nap(const struct timespec *d)
{
	struct pollfd p = { .fd = wake_fd[0], .events = POLLIN };
	char buf[64];

	if (wake_fd[0] < 0) {
		nanosleep(d, NULL);
		return;
	}
	if (ppoll(&p, 1, d, NULL) > 0)
		while (read(wake_fd[0], buf, sizeof(buf)) > 0)
			;
}
