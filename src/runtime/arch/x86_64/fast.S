/* SPDX-License-Identifier: MIT */
/*
 * The way in and out of limen for a rewritten call site (rewrite.c). The
 * site's instruction before its `syscall` (`mov $nr,%eax`, or another
 * 5-byte form rewrite.c proves) became a `jmp` to its stub (in a page near
 * the site), which does
 *	(that instruction)		the same bytes, on the program's rsp
 *	(a nop)				so that the data word is 8-aligned:
 *					read with the program's AC set
 *	lea	-128(%rsp), %rsp	the program's red zone stays untouched
 *	pushfq				the program's flags
 *	call	*limen_fast_entry	(through the stub page's first word)
 *	.quad	site + 7		the data word, where the call returns
 *					to: the address after the site's
 *					`syscall`
 *	.quad	site + 5		the `syscall` a call handed back to
 *					SUD goes to: the site's (the pad
 *					form's is in its stub, rewrite.c)
 * and we arrive here with rsp = the program's rsp - FAST_BELOW, eax = the
 * number; rcx and r11 are ours, as the kernel's `syscall` clobbers them.
 * Both ways out return straight to the site, after its `syscall`: the
 * return the processor predicts is into the stub, but going back there to
 * jump to the site cost more here (a page's TLB entry after the call, and
 * the jump: a lean getppid +150 ns over bare with it, +85 without, on the
 * 2-core VM whose kernel switches page tables at every call; README,
 * "Where a rewritten call's time goes").
 *
 * A call that needs nothing from limen takes the lean path first (lean.c
 * says when): made right here, on the program's stack. Otherwise
 * limen_fast_entry moves to limen's stack (the thread's signal stack: no
 * limen frame is live on it while program code runs, rt.h), builds there a
 * ucontext with the program's registers as a SIGSYS frame would hold them
 * (rip after the site's `syscall`) and calls limen_fast, which runs the
 * call through the same core as the SIGSYS path (dispatch.c). Everything
 * here is in liblimen's text, the exempt range: a signal for the program
 * arriving here is held (signals.c, defer) unless it interrupts the
 * program's own call in limen_app_syscall, where it is delivered with the
 * program's context from our ucontext, as for a SIGSYS frame.
 *
 * The way out restores the flags (sahf and an add for OF, std for DF:
 * popfq costs ~6.5 ns here, more than all of that; popfq only where
 * another flag differs), the registers, then rip with rsp on the
 * program's stack: lea 8(%rsp); ret $128. A signal held meanwhile must not
 * wait: between limen_fast_exit_check and the switch to the program's
 * stack, its wrapper moves rip back to the check (with the flags as they
 * were there: DF may be the program's already); on the lea, popfq or ret
 * it finishes them in its frame and delivers (rewrite.c,
 * limen_fast_settle). Held signals found at the check make the way out go
 * through the site's own `syscall` with a number SUD hands to limen_sigsys
 * (limen_fast_gate), whose way out delivers them as it does for any call.
 */
#include "runtime/asm-offsets.h"
#include "runtime/rewrite.h"
#ifdef LIMEN_GS_TLS
#define LIMEN_GS_HDR 16		/* rt.h: the thread's limen_tls in its %gs block */
#endif

#define SLEB2(off) (((off) & 0x7f) | 0x80), ((off) >> 7)
#define UC_CFA(breg) \
	.cfi_escape 0x0f, 0x04, 0x70 + (breg), SLEB2(UC_RSP), 0x06
#define UC_REG(dw, off, breg) \
	.cfi_escape 0x10, dw, 0x03, 0x70 + (breg), SLEB2(off)
/* the program's frame: its registers are in our ucontext at rsp */
#define UC_FRAME(breg) \
	UC_CFA(breg); \
	UC_REG(8, UC_R8, breg); UC_REG(9, UC_R9, breg); \
	UC_REG(10, UC_R10, breg); \
	UC_REG(12, UC_R12, breg); UC_REG(13, UC_R13, breg); \
	UC_REG(14, UC_R14, breg); UC_REG(15, UC_R15, breg); \
	UC_REG(5, UC_RDI, breg); UC_REG(4, UC_RSI, breg); \
	UC_REG(6, UC_RBP, breg); UC_REG(3, UC_RBX, breg); \
	UC_REG(1, UC_RDX, breg); \
	UC_REG(7, UC_RSP, breg); UC_REG(16, UC_RIP, breg)
