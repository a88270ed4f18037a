/* SPDX-License-Identifier: MIT */
/*
 * struct limen_str_read limen_copy_str(char *dst, uint64_t src, size_t n):
 * the program's string at src, copied with plain loads for limen_safe_str
 * (safe.c), a word at a time, stopping after the word (or byte) holding
 * its NUL: one or two loads for most paths, where limen_copy_user's rep
 * movsb of 64 bytes and a scan after it cost several times that. Returns
 * (rax) the bytes copied, all readable, at most n, or -EFAULT if none was;
 * (rdx) the NUL's index, or -1 when there is none in them.
 *
 * A word that faults (limen_copy_fixup, as for limen_copy_user) may still
 * hold the string's end before a page boundary: its bytes are then read
 * one at a time, up to the NUL or the first unreadable one, so that the
 * count is the one a byte-wise read would give. A word holding a zero
 * byte has a high bit in (w - ONES) & ~w & HIGHS; its lowest such bit is
 * the first zero byte's (a borrow only sets higher ones).
 */
#define EFAULT 14

	.text
	.globl	limen_copy_str
	.hidden	limen_copy_str
	.globl	limen_str_fault_word
	.hidden	limen_str_fault_word
	.globl	limen_str_fault_byte
	.hidden	limen_str_fault_byte
	.globl	limen_str_fix_word
	.hidden	limen_str_fix_word
	.globl	limen_str_fix_byte
	.hidden	limen_str_fix_byte
	.type	limen_copy_str, @function
	.align	16
limen_copy_str:
	.cfi_startproc
	xor	%eax, %eax		/* bytes copied */
	mov	%rdx, %r8		/* n */
	movabs	$0x0101010101010101, %r9
	movabs	$0x8080808080808080, %r10
1:	lea	8(%rax), %rcx
	cmp	%r8, %rcx
	ja	limen_str_fix_word	/* fewer than 8 left: bytes */
limen_str_fault_word:
	mov	(%rsi,%rax), %rdx
	mov	%rdx, (%rdi,%rax)
	mov	%rdx, %r11
	sub	%r9, %r11
	not	%rdx
	and	%rdx, %r11
	and	%r10, %r11
	jnz	2f
	add	$8, %rax
	jmp	1b
2:	bsf	%r11, %r11
	shr	$3, %r11
	lea	(%rax,%r11), %rdx	/* the NUL's index */
	add	$8, %rax
	ret
	/* a word faulted, or fewer than 8 bytes are left: one at a time */
limen_str_fix_word:
3:	cmp	%r8, %rax
	jae	limen_str_fix_byte
limen_str_fault_byte:
	movzbl	(%rsi,%rax), %ecx
	mov	%cl, (%rdi,%rax)
	inc	%rax
	test	%ecx, %ecx
	jnz	3b
	lea	-1(%rax), %rdx
	ret
	/* n bytes without a NUL, or a byte faulted */
limen_str_fix_byte:
	mov	$-1, %rdx
	test	%rax, %rax
	jnz	4f
	mov	$-EFAULT, %rax
4:	ret
	.cfi_endproc
	.size	limen_copy_str, .-limen_copy_str

	.section .note.GNU-stack,"",@progbits
