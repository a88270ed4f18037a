/* SPDX-License-Identifier: MIT */
/*
 * System calls from a 4 KiB coroutine stack (makecontext/swapcontext), as
 * user-space threading libraries run them: a write, then a chain of calls
 * 16 deep, each with a small frame, that writes at the bottom. Without
 * limen this fits easily; a SIGSYS frame with the AVX-512 state (~3.5 KB)
 * pushed on this stack would not.
 */
#include <stdio.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>

#define SMALL 4096

static ucontext_t main_uc, co_uc;
static char stack[SMALL] __attribute__((aligned(16)));
static int depth_reached;

static void say(const char *s)
{
	if (write(1, s, strlen(s)) < 0)
		_exit(2);
}

static __attribute__((noinline)) int deep(int n)
{
	volatile char pad[64];

	pad[0] = (char)n;
	if (n == 0) {
		say("write at depth 16 on the small stack\n");
		depth_reached = 1;
		return getpid() > 0;
	}
	return deep(n - 1) + pad[0] - (char)n;
}

static void coroutine(void)
{
	say("write from a 4 KiB coroutine stack\n");
	if (deep(16) != 1)
		say("deep call: wrong result\n");
	say("back in the coroutine\n");
	swapcontext(&co_uc, &main_uc);
}

int main(void)
{
	/* bind getpid and write now: the lazy binding resolver saves the
	   whole vector state, far more than a coroutine stack holds */
	if (getpid() <= 0)
		return 1;
	memset(stack, 0x5a, sizeof stack);
	if (getcontext(&co_uc))
		return 1;
	co_uc.uc_stack.ss_sp = stack;
	co_uc.uc_stack.ss_size = sizeof stack;
	co_uc.uc_link = &main_uc;
	makecontext(&co_uc, coroutine, 0);
	say("switching to the coroutine\n");
	if (swapcontext(&main_uc, &co_uc))
		return 1;
	say(depth_reached ? "ok\n" : "FAIL\n");
	return !depth_reached;
}
