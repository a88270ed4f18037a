/* SPDX-License-Identifier: MIT */
/*
 * long limen_aside_run(unsigned long flags, struct aside_call *c): clone a
 * helper thread (aside.c) that runs limen_aside_body(c) on this stack,
 * 512 bytes below this frame (past the red zone and what the kernel's
 * entry leaves), then ends with SYS_exit. flags hold CLONE_VFORK: clone
 * returns here when the helper has exited, with its tid, or -errno if
 * there is none.
 */
#define SYS_clone 56
#define SYS_exit 60

	.text
	.globl	limen_aside_run
	.hidden	limen_aside_run
	.type	limen_aside_run, @function
	.align	16
limen_aside_run:
	.cfi_startproc
	push	%rbx
	.cfi_adjust_cfa_offset 8
	.cfi_rel_offset rbx, 0
	mov	%rsi, %rbx		/* c, in the helper's registers too */
	lea	-512(%rsp), %rsi	/* the helper's stack */
	and	$-16, %rsi
	xor	%edx, %edx		/* parent_tid */
	xor	%r10d, %r10d		/* child_tid */
	xor	%r8d, %r8d		/* tls: none (no CLONE_SETTLS) */
	mov	$SYS_clone, %eax
	syscall
	test	%rax, %rax
	jz	1f
	pop	%rbx
	.cfi_adjust_cfa_offset -8
	.cfi_restore rbx
	ret
1:	/* the helper: rsp is its stack, 16-aligned */
	.cfi_undefined rip
	mov	%rbx, %rdi
	call	limen_aside_body
	mov	$SYS_exit, %eax
	xor	%edi, %edi
	syscall
	ud2
	.cfi_endproc
	.size	limen_aside_run, .-limen_aside_run

	.section .note.GNU-stack,"",@progbits
