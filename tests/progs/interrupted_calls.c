/* SPDX-License-Identifier: MIT */
/*
 * Calls that a signal with a handler (no SA_RESTART) ends, one after the
 * other (tests/syscalls/interrupted_as_strace.t): a timer of the calling
 * thread's own (SIGEV_THREAD_ID) sends SIGUSR1 50 ms into each. strace
 * shows the code the kernel returned before the handler ran ("pause() =
 * ? ERESTARTNOHAND (To be restarted if no handler)", "read(...) = ?
 * ERESTARTSYS ...") or the call's own -EINTR (epoll_wait,
 * rt_sigtimedwait), then the signal, then rt_sigreturn = -1 EINTR.
 * Between getpid() and getppid(). With an argument, in a second thread
 * (its tid on stdout), the first waiting in pthread_join.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/futex.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static timer_t tm;

static void h(int s) { (void)s; }

static struct timespec ts;

/* the timer, and a fresh timeout (the kernel writes the time left back
   into pselect6's and ppoll's); it repeats every 100 ms, so that a call a
   loaded machine starts after the first signal is still ended, and the
   call is followed by disarm */
static void arm(void)
{
	struct itimerspec it = { { 0, 100000000 }, { 0, 50000000 } };

	ts.tv_sec = 5;
	ts.tv_nsec = 0;
	timer_settime(tm, 0, &it, 0);
}

static void disarm(void)
{
	struct itimerspec it = { { 0, 0 }, { 0, 0 } };

	timer_settime(tm, 0, &it, 0);
}

#define CALL(...) do { arm(); syscall(__VA_ARGS__); disarm(); } while (0)

/* kid blocked in its pause(): its line is out before the calls' (strace
   -f splits a line that another process's comes inside) */
static void wait_paused(pid_t kid)
{
	char path[64], b[16] = "";
	struct timespec ms = { 0, 1000000 };

	snprintf(path, sizeof(path), "/proc/%d/syscall", (int)kid);
	for (int i = 0; i < 10000; i++) {
		FILE *f = fopen(path, "r");

		if (f) {
			if (!fgets(b, sizeof(b), f))
				b[0] = 0;
			fclose(f);
		}
		if (!strncmp(b, "34 ", 3))
			return;
		nanosleep(&ms, 0);
	}
}

static void *calls(void *arg)
{
	static char buf[65536];
	static struct epoll_event ee;
	static int fw;
	static uint64_t none, usr2 = 1ull << (SIGUSR2 - 1);
	struct sigevent ev;
	int p[2], q[2], ep;
	pid_t kid;

	(void)arg;
	memset(&ev, 0, sizeof(ev));
	ev.sigev_notify = SIGEV_THREAD_ID;
	ev.sigev_signo = SIGUSR1;
	ev._sigev_un._tid = gettid();
	timer_create(CLOCK_MONOTONIC, &ev, &tm);
	if (pipe(p) || pipe(q))
		return 0;
	/* q full: the write below waits */
	fcntl(q[1], F_SETFL, O_NONBLOCK);
	while (write(q[1], buf, sizeof(buf)) > 0)
		;
	fcntl(q[1], F_SETFL, 0);
	ep = epoll_create1(0);
	kid = fork();
	if (kid == 0) {
		pause();
		_exit(0);
	}
	wait_paused(kid);
	printf("%d\n", (int)gettid());
	fflush(stdout);
	syscall(SYS_getpid);
	CALL(SYS_pause);
	CALL(SYS_rt_sigsuspend, &none, 8);
	CALL(SYS_nanosleep, &ts, 0);
	CALL(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &ts, 0);
	CALL(SYS_read, p[0], buf, 1);
	CALL(SYS_write, q[1], buf, 1);
	CALL(SYS_epoll_wait, ep, &ee, 1, 5000);
	CALL(SYS_epoll_pwait, ep, &ee, 1, 5000, &none, 8);
	CALL(SYS_futex, &fw, FUTEX_WAIT, 0, 0, 0, 0);
	CALL(SYS_futex, &fw, FUTEX_WAIT_PRIVATE, 0, &ts, 0, 0);
	CALL(SYS_select, 1, 0, 0, 0, 0);
	CALL(SYS_pselect6, 1, 0, 0, 0, &ts, 0);
	CALL(SYS_poll, 0, 0, 5000);
	CALL(SYS_ppoll, 0, 0, &ts, &none, 8);
	CALL(SYS_rt_sigtimedwait, &usr2, 0, &ts, 8);
	CALL(SYS_wait4, kid, 0, 0, 0);
	syscall(SYS_getppid);
	kill(kid, SIGKILL);
	waitpid(kid, 0, 0);
	return 0;
}

int main(int argc, char **argv)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = h;
	sigaction(SIGUSR1, &sa, 0);
	if (argc > 1) {
		pthread_t t;

		pthread_create(&t, 0, calls, 0);
		pthread_join(t, 0);
	} else {
		calls(0);
	}
	return 0;
}
