/* SPDX-License-Identifier: MIT */
/*
 * SIGSYS pitfalls for a tracer built on Syscall User Dispatch (which
 * delivers SIGSYS on every system call). Whatever the program does with
 * SIGSYS must behave as it does without the tracer:
 *  (a) SIGSYS blocked with sigprocmask (alone, then with every signal):
 *      system calls still work; the mask read back shows SIGSYS blocked.
 *  (b) SIGCHLD handler with SIGSYS in sa_mask; a forked child exits; the
 *      handler runs, makes system calls, and sees SIGSYS in its mask.
 *  (c) signal(SIGSYS, SIG_IGN): system calls still work, the disposition
 *      reads back as SIG_IGN.
 *  (d) the program's own SA_SIGINFO SIGSYS handler: raise() -> SI_TKILL,
 *      kill() -> SI_USER, sigqueue() -> SI_QUEUE with its value; the handler
 *      runs exactly once each, never for ordinary system calls.
 *  (e) sigaction() reads back the handler, flags and mask installed.
 * Deterministic output, exit 0 on success.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int bad;

#define CHECK(cond, ...)                                                    \
	do {                                                                \
		int c_ = !!(cond);                                          \
		printf("%s: ", c_ ? "ok" : "FAIL");                         \
		printf(__VA_ARGS__);                                        \
		printf("\n");                                               \
		if (!c_)                                                    \
			bad = 1;                                            \
	} while (0)

/* A few ordinary system calls; returns 1 if they all behaved. */
static int some_syscalls(void)
{
	char buf[64];
	int fd, ok = 1;
	pid_t pid = getpid();

	ok &= pid > 0 && syscall(SYS_getpid) == pid;
	fd = open("/proc/self/stat", O_RDONLY);
	ok &= fd >= 0;
	if (fd >= 0) {
		ok &= read(fd, buf, sizeof buf) > 0;
		ok &= close(fd) == 0;
	}
	ok &= open("/nonexistent/limen-test", O_RDONLY) == -1 && errno == ENOENT;
	ok &= write(1, "", 0) == 0;
	return ok;
}

static int sigsys_blocked(void)
{
	sigset_t cur;
	sigprocmask(SIG_BLOCK, NULL, &cur);
	return sigismember(&cur, SIGSYS);
}

/* (b) */
static volatile sig_atomic_t chld_runs, chld_saw_sigsys_blocked, chld_pid_ok;
static pid_t mypid;

static void on_chld(int sig)
{
	static const char m[] = "  SIGCHLD handler running\n";
	int e = errno;
	chld_runs++;
	chld_saw_sigsys_blocked = sigsys_blocked();
	chld_pid_ok = getpid() == mypid;
	if (write(1, m, sizeof m - 1) < 0)
		_exit(2);
	errno = e;
}

/* (d) */
static volatile sig_atomic_t sys_runs, sys_code, sys_value, sys_pid_ok;

static void on_sys(int sig, siginfo_t *si, void *uc)
{
	static const char m[] = "  SIGSYS handler running\n";
	int e = errno;
	sys_runs++;
	sys_code = si->si_code;
	sys_value = si->si_code == SI_QUEUE ? si->si_value.sival_int : -1;
	sys_pid_ok = si->si_pid == getpid();
	if (write(1, m, sizeof m - 1) < 0)
		_exit(2);
	errno = e;
}

static const char *code_name(int c)
{
	switch (c) {
	case SI_USER: return "SI_USER";
	case SI_TKILL: return "SI_TKILL";
	case SI_QUEUE: return "SI_QUEUE";
	case 2: return "SYS_USER_DISPATCH(2)";
	default: return "other";
	}
}