#define DW_RSP 7
/* the flags sahf (SF ZF AF PF CF) and the OF trick restore, and DF */
#define FLAG_DF 0x400
#define FLAG_AC 0x40000
/* limen_lean_path_call: the program's stack pointer (- FAST_BELOW) at
   off(%rsp), the stub's return address there */
#define LP_CFI(off) \
	.cfi_escape 0x0f, 0x06, 0x77, off, 0x06, 0x23, SLEB2(FAST_BELOW); \
	.cfi_escape 0x10, 16, 0x04, 0x77, off, 0x06, 0x06
#define FLAGS_SAHF (0x8d5 | FLAG_DF)

/* the program's registers from our ucontext (the flags unchanged) */
#define RESTORE_REGS \
	mov	UC_R8(%rsp), %r8; \
	mov	UC_R9(%rsp), %r9; \
	mov	UC_R10(%rsp), %r10; \
	mov	UC_R12(%rsp), %r12; \
	mov	UC_R13(%rsp), %r13; \
	mov	UC_R14(%rsp), %r14; \
	mov	UC_R15(%rsp), %r15; \
	mov	UC_RDI(%rsp), %rdi; \
	mov	UC_RSI(%rsp), %rsi; \
	mov	UC_RBP(%rsp), %rbp; \
	mov	UC_RBX(%rsp), %rbx; \
	mov	UC_RDX(%rsp), %rdx; \
	mov	UC_RAX(%rsp), %rax; \
	mov	UC_RCX(%rsp), %rcx; \
	mov	UC_R11(%rsp), %r11

	.text
	.globl	limen_fast_entry
	.hidden	limen_fast_entry
	.globl	limen_fast_exit_check
	.hidden	limen_fast_exit_check
	.globl	limen_fast_exit_popf
	.hidden	limen_fast_exit_popf
	.globl	limen_fast_exit_ret
	.globl	limen_fast_exit_ret2
	.hidden	limen_fast_exit_ret2
	.globl	limen_fast_exit_lea
	.hidden	limen_fast_exit_lea
	.globl	limen_fast_exit_lea2
	.hidden	limen_fast_exit_lea2
	.hidden	limen_fast_exit_ret
	.globl	limen_lean_flags
	.hidden	limen_lean_flags
	.globl	limen_lean_syscall
	.hidden	limen_lean_syscall
	.globl	limen_lean_ret
	.hidden	limen_lean_ret
	.globl	limen_lean_resumed
	.hidden	limen_lean_resumed
	.globl	limen_lean_back
	.hidden	limen_lean_back
	.globl	limen_lean_jmp
	.hidden	limen_lean_jmp
	.globl	limen_lean_end
	.hidden	limen_lean_end
	.globl	limen_lean_path_lo
	.hidden	limen_lean_path_lo
	.globl	limen_lean_path_hi
	.hidden	limen_lean_path_hi
	.type	limen_fast_entry, @function
	/* where the lean path lies in the cache lines matters more than its
	   instructions here: getppid through it took 68.5 ns with this entry
	   16 bytes into a 64-byte line, 72-77 ns at 0, 32 or 48 (bare 63.4;
	   both runtimes, medians of 5, interleaved). Fixed, so that an edit
	   elsewhere in the text no longer moves it; measure again after an
	   edit of the lean path (README, "Rewritten call sites"). */
	.p2align 6
	.skip	16, 0x90
