/* SPDX-License-Identifier: MIT */
/*
 * int $0x80 in a 64-bit program: a call of the i386 table, with its own
 * numbers (4 is write there, stat here) and registers (ebx, ecx, edx, esi,
 * edi, ebp; the result in rax). Syscall User Dispatch traps it like any
 * call, and its SIGSYS says so in si_arch (AUDIT_ARCH_I386). limen ran it
 * as a 64-bit call before: i386 write(1, buf, 19) became stat(1, ...) =
 * -EFAULT, exit(0) became a write, execve an munmap (a torture run's
 * find, every run, every mode).
 *
 * Made as bare: the call goes to the kernel as it came, with `int $0x80`
 * from limen's exempt range (stubs.S, limen_app_int80), in the window
 * where a signal finds the program's call in flight; the trace shows it
 * by its i386 name, its arguments as numbers (LIMEN_RECF_I386; no
 * capture, no decoding of what they point to), when everything is traced
 * (-e trace= names the 64-bit table's calls). Except:
 *  - the calls that end a thread or make a process, and those of signal
 *    masks and prctl, are limen's to see: exit, exit_group, fork and
 *    vfork, clone and clone3 without CLONE_SETTLS, rt_sigprocmask,
 *    rt_sigpending, rt_sigsuspend, signalfd and signalfd4 and prctl are
 *    made as their 64-bit twins (the same arguments, clone's last two
 *    swapped; each reads and writes memory of the same layout), through
 *    every hook, and shown by their 64-bit names;
 *  - the calls limen cannot make as bare without giving up the ground it
 *    stands on answer ENOSYS: those that take a 32-bit struct sigaction
 *    (the kernel then delivers 32-bit frames, and SIGSYS is limen's),
 *    stack_t, siginfo or old-style set (signal, sigaction, rt_sigaction,
 *    sigprocmask, sigsuspend, sigaltstack, rt_sigtimedwait and its time64
 *    twin), sigreturn and rt_sigreturn (a 32-bit frame), seccomp (a
 *    filter under limen's own calls), and clone and clone3 with
 *    CLONE_SETTLS (a 32-bit TLS descriptor for a thread limen starts).
 * execve and execveat are made as bare: the new image runs, untraced, and
 * the trace says so after the call (LIMEN_NOTE_EXEC_UNTRACED).
 */
#include <errno.h>
#include <sys/syscall.h>

#include "rt.h"

#ifndef CLONE_SETTLS
#define CLONE_SETTLS 0x00080000
#endif

/* the i386 table's numbers (asm/unistd_32.h) */
enum {
	I386_EXIT = 1,
	I386_FORK = 2,
	I386_EXECVE = 11,
	I386_SIGNAL = 48,
	I386_SIGACTION = 67,
	I386_SIGSUSPEND = 72,
	I386_SIGRETURN = 119,
	I386_CLONE = 120,
	I386_SIGPROCMASK = 126,
	I386_PRCTL = 172,
	I386_RT_SIGRETURN = 173,
	I386_RT_SIGACTION = 174,
	I386_RT_SIGPROCMASK = 175,
	I386_RT_SIGPENDING = 176,
	I386_RT_SIGTIMEDWAIT = 177,
	I386_RT_SIGSUSPEND = 179,
	I386_SIGALTSTACK = 186,
	I386_VFORK = 190,
	I386_EXIT_GROUP = 252,
	I386_SIGNALFD = 321,
	I386_SIGNALFD4 = 327,
	I386_SECCOMP = 354,
	I386_EXECVEAT = 358,
	I386_RT_SIGTIMEDWAIT_TIME64 = 421,
	I386_CLONE3 = 435,
};

/* The 64-bit twin that makes call n as the kernel would, its arguments in
   a (rewritten in place); -1: none, made as it came; -2: refused. */
