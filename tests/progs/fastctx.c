/* SPDX-License-Identifier: MIT */
/*
 * A handler that reads and changes the context a signal interrupted,
 * with signals landing anywhere around two rewritten call sites
 * (src/runtime/arch/x86_64/fast.S, lean.c limen_lean_settle, rewrite.c
 * limen_fast_settle). A thread loops on two getppid sites of its own,
 * one call each in turn (`mov $110,%eax; syscall`) with r12 set to a counter and CF clear; a
 * timer of its own (tests/progs/tick.h) sends it SIGUSR1s, so that how
 * long N of them take does not depend on how busy the machine is. The
 * handler checks what it finds:
 *  - at the site's `syscall` (the call not made yet): rax the number;
 *  - right after it (the call made): rax the result, rcx that address,
 *    r11 the flags, as the kernel's `syscall` leaves them;
 * and there it changes the result (+1000), r12 (+1) and sets CF. The loop
 * checks each call came back with all three changed alike (m times: a
 * second signal may land before the first's handler leaves site_after,
 * as bare), and counts the changes: as many as the handler made.
 *   fastctx N   N signals; prints "signals N, bad 0, handler's bad 0,
 *               changes lost 0"
 */
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <ucontext.h>
#include <unistd.h>

#include "tick.h"

/* site(k, &flags): r12 = k, flags 0x202, getppid at the site; returns
   rax, the flags right after the `syscall` in *flags, r12 in *r12.
   site2 the same at a second site: the loop alternates the two, so that
   what limen's frame kept from the call before (at the same place on
   its stack) is the other site's, never right by chance */
long site(long k, uint64_t *flags, uint64_t *r12);
long site2(long k, uint64_t *flags, uint64_t *r12);
extern const unsigned char site_mov[], site_sc[], site_after[];
extern const unsigned char site2_mov[], site2_sc[], site2_after[];

#define SITE(name) \
	".text\n.globl " name "\n" name ":\n" \
	"	push %r12\n	push %rbx\n	push %rdx\n" \
	"	mov %rsi, %rbx\n	mov %rdi, %r12\n" \
	"	pushq $0x202\n	popfq\n" \
	".globl " name "_mov\n" name "_mov:\n" \
	"	mov $110, %eax\n" \
	".globl " name "_sc\n" name "_sc:\n" \
	"	syscall\n" \
	".globl " name "_after\n" name "_after:\n" \
	"	pushfq\n	pop %rcx\n	mov %rcx, (%rbx)\n" \
	"	pop %rdx\n	mov %r12, (%rdx)\n" \
	"	pop %rbx\n	pop %r12\n	ret\n"
__asm__(SITE("site") SITE("site2"));

static volatile sig_atomic_t handled;
static int n;
static volatile long changed, seen_changed, bad, hbad;
static greg_t hrax[3], hrcx[3], hr11[3]; /* the handler's first bad finds */
static volatile long calls;
static long ppid;

static void on_usr1(int sig, siginfo_t *si, void *ucv)
{
	greg_t *g = ((ucontext_t *)ucv)->uc_mcontext.gregs;
	uint64_t ip = (uint64_t)g[REG_RIP];

	(void)sig;
	(void)si;
	if ((ip == (uintptr_t)site_sc || ip == (uintptr_t)site2_sc) &&
	    g[REG_RAX] != 110)
		hbad++;
	if (ip == (uintptr_t)site_after || ip == (uintptr_t)site2_after) {
		/* (CF set: a handler before this one changed it all) */
		if (!(g[REG_EFL] & 1) &&
		    (g[REG_RAX] != ppid || (uint64_t)g[REG_RCX] != ip ||
		     (g[REG_R11] & 0xcd5) != (g[REG_EFL] & 0xcd5)) &&
		    hbad++ < 3) {
			hrax[hbad - 1] = g[REG_RAX] - ppid;
			hrcx[hbad - 1] = g[REG_RCX] - (greg_t)ip;
			hr11[hbad - 1] = g[REG_R11] ^ g[REG_EFL];
		}
		g[REG_RAX] += 1000;
		g[REG_R12] += 1;
		g[REG_EFL] |= 1; /* CF */
		changed++;
	}
	handled++;
}

/* one call of the site, checked */
static void once(long k)
{
	uint64_t fl, r12;
	long r = (k & 16 ? site2 : site)(k, &fl, &r12);

	long m = (long)(r12 - (uint64_t)k);

	/* m signals found the call made (a second one may land before the
	   first's handler leaves site_after) */
	if (m >= 0 && r == ppid + 1000 * m && !(fl & 1) == !m)
		seen_changed += m;
	else if (bad++ < 3)
		fprintf(stderr, "call %ld: r12 %+ld, flags %#lx\n",
			r - ppid, m, (long)fl);
	calls++;
}

static void *loop(void *arg)
{
	long k = 0x5a5a0000;

	(void)arg;
	for (; calls < 100; k += 16) /* the site hot (rewritten) first */
		once(k);
	tick_start(SIGUSR1);
	for (; handled < n; k += 16)
		once(k);
	tick_stop();
	return NULL;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { 0 };
	pthread_t t;

	n = argc > 1 ? atoi(argv[1]) : 0;
	ppid = getppid();
	sa.sa_sigaction = on_usr1;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGUSR1, &sa, NULL);
	if (pthread_create(&t, NULL, loop, NULL))
		return 2;
	pthread_join(t, NULL);
	fprintf(stderr, "site ppid %02x\nsite ppid2 %02x\nchanged %ld\n",
		*(volatile const unsigned char *)site_mov,
		*(volatile const unsigned char *)site2_mov, (long)changed);
	for (int i = 0; i < hbad && i < 3; i++)
		fprintf(stderr, "handler found rax %+lld, rcx %+lld, "
			"r11 ^ flags %#llx\n", hrax[i], hrcx[i], hr11[i]);
	/* (a few more may land between the last check and tick_stop) */
	printf("signals %d, bad %ld, handler's bad %ld, changes lost %ld\n",
	       handled >= n ? n : (int)handled, bad, hbad,
	       changed - seen_changed);
	return 0;
}