limen_fast_entry:
	.cfi_startproc simple
	/* the caller is the program after its `syscall`: rip is the stub's
	   data word, at the address the stub's call pushed */
	.cfi_def_cfa rsp, FAST_BELOW
	.cfi_escape 0x10, 16, 0x03, 0x77, 0x00, 0x06
	.cfi_remember_state
	/*
	 * The lean path (lean.c says when): the call made here, on the
	 * program's stack. rax stays the number, every register but rcx
	 * and r11 the program's; the arithmetic flags are free until
	 * limen_lean_flags. A signal anywhere from here to limen_lean_end
	 * finds the program's state (lean.c, limen_lean_settle).
	 */
	cmp	$LEAN_NRS, %rax
	jae	limen_fast_full
#ifdef LIMEN_GS_TLS
	mov	%gs:LIMEN_GS_HDR+TLS_DEFERRED, %rcx
	or	%gs:LIMEN_GS_HDR+TLS_UA_SLOT, %rcx
	jnz	limen_fast_full
	mov	%gs:LIMEN_GS_HDR+TLS_STRICT, %ecx
	or	%gs:LIMEN_GS_HDR+TLS_VFORK_CHILD, %ecx
	or	%gs:LIMEN_GS_HDR+TLS_NSUD_ON, %ecx
	jnz	limen_fast_full
	cmpq	$0, %gs:8		/* LIMEN_GS_FAST_SP */
	je	limen_fast_full
#else
	mov	limen_tls@gottpoff(%rip), %r11
	mov	%fs:TLS_DEFERRED(%r11), %rcx
	or	%fs:TLS_UA_SLOT(%r11), %rcx
	jnz	limen_fast_full
	mov	%fs:TLS_STRICT(%r11), %ecx
	or	%fs:TLS_VFORK_CHILD(%r11), %ecx
	or	%fs:TLS_NSUD_ON(%r11), %ecx
	jnz	limen_fast_full
	mov	limen_fast_sp@gottpoff(%rip), %r11
	cmpq	$0, %fs:(%r11)
	je	limen_fast_full
#endif
	mov	limen_rt(%rip), %r11	/* limen_rt.ctl */
	test	%r11, %r11
	jz	limen_fast_full
	testl	$LEAN_CTL_OFF, CTL_FLAGS(%r11)
	jnz	limen_fast_all
	mov	CTL_UEVENT_GEN(%r11), %ecx
	cmp	limen_uev_gen_seen(%rip), %ecx
	jne	limen_fast_full		/* the full path syncs the bits */
	/* the number's word of ctl->trace_mask (selected: recorded),
	   then of limen_lean_nrs (clear: a hook or the filter wants it) */
	mov	%eax, %ecx
	shr	$6, %ecx
	mov	CTL_TRACE_MASK(%r11,%rcx,8), %r11
	bt	%rax, %r11
	jc	limen_fast_sel		/* selected, the checks above made */
	lea	limen_lean_nrs(%rip), %r11
	mov	(%r11,%rcx,8), %r11
	bt	%rax, %r11
	jnc	limen_lean_path_lo	/* a path call may be lean yet */
	/* the program's flags back without popfq (which costs more here
	   than the rest of the lean path: 6.5 ns), the number kept at the
	   program's rsp - 152 meanwhile (a signal's pin makes an interrupted
	   call again, signals.c; our handlers run on the signal stack, rsp
	   stays where the stub's call left it: the program's - 144). The
	   checks above changed only the arithmetic flags (OF SF ZF AF PF
	   CF), all the stub's pushfq saved: OF from its bit 11 (0x7f + 1
	   overflows a byte, 0x7f + 0 does not), then sahf for the five in
	   its low byte. The program's DF, TF, AC and the rest were never
	   changed: the kernel's `syscall` leaves r11 = its flags. */
limen_lean_flags:
	/* the way back, straight to the site: the stub's data word in
	   place of the return address into it (lean.c, limen_lean_settle,
	   finds one or the other by rip) */
	mov	(%rsp), %rcx
	mov	(%rcx), %rcx
	mov	%rcx, (%rsp)
limen_lean_resumed:
	.cfi_remember_state
	.cfi_offset rip, -FAST_BELOW
	mov	%rax, -8(%rsp)
	movzbl	9(%rsp), %ecx
	shr	$3, %ecx			/* OF: bit 11 of the word */
	and	$1, %ecx
	add	$0x7f, %cl
	movb	8(%rsp), %ah		/* rax: the number at rsp - 8 from here */
	sahf
	mov	-8(%rsp), %rax
