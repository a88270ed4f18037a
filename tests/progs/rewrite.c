/* SPDX-License-Identifier: MIT */
/*
 * Call sites that limen may rewrite (src/runtime/rewrite.c), and the
 * hazards of rewriting them. The sites are this program's own functions in
 * the form glibc uses (`mov $nr,%eax; syscall; ret`), so that the test can
 * read their first byte: 0xb8 as built, 0xe9 once rewritten. The output is
 * the same bare and under limen except where a mode prints that byte
 * (`site` lines), which the tests compare on their own.
 *
 *   rewrite MODE [N]
 *   hot N          call site_getppid N times; "site e9" if rewritten
 *   threads N      rewrite, then 4 threads and main each call it N times
 *   late N         threads first, then the site: rewritten while they run
 *                  it (int3 first, rewrite.c)
 *   cancel         a thread blocked in a rewritten read, async-cancelled
 *   fork N         rewrite, then a fork child and a vfork child call it
 *   exec           rewrite, then execve of ourselves: the new image's
 *                  site is as built until it is rewritten again
 *   signals N      SIGALRM every 50 us while calling it; the handler calls
 *                  it too; then a read interrupted by a handler (SA_RESTART)
 *   mprotect N     the program makes the patched page RW, then RX, calls
 *   block          blocks in a rewritten read (for gdb: see rewrite.t)
 *   jit            code in anonymous memory (JIT): called hot, rewritten by
 *                  the program to another call, unmapped: never patched
 *   reload         our site's page mapped from our file, made hot,
 *                  unmapped and mapped again at the same address (as a
 *                  library dlclose'd and loaded again): as built, then
 *                  rewritten again, every call right
 *   ns N           ns per call of the site, median of 5 rounds of N calls
 *                  (bench/run: the cost of each path)
 *   ns-open N      the same for libc's open+close of an ordinary file
 *   ns-stat N      the same for libc's stat of an ordinary file
 *   ns-mask N      the same for libc's sigprocmask (block, then restore)
 *   ns-pwait N     the same for libc's epoll_pwait with no mask
 *   forms N        the other 5-byte forms before a `syscall`, N calls of
 *                  each: glibc's syscall() (its copy site_sys6, and libc's
 *                  own), `mov $imm,%esi` after the number (site_esi), and
 *                  `mov 8(%r12),%rax`, which must stay as built (49):
 *                  r12-based, not a form rewrite.c knows; mov $110,%eax
 *                  after a segment override (site_seg) and after a jcc
 *                  whose displacement reads as one (site_jcc, as glibc's
 *                  fcntl). "site WHAT XX":
 *                  the instruction's first byte, e9 once rewritten
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/epoll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <time.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "blocked_in.h"
#include "file_offset.h"

long site_getppid(void);
long site_read(long fd, void *buf, long n);

/* on a page of their own: the mprotect mode makes it RW for a while */
__asm__(".section .text.sites, \"ax\", @progbits\n"
	".balign 4096\n"
	".globl site_getppid\n"
	".type site_getppid, @function\n"
	"site_getppid:\n"
	".cfi_startproc\n"
	"	mov $110, %eax\n"
	"	syscall\n"
	"	ret\n"
	".cfi_endproc\n"
	".size site_getppid, .-site_getppid\n"
	".globl site_read\n"
	".type site_read, @function\n"
	"site_read:\n"
	".cfi_startproc\n"
	"	mov $0, %eax\n"
	"	syscall\n"
	"	ret\n"
	".cfi_endproc\n"
	".size site_read, .-site_read\n"
	/* glibc's syscall() (syscall.S), byte for byte */
	".globl site_sys6\n"
	".type site_sys6, @function\n"
	"site_sys6:\n"
	".cfi_startproc\n"
	"	mov %rdi, %rax\n"
	"	mov %rsi, %rdi\n"
	"	mov %rdx, %rsi\n"
	"	mov %rcx, %rdx\n"
	"	mov %r8, %r10\n"
	"	mov %r9, %r8\n"
	".globl site_sys6_mov\n"
	"site_sys6_mov:\n"
	"	mov 0x8(%rsp), %r9\n"
	"	syscall\n"
	"	ret\n"
	".cfi_endproc\n"
	".size site_sys6, .-site_sys6\n"
	/* as glibc's sched_getaffinity: the number first */
	".globl site_esi\n"
	".type site_esi, @function\n"
	"site_esi:\n"
	".cfi_startproc\n"
	"	mov $110, %eax\n"
	".globl site_esi_mov\n"
	"site_esi_mov:\n"
	"	mov $0x80, %esi\n"
	"	syscall\n"
	"	ret\n"
	".cfi_endproc\n"
	".size site_esi, .-site_esi\n"
	/* the number loaded through r12 (its first argument): no form */
	".globl site_r12\n"
	".type site_r12, @function\n"
	"site_r12:\n"
	".cfi_startproc\n"
	"	push %r12\n"
	"	.cfi_adjust_cfa_offset 8\n"
	"	lea -8(%rdi), %r12\n"
	".globl site_r12_mov\n"
	"site_r12_mov:\n"
	"	mov 0x8(%r12), %rax\n"
	"	syscall\n"
	"	pop %r12\n"
	"	.cfi_adjust_cfa_offset -8\n"
	"	ret\n"
	".cfi_endproc\n"
	".size site_r12, .-site_r12\n"
	/* mov $110,%eax with a segment override, which changes nothing */
	".globl site_seg\n"
	".type site_seg, @function\n"
	"site_seg:\n"
	".cfi_startproc\n"
	"	.byte 0x2e\n"
	".globl site_seg_mov\n"
	"site_seg_mov:\n"
	"	mov $110, %eax\n"
	"	syscall\n"
	"	ret\n"
	".cfi_endproc\n"
	".size site_seg, .-site_seg\n"
	/* as glibc's fcntl: a jcc whose displacement (0x26) reads as a
	   segment override before the mov; never taken here */
	".globl site_jcc\n"
	".type site_jcc, @function\n"
	"site_jcc:\n"
	".cfi_startproc\n"
	"	test %rsp, %rsp\n"
	"	.byte 0x74, 0x26\n"
	".globl site_jcc_mov\n"
	"site_jcc_mov:\n"
	"	mov $110, %eax\n"
	"	syscall\n"
	"	ret\n"
	"	.fill 0x26 - 8, 1, 0xcc\n"
	"	ud2\n"
	".cfi_endproc\n"
	".size site_jcc, .-site_jcc\n"
	".balign 4096\n"
	".text\n");
