/* SPDX-License-Identifier: MIT */
/*
 * The program's view of blocking the signals limen owns (SIGSYS, SIGSEGV,
 * SIGBUS: src/runtime/owned.c), for tests/syscalls/ownedmask.t. Each mode
 * prints what it sees; the test compares with the same run bare.
 *   ownedmask badptr      SIGSEGV and SIGBUS blocked, calls with bad
 *       pointers: EFAULT, not killed
 *   ownedmask roundtrip   sigprocmask's old set, a handler's ucontext and
 *       its own query, sigsuspend's mask in a handler, after sigreturn, in
 *       a fork child, a thread and across execve
 *   ownedmask pending H   SIGSEGV blocked, kill(self): still alive,
 *       sigpending shows it, unblocking delivers it (H: handler | dfl | ign)
 *   ownedmask sigwait     a blocked SIGSEGV sent, then taken by sigtimedwait
 *   ownedmask signalfd    a blocked SIGBUS sent, then read from a signalfd
 *   ownedmask fault       a fault while SIGSEGV is blocked and handled:
 *       killed by SIGSEGV, as the kernel forces it
 *   ownedmask execpending a blocked SIGSEGV sent, then execve: still
 *       pending and blocked in the new image
 *   ownedmask inread      a thread blocked in read() with SIGSEGV blocked
 *       gets one sent: its read is not interrupted
 *   ownedmask int3 H      the program's own int3 (H: handler | dfl | ign |
 *       blocked, a handler with SIGTRAP blocked): as bare
 *   ownedmask pendingtrap a blocked SIGTRAP sent stays pending, comes on
 *       unblock
 *   ownedmask loop N      SIGSEGV and SIGBUS blocked, N open()s, to count
 *       limen's own calls per read of the program's memory
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

static const int shown[] = { SIGTRAP, SIGBUS, SIGUSR1, SIGSEGV, SIGUSR2, SIGSYS };
static const char *self;

static void show(const char *what, const sigset_t *s)
{
	printf("%s:", what);
	for (unsigned i = 0; i < sizeof(shown) / sizeof(shown[0]); i++)
		if (sigismember(s, shown[i]))
			printf(" %d", shown[i]);
	printf("\n");
	fflush(stdout);
}

static void show_mask(const char *what)
{
	sigset_t s;

	sigprocmask(SIG_BLOCK, NULL, &s);
	show(what, &s);
}

static void show_pending(const char *what)
{
	sigset_t s;

	sigpending(&s);
	show(what, &s);
}

static void on_sig(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	char what[64];

	snprintf(what, sizeof(what), "handler %d code %d: ucontext", sig,
		 si->si_code);
	show(what, &uc->uc_sigmask);
	show_mask("handler: mask");
}

static void handle(int sig, int also)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sig;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	if (also)
		sigaddset(&sa.sa_mask, also);
	sigaction(sig, &sa, NULL);
}

static void block(int how, int a, int b)
{
	sigset_t s;

	sigemptyset(&s);
	if (a)
		sigaddset(&s, a);
	if (b)
		sigaddset(&s, b);
	sigprocmask(how, &s, NULL);
}

static void badptr(void)
{
	void *hole = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
			  -1, 0);
	const char *bad[] = { (const char *)1, hole,
			      (const char *)0xffff800000000000ul };

	block(SIG_BLOCK, SIGSEGV, SIGBUS);
	for (int i = 0; i < 3; i++) {
		int fd = open(bad[i], O_RDONLY);

		printf("open %d: %d %s\n", i, fd, fd < 0 ? strerror(errno) : "");
		printf("write %d: %zd %s\n", i, write(1, bad[i], 8),
		       strerror(errno));
		fflush(stdout);
	}
	show_mask("mask");
}

static void *thread_query(void *arg)
{
	(void)arg;
	show_mask("thread");
	return NULL;
}

static void roundtrip(void)
{
	sigset_t s, old;
	pthread_t t;
	pid_t pid;

	block(SIG_BLOCK, SIGSEGV, SIGSYS);
	show_mask("after block SEGV SYS");
	block(SIG_BLOCK, SIGBUS, 0);
	sigemptyset(&s);
	sigprocmask(SIG_UNBLOCK, &s, &old);
	show("old set", &old);
	block(SIG_UNBLOCK, SIGSEGV, 0);
	show_mask("after unblock SEGV");
	block(SIG_SETMASK, SIGSEGV, SIGUSR2);
	show_mask("after setmask SEGV USR2");

	/* a handler whose sa_mask has SIGBUS: its ucontext holds the mask
	   it interrupted, its own mask adds SIGBUS and its signal */
	handle(SIGUSR1, SIGBUS);
	raise(SIGUSR1);
	show_mask("after the handler");

	/* sigsuspend with SIGSYS and SIGBUS blocked, SEGV not */
	sigfillset(&s);
	sigdelset(&s, SIGUSR1);
	sigdelset(&s, SIGSEGV);
	sigdelset(&s, SIGUSR2);
	block(SIG_BLOCK, SIGUSR1, 0);
	kill(getpid(), SIGUSR1);
	sigsuspend(&s);
	show_mask("after sigsuspend");
	block(SIG_UNBLOCK, SIGUSR1, 0);

	pthread_create(&t, NULL, thread_query, NULL);
	pthread_join(t, NULL);
	pid = fork();
	if (pid == 0) {
		show_mask("fork child");
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	fflush(stdout);
	execl(self, self, "query", (char *)NULL);
	perror("execl");
}