limen_lean_syscall:
	syscall				/* exempt: limen's text */
limen_lean_ret:
	mov	(%rsp), %rcx		/* rcx: after the site's `syscall` */
limen_lean_back:
	lea	FAST_BELOW(%rsp), %rsp	/* the program's */
	.cfi_def_cfa_offset 0
	.cfi_register rip, rcx
	/* there by a jump, not a `ret`: on the VM of 2026-12-03 no return
	   the processor predicts survives the call (its return stack is
	   refilled on the way back), and a `ret` right after `syscall`
	   cost 3-7 ns more than this indirect jump, which the branch
	   target buffer predicts (bench/ret_after_syscall; README, "A
	   jump back, not a return") */
limen_lean_jmp:
	jmp	*%rcx
	.cfi_restore_state
	/*
	 * Not lean by its number: a call of a path (quickpath.c) is made
	 * on the lean path all the same when limen_lean_path, which runs
	 * on limen's stack (limen_lean_path_call, outside the lean path: a
	 * signal there is held), finds that no hook wants it, before the
	 * kernel or after. Before the call, as the checks above: rcx holds
	 * the word index, rax the number, the rest the program's. C wants
	 * DF and AC clear: a program that set them goes the full way.
	 * Back here, rcx is its answer, every other register the program's
	 * again; a signal held meanwhile sends the call the full way, whose
	 * way to SUD delivers it.
	 */
limen_lean_path_lo:
	lea	limen_lean_path_nrs(%rip), %r11
	mov	(%r11,%rcx,8), %r11
	bt	%rax, %r11
	jnc	limen_fast_full
	testl	$(FLAG_DF | FLAG_AC), 8(%rsp)
	jnz	limen_fast_full
#ifdef LIMEN_GS_TLS
	mov	%gs:8, %rcx		/* LIMEN_GS_FAST_SP */
#else
	mov	limen_fast_sp@gottpoff(%rip), %r11
	mov	%fs:(%r11), %rcx
#endif
	/* 0: zeroed since fast.S's check by a thread that started on this
	   TLS (as limen_fast_sel): the full way's, to SUD */
	test	%rcx, %rcx
	jz	limen_fast_full
	/* the program on limen's stack: the full way's (to SUD) */
	lea	-FAST_STACK_BYTES(%rcx), %r11
	cmp	%r11, %rsp
	jb	limen_lean_path_call
	cmp	%rcx, %rsp
	jb	limen_fast_full
	jmp	limen_lean_path_call
limen_lean_path_back:
	test	%ecx, %ecx
	jz	limen_fast_full
#ifdef LIMEN_GS_TLS
	cmpq	$0, %gs:LIMEN_GS_HDR+TLS_DEFERRED
#else
	mov	limen_tls@gottpoff(%rip), %r11
	cmpq	$0, %fs:TLS_DEFERRED(%r11)
#endif
	jne	limen_fast_full
	jmp	limen_lean_flags
	/* every call recorded (a full trace, LIMEN_CTL_TRACE_ALL), and
	   none of LEAN_CTL_OFF's other flags: selected, as the mask's bit
	   says below (limen_fast_sel) */
limen_fast_all:
	testl	$(LEAN_CTL_OFF & ~CTL_TRACE_ALL), CTL_FLAGS(%r11)
	jnz	limen_fast_full
	mov	CTL_UEVENT_GEN(%r11), %ecx
	cmp	limen_uev_gen_seen(%rip), %ecx
	jne	limen_fast_full
	jmp	limen_fast_sel
limen_lean_path_hi:
limen_lean_end:
	.cfi_restore_state
	/* limen_lean_path(nr, the six arguments) on limen's stack, whose
	   top is in rcx; the program's stack pointer (- FAST_BELOW) kept
	   above the arguments, where the unwinding rules find it */
