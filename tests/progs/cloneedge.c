/* SPDX-License-Identifier: MIT */
/*
 * clone and clone3 at the edges of what the kernel accepts; each case prints
 * what the program got (a child's fate, or the error):
 *  - glibc's clone(fn, stack, SIGCHLD, arg): a fork-like child on a new stack;
 *  - CLONE_VM with a stack the child cannot use (PROT_NONE, read-only): the
 *    kernel creates the child, which dies of SIGSEGV at its first push; the
 *    parent goes on (clone, clone3, clone3 with CLONE_VFORK);
 *  - a struct clone_args whose last bytes are unreadable: EFAULT, no child;
 *  - a size above the kernel's struct with a zero tail (valid), a non-zero
 *    tail (E2BIG), an unreadable tail (EFAULT), a size of a page (valid) and
 *    above (E2BIG); a stack without a size (EINVAL).
 * Children use raw system calls only. Deterministic output.
 */
#include <errno.h>
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

struct clone_args_v2 {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal;
	uint64_t stack, stack_size, tls, set_tid, set_tid_size, cgroup;
};

#define PAGE 4096
#define STACK_SIZE (64 * 1024)

#include "rawsys.h"

/* clone or clone3 whose child calls fn on its stack (if it can). */
static long clone_fn(long nr, long a0, long a1, void (*fn)(void))
{
	register long rax __asm__("rax") = nr;
	register long rdi __asm__("rdi") = a0;
	register long rsi __asm__("rsi") = a1;
	register long rdx __asm__("rdx") = 0;
	register long r10 __asm__("r10") = 0;
	register long r8 __asm__("r8") = 0;
	register void (*r12)(void) __asm__("r12") = fn;

	__asm__ volatile("syscall\n\t"
			 "test %%rax, %%rax\n\t"
			 "jnz 1f\n\t"
			 "xor %%ebp, %%ebp\n\t"
			 "call *%%r12\n\t"
			 "ud2\n"
			 "1:"
			 : "+r"(rax)
			 : "r"(rdi), "r"(rsi), "r"(rdx), "r"(r10), "r"(r8),
			   "r"(r12)
			 : "rcx", "r11", "memory");
	return rax;
}

static void __attribute__((noreturn, used)) child_exit6(void)
{
	static const char m[] = "vfork-like child on its stack\n";

	raw3(SYS_write, 1, (long)m, sizeof(m) - 1);
	for (;;)
		raw3(SYS_exit, 6, 0, 0);
}

static void report(const char *what, long r)
{
	int st;

	if (r == -ENOSYS) /* not run */
		return;
	if (r < 0) {
		printf("%s: %s\n", what, strerrorname_np((int)-r));
		return;
	}
	if (r == 0) { /* a fork-like child from the plain syscall */
		raw3(SYS_getppid, 0, 0, 0);
		raw3(SYS_exit_group, 4, 0, 0);
	}
	if (waitpid((pid_t)r, &st, __WALL) != r)
		printf("%s: waitpid failed\n", what);
	else if (WIFEXITED(st))
		printf("%s: child exited %d\n", what, WEXITSTATUS(st));
	else
		printf("%s: child killed by %s\n", what,
		       sigabbrev_np(WTERMSIG(st)));
}

static const char *only;

/* Run the case? (argv[1], if given, picks the cases whose name has it.) */
static int want(const char *what)
{
	return !only || strstr(what, only);
}

static int glibc_child(void *arg)
{
	printf("glibc clone child: %s\n", (char *)arg);
	fflush(stdout);
	return 9;
}

