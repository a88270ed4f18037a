/* SPDX-License-Identifier: MIT */
/*
 * The runtime's assembly: everything here is inside liblimen's executable
 * segment, the Syscall User Dispatch exempt range. Every stub has CFI, so
 * that unwinders (libgcc for pthread_cancel and C++ exceptions, backtrace(),
 * gdb) walk through limen's frames into the program's.
 */
#include "runtime/asm-offsets.h"

/* cmp: is limen_tls.deferred non-zero (clobbers r11)? The loader's runtime
   finds its TLS at %gs (rt.h, LIMEN_GS_TLS) */
#ifdef LIMEN_GS_TLS
#define TLS_DEFERRED_NONZERO \
	cmpq	$0, %gs:16+TLS_DEFERRED /* LIMEN_GS_HDR */
#define TLS_PKRU_SPLIT_LOAD \
	mov	%gs:16+TLS_PKRU_SPLIT, %r11d
#define TLS_PKRU_SPLIT_STORE(reg) \
	mov	reg, %gs:16+TLS_PKRU_SPLIT
/* r11 = limen_tls.inflight */
#define TLS_INFLIGHT_LOAD \
	mov	%gs:16+TLS_INFLIGHT, %r11
#else
#define TLS_DEFERRED_NONZERO \
	mov	limen_tls@gottpoff(%rip), %r11; \
	cmpq	$0, %fs:TLS_DEFERRED(%r11)
/* limen_tls.pkru_split in r11d (after TLS_DEFERRED_NONZERO: r11 is the
   offset), and back (clobbers r11) */
#define TLS_PKRU_SPLIT_LOAD \
	mov	%fs:TLS_PKRU_SPLIT(%r11), %r11d
#define TLS_PKRU_SPLIT_STORE(reg) \
	mov	limen_tls@gottpoff(%rip), %r11; \
	mov	reg, %fs:TLS_PKRU_SPLIT(%r11)
#define TLS_INFLIGHT_LOAD \
	mov	limen_tls@gottpoff(%rip), %r11; \
	mov	%fs:TLS_INFLIGHT(%r11), %r11
#endif

/*
 * Signal-frame CFI, as glibc describes its __restore_rt: the frame is a
 * ucontext whose address is in register BREG (DWARF number) + 0; the
 * caller's CFA is the saved rsp and every register is read back from the
 * gregs. Offsets are those of the kernel's struct ucontext (asm-offsets.h);
 * each is encoded as a two-byte SLEB128 (all are below 8192).
 */
#define SLEB2(off) (((off) & 0x7f) | 0x80), ((off) >> 7)
#define UC_CFA(breg) \
	.cfi_escape 0x0f, 0x04, 0x70 + (breg), SLEB2(UC_RSP), 0x06
#define UC_REG(dw, off, breg) \
	.cfi_escape 0x10, dw, 0x03, 0x70 + (breg), SLEB2(off)
#define UC_FRAME(breg) \
	UC_CFA(breg); \
	UC_REG(8, UC_R8, breg); UC_REG(9, UC_R9, breg); \
	UC_REG(10, UC_R10, breg); UC_REG(11, UC_R11, breg); \
	UC_REG(12, UC_R12, breg); UC_REG(13, UC_R13, breg); \
	UC_REG(14, UC_R14, breg); UC_REG(15, UC_R15, breg); \
	UC_REG(5, UC_RDI, breg); UC_REG(4, UC_RSI, breg); \
	UC_REG(6, UC_RBP, breg); UC_REG(3, UC_RBX, breg); \
	UC_REG(1, UC_RDX, breg); UC_REG(0, UC_RAX, breg); \
	UC_REG(2, UC_RCX, breg); UC_REG(7, UC_RSP, breg); \
	UC_REG(16, UC_RIP, breg)
#define DW_RSP 7
#define DW_RBX 3

	.text