limen_lean_path_call:
	.cfi_remember_state
	mov	%rsp, %r11
	mov	%rcx, %rsp
	.cfi_def_cfa r11, FAST_BELOW
	.cfi_escape 0x10, 16, 0x03, 0x7b, 0x00, 0x06
	push	%r11
	LP_CFI(0x00)
	push	%rax
	LP_CFI(0x08)
	push	%r9
	LP_CFI(0x10)
	push	%r8
	LP_CFI(0x18)
	push	%r10
	LP_CFI(0x20)
	push	%rdx
	LP_CFI(0x28)
	push	%rsi
	LP_CFI(0x30)
	push	%rdi
	LP_CFI(0x38)
	mov	%rax, %rdi
	mov	%rsp, %rsi
	call	limen_lean_path
	mov	%eax, %ecx
	pop	%rdi
	LP_CFI(0x30)
	pop	%rsi
	LP_CFI(0x28)
	pop	%rdx
	LP_CFI(0x20)
	pop	%r10
	LP_CFI(0x18)
	pop	%r8
	LP_CFI(0x10)
	pop	%r9
	LP_CFI(0x08)
	pop	%rax
	LP_CFI(0x00)
	pop	%rsp
	.cfi_restore_state
	jmp	limen_lean_path_back
	/*
	 * Selected by the live trace mask, after every check of the lean
	 * path's but its number's: the thread may take the fast path (no
	 * signal held, no uaccess slot, not strict, no vfork child, no SUD
	 * of its own, a signal stack), the session has a ctl page and none
	 * of LEAN_CTL_OFF's flags, the user events' generation is the one
	 * seen. limen_fast asks none of those again (FAST_SEL), nor
	 * dispatch_quick whether the number is selected: some 20
	 * instructions a recorded call (bench/stepcount). Said so only
	 * when the frame is built here; the program on limen's stack goes
	 * to SUD as below.
	 */
limen_fast_sel:
#ifdef LIMEN_GS_TLS
	mov	%gs:8, %rcx		/* LIMEN_GS_FAST_SP */
#else
	mov	limen_fast_sp@gottpoff(%rip), %r11
	mov	%fs:(%r11), %rcx
#endif
	/* read again: 0 since the check above when a thread that shares
	   this TLS started meanwhile (clone.c, child_setup's
	   limen_fast_stack(0)): to SUD, as limen_fast_full */
	jrcxz	1f
	lea	-FAST_STACK_BYTES(%rcx), %r11
	cmp	%r11, %rsp
	jb	8f
	cmp	%rcx, %rsp
	jb	1f
8:	xchg	%rcx, %rsp
	lea	-FAST_FRAME(%rsp), %rsp
	movl	$1, FAST_SEL(%rsp)
	jmp	9f
limen_fast_full:
#ifdef LIMEN_GS_TLS
	/* the loader's runtime: in the thread's %gs block (rt.h) */
	mov	%gs:8, %rcx		/* LIMEN_GS_FAST_SP */
#else
	mov	limen_fast_sp@gottpoff(%rip), %r11
	mov	%fs:(%r11), %rcx
#endif
	/* 0: this thread may not use its signal stack here (a vfork child
	   on its parent's TLS, a thread sharing another's TLS): the call
	   goes to SUD through the site's own `syscall` (the stub's second
	   word: the pad form's is in its stub). jrcxz: the program's flags
	   are not saved yet. */
	jrcxz	1f
	/* the program's stack pointer inside that stack: program code runs
	   on limen's signal stack (a handler that is not behind sigwrap,
	   adopt.c), and moving to its top would write over the code's own
	   frames: to SUD, whose frame the kernel puts below them */
	lea	-FAST_STACK_BYTES(%rcx), %r11
	cmp	%r11, %rsp
	jb	2f
	cmp	%rcx, %rsp
	jae	2f
1:	mov	(%rsp), %rcx
	mov	8(%rcx), %rcx
	lea	8(%rsp), %rsp
	popfq
	lea	FAST_RED_ZONE(%rsp), %rsp
	jmp	*%rcx
