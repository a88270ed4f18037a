/* SPDX-License-Identifier: MIT */
/*
 * Signal handlers of a thread in seccomp strict mode, which may only read,
 * write, exit and rt_sigreturn: the kernel delivers a signal and returns
 * from its handler without another call, and any other call kills the
 * thread with SIGKILL. Each case runs in a child that installs what it
 * needs, switches, and then makes raw calls only; the parent says how the
 * child ended. Deterministic output.
 *  timer     SIGALRM from setitimer (armed before the switch) ends a read
 *            (SA_RESTART): the handler writes to the pipe the read then
 *            returns, exit(5);
 *  altstack  the same, the handler on a sigaltstack (SA_ONSTACK);
 *  sigpipe   a write to a pipe without readers: SIGPIPE's handler, then
 *            the write's EPIPE, exit(6);
 *  kill      SIGUSR1 sent by the parent while the child reads, exit(7);
 *  segvfix   a load from NULL: the SIGSEGV handler points the register at
 *            a good address and returns, the load is made again, exit(8);
 *  longjmp0  SIGSEGV's handler siglongjmps to a sigsetjmp(env, 0): no
 *            call, exit(9);
 *  longjmp1  the same to a sigsetjmp(env, 1): siglongjmp's rt_sigprocmask
 *            kills the child with SIGKILL;
 *  segvdfl   a load from NULL without a handler: killed by SIGSEGV;
 *  nosig     a handler installed, no signal: exit(10);
 *  segvsent, bussent, trapsent
 *            the parent sends SIGSEGV, SIGBUS, SIGTRAP (SIG_DFL, which
 *            limen's own handlers stand in for) while the child reads:
 *            killed by that signal;
 *  storm     SIGALRM and SIGPROF every 100 us, each handler counting and
 *            writing, while the thread writes until each came 100 times:
 *            many arrive while limen's code runs, exit(11).
 * One argument runs that case alone, in the process itself.
 */
#include <fcntl.h>
#include <linux/seccomp.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

#include "rawsys.h"

static int pfd[2], go[2];
static sigjmp_buf env;
static int good = 42;

static void put(const char *s)
{
	raw3(SYS_write, 1, (long)s, (long)strlen(s));
}

static void leave(int status)
{
	raw3(SYS_exit, status, 0, 0);
}

static void strict(void)
{
	if (raw3(SYS_seccomp, SECCOMP_SET_MODE_STRICT, 0, 0) != 0)
		leave(1);
}

static void on_alrm(int sig)
{
	(void)sig;
	put("SIGALRM handler\n");
	raw3(SYS_write, pfd[1], (long)"x", 1);
}

static void on_pipe(int sig)
{
	(void)sig;
	put("SIGPIPE handler\n");
}

static volatile long nalrm, nprof;
static int null_fd;

static void count_alrm(int sig)
{
	(void)sig;
	nalrm++;
	raw3(SYS_write, null_fd, (long)"a", 1);
}

static void count_prof(int sig)
{
	(void)sig;
	nprof++;
	raw3(SYS_write, null_fd, (long)"p", 1);
}

static void on_usr1(int sig)
{
	(void)sig;
	put("SIGUSR1 handler\n");
}

static void on_segv_fix(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;

	(void)sig;
	(void)si;
	put("SIGSEGV handler\n");
	uc->uc_mcontext.gregs[REG_RBX] = (greg_t)(uintptr_t)&good;
}

static void on_segv_jump(int sig)
{
	(void)sig;
	put("SIGSEGV handler\n");
	siglongjmp(env, 1);
}

static void handle(int sig, void *h, int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = h;
	sa.sa_flags = flags;
	sigaction(sig, &sa, 0);
}

static void timer_read(int flags)
{
	struct itimerval it = { { 0, 0 }, { 0, 20000 } };
	char b;

	handle(SIGALRM, on_alrm, flags);
	setitimer(ITIMER_REAL, &it, 0);
	strict();
	put(raw3(SYS_read, pfd[0], (long)&b, 1) == 1 ? "read after SIGALRM\n" :
						      "read failed\n");
	leave(5);
}

static int load(const int *p)
{
	int v;

	__asm__ volatile("movl (%%rbx), %0" : "=r"(v) : "b"(p) : "memory");
	return v;
}