int main(void)
{
	sigset_t set, old, cur;
	struct sigaction sa, q;
	pid_t child;
	int st;

	mypid = getpid();
	setvbuf(stdout, NULL, _IONBF, 0);

	/* (a) */
	printf("(a) sigprocmask\n");
	sigemptyset(&set);
	sigaddset(&set, SIGSYS);
	CHECK(sigprocmask(SIG_BLOCK, &set, &old) == 0, "block SIGSYS");
	CHECK(!sigismember(&old, SIGSYS), "SIGSYS was not blocked before");
	CHECK(some_syscalls(), "system calls work with SIGSYS blocked");
	CHECK(sigsys_blocked(), "mask reads back with SIGSYS blocked");
	CHECK(syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, &cur, 8) == 0 &&
		      sigismember(&cur, SIGSYS),
	      "raw rt_sigprocmask reads back SIGSYS blocked");
	sigfillset(&set);
	CHECK(sigprocmask(SIG_SETMASK, &set, NULL) == 0, "block everything");
	CHECK(some_syscalls(), "system calls work with every signal blocked");
	sigprocmask(SIG_SETMASK, NULL, &cur);
	CHECK(sigismember(&cur, SIGSYS) && sigismember(&cur, SIGUSR1) &&
		      sigismember(&cur, SIGTERM),
	      "mask reads back full");
	CHECK(sigprocmask(SIG_SETMASK, &old, NULL) == 0, "restore the mask");
	CHECK(!sigsys_blocked(), "SIGSYS unblocked again");
	CHECK(some_syscalls(), "system calls work after unblocking");

	/* (b) */
	printf("(b) SIGCHLD handler with SIGSYS in sa_mask\n");
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_chld;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGSYS);
	sa.sa_flags = SA_RESTART;
	CHECK(sigaction(SIGCHLD, &sa, NULL) == 0, "install SIGCHLD handler");
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, &old);
	child = fork();
	if (child == 0)
		_exit(0);
	while (!chld_runs)
		sigsuspend(&old);
	sigprocmask(SIG_SETMASK, &old, NULL);
	CHECK(waitpid(child, &st, 0) == child && WIFEXITED(st) &&
		      WEXITSTATUS(st) == 0,
	      "child reaped");
	CHECK(chld_runs == 1, "handler ran once (%d)", (int)chld_runs);
	CHECK(chld_saw_sigsys_blocked, "handler saw SIGSYS blocked");
	CHECK(chld_pid_ok, "getpid in the handler");
	CHECK(!sigsys_blocked(), "SIGSYS unblocked after the handler");
	signal(SIGCHLD, SIG_DFL);

	/* (c) */
	printf("(c) SIGSYS ignored\n");
	CHECK(signal(SIGSYS, SIG_IGN) == SIG_DFL, "previous disposition SIG_DFL");
	CHECK(some_syscalls(), "system calls work with SIGSYS ignored");
	CHECK(sigaction(SIGSYS, NULL, &q) == 0 && q.sa_handler == SIG_IGN,
	      "disposition reads back SIG_IGN");
	CHECK(signal(SIGSYS, SIG_DFL) == SIG_IGN, "signal() returns SIG_IGN");
	CHECK(sigaction(SIGSYS, NULL, &q) == 0 && q.sa_handler == SIG_DFL,
	      "disposition reads back SIG_DFL");

	/* (d), (e) */
	printf("(d) own SIGSYS handler\n");
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_sys;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGUSR2);
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	CHECK(sigaction(SIGSYS, &sa, &q) == 0 && q.sa_handler == SIG_DFL,
	      "install; the old disposition was SIG_DFL");
	CHECK(some_syscalls(), "system calls work with a SIGSYS handler");
	CHECK(sys_runs == 0, "handler not run by ordinary system calls (%d)",
	      (int)sys_runs);
	raise(SIGSYS);
	CHECK(sys_runs == 1, "raise: handler ran once (%d)", (int)sys_runs);
	CHECK(sys_code == SI_TKILL, "raise: si_code %s", code_name(sys_code));
	CHECK(sys_pid_ok, "raise: si_pid is ours");
	kill(getpid(), SIGSYS);
	CHECK(sys_runs == 2, "kill: handler ran once more (%d)", (int)sys_runs);
	CHECK(sys_code == SI_USER, "kill: si_code %s", code_name(sys_code));
	union sigval v = { .sival_int = 4242 };
	sigqueue(getpid(), SIGSYS, v);
	CHECK(sys_runs == 3, "sigqueue: handler ran once more (%d)",
	      (int)sys_runs);
	CHECK(sys_code == SI_QUEUE && sys_value == 4242,
	      "sigqueue: si_code %s, value %d", code_name(sys_code),
	      (int)sys_value);
	sigemptyset(&set);
	sigaddset(&set, SIGSYS);
	sigprocmask(SIG_BLOCK, &set, &old);
	raise(SIGSYS);
	CHECK(sys_runs == 3, "blocked: handler did not run (%d)", (int)sys_runs);
	sigpending(&cur);
	CHECK(sigismember(&cur, SIGSYS), "blocked: SIGSYS pending");
	sigprocmask(SIG_SETMASK, &old, NULL);
	CHECK(sys_runs == 4, "unblocked: pending SIGSYS delivered once (%d)",
	      (int)sys_runs);
	CHECK(some_syscalls() && sys_runs == 4,
	      "system calls still work and do not reach the handler");

	printf("(e) sigaction query\n");
	memset(&q, 0, sizeof q);
	CHECK(sigaction(SIGSYS, NULL, &q) == 0, "query");
	CHECK(q.sa_sigaction == on_sys, "handler is ours");
	CHECK((q.sa_flags & (SA_SIGINFO | SA_RESTART | SA_ONSTACK |
			     SA_NODEFER | SA_RESETHAND)) ==
		      (SA_SIGINFO | SA_RESTART),
	      "flags SA_SIGINFO|SA_RESTART");
	CHECK(sigismember(&q.sa_mask, SIGUSR2) &&
		      !sigismember(&q.sa_mask, SIGUSR1) &&
		      !sigismember(&q.sa_mask, SIGTERM),
	      "mask {SIGUSR2}");
	CHECK(sigaction(SIGSYS, NULL, &q) == 0 && q.sa_sigaction == on_sys,
	      "second query agrees");
	signal(SIGSYS, SIG_DFL);
	CHECK(some_syscalls(), "system calls work after SIG_DFL");

	printf(bad ? "FAIL\n" : "all ok\n");
	return bad;
}
