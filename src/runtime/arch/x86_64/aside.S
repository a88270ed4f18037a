/* SPDX-License-Identifier: MIT */
/*
 * long limen_aside_run(unsigned long flags, struct aside_call *c,
 *                      void *stack_top, uint32_t *tid_word): clone a helper
 * thread (aside.c) that runs limen_aside_body(c) on stack_top, closes the
 * descriptors of its table (its copy of the caller's: the files must not
 * stay referenced once the caller has gone on, as exit_files would leave
 * them until after the kernel cleared tid_word) and ends with SYS_exit.
 * clone's return in the caller: the helper's tid, or -errno.
 */
#define SYS_clone 56
#define SYS_exit 60
#define SYS_close_range 436

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
	mov	%rdx, %rsi		/* the helper's stack */
	and	$-16, %rsi
	mov	%rcx, %r10		/* child_tid: cleared and woken at exit */
	xor	%edx, %edx		/* parent_tid */
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
	xor	%ebp, %ebp		/* no frame chain into the caller's */
	mov	%rbx, %rdi
	call	limen_aside_body
	mov	$SYS_close_range, %eax
	xor	%edi, %edi
	mov	$-1, %esi
	xor	%edx, %edx
	syscall
	mov	$SYS_exit, %eax
	xor	%edi, %edi
	syscall
	ud2
	.cfi_endproc
	.size	limen_aside_run, .-limen_aside_run

	.section .note.GNU-stack,"",@progbits
