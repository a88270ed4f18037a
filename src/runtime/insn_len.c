/* SPDX-License-Identifier: MIT */
/*
 * The length of an x86-64 instruction for the common integer instructions
 * of compiled and hand-written code (a Go runtime's, glibc's): the general
 * one-byte opcodes with their ModRM, SIB, displacement and immediate, the
 * two-byte ones a compiler emits for integer code, and the prefixes that
 * change a length (66: a 16-bit immediate) or nothing (segments, lock,
 * REX). Anything else (SSE, VEX, x87, the 67 address-size prefix, rep
 * string instructions) is unknown: 0, and the site that needed it stays on
 * SUD. Exact for what it accepts; tests/unit/insn_len.t compares it with
 * objdump over whole libraries.
 */
#include "insn_len.h"

#define MAX_INSN 15

uint32_t limen_modrm_len(const uint8_t *p, size_t n)
{
	unsigned mod, rm;
	uint32_t k = 1;

	if (!n)
		return 0;
	mod = p[0] >> 6;
	rm = p[0] & 7;
	if (mod == 3)
		return 1;
	if (rm == 4) {
		if (n < 2)
			return 0;
		k = 2;
		if (mod == 0 && (p[1] & 7) == 5)
			k += 4; /* no base: disp32 */
	} else if (mod == 0 && rm == 5) {
		k += 4; /* rip-relative */
	}
	k += mod == 1 ? 1 : mod == 2 ? 4 : 0;
	return k <= n ? k : 0;
}