/*
 * Restorer of the frames the kernel builds for limen's own handlers (SIGSYS
 * and the wrapper of the program's handlers): rt_sigreturn from the exempt
 * range (from anywhere else it would trap, with the frame gone). The nop
 * before it is inside its FDE: unwinders look up return address - 1.
 *
 * Every way back to the program ends in limen_exit_check: rbx is the
 * frame's ucontext, r12 where C may run (and, when r13 is 1 because the
 * frame is on the program's stack, a scratch area of LIMEN_SCRATCH bytes
 * above that), r13 says where the frame is. Signals held while limen code
 * ran (limen_tls.deferred) are delivered on top of the frame first
 * (limen_exit_held), which blocks every signal until rt_sigreturn, and the
 * check is made again on the frame it returns (rdx not 0: its frame is
 * limen's, r13 0), for a thread in seccomp strict mode, which may not block
 * them: one that came meanwhile is delivered on top. A signal arriving
 * between the check and the `syscall` is held too and its wrapper moves
 * rip back to the check (signals.c, defer): the check and the rt_sigreturn
 * behave as one step.
 */
	.globl	limen_restorer
	.hidden	limen_restorer
	.globl	limen_exit_check
	.hidden	limen_exit_check
	.globl	limen_exit_syscall
	.hidden	limen_exit_syscall
	.type	limen_restorer, @function
	.align	16
	.cfi_startproc simple
	.cfi_signal_frame
	UC_FRAME(DW_RSP)
	nop
limen_restorer:
	mov	%rsp, %rbx
	UC_FRAME(DW_RBX)
	mov	%rsp, %r12
	and	$-16, %r12
	xor	%r13d, %r13d
limen_exit_check:
	TLS_DEFERRED_NONZERO
	jne	1f
	mov	%rbx, %rsp
	mov	$15, %eax
limen_exit_syscall:
	syscall
	ud2
1:	mov	%r12, %rsp
	mov	%rbx, %rdi
	mov	%r12, %rsi
	mov	%r13, %rdx
	call	limen_exit_held
	mov	%rax, %rbx
	test	%rdx, %rdx
	jz	2f
	xor	%r13d, %r13d
	jmp	limen_exit_check
2:	mov	%rax, %rsp
	mov	$15, %eax
	syscall
	ud2
	.cfi_endproc
	.size	limen_restorer, .-limen_restorer

/*
 * long limen_app_syscall(nr, a0, a1, a2, a3, a4, a5): the program's own call.
 * A signal for the program delivered while it runs is handled as if it had
 * interrupted the program at its own `syscall` (signals.c): before the
 * `syscall` below, or when the kernel rewound it for a restart, the program
 * issues the call again after its handler; at limen_app_syscall_ret, the call
 * is over and rax is its result. A signal that arrived earlier, while limen
 * code ran, is held (limen_tls.deferred): then the call is not made and
 * LIMEN_RET_DEFERRED tells the handler to let the program take the signal
 * first.
 *
 * While the call runs, the registers the `syscall` ABI leaves alone (rbx,
 * rbp, r12-r15) hold the program's values (limen_tls.inflight->uc), not
 * limen's, which wait on this stack. A tool that stops the thread with
 * ptrace while it sleeps in the call reads them as bare: LeakSanitizer
 * found a worker's only pointer to its block in r12 bare, and limen's
 * value there under limen, and reported a leak (tests/syscalls/
 * blocked_regs.t); a frame-pointer unwinder (perf --call-graph=fp) goes
 * from here into the program's frames.
 *
 * A program whose PKRU denies key 0 (limen_tls.pkru_split, pkru.h): its
 * PKRU goes in right before the `syscall`, the kernel's accesses for the
 * call honour it, and limen's (key 0 open) comes back in
 * limen_app_syscall_split, past this function's end, where a signal is
 * held as anywhere in limen's code once the call is over. Nothing touches
 * memory while the program's is in force. That path needs rbx and rbp
 * for wrpkru's operands: there they are limen's.
 */
	.globl	limen_app_syscall
	.hidden	limen_app_syscall
	.globl	limen_app_syscall_ret
	.hidden	limen_app_syscall_ret
	.globl	limen_app_syscall_end
	.hidden	limen_app_syscall_end
	.type	limen_app_syscall, @function
#define APP_SAVED 48 /* rbx, rbp, r12-r15, which limen_app_syscall_pop
			  takes back */
/* r11 = the program's ucontext of its call in flight (limen_tls.inflight's
   uc), its r12-r15 loaded; to skip when there is none */
#define LOAD_PROG_R12_R15(skip) \
	TLS_INFLIGHT_LOAD; \
	test	%r11, %r11; \
	jz	skip; \
	mov	INFL_UC(%r11), %r11; \
	test	%r11, %r11; \
	jz	skip; \
	mov	UC_R12(%r11), %r12; \
	mov	UC_R13(%r11), %r13; \
	mov	UC_R14(%r11), %r14; \
	mov	UC_R15(%r11), %r15