long site_seg(void);
long site_jcc(void);
extern const unsigned char site_seg_mov[], site_jcc_mov[];
long site_sys6(long nr, long a, long b, long c, long d, long e, long f);
long site_esi(void);
long site_r12(const long *nr);
extern const unsigned char site_sys6_mov[], site_esi_mov[], site_r12_mov[];

static long n_calls;
static pid_t parent;

static unsigned first_byte(void *f)
{
	return *(volatile unsigned char *)f;
}

static void site_line(const char *what, void *f)
{
	/* stderr: the tests compare stdout with bare */
	fprintf(stderr, "site %s %02x\n", what, first_byte(f));
}

static void hot(long n)
{
	for (long i = 0; i < n; i++)
		if (site_getppid() != parent) {
			printf("wrong result at call %ld\n", i);
			exit(1);
		}
}

static void *thread_main(void *arg)
{
	(void)arg;
	hot(n_calls);
	return 0;
}

static void threads(int late)
{
	pthread_t t[4];

	if (!late)
		hot(3);
	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], 0, thread_main, 0);
	hot(n_calls);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], 0);
	printf("threads: %ld calls each, all right\n", n_calls);
	site_line("threads", (void *)site_getppid);
}

static int pipe_fds[2];

static pid_t reader_tid;

static void *blocked_reader(void *arg)
{
	char c;

	(void)arg;
	__atomic_store_n(&reader_tid, gettid(), __ATOMIC_RELEASE);
	pthread_setcanceltype(PTHREAD_CANCEL_ASYNCHRONOUS, 0);
	site_read(pipe_fds[0], &c, 1); /* nothing comes */
	return (void *)1;
}

