/* SPDX-License-Identifier: MIT */
/*
 * Signal state set up before any constructor runs, as an ASan runtime
 * does: a function in .preinit_array installs a sigaltstack and an
 * SA_ONSTACK handler of SIGSEGV (under LD_PRELOAD, before liblimen's
 * constructor). Then
 *   preinit_handler segv       reads a bad pointer
 *   preinit_handler overflow   recurses until the stack ends
 * and the handler says whether it runs on the alternate stack (one of its
 * locals inside it, sigaltstack() reporting SS_ONSTACK), makes calls
 * through one syscall site often enough for it to be rewritten, checks
 * that its locals, siginfo and ucontext are still what they were, and
 * exits 3. A handler that finds its stack wrong exits 4; one whose frame
 * was overwritten while it ran exits 5 (or crashes).
 */
#include <fcntl.h>
#include <signal.h>
#include <ucontext.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ALT_SIZE (64 * 1024)
/* the handler's own frame: deep enough that a call made while it runs
   reaches into it if that call's frames go where the handler stands */
#define MARKS 1024
/* the FPU state the kernel saved for the handler (its xsave area) */
#define FP_MAX 4096

static char alt[ALT_SIZE] __attribute__((aligned(16)));

static int on_alt(uintptr_t p)
{
	return p >= (uintptr_t)alt && p < (uintptr_t)alt + ALT_SIZE;
}

static void say(const char *s)
{
	if (write(1, s, strlen(s)) < 0)
		_exit(2);
}

static void handler(int sig, siginfo_t *si, void *ucv)
{
	volatile uint64_t mark[MARKS];
	ucontext_t *uc = ucv;
	/* what the kernel handed over, compared after the calls below: the
	   frame is in the handler's hands until it returns (ASan reads the
	   faulting pc and sp from it to unwind, after its calls) */
	greg_t rip = uc->uc_mcontext.gregs[REG_RIP];
	greg_t rsp = uc->uc_mcontext.gregs[REG_RSP];
	void *addr = si->si_addr;
	static unsigned char fp[FP_MAX];
	size_t fpsz = 0;
	stack_t cur;
	int i, fd, ok = 1;

	if (uc->uc_mcontext.fpregs) {
		uint32_t sw[2]; /* fxsave's software bytes: magic, size */

		memcpy(sw, (char *)uc->uc_mcontext.fpregs + 464, sizeof(sw));
		fpsz = sw[0] == 0x46505853u && sw[1] <= FP_MAX ? sw[1] : 512;
		memcpy(fp, uc->uc_mcontext.fpregs, fpsz);
	}

	for (i = 0; i < MARKS; i++)
		mark[i] = 0x5a5a5a5a00000000ull + (uint64_t)i;
	say(on_alt((uintptr_t)mark) ? "handler: on its alternate stack\n" :
				      "handler: NOT on its alternate stack\n");
	if (sigaltstack(NULL, &cur) == 0)
		say(cur.ss_flags & SS_ONSTACK ? "sigaltstack: SS_ONSTACK\n" :
						"sigaltstack: not SS_ONSTACK\n");
	/* the same sites, many times: rewritten after their second trap;
	   open's way through limen takes more of a stack than most */
	for (i = 0; i < 20; i++) {
		if (getppid() <= 0)
			ok = 0;
		fd = open("/dev/null", O_RDONLY);
		if (fd < 0 || close(fd) < 0)
			ok = 0;
	}
	for (i = 0; i < MARKS; i++)
		if (mark[i] != 0x5a5a5a5a00000000ull + (uint64_t)i)
			ok = 0;
	if (uc->uc_mcontext.gregs[REG_RIP] != rip ||
	    uc->uc_mcontext.gregs[REG_RSP] != rsp || si->si_addr != addr ||
	    si->si_signo != sig ||
	    (fpsz && memcmp(fp, uc->uc_mcontext.fpregs, fpsz)))
		ok = 0;
	say(ok ? "handler: its frame intact\n" :
		 "handler: its frame overwritten\n");
	say(sig == SIGSEGV && si->si_code > 0 ? "SIGSEGV, a fault\n" :
						"another signal\n");
	_exit(!ok ? 5 : on_alt((uintptr_t)mark) ? 3 : 4);
}

static void preinit(int argc, char **argv, char **envp)
{
	stack_t ss = { .ss_sp = alt, .ss_size = ALT_SIZE, .ss_flags = 0 };
	struct sigaction sa;

	(void)argc;
	(void)argv;
	(void)envp;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = handler;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	if (sigaltstack(&ss, NULL) < 0 || sigaction(SIGSEGV, &sa, NULL) < 0)
		_exit(6);
}

__attribute__((section(".preinit_array"), used)) static void (*const
	preinit_fn)(int, char **, char **) = preinit;

static int deep(volatile char *p, int n)
{
	volatile char buf[512];

	buf[0] = (char)n;
	if (p)
		buf[1] = *p;
	return deep(buf, n + 1) + buf[0];
}

int main(int argc, char **argv)
{
	stack_t cur;

	if (sigaltstack(NULL, &cur) == 0)
		say(cur.ss_flags & SS_DISABLE ? "main: no alternate stack\n" :
		    cur.ss_sp == alt && cur.ss_size == ALT_SIZE ?
						"main: its alternate stack\n" :
						"main: another alternate stack\n");
	if (argc > 1 && !strcmp(argv[1], "overflow"))
		return deep(0, 0);
	return *(volatile int *)(uintptr_t)(argc + 0x10);
}
