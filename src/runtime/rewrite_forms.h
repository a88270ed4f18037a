/* SPDX-License-Identifier: MIT */
/*
 * Which instructions before a `syscall` a rewrite may move into the site's
 * stub (rewrite_forms.c; rewrite.c patches): no libc, no runtime state, so
 * that tests/unit/test_forms.c decodes the same way.
 */
#ifndef LIMEN_REWRITE_FORMS_H
#define LIMEN_REWRITE_FORMS_H

#include <stddef.h>
#include <stdint.h>

#define FORM_INSN 5              /* the instruction the jmp replaces */
#define FORM_COPY_MAX 24         /* bytes between it and the `syscall` */
#define FORM_PREFIX_MAX 15       /* inert bytes before it looked at */
/* the bytes before the `syscall` the decoder may look at */
#define FORM_WINDOW (FORM_INSN + FORM_COPY_MAX + FORM_PREFIX_MAX + 1)

/* What the trap saw: the registers by x86 number (rax 0 ... r15 15), those
 * it shows as they were at the `syscall` (known: not rcx, r11, which the
 * `syscall` overwrote) and a way to read the program's stack. */
struct form_regs {
	uint64_t r[16];
	uint16_t known;
	long (*load)(void *dst, uint64_t addr, size_t n);
};

struct form {
	uint32_t len;            /* from the replaced instruction to the
				    `syscall`: FORM_INSN + the bytes the stub
				    runs a copy of */
	int32_t reg;             /* mov $imm,%r32: r's x86 number, else -1 */
	uint32_t imm;            /* and its immediate */
	int32_t load_reg;        /* mov disp8(%rsp),%r64: r's, else -1 */
	int32_t disp;            /* and disp8 */
	int prev_unread;         /* the instruction starts where the window
				    does: the byte before it was not read */
};

/*
 * w points at a `syscall` (0f 05) whose bytes w[-avail] .. w[-1] were read
 * (avail <= FORM_WINDOW; fewer where the mapping starts); regs is what its
 * trap saw, or 0 (tests: the bytes only). Finds the one 5-byte instruction
 * the jmp may replace and the whitelisted instructions between it and the
 * `syscall`; 1 with *f filled, 0 if no form fits, or two that disagree on
 * where instructions start.
 */
int limen_form_find(const uint8_t *w, size_t avail,
		    const struct form_regs *regs, struct form *f);

#endif
