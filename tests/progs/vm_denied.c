/* SPDX-License-Identifier: MIT */
/*
 * The program's calls whose results limen writes itself (the hooks of
 * rt_sigaction, rt_sigprocmask, sigaltstack, rt_sigpending) under a
 * seccomp filter that denies process_vm_readv and process_vm_writev with
 * EPERM, as systemd's SystemCallFilter=@system-service (no @debug) and
 * other sandboxes do (tests/syscalls/vm_denied.t). Prints what each call
 * returned and wrote, in the process, a fork child and a vfork child;
 * then SIGCHLDs for a handler, many of them arriving while limen's code
 * runs (held, then delivered on a frame limen writes), and a shell's
 * command substitution (dash died of SIGSEGV).
 */
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

static void on_usr1(int sig)
{
	(void)sig;
}

static volatile int chld;

static void on_chld(int sig)
{
	(void)sig;
	chld = 1;
}

static void calls(const char *who)
{
	struct sigaction old;
	sigset_t set, prev, pend;
	stack_t ss;
	int r;

	memset(&old, 0x55, sizeof(old));
	r = sigaction(SIGUSR1, NULL, &old);
	printf("%s: sigaction %d, handler is on_usr1: %d\n", who, r,
	       old.sa_handler == on_usr1);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	memset(&prev, 0x55, sizeof(prev));
	r = sigprocmask(SIG_BLOCK, &set, &prev);
	printf("%s: sigprocmask %d, SIGUSR2 was blocked: %d\n", who, r,
	       sigismember(&prev, SIGUSR2));
	memset(&prev, 0x55, sizeof(prev));
	r = sigprocmask(SIG_UNBLOCK, &set, &prev);
	printf("%s: sigprocmask %d, SIGUSR2 was blocked: %d\n", who, r,
	       sigismember(&prev, SIGUSR2));
	memset(&ss, 0x55, sizeof(ss));
	r = sigaltstack(NULL, &ss);
	printf("%s: sigaltstack %d, flags %#x\n", who, r, ss.ss_flags);
	memset(&pend, 0x55, sizeof(pend));
	r = sigpending(&pend);
	printf("%s: sigpending %d, SIGUSR1 pending: %d\n", who, r,
	       sigismember(&pend, SIGUSR1));
	fflush(stdout);
}

int main(void)
{
	static const int deny[] = { SYS_process_vm_readv, SYS_process_vm_writev };
	struct sock_filter f[8];
	struct sock_fprog p;
	unsigned n = 0;
	int st;
	pid_t c;

	signal(SIGUSR1, on_usr1);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					      offsetof(struct seccomp_data, nr));
	for (unsigned i = 0; i < sizeof(deny) / sizeof(deny[0]); i++) {
		f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
						      deny[i], 0, 1);
		f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
						      SECCOMP_RET_ERRNO | EPERM);
	}
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	p.len = (unsigned short)n;
	p.filter = f;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &p)) {
		perror("seccomp");
		return 2;
	}
	calls("main");
	c = fork();
	if (c == 0) {
		calls("child");
		_exit(0);
	}
	waitpid(c, &st, 0);
	printf("child status %#x\n", st);
	fflush(stdout);

	c = vfork();
	if (c == 0) {
		sigset_t set, prev;

		sigemptyset(&set);
		_exit(sigprocmask(SIG_SETMASK, &set, &prev) ? 3 : 0);
	}
	waitpid(c, &st, 0);
	printf("vfork child's sigprocmask: status %#x\n", st);

	signal(SIGCHLD, on_chld);
	for (int i = 0; i < 50; i++) {
		c = fork();
		if (c == 0)
			_exit(0);
		while (waitpid(c, &st, 0) < 0 && errno == EINTR)
			;
	}
	printf("SIGCHLD handled: %d\n", chld);
	fflush(stdout);
	signal(SIGCHLD, SIG_DFL);
	return system("echo shell $(echo sub)") == 0 ? 0 : 4;
}
