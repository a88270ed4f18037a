/* SPDX-License-Identifier: MIT */
/*
 * Threads started after a seccomp filter of the program's refused prctl
 * (EPERM: they cannot be armed for Syscall User Dispatch, clone.c), or,
 * with argv[2] "pool", a filter that refuses only acct(2) and more threads
 * alive than the pool has rings for (ring.c): either way threads limen
 * gives no signal stack. Each mode prints what it saw, the same bare and
 * under limen (tests/syscalls/unarmed_thread_signals.t):
 *   usr1  200 SIGUSR1 by pthread_kill, handler installed before the filter
 *   alrm  a per-thread timer's SIGALRM, handler installed after it
 *   segv  100 faults of the thread, its handler siglongjmps out
 *   intr  a read and a nanosleep a handler ends (EINTR), a read that
 *         SA_RESTART's handler lets go on
 *   fork  a fork, a fork and exec, a vfork and exec of the thread
 *   exit  64 threads that end while SIGUSR1 comes to them
 *   altstack  the thread's own sigaltstack: an SA_ONSTACK handler runs
 *         there, and so recovers from the thread's stack overflow
 *   masked  the thread blocks SIGSEGV, SIGBUS, SIGTRAP and SIGSYS (the
 *         signals limen keeps for itself): its SIGUSR1 handler sees them
 *         blocked still
 *   maskfault  the same, and the handler loads from NULL: the kernel
 *         forces the blocked SIGSEGV, killed by it (status 139)
 * Before limen's fix, the handler's own return went back into the handler
 * for ever (usr1, alrm, intr, exit), the first fault killed (segv), and
 * the handlers ran on the stack that overflowed (altstack).
 */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define IDLE 20 /* more than the pool's rings (ring.c, POOL) */

static volatile sig_atomic_t n_usr1, n_alrm, n_segv, n_usr2;
static __thread sigjmp_buf tjb;
static volatile int ready, stop;
static int pfd[2];
static volatile pid_t tids[64];

static void on_usr1(int s) { (void)s; n_usr1++; }
static void on_usr2(int s) { (void)s; n_usr2++; }
static void on_alrm(int s) { (void)s; n_alrm++; }
static void on_segv(int s)
{
	(void)s;
	n_segv++;
	siglongjmp(tjb, 1);
}

static void filter(int nr)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, nr, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog p = { 4, f };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &p))
		perror("seccomp"), exit(2);
}

static volatile int seen_blocked = -1, fault_in_handler;

/* which of SIGSEGV, SIGBUS, SIGTRAP, SIGSYS the handler runs with
   blocked, a bit each */
static void on_mask_usr1(int s)
{
	sigset_t cur;
	static const int sigs[] = { SIGSEGV, SIGBUS, SIGTRAP, SIGSYS };

	(void)s;
	pthread_sigmask(SIG_BLOCK, 0, &cur);
	seen_blocked = 0;
	for (int i = 0; i < 4; i++)
		seen_blocked |= sigismember(&cur, sigs[i]) << i;
	if (fault_in_handler)
		*(volatile int *)0 = 1;
}

static void *mask_fn(void *a)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGSEGV);
	sigaddset(&set, SIGBUS);
	sigaddset(&set, SIGTRAP);
	sigaddset(&set, SIGSYS);
	pthread_sigmask(SIG_BLOCK, &set, 0);
	if (sigsetjmp(tjb, 1)) {
		printf("the fault went to the SIGSEGV handler\n");
		return a;
	}
	raise(SIGUSR1);
	printf("handler saw blocked: %#x\n", seen_blocked);
	return a;
}

static void handler(int sig, void (*fn)(int), int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sa.sa_flags = flags;
	sigaction(sig, &sa, 0);
}

static char *alt;
#define ALT_BYTES 65536
static volatile int on_alt;

static void on_alt_usr1(int s)
{
	char c;

	(void)s;
	on_alt = &c >= alt && &c < alt + ALT_BYTES;
}

static void on_alt_segv(int s)
{
	on_alt_usr1(s);
	siglongjmp(tjb, 1);
}

static volatile int deepest = 1 << 30; /* never reached: the stack ends */

static int deep(int n)
{
	volatile char buf[1024];

	buf[0] = (char)n;
	return n < deepest ? deep(n + 1) + buf[0] : 0;
}

static void *alt_fn(void *a)
{
	stack_t ss = { alt, 0, ALT_BYTES };

	if (sigaltstack(&ss, 0))
		perror("sigaltstack"), exit(6);
	raise(SIGUSR1);
	printf("SIGUSR1 on the alternate stack: %d\n", on_alt);
	on_alt = 0;
	if (!sigsetjmp(tjb, 1))
		deep(1);
	printf("overflow's SIGSEGV on the alternate stack: %d\n", on_alt);
	return a;
}

static void *idle_fn(void *a)
{
	while (!stop)
		usleep(1000);
	return a;
}

static void *usr1_fn(void *a)
{
	ready = 1;
	while (n_usr1 < 200)
		getppid();
	return a;
}

static void *alrm_fn(void *a)
{
	struct sigevent ev;
	struct itimerspec it = { { 0, 1000000 }, { 0, 1000000 } };
	timer_t t;

	memset(&ev, 0, sizeof(ev));
	ev.sigev_notify = SIGEV_THREAD_ID;
	ev.sigev_signo = SIGALRM;
	ev._sigev_un._tid = (pid_t)syscall(SYS_gettid);
	if (timer_create(CLOCK_MONOTONIC, &ev, &t))
		perror("timer_create"), exit(3);
	timer_settime(t, 0, &it, 0);
	while (n_alrm < 100)
		getppid();
	timer_delete(t);
	return a;
}

