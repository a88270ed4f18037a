/* SPDX-License-Identifier: MIT */
/*
 * A thread's stack overflow with a SIGSEGV handler and no sigaltstack: the
 * kernel cannot write the handler's frame below the stack's guard page and
 * kills with SIGSEGV; nothing is printed. limen's per-thread signal stack
 * is mapped when the thread starts, right below the thread's stack: the
 * frame must not land there (src/runtime/rt.h, LIMEN_STACK_GAP_BYTES). For
 * tests/corpus/overflow.t.
 *   overflow guard   the thread's stack pointer moved into its guard page,
 *       then a store there
 *   overflow deep    recursion with 4 KiB frames, as Python's
 *       faulthandler._stack_overflow
 */
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static jmp_buf back;

/* no system call here: its frame may sit where nothing else should run */
static void on_segv(int sig)
{
	(void)sig;
	longjmp(back, 1);
}

static uintptr_t deep(uintptr_t n)
{
	volatile unsigned char buf[4096];

	buf[0] = (unsigned char)n;
	buf[sizeof(buf) - 1] = 0;
	if (n == UINTPTR_MAX) /* never: only the fault ends it */
		return 0;
	return deep(n + 1) + buf[0];
}

static void *guard(void *arg)
{
	pthread_attr_t a;
	void *lo;
	size_t size, gsize = 0;

	(void)arg;
	if (setjmp(back)) {
		printf("the SIGSEGV handler ran\n");
		exit(42);
	}
	if (pthread_getattr_np(pthread_self(), &a) ||
	    pthread_attr_getstack(&a, &lo, &size) ||
	    pthread_attr_getguardsize(&a, &gsize) || !gsize)
		return NULL;
	/* lo is the lowest byte of the stack, the guard is below: the stack
	   pointer at the guard's bottom, the handler's frame would go below */
	__asm__ volatile("mov %0, %%rsp\n\tmovq $0, (%%rsp)\n\tud2"
			 :
			 : "r"((uintptr_t)lo - gsize + 64)
			 : "memory");
	return NULL;
}

static void *run_deep(void *arg)
{
	if (setjmp(back)) {
		printf("the SIGSEGV handler ran\n");
		exit(42);
	}
	return (void *)deep((uintptr_t)arg);
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	pthread_t t;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_segv;
	sa.sa_flags = SA_ONSTACK; /* as faulthandler: no stack of its own here */
	sigaction(SIGSEGV, &sa, NULL);
	if (argc < 2)
		return 2;
	if (pthread_create(&t, NULL, strcmp(argv[1], "deep") ? guard : run_deep,
			   NULL))
		return 2;
	pthread_join(t, NULL);
	printf("not reached\n");
	return 0;
}
