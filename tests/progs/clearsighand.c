/* SPDX-License-Identifier: MIT */
/*
 * clone3 with CLONE_CLEAR_SIGHAND, as glibc >= 2.38's posix_spawn issues it:
 * the kernel resets every handler of the child to SIG_DFL (SIG_IGN stays),
 * with flags, mask and restorer cleared; the parent's are untouched.
 *  1. fork-like (flags CLONE_CLEAR_SIGHAND): the child reads back its
 *     dispositions, makes calls, execs /bin/echo;
 *  2. fork-like, the child raises SIGUSR1 (handled in the parent): it must
 *     die of it, the default action;
 *  3. vfork-like (CLONE_VM|CLONE_VFORK|CLONE_CLEAR_SIGHAND on a new stack,
 *     exactly posix_spawn's call): the child reads back its dispositions with
 *     raw calls and execs /bin/echo;
 *  then the parent reads back its own dispositions and takes SIGUSR1.
 * Raw system calls only in the children. Deterministic output.
 */
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
#ifndef CLONE_CLEAR_SIGHAND
#define CLONE_CLEAR_SIGHAND 0x100000000ULL
#endif

struct clone_args_v2 {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal;
	uint64_t stack, stack_size, tls, set_tid, set_tid_size, cgroup;
};

struct ksa {
	uint64_t handler, flags, restorer, mask;
};

#define STACK_SIZE (64 * 1024)

#include "rawsys.h"

static void put(const char *s)
{
	raw4(SYS_write, 1, (long)s, (long)strlen(s), 0);
}

static void put_num(uint64_t v)
{
	char b[24];
	int n = sizeof(b);

	b[--n] = 0;
	do {
		b[--n] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	put(b + n);
}

static void on_usr1(int sig)
{
	(void)sig;
	put("parent: SIGUSR1 handled\n");
}

static void on_sys(int sig)
{
	(void)sig;
}

/* How the caller sees sig: DFL, IGN or a handler, and its flags and mask. */
static void show(const char *who, int sig)
{
	struct ksa k;
	long r = raw4(SYS_rt_sigaction, sig, 0, (long)&k, 8);

	put(who);
	put(": sig ");
	put_num((uint64_t)sig);
	if (r) {
		put(" error\n");
		return;
	}
	put(k.handler == 0 ? " SIG_DFL" : k.handler == 1 ? " SIG_IGN"
							 : " handler");
	put(" flags ");
	put_num(k.flags);
	put(" mask ");
	put_num(k.mask);
	put(k.restorer ? " restorer set\n" : " no restorer\n");
}

static void show_all(const char *who)
{
	show(who, SIGUSR1);
	show(who, SIGUSR2);
	show(who, SIGSYS);
	show(who, SIGTERM);
}

static char *const echo_argv1[] = { "/bin/echo", "fork-like child exec'd",
				    NULL };
static char *const echo_argv3[] = { "/bin/echo", "vfork-like child exec'd",
				    NULL };
static char *const no_env[] = { NULL };

static void __attribute__((noreturn, used)) vfork_child(void)
{
	show_all("vfork-like child");
	raw4(SYS_execve, (long)"/bin/echo", (long)echo_argv3, (long)no_env, 0);
	for (;;)
		raw4(SYS_exit, 127, 0, 0, 0);
}

/* clone3 whose child starts on the new stack and calls fn. */
static long clone3_stack(struct clone_args_v2 *ca, void (*fn)(void))
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

static int reap(const char *what, long pid)
{
	int st;

	if (pid < 0) {
		printf("%s: clone3 failed: %s\n", what, strerror((int)-pid));
		return 1;
	}
	if (waitpid((pid_t)pid, &st, 0) != pid) {
		printf("%s: waitpid failed\n", what);
		return 1;
	}
	if (WIFEXITED(st))
		printf("%s: exited %d\n", what, WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		printf("%s: killed by signal %d\n", what, WTERMSIG(st));
	return 0;
}

int main(void)
{
	struct clone_args_v2 ca;
	struct sigaction sa;
	void *stack;
	long r;
	int bad = 0;

	setvbuf(stdout, NULL, _IONBF, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sa.sa_flags = SA_RESTART;
	sigaddset(&sa.sa_mask, SIGUSR2);
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_handler = on_sys;
	sa.sa_flags = SA_NODEFER;
	sigaction(SIGSYS, &sa, NULL);
	signal(SIGUSR2, SIG_IGN);
	show_all("parent before");

	memset(&ca, 0, sizeof(ca));
	ca.flags = CLONE_CLEAR_SIGHAND;
	ca.exit_signal = SIGCHLD;
	r = raw4(SYS_clone3, (long)&ca, sizeof(ca), 0, 0);
	if (r == 0) {
		show_all("fork-like child");
		raw4(SYS_getppid, 0, 0, 0, 0);
		raw4(SYS_execve, (long)"/bin/echo", (long)echo_argv1,
		    (long)no_env, 0);
		raw4(SYS_exit_group, 127, 0, 0, 0);
	}
	bad |= reap("fork-like child", r);

	r = raw4(SYS_clone3, (long)&ca, sizeof(ca), 0, 0);
	if (r == 0) {
		raw4(SYS_kill, raw4(SYS_getpid, 0, 0, 0, 0), SIGUSR1, 0, 0);
		put("fork-like child survived SIGUSR1\n");
		raw4(SYS_exit_group, 3, 0, 0, 0);
	}
	bad |= reap("fork-like child raising SIGUSR1", r);

	stack = mmap(NULL, STACK_SIZE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (stack == MAP_FAILED)
		return 1;
	memset(&ca, 0, sizeof(ca));
	ca.flags = CLONE_VM | CLONE_VFORK | CLONE_CLEAR_SIGHAND;
	ca.exit_signal = SIGCHLD;
	ca.stack = (uintptr_t)stack;
	ca.stack_size = STACK_SIZE;
	bad |= reap("vfork-like child", clone3_stack(&ca, vfork_child));

	show_all("parent after");
	raise(SIGUSR1);
	printf(bad ? "FAIL\n" : "ok\n");
	return bad;
}
