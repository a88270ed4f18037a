/* SPDX-License-Identifier: MIT */
/*
 * Signals that land anywhere on the way in and out of a rewritten call
 * site (src/runtime/arch/x86_64/fast.S): a thread loops on a getppid
 * site of its own (`mov $110,%eax; syscall`, rewritten once hot) with
 * canaries in every register the kernel's `syscall` keeps, while a timer
 * sends it SIGUSR1s whose handler only counts. Each call must
 * return the parent's pid and leave every canary as it was: a signal that
 * found limen's half-done state (the number out of rax while the lean
 * path restores the flags, the way out's pushfq word on the stack) and
 * resumed from it makes another call, or returns with a register or the
 * stack pointer wrong.
 *   fastsig N [df]   N signals; prints "signals N, bad calls 0"; df:
 *                    with the direction flag set around each call (the
 *                    way out puts it back with std, not popfq)
 * The signals come from a timer of the loop's own thread (tick_start,
 * tests/progs/tick.h) every 200 us, not from another thread waiting for
 * each handler: that wait needs the loop scheduled once per signal, and
 * on a busy machine 1500 of them took minutes.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "canary_site.h"
#include "tick.h"

static volatile sig_atomic_t handled;
static long df;
static volatile long bad, calls;
static long ppid;
static int n;

static void on_usr1(int sig)
{
	(void)sig;
	handled++;
}

static void *loop(void *arg)
{
	long k = 0x5a5a0000;

	(void)arg;
	/* the site hot (rewritten after its second trap) first */
	for (; calls < 100; k += 16) {
		if (site_ppid(k, df) != ppid)
			bad++;
		calls++;
	}
	tick_start(SIGUSR1);
	for (; handled < n; k += 16) {
		if (site_ppid(k, df) != ppid)
			bad++;
		calls++;
	}
	tick_stop();
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t;

	if (argc != 2 && !(argc == 3 && !strcmp(argv[2], "df"))) {
		fprintf(stderr, "usage: fastsig N [df]\n");
		return 2;
	}
	df = argc == 3;
	n = atoi(argv[1]);
	ppid = getppid();
	signal(SIGUSR1, on_usr1);
	if (pthread_create(&t, NULL, loop, NULL))
		return 2;
	pthread_join(t, NULL);
	fprintf(stderr, "site ppid %02x\n",
		*(volatile const unsigned char *)site_ppid_mov);
	/* (a few more may land between the last check and tick_stop) */
	printf("signals %d, bad calls %ld\n", handled >= n ? n : (int)handled,
	       bad);
	return 0;
}
