/* SPDX-License-Identifier: MIT */
/*
 * The length of one x86-64 instruction, exactly, for the instructions this
 * decoder knows (insn_len.c): the proof of where instructions start when a
 * function is decoded from its entry (rewrite_pad.c). No libc, no runtime
 * state: tests/unit/test_insn_len.c checks it against objdump.
 */
#ifndef LIMEN_INSN_LEN_H
#define LIMEN_INSN_LEN_H

#include <stddef.h>
#include <stdint.h>

/* A relative branch's displacement (jcc, jmp, call), from the end of the
 * instruction; its kind. */
enum { INSN_PLAIN, INSN_BRANCH };

/* The bytes of a ModRM at p with its SIB and displacement (rip-relative:
 * disp32); 0 past n. rewrite_forms.c's decoder asks it too. */
uint32_t limen_modrm_len(const uint8_t *p, size_t n);

/*
 * The instruction at p (n bytes readable): its length, and *kind and *rel
 * for a relative branch; 0 if this decoder does not know it exactly, or it
 * does not fit in n.
 */
uint32_t limen_insn_len(const uint8_t *p, size_t n, int *kind, int32_t *rel);

/*
 * code holds the n bytes from a function's entry (an address proved to
 * start an instruction) to the end of a `syscall` (its last 2 bytes):
 * decoded forward with limen_insn_len, every instruction known, they end
 * exactly at the `syscall`, and no branch among them lands inside an
 * instruction of them. 1 if so.
 */
int limen_insn_bound(const uint8_t *code, size_t n);

#endif
