// SPDX-License-Identifier: MIT
/*
 * A thread's SA_NODEFER handler raises its signal again until the
 * thread's small stack (64 KiB, pthread's guard page below) is full: the
 * kernel cannot write the next frame (the guard page is no stack's to
 * grow) and forces SIGSEGV, which the program's handler takes on the
 * thread's alternate stack: "SIGSEGV handler ran". With RLIMIT_STACK
 * unlimited too (tests/syscalls/deep_handlers.t).
 */
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

static void segv(int s)
{
	(void)s;
	(void)!write(1, "SIGSEGV handler ran\n", 20);
	_exit(0);
}

static void nest(int s)
{
	raise(s);
}

static void *body(void *a)
{
	static char alt[65536];
	stack_t ss = { .ss_sp = alt, .ss_size = sizeof(alt) };

	(void)a;
	sigaltstack(&ss, 0);
	raise(SIGUSR1);
	return 0;
}

int main(void)
{
	struct sigaction a, b;
	pthread_attr_t at;
	pthread_t x;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	a.sa_handler = segv;
	a.sa_flags = SA_ONSTACK;
	b.sa_handler = nest;
	b.sa_flags = SA_NODEFER;
	sigaction(SIGSEGV, &a, 0);
	sigaction(SIGUSR1, &b, 0);
	pthread_attr_init(&at);
	pthread_attr_setstacksize(&at, 65536);
	pthread_create(&x, &at, body, 0);
	pthread_join(x, 0);
	(void)!write(1, "returned\n", 9);
	return 0;
}
