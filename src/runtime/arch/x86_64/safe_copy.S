/* SPDX-License-Identifier: MIT */
/*
 * long limen_copy_user(void *dst, uint64_t src, size_t n): copy n bytes of
 * the program's memory with plain loads, for limen_safe_read (safe.c). The
 * two instructions that read src may fault: limen's SIGSEGV/SIGBUS handler
 * (safe.c, limen_copy_fixup) then resumes at their fixup, as the kernel's
 * exception tables do for copy_from_user. Returns the bytes copied before
 * the first unreadable one, or -EFAULT if none was.
 *
 * rep movsb leaves rsi, rdi and rcx at an element boundary when it faults,
 * but fast strings may stop short of the faulting byte: the bytes up to it
 * are then copied one at a time, so that the count is exact (the same as
 * process_vm_readv's, split at page boundaries, would give).
 */
#define EFAULT 14

	.text
	.globl	limen_copy_user
	.hidden	limen_copy_user
	.globl	limen_copy_fault_movs
	.hidden	limen_copy_fault_movs
	.globl	limen_copy_fault_byte
	.hidden	limen_copy_fault_byte
	.globl	limen_copy_fix_movs
	.hidden	limen_copy_fix_movs
	.globl	limen_copy_fix_byte
	.hidden	limen_copy_fix_byte
	.type	limen_copy_user, @function
	.align	16
limen_copy_user:
	.cfi_startproc
	mov	%rdx, %rcx
	mov	%rdx, %r8
limen_copy_fault_movs:
	rep movsb
	mov	%r8, %rax
	ret
	/* rep movsb faulted: rcx bytes left, from rsi */
limen_copy_fix_movs:
	test	%rcx, %rcx
	jz	2f
limen_copy_fault_byte:
1:	movb	(%rsi), %al
	movb	%al, (%rdi)
	inc	%rsi
	inc	%rdi
	dec	%rcx
	jnz	1b
	/* the byte loop faulted, or finished: rcx bytes were not copied */
limen_copy_fix_byte:
2:	mov	%r8, %rax
	sub	%rcx, %rax
	jnz	3f
	mov	$-EFAULT, %rax
3:	ret
	.cfi_endproc
	.size	limen_copy_user, .-limen_copy_user

/*
 * long limen_copy_to_user(uint64_t dst, const void *src, size_t n): the
 * same into the program's memory, for limen_safe_write: the stores are
 * what may fault.
 */
	.globl	limen_copy_to_user
	.hidden	limen_copy_to_user
	.globl	limen_copyto_fault_movs
	.hidden	limen_copyto_fault_movs
	.globl	limen_copyto_fault_byte
	.hidden	limen_copyto_fault_byte
	.globl	limen_copyto_fix_movs
	.hidden	limen_copyto_fix_movs
	.globl	limen_copyto_fix_byte
	.hidden	limen_copyto_fix_byte
	.type	limen_copy_to_user, @function
	.align	16
limen_copy_to_user:
	.cfi_startproc
	mov	%rdx, %rcx
	mov	%rdx, %r8
limen_copyto_fault_movs:
	rep movsb
	mov	%r8, %rax
	ret
	/* rep movsb faulted: rcx bytes left, to rdi */
limen_copyto_fix_movs:
	test	%rcx, %rcx
	jz	2f
1:	movb	(%rsi), %al
limen_copyto_fault_byte:
	movb	%al, (%rdi)
	inc	%rsi
	inc	%rdi
	dec	%rcx
	jnz	1b
	/* the byte loop faulted, or finished: rcx bytes were not copied */
limen_copyto_fix_byte:
2:	mov	%r8, %rax
	sub	%rcx, %rax
	jnz	3f
	mov	$-EFAULT, %rax
3:	ret
	.cfi_endproc
	.size	limen_copy_to_user, .-limen_copy_to_user

	.section .note.GNU-stack,"",@progbits
