/* SPDX-License-Identifier: MIT */
/*
 * long limen_exec_call(nr, a0, a1, a2, a3, a4, a5): the program's execve or
 * execveat, made only if no signal is held for the program (signals.c,
 * defer): the new image would never see one held in limen's memory, where
 * the kernel would have delivered it before the call. LIMEN_RET_DEFERRED
 * if one is; the call is then made again after it (dispatch.c, reissue).
 * A signal that arrives between the check and the `syscall` is held too,
 * and defer moves the instruction pointer back to limen_exec_check, which
 * finds it (as limen_exit_check does on the way out, stubs.S).
 */
#include "runtime/asm-offsets.h"

#ifdef LIMEN_GS_TLS
#define TLS_DEFERRED_NONZERO \
	cmpq	$0, %gs:16+TLS_DEFERRED /* LIMEN_GS_HDR */
#else
#define TLS_DEFERRED_NONZERO \
	mov	limen_tls@gottpoff(%rip), %r11; \
	cmpq	$0, %fs:TLS_DEFERRED(%r11)
#endif

	.text
	.globl	limen_exec_call
	.hidden	limen_exec_call
	.globl	limen_exec_check
	.hidden	limen_exec_check
	.globl	limen_exec_syscall
	.hidden	limen_exec_syscall
	.type	limen_exec_call, @function
limen_exec_call:
	.cfi_startproc
	mov	%rdi, %rax
	mov	%rsi, %rdi
	mov	%rdx, %rsi
	mov	%rcx, %rdx
	mov	%r8, %r10
	mov	%r9, %r8
	mov	8(%rsp), %r9
limen_exec_check:
	TLS_DEFERRED_NONZERO
	jne	1f
limen_exec_syscall:
	syscall
	ret
1:	mov	$LIMEN_RET_DEFERRED, %rax
	ret
	.cfi_endproc
	.size	limen_exec_call, .-limen_exec_call

	.section .note.GNU-stack,"",@progbits
