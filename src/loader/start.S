/* SPDX-License-Identifier: MIT */
/*
 * limen's loader: the entry point the kernel jumps to, and the jump into
 * the program (loader.c says why). Inside the loader's executable segment,
 * which is the Syscall User Dispatch exempt range once the runtime is
 * armed, so nothing here traps.
 */
	.text
	.globl	limen_loader_start
	.hidden	limen_loader_start
	.type	limen_loader_start, @function
limen_loader_start:
	.cfi_startproc
	.cfi_undefined rip
	xor	%ebp, %ebp
	mov	%rsp, %rdi		/* argc, argv, envp, auxv */
	and	$-16, %rsp
	call	limen_loader_main
	ud2
	.cfi_endproc
	.size	limen_loader_start, .-limen_loader_start

/*
 * void limen_loader_jump(uint64_t *sp, uint64_t entry): start the program
 * (or its interpreter) as the kernel would: the stack pointer at argc, the
 * registers zero (rdx is the ELF ABI's exit-function pointer: none).
 */
	.globl	limen_loader_jump
	.hidden	limen_loader_jump
	.type	limen_loader_jump, @function
limen_loader_jump:
	.cfi_startproc
	mov	%rdi, %rsp
	push	%rsi		/* popped by the ret: below argc, unused */
	xor	%eax, %eax
	xor	%ebx, %ebx
	xor	%ecx, %ecx
	xor	%edx, %edx
	xor	%esi, %esi
	xor	%edi, %edi
	xor	%ebp, %ebp
	xor	%r8d, %r8d
	xor	%r9d, %r9d
	xor	%r10d, %r10d
	xor	%r11d, %r11d
	xor	%r12d, %r12d
	xor	%r13d, %r13d
	xor	%r14d, %r14d
	xor	%r15d, %r15d
	ret
	.cfi_endproc
	.size	limen_loader_jump, .-limen_loader_jump

	.section .note.GNU-stack,"",@progbits
