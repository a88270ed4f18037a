/* SPDX-License-Identifier: MIT */
/*
 * A signal sent to the process (kill) goes to a thread that does not block
 * it; if all block it, it waits in the process's queue, where any thread's
 * sigwaitinfo takes it. limen owns SIGSEGV, SIGBUS and SIGTRAP (never
 * really blocked, src/runtime/owned.c), so the kernel may hand one to a
 * thread whose program view blocks it: it must still reach the thread the
 * kernel would have chosen. For tests/syscalls/groupsig.t.
 *   groupsig sigwait SIG   every thread blocks SIG; a second thread waits
 *       in sigwaitinfo; the main thread kill()s its own process
 *   groupsig other SIG     the main thread blocks SIG, a second thread
 *       handles it and waits in read(); the main thread kill()s
 *   groupsig late SIG      both threads block SIG, the main thread kill()s,
 *       then unblocks it: its handler runs, in the main thread
 * They print what the threads got; alarm(5) ends a lost signal.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int sig, ready[2], wake[2];
static volatile sig_atomic_t got, by_main = -1;

static void on_sig(int s, siginfo_t *si, void *uc)
{
	(void)uc;
	got = s;
	by_main = gettid() == getpid();
	if (si->si_code == SI_USER && si->si_pid == getpid())
		got += 1000;
	if (write(wake[1], "w", 1) != 1)
		_exit(3);
}

static void *waiter(void *arg)
{
	sigset_t set;
	siginfo_t si;
	int s;
	char c;

	(void)arg;
	if (write(ready[1], "r", 1) != 1)
		exit(3);
	sigemptyset(&set);
	sigaddset(&set, sig);
	s = sigwaitinfo(&set, &si);
	printf("sigwaitinfo: %d %s code=%d from_self=%d\n", s, strsignal(s),
	       si.si_code, si.si_pid == getpid());
	(void)c;
	return NULL;
}

static void *blocked_thread(void *arg)
{
	char c;

	(void)arg;
	if (write(ready[1], "r", 1) != 1)
		exit(3);
	while (read(wake[0], &c, 1) < 0)
		;
	return NULL;
}

/* the main thread: kill while blocked, then unblock */
static int late(void)
{
	sigset_t set;
	pthread_t t;
	char c;

	if (pthread_create(&t, NULL, blocked_thread, NULL) ||
	    read(ready[0], &c, 1) != 1)
		return 2;
	kill(getpid(), sig);
	sigpending(&set);
	printf("pending before unblock: %d\n", sigismember(&set, sig));
	sigemptyset(&set);
	sigaddset(&set, sig);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	/* the handler wrote to wake: the other thread ends */
	printf("after unblock: %d (+1000: kill from self), by the main thread %d\n",
	       got, by_main);
	pthread_join(t, NULL);
	return 0;
}

static void *handler_thread(void *arg)
{
	sigset_t set;
	char c;

	(void)arg;
	sigemptyset(&set);
	sigaddset(&set, sig);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	if (write(ready[1], "r", 1) != 1)
		exit(3);
	while (read(wake[0], &c, 1) < 0)
		;
	printf("handled in the second thread: %d (+1000: kill from self)\n",
	       got);
	return NULL;
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	sigset_t set;
	pthread_t t;
	char c;

	if (argc < 3)
		return 2;
	sig = atoi(argv[2]);
	alarm(5);
	if (pipe(ready) || pipe(wake))
		return 2;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sig;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigaction(sig, &sa, NULL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	if (!strcmp(argv[1], "late"))
		return late();
	if (pthread_create(&t, NULL, strcmp(argv[1], "sigwait") ? handler_thread :
								 waiter, NULL))
		return 2;
	if (read(ready[0], &c, 1) != 1)
		return 2;
	kill(getpid(), sig);
	pthread_join(t, NULL);
	sigpending(&set);
	printf("main: still pending %d\n", sigismember(&set, sig));
	return 0;
}
