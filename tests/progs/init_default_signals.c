/* SPDX-License-Identifier: MIT */
/*
 * The init of a pid namespace (its pid 1) with every signal at SIG_DFL:
 * the kernel drops the signals other processes send it (kill, tgkill,
 * sigqueue), from inside the namespace or from an ancestor, except SIGKILL
 * and SIGSTOP from the ancestor; a fault of its own still kills it. Each
 * round prints what the init saw: a call that was blocked when the signal
 * came goes on as if nothing had come. Run as root (or where an
 * unprivileged user namespace may be made); exits 77 otherwise.
 */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kill_at.h"

static void say(const char *fmt, ...)
{
	char b[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(b, sizeof(b), fmt, ap);
	va_end(ap);
	if (write(1, b, (size_t)n) < 0)
		_exit(3);
}

static void nap(long ms)
{
	struct timespec t = { ms / 1000, (ms % 1000) * 1000000 };

	while (nanosleep(&t, &t) < 0 && errno == EINTR)
		;
}

/* how: 0 kill, 1 tgkill, 2 sigqueue */
static void send_to(pid_t pid, int sig, int how)
{
	union sigval v = { 7 };

	if (how == 1)
		syscall(SYS_tgkill, pid, pid, sig);
	else if (how == 2)
		sigqueue(pid, sig, v);
	else
		kill(pid, sig);
}

static const char *how_name[] = { "kill", "tgkill", "sigqueue" };

/* init blocked in waitpid for a child of its own that sends sig to pid 1 */
static void from_inside_wait(int sig, int how)
{
	pid_t p = fork(), r;
	int st = 0;

	if (p == 0) {
		nap(100);
		send_to(1, sig, how);
		nap(50);
		_exit(5);
	}
	r = waitpid(p, &st, 0);
	say("inside %s %s, init in waitpid: %s, status %d\n", how_name[how],
	    strsignal(sig), r == p ? "reaped" : strerror(errno),
	    r == p && WIFEXITED(st) ? WEXITSTATUS(st) : -1);
}

/* init blocked in read on a pipe (restartable) and in nanosleep (a
   restart block) */
static void from_inside_read(int sig)
{
	int fd[2];
	char c = 0;
	pid_t p;
	ssize_t n;

	if (pipe(fd) < 0)
		_exit(3);
	p = fork();
	if (p == 0) {
		nap(100);
		kill(1, sig);
		nap(50);
		if (write(fd[1], "x", 1) < 0)
			_exit(3);
		_exit(0);
	}
	close(fd[1]);
	n = read(fd[0], &c, 1);
	say("inside kill %s, init in read: %zd %s\n", strsignal(sig), n,
	    n < 0 ? strerror(errno) : "");
	close(fd[0]);
	waitpid(p, 0, 0);
}

static void from_inside_sleep(int sig)
{
	struct timespec t = { 0, 300000000 };
	pid_t p = fork();
	int r;

	if (p == 0) {
		nap(100);
		kill(1, sig);
		_exit(0);
	}
	r = nanosleep(&t, 0);
	say("inside kill %s, init in nanosleep: %d %s\n", strsignal(sig), r,
	    r < 0 ? strerror(errno) : "");
	waitpid(p, 0, 0);
}

/* init running its own code when the signal comes */
static void from_inside_running(int sig)
{
	volatile int *flag = mmap(0, 4096, PROT_READ | PROT_WRITE,
				  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pid_t p;

	if (flag == MAP_FAILED)
		_exit(3);
	p = fork();
	if (p == 0) {
		nap(50);
		kill(1, sig);
		nap(50);
		*flag = 1;
		_exit(0);
	}
	while (!*flag)
		;
	say("inside kill %s, init running: went on\n", strsignal(sig));
	waitpid(p, 0, 0);
	munmap((void *)flag, 4096);
}

static const int sigs[] = { SIGQUIT, SIGILL, SIGTRAP, SIGABRT, SIGBUS,
			    SIGFPE, SIGSEGV, SIGSYS, SIGXCPU, SIGXFSZ,
			    SIGPIPE, SIGTERM, SIGUSR1 };
#define NSIGS (int)(sizeof(sigs) / sizeof(sigs[0]))

/* the init's own fault, which kills it (no core file) */
static void own_fault(const char *how)
{
	struct rlimit no_core = { 0, 0 };

	say("init: its own fault now\n");
	setrlimit(RLIMIT_CORE, &no_core);
	if (!strcmp(how, "ill")) {
		__asm__ volatile("ud2");
	} else if (!strcmp(how, "sys")) {
		/* a seccomp filter's trap (SYS_SECCOMP) for getppid */
		if (filter_at(SYS_getppid, SECCOMP_RET_TRAP))
			say("init: no seccomp filter\n");
		syscall(SYS_getppid);
	} else if (!strcmp(how, "trap")) {
		__asm__ volatile("int3");
	} else {
		*(volatile int *)(uintptr_t)8 = 1;
	}
	say("init: after its fault\n");
}

/* the init: pipes from and to the ancestor, for its rounds */
static int init_main(const char *group, const char *fault, int from_parent,
		     int to_parent)
{
	char c;
	ssize_t n;

	if (!strcmp(group, "wait")) {
		for (int i = 0; i < NSIGS; i++)
			from_inside_wait(sigs[i], 0);
		from_inside_wait(SIGQUIT, 1);
		from_inside_wait(SIGSEGV, 2);
		from_inside_wait(SIGSYS, 2);
	}
	if (!strcmp(group, "calls")) {
		from_inside_read(SIGQUIT);
		from_inside_read(SIGBUS);
		from_inside_read(SIGSYS);
		from_inside_sleep(SIGFPE);
		from_inside_sleep(SIGSEGV);
		from_inside_running(SIGQUIT);
		from_inside_running(SIGSEGV);
		from_inside_running(SIGSYS);
	}
	/* the ancestor's rounds (if the group is "ancestor"): one signal
	   each, while init reads */
	for (;;) {
		if (write(to_parent, "r", 1) != 1)
			return 3;
		n = read(from_parent, &c, 1);
		if (n < 0) {
			say("init's read from the ancestor: %s\n",
			    strerror(errno));
			continue;
		}
		if (n == 0 || c == 'f')
			break;
	}
	if (fault)
		own_fault(fault);
	return 0;
}

/* argv[1]: the rounds, "wait" (init in waitpid, signals from its child),
   "calls" (in other calls, or running) or "ancestor" (from outside the
   namespace); argv[2]: a fault to end with (segv, ill, trap, sys) */
int main(int argc, char **argv)
{
	int down[2], up[2], st, ancestor;
	pid_t p;
	char c;

	if (argc < 2)
		return 2;
	ancestor = !strcmp(argv[1], "ancestor");
	if (unshare(CLONE_NEWPID) < 0 &&
	    unshare(CLONE_NEWUSER | CLONE_NEWPID) < 0) {
		say("skip: no new pid namespace: %s\n", strerror(errno));
		return 77;
	}
	if (pipe(down) < 0 || pipe(up) < 0)
		return 3;
	p = fork();
	if (p < 0)
		return 3;
	if (p == 0) {
		close(down[1]);
		close(up[0]);
		if (getpid() != 1)
			_exit(4);
		_exit(init_main(argv[1], argc > 2 ? argv[2] : 0, down[0],
				up[1]));
	}
	close(down[0]);
	close(up[1]);
	/* from the ancestor namespace: dropped too, but SIGKILL */
	for (int i = 0; ancestor && i < NSIGS; i++) {
		if (read(up[0], &c, 1) != 1)
			break;
		nap(100); /* init is in its read by then */
		kill(p, sigs[i]);
		nap(50);
		say("ancestor kill %s: init %s\n", strsignal(sigs[i]),
		    waitpid(p, &st, WNOHANG) == 0 ? "lives" : "ended");
		if (write(down[1], "n", 1) != 1)
			break;
	}
	if (read(up[0], &c, 1) == 1 && write(down[1], "f", 1) != 1)
		return 3;
	if (waitpid(p, &st, 0) != p)
		return 3;
	if (WIFSIGNALED(st))
		say("init ended by %s\n", strsignal(WTERMSIG(st)));
	else
		say("init exited %d\n", WEXITSTATUS(st));
	return 0;
}