int main(int argc, char **argv)
{
	struct clone_args_v2 ca, *edge;
	uint8_t *none, *ro, *two, *stack;
	long r;

	only = argc > 1 ? argv[1] : NULL;
	setvbuf(stdout, NULL, _IONBF, 0);
	stack = mmap(NULL, STACK_SIZE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	none = mmap(NULL, PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ro = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	two = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (stack == MAP_FAILED || none == MAP_FAILED || ro == MAP_FAILED ||
	    two == MAP_FAILED || mprotect(two + PAGE, PAGE, PROT_NONE))
		return 1;

	r = !want("glibc clone(fn, stack, SIGCHLD)") ? -ENOSYS :
	    clone(glibc_child, stack + STACK_SIZE, SIGCHLD, "fn(arg) ran");
	report("glibc clone(fn, stack, SIGCHLD)", r);

	r = !want("clone CLONE_VM, PROT_NONE stack") ? -ENOSYS :
	    clone_fn(SYS_clone, CLONE_VM | SIGCHLD, (long)(none + PAGE),
		     child_exit6);
	report("clone CLONE_VM, PROT_NONE stack", r);

	memset(&ca, 0, sizeof(ca));
	ca.flags = CLONE_VM;
	ca.exit_signal = SIGCHLD;
	ca.stack = (uintptr_t)none;
	ca.stack_size = PAGE;
	r = !want("clone3 CLONE_VM, PROT_NONE stack") ? -ENOSYS :
	    clone_fn(SYS_clone3, (long)&ca, sizeof(ca), child_exit6);
	report("clone3 CLONE_VM, PROT_NONE stack", r);

	ca.flags = CLONE_VM | CLONE_VFORK;
	r = !want("clone3 CLONE_VM|CLONE_VFORK, PROT_NONE stack") ? -ENOSYS :
	    clone_fn(SYS_clone3, (long)&ca, sizeof(ca), child_exit6);
	report("clone3 CLONE_VM|CLONE_VFORK, PROT_NONE stack", r);

	ca.flags = CLONE_VM;
	ca.stack = (uintptr_t)ro;
	r = !want("clone3 CLONE_VM, read-only stack") ? -ENOSYS :
	    clone_fn(SYS_clone3, (long)&ca, sizeof(ca), child_exit6);
	report("clone3 CLONE_VM, read-only stack", r);

	/* 64 readable bytes, then the PROT_NONE page */
	edge = (void *)(two + PAGE - 64);
	memset(edge, 0, 64);
	edge->exit_signal = SIGCHLD;
	r = !want("clone3 args partly unreadable") ? -ENOSYS :
	    raw3(SYS_clone3, (long)edge, sizeof(ca), 0);
	report("clone3 args partly unreadable", r);

	memset(two, 0, PAGE);
	edge = (void *)two;
	edge->exit_signal = SIGCHLD;
	r = !want("clone3 size 96, zero tail, fork-like") ? -ENOSYS :
	    raw3(SYS_clone3, (long)edge, 96, 0);
	report("clone3 size 96, zero tail, fork-like", r);

	edge->flags = CLONE_VM | CLONE_VFORK;
	edge->stack = (uintptr_t)stack;
	edge->stack_size = STACK_SIZE;
	r = !want("clone3 size 96, zero tail, CLONE_VM|CLONE_VFORK on a stack") ?
	    -ENOSYS :
	    clone_fn(SYS_clone3, (long)edge, 96, child_exit6);
	report("clone3 size 96, zero tail, CLONE_VM|CLONE_VFORK on a stack",
	       r);

	memset(two, 0, PAGE);
	edge->exit_signal = SIGCHLD;
	two[95] = 1;
	r = !want("clone3 size 96, non-zero tail") ? -ENOSYS :
	    raw3(SYS_clone3, (long)edge, 96, 0);
	report("clone3 size 96, non-zero tail", r);
	two[95] = 0;

	edge = (void *)(two + PAGE - 88);
	memset(edge, 0, 88);
	edge->exit_signal = SIGCHLD;
	r = !want("clone3 size 96, unreadable tail") ? -ENOSYS :
	    raw3(SYS_clone3, (long)edge, 96, 0);
	report("clone3 size 96, unreadable tail", r);

	memset(two, 0, PAGE);
	edge = (void *)two;
	edge->exit_signal = SIGCHLD;
	r = !want("clone3 size 4096, zero tail") ? -ENOSYS :
	    raw3(SYS_clone3, (long)edge, PAGE, 0);
	report("clone3 size 4096, zero tail", r);
	r = !want("clone3 size 4097") ? -ENOSYS :
	    raw3(SYS_clone3, (long)edge, PAGE + 1, 0);
	report("clone3 size 4097", r);

	edge->stack = (uintptr_t)stack;
	edge->stack_size = 0;
	r = !want("clone3 stack without a size") ? -ENOSYS :
	    raw3(SYS_clone3, (long)edge, 88, 0);
	report("clone3 stack without a size", r);
	printf("parent done\n");
	return 0;
}
