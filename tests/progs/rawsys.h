/* SPDX-License-Identifier: MIT */
/*
 * A system call made with the instruction itself, not through libc: for
 * the test programs that need a call libc would not make as asked (clone3
 * with odd arguments, calls after seccomp's strict mode, a child with no
 * usable stack), or whose register state they check.
 */
#ifndef LIMEN_TEST_RAWSYS_H
#define LIMEN_TEST_RAWSYS_H

static inline long raw4(long nr, long a, long b, long c, long d)
{
	long r;
	register long rdi __asm__("rdi") = a;
	register long rsi __asm__("rsi") = b;
	register long rdx __asm__("rdx") = c;
	register long r10 __asm__("r10") = d;

	__asm__ volatile("syscall"
			 : "=a"(r)
			 : "0"(nr), "r"(rdi), "r"(rsi), "r"(rdx), "r"(r10)
			 : "rcx", "r11", "memory");
	return r;
}

static inline long raw3(long nr, long a, long b, long c)
{
	return raw4(nr, a, b, c, 0);
}

#endif