#define PUSH_SAVED \
	push	%rbx; \
	.cfi_adjust_cfa_offset 8; \
	.cfi_rel_offset rbx, 0; \
	push	%rbp; \
	.cfi_adjust_cfa_offset 8; \
	.cfi_rel_offset rbp, 0; \
	push	%r12; \
	.cfi_adjust_cfa_offset 8; \
	.cfi_rel_offset r12, 0; \
	push	%r13; \
	.cfi_adjust_cfa_offset 8; \
	.cfi_rel_offset r13, 0; \
	push	%r14; \
	.cfi_adjust_cfa_offset 8; \
	.cfi_rel_offset r14, 0; \
	push	%r15; \
	.cfi_adjust_cfa_offset 8; \
	.cfi_rel_offset r15, 0
limen_app_syscall:
	.cfi_startproc
	PUSH_SAVED
	mov	%rdi, %rax
	mov	%rsi, %rdi
	mov	%rdx, %rsi
	mov	%rcx, %rdx
	mov	%r8, %r10
	mov	%r9, %r8
	mov	8+APP_SAVED(%rsp), %r9
	/* the program's callee-saved registers, where it has a call in
	   flight (limen_dispatch) */
	LOAD_PROG_R12_R15(3f)
	mov	UC_RBX(%r11), %rbx
	mov	UC_RBP(%r11), %rbp
3:	TLS_DEFERRED_NONZERO
	jne	1f
	/* rcx: 0 until `syscall` runs (it sets rcx to the return address),
	   so that a signal here tells a call not yet made from one the
	   kernel rewound for a restart (signals.c, deliver) */
	xor	%ecx, %ecx
	TLS_PKRU_SPLIT_LOAD
	test	%r11d, %r11d
	jnz	2f
	syscall
limen_app_syscall_ret:
	/* the call is over: only this instruction says so (a signal on it
	   finds rax the result); the way back is past the end */
	jmp	limen_app_syscall_pop
1:	mov	$LIMEN_RET_DEFERRED, %rax
	jmp	limen_app_syscall_pop
	/* the number in rbx, a2 in rbp while wrpkru takes eax, ecx, edx
	   (limen's own rbx and rbp are on the stack already) */
2:	mov	%rax, %rbx
	mov	%rdx, %rbp
	mov	%r11d, %eax
	xor	%edx, %edx
	wrpkru
	mov	%rbx, %rax
	mov	%rbp, %rdx
	syscall
limen_app_syscall_ret_split:
	jmp	limen_app_syscall_split
	.cfi_endproc
	.size	limen_app_syscall, .-limen_app_syscall

/*
 * long limen_app_int80(n, a0, a1, a2, a3, a4, a5): a call of the i386 table
 * that a 64-bit program made with `int $0x80` (compat32.c), made the same
 * way: n in eax, the arguments in ebx, ecx, edx, esi, edi, ebp. In the
 * same window as limen_app_syscall (signals.c, deliverable_now), its end
 * at limen_app_int80_ret. rcx is an argument here, never cleared: a
 * signal that finds the call rewound for a restart takes it for one not
 * made, and the program makes it again after its handler either way.
 */
	.globl	limen_app_int80
	.hidden	limen_app_int80
	.globl	limen_app_int80_ret
	.hidden	limen_app_int80_ret
	.type	limen_app_int80, @function
limen_app_int80:
	.cfi_startproc
	PUSH_SAVED
	mov	%rdi, %rax
	mov	%rsi, %rbx
	mov	%rcx, %r11
	mov	%rdx, %rcx
	mov	%r11, %rdx
	mov	%r8, %rsi
	mov	%r9, %rdi
	mov	8+APP_SAVED(%rsp), %rbp
	/* r12-r15 the program's too, as in limen_app_syscall (rbx and rbp
	   are arguments here) */
	LOAD_PROG_R12_R15(3f)
3:	TLS_DEFERRED_NONZERO
	jne	1f
	int	$0x80
limen_app_int80_ret:
	jmp	limen_app_syscall_pop
1:	mov	$LIMEN_RET_DEFERRED, %rax
	jmp	limen_app_syscall_pop
limen_app_syscall_end:
	.cfi_endproc
	.size	limen_app_int80, .-limen_app_int80

	.globl	limen_app_syscall_ret_split
	.hidden	limen_app_syscall_ret_split
	.type	limen_app_syscall_split, @function