2:	xchg	%rcx, %rsp
	lea	-FAST_FRAME(%rsp), %rsp
	movl	$0, FAST_SEL(%rsp)
9:	mov	%r8, UC_R8(%rsp)
	mov	%r9, UC_R9(%rsp)
	mov	%r10, UC_R10(%rsp)
	mov	%r12, UC_R12(%rsp)
	mov	%r13, UC_R13(%rsp)
	mov	%r14, UC_R14(%rsp)
	mov	%r15, UC_R15(%rsp)
	mov	%rdi, UC_RDI(%rsp)
	mov	%rsi, UC_RSI(%rsp)
	mov	%rbp, UC_RBP(%rsp)
	mov	%rbx, UC_RBX(%rsp)
	mov	%rdx, UC_RDX(%rsp)
	mov	%rax, UC_RAX(%rsp)
	/* the arguments in the call's order, for limen_fast_run */
	mov	%rdi, FAST_ARGS(%rsp)
	mov	%rsi, FAST_ARGS+8(%rsp)
	mov	%rdx, FAST_ARGS+16(%rsp)
	mov	%r10, FAST_ARGS+24(%rsp)
	mov	%r8, FAST_ARGS+32(%rsp)
	mov	%r9, FAST_ARGS+40(%rsp)
	/* the rest of a SIGSYS frame's ucontext that a handler of a
	   signal delivered from this one may read (limen_fast): no link,
	   limen's signal stack (rsp is its top - FAST_FRAME), no FPU
	   state, the 8 bytes of signal mask the kernel uses clear */
	movq	$0, (%rsp)		/* uc_flags */
	movq	$0, UC_LINK(%rsp)
	lea	FAST_FRAME-FAST_STACK_BYTES(%rsp), %r11
	mov	%r11, UC_SS_SP(%rsp)
	movl	$1, UC_SS_FLAGS(%rsp)	/* SS_ONSTACK */
	movq	$FAST_STACK_BYTES, UC_SS_SIZE(%rsp)
	movq	$0, UC_FPREGS(%rsp)
	movq	$0, UC_SIGMASK(%rsp)
	mov	%rcx, FAST_EXIT_SP(%rsp)	/* the program's rsp - FAST_BELOW */
	mov	(%rcx), %r11		/* the stub's data: */
	mov	8(%r11), %rax		/* where a call handed back goes */
	mov	%rax, FAST_HANDBACK(%rsp)
	mov	(%r11), %r11		/* the address after the `syscall` */
	mov	%r11, UC_RIP(%rsp)
	mov	%r11, FAST_RESUME(%rsp)
	mov	%r11, UC_RCX(%rsp)	/* as the kernel's `syscall` leaves it */
	mov	8(%rcx), %r11		/* the program's flags */
	mov	%r11, UC_EFL(%rsp)
	mov	%r11, UC_R11(%rsp)	/* as the kernel's `syscall` leaves it */
	/* AC off for limen's C, which is not all aligned (acflag.h): the
	   way out compares ours (FAST_ENTRY_EFL) with the program's, and
	   gives it its AC back with popfq */
	btr	$18, %r11		/* FLAG_AC: CF = it was set */
	mov	%r11, FAST_ENTRY_EFL(%rsp)	/* the way out compares */
	jnc	7f
	pushfq
	andq	$~FLAG_AC, (%rsp)
	popfq
7:	lea	FAST_BELOW(%rcx), %r11
	mov	%r11, UC_RSP(%rsp)
	UC_FRAME(DW_RSP)
	cld
	mov	%rsp, %rdi
	call	limen_fast
	/* the program's flags and rip where the way out's popfq and ret
	   take them (the slots the stub's pushfq and call wrote): straight
	   back to the program, as the lean path; rcx as the kernel's
	   `syscall` leaves it. Here rather than in limen_fast, which then
	   ends in a tail call (rewrite.c says why) */
	mov	FAST_EXIT_SP(%rsp), %rcx	/* the slots */
	mov	UC_RIP(%rsp), %rax
	mov	%rax, 8(%rcx)
	mov	UC_EFL(%rsp), %r11
	mov	%r11, (%rcx)
	mov	UC_RIP(%rsp), %rax
	mov	%rax, UC_RCX(%rsp)
