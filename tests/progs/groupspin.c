/* SPDX-License-Identifier: MIT */
/*
 * A signal sent to the process (kill) while only one thread does not block
 * it must reach that thread, whatever it is doing: here it spins making
 * system calls. The main thread blocks SIG and waits; a worker unblocks it
 * and calls getppid until the handler ran; a killer thread (main's mask:
 * SIG blocked) does kill(getpid(), SIG). limen owns SIGSEGV, SIGBUS and
 * SIGTRAP (never really blocked, src/runtime/owned.c): the kernel may hand
 * one to the killer or the main thread, which pass it back to the process,
 * and every trapped call of the worker is a signal delivery of its own. For
 * tests/syscalls/group_owned_signal.t. Two more threads with SIG blocked
 * end as the killer does, while the signal finds its thread: each is one
 * more thread that the kernel may hand it to while it ends.
 *   groupspin SIG ROUNDS   ROUNDS times over; prints how many rounds the
 *       handler ran in, and in which thread; a round whose signal is lost
 *       waits 5 s at most and ends the program with status 1.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define LOST_S 5 /* a round's signal is lost after this long */
#define ENDERS 2

static int sig;
static volatile sig_atomic_t got, by_worker;
static __thread int is_worker;

static void on_sig(int s, siginfo_t *si, void *uc)
{
	(void)uc;
	by_worker = is_worker && si->si_code == SI_USER &&
		    si->si_pid == getpid();
	got = s;
}

static void *worker(void *arg)
{
	sigset_t set;

	(void)arg;
	is_worker = 1;
	sigemptyset(&set);
	sigaddset(&set, sig);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	while (!got)
		getppid();
	return NULL;
}

/* a thread (SIG blocked, from main) that ends at once, as the killer does */
static void *ender(void *arg)
{
	return arg;
}

static void *killer(void *arg)
{
	(void)arg;
	kill(getpid(), sig);
	return NULL;
}

int main(int argc, char **argv)
{
	struct timespec tick = { 0, 100000 };
	struct sigaction sa;
	pthread_t w, k, ends[ENDERS];
	sigset_t set;
	int rounds, ran = 0, in_worker = 0;

	if (argc < 3)
		return 2;
	sig = atoi(argv[1]);
	rounds = atoi(argv[2]);
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sig;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigaction(sig, &sa, NULL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	for (int r = 0; r < rounds; r++) {
		struct timespec start, now;

		got = 0;
		by_worker = 0;
		/* the killer first every other round: the worker has not
		   unblocked SIG yet, and the signal waits for it */
		if ((r & 1) ? (pthread_create(&k, NULL, killer, NULL) ||
				pthread_create(&w, NULL, worker, NULL)) :
			       (pthread_create(&w, NULL, worker, NULL) ||
				pthread_create(&k, NULL, killer, NULL)))
			return 2;
		for (int e = 0; e < ENDERS; e++)
			if (pthread_create(&ends[e], NULL, ender, NULL))
				return 2;
		/* bounded: a lost signal ends the program */
		clock_gettime(CLOCK_MONOTONIC, &start);
		do {
			nanosleep(&tick, NULL);
			clock_gettime(CLOCK_MONOTONIC, &now);
		} while (!got && now.tv_sec - start.tv_sec < LOST_S);
		if (!got) {
			printf("round %d: the handler did not run\n", r);
			fflush(stdout);
			_exit(1);
		}
		pthread_join(k, NULL);
		for (int e = 0; e < ENDERS; e++)
			pthread_join(ends[e], NULL);
		pthread_join(w, NULL);
		ran++;
		in_worker += by_worker;
	}
	sigpending(&set);
	printf("handled in %d of %d rounds, in the spinning thread %d; "
	       "pending after: %d\n", ran, rounds, in_worker,
	       sigismember(&set, sig));
	return 0;
}