static void cancel(void)
{
	pthread_t t;
	void *res;
	char c;

	pipe(pipe_fds);
	/* rewrite the read site while single-threaded: data there */
	for (int i = 0; i < 3; i++) {
		write(pipe_fds[1], "x", 1);
		site_read(pipe_fds[0], &c, 1);
	}
	site_line("cancel", (void *)site_read);
	pthread_create(&t, 0, blocked_reader, 0);
	/* cancelled once blocked in its read (not before: a busy machine
	   may not have run it yet) */
	while (!__atomic_load_n(&reader_tid, __ATOMIC_ACQUIRE))
		sched_yield();
	wait_blocked_in(reader_tid, SYS_read);
	pthread_cancel(t);
	pthread_join(t, &res);
	printf("cancel: %s\n", res == PTHREAD_CANCELED ? "cancelled" : "not");
}

static void forks(void)
{
	pid_t c, me = getpid();
	int st;

	hot(3);
	c = fork();
	if (c == 0) {
		parent = me; /* the child's parent */
		hot(n_calls);
		_exit(7);
	}
	waitpid(c, &st, 0);
	printf("fork child: %d\n", WEXITSTATUS(st));
	c = vfork();
	if (c == 0) {
		long bad = 0;

		for (long i = 0; i < n_calls; i++)
			bad += site_getppid() != me;
		_exit(bad == 0 ? 9 : 1);
	}
	waitpid(c, &st, 0);
	printf("vfork child: %d\n", WEXITSTATUS(st));
	site_line("fork", (void *)site_getppid);
}

/* The first byte of the instruction before libc's syscall()'s `syscall`
 * (4c as built: mov 0x8(%rsp),%r9). */
static unsigned libc_syscall_byte(void)
{
	const unsigned char *p = (const unsigned char *)syscall;

	for (int i = 5; i < 64; i++)
		if (p[i] == 0x0f && p[i + 1] == 0x05)
			return p[i - 5];
	return 0;
}

static void forms(void)
{
	long nr = SYS_getppid, bad = 0;
	char src[8] = "sixargs", dst[8] = "";
	struct iovec l = { dst, sizeof(dst) }, r = { src, sizeof(src) };

	for (long i = 0; i < n_calls; i++) {
		bad += site_sys6(SYS_getppid, 0, 0, 0, 0, 0, 0) != parent;
		bad += site_esi() != parent;
		bad += site_r12(&nr) != parent;
		bad += syscall(SYS_getppid) != parent;
		bad += site_seg() != parent;
		bad += site_jcc() != parent;
	}
	printf("forms: %ld wrong results\n", bad);
	/* every argument reaches the call, the sixth through the relocated
	   mov: process_vm_readv fails with EINVAL for flags other than 0 */
	printf("forms: six arguments: %ld %s, flags 1: %ld\n",
	       site_sys6(SYS_process_vm_readv, getpid(), (long)&l, 1, (long)&r,
			 1, 0),
	       dst,
	       site_sys6(SYS_process_vm_readv, getpid(), (long)&l, 1, (long)&r,
			 1, 1));
	fprintf(stderr, "site sys6 %02x\n", site_sys6_mov[0]);
	fprintf(stderr, "site esi %02x\n", site_esi_mov[0]);
	fprintf(stderr, "site r12 %02x\n", site_r12_mov[0]);
	fprintf(stderr, "site seg %02x\n", site_seg_mov[0]);
	fprintf(stderr, "site jcc %02x\n", site_jcc_mov[0]);
	fprintf(stderr, "site libc-syscall %02x\n", libc_syscall_byte());
}

