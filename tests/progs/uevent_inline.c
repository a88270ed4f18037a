/* SPDX-License-Identifier: MIT */
/*
 * The header's inline emit (include/limen/uevent.h) next to limen's own
 * (tests/uevent/inline.t):
 *  "mix"    the main thread alternates the inline emit and the call into
 *           limen_uevent_emit, with a system call every 100 events (each
 *           closes the thread's chunk): one sequence, in order, whole;
 *  "shared" a raw clone3 thread that shares the main thread's TLS (no
 *           CLONE_SETTLS, so it also reads the header's per-thread
 *           pointer, the main thread's) emits while the main thread
 *           emits: neither may write into the other's place.
 * Prints the counts; the trace must hold every event, each source's in
 * order, none torn.
 */
#include <limen/uevent.h>

#include <linux/futex.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "rawsys.h"

LIMEN_UEVENT_DEFINE(ev_seq, "seq u64 n; u32 who; char[12] tag");

struct __attribute__((packed)) seq {
	uint64_t n;
	uint32_t who;
	char tag[12];
};

#define N 20000

static int mix_mode(void)
{
	for (long i = 0; i < N; i++) {
		struct seq s = { (uint64_t)i, 0, "mix" };

		if (i & 1)
			limen_uevent_write(&ev_seq, &s, sizeof(s));
		else if (limen_uevent_on(&ev_seq))
			limen_uevent_call_(ev_seq.id, &s, sizeof(s));
		if (i % 100 == 99)
			raw3(SYS_getppid, 0, 0, 0);
	}
	printf("mix=%d\n", N);
	return 0;
}

struct clone_args_v0 {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal;
	uint64_t stack, stack_size, tls;
};

#define STACK_SIZE (256 * 1024)

static volatile pid_t tidword;
static volatile int started;

/* the thread sharing our TLS: no libc (its errno, its stack guard are
   ours), only the inline emit and raw calls */
static void __attribute__((noreturn, used)) thread_fn(void)
{
	started = 1;
	for (long i = 0; i < N; i++) {
		struct seq s = { (uint64_t)i, 1, "shared" };

		limen_uevent_write(&ev_seq, &s, sizeof(s));
	}
	for (;;)
		raw3(SYS_exit, 0, 0, 0);
}

static long clone3_thread(struct clone_args_v0 *ca, void (*fn)(void))
{
	register long rax __asm__("rax") = SYS_clone3;
	register void *rdi __asm__("rdi") = ca;
	register long rsi __asm__("rsi") = sizeof *ca;
	register void (*r12)(void) __asm__("r12") = fn;

	__asm__ volatile("syscall\n\t"
			 "test %%rax, %%rax\n\t"
			 "jnz 1f\n\t"
			 "xor %%ebp, %%ebp\n\t"
			 "call *%%r12\n\t"
			 "ud2\n"
			 "1:"
			 : "+r"(rax)
			 : "r"(rdi), "r"(rsi), "r"(r12)
			 : "rcx", "r11", "memory");
	return rax;
}

static int shared_mode(void)
{
	struct clone_args_v0 ca;
	struct seq s0 = { 0, 0, "main" };
	void *stack;
	pid_t v;

	/* the header's pointer and a chunk, before the thread exists */
	limen_uevent_write(&ev_seq, &s0, sizeof(s0));
	stack = mmap(NULL, STACK_SIZE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (stack == MAP_FAILED)
		return 1;
	memset(&ca, 0, sizeof(ca));
	ca.flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND |
		   CLONE_THREAD | CLONE_SYSVSEM | CLONE_PARENT_SETTID |
		   CLONE_CHILD_CLEARTID;
	ca.child_tid = (uintptr_t)&tidword;
	ca.parent_tid = (uintptr_t)&tidword;
	ca.stack = (uintptr_t)stack;
	ca.stack_size = STACK_SIZE;
	if (clone3_thread(&ca, thread_fn) < 0)
		return 1;
	while (!started)
		;
	for (long i = 1; i < N; i++) {
		struct seq s = { (uint64_t)i, 0, "main" };

		limen_uevent_write(&ev_seq, &s, sizeof(s));
	}
	while ((v = tidword) != 0)
		raw4(SYS_futex, (long)&tidword, FUTEX_WAIT, v, 0);
	printf("main=%d shared=%d\n", N, N);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "shared"))
		return shared_mode();
	return mix_mode();
}
