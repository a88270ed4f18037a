/* SPDX-License-Identifier: MIT */
/*
 * Calls that take limen's quick way (src/runtime/quickrec.c) once their
 * site is rewritten: numbers no hook looks at, most with nothing to
 * capture. All go through one site in the form of glibc's syscall()
 * (`mov 0x8(%rsp),%r9; syscall`), rewritten at its second trap: two
 * getppid() first.
 *
 *   quickrec
 * prints "pid P ppid Q" and "site sys XX" on stderr (the site's first
 * byte: 4c as built, e9 rewritten), then makes, through the site:
 * getppid(); close(-1) (EBADF); openat of /dev/null (a path at entry,
 * nothing at exit); kcmp(pid, pid, KCMP_FILE, fd, fd) (five arguments,
 * none a pointer); read of a pipe holding "hello" (nothing at entry, the
 * bytes at exit); close(fd) (-y shows the path); pause() ended by a
 * SIGALRM handler (the interval timer's); a last getppid().
 * The timer is armed by a thread of its own once the main thread sleeps
 * in pause (its /proc syscall file says so): armed before the call, its
 * signal could come before it (a busy machine) and pause would wait for
 * ever. That thread blocks SIGALRM (the kernel gives it to the main
 * thread) and makes no call the test selects (open, pread64, nanosleep,
 * setitimer); it lives until the process ends.
 */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

long site_sys(long nr, long a0, long a1, long a2, long a3, long a4, long a5);

__asm__(".text\n"
	".globl site_sys\n"
	".type site_sys, @function\n"
	"site_sys:\n"
	".cfi_startproc\n"
	"	mov %rdi, %rax\n"
	"	mov %rsi, %rdi\n"
	"	mov %rdx, %rsi\n"
	"	mov %rcx, %rdx\n"
	"	mov %r8, %r10\n"
	"	mov %r9, %r8\n"
	".globl site_sys_mov\n"
	"site_sys_mov:\n"
	"	mov 0x8(%rsp), %r9\n"
	"	syscall\n"
	"	ret\n"
	".cfi_endproc\n"
	".size site_sys, .-site_sys\n");
extern const unsigned char site_sys_mov[];

#define KCMP_FILE_ 0

static void on_alarm(int sig)
{
	(void)sig;
}

static pid_t main_tid;

/* once the main thread sleeps in pause: SIGALRM from the timer */
static void *alarm_in_pause(void *arg)
{
	char path[64], want[16], buf[128];
	struct timespec poll = { 0, 1000 * 1000 };
	struct itimerval it;
	sigset_t alrm;
	long fd, n;

	(void)arg;
	sigemptyset(&alrm);
	sigaddset(&alrm, SIGALRM);
	pthread_sigmask(SIG_BLOCK, &alrm, 0);
	snprintf(path, sizeof(path), "/proc/self/task/%d/syscall", main_tid);
	snprintf(want, sizeof(want), "%d ", SYS_pause);
	fd = syscall(SYS_open, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0; /* no signal: the test fails (times out) */
	for (;;) {
		n = syscall(SYS_pread64, fd, buf, sizeof(buf) - 1, 0);
		if (n < 0)
			return 0;
		buf[n] = 0;
		if (!strncmp(buf, want, strlen(want)))
			break;
		syscall(SYS_nanosleep, &poll, 0);
	}
	memset(&it, 0, sizeof(it));
	it.it_value.tv_usec = 1;
	syscall(SYS_setitimer, ITIMER_REAL, &it, 0);
	/* on until the process ends: its "+++ exited" line then always
	   comes just before the main thread's */
	for (;;)
		syscall(SYS_nanosleep, &poll, 0);
	return 0;
}

int main(void)
{
	struct sigaction sa;
	pthread_t t;
	long pid = getpid(), ppid = site_sys(SYS_getppid, 0, 0, 0, 0, 0, 0);
	long fd, r;
	int p[2];
	char buf[16];

	site_sys(SYS_getppid, 0, 0, 0, 0, 0, 0); /* rewritten now */
	fprintf(stderr, "pid %ld ppid %ld\n", pid, ppid);
	fprintf(stderr, "site sys %02x\n", site_sys_mov[0]);
	r = site_sys(SYS_close, -1, 0, 0, 0, 0, 0);
	printf("close(-1) %ld\n", r);
	fd = site_sys(SYS_openat, AT_FDCWD, (long)"/dev/null", O_RDONLY, 0, 0,
		      0);
	printf("openat %s\n", fd >= 0 ? "ok" : "failed");
	r = site_sys(SYS_kcmp, pid, pid, KCMP_FILE_, fd, fd, 0);
	printf("kcmp %ld\n", r);
	if (pipe(p) == 0 && write(p[1], "hello", 5) == 5) {
		r = site_sys(SYS_read, p[0], (long)buf, sizeof(buf), 0, 0, 0);
		printf("read %ld %.*s\n", r, r > 0 ? (int)r : 0, buf);
		close(p[0]);
		close(p[1]);
	}
	r = site_sys(SYS_close, fd, 0, 0, 0, 0, 0);
	printf("close(fd) %ld\n", r);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm; /* no SA_RESTART: pause ends with EINTR */
	sigaction(SIGALRM, &sa, 0);
	main_tid = gettid();
	if (pthread_create(&t, 0, alarm_in_pause, 0))
		return 2;
	r = site_sys(SYS_pause, 0, 0, 0, 0, 0, 0);
	printf("pause %ld\n", r);
	r = site_sys(SYS_getppid, 0, 0, 0, 0, 0, 0);
	printf("getppid %s\n", r == ppid ? "same" : "other");
	return 0;
}