static void run(const char *c)
{
	char b;

	if (!strcmp(c, "timer")) {
		timer_read(SA_RESTART);
	} else if (!strcmp(c, "altstack")) {
		static char alt[65536];
		stack_t ss = { .ss_sp = alt, .ss_size = sizeof(alt) };

		sigaltstack(&ss, 0);
		timer_read(SA_RESTART | SA_ONSTACK);
	} else if (!strcmp(c, "sigpipe")) {
		int p[2];

		/* a pipe of its own: the parent holds the others' ends */
		if (pipe(p))
			leave(1);
		handle(SIGPIPE, on_pipe, 0);
		close(p[0]);
		strict();
		put(raw3(SYS_write, p[1], (long)"x", 1) == -32 ?
			    "write: EPIPE\n" :
			    "write: no EPIPE\n");
		leave(6);
	} else if (!strcmp(c, "segvsent") || !strcmp(c, "bussent") ||
		   !strcmp(c, "trapsent")) {
		strict();
		raw3(SYS_write, pfd[1], (long)"r", 1);
		raw3(SYS_read, go[0], (long)&b, 1);
		put("read and not killed\n");
		leave(12);
	} else if (!strcmp(c, "kill")) {
		handle(SIGUSR1, on_usr1, SA_RESTART);
		strict();
		raw3(SYS_write, pfd[1], (long)"r", 1);
		put(raw3(SYS_read, go[0], (long)&b, 1) == 1 ?
			    "read after SIGUSR1\n" :
			    "read failed\n");
		leave(7);
	} else if (!strcmp(c, "segvfix")) {
		handle(SIGSEGV, on_segv_fix, SA_SIGINFO);
		strict();
		put(load(NULL) == 42 ? "loaded 42\n" : "loaded something else\n");
		leave(8);
	} else if (!strcmp(c, "longjmp0") || !strcmp(c, "longjmp1")) {
		handle(SIGSEGV, on_segv_jump, 0);
		if (sigsetjmp(env, c[7] == '1')) {
			put("after siglongjmp\n");
			leave(9);
		}
		strict();
		load(NULL);
		put("no fault\n");
		leave(2);
	} else if (!strcmp(c, "segvdfl")) {
		strict();
		load(NULL);
		put("no fault\n");
		leave(2);
	} else if (!strcmp(c, "storm")) {
		struct itimerval it = { { 0, 100 }, { 0, 100 } };

		null_fd = open("/dev/null", O_WRONLY);
		handle(SIGALRM, count_alrm, SA_RESTART);
		handle(SIGPROF, count_prof, SA_RESTART);
		setitimer(ITIMER_REAL, &it, 0);
		setitimer(ITIMER_PROF, &it, 0);
		strict();
		while (nalrm < 100 || nprof < 100)
			raw3(SYS_write, null_fd, (long)"m", 1);
		put("both came 100 times\n");
		leave(11);
	} else if (!strcmp(c, "nosig")) {
		handle(SIGUSR1, on_usr1, 0);
		strict();
		raw3(SYS_write, pfd[1], (long)"x", 1);
		raw3(SYS_read, pfd[0], (long)&b, 1);
		put("no signal\n");
		leave(10);
	}
	leave(2);
}

int main(int argc, char **argv)
{
	static const char *const cases[] = { "timer",	 "altstack", "sigpipe",
					     "kill",	 "segvfix",  "longjmp0",
					     "longjmp1", "segvdfl",  "nosig",
					     "storm",	 "segvsent", "bussent",
					     "trapsent" };

	setvbuf(stdout, NULL, _IONBF, 0);
	if (pipe(pfd) || pipe(go))
		return 1;
	if (argc > 1) {
		run(argv[1]);
		return 2;
	}
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *c = cases[i];
		pid_t pid;
		int st;
		char b;

		/* each child its own pipes: a case may close or fill them */
		close(pfd[0]);
		close(pfd[1]);
		close(go[0]);
		close(go[1]);
		if (pipe(pfd) || pipe(go))
			return 1;
		pid = fork();
		if (pid < 0)
			return 1;
		if (pid == 0)
			run(c);
		if (!strcmp(c, "kill") || strstr(c, "sent")) {
			int sig = c[0] == 'k' ? SIGUSR1 :
				  c[0] == 's' ? SIGSEGV :
				  c[0] == 'b' ? SIGBUS : SIGTRAP;

			/* the child is in strict mode once it wrote */
			if (read(pfd[0], &b, 1) != 1 || kill(pid, sig) ||
			    (sig == SIGUSR1 && write(go[1], "g", 1) != 1))
				printf("%s: the parent's part failed\n", c);
		}
		if (waitpid(pid, &st, 0) != pid)
			printf("%s: waitpid failed\n", c);
		else if (WIFEXITED(st))
			printf("%s: exited %d\n", c, WEXITSTATUS(st));
		else
			printf("%s: killed by %s\n", c,
			       sigabbrev_np(WTERMSIG(st)));
	}
	return 0;
}
