/* SPDX-License-Identifier: MIT */
/*
 * A seccomp filter returning SECCOMP_RET_TRAP for getuid: the call raises
 * SIGSYS (si_code SYS_SECCOMP) at the program's handler, which emulates it
 * by writing the result into the interrupted context's rax, then returns
 * through rt_sigreturn. The trace of that rt_sigreturn must read as
 * strace's does, and the handler must see the call where the program made
 * it (si_call_addr in libc's syscall()). Deterministic output, exit 0.
 */
#include <dlfcn.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/ucontext.h>
#include <unistd.h>

#define EMULATED 4242

static volatile int seen_code, seen_nr;
static void *volatile seen_addr;

static void on_sys(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;

	(void)sig;
	seen_code = si->si_code;
	seen_nr = si->si_syscall;
	seen_addr = si->si_call_addr;
	uc->uc_mcontext.gregs[REG_RAX] = EMULATED;
}

int main(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getuid, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { sizeof(f) / sizeof(f[0]), f };
	struct sigaction sa;
	const char *lib;
	Dl_info di;
	long r;

	setvbuf(stdout, NULL, _IONBF, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sys;
	sa.sa_flags = SA_SIGINFO;
	if (sigaction(SIGSYS, &sa, NULL))
		return 1;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog))
		return 1;
	r = syscall(SYS_getuid);
	printf("getuid: %ld, SIGSYS si_code %d for call %d\n", r, seen_code,
	       seen_nr);
	lib = dladdr(seen_addr, &di) && di.dli_fname ? di.dli_fname : "?";
	if (strrchr(lib, '/'))
		lib = strrchr(lib, '/') + 1;
	printf("si_call_addr in %s, after a syscall instruction: %s\n", lib,
	       !memcmp((char *)seen_addr - 2, "\x0f\x05", 2) ? "yes" : "no");
	return r != EMULATED;
}
