/* SPDX-License-Identifier: MIT */
/*
 * A getppid call site of the test program's own, in glibc's form
 * (`mov $110,%eax; syscall`), that checks after the call every register
 * the kernel's `syscall` keeps, the stack pointer and the direction flag
 * (tests/progs/fastsig.c, stepsig.c): once rewritten, limen's stub and
 * fast.S run in between, and a signal landing there must leave the
 * program's state as the kernel would.
 */
#ifndef LIMEN_TEST_CANARY_SITE_H
#define LIMEN_TEST_CANARY_SITE_H

/* CANARY_SITE(name, nr): long name(long k, long df) makes the call nr
   from its own site (name_mov: `mov $nr,%eax; syscall`) with rdi = k,
   rsi = k + 9, rdx = k + 10, r10 = k + 4, r8 = k + 2, r9 = k + 3 (its
   arguments), rbx rbp r12-r15 canaries from k too, all checked after, and
   DF set around the call when df (checked after it too): returns the
   result, or -1001 (a register wrong), -1002 (DF), -1099 (the stack
   pointer) */
#define CANARY_SITE(name, nr) \
	CANARY_SITE_CALL(name, "	mov $" #nr ", %eax\n	syscall\n")

/* CANARY_PAD_SITE(name, nr): the same, the call made by name_pad, a
   function of its own that is its `syscall` and a `ret`, followed by
   int3 padding: the pad form (src/runtime/rewrite.c, pad_form) */
#define CANARY_PAD_SITE(name, nr) \
__asm__(\
	".text\n"\
	".balign 32, 0xcc\n"\
	".globl " #name "_pad\n"\
	".type " #name "_pad, @function\n"\
	#name "_pad:\n"\
	"	syscall\n"\
	"	ret\n"\
	".size " #name "_pad, .-" #name "_pad\n"\
	".balign 32, 0xcc\n");\
	CANARY_SITE_CALL(name, "	mov $" #nr ", %eax\n	call " #name "_pad\n")

#define CANARY_SITE_CALL(name, call) \
__asm__(\
	".text\n"\
	".globl " #name "\n"\
	#name ":\n"\
	"	push %rbp\n	push %rbx\n	push %r12\n	push %r13\n"\
	"	push %r14\n	push %r15\n"\
	"	movq %rsi, %xmm2\n"\
	"	test %rsi, %rsi\n	jz 3f\n	std\n"\
	"3:	mov %rdi, %rbx\n	lea 1(%rdi), %rbp\n"\
	"	lea 2(%rdi), %r8\n	lea 3(%rdi), %r9\n"\
	"	lea 4(%rdi), %r10\n	lea 5(%rdi), %r12\n"\
	"	lea 6(%rdi), %r13\n	lea 7(%rdi), %r14\n"\
	"	lea 8(%rdi), %r15\n	lea 9(%rdi), %rsi\n"\
	"	lea 10(%rdi), %rdx\n	mov %rsp, %rcx\n"\
	"	movq %rcx, %xmm0\n" /* the stack pointer, kept where no\
				       general register is */\
	"	nop\n"\
	".globl " #name "_mov\n"\
	#name "_mov:\n"\
	call\
	"	pushfq\n	pop %rcx\n	cld\n"\
	"	shr $10, %rcx\n	and $1, %rcx\n"\
	"	movq %xmm2, %r11\n	cmp %rcx, %r11\n	jne 8f\n"\
	"	movq %rsp, %xmm1\n"\
	"	pcmpeqq %xmm0, %xmm1\n"\
	"	movq %xmm1, %rcx\n"\
	"	cmp $-1, %rcx\n	jne 9f\n"\
	"	cmp %rdi, %rbx\n	jne 1f\n"\
	"	lea 1(%rdi), %rcx\n	cmp %rcx, %rbp\n	jne 1f\n"\
	"	lea 2(%rdi), %rcx\n	cmp %rcx, %r8\n	jne 1f\n"\
	"	lea 3(%rdi), %rcx\n	cmp %rcx, %r9\n	jne 1f\n"\
	"	lea 4(%rdi), %rcx\n	cmp %rcx, %r10\n	jne 1f\n"\
	"	lea 5(%rdi), %rcx\n	cmp %rcx, %r12\n	jne 1f\n"\
	"	lea 6(%rdi), %rcx\n	cmp %rcx, %r13\n	jne 1f\n"\
	"	lea 7(%rdi), %rcx\n	cmp %rcx, %r14\n	jne 1f\n"\
	"	lea 8(%rdi), %rcx\n	cmp %rcx, %r15\n	jne 1f\n"\
	"	lea 9(%rdi), %rcx\n	cmp %rcx, %rsi\n	jne 1f\n"\
	"	lea 10(%rdi), %rcx\n	cmp %rcx, %rdx\n	jne 1f\n"\
	"	jmp 2f\n"\
	"8:	mov $-1002, %rax\n	jmp 2f\n"\
	"9:	movq %xmm0, %rsp\n" /* back to where we were, to report */\
	"	mov $-1099, %rax\n	jmp 2f\n"\
	"1:	mov $-1001, %rax\n"\
	"2:	pop %r15\n	pop %r14\n	pop %r13\n	pop %r12\n"\
	"	pop %rbx\n	pop %rbp\n"\
	"	ret\n")

/* getppid, from site_ppid_mov */
long site_ppid(long k, long df);
extern const unsigned char site_ppid_mov[];
CANARY_SITE(site_ppid, 110);

/* getppid, from site_pad_pad (the pad form) */
long site_pad(long k, long df);
extern const unsigned char site_pad_pad[];
CANARY_PAD_SITE(site_pad, 110);

#endif
