/* SPDX-License-Identifier: MIT */
/*
 * Where PKRU is in the XSAVE area the kernel writes to a signal frame (the
 * standard format: CPUID 0xd, sub-leaf 9). Each image's runtime finds it
 * with an XSAVE of its own at its first SIGSYS (runtime/pkru.c), and asks
 * the CPU here only where that finds nothing: CPUID exits a VM (about
 * 5.7 us each on the VM this was measured on) and the question takes
 * three. The collector once asked it for the whole session and
 * told the runtimes through the control page, which any traced process
 * can write (tests/syscalls/session_pkru_off.t): it no longer does.
 */
#ifndef LIMEN_SESSION_PKRU_OFF_H
#define LIMEN_SESSION_PKRU_OFF_H

#include <stdint.h>

#define LIMEN_XSAVE_HDR 512 /* xstate_bv */
#define LIMEN_XFEATURE_PKRU 9

/* 1 + PKRU's offset; 1 where the kernel has not enabled PKU (CPUID 7:
   OSPKE) */
static inline uint32_t limen_pkru_off_ask(void)
{
	uint32_t a = 0, b, c, d, k = 1;

	__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "=c"(c), "=d"(d));
	if (a >= 0xd) {
		a = 7;
		c = 0;
		__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
		if (c & (1u << 4)) { /* OSPKE */
			a = 0xd;
			c = LIMEN_XFEATURE_PKRU;
			__asm__ volatile("cpuid"
					 : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
			if (a >= 4 && b >= LIMEN_XSAVE_HDR + 64)
				k = 1 + b;
		}
	}
	return k;
}

#endif