limen_app_syscall_split:
	.cfi_startproc
	.cfi_adjust_cfa_offset APP_SAVED
	.cfi_rel_offset rbx, 40
	.cfi_rel_offset rbp, 32
	.cfi_rel_offset r12, 24
	.cfi_rel_offset r13, 16
	.cfi_rel_offset r14, 8
	.cfi_rel_offset r15, 0
	/* the result in rbx; PKRU as the call left it (pkey_alloc adds a
	   key's rights) is the program's from now on */
	mov	%rax, %rbx
	xor	%ecx, %ecx
	rdpkru
	mov	%eax, %ebp
	and	$~3, %eax
	wrpkru
	TLS_PKRU_SPLIT_STORE(%ebp)
	mov	%rbx, %rax
	/* fall through */

/* limen_app_syscall's way back, past its end: a signal here finds the call
   over (not rewound, as the rcx its `syscall` set would say in the
   range), and limen's registers coming back */
limen_app_syscall_pop:
	pop	%r15
	.cfi_adjust_cfa_offset -8
	.cfi_restore r15
	pop	%r14
	.cfi_adjust_cfa_offset -8
	.cfi_restore r14
	pop	%r13
	.cfi_adjust_cfa_offset -8
	.cfi_restore r13
	pop	%r12
	.cfi_adjust_cfa_offset -8
	.cfi_restore r12
	pop	%rbp
	.cfi_adjust_cfa_offset -8
	.cfi_restore rbp
	pop	%rbx
	.cfi_adjust_cfa_offset -8
	.cfi_restore rbx
	ret
	.cfi_endproc
	.size	limen_app_syscall_split, .-limen_app_syscall_split

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
	.cfi_startproc
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
1:	.cfi_undefined rip	/* the child's outermost frame */
	xor	%ebp, %ebp
	mov	%rsp, %rdi
	and	$-16, %rsp
	call	limen_child_start
	ud2
	.cfi_endproc
	.size	limen_clone_stub, .-limen_clone_stub

/*
 * long limen_vfork_stub(struct limen_vfork_args *va): a CLONE_VM child that
 * shares our stacks (vfork). The parent sleeps inside its SIGSYS handler on
 * limen's signal stack until the child execs or exits, so the child must not
 * write there: it moves to va->child_sp (the thread's second area) at once
 * and limen_vfork_child starts the program from there, never returning
 * through our frames.
 */
	.globl	limen_vfork_stub
	.hidden	limen_vfork_stub
	.type	limen_vfork_stub, @function
limen_vfork_stub:
	.cfi_startproc
	push	%rbx
	.cfi_adjust_cfa_offset 8
	.cfi_rel_offset rbx, 0
	mov	%rdi, %rbx
	mov	VA_NR(%rbx), %rax
	mov	VA_A0(%rbx), %rdi
	mov	VA_A1(%rbx), %rsi
	mov	VA_A2(%rbx), %rdx
	mov	VA_A3(%rbx), %r10
	mov	VA_A4(%rbx), %r8
	syscall
	test	%rax, %rax
	jz	1f
	pop	%rbx
	.cfi_adjust_cfa_offset -8
	.cfi_restore rbx
	ret
1:	.cfi_undefined rip	/* the child's outermost frame */
	mov	VA_CHILD_SP(%rbx), %rsp
	xor	%ebp, %ebp
	mov	%rbx, %rdi
	call	limen_vfork_child
	ud2
	.cfi_endproc
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
	.cfi_startproc
	.cfi_undefined rip
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
	.cfi_endproc
	.size	limen_resume, .-limen_resume

/*
 * void limen_exit_unmap(long status, void *stack, size_t len): a thread's
 * last act, on the signal stack it unmaps: munmap, then exit, touching only
 * registers in between (signals are blocked by then: a delivery would need
 * the stack).
 */
	.globl	limen_exit_unmap
	.hidden	limen_exit_unmap
	.type	limen_exit_unmap, @function
limen_exit_unmap:
	.cfi_startproc
	mov	%rdi, %r12
	mov	%rsi, %rdi
	mov	%rdx, %rsi
	mov	$11, %eax	/* munmap */
	syscall
	mov	%r12, %rdi
	mov	$60, %eax	/* exit */
	syscall
	ud2
	.cfi_endproc
	.size	limen_exit_unmap, .-limen_exit_unmap

	.section .note.GNU-stack,"",@progbits
