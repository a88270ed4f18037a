/* SPDX-License-Identifier: MIT */
/*
 * A fatal signal (SIGTERM, default action) sent to a process sleeping in
 * vfork kills it at once, before its child execs or exits: the child sends
 * it, then waits on a pidfd of its parent (5 s at most) and says whether
 * the parent died meanwhile. tests/syscalls/vfork_fatal.t.
 */
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

int main(void)
{
	pid_t parent = getpid();
	long fd = syscall(SYS_pidfd_open, parent, 0);

	if (fd < 0) {
		printf("no pidfd\n");
		return 0;
	}
	if (vfork() == 0) {
		struct pollfd p = { (int)fd, POLLIN, 0 };
		int r;

		syscall(SYS_kill, parent, SIGTERM);
		r = poll(&p, 1, 5000);
		if (r == 1)
			(void)!write(1, "the parent died first\n", 22);
		else
			(void)!write(1, "the parent lived on\n", 20);
		_exit(0);
	}
	printf("the parent survived\n");
	return 0;
}
