/* SPDX-License-Identifier: MIT */
/*
 * A clone and a clone3 whose lines are split by their child's: each is
 * made with CLONE_VFORK, so the parent's call returns only once the child
 * (which makes a getpid of its own) has exited, and every tracer shows the
 * parent's call <unfinished ...> around the child's lines. With
 * CLONE_PARENT_SETTID, strace shows what clone wrote back at the resumed
 * half (tests/oracle/split_calls.t compares both tracers' lines).
 */
#include <linux/sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rawsys.h"

static void wait_child(long pid)
{
	int st;

	if (pid > 0)
		waitpid((pid_t)pid, &st, 0);
}

int main(void)
{
	int ptid = 0;
	long pid;
	struct clone_args ca = { 0 };

	/* clone(flags, stack, parent_tid, child_tid, tls): the child has a
	   copy of our memory (no CLONE_VM), so it may use our stack */
	pid = raw4(SYS_clone, CLONE_VFORK | CLONE_PARENT_SETTID | SIGCHLD, 0,
		   (long)&ptid, 0);
	if (pid == 0) {
		raw3(SYS_getpid, 0, 0, 0);
		raw3(SYS_exit, 0, 0, 0);
	}
	wait_child(pid);
	ca.flags = CLONE_VFORK | CLONE_PARENT_SETTID;
	ca.parent_tid = (uint64_t)(uintptr_t)&ptid;
	ca.exit_signal = SIGCHLD;
	pid = raw3(SYS_clone3, (long)&ca, sizeof(ca), 0);
	if (pid == 0) {
		raw3(SYS_getpid, 0, 0, 0);
		raw3(SYS_exit, 0, 0, 0);
	}
	wait_child(pid);
	printf("split_clone: %s\n", pid > 0 && ptid == pid ? "ok" : "failed");
	return pid > 0 && ptid == pid ? 0 : 1;
}
