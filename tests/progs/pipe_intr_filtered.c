// SPDX-License-Identifier: MIT
/*
 * pipe_intr_filtered NR: a seccomp filter that kills the process at call
 * NR alone (0: no filter), then a read of an empty pipe that a SIGALRM
 * handler without SA_RESTART ends: "read -1 Interrupted system call".
 * limen tells a pipe's read (strace's ERESTARTSYS) by an fstat the
 * program does not make: under the filter it must make none
 * (tests/syscalls/signal_paths_under_filter.t).
 */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/time.h>
#include <unistd.h>

#include "kill_at.h"

static void h(int s)
{
	(void)s;
}

int main(int argc, char **argv)
{
	struct itimerval it = { { 0, 0 }, { 0, 100000 } };
	struct sigaction a = { .sa_handler = h };
	int fd[2], nr = argc > 1 ? atoi(argv[1]) : 0;
	char c;
	long r;

	sigaction(SIGALRM, &a, 0);
	if (pipe(fd))
		return 1;
	if (nr)
		kill_at(nr);
	setitimer(ITIMER_REAL, &it, 0);
	r = read(fd[0], &c, 1);
	printf("read %ld %s\n", r, r < 0 ? strerror(errno) : "");
	return 0;
}