limen_fast_exit_check:
#ifdef LIMEN_GS_TLS
	cmpq	$0, %gs:16+TLS_DEFERRED /* LIMEN_GS_HDR */
#else
	mov	limen_tls@gottpoff(%rip), %r11
	cmpq	$0, %fs:TLS_DEFERRED(%r11)
#endif
	jne	3f
4:	/* the program's flags without popfq where only the arithmetic ones
	   and DF differ from ours. Ours are the flags the program came
	   with (the stub's pushfq, kept at FAST_ENTRY_EFL) but for those:
	   limen's code changes no other (a handler that ran meanwhile gave
	   them back with its rt_sigreturn), and the call may have left any
	   in the ucontext. DF by std (C left it clear), OF and the five of
	   the low byte as the lean path does */
	mov	FAST_ENTRY_EFL(%rsp), %r11	/* ours now, but for the five, OF, DF */
	mov	UC_EFL(%rsp), %rcx
	xor	%rcx, %r11
	test	$~FLAGS_SAHF, %r11
	jnz	5f
	test	$FLAG_DF, %ecx
	jz	6f			/* DF clear (C's), or set by the std */
	std				/* below when a signal made us redo it */
6:	mov	%ecx, %eax
	shr	$11, %eax
	and	$1, %eax
	add	$0x7f, %al
	mov	%cl, %ah
	sahf
	/* rcx is the address the program goes back to (UC_RCX = UC_RIP
	   above; limen_fast_gate_prepare changes neither when it finds
	   nothing to hand over): a jump there, not a `ret`, as the lean
	   path's way back says why */
	RESTORE_REGS
	mov	FAST_EXIT_SP(%rsp), %rsp
	.cfi_remember_state
	.cfi_def_cfa rsp, FAST_BELOW
	.cfi_register rip, rcx
limen_fast_exit_lea:
	lea	FAST_BELOW(%rsp), %rsp	/* the program's */
	.cfi_def_cfa_offset 0
limen_fast_exit_ret:
	jmp	*%rcx
	.cfi_restore_state
	/* others differ (TF, AC...: the call's ucontext says so) */
5:	RESTORE_REGS
	mov	FAST_EXIT_SP(%rsp), %rsp
	.cfi_remember_state
	.cfi_def_cfa rsp, FAST_BELOW
	.cfi_register rip, rcx
limen_fast_exit_popf:
	popfq
	.cfi_def_cfa_offset FAST_BELOW - 8
limen_fast_exit_lea2:
	lea	FAST_BELOW - 8(%rsp), %rsp
	.cfi_def_cfa_offset 0
limen_fast_exit_ret2:
	jmp	*%rcx
	.cfi_restore_state
	/* signals held: through SUD when the call was made (rewrite.c) */
3:	cld				/* back at the check after a std */
	mov	%rsp, %rdi
	call	limen_fast_gate_prepare
	test	%eax, %eax
	jz	4b			/* nothing to hand over: as usual */
	mov	UC_R8(%rsp), %r8
	mov	UC_R9(%rsp), %r9
	mov	UC_R10(%rsp), %r10
	mov	UC_R12(%rsp), %r12
	mov	UC_R13(%rsp), %r13
	mov	UC_R14(%rsp), %r14
	mov	UC_R15(%rsp), %r15
	mov	UC_RDI(%rsp), %rdi
	mov	UC_RSI(%rsp), %rsi
	mov	UC_RBP(%rsp), %rbp
	mov	UC_RBX(%rsp), %rbx
	mov	UC_RDX(%rsp), %rdx
	mov	UC_RAX(%rsp), %rax
	mov	UC_RCX(%rsp), %rcx
	mov	FAST_EXIT_SP(%rsp), %rsp
	jmp	*%rcx
	.cfi_endproc
	.size	limen_fast_entry, .-limen_fast_entry

	.section .note.GNU-stack,"",@progbits
