/* SPDX-License-Identifier: MIT */
/*
 * Where PKRU is in the XSAVE area the kernel writes to a signal frame (the
 * standard format: CPUID 0xd, sub-leaf 9), asked of the CPU once a
 * session. CPUID exits a VM (about 5.7 us each on the VM this was
 * measured on) and the question takes three: each image's runtime asked
 * them at its first SIGSYS, at every traced exec. The collector asks and
 * writes the answer to the control page (ctl->pkru_off); the runtime
 * takes it at its start, before any code of the program has run, into
 * its own memory (runtime/pkru.c), and asks the CPU itself where the
 * page says nothing it can use.
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

/* An answer as limen_pkru_off_ask gives it (a frame's XSAVE area is a few
   KiB; the frame's own size is checked at each use, pkru.c) */
static inline int limen_pkru_off_valid(uint32_t k)
{
	return k == 1 || (k >= 1 + LIMEN_XSAVE_HDR + 64 && k <= 1 + 65536);
}

#endif
