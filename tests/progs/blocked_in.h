/* SPDX-License-Identifier: MIT */
/*
 * wait_blocked_in(tid, nr): return once thread tid of this process sleeps
 * in system call nr, as its /proc/self/task/TID/syscall tells ("NR args
 * sp pc" while blocked in a call, "running" or -1 otherwise). A test that
 * wants a thread inside a call before it acts (exit_group, execve, a
 * cancel) orders on that, not on a sleep: on a busy machine a thread
 * released 20 ms ago may not have run yet. Exits 4 if the file cannot be
 * read, rather than wait forever.
 */
#ifndef LIMEN_TEST_BLOCKED_IN_H
#define LIMEN_TEST_BLOCKED_IN_H

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void wait_blocked_in(pid_t tid, long nr)
{
	char path[64], want[24], buf[128];
	struct timespec poll = { 0, 1000 * 1000 };

	snprintf(path, sizeof(path), "/proc/self/task/%d/syscall", (int)tid);
	snprintf(want, sizeof(want), "%ld ", nr);
	for (;;) {
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		ssize_t n;

		if (fd < 0)
			exit(4);
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n < 0)
			exit(4);
		buf[n] = 0;
		if (!strncmp(buf, want, strlen(want)))
			return;
		nanosleep(&poll, NULL);
	}
}

#endif
