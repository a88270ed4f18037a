/* SPDX-License-Identifier: MIT */
/*
 * Signal handlers that themselves make system calls (write, getpid), reached
 * in several ways: kill(getpid()), raise(), alarm()+pause() (pause returns
 * EINTR: SIGALRM has no SA_RESTART), sigsuspend() on a pending signal, and
 * a blocking read() interrupted by SIGUSR1 (SA_RESTART: the read restarts
 * and returns the data written later). Everything printed goes through
 * write(2) so handler and main output interleave deterministically.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t n_usr1, n_usr2, n_alrm;
static volatile sig_atomic_t pid_ok = 1;
static pid_t mypid;

static void say(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (write(1, buf, n) != n)
		_exit(2);
}

static void on_usr1(int sig)
{
	static const char m[] = "  SIGUSR1 handler: write\n";
	int e = errno;
	if (write(1, m, sizeof m - 1) < 0)
		_exit(2);
	if (getpid() != mypid)
		pid_ok = 0;
	n_usr1++;
	errno = e;
}

static void on_usr2(int sig)
{
	static const char m[] = "  SIGUSR2 handler: write\n";
	int e = errno;
	if (write(1, m, sizeof m - 1) < 0)
		_exit(2);
	n_usr2++;
	errno = e;
}

static void on_alrm(int sig)
{
	static const char m[] = "  SIGALRM handler: write\n";
	int e = errno;
	if (write(1, m, sizeof m - 1) < 0)
		_exit(2);
	if (getpid() != mypid)
		pid_ok = 0;
	n_alrm++;
	errno = e;
}

static void nap_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

int main(void)
{
	struct sigaction sa;
	sigset_t set, old;
	int p[2], r, st, bad = 0;
	char c = 0;
	pid_t child;

	mypid = getpid();
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_usr1;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_handler = on_usr2;
	sa.sa_flags = 0;
	sigaction(SIGUSR2, &sa, NULL);
	sa.sa_handler = on_alrm;
	sa.sa_flags = 0;
	sigaction(SIGALRM, &sa, NULL);

	say("kill(getpid(), SIGUSR1)\n");
	kill(getpid(), SIGUSR1);
	say("raise(SIGUSR1)\n");
	raise(SIGUSR1);

	say("alarm(1); pause()\n");
	alarm(1);
	r = pause();
	say("pause returned %d errno %s\n", r, errno == EINTR ? "EINTR" : "?");

	say("SIGUSR2 blocked, raised, then sigsuspend\n");
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, &old);
	raise(SIGUSR2);
	sigpending(&set);
	say("SIGUSR2 pending: %d, handled: %d\n", sigismember(&set, SIGUSR2),
	    (int)n_usr2);
	r = sigsuspend(&old);
	say("sigsuspend returned %d errno %s\n", r, errno == EINTR ? "EINTR" : "?");
	sigprocmask(SIG_SETMASK, &old, NULL);

	say("blocking read interrupted by SIGUSR1 (SA_RESTART)\n");
	if (pipe(p))
		return 1;
	child = fork();
	if (child == 0) {
		close(p[0]);
		nap_ms(100);
		kill(getppid(), SIGUSR1);
		nap_ms(100);
		if (write(p[1], "x", 1) != 1)
			_exit(1);
		_exit(0);
	}
	close(p[1]);
	r = read(p[0], &c, 1);
	say("read returned %d '%c'\n", r, c);
	waitpid(child, &st, 0);
	say("child status %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);

	say("handled: SIGUSR1 %d, SIGUSR2 %d, SIGALRM %d; getpid in handlers %s\n",
	    (int)n_usr1, (int)n_usr2, (int)n_alrm, pid_ok ? "right" : "WRONG");
	bad = n_usr1 != 3 || n_usr2 != 1 || n_alrm != 1 || !pid_ok || r != 1 ||
	      c != 'x';
	say(bad ? "FAIL\n" : "ok\n");
	return bad;
}
