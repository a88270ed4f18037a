/* SPDX-License-Identifier: MIT */
/*
 * Out of memory in limen itself: the collector's tables, a sink's buffers,
 * the arena of records it holds (a tight ulimit -v, a huge trace). This
 * was an abort() at each of some seventy places: limen died of SIGABRT
 * with no word, its status (134) stood for the command's, and a command
 * not yet started never ran (ulimit -v 10000 here).
 *
 * Now limen says so once and stops tracing, and the command runs on as it
 * would without limen: the runtimes are told the collector is gone (the
 * mark the kernel sets on its lock when it dies: a producer waiting for
 * room in its ring stops waiting, the records are dropped and counted),
 * limen's descriptors are closed (an image that starts now finds no
 * session and runs untraced), and limen waits for its children as the
 * tree's subreaper and ends with the command's status. Nothing here
 * allocates.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "session/session.h"
#include "oom.h"

static struct limen_ctl *volatile oom_ctl;
static volatile pid_t oom_command;
static void (*volatile oom_cleanup)(void);
static volatile int oom_once;

void limen_oom_watch(struct limen_ctl *ctl, pid_t command,
		     void (*cleanup)(void))
{
	oom_ctl = ctl;
	oom_command = command;
	oom_cleanup = cleanup;
}

void limen_out_of_memory(void)
{
	static const char msg[] =
		"limen: out of memory: the trace ends here, the command "
		"goes on untraced\n";
	struct rlimit none = { 0, 0 };
	sigset_t set;
	pid_t got;
	int st, status = -1;

	/* a second one (a sink flushing below): the first ends it all */
	if (__atomic_exchange_n(&oom_once, 1, __ATOMIC_ACQ_REL))
		for (;;)
			pause();
	fflush(NULL);
	if (write(2, msg, sizeof(msg) - 1) < 0) {
		/* nowhere to say it */
	}
	if (!oom_command) {
		if (oom_cleanup)
			oom_cleanup();
		_exit(1);
	}
	if (oom_ctl)
		__atomic_or_fetch((uint32_t *)oom_ctl->collector_lock,
				  LIMEN_COLLECTOR_DIED, __ATOMIC_RELEASE);
	syscall(SYS_close_range, 3u, ~0u, 0u);
	for (;;) {
		got = waitpid(-1, &st, 0);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			break;
		if (got == oom_command)
			status = st;
	}
	if (status == -1 || WIFEXITED(status)) {
		if (oom_cleanup)
			oom_cleanup();
		_exit(status == -1 ? 1 : WEXITSTATUS(status));
	}
	/* killed: as the command was, with no core of limen's */
	if (oom_cleanup)
		oom_cleanup();
	setrlimit(RLIMIT_CORE, &none);
	signal(WTERMSIG(status), SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, WTERMSIG(status));
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	kill(getpid(), WTERMSIG(status));
	_exit(128 + WTERMSIG(status));
}