static int32_t le32(const uint8_t *p)
{
	return (int32_t)((uint32_t)p[0] | (uint32_t)p[1] << 8 |
			 (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24);
}

/* A ModRM form at p + i, then imm bytes: the whole length, or 0. */
static uint32_t with_modrm(const uint8_t *p, size_t n, uint32_t i,
			   uint32_t imm)
{
	uint32_t k = i < n ? limen_modrm_len(p + i, n - i) : 0;

	if (!k || i + k + imm > n)
		return 0;
	return i + k + imm;
}

/* The two-byte opcode 0f op, at p + i (after 0f). */
static uint32_t two_byte(const uint8_t *p, size_t n, uint32_t i, int *kind,
			 int32_t *rel)
{
	unsigned op;

	if (i >= n)
		return 0;
	op = p[i++];
	if (op >= 0x80 && op <= 0x8f) { /* jcc rel32 */
		if (i + 4 > n)
			return 0;
		*kind = INSN_BRANCH;
		*rel = le32(p + i);
		return i + 4;
	}
	if (op == 0x05 || op == 0x0b || op == 0xa2 || /* syscall, ud2, cpuid */
	    (op >= 0xc8 && op <= 0xcf))              /* bswap */
		return i;
	if (op == 0x1f || (op >= 0x40 && op <= 0x4f) || /* nop, cmovcc */
	    (op >= 0x90 && op <= 0x9f) ||               /* setcc */
	    op == 0xa3 || op == 0xab || op == 0xb3 || op == 0xbb || /* bt.. */
	    op == 0xa5 || op == 0xad ||                 /* shld, shrd %cl */
	    op == 0xaf || op == 0xb0 || op == 0xb1 ||   /* imul, cmpxchg */
	    op == 0xb6 || op == 0xb7 || op == 0xbe || op == 0xbf || /* movzx */
	    op == 0xbc || op == 0xbd ||                 /* bsf, bsr */
	    op == 0xc0 || op == 0xc1)                   /* xadd */
		return with_modrm(p, n, i, 0);
	if (op == 0xa4 || op == 0xac || op == 0xba) /* shld, shrd, bt $imm8 */
		return with_modrm(p, n, i, 1);
	return 0;
}

uint32_t limen_insn_len(const uint8_t *p, size_t n, int *kind, int32_t *rel)
{
	uint32_t i = 0, z;
	int opsize = 0, rex_w = 0;
	unsigned op, sub;

	*kind = INSN_PLAIN;
	*rel = 0;
	if (n > MAX_INSN)
		n = MAX_INSN;
	/* f3 only in the three instructions compilers emit with it */
	if (n >= 4 && p[0] == 0xf3 && p[1] == 0x0f && p[2] == 0x1e &&
	    (p[3] == 0xfa || p[3] == 0xfb))
		return 4; /* endbr64, endbr32 */
	if (n >= 2 && p[0] == 0xf3 && (p[1] == 0xc3 || p[1] == 0x90))
		return 2; /* repz ret, pause */
	/* legacy prefixes: operand size, lock, fs, gs, the inert segments */
	while (i < n && (p[i] == 0x66 || p[i] == 0xf0 || p[i] == 0x64 ||
			 p[i] == 0x65 || p[i] == 0x26 || p[i] == 0x2e ||
			 p[i] == 0x36 || p[i] == 0x3e)) {
		opsize |= p[i] == 0x66;
		i++;
	}
	if (i < n && (p[i] & 0xf0) == 0x40) { /* REX, last */
		rex_w = (p[i] & 8) != 0;
		i++;
	}
	if (i >= n)
		return 0;
	op = p[i++];
	/* the immediate of a "z" operand: 2 bytes with 66 (and no REX.W) */
	z = opsize && !rex_w ? 2 : 4;
	if (op < 0x40) {
		switch (op & 7) {
		case 0: case 1: case 2: case 3: /* ALU r/m, r and r, r/m */
			return with_modrm(p, n, i, 0);
		case 4:
			return i + 1 <= n ? i + 1 : 0; /* ALU al, imm8 */
		case 5:
			return i + z <= n ? i + z : 0; /* ALU eax, imm */
		}
		if (op == 0x0f) {
			z = two_byte(p, n, i, kind, rel);
			/* 66 on a near branch: rel16 on some processors */
			return opsize && *kind == INSN_BRANCH ? 0 : z;
		}
		return 0; /* prefixes (handled above) and invalid in 64-bit */
	}
	if (op >= 0x50 && op <= 0x5f) /* push, pop */
		return i;
	if (op >= 0x70 && op <= 0x7f) { /* jcc rel8 */
		if (opsize || i + 1 > n)
			return 0;
		*kind = INSN_BRANCH;
		*rel = (int8_t)p[i];
		return i + 1;
	}
	if ((op >= 0x90 && op <= 0x99) || op == 0x9c || op == 0x9d)
		return i; /* nop, xchg with rax, cwtl, cltd, pushf, popf */
	if (op >= 0xb0 && op <= 0xb7) /* mov $imm8, %r8 */
		return i + 1 <= n ? i + 1 : 0;
	if (op >= 0xb8 && op <= 0xbf) { /* mov $imm, %r: imm64 with REX.W */
		uint32_t k = rex_w ? 8 : z;

		return i + k <= n ? i + k : 0;
	}
	sub = i < n ? (p[i] >> 3) & 7 : 8;
	switch (op) {
	case 0x63: /* movsxd */
	case 0x84: case 0x85: case 0x86: case 0x87: /* test, xchg */
	case 0x88: case 0x89: case 0x8a: case 0x8b: /* mov */
	case 0xd0: case 0xd1: case 0xd2: case 0xd3: /* shifts */
		return with_modrm(p, n, i, 0);
	case 0x8d: /* lea: a memory operand */
		return i < n && p[i] >> 6 != 3 ? with_modrm(p, n, i, 0) : 0;
	case 0x8f: /* pop r/m */
		return sub == 0 ? with_modrm(p, n, i, 0) : 0;
	case 0x68:
		return i + z <= n ? i + z : 0; /* push $imm32 (imm16) */
	case 0x6a:
		return i + 1 <= n ? i + 1 : 0; /* push $imm8 */
	case 0x69:
		return with_modrm(p, n, i, z); /* imul $imm */
	case 0x6b:
		return with_modrm(p, n, i, 1);
	case 0x80: case 0x83: case 0xc0: case 0xc1:
		return with_modrm(p, n, i, 1);
	case 0x81:
		return with_modrm(p, n, i, z);
	case 0xa8:
		return i + 1 <= n ? i + 1 : 0; /* test $imm8, %al */
	case 0xa9:
		return i + z <= n ? i + z : 0;
	case 0xc6:
		return sub == 0 ? with_modrm(p, n, i, 1) : 0;
	case 0xc7:
		return sub == 0 ? with_modrm(p, n, i, z) : 0;
	case 0xc2:
		return i + 2 <= n ? i + 2 : 0; /* ret $imm16 */
	case 0xc3: case 0xc9: case 0xcc: case 0xf4: /* ret leave int3 hlt */
		return i;
	case 0xe8: case 0xe9: /* call, jmp rel32 */
		if (opsize || i + 4 > n)
			return 0;
		*kind = INSN_BRANCH;
		*rel = le32(p + i);
		return i + 4;
	case 0xe0: case 0xe1: case 0xe2: case 0xe3: /* loop*, jrcxz */
	case 0xeb: /* jmp rel8 */
		if (opsize || i + 1 > n)
			return 0;
		*kind = INSN_BRANCH;
		*rel = (int8_t)p[i];
		return i + 1;
	case 0xf6: /* test $imm8 (/0), not neg mul imul div idiv */
		return sub == 1 ? 0 : with_modrm(p, n, i, sub == 0);
	case 0xf7:
		return sub == 1 ? 0 : with_modrm(p, n, i, sub == 0 ? z : 0);
	case 0xfe: /* inc, dec */
		return sub <= 1 ? with_modrm(p, n, i, 0) : 0;
	case 0xff: /* inc dec call jmp push */
		return sub != 3 && sub != 5 && sub != 7 ? with_modrm(p, n, i, 0)
							: 0;
	}
	return 0;
}

#define BOUND_MAX 4096

int limen_insn_bound(const uint8_t *code, size_t n)
{
	uint8_t starts[BOUND_MAX / 8 + 1] = { 0 };
	size_t end, at = 0;

	if (n < 2 || n > BOUND_MAX || code[n - 2] != 0x0f || code[n - 1] != 0x05)
		return 0;
	end = n - 2;
	/* every instruction's start, then every branch's target within */
	while (at < end) {
		int kind;
		int32_t rel;
		uint32_t k = limen_insn_len(code + at, end - at, &kind, &rel);

		if (!k)
			return 0;
		starts[at / 8] |= (uint8_t)(1u << at % 8);
		at += k;
	}
	if (at != end)
		return 0;
	starts[end / 8] |= (uint8_t)(1u << end % 8);
	for (at = 0; at < end;) {
		int kind;
		int32_t rel;
		uint32_t k = limen_insn_len(code + at, end - at, &kind, &rel);
		int64_t t = (int64_t)(at + k) + rel;

		if (kind == INSN_BRANCH && t >= 0 && t <= (int64_t)end + 1 &&
		    !(starts[t / 8] >> t % 8 & 1))
			return 0; /* into the middle of an instruction, or of
				     the `syscall` */
		at += k;
	}
	return 1;
}
