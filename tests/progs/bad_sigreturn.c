/* SPDX-License-Identifier: MIT */
/*
 * An rt_sigreturn whose frame cannot be read (the stack pointer at
 * 0x1000, no signal ever delivered): the kernel's signal_fault, a SIGSEGV
 * with si_code SI_KERNEL at the program's context, rax 0
 * (tests/syscalls/bad_sigreturn.t).
 *   bad_sigreturn handler   a SIGSEGV handler on an alternate stack says
 *                           what it got, exits 3
 *   bad_sigreturn dfl       no handler: killed by SIGSEGV
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>

static void segv(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	char b[128];
	int n = snprintf(b, sizeof(b), "SIGSEGV code %d addr %p rax %lld\n",
			 si->si_code, si->si_addr,
			 (long long)uc->uc_mcontext.gregs[REG_RAX]);

	(void)sig;
	(void)!write(1, b, (size_t)n);
	_exit(3);
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "handler")) {
		static char alt[65536];
		stack_t ss = { .ss_sp = alt, .ss_size = sizeof(alt) };
		struct sigaction sa;

		memset(&sa, 0, sizeof(sa));
		sa.sa_sigaction = segv;
		sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
		sigaltstack(&ss, 0);
		sigaction(SIGSEGV, &sa, 0);
	}
	__asm__ volatile("mov $0x1000, %%rsp; mov $15, %%eax; syscall"
			 ::: "memory");
	return 0;
}
