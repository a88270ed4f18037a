/* SPDX-License-Identifier: MIT */
/*
 * The mask an SA_NODEFER handler of SIGUSR1 runs with, as it reads it
 * (tests/syscalls/nodefer_storm.t): delivered inside a sigsuspend and a
 * pselect whose masks unblock it while the saved mask blocks it (the
 * handler runs with it unblocked), with sa_mask naming it (blocked), and
 * plainly (unblocked).
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/select.h>
#include <unistd.h>

static unsigned long seen;

static void h(int sig)
{
	sigset_t m;

	(void)sig;
	sigprocmask(SIG_BLOCK, 0, &m);
	memcpy(&seen, &m, sizeof(seen));
}

static void say(const char *how)
{
	printf("%s: SIGUSR1 %s in its handler\n", how,
	       seen & (1ul << (SIGUSR1 - 1)) ? "blocked" : "unblocked");
}

int main(void)
{
	struct sigaction a;
	sigset_t usr1, none;
	struct timespec ts = { 1, 0 };

	memset(&a, 0, sizeof(a));
	a.sa_handler = h;
	a.sa_flags = SA_NODEFER;
	sigaction(SIGUSR1, &a, 0);
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigemptyset(&none);

	sigprocmask(SIG_BLOCK, &usr1, 0);
	raise(SIGUSR1);
	sigsuspend(&none);
	say("sigsuspend");
	raise(SIGUSR1);
	pselect(0, 0, 0, 0, &ts, &none);
	say("pselect");
	sigprocmask(SIG_UNBLOCK, &usr1, 0);

	sigaddset(&a.sa_mask, SIGUSR1);
	sigaction(SIGUSR1, &a, 0);
	raise(SIGUSR1);
	say("sa_mask names it");
	sigemptyset(&a.sa_mask);
	sigaction(SIGUSR1, &a, 0);
	raise(SIGUSR1);
	say("plain");
	return 0;
}