static void pending(const char *h)
{
	if (!strcmp(h, "handler"))
		handle(SIGSEGV, 0);
	else if (!strcmp(h, "ign"))
		signal(SIGSEGV, SIG_IGN);
	block(SIG_BLOCK, SIGSEGV, 0);
	kill(getpid(), SIGSEGV);
	printf("alive after kill\n");
	show_pending("pending");
	show_mask("mask");
	block(SIG_UNBLOCK, SIGSEGV, 0);
	printf("after unblock\n");
	show_pending("pending");
}

static void sigwait_mode(void)
{
	siginfo_t si;
	sigset_t s;
	int r;

	handle(SIGSEGV, 0);
	block(SIG_BLOCK, SIGSEGV, 0);
	kill(getpid(), SIGSEGV);
	sigemptyset(&s);
	sigaddset(&s, SIGSEGV);
	r = sigtimedwait(&s, &si, &(struct timespec){ 5, 0 });
	printf("sigtimedwait: %d code %d\n", r, si.si_code);
	show_pending("pending");
	block(SIG_UNBLOCK, SIGSEGV, 0);
	printf("unblocked, nothing delivered\n");
}

static void signalfd_mode(void)
{
	struct signalfd_siginfo ssi;
	sigset_t s;
	int fd;

	block(SIG_BLOCK, SIGBUS, 0);
	sigemptyset(&s);
	sigaddset(&s, SIGBUS);
	fd = signalfd(-1, &s, SFD_NONBLOCK);
	kill(getpid(), SIGBUS);
	printf("read: %zd", read(fd, &ssi, sizeof(ssi)));
	printf(" signo %u\n", ssi.ssi_signo);
	show_pending("pending");
	block(SIG_UNBLOCK, SIGBUS, 0);
	printf("unblocked, nothing delivered\n");
}

static void fault(void)
{
	handle(SIGSEGV, 0);
	block(SIG_BLOCK, SIGSEGV, 0);
	printf("faulting\n");
	fflush(stdout);
	*(volatile int *)16 = 1;
	printf("survived\n");
}

static void execpending(void)
{
	block(SIG_BLOCK, SIGSEGV, 0);
	kill(getpid(), SIGSEGV);
	fflush(stdout);
	execl(self, self, "afterexec", (char *)NULL);
	perror("execl");
}

