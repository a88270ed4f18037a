/* SPDX-License-Identifier: MIT */
/*
 * A program that single-steps itself (TF set, a SIGTRAP handler) over a
 * getppid site of its own (`mov $110,%eax; syscall`) once the site is hot
 * (rewritten into a jmp to its stub, src/runtime/rewrite.c). Each trap's
 * handler checks where the program is: inside its own function, never in
 * limen's stub (which has no unwind information, and is not the
 * program's code: src/runtime/rewrite.c, stub_settle); and a backtrace
 * from it must reach main. Prints the traps of each stepped call and the
 * traps found elsewhere.
 *   stepsite N    N stepped calls after 100 plain ones
 */
#include <execinfo.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <ucontext.h>
#include <unistd.h>

/* getppid at its own site, with TF set from the popfq to the popfq */
long step_ppid(uint64_t tf);
extern const unsigned char step_lo[], step_mov[], step_hi[];

__asm__(
	".text\n.globl step_ppid\nstep_ppid:\n"
	"	.cfi_startproc\n"
	".globl step_lo\nstep_lo:\n"
	"	pushfq\n	.cfi_adjust_cfa_offset 8\n"
	"	or %rdi, (%rsp)\n	popfq\n	.cfi_adjust_cfa_offset -8\n"
	".globl step_mov\nstep_mov:\n"
	"	mov $110, %eax\n	syscall\n"
	"	pushfq\n	.cfi_adjust_cfa_offset 8\n"
	"	andq $~0x100, (%rsp)\n	popfq\n	.cfi_adjust_cfa_offset -8\n"
	".globl step_hi\nstep_hi:\n"
	"	ret\n	.cfi_endproc\n");

static volatile long traps, elsewhere, short_bt;
static void *main_lo, *main_hi;

static void on_trap(int sig, siginfo_t *si, void *ucv)
{
	uint64_t ip = (uint64_t)((ucontext_t *)ucv)->uc_mcontext.gregs[REG_RIP];
	void *f[32];
	int n, reached = 0;

	(void)sig;
	(void)si;
	traps++;
	if (ip < (uintptr_t)step_lo || ip > (uintptr_t)step_hi)
		elsewhere++;
	n = backtrace(f, 32);
	for (int i = 0; i < n; i++)
		if (f[i] >= main_lo && f[i] < main_hi)
			reached = 1;
	if (!reached)
		short_bt++;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { 0 };
	long n = argc > 1 ? atol(argv[1]) : 0, ppid = getppid(), bad = 0;

	main_lo = &&lo;
	main_hi = &&hi;
lo:
	sa.sa_sigaction = on_trap;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGTRAP, &sa, NULL);
	for (int i = 0; i < 100; i++)
		if (step_ppid(0) != ppid)
			bad++;
	for (long i = 0; i < n; i++) {
		long before = traps;

		if (step_ppid(0x100) != ppid)
			bad++;
		printf("call %ld: %ld traps\n", i, traps - before);
	}
	fprintf(stderr, "site ppid %02x\n",
		*(volatile const unsigned char *)step_mov);
	printf("bad %ld, traps elsewhere %ld, backtraces short of main %ld\n",
	       bad, elsewhere, short_bt);
hi:
	return 0;
}