static void *segv_fn(void *a)
{
	for (int i = 0; i < 100; i++)
		if (!sigsetjmp(tjb, 1))
			*(volatile int *)8 = 1;
	return a;
}

static void *intr_fn(void *a)
{
	struct timespec ts = { 5, 0 };
	ssize_t r;
	char c;

	ready = 1;
	r = read(pfd[0], &c, 1); /* SIGUSR1 has no SA_RESTART: EINTR */
	printf("read %zd %s\n", r, r < 0 ? strerror(errno) : "");
	r = nanosleep(&ts, 0);
	printf("nanosleep %zd %s\n", r, r < 0 ? strerror(errno) : "");
	ready = 2;
	r = read(pfd[0], &c, 1); /* SIGUSR2 has: the read goes on */
	printf("read again %zd %c\n", r, r > 0 ? c : '-');
	return a;
}

static void *fork_fn(void *a)
{
	int st;
	pid_t p = fork();

	if (!p) {
		printf("fork child\n");
		fflush(stdout);
		_exit(7);
	}
	waitpid(p, &st, 0);
	printf("fork child status %d\n", WEXITSTATUS(st));
	fflush(stdout);
	p = fork();
	if (!p) {
		execl("/bin/echo", "echo", "exec child", (char *)0);
		_exit(127);
	}
	waitpid(p, &st, 0);
	printf("exec child status %d\n", WEXITSTATUS(st));
	fflush(stdout);
	p = vfork();
	if (!p) {
		execl("/bin/sh", "sh", "-c", "exit 5", (char *)0);
		_exit(127);
	}
	waitpid(p, &st, 0);
	printf("vfork child status %d\n", WEXITSTATUS(st));
	return a;
}

static void *exit_fn(void *a)
{
	tids[(long)a] = (pid_t)syscall(SYS_gettid);
	for (int k = 0; k < 200; k++)
		getppid();
	return a;
}

static void wait_for(volatile int *v, int want)
{
	while (*v != want)
		;
}

int main(int argc, char **argv)
{
	const char *m = argc > 1 ? argv[1] : "usr1";
	int pool = argc > 2 && !strcmp(argv[2], "pool");
	pthread_t t, idle[IDLE];

	setvbuf(stdout, 0, _IOLBF, 0);
	handler(SIGUSR1, on_usr1, 0); /* before the filter */
	filter(pool ? SYS_acct : SYS_prctl);
	handler(SIGALRM, on_alrm, 0); /* after */
	handler(SIGSEGV, on_segv, SA_NODEFER);
	handler(SIGUSR2, on_usr2, SA_RESTART);
	if (pool)
		for (int i = 0; i < IDLE; i++)
			pthread_create(&idle[i], 0, idle_fn, 0);
	if (!strcmp(m, "usr1")) {
		pthread_create(&t, 0, usr1_fn, 0);
		wait_for(&ready, 1);
		for (int i = 0; i < 200; i++) {
			int before = n_usr1;

			pthread_kill(t, SIGUSR1);
			while (n_usr1 == before)
				;
		}
		pthread_join(t, 0);
		printf("usr1 %d\n", (int)n_usr1);
	} else if (!strcmp(m, "alrm")) {
		pthread_create(&t, 0, alrm_fn, 0);
		pthread_join(t, 0);
		printf("alrm at least 100: %d\n", n_alrm >= 100);
	} else if (!strcmp(m, "segv")) {
		pthread_create(&t, 0, segv_fn, 0);
		pthread_join(t, 0);
		printf("segv %d\n", (int)n_segv);
	} else if (!strcmp(m, "intr")) {
		if (pipe(pfd))
			return 4;
		pthread_create(&t, 0, intr_fn, 0);
		wait_for(&ready, 1);
		usleep(100000);
		pthread_kill(t, SIGUSR1);
		usleep(100000);
		pthread_kill(t, SIGUSR1);
		wait_for(&ready, 2);
		usleep(100000);
		pthread_kill(t, SIGUSR2);
		usleep(100000);
		if (write(pfd[1], "x", 1) != 1)
			return 5;
		pthread_join(t, 0);
		printf("usr1 %d usr2 %d\n", (int)n_usr1, (int)n_usr2);
	} else if (!strcmp(m, "altstack")) {
		pthread_attr_t at;

		alt = malloc(ALT_BYTES);
		handler(SIGUSR1, on_alt_usr1, SA_ONSTACK);
		handler(SIGSEGV, on_alt_segv, SA_ONSTACK | SA_NODEFER);
		pthread_attr_init(&at);
		pthread_attr_setstacksize(&at, 256 << 10);
		pthread_create(&t, &at, alt_fn, 0);
		pthread_join(t, 0);
	} else if (!strcmp(m, "masked") || !strcmp(m, "maskfault")) {
		fault_in_handler = m[4] == 'f';
		handler(SIGUSR1, on_mask_usr1, 0);
		pthread_create(&t, 0, mask_fn, 0);
		pthread_join(t, 0);
	} else if (!strcmp(m, "fork")) {
		pthread_create(&t, 0, fork_fn, 0);
		pthread_join(t, 0);
	} else if (!strcmp(m, "exit")) {
		pthread_t ts[64];

		for (long i = 0; i < 64; i++)
			pthread_create(&ts[i], 0, exit_fn, (void *)i);
		for (int r = 0; r < 300; r++)
			for (int i = 0; i < 64; i++)
				if (tids[i])
					syscall(SYS_tgkill, getpid(), tids[i],
						SIGUSR1);
		for (int i = 0; i < 64; i++)
			pthread_join(ts[i], 0);
		printf("exit done\n");
	}
	stop = 1;
	if (pool)
		for (int i = 0; i < IDLE; i++)
			pthread_join(idle[i], 0);
	return 0;
}
