/* SPDX-License-Identifier: MIT */
/*
 * Signal family, end to end: rt_sigaction (handler, SIG_IGN, SIG_DFL,
 * errors), rt_sigprocmask (blocking, real-time signals, full sets),
 * rt_sigpending, kill/tgkill/rt_sigqueueinfo with the siginfo each delivery
 * shows, the handler's own call and rt_sigreturn, rt_sigsuspend interrupted,
 * rt_sigtimedwait, sigaltstack, signalfd4. Each call is made with raw
 * syscall() and the exact line `limen trace` must print for it is written to
 * argv[2]. See tests/syscalls/fam_signal.t.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "fam.h"

/* The kernel's struct sigaction on x86_64. */
struct ksa {
	void (*handler)(int);
	unsigned long flags;
	void (*restorer)(void);
	unsigned long long mask;
};
#define SA_RESTORER_ 0x04000000UL
#define BIT(sig) (1ULL << ((sig) - 1))

void fam_restorer(void);
__asm__(".text\n.globl fam_restorer\n.type fam_restorer,@function\n"
	"fam_restorer:\n\tmov $15, %eax\n\tsyscall\n\thlt\n");

static volatile int got;
static void on_sig(int sig)
{
	got = sig;
	syscall(SYS_getppid);
}

int main(int argc, char **argv)
{
	struct ksa sa, old;
	unsigned long long set, oset;
	long r, me, pp;
	siginfo_t si;
	struct timespec ts;
	static char altstack[65536];
	stack_t ss, oss;
	int fd;

	if (argc < 3) {
		fprintf(stderr, "usage: %s WORKDIR EXPECTED\n", argv[0]);
		return 2;
	}
	me = S(SYS_getpid);
	E("getpid() = %ld", me);
	pp = S(SYS_getppid);
	E("getppid() = %ld", pp);
	unsigned uid = getuid();

	set = 0;
	r = S(SYS_rt_sigprocmask, SIG_SETMASK, &set, NULL, 8);
	CHECK(r == 0);
	E("rt_sigprocmask(SIG_SETMASK, [], NULL, 8) = %s", R(r));

	memset(&sa, 0, sizeof sa);
	sa.handler = on_sig;
	sa.flags = SA_RESTORER_ | SA_RESTART;
	sa.restorer = fam_restorer;
	sa.mask = BIT(SIGUSR2);
	r = S(SYS_rt_sigaction, SIGUSR1, &sa, NULL, 8);
	CHECK(r == 0);
	E("rt_sigaction(SIGUSR1, {sa_handler=%p, sa_mask=[USR2], sa_flags=SA_RESTORER|SA_RESTART, "
	  "sa_restorer=%p}, NULL, 8) = %s", (void *)on_sig, (void *)fam_restorer, R(r));
	r = S(SYS_rt_sigaction, SIGUSR1, NULL, &old, 8);
	CHECK(r == 0 && old.handler == on_sig);
	E("rt_sigaction(SIGUSR1, NULL, {sa_handler=%p, sa_mask=[USR2], sa_flags=SA_RESTORER|SA_RESTART, "
	  "sa_restorer=%p}, 8) = %s", (void *)on_sig, (void *)fam_restorer, R(r));

	memset(&sa, 0, sizeof sa);
	sa.handler = SIG_IGN;
	sa.flags = SA_RESTORER_;
	sa.restorer = fam_restorer;
	r = S(SYS_rt_sigaction, SIGUSR2, &sa, &old, 8);
	CHECK(r == 0 && old.handler == SIG_DFL && old.flags == 0);
	E("rt_sigaction(SIGUSR2, {sa_handler=SIG_IGN, sa_mask=[], sa_flags=SA_RESTORER, "
	  "sa_restorer=%p}, {sa_handler=SIG_DFL, sa_mask=[], sa_flags=0}, 8) = %s",
	  (void *)fam_restorer, R(r));
	sa.handler = SIG_DFL;
	sa.mask = BIT(SIGINT) | BIT(SIGTERM);
	sa.flags = SA_RESTORER_ | SA_NODEFER | SA_RESETHAND | SA_SIGINFO;
	r = S(SYS_rt_sigaction, SIGUSR2, &sa, &old, 8);
	CHECK(r == 0 && old.handler == SIG_IGN);
	E("rt_sigaction(SIGUSR2, {sa_handler=SIG_DFL, sa_mask=[INT TERM], "
	  "sa_flags=SA_RESTORER|SA_NODEFER|SA_RESETHAND|SA_SIGINFO, sa_restorer=%p}, "
	  "{sa_handler=SIG_IGN, sa_mask=[], sa_flags=SA_RESTORER, sa_restorer=%p}, 8) = %s",
	  (void *)fam_restorer, (void *)fam_restorer, R(r));
	r = S(SYS_rt_sigaction, SIGKILL, &sa, NULL, 8);
	CHECK(r == -1 && last_errno == EINVAL);
	E("rt_sigaction(SIGKILL, {sa_handler=SIG_DFL, sa_mask=[INT TERM], "
	  "sa_flags=SA_RESTORER|SA_NODEFER|SA_RESETHAND|SA_SIGINFO, sa_restorer=%p}, NULL, 8) = %s",
	  (void *)fam_restorer, R(r));
	r = S(SYS_rt_sigaction, SIGUSR1, (void *)0x1, NULL, 8);
	CHECK(r == -1 && last_errno == EFAULT);
	E("rt_sigaction(SIGUSR1, 0x1, NULL, 8) = %s", R(r));

	/* block, send, pending, unblock: delivered to the handler */
	set = BIT(SIGUSR1);
	r = S(SYS_rt_sigprocmask, SIG_BLOCK, &set, &oset, 8);
	CHECK(r == 0 && oset == 0);
	E("rt_sigprocmask(SIG_BLOCK, [USR1], [], 8) = %s", R(r));
	r = S(SYS_kill, me, SIGUSR1);
	CHECK(r == 0 && got == 0);
	E("kill(%ld, SIGUSR1) = %s", me, R(r));
	r = S(SYS_rt_sigpending, &oset, 8);
	CHECK(r == 0 && oset == BIT(SIGUSR1));
	E("rt_sigpending([USR1], 8) = %s", R(r));
	r = S(SYS_rt_sigprocmask, SIG_UNBLOCK, &set, NULL, 8);
	CHECK(r == 0 && got == SIGUSR1);
	E("rt_sigprocmask(SIG_UNBLOCK, [USR1], NULL, 8) = %s", R(r));
	E("--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_USER, si_pid=%ld, si_uid=%u} ---", me, uid);
	E("getppid() = %ld", pp);
	E("rt_sigreturn({mask=[]}) = 0");

	got = 0;
	r = S(SYS_tgkill, me, me, SIGUSR1);
	CHECK(r == 0 && got == SIGUSR1);
	E("tgkill(%ld, %ld, SIGUSR1) = %s", me, me, R(r));
	E("--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_TKILL, si_pid=%ld, si_uid=%u} ---", me, uid);
	E("getppid() = %ld", pp);
	E("rt_sigreturn({mask=[]}) = 0");

	/* rt_sigsuspend on a pending signal: interrupted */
	got = 0;
	r = S(SYS_rt_sigprocmask, SIG_BLOCK, &set, NULL, 8);
	E("rt_sigprocmask(SIG_BLOCK, [USR1], NULL, 8) = %s", R(r));
	r = S(SYS_kill, me, SIGUSR1);
	E("kill(%ld, SIGUSR1) = %s", me, R(r));
	oset = 0;
	r = S(SYS_rt_sigsuspend, &oset, 8);
	CHECK(r == -1 && last_errno == EINTR && got == SIGUSR1);
	/* the kernel's internal code, as strace shows it; the program gets
	   -1 EINTR (tests/syscalls/interrupted_as_strace.t) */
	E("rt_sigsuspend([], 8) = ? ERESTARTNOHAND (To be restarted if no handler)");
	E("--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_USER, si_pid=%ld, si_uid=%u} ---", me, uid);
	E("getppid() = %ld", pp);
	E("rt_sigreturn({mask=[USR1]}) = %s", R(r));

	/* rt_sigqueueinfo: a queued value */
	got = 0;
	r = S(SYS_rt_sigprocmask, SIG_UNBLOCK, &set, NULL, 8);
	E("rt_sigprocmask(SIG_UNBLOCK, [USR1], NULL, 8) = %s", R(r));
	memset(&si, 0, sizeof si);
	si.si_signo = SIGUSR1;
	si.si_code = SI_QUEUE;
	si.si_pid = me;
	si.si_uid = uid;
	si.si_value.sival_int = 42;
	r = S(SYS_rt_sigqueueinfo, me, SIGUSR1, &si);
	CHECK(r == 0 && got == SIGUSR1);
	E("rt_sigqueueinfo(%ld, SIGUSR1, {si_signo=SIGUSR1, si_code=SI_QUEUE, si_pid=%ld, si_uid=%u, "
	  "si_int=42, si_ptr=0x2a}) = %s", me, me, uid, R(r));
	E("--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_QUEUE, si_pid=%ld, si_uid=%u, si_int=42, "
	  "si_ptr=0x2a} ---", me, uid);
	E("getppid() = %ld", pp);
	E("rt_sigreturn({mask=[]}) = 0");

	/* rt_sigtimedwait: one pending signal, then a timeout */
	set = BIT(SIGUSR2);
	r = S(SYS_rt_sigprocmask, SIG_BLOCK, &set, NULL, 8);
	E("rt_sigprocmask(SIG_BLOCK, [USR2], NULL, 8) = %s", R(r));
	r = S(SYS_tgkill, me, me, SIGUSR2);
	E("tgkill(%ld, %ld, SIGUSR2) = %s", me, me, R(r));
	ts.tv_sec = 1;
	ts.tv_nsec = 0;
	r = S(SYS_rt_sigtimedwait, &set, &si, &ts, 8);
	CHECK(r == SIGUSR2);
	E("rt_sigtimedwait([USR2], {si_signo=SIGUSR2, si_code=SI_TKILL, si_pid=%ld, si_uid=%u}, "
	  "{tv_sec=1, tv_nsec=0}, 8) = 12 (SIGUSR2)", me, uid);
	ts.tv_sec = 0;
	ts.tv_nsec = 1000;
	r = S(SYS_rt_sigtimedwait, &set, NULL, &ts, 8);
	CHECK(r == -1 && last_errno == EAGAIN);
	E("rt_sigtimedwait([USR2], NULL, {tv_sec=0, tv_nsec=1000}, 8) = %s", R(r));

	/* masks: real-time signals, full sets */
	set = BIT(SIGUSR1) | BIT(SIGUSR2) | BIT(SIGTERM) | BIT(32) | BIT(33) | BIT(34) | BIT(64);
	r = S(SYS_rt_sigprocmask, SIG_SETMASK, &set, NULL, 8);
	E("rt_sigprocmask(SIG_SETMASK, [USR1 USR2 TERM RTMIN RT_1 RT_2 RT_32], NULL, 8) = %s", R(r));
	set = ~0ULL;
	r = S(SYS_rt_sigprocmask, SIG_SETMASK, &set, &oset, 8);
	E("rt_sigprocmask(SIG_SETMASK, ~[], [USR1 USR2 TERM RTMIN RT_1 RT_2 RT_32], 8) = %s", R(r));
	set = 0;
	r = S(SYS_rt_sigprocmask, SIG_SETMASK, &set, &oset, 8);
	CHECK(oset == ~(BIT(SIGKILL) | BIT(SIGSTOP)));
	E("rt_sigprocmask(SIG_SETMASK, [], ~[KILL STOP], 8) = %s", R(r));
	r = S(SYS_rt_sigprocmask, SIG_BLOCK, &set, NULL, 4);
	CHECK(r == -1 && last_errno == EINVAL);
	E("rt_sigprocmask(SIG_BLOCK, %s, NULL, 4) = %s", P(&set), R(r));
	r = S(SYS_rt_sigprocmask, SIG_BLOCK, (void *)0x8, NULL, 8);
	CHECK(r == -1 && last_errno == EFAULT);
	E("rt_sigprocmask(SIG_BLOCK, 0x8, NULL, 8) = %s", R(r));

	r = S(SYS_kill, me, 65);
	CHECK(r == -1 && last_errno == EINVAL);
	E("kill(%ld, 65) = %s", me, R(r));

	/* sigaltstack */
	ss.ss_sp = altstack;
	ss.ss_flags = 0;
	ss.ss_size = sizeof altstack;
	r = S(SYS_sigaltstack, &ss, &oss);
	CHECK(r == 0 && oss.ss_flags == SS_DISABLE);
	E("sigaltstack({ss_sp=%p, ss_flags=0, ss_size=%zu}, {ss_sp=%s, ss_flags=SS_DISABLE, "
	  "ss_size=%zu}) = %s", (void *)altstack, sizeof altstack, P(oss.ss_sp), oss.ss_size, R(r));
	r = S(SYS_sigaltstack, NULL, &oss);
	CHECK(r == 0 && oss.ss_sp == altstack);
	E("sigaltstack(NULL, {ss_sp=%p, ss_flags=0, ss_size=%zu}) = %s", (void *)altstack,
	  sizeof altstack, R(r));

	/* signalfd4 */
	set = BIT(SIGUSR1) | BIT(SIGHUP);
	fd = S(SYS_signalfd4, -1, &set, 8, SFD_CLOEXEC | SFD_NONBLOCK);
	CHECK(fd >= 0);
	E("signalfd4(-1, [HUP USR1], 8, SFD_CLOEXEC|SFD_NONBLOCK) = %s", R(fd));
	r = S(SYS_close, fd);
	E("close(%d) = %s", fd, R(r));

	write_expected(argv[2]);
	return failures ? 1 : 0;
}
