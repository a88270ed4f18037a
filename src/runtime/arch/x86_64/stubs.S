/* SPDX-License-Identifier: MIT */
/*
 * The runtime's assembly: everything here is inside liblimen's executable
 * segment, the Syscall User Dispatch exempt range.
 */
	.text

/* Signal restorer for every handler limen installs: rt_sigreturn from the
 * exempt range (from anywhere else it would trap, with the frame gone). */
	.globl	limen_restorer
	.hidden	limen_restorer
	.type	limen_restorer, @function
limen_restorer:
	mov	$15, %eax
	syscall
	ud2
	.size	limen_restorer, .-limen_restorer

/*
 * long limen_app_syscall(nr, a0, a1, a2, a3, a4, a5): the program's own call.
 * A signal delivered as it returns interrupts the instruction at
 * limen_app_syscall_ret with the result in rax; the signal wrapper uses that
 * to record the call's exit before the signal, in the order strace shows.
 */
	.globl	limen_app_syscall
	.hidden	limen_app_syscall
	.globl	limen_app_syscall_ret
	.hidden	limen_app_syscall_ret
	.type	limen_app_syscall, @function
limen_app_syscall:
	mov	%rdi, %rax
	mov	%rsi, %rdi
	mov	%rdx, %rsi
	mov	%rcx, %rdx
	mov	%r8, %r10
	mov	%r9, %r8
	mov	8(%rsp), %r9
	syscall
limen_app_syscall_ret:
	ret
	.size	limen_app_syscall, .-limen_app_syscall

/*
 * long limen_clone_stub(nr, a0, a1, a2, a3, a4): clone/clone3 whose child
 * starts on a new stack. The caller put a struct limen_child (gregs first)
 * at the child's stack pointer; the child calls limen_child_start on it,
 * which never returns. The parent just gets the result.
 */
	.globl	limen_clone_stub
	.hidden	limen_clone_stub
	.type	limen_clone_stub, @function
limen_clone_stub:
	mov	%rdi, %rax
	mov	%rsi, %rdi
	mov	%rdx, %rsi
	mov	%rcx, %rdx
	mov	%r8, %r10
	mov	%r9, %r8
	syscall
	test	%rax, %rax
	jz	1f
	ret
1:	xor	%ebp, %ebp
	mov	%rsp, %rdi
	and	$-16, %rsp
	call	limen_child_start
	ud2
	.size	limen_clone_stub, .-limen_clone_stub

/*
 * long limen_vfork_stub(struct limen_vfork_args *va): a CLONE_VM child that
 * keeps our stack (vfork). The child returns through our frames and then runs
 * the program on the same stack, overwriting them; the parent, which sleeps
 * until the child execs or exits, puts back the bytes from its stack pointer
 * up to the program's (va->hi), saved just before the call. Registers only
 * between the save and the restore.
 */
	.globl	limen_vfork_stub
	.hidden	limen_vfork_stub
	.type	limen_vfork_stub, @function
limen_vfork_stub:
	push	%rbx
	push	%rbp
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	mov	%rdi, %rbx
	mov	%rsp, %r12		/* low end of what the child clobbers */
	mov	56(%rbx), %r13		/* va->hi */
	mov	48(%rbx), %r14		/* va->save */
	mov	%r12, %rsi
	mov	%r14, %rdi
	mov	%r13, %rcx
	sub	%r12, %rcx
	cld
	rep movsb
	mov	0(%rbx), %rax
	mov	8(%rbx), %rdi
	mov	16(%rbx), %rsi
	mov	24(%rbx), %rdx
	mov	32(%rbx), %r10
	mov	40(%rbx), %r8
	syscall
	test	%rax, %rax
	jz	1f
	mov	%rax, %r15
	mov	%r14, %rsi
	mov	%r12, %rdi
	mov	%r13, %rcx
	sub	%r12, %rcx
	cld
	rep movsb
	mov	%r15, %rax
1:	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbp
	pop	%rbx
	ret
	.size	limen_vfork_stub, .-limen_vfork_stub

/*
 * void limen_resume(const uint64_t gregs[23]): continue the program in a new
 * thread as the kernel would after `syscall`: all registers from the
 * ucontext gregs layout (REG_R8 = 0 ... REG_RIP = 16, REG_EFL = 17), rcx =
 * rip and r11 = rflags as the instruction leaves them.
 */
	.globl	limen_resume
	.hidden	limen_resume
	.type	limen_resume, @function
limen_resume:
	mov	0*8(%rdi), %r8
	mov	1*8(%rdi), %r9
	mov	2*8(%rdi), %r10
	mov	17*8(%rdi), %r11
	mov	4*8(%rdi), %r12
	mov	5*8(%rdi), %r13
	mov	6*8(%rdi), %r14
	mov	7*8(%rdi), %r15
	mov	9*8(%rdi), %rsi
	mov	10*8(%rdi), %rbp
	mov	11*8(%rdi), %rbx
	mov	12*8(%rdi), %rdx
	mov	13*8(%rdi), %rax
	mov	16*8(%rdi), %rcx
	mov	15*8(%rdi), %rsp
	mov	8*8(%rdi), %rdi
	jmp	*%rcx
	.size	limen_resume, .-limen_resume

	.section .note.GNU-stack,"",@progbits
