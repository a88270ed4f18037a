/* SPDX-License-Identifier: MIT */
/*
 * The program may set AC (alignment checking: the flags' bit 18, with
 * the kernel's CR0.AM, a misaligned load or store in user mode faults
 * with SIGBUS). The kernel keeps it set in a signal handler, so limen's
 * handlers (SIGSYS, the wrapper of the program's signals, the fault
 * handler) would run limen's C under it, whose structs are not all
 * aligned (a site's proof, rewrite_forms.c, copies one at 4 bytes): the
 * program would die of SIGBUS where its bare `syscall` reads nothing.
 * They clear it; rt_sigreturn gives the program its flags back, AC with
 * them. fast.S clears it too before limen_fast (its hooks read paths a
 * word at a time at any address, and merged stores may be misaligned:
 * a missing file's `openat` with AC set died of SIGBUS), and its way out
 * gives the program its flags back with popfq (tests/syscalls/fastflags.t).
 */
#ifndef LIMEN_ACFLAG_H
#define LIMEN_ACFLAG_H

#define LIMEN_FLAG_AC 0x40000ul

/* AC off for the code that follows, if the program had it on (popfq
   only then: ~6.5 ns) */
static inline __attribute__((always_inline)) void limen_ac_off(void)
{
	unsigned long f;

	__asm__ volatile("pushfq; pop %0" : "=r"(f));
	if (__builtin_expect(f & LIMEN_FLAG_AC, 0))
		__asm__ volatile("pushfq; andq %0, (%%rsp); popfq"
				 : : "i"(~LIMEN_FLAG_AC) : "memory", "cc");
}

#endif
