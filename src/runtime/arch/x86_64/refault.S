/* SPDX-License-Identifier: MIT */
/*
 * One instruction a fault signal: where a thread in seccomp strict mode
 * must die of a signal at SIG_DFL (signals.c, die_at) it may make none of
 * the calls that would put SIG_DFL back and queue the signal (the kernel
 * kills it with SIGKILL for any), so its frame returns here with the
 * signal blocked, and the kernel forces the fault's signal (force_sig_info:
 * blocked, it is made SIG_DFL and let in), which kills as bare. Each
 * touches no register but flags.
 *   limen_refault_segv  a load from page 0 (below vm.mmap_min_addr)
 *   limen_refault_bus   a load misaligned by one byte: with EFLAGS.AC set
 *                       (the kernel runs with CR0.AM), alignment check
 *   limen_refault_ill   ud2
 *   limen_refault_fpe   a division by a word that is 0
 *   limen_refault_trap  int3
 * Each is followed by ud2, should the first ever go on.
 */
	.text
	.globl	limen_refault_segv
	.hidden	limen_refault_segv
	.globl	limen_refault_bus
	.hidden	limen_refault_bus
	.globl	limen_refault_ill
	.hidden	limen_refault_ill
	.globl	limen_refault_fpe
	.hidden	limen_refault_fpe
	.globl	limen_refault_trap
	.hidden	limen_refault_trap
	.align	16
limen_refault_segv:
	testb	$0, 0x0
	ud2
limen_refault_bus:
	testl	$0, refault_words+1(%rip)
	ud2
limen_refault_ill:
	ud2
limen_refault_fpe:
	divl	refault_words(%rip)
	ud2
limen_refault_trap:
	int3
	ud2

	.section .rodata
	.align	16
refault_words:
	.quad	0, 0
	.section .note.GNU-stack, "", @progbits