static void int3(const char *h)
{
	if (!strcmp(h, "ign"))
		signal(SIGTRAP, SIG_IGN);
	else if (strcmp(h, "dfl"))
		handle(SIGTRAP, 0);
	if (!strcmp(h, "blocked"))
		block(SIG_BLOCK, SIGTRAP, 0);
	printf("int3\n");
	fflush(stdout);
	__asm__ volatile("int3");
	printf("after int3\n");
}

static void pendingtrap(void)
{
	handle(SIGTRAP, 0);
	block(SIG_BLOCK, SIGTRAP, 0);
	kill(getpid(), SIGTRAP);
	show_pending("pending");
	show_mask("mask");
	block(SIG_UNBLOCK, SIGTRAP, 0);
	show_pending("after unblock: pending");
}

static int pipefd[2];
static pid_t reader_tid;

static void *reader(void *arg)
{
	char c;
	ssize_t r;

	(void)arg;
	block(SIG_BLOCK, SIGSEGV, 0);
	__atomic_store_n(&reader_tid, (pid_t)syscall(SYS_gettid),
			 __ATOMIC_SEQ_CST);
	r = read(pipefd[0], &c, 1);
	printf("read: %zd %s\n", r, r < 0 ? strerror(errno) : "");
	show_pending("reader pending");
	return NULL;
}

/* the thread sleeps in read (its state in /proc): no timing involved */
static void wait_blocked(pid_t tid)
{
	char path[64], buf[512], *p;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tid);
	for (;;) {
		FILE *f = fopen(path, "r");
		size_t n;

		if (!f)
			return; /* it ended */
		n = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
		buf[n] = 0;
		if (strstr(buf, ") Z") || strstr(buf, ") X"))
			return;
		p = strrchr(buf, ')');
		if (p && p[1] == ' ' && p[2] == 'S')
			return;
		sched_yield();
	}
}

static void inread(void)
{
	pthread_t t;
	pid_t tid;

	handle(SIGSEGV, 0);
	pipe(pipefd);
	pthread_create(&t, NULL, reader, NULL);
	while (!(tid = __atomic_load_n(&reader_tid, __ATOMIC_SEQ_CST)))
		sched_yield();
	wait_blocked(tid);
	syscall(SYS_tgkill, getpid(), tid, SIGSEGV);
	/* once the signal is queued or taken, the thread sleeps again */
	wait_blocked(tid);
	write(pipefd[1], "x", 1);
	pthread_join(t, NULL);
}

int main(int argc, char **argv)
{
	const char *m = argc > 1 ? argv[1] : "";

	self = argv[0];
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(m, "badptr"))
		badptr();
	else if (!strcmp(m, "roundtrip"))
		roundtrip();
	else if (!strcmp(m, "query"))
		show_mask("after execve");
	else if (!strcmp(m, "pending") && argc > 2)
		pending(argv[2]);
	else if (!strcmp(m, "sigwait"))
		sigwait_mode();
	else if (!strcmp(m, "signalfd"))
		signalfd_mode();
	else if (!strcmp(m, "fault"))
		fault();
	else if (!strcmp(m, "execpending"))
		execpending();
	else if (!strcmp(m, "afterexec")) {
		show_pending("after execve: pending");
		show_mask("after execve: mask");
		handle(SIGSEGV, 0);
		block(SIG_UNBLOCK, SIGSEGV, 0);
		printf("unblocked\n");
	} else if (!strcmp(m, "inread")) {
		inread();
	} else if (!strcmp(m, "int3") && argc > 2) {
		int3(argv[2]);
	} else if (!strcmp(m, "pendingtrap")) {
		pendingtrap();
	} else if (!strcmp(m, "loop") && argc > 2) {
		block(SIG_BLOCK, SIGSEGV, SIGBUS);
		for (int i = atoi(argv[2]); i > 0; i--)
			close(open("/etc/hostname", O_RDONLY));
	}
	else
		return 2;
	return 0;
}
