/* SPDX-License-Identifier: MIT */
/*
 * Raw system calls for the runtime. liblimen.so's whole executable segment is
 * the Syscall User Dispatch exempt range, so a `syscall` instruction anywhere
 * in this library goes straight to the kernel, never to our SIGSYS handler.
 * Return value: the kernel's, -4095..-1 meaning -errno. No errno, no libc.
 */
#ifndef LIMEN_RT_RAW_H
#define LIMEN_RT_RAW_H

static inline long limen_sys6(long nr, long a, long b, long c, long d, long e,
			      long f)
{
	long ret;
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8),
			   "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

/* futex(2) operations on a word of this process alone (limen's own waits;
   <linux/futex.h> is not included where the libc's headers are) */
#define FUTEX_WAIT_PRIVATE_ 128   /* FUTEX_WAIT | FUTEX_PRIVATE_FLAG */
#define FUTEX_WAKE_PRIVATE_ 129

#define limen_sys0(n) limen_sys6(n, 0, 0, 0, 0, 0, 0)
#define limen_sys1(n, a) limen_sys6(n, (long)(a), 0, 0, 0, 0, 0)
#define limen_sys2(n, a, b) limen_sys6(n, (long)(a), (long)(b), 0, 0, 0, 0)
#define limen_sys3(n, a, b, c) \
	limen_sys6(n, (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define limen_sys4(n, a, b, c, d) \
	limen_sys6(n, (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)
#define limen_sys5(n, a, b, c, d, e) \
	limen_sys6(n, (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), 0)

static inline int limen_is_err(long r)
{
	return (unsigned long)r > -4096UL;
}

#endif
