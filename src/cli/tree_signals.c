/* SPDX-License-Identifier: MIT */
/*
 * Signals that reach limen because it stands where the command would.
 *
 * limen is the command's parent and shares its process group. A command
 * that signals its own group (kill(0, sig): a shell's `kill 0`, a
 * supervisor ending its workers) signals limen too, and one that signals
 * its parent signals limen instead of whoever started it. Bare, no
 * tracer got either; the command gets its own copy of a group's. At the
 * default action most signals end a process (SIGHUP, SIGTERM, SIGUSR1,
 * SIGALRM, the real-time ones...), and limen died of them with the trace
 * unwritten, its exit status in place of the command's.
 *
 * So a signal whose sender is in the traced tree (si_pid, for one a
 * process sent: SI_USER, SI_QUEUE, SI_TKILL; a descendant of limen, which
 * as the tree's subreaper is every traced process's ancestor) is
 * ignored: SIGTERM and SIGHUP as well (main.c, on_stop), and the flight
 * recorder's SIGUSR1. One from a process of limen's own group that is not
 * of the tree (the one that started limen, `timeout --foreground -s
 * USR1`) is meant for the command: it is relayed to it, and limen ends
 * when the command does, of what ended it. One from outside the group is
 * ignored: sent to the group, it reaches the command itself. SIGTERM and
 * SIGHUP from elsewhere still stop limen (main.c), as strace.
 *
 * The core-dumping signals and the faults are left at their default: a
 * fault of limen's own must still end it.
 */
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cli.h"

#define TREE_DEPTH 64 /* ancestors looked at, at most */

/* The parent of pid, from /proc/PID/stat (a zombie's too); 0 if it is
   gone. Only async-signal-safe calls: it runs in handlers. */
static pid_t parent_of(pid_t pid)
{
	char path[32] = "/proc/", num[16], buf[512], *p;
	int n = 0, fd;
	ssize_t got;
	long ppid = 0;
	size_t at = strlen(path);

	do
		num[n++] = (char)('0' + pid % 10);
	while ((pid /= 10) && n < (int)sizeof(num));
	while (n)
		path[at++] = num[--n];
	memcpy(path + at, "/stat", 6);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	got = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (got <= 0)
		return 0;
	buf[got] = 0;
	/* "pid (comm) S ppid ...": comm may hold anything, ')' too */
	p = strrchr(buf, ')');
	if (!p || p[1] != ' ' || !p[2] || p[3] != ' ')
		return 0;
	for (p += 4; *p >= '0' && *p <= '9' && ppid < (1L << 30); p++)
		ppid = ppid * 10 + (*p - '0');
	return (pid_t)ppid;
}

int limen_from_the_tree(const siginfo_t *si)
{
	pid_t me = getpid(), p;

	if (si->si_code != SI_USER && si->si_code != SI_QUEUE &&
	    si->si_code != SI_TKILL)
		return 0;
	p = si->si_pid;
	if (p <= 1 || p == me)
		return 0;
	/* gone already: reaped by its own parent (a `kill 0` of xargs's
	   child, which the signal ends): the caller asks the collector */
	if (!(p = parent_of(p)))
		return -1;
	for (int depth = 0; depth < TREE_DEPTH && p > 1 && p != me; depth++)
		p = parent_of(p);
	return p == me;
}

/* bit sig - 1: relayed to the command by the drain loop */
static uint64_t relay_pending;
static pid_t collector; /* limen's pid: the handlers are limen's there */

/*
 * These handlers are not reset in the command's child between its fork
 * and its exec (spawn.c, limen_spawn_caught: a call each, 44 where there
 * were 8, tests/collector/fixed_cost.t); the exec resets them. A signal
 * that comes in that window finds the child by its pid and acts as the
 * default would: the child ends of it, as the command would have.
 */
static void on_relay(int sig, siginfo_t *si, void *uc)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	pid_t me = getpid();

	(void)uc;
	if (me != collector) {
		sigemptyset(&dfl.sa_mask);
		sigaction(sig, &dfl, NULL);
		/* blocked in this handler: delivered at its return */
		syscall(SYS_tgkill, me, syscall(SYS_gettid), sig);
		return;
	}
	/* from the tree, or from outside limen's process group: a group's
	   signal (kill -USR1 -PGID) reaches the command itself, and passed
	   on too it ran the command's handler twice (a torture run: 8 of
	   10 runs). Only a sender of limen's own group that is not of the
	   tree (the one that started limen: timeout --foreground -s USR1)
	   signals limen for the command. */
	if (limen_from_the_tree(si) || si->si_code > 0 ||
	    getpgid(si->si_pid) != getpgrp())
		return;
	__atomic_or_fetch(&relay_pending, 1ull << (sig - 1), __ATOMIC_RELEASE);
	limen_wake_poke();
}

/* The signals that end a process at their default without a core, but
   those main.c catches itself (SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGPIPE;
   SIGUSR1 when skip says so) and SIGXFSZ (session.c: a trace past
   RLIMIT_FSIZE is an error of limen's own). */
static int relayed(int sig, int skip_usr1)
{
	switch (sig) {
	case SIGUSR1:
		return !skip_usr1;
	case SIGUSR2:
	case SIGALRM:
	case SIGVTALRM:
	case SIGPROF:
	case SIGIO:
	case SIGPWR:
	case SIGSTKFLT:
		return 1;
	}
	return sig >= SIGRTMIN && sig <= SIGRTMAX;
}

void limen_relay_catch(int skip_usr1)
{
	struct sigaction sa = { .sa_sigaction = on_relay,
				.sa_flags = SA_SIGINFO | SA_RESTART }, cur;

	collector = getpid();
	sigemptyset(&sa.sa_mask);
	for (int sig = 1; sig < NSIG; sig++) {
		if (!relayed(sig, skip_usr1) || sigaction(sig, &sa, &cur) != 0)
			continue;
		/* one the caller ignores stays ignored, for the command too
		   (a call more only then) */
		if (cur.sa_handler != SIG_DFL || (cur.sa_flags & SA_SIGINFO))
			sigaction(sig, &cur, NULL);
	}
}

void limen_relay_take(pid_t child)
{
	uint64_t m = __atomic_exchange_n(&relay_pending, 0, __ATOMIC_ACQUIRE);

	for (int sig = 1; m && sig <= 64; sig++, m >>= 1)
		if ((m & 1) && child > 0)
			kill(child, sig);
}
