/* SPDX-License-Identifier: MIT */
/*
 * A signal the process sends itself (kill) while every thread blocks it is
 * pending at once, for every way of looking: without limen, the kernel
 * queues it before kill() returns. limen's own signals (SIGSEGV, SIGBUS,
 * SIGTRAP: src/runtime/owned.c) are never really blocked, so the kernel may
 * hand one to a second thread that blocks it only in limen's view, which
 * puts it back; meanwhile it must still count as pending
 * (src/runtime/owned_transit.c). For tests/syscalls/owned_inflight.t.
 *
 *   owned_inflight MODE SIG ROUNDS
 *
 * Each round starts a thread that blocks SIG (as the main thread does;
 * a new one has never passed it on yet), kill()s the process, and looks:
 *   pending    sigpending has it
 *   timedwait  sigtimedwait with a zero timeout takes it
 *   signalfd   a read of a signalfd for SIG takes it
 *   unblock    unblocking it runs the handler before pthread_sigmask
 *              returns, in the main thread
 * then takes what is left (sigtimedwait) and ends the thread. It prints
 * the rounds that missed it: 0 without limen. alarm(20) ends a lost one.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int sig, ready[2];
static volatile sig_atomic_t got, by_main;

static void on_sig(int s)
{
	got = s;
	by_main = gettid() == getpid();
}

static volatile int stop;

/* The round's second thread: it blocks sig and makes child processes
 * (vfork) until the round ends: limen blocks every signal for real while
 * it waits for each child, so that the kill may find it blocking sig for
 * a moment and the signal comes to it later, to be passed back. */
static void *blocker(void *arg)
{
	pid_t pid;

	(void)arg;
	if (write(ready[1], "r", 1) != 1)
		exit(3);
	while (!__atomic_load_n(&stop, __ATOMIC_ACQUIRE)) {
		pid = vfork();
		if (pid == 0)
			_exit(0);
		if (pid < 0 || waitpid(pid, NULL, 0) != pid)
			exit(3);
	}
	return NULL;
}

/* One look; 1 if it saw the signal. */
static int look(const char *mode, const sigset_t *set, int sfd)
{
	struct timespec zero = { 0, 0 };
	struct signalfd_siginfo ss;
	sigset_t p;

	if (!strcmp(mode, "pending"))
		return !sigpending(&p) && sigismember(&p, sig) == 1;
	if (!strcmp(mode, "timedwait"))
		return sigtimedwait(set, NULL, &zero) == sig;
	if (!strcmp(mode, "signalfd"))
		return read(sfd, &ss, sizeof(ss)) == sizeof(ss) &&
		       (int)ss.ssi_signo == sig;
	got = 0;
	by_main = 0;
	pthread_sigmask(SIG_UNBLOCK, set, NULL);
	pthread_sigmask(SIG_BLOCK, set, NULL);
	return got == sig && by_main;
}

int main(int argc, char **argv)
{
	struct timespec zero = { 0, 0 };
	struct sigaction sa;
	int rounds, missed = 0, sfd = -1;
	sigset_t set;
	char c;

	if (argc < 4)
		return 2;
	sig = atoi(argv[2]);
	rounds = atoi(argv[3]);
	alarm(20);
	if (pipe(ready))
		return 2;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sig;
	sigaction(sig, &sa, NULL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	if (!strcmp(argv[1], "signalfd") &&
	    (sfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC)) < 0)
		return 2;
	for (int i = 0; i < rounds; i++) {
		pthread_t t;

		stop = 0;
		if (pthread_create(&t, NULL, blocker, NULL) ||
		    read(ready[0], &c, 1) != 1)
			return 2;
		kill(getpid(), sig);
		if (!look(argv[1], &set, sfd))
			missed++;
		/* what the look left (or what came late) */
		sigtimedwait(&set, NULL, &zero);
		__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
		if (pthread_join(t, NULL))
			return 2;
		/* a late one, caught by the round's thread on its way out */
		while (sigtimedwait(&set, NULL, &zero) == sig)
			;
	}
	printf("%s %d: missed in %d of %d rounds\n", argv[1], sig, missed,
	       rounds);
	return 0;
}
