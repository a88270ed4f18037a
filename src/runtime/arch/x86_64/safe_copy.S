/* SPDX-License-Identifier: MIT */
/*
 * long limen_copy_user(void *dst, uint64_t src, size_t n): copy n bytes of
 * the program's memory with plain loads, for limen_safe_read (safe.c). The
 * two instructions that read src may fault: limen's SIGSEGV/SIGBUS handler
 * (safe.c, limen_copy_fixup) then resumes at their fixup, as the kernel's
 * exception tables do for copy_from_user. Returns the bytes copied before
 * the first unreadable one, or -EFAULT if none was.
 *
 * long limen_copy_to_user(uint64_t dst, const void *src, size_t n): the
 * same into the program's memory, for limen_put_user and limen_safe_write:
 * the stores are what may fault.
 *
 * rep movsb leaves rsi, rdi and rcx at an element boundary when it faults,
 * but fast strings may stop short of the faulting byte: the bytes up to it
 * are then copied one at a time, so that the count is exact (the same as
 * process_vm_readv's, split at page boundaries, would give).
 */
#define EFAULT 14

/* The copy: `name`, its fault and fixup labels prefixed `pre`; to_user 1:
   the byte loop's store is what faults, 0: its load */
.macro	COPY name, pre, to_user
	.globl	\name
	.hidden	\name
	.globl	\pre\()_fault_movs
	.hidden	\pre\()_fault_movs
	.globl	\pre\()_fault_byte
	.hidden	\pre\()_fault_byte
	.globl	\pre\()_fix_movs
	.hidden	\pre\()_fix_movs
	.globl	\pre\()_fix_byte
	.hidden	\pre\()_fix_byte
	.type	\name, @function
	.align	16
\name:
	.cfi_startproc
	mov	%rdx, %rcx
	mov	%rdx, %r8
\pre\()_fault_movs:
	rep movsb
	mov	%r8, %rax
	ret
	/* rep movsb faulted: rcx bytes left */
\pre\()_fix_movs:
	test	%rcx, %rcx
	jz	2f
1:
.if \to_user
	movb	(%rsi), %al
\pre\()_fault_byte:
	movb	%al, (%rdi)
.else
\pre\()_fault_byte:
	movb	(%rsi), %al
	movb	%al, (%rdi)
.endif
	inc	%rsi
	inc	%rdi
	dec	%rcx
	jnz	1b
	/* the byte loop faulted, or finished: rcx bytes were not copied */
\pre\()_fix_byte:
2:	mov	%r8, %rax
	sub	%rcx, %rax
	jnz	3f
	mov	$-EFAULT, %rax
3:	ret
	.cfi_endproc
	.size	\name, .-\name
.endm

/*
 * long limen_copy_user_split(void *dst, uint64_t src, size_t n, uint32_t
 * prog, uint32_t mine), limen_copy_to_user_split(uint64_t dst, const void
 * *src, size_t n, uint32_t prog, uint32_t mine): the same for a program
 * whose PKRU (prog) denies key 0, limen's own memory (pkru.h): a byte at a
 * time through r9b, the program's PKRU in force for the access to its
 * memory only (the one that may fault), limen's (mine) for limen's. A
 * fault resumes at the fixup with prog in force: it puts mine back before
 * it touches memory. Slow (two wrpkru a byte), and only for such programs.
 */
.macro	COPY_SPLIT name, pre, to_user
	.globl	\name
	.hidden	\name
	.globl	\pre\()_fault
	.hidden	\pre\()_fault
	.globl	\pre\()_fix
	.hidden	\pre\()_fix
	.type	\name, @function
	.align	16
\name:
	.cfi_startproc
	xor	%eax, %eax
	test	%rdx, %rdx
	jz	3f
	push	%rdx			/* n, read back with mine in force */
	.cfi_adjust_cfa_offset 8
	mov	%rdx, %r11		/* bytes left */
	mov	%ecx, %r10d
1:
.if \to_user
	movb	(%rsi), %r9b
.endif
	mov	%r10d, %eax
	xor	%ecx, %ecx
	xor	%edx, %edx
	wrpkru
\pre\()_fault:
.if \to_user
	movb	%r9b, (%rdi)
.else
	movb	(%rsi), %r9b
.endif
	mov	%r8d, %eax
	wrpkru
.if !\to_user
	movb	%r9b, (%rdi)
.endif
	inc	%rsi
	inc	%rdi
	dec	%r11
	jnz	1b
	/* done, or the access faulted: r11 bytes were not copied */
\pre\()_fix:
	mov	%r8d, %eax
	xor	%ecx, %ecx
	xor	%edx, %edx
	wrpkru
	pop	%rax
	.cfi_adjust_cfa_offset -8
	sub	%r11, %rax
	jnz	3f
	mov	$-EFAULT, %rax
3:	ret
	.cfi_endproc
	.size	\name, .-\name
.endm

	.text
	COPY	limen_copy_user, limen_copy, 0
	COPY	limen_copy_to_user, limen_copyto, 1
	COPY_SPLIT limen_copy_user_split, limen_copy_split, 0
	COPY_SPLIT limen_copy_to_user_split, limen_copyto_split, 1

	.section .note.GNU-stack,"",@progbits
