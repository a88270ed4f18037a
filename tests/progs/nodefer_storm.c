/* SPDX-License-Identifier: MIT */
/*
 * A storm of one signal whose handler has SA_NODEFER
 * (tests/syscalls/nodefer_storm.t): two threads each send the process
 * 30000 SIGUSR1 while the first thread makes calls; the handler is
 * empty. The two block SIGUSR1, so the first takes every one (bare, a
 * storm on threads being created and ending died now and then). Bare
 * it runs to its end; a SIGSEGV would be limen's.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

static volatile long got;
static pid_t me;

static void usr1(int sig)
{
	(void)sig;
	got++;
}

static void segv(int sig)
{
	(void)sig;
	(void)!write(2, "SIGSEGV\n", 8);
	_exit(5);
}

static void *shoot(void *arg)
{
	(void)arg;
	for (int i = 0; i < 30000; i++)
		kill(me, SIGUSR1);
	return 0;
}

int main(void)
{
	static char alt[65536];
	stack_t ss = { .ss_sp = alt, .ss_size = sizeof(alt) };
	struct sigaction a = { .sa_handler = segv, .sa_flags = SA_ONSTACK };
	struct sigaction b = { .sa_handler = usr1,
			       .sa_flags = SA_RESTART | SA_NODEFER };
	pthread_t t[2];
	sigset_t usr1;

	me = getpid();
	sigaltstack(&ss, 0);
	sigaction(SIGSEGV, &a, 0);
	sigaction(SIGUSR1, &b, 0);
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &usr1, 0);
	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], 0, shoot, 0);
	pthread_sigmask(SIG_UNBLOCK, &usr1, 0);
	for (long i = 0; i < 20000; i++)
		syscall(SYS_getppid);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], 0);
	printf("done, handled %s\n", got > 0 ? "some" : "none");
	return 0;
}