static void do_exec(char **argv)
{
	hot(3);
	site_line("before-exec", (void *)site_getppid);
	fflush(stdout);
	execl("/proc/self/exe", argv[0], "exec-child", (char *)0);
	perror("execl");
	exit(1);
}

static volatile long in_handler;

static void on_alarm(int sig)
{
	(void)sig;
	if (site_getppid() != parent)
		_exit(3);
	in_handler++;
}

static void on_alarm_write(int sig)
{
	(void)sig;
	write(pipe_fds[1], "y", 1);
}

static void signals(void)
{
	struct sigaction sa;
	struct itimerval it = { { 0, 50 }, { 0, 50 } };
	char c = 0;
	long r;

	hot(3);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, 0);
	setitimer(ITIMER_REAL, &it, 0);
	hot(n_calls);
	memset(&it, 0, sizeof(it));
	setitimer(ITIMER_REAL, &it, 0);
	/* every handler ran to its end and returned into the loop */
	printf("signals: loop done, handlers %s\n", in_handler > 0 ? "ran" : "did not run");
	/* a rewritten read blocked until a handler writes: restarted */
	pipe(pipe_fds);
	for (int i = 0; i < 3; i++) {
		write(pipe_fds[1], "x", 1);
		site_read(pipe_fds[0], &c, 1);
	}
	sa.sa_handler = on_alarm_write;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGALRM, &sa, 0);
	alarm(1);
	r = site_read(pipe_fds[0], &c, 1);
	printf("signals: restarted read %ld %c\n", r, c);
	site_line("signals", (void *)site_read);
	fprintf(stderr, "handlers %ld\n", in_handler);
}

static void do_mprotect(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	void *page = (void *)((unsigned long)site_getppid & ~(pg - 1));

	hot(3);
	site_line("mprotect", (void *)site_getppid);
	if (mprotect(page, pg, PROT_READ | PROT_WRITE) != 0)
		perror("mprotect rw");
	if (mprotect(page, pg, PROT_READ | PROT_EXEC) != 0)
		perror("mprotect rx");
	hot(n_calls);
	printf("mprotect: calls after RW and RX again: all right\n");
}

static void block(void)
{
	char c;

	pipe(pipe_fds);
	for (int i = 0; i < 3; i++) {
		write(pipe_fds[1], "x", 1);
		site_read(pipe_fds[0], &c, 1);
	}
	site_line("block", (void *)site_read);
	site_read(pipe_fds[0], &c, 1);
}

static void jit(void)
{
	/* mov $110,%eax; syscall; ret */
	static const unsigned char code[] = { 0xb8, 110, 0, 0, 0, 0x0f, 0x05,
					      0xc3 };
	unsigned char *m = mmap(0, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	long (*f)(void) = (long (*)(void))m;
	pid_t me;

	if (m == MAP_FAILED) {
		printf("jit: no RWX memory here\n");
		return;
	}
	memcpy(m, code, sizeof(code));
	for (int i = 0; i < 100; i++)
		if (f() != parent)
			printf("jit: wrong getppid\n");
	fprintf(stderr, "site jit %02x\n", m[0]);
	/* the JIT rewrites its code: getpid (39) now */
	m[1] = 39;
	me = getpid();
	for (int i = 0; i < 100; i++)
		if (f() != me)
			printf("jit: wrong getpid\n");
	munmap(m, 4096);
	printf("jit: calls right before and after the code changed\n");
}

static void reload(void)
{
	unsigned long want[2] = { (unsigned long)site_getppid, 0 };
	unsigned long off, in;
	unsigned char *m, *again;
	long (*f)(void);
	int fd = open("/proc/self/exe", O_RDONLY);

	if (fd < 0 || !dl_iterate_phdr(find_load, want)) {
		printf("reload: cannot find our own text\n");
		return;
	}
	off = want[1] & ~4095ul;
	in = want[1] & 4095ul;
	m = mmap(0, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, off);
	f = (long (*)(void))(m + in);
	for (int i = 0; i < 100; i++)
		if (f() != parent)
			printf("reload: wrong result\n");
	fprintf(stderr, "site reload-first %02x\n", m[in]);
	munmap(m, 4096);
	again = mmap(m, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_FIXED,
		     fd, off);
	if (again != m) {
		printf("reload: not at the same address\n");
		return;
	}
	fprintf(stderr, "site reload-fresh %02x\n", m[in]);
	for (int i = 0; i < 100; i++)
		if (f() != parent)
			printf("reload: wrong result after\n");
	fprintf(stderr, "site reload-again %02x\n", m[in]);
	printf("reload: calls right in both mappings\n");
}

static double now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e9 + t.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* libc's open+close pair and stat of an ordinary file, n times (their
   sites made hot by the first round) */
