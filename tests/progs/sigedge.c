/* SPDX-License-Identifier: MIT */
/*
 * rt_sigprocmask and rt_sigaction at the edges, with raw calls; one line per
 * case with what the program got:
 *  - a bad old-set pointer: the new mask is applied, then EFAULT;
 *  - a bad `how`: EINVAL, the old set not written; without a new set `how`
 *    is not looked at;
 *  - sigaction read back: unknown flag bits (SA_UNSUPPORTED, 0x2000000)
 *    are cleared (SA_EXPOSE_TAGBITS stays), SIGKILL and SIGSTOP leave
 *    sa_mask, SA_RESTORER and the restorer are what the program passed.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

struct ksa {
	uint64_t handler, flags, restorer, mask;
};

#define BIT(sig) (1ull << ((sig) - 1))
#define CANARY 0x5a5a5a5a5a5a5a5aull
#ifndef SA_RESTORER
#define SA_RESTORER 0x04000000
#endif

#include "rawsys.h"

static const char *err(long r)
{
	return r < 0 ? strerrorname_np((int)-r) : "0";
}

static uint64_t cur_mask(void)
{
	uint64_t m = 0;

	raw4(SYS_rt_sigprocmask, SIG_BLOCK, 0, (long)&m, 8);
	return m;
}

static void handler(int sig)
{
	(void)sig;
}

static void restorer(void)
{
}

static void show_sa(const char *what, int sig, struct ksa *in)
{
	struct ksa k;
	long r;

	memset(&k, 0, sizeof(k));
	r = raw4(SYS_rt_sigaction, sig, (long)in, 0, 8);
	raw4(SYS_rt_sigaction, sig, 0, (long)&k, 8);
	printf("%s: %s, flags %#llx, mask %#llx, restorer %s\n", what, err(r),
	       (unsigned long long)k.flags, (unsigned long long)k.mask,
	       k.restorer == in->restorer ? "as passed" : "other");
}

int main(void)
{
	uint64_t set, old;
	uint8_t *bad;
	struct ksa sa;
	long r;

	setvbuf(stdout, NULL, _IONBF, 0);
	bad = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (bad == MAP_FAILED)
		return 1;

	set = 0;
	raw4(SYS_rt_sigprocmask, SIG_SETMASK, (long)&set, 0, 8);
	set = BIT(SIGUSR1);
	r = raw4(SYS_rt_sigprocmask, SIG_BLOCK, (long)&set, (long)bad, 8);
	printf("sigprocmask bad old set: %s, SIGUSR1 blocked after: %s\n",
	       err(r), cur_mask() & BIT(SIGUSR1) ? "yes" : "no");

	set = BIT(SIGUSR2);
	old = CANARY;
	r = raw4(SYS_rt_sigprocmask, 99, (long)&set, (long)&old, 8);
	printf("sigprocmask bad how: %s, old set %s, SIGUSR2 blocked: %s\n",
	       err(r), old == CANARY ? "untouched" : "written",
	       cur_mask() & BIT(SIGUSR2) ? "yes" : "no");

	old = CANARY;
	r = raw4(SYS_rt_sigprocmask, 99, 0, (long)&old, 8);
	printf("sigprocmask bad how, no new set: %s, old set %#llx\n", err(r),
	       (unsigned long long)old);

	old = CANARY;
	r = raw4(SYS_rt_sigprocmask, SIG_BLOCK, (long)bad, (long)&old, 8);
	printf("sigprocmask bad new set: %s, old set %s\n", err(r),
	       old == CANARY ? "untouched" : "written");

	old = CANARY;
	r = raw4(SYS_rt_sigprocmask, SIG_BLOCK, (long)&set, (long)&old, 4);
	printf("sigprocmask size 4: %s, old set %s\n", err(r),
	       old == CANARY ? "untouched" : "written");

	memset(&sa, 0, sizeof(sa));
	sa.handler = (uintptr_t)handler;
	sa.flags = SA_RESTORER | SA_RESTART | 0x400 /* SA_UNSUPPORTED */ | 0x800 |
		   0x2000000;
	sa.restorer = (uintptr_t)restorer;
	sa.mask = BIT(SIGKILL) | BIT(SIGSTOP) | BIT(SIGUSR2);
	show_sa("sigaction SIGUSR1 unknown flags", SIGUSR1, &sa);

	sa.flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER | 0x400;
	sa.restorer = 0x1234;
	show_sa("sigaction SIGUSR2 without SA_RESTORER", SIGUSR2, &sa);

	sa.handler = (uintptr_t)SIG_IGN;
	sa.flags = SA_RESETHAND | 0x400 | 0x100;
	show_sa("sigaction SIGHUP SIG_IGN unknown flags", SIGHUP, &sa);

	sa.handler = (uintptr_t)handler;
	sa.flags = SA_RESTORER | SA_SIGINFO | 0x400 | 0x2000000;
	sa.restorer = (uintptr_t)restorer;
	sa.mask = BIT(SIGKILL) | BIT(SIGSYS);
	show_sa("sigaction SIGSYS unknown flags", SIGSYS, &sa);
	return 0;
}
