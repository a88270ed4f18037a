/* SPDX-License-Identifier: MIT */
/*
 * Raw clone3 (no libc wrapper):
 *  1. a thread: CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|
 *     CLONE_SYSVSEM|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, with its own
 *     stack but no TLS of its own (it shares the parent's %fs), so the child
 *     uses raw system calls only: getpid, gettid, write "child\n", exit.
 *     The parent waits on the CLEARTID futex word.
 *  2. fork-like: flags 0, exit_signal SIGCHLD; the child exits 5, the parent
 *     waitpid()s and prints the status.
 * Deterministic output, exit 0 on success.
 */
#include <linux/futex.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef SYS_clone3
#define SYS_clone3 435
#endif

struct clone_args_v0 { /* CLONE_ARGS_SIZE_VER0 = 64 bytes */
	uint64_t flags;
	uint64_t pidfd;
	uint64_t child_tid;
	uint64_t parent_tid;
	uint64_t exit_signal;
	uint64_t stack;
	uint64_t stack_size;
	uint64_t tls;
};

#define STACK_SIZE (256 * 1024)

static long raw0(long nr)
{
	long r;
	__asm__ volatile("syscall" : "=a"(r) : "0"(nr) : "rcx", "r11", "memory");
	return r;
}

#include "rawsys.h"

static volatile pid_t tidword;          /* PARENT_SETTID / CHILD_CLEARTID */
static volatile long child_pid, child_tid, child_write;

static void __attribute__((noreturn, used)) thread_fn(void)
{
	static const char msg[] = "child\n";

	child_pid = raw0(SYS_getpid);
	child_tid = raw0(SYS_gettid);
	child_write = raw3(SYS_write, 1, (long)msg, sizeof msg - 1);
	for (;;)
		raw3(SYS_exit, 0, 0, 0);
}

/* clone3 whose child starts on the new stack and calls fn (never returns). */
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

int main(void)
{
	struct clone_args_v0 ca;
	void *stack;
	long tid, r;
	pid_t v;
	int st, bad = 0;

	setvbuf(stdout, NULL, _IONBF, 0);
	stack = mmap(NULL, STACK_SIZE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (stack == MAP_FAILED)
		return 1;

	memset(&ca, 0, sizeof ca);
	ca.flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND |
		   CLONE_THREAD | CLONE_SYSVSEM | CLONE_PARENT_SETTID |
		   CLONE_CHILD_CLEARTID;
	ca.child_tid = (uintptr_t)&tidword;
	ca.parent_tid = (uintptr_t)&tidword;
	ca.stack = (uintptr_t)stack;
	ca.stack_size = STACK_SIZE;
	printf("clone3 thread\n");
	tid = clone3_thread(&ca, thread_fn);
	if (tid < 0) {
		printf("clone3 (thread) failed: %ld\n", tid);
		return 1;
	}
	while ((v = tidword) != 0)
		syscall(SYS_futex, &tidword, FUTEX_WAIT, v, NULL, NULL, 0);
	printf("thread finished: same pid %s, own tid %s, tid returned %s, "
	       "write returned %ld\n",
	       child_pid == getpid() ? "yes" : "no",
	       child_tid != getpid() ? "yes" : "no",
	       child_tid == tid ? "yes" : "no", child_write);
	bad |= child_pid != getpid() || child_tid == getpid() ||
	       child_tid != tid || child_write != 6;
	munmap(stack, STACK_SIZE);

	memset(&ca, 0, sizeof ca);
	ca.exit_signal = SIGCHLD;
	printf("clone3 fork-like\n");
	r = syscall(SYS_clone3, &ca, sizeof ca);
	if (r == 0) {
		static const char msg[] = "fork-like child\n";
		raw3(SYS_write, 1, (long)msg, sizeof msg - 1);
		_exit(5);
	}
	if (r < 0) {
		printf("clone3 (fork) failed\n");
		return 1;
	}
	if (waitpid(r, &st, 0) != r) {
		printf("waitpid failed\n");
		return 1;
	}
	printf("fork-like child: exited %d, status %d\n", WIFEXITED(st),
	       WEXITSTATUS(st));
	bad |= !WIFEXITED(st) || WEXITSTATUS(st) != 5;
	printf(bad ? "FAIL\n" : "ok\n");
	return bad;
}