static long twin(uint32_t n, long *a)
{
	switch (n) {
	case I386_EXIT:
		return SYS_exit;
	case I386_EXIT_GROUP:
		return SYS_exit_group;
	case I386_FORK:
		return SYS_fork;
	case I386_VFORK:
		return SYS_vfork;
	case I386_CLONE: {
		/* i386: flags, stack, parent_tid, tls, child_tid */
		long tls = a[3];

		if (a[0] & CLONE_SETTLS)
			return -2;
		a[3] = a[4];
		a[4] = tls;
		return SYS_clone;
	}
	case I386_CLONE3: {
		/* struct clone_args is the same for both; its flags first */
		uint64_t flags;

		if (limen_safe_read(&flags, (uint64_t)a[0], 8) == 8 &&
		    (flags & CLONE_SETTLS))
			return -2;
		return SYS_clone3; /* unreadable: its hook says EFAULT */
	}
	/* a compat_sigset_t is a sigset_t's bytes: these read and write
	   nothing else of another layout */
	case I386_RT_SIGPROCMASK:
		return SYS_rt_sigprocmask;
	case I386_RT_SIGPENDING:
		return SYS_rt_sigpending;
	case I386_RT_SIGSUSPEND:
		return SYS_rt_sigsuspend;
	case I386_SIGNALFD:
		return SYS_signalfd;
	case I386_SIGNALFD4:
		return SYS_signalfd4;
	case I386_PRCTL:
		return SYS_prctl;
	/* a 32-bit struct sigaction (the kernel then builds 32-bit frames),
	   stack_t, siginfo, sock_fprog, or the old single-word sets */
	case I386_SIGNAL: case I386_SIGACTION: case I386_SIGSUSPEND:
	case I386_SIGRETURN: case I386_SIGPROCMASK: case I386_RT_SIGRETURN:
	case I386_RT_SIGACTION: case I386_RT_SIGTIMEDWAIT:
	case I386_RT_SIGTIMEDWAIT_TIME64: case I386_SIGALTSTACK:
	case I386_SECCOMP:
		return -2;
	}
	return -1;
}

void limen_compat_call(ucontext_t *uc, uint64_t call_addr)
{
	greg_t *g = uc->uc_mcontext.gregs;
	uint32_t n = (uint32_t)g[REG_RAX];
	long a[6], nr64, ret, rec = LIMEN_NR_I386 | n;
	struct limen_inflight fl, *prev;
	int sel, exec = n == I386_EXECVE || n == I386_EXECVEAT;

	/* the kernel takes the low 32 bits of each */
	a[0] = (uint32_t)g[REG_RBX];
	a[1] = (uint32_t)g[REG_RCX];
	a[2] = (uint32_t)g[REG_RDX];
	a[3] = (uint32_t)g[REG_RSI];
	a[4] = (uint32_t)g[REG_RDI];
	a[5] = (uint32_t)g[REG_RBP];
	nr64 = twin(n, a);
	if (nr64 >= 0) {
		limen_dispatch_as(uc, call_addr, 0, nr64, a);
		return;
	}
	sel = limen_rt.ctl && (limen_rt.ctl->flags & LIMEN_CTL_TRACE_ALL);
	if (sel)
		limen_record_sys(LIMEN_REC_ENTER, rec, a, (long)call_addr, 0);
	if (nr64 == -2) {
		ret = -ENOSYS;
	} else {
		memset(&fl, 0, sizeof(fl));
		fl.nr = rec;
		fl.a = a;
		fl.uc = uc;
		fl.record = sel;
		fl.call_addr = call_addr;
		fl.pnr = g[REG_RAX];
		fl.knr = n;
		/* the image an i386 execve starts runs without limen: the
		   trace says so if it does start */
		if (exec)
			limen_note(LIMEN_NOTE_EXEC_UNTRACED, 0,
				   "an i386 execve (int $0x80) starts it");
		prev = limen_tls.inflight;
		limen_tls.inflight = &fl;
		ret = limen_app_int80(n, a[0], a[1], a[2], a[3], a[4], a[5]);
		limen_tls.inflight = prev;
		if (exec)
			limen_note(LIMEN_NOTE_EXEC_FAILED, 0, "");
		if (ret == LIMEN_RET_DEFERRED) {
			/* a signal first: the program takes it, then makes
			   the call again from its own int $0x80 */
			if (sel)
				limen_record_unmade(rec, a, 0);
			g[REG_RIP] -= 2;
			return;
		}
		if (fl.done)
			sel = 0;
	}
	if (sel)
		limen_record_sys(LIMEN_REC_EXIT, rec, a, ret, 0);
	g[REG_RAX] = ret;
}
