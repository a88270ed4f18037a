/* SPDX-License-Identifier: MIT */
/*
 * The program's PKRU around limen's handlers (pkru.h says why).
 */
#include <stdint.h>
#include <ucontext.h>

#include "pkru.h"
#include "rt.h"
#include "session/pkru_off.h"

#define FP_MAGIC1 0x46505853u  /* FP_XSTATE_MAGIC1 */
#define FX_SW_BYTES 464        /* struct _fpx_sw_bytes in the fxsave area */
#define XSAVE_HDR LIMEN_XSAVE_HDR
#define XFEATURE_PKRU LIMEN_XFEATURE_PKRU

/* PKRU's offset in the XSAVE area the kernel writes to a signal frame, 0
 * where the kernel has not enabled PKU: the collector's word
 * (limen_pkru_told), or asked once (session/pkru_off.h). */
static uint32_t known; /* 1 + the offset, once known */

static uint32_t pkru_offset(void)
{
	uint32_t k = __atomic_load_n(&known, __ATOMIC_RELAXED);

	if (k)
		return k - 1;
	k = limen_pkru_off_ask();
	__atomic_store_n(&known, k, __ATOMIC_RELAXED);
	return k - 1;
}

void limen_pkru_told(uint32_t k)
{
	if (limen_pkru_off_valid(k))
		__atomic_store_n(&known, k, __ATOMIC_RELAXED);
}

/* fp's PKRU, if the frame's XSAVE area has room for it */
static uint8_t *slot_of(uint8_t *fp)
{
	uint32_t off = pkru_offset(), magic, ext;
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

static uint64_t xstate_bv(const uint8_t *fp)
{
	uint64_t bv;

	__builtin_memcpy(&bv, fp + XSAVE_HDR, 8);
	return bv;
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

uint32_t limen_pkru_prog(void)
{
	uint32_t split = limen_tls.pkru_split;

	if (split)
		return split;
	return pkru_offset() ? limen_pkru_read() : 0;
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
