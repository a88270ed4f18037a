/* SPDX-License-Identifier: MIT */
/*
 * Signals that land anywhere on the way in and out of a rewritten call
 * site (src/runtime/arch/x86_64/fast.S): a thread loops on a getppid
 * site of its own (`mov $110,%eax; syscall`, rewritten once hot) with
 * canaries in every register the kernel's `syscall` keeps, while a timer
 * sends it SIGUSR1s whose handler only counts. Each call must
 * return the parent's pid and leave every canary as it was: a signal that
 * found limen's half-done state (the number out of rax while the lean
 * path restores the flags, the way out's pushfq word on the stack) and
 * resumed from it makes another call, or returns with a register or the
 * stack pointer wrong.
 *   fastsig N [df]   N signals; prints "signals N, bad calls 0"; df:
 *                    with the direction flag set around each call (the
 *                    way out puts it back with std, not popfq)
 * The signals come from a timer of the loop's own thread (tick_start,
 * tests/progs/tick.h) every 200 us, not from another thread waiting for
 * each handler: that wait needs the loop scheduled once per signal, and
 * on a busy machine 1500 of them took minutes.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tick.h"

/* getppid with rbx rbp r8-r10 r12-r15 rdi rsi rdx set to canaries first
   (from k), checked after, and DF set around the call when df (checked
   after it too): returns the result, or -1001 (a register wrong), -1002
   (DF), -1099 (the stack pointer) */
long site_ppid(long k, long df);
extern const unsigned char site_ppid_mov[];

__asm__(
	".text\n"
	".globl site_ppid\n"
	"site_ppid:\n"
	"	push %rbp\n	push %rbx\n	push %r12\n	push %r13\n"
	"	push %r14\n	push %r15\n"
	"	movq %rsi, %xmm2\n"
	"	test %rsi, %rsi\n	jz 3f\n	std\n"
	"3:	mov %rdi, %rbx\n	lea 1(%rdi), %rbp\n"
	"	lea 2(%rdi), %r8\n	lea 3(%rdi), %r9\n"
	"	lea 4(%rdi), %r10\n	lea 5(%rdi), %r12\n"
	"	lea 6(%rdi), %r13\n	lea 7(%rdi), %r14\n"
	"	lea 8(%rdi), %r15\n	lea 9(%rdi), %rsi\n"
	"	lea 10(%rdi), %rdx\n	mov %rsp, %rcx\n"
	"	movq %rcx, %xmm0\n" /* the stack pointer, kept where no
				       general register is */
	"	nop\n"
	".globl site_ppid_mov\n"
	"site_ppid_mov:\n"
	"	mov $110, %eax\n"
	"	syscall\n"
	"	pushfq\n	pop %rcx\n	cld\n"
	"	shr $10, %rcx\n	and $1, %rcx\n"
	"	movq %xmm2, %r11\n	cmp %rcx, %r11\n	jne 8f\n"
	"	movq %rsp, %xmm1\n"
	"	pcmpeqq %xmm0, %xmm1\n"
	"	movq %xmm1, %rcx\n"
	"	cmp $-1, %rcx\n	jne 9f\n"
	"	cmp %rdi, %rbx\n	jne 1f\n"
	"	lea 1(%rdi), %rcx\n	cmp %rcx, %rbp\n	jne 1f\n"
	"	lea 2(%rdi), %rcx\n	cmp %rcx, %r8\n	jne 1f\n"
	"	lea 3(%rdi), %rcx\n	cmp %rcx, %r9\n	jne 1f\n"
	"	lea 4(%rdi), %rcx\n	cmp %rcx, %r10\n	jne 1f\n"
	"	lea 5(%rdi), %rcx\n	cmp %rcx, %r12\n	jne 1f\n"
	"	lea 6(%rdi), %rcx\n	cmp %rcx, %r13\n	jne 1f\n"
	"	lea 7(%rdi), %rcx\n	cmp %rcx, %r14\n	jne 1f\n"
	"	lea 8(%rdi), %rcx\n	cmp %rcx, %r15\n	jne 1f\n"
	"	lea 9(%rdi), %rcx\n	cmp %rcx, %rsi\n	jne 1f\n"
	"	lea 10(%rdi), %rcx\n	cmp %rcx, %rdx\n	jne 1f\n"
	"	jmp 2f\n"
	"8:	mov $-1002, %rax\n	jmp 2f\n"
	"9:	movq %xmm0, %rsp\n" /* back to where we were, to report */
	"	mov $-1099, %rax\n	jmp 2f\n"
	"1:	mov $-1001, %rax\n"
	"2:	pop %r15\n	pop %r14\n	pop %r13\n	pop %r12\n"
	"	pop %rbx\n	pop %rbp\n"
	"	ret\n");

static volatile sig_atomic_t handled;
static long df;
static volatile long bad, calls;
static long ppid;
static int n;

static void on_usr1(int sig)
{
	(void)sig;
	handled++;
}

static void *loop(void *arg)
{
	long k = 0x5a5a0000;

	(void)arg;
	/* the site hot (rewritten after its second trap) first */
	for (; calls < 100; k += 16) {
		if (site_ppid(k, df) != ppid)
			bad++;
		calls++;
	}
	tick_start(SIGUSR1);
	for (; handled < n; k += 16) {
		if (site_ppid(k, df) != ppid)
			bad++;
		calls++;
	}
	tick_stop();
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t;

	if (argc != 2 && !(argc == 3 && !strcmp(argv[2], "df"))) {
		fprintf(stderr, "usage: fastsig N [df]\n");
		return 2;
	}
	df = argc == 3;
	n = atoi(argv[1]);
	ppid = getppid();
	signal(SIGUSR1, on_usr1);
	if (pthread_create(&t, NULL, loop, NULL))
		return 2;
	pthread_join(t, NULL);
	fprintf(stderr, "site ppid %02x\n",
		*(volatile const unsigned char *)site_ppid_mov);
	/* (a few more may land between the last check and tick_stop) */
	printf("signals %d, bad calls %ld\n", handled >= n ? n : (int)handled,
	       bad);
	return 0;
}
