/* SPDX-License-Identifier: MIT */
/*
 * The program's PKRU around limen's handlers (pkru.h says why).
 */
#include <signal.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <ucontext.h>

#include "pkru.h"
#include "raw.h"
#include "rt.h"
#include "session/pkru_off.h"

#define FP_MAGIC1 0x46505853u  /* FP_XSTATE_MAGIC1 */
#define FX_SW_BYTES 464        /* struct _fpx_sw_bytes in the fxsave area */
#define XSAVE_HDR LIMEN_XSAVE_HDR
#define XFEATURE_PKRU LIMEN_XFEATURE_PKRU
#define XSAVE_PROBE 4096u      /* PKRU is at 0x980 or 0xa80 in the layouts known */

static uint64_t xstate_bv(const uint8_t *fp)
{
	uint64_t bv;

	__builtin_memcpy(&bv, fp + XSAVE_HDR, 8);
	return bv;
}

/* PKRU's offset in the XSAVE area the kernel writes to a signal frame, 0
 * where the kernel has not enabled PKU: asked once, never of the session,
 * which any traced process can write. */
static uint32_t pkru_known; /* 1 + the offset, once known */

/*
 * The standard format (XSAVE's, and the kernel's for signal frames) puts
 * each component where CPUID 0xd says; so does this CPU's own XSAVE, which
 * is no exit to a hypervisor where CPUID is (three of them: about 18 us
 * at every image's first SIGSYS on the VM this was measured on). Only
 * PKRU is asked for, into zeroes: the header's xstate_bv and PKRU are all
 * it writes, and PKRU is not 0 (in a handler it holds the kernel's
 * default, which denies keys 1-15), so its offset is the first word after
 * the header that is not. 0 if that does not hold (an init_pkru of 0):
 * CPUID says then. Only where a frame shows PKRU among the kernel's
 * features (XCR0 has it: XSAVE is on and takes it).
 */
static uint8_t xbuf[XSAVE_PROBE] __attribute__((aligned(64))) LIMEN_COLD_BSS;
static int xbuf_busy;

