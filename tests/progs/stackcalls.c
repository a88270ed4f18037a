/* SPDX-License-Identifier: MIT */
/*
 * -k (tests/cli/stack.t): a write reached through two functions of the
 * program's own, built without frame pointers (-fomit-frame-pointer) and
 * exported (-rdynamic) so that strace and limen both name them.
 */
#include <string.h>
#include <unistd.h>

__attribute__((noinline)) void limen_k_inner(const char *s)
{
	if (write(1, s, strlen(s)) < 0)
		_exit(2);
	__asm__ volatile("" ::: "memory"); /* not a tail call */
}

__attribute__((noinline)) void limen_k_outer(const char *s)
{
	char buf[64];

	strncpy(buf, s, sizeof(buf) - 1);
	buf[sizeof(buf) - 1] = 0;
	limen_k_inner(buf);
	__asm__ volatile("" ::: "memory");
}

int main(void)
{
	limen_k_outer("stack-test\n");
	return 0;
}
