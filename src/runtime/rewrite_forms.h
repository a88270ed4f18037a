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
	/* the forms proved from the function's entry (limen_form_entry) */
	uint32_t insn_len;       /* the replaced instruction's bytes */
	uint32_t stub_len;       /* the stub's copy: len, or more where a
				    jcc rel8 becomes a jcc rel32 */
	uint32_t entry_off;      /* from the entry to the replaced one */
	int rip;                 /* it is a rip-relative cmp or test */
	/* the pad form (rewrite.c, pad_form): no instruction replaced but
	   the `syscall`, by a jmp to this slot after the function */
	uint64_t pad;
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

/* The forms proved from the function's entry (limen_form_entry). */
#define FORM_ENTRY_MAX 60        /* bytes from the entry to the `syscall` */
#define FORM_RIP_MAX 11          /* REX.W 81 /7 disp32 imm32 */
/* a stub's copy: the replaced instruction, then the copied bytes, each jcc
   rel8 (2 bytes) growing into a jcc rel32 (6) */
#define FORM_STUB_MAX (FORM_RIP_MAX + 3 * FORM_COPY_MAX)

typedef long (*form_read_fn)(void *dst, uint64_t addr, size_t n);

/*
 * code holds the n bytes from a function's entry (an address proved to
 * start an instruction: the start of an FDE, limen_fde_start) to the end
 * of a `syscall` (its last 2 bytes). Decoded forward from the entry, every
 * instruction one this decoder knows exactly, they must end exactly at the
 * `syscall`; then the replaced instruction is the last rip-relative
 * `cmp`/`test` (80 81 83 /7, 38-3b, 84 85, f6 /0, mod 00 rm 101) such
 * that the bytes after it are at most FORM_COPY_MAX of the list's
 * instructions or conditional branches out of the replaced instruction.
 * 1 with *f filled (f->rip, the offsets), else 0.
 */
int limen_form_entry(const uint8_t *code, size_t n, struct form *f);

/*
 * The stub's copy of a site's instructions, into out (f->stub_len bytes):
 * insn is the site's f->len bytes at address site, the copy goes to
 * address stub. As they are, but a rip-relative operand of the replaced
 * instruction re-aimed at the same address, and each conditional branch
 * made a jcc rel32 to its original absolute target. 0 if a displacement
 * does not fit in 32 bits.
 */
int limen_form_stub(uint8_t *out, const uint8_t *insn, const struct form *f,
		    uint64_t site, uint64_t stub);

/*
 * The start of the FDE that covers pc, from the .eh_frame_hdr at hdr (its
 * binary-search table: version 1, the table datarel sdata4); read reads
 * memory at an address. 0 if there is none or the table is of another
 * kind.
 */
uint64_t limen_fde_start(uint64_t hdr, uint64_t pc, form_read_fn read);

#endif