static uint32_t pkru_off_xsave(void)
{
	uint32_t off = 0, w;
	int busy = 0;

	if (!__atomic_compare_exchange_n(&xbuf_busy, &busy, 1, 0,
					 __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return 0; /* another thread's first SIGSYS asks */
	__builtin_memset(xbuf, 0, sizeof(xbuf));
	__asm__ volatile("xsave %0"
			 : "+m"(xbuf)
			 : "a"(1u << XFEATURE_PKRU), "d"(0));
	if (xstate_bv(xbuf) & (1ull << XFEATURE_PKRU))
		for (uint32_t at = XSAVE_HDR + 64; at + 4 <= sizeof(xbuf);
		     at += 4) {
			__builtin_memcpy(&w, xbuf + at, 4);
			if (w) {
				off = at;
				break;
			}
		}
	__atomic_store_n(&xbuf_busy, 0, __ATOMIC_RELEASE);
	return off;
}

/* fp: a frame the kernel wrote (its XSAVE area), or NULL */
static uint32_t pkru_offset(const uint8_t *fp)
{
	uint32_t k = __atomic_load_n(&pkru_known, __ATOMIC_RELAXED), magic;
	uint64_t feat;

	if (k)
		return k - 1;
	k = 0;
	if (fp) {
		__builtin_memcpy(&magic, fp + FX_SW_BYTES, 4);
		__builtin_memcpy(&feat, fp + FX_SW_BYTES + 8, 8);
		/* the kernel's features without PKRU (XCR0 lacks it), or
		   no XSAVE in its frames at all: no PKU to care for, and no
		   CPUID to ask (two exits, 13 us at every image's first
		   SIGSYS on a VM without PKU) */
		if (magic != FP_MAGIC1 || !(feat & (1ull << XFEATURE_PKRU)))
			k = 1;
		else if ((k = pkru_off_xsave()))
			k++;
	}
	if (!k)
		k = limen_pkru_off_ask();
	__atomic_store_n(&pkru_known, k, __ATOMIC_RELAXED);
	return k - 1;
}

/* fp's PKRU, if the frame's XSAVE area has room for it */
static uint8_t *slot_of(uint8_t *fp)
{
	uint32_t off = pkru_offset(fp), magic, ext;
	uint64_t feat;

	if (!off || !fp)
		return 0;
	__builtin_memcpy(&magic, fp + FX_SW_BYTES, 4);
	__builtin_memcpy(&ext, fp + FX_SW_BYTES + 4, 4);
	__builtin_memcpy(&feat, fp + FX_SW_BYTES + 8, 8);
	if (magic != FP_MAGIC1 || !(feat & (1ull << XFEATURE_PKRU)) ||
	    ext < off + 4)
		return 0;
	return fp + off;
}

static void set_slot(uint8_t *fp, uint8_t *slot, uint32_t v)
{
	uint64_t bv = xstate_bv(fp) | (1ull << XFEATURE_PKRU);

	__builtin_memcpy(slot, &v, 4);
	__builtin_memcpy(fp + XSAVE_HDR, &bv, 8);
}

/* The kernel's default for handlers, as read at a handler's entry */
static uint32_t kernel_default;
static int kernel_default_known;

void limen_pkru_enter(struct limen_pkru *p, const ucontext_t *uc)
{
	uint8_t *fp = (uint8_t *)uc->uc_mcontext.fpregs;
	uint32_t run;

	p->slot = (uint32_t *)(void *)slot_of(fp);
	if (!p->slot)
		return;
	p->mine = limen_pkru_read();
	p->split = limen_tls.pkru_split;
	if (!__atomic_load_n(&kernel_default_known, __ATOMIC_RELAXED)) {
		__atomic_store_n(&kernel_default, p->mine, __ATOMIC_RELAXED);
		__atomic_store_n(&kernel_default_known, 1, __ATOMIC_RELEASE);
	}
	/* a component in its initial state (xstate_bv's bit clear) is
	   PKRU 0 to XRSTOR */
	p->prog = 0;
	if (xstate_bv(fp) & (1ull << XFEATURE_PKRU))
		__builtin_memcpy(&p->prog, p->slot, 4);
	/* key 0 denied: limen's stack, TLS and session stay open to it
	   (the kernel's default never denies key 0 either), the program's
	   PKRU goes in for its call and limen's accesses to its memory
	   only; written while key 0 is open */
	limen_tls.pkru_split = (p->prog & PKRU_KEY0) ? p->prog : 0;
	run = p->prog & ~PKRU_KEY0;
	if (run != p->mine)
		limen_pkru_write(run);
}

void limen_pkru_leave(const struct limen_pkru *p, ucontext_t *uc)
{
	uint8_t *fp = (uint8_t *)uc->uc_mcontext.fpregs, *slot;
	uint32_t now, prog;

	if (!p->slot)
		return;
	now = limen_pkru_read();
	/* the program's, as its calls left it (limen_app_syscall keeps
	   it in pkru_split while key 0 stays denied) */
	prog = limen_tls.pkru_split ? limen_tls.pkru_split : now;
	limen_tls.pkru_split = p->split;
	/* the frame's state may be another's by now (a handler of the
	   program starts on it): written only if a call changed PKRU */
	slot = slot_of(fp);
	if (prog != p->prog && slot)
		set_slot(fp, slot, prog);
	if (now != p->mine)
		limen_pkru_write(p->mine);
}

int limen_pkru_have(void)
{
	return pkru_offset(0) != 0;
}

uint32_t limen_pkru_prog(void)
{
	uint32_t split = limen_tls.pkru_split;

	if (split)
		return split;
	return pkru_offset(0) ? limen_pkru_read() : 0;
}

void limen_pkru_handler_default(uint8_t *fp)
{
	uint8_t *slot = slot_of(fp);

	if (!slot)
		return;
	if (__atomic_load_n(&kernel_default_known, __ATOMIC_ACQUIRE))
		set_slot(fp, slot, kernel_default);
	else
		set_slot(fp, slot, limen_pkru_read());
}

/*
 * A child that a clone starts in limen's code (new_stack_clone,
 * vfork_clone: a thread, posix_spawn's and vfork's children) reaches the
 * program through limen_resume, which loads the general registers only:
 * its x87, SSE and AVX registers, MXCSR and the x87 control word are the
 * ones it was born with, the kernel's copy of the caller's at the call.
 * The caller is limen's SIGSYS handler, which the kernel starts with
 * every component in its initial state, so a thread of a program that
 * set MXCSR's flush-to-zero and denormals-are-zero bits (-ffast-math's
 * start files do) or the x87 precision started without them (MXCSR
 * 0x1f80 for the program's 0x9fc0; tests/syscalls/clone_fpu.t). The
 * program's state at the call is in the frame's XSAVE area: loaded here,
 * right before the clone, every component but PKRU (limen's handler keeps
 * key 0 open: pkru.h), so the child inherits it as bare. limen's code is
 * built without SSE (-mgeneral-regs-only), so nothing of it changes these
 * registers before the child runs the program's code, and the caller's
 * own are put back from the frame at its rt_sigreturn.
 *
 * The area is limen's (SIGSYS is taken on limen's stack), but another
 * thread of the program could write it: nothing of it is trusted that
 * could make the XRSTOR (or FXRSTOR, for a frame without the XSAVE magic)
 * fault in the handler, where every signal is blocked. The area must lie
 * in the thread's signal stack, its size be the one this CPU's XSAVE
 * takes (the kernel's frames have it: a forged one had the copy read past
 * the stack's top), MXCSR's reserved bits clear by the mask this CPU's own
 * FXSAVE gives, xstate_bv within XCR0, the header otherwise zero, and AMX's
 * components (a fault while XFD arms them) are never loaded. What is
 * checked is a copy; a thread that writes limen's stack itself can do
 * worse than this.
 */
#define FP_MAGIC2 0x46505845u  /* FP_XSTATE_MAGIC2, after the area */
#define FX_BYTES 512u          /* the legacy (FXSAVE) region */
#define XSAVE_MAX 4096u        /* AVX-512's area is about 2.7 KiB */
#define MXCSR_AT 24
#define MXCSR_MASK_AT 28
#define XFEATURES_AMX ((1ull << 17) | (1ull << 18))

static uint64_t xcr0(void)
{
	uint32_t a, d;

	__asm__ volatile("xgetbv" : "=a"(a), "=d"(d) : "c"(0));
	return (uint64_t)d << 32 | a;
}

/* The XSAVE area's size for the features XCR0 enables (CPUID 0xd, 0:
   ebx), 0 without XSAVE; asked once (CPUID exits a VM) */
static uint32_t xsave_size(void)
{
	static uint32_t known; /* 1 + the size */
	uint32_t k = __atomic_load_n(&known, __ATOMIC_RELAXED);
	uint32_t a, b, c, d;

	if (k)
		return k - 1;
	a = 0;
	__asm__("cpuid" : "+a"(a), "=b"(b), "=c"(c), "=d"(d));
	k = 1;
	if (a >= 0xd) {
		a = 1;
		__asm__("cpuid" : "+a"(a), "=b"(b), "=c"(c), "=d"(d));
		if (c & (1u << 27)) { /* OSXSAVE */
			a = 0xd;
			c = 0;
			__asm__("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
			k = 1 + b;
		}
	}
	__atomic_store_n(&known, k, __ATOMIC_RELAXED);
	return k - 1;
}

/* MXCSR's writable bits, from an FXSAVE of this thread's own state (the
   handler's: nothing of the program's) */
static uint32_t mxcsr_mask(void)
{
	static uint32_t known;
	uint32_t m = __atomic_load_n(&known, __ATOMIC_RELAXED);
	uint8_t fx[FX_BYTES] __attribute__((aligned(16)));

	if (m)
		return m;
	__asm__ volatile("fxsave64 %0" : "=m"(fx));
	__builtin_memcpy(&m, fx + MXCSR_MASK_AT, 4);
	if (!m)
		m = 0xffbfu; /* the SDM's default */
	__atomic_store_n(&known, m, __ATOMIC_RELAXED);
	return m;
}

void limen_fpu_inherit(const ucontext_t *uc)
{
	uint64_t fp = (uint64_t)(uintptr_t)uc->uc_mcontext.fpregs, lo, hi;
	uint8_t a[XSAVE_MAX] __attribute__((aligned(64)));
	uint32_t magic, ext, size, magic2, mxcsr, want;
	uint64_t feat, bv, comp, rfbm, x;
	stack_t ss;

	/* in this thread's signal stack, where the kernel wrote it */
	if (!fp || limen_sys2(SYS_sigaltstack, 0, (long)&ss) < 0 ||
	    (ss.ss_flags & SS_DISABLE))
		return;
	lo = (uint64_t)(uintptr_t)ss.ss_sp;
	hi = lo + ss.ss_size;
	if (fp < lo || fp > hi || hi - fp < FX_BYTES)
		return;
	__builtin_memcpy(a, (const void *)(uintptr_t)fp, FX_BYTES);
	__builtin_memcpy(&mxcsr, a + MXCSR_AT, 4);
	if (mxcsr & ~mxcsr_mask())
		return;
	__builtin_memcpy(&magic, a + FX_SW_BYTES, 4);
	__builtin_memcpy(&ext, a + FX_SW_BYTES + 4, 4);
	__builtin_memcpy(&feat, a + FX_SW_BYTES + 8, 8);
	__builtin_memcpy(&size, a + FX_SW_BYTES + 16, 4);
	/* with one thread, and no other process in the address space,
	   nothing but the kernel wrote the frame, and its size is this
	   CPU's XSAVE's for the kernel's features: CPUID (two exits to
	   the hypervisor, about 12 us here, in every image that makes a
	   child) only where another could have written it */
	want = limen_aside_is_alone() && !limen_rt.shared_tls &&
			       !limen_mm_shared() ?
		       size :
		       xsave_size();
	if (magic != FP_MAGIC1 || !want || size != want ||
	    size > XSAVE_MAX || ext != size + 4 || hi - fp < (uint64_t)ext) {
		/* no XSAVE area (or one larger than copied here): the
		   legacy region, control words and x87/SSE registers */
		__asm__ volatile("fxrstor64 %0"
				 : : "m"(*(const uint8_t(*)[FX_BYTES])a));
		return;
	}
	__builtin_memcpy(a + FX_BYTES, (const uint8_t *)(uintptr_t)fp + FX_BYTES,
			 size - FX_BYTES);
	__builtin_memcpy(&magic2, (const uint8_t *)(uintptr_t)fp + size, 4);
	x = xcr0();
	__builtin_memcpy(&bv, a + XSAVE_HDR, 8);
	__builtin_memcpy(&comp, a + XSAVE_HDR + 8, 8);
	/* XRSTOR's standard form: xstate_bv within XCR0, no compaction,
	   the header's other 48 bytes zero */
	if (magic2 != FP_MAGIC2 || (bv & ~x) || comp)
		return;
	for (uint32_t i = 16; i < 64; i++)
		if (a[XSAVE_HDR + i])
			return;
	rfbm = feat & x & ~(1ull << XFEATURE_PKRU) & ~XFEATURES_AMX;
	__asm__ volatile("xrstor64 %0"
			 :
			 : "m"(*(const uint8_t(*)[XSAVE_MAX])a),
			   "a"((uint32_t)rfbm), "d"((uint32_t)(rfbm >> 32))
			 : "memory");
}
