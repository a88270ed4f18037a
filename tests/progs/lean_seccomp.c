/* SPDX-License-Identifier: MIT */
/*
 * A seccomp filter's SECCOMP_RET_TRAP for a call made at a rewritten site
 * that nothing selects (the lean path, src/runtime/lean.c: the kernel's
 * `syscall` is then limen's, in limen_fast_entry). The program's SIGSYS
 * handler must see the call where the program made it, as bare: si_call_addr
 * and the context's rip just after the site's `syscall`, rax the call's
 * number (the kernel rolls the call back), rsp the program's; the result it
 * writes into rax is the call's. tests/syscalls/lean_seccomp.t.
 * Prints the site's first byte on stderr (b8 as built, e9 once rewritten);
 * deterministic stdout, exit 0.
 */
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/ucontext.h>
#include <unistd.h>

#include "kill_at.h"

#ifndef SYS_SECCOMP
#define SYS_SECCOMP 1 /* si_code of a seccomp filter's SIGSYS */
#endif
#define EMULATED 4242
#define HOT 8 /* calls that make the site hot (rewrite.c: two traps) */

/* getppid from a site of our own: `mov $nr,%eax; syscall` */
long site_getppid(void);
extern const char site_getppid_mov[], site_getppid_after[];
__asm__(".text\n"
	".globl site_getppid\n"
	"site_getppid:\n"
	"	nop\n"
	".globl site_getppid_mov\n"
	"site_getppid_mov:\n"
	"	mov $110, %eax\n"
	"	syscall\n"
	".globl site_getppid_after\n"
	"site_getppid_after:\n"
	"	ret\n");

static volatile int n, code, nr, at_site, ip_after, rax_nr, sp_prog;
static volatile uint64_t sp_call;

static void on_sys(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	greg_t *g = uc->uc_mcontext.gregs;

	(void)sig;
	n++;
	code = si->si_code;
	nr = si->si_syscall;
	at_site += si->si_call_addr == (void *)site_getppid_after;
	ip_after += g[REG_RIP] == (greg_t)(uintptr_t)site_getppid_after;
	rax_nr += g[REG_RAX] == SYS_getppid;
	/* the caller's rsp less the return address call pushed */
	sp_prog += (uint64_t)g[REG_RSP] == sp_call - 8;
	g[REG_RAX] = EMULATED;
}

/* the site, with sp_call its caller's rsp at the call */
static long __attribute__((noinline)) call_site(void)
{
	uint64_t sp;

	__asm__ volatile("mov %%rsp, %0" : "=r"(sp));
	sp_call = sp;
	return site_getppid();
}

int main(void)
{
	struct sigaction sa;
	pid_t parent = getppid();
	int same = 0, emulated = 0;

	for (int i = 0; i < HOT; i++)
		same += site_getppid() == parent;
	fprintf(stderr, "site getppid %02x\n",
		*(volatile const unsigned char *)site_getppid_mov);
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sys;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSYS, &sa, 0);
	if (filter_at(SYS_getppid, SECCOMP_RET_TRAP)) {
		perror("seccomp");
		return 1;
	}
	for (int i = 0; i < 3; i++)
		emulated += call_site() == EMULATED;
	printf("before the filter: %d of %d calls the parent's pid\n", same,
	       HOT);
	printf("trapped %d, emulated %d\n", n, emulated);
	printf("si_code %s, si_syscall %s\n",
	       code == SYS_SECCOMP ? "SYS_SECCOMP" : "other",
	       nr == SYS_getppid ? "getppid" : "other");
	printf("si_call_addr after the site's syscall: %d\n", at_site);
	printf("rip after the site's syscall: %d\n", ip_after);
	printf("rax the call's number: %d\n", rax_nr);
	printf("rsp the program's: %d\n", sp_prog);
	return 0;
}