static void open_close(long n)
{
	for (long i = 0; i < n; i++) {
		int fd = open("/etc/passwd", O_RDONLY);

		if (fd >= 0)
			close(fd);
	}
}

static void stat_file(long n)
{
	struct stat st;

	for (long i = 0; i < n; i++)
		stat("/etc/passwd", &st);
}

/* libc's sigprocmask blocking SIGUSR2 and putting the mask back: two calls */
static void mask_pair(long n)
{
	sigset_t s, old;

	sigemptyset(&s);
	sigaddset(&s, SIGUSR2);
	for (long i = 0; i < n; i += 2) {
		sigprocmask(SIG_BLOCK, &s, &old);
		sigprocmask(SIG_SETMASK, &old, 0);
	}
}

/* libc's epoll_pwait with no mask on an empty epoll set, not waiting */
static void pwait(long n)
{
	static int ep = -1;
	struct epoll_event ev;

	if (ep < 0)
		ep = epoll_create1(0);
	for (long i = 0; i < n; i++)
		epoll_pwait(ep, &ev, 1, 0, 0);
}

static void ns(void (*calls)(long))
{
	double r[5];

	calls(3);
	for (int k = 0; k < 5; k++) {
		double t0 = now_ns();

		calls(n_calls);
		r[k] = (now_ns() - t0) / n_calls;
	}
	qsort(r, 5, sizeof(r[0]), cmp_double);
	printf("%.1f\n", r[2]);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "hot";

	setvbuf(stderr, 0, _IONBF, 0);
	n_calls = argc > 2 ? atol(argv[2]) : 1000;
	parent = getppid();
	if (!strcmp(mode, "hot")) {
		hot(n_calls);
		printf("hot: %ld calls, all right\n", n_calls);
		site_line("hot", (void *)site_getppid);
	} else if (!strcmp(mode, "threads")) {
		threads(0);
	} else if (!strcmp(mode, "late")) {
		threads(1);
	} else if (!strcmp(mode, "cancel")) {
		cancel();
	} else if (!strcmp(mode, "fork")) {
		forks();
	} else if (!strcmp(mode, "exec")) {
		do_exec(argv);
	} else if (!strcmp(mode, "exec-child")) {
		site_line("after-exec", (void *)site_getppid);
		hot(3);
		site_line("after-exec-calls", (void *)site_getppid);
		printf("exec: child ran\n");
	} else if (!strcmp(mode, "signals")) {
		signals();
	} else if (!strcmp(mode, "mprotect")) {
		do_mprotect();
	} else if (!strcmp(mode, "block")) {
		block();
	} else if (!strcmp(mode, "jit")) {
		jit();
	} else if (!strcmp(mode, "reload")) {
		reload();
	} else if (!strcmp(mode, "forms")) {
		forms();
	} else if (!strcmp(mode, "ns")) {
		ns(hot);
	} else if (!strcmp(mode, "ns-open")) {
		ns(open_close);
	} else if (!strcmp(mode, "ns-stat")) {
		ns(stat_file);
	} else if (!strcmp(mode, "ns-mask")) {
		ns(mask_pair);
	} else if (!strcmp(mode, "ns-pwait")) {
		ns(pwait);
	}
	return 0;
}
