/* SPDX-License-Identifier: MIT */
/*
 * Call sites whose 5-byte instruction is not the last before the `syscall`
 * (src/runtime/rewrite_forms.c): limen replaces that instruction with a jmp
 * and its stub runs a copy of those after it. Each site is glibc's form, in
 * this program's own text so that the test can read the replaced byte: b8
 * as built, e9 once rewritten ("site NAME XX" on stderr; stdout is the same
 * bare and traced). Each call checks its result, the registers the copied
 * instructions set and the flags after the `syscall`.
 *
 *   rewrite_forms MODE [N]
 *   hot N       each site N times, then each through a branch that lands
 *               on its first copied instruction (runs in place, SUD)
 *   late N      4 threads and main call the futex-form site and the
 *               stack-load one N times each from the start: they are
 *               patched while the threads run them (int3 first; the trap
 *               does the replaced mov, then goes on at the first copied
 *               instruction, not the `syscall`). Traced, each thread goes
 *               on past N until both sites are patched: a site is patched
 *               at a call that finds no other patch under way, and on a
 *               busy machine a thread patching a libc site may be kept
 *               off its core while the others make all their N calls; and
 *               a site first patched once the other threads have ended
 *               would be patched without the int3 (one thread). How many
 *               more rounds that took: "late extra K" on stderr.
 *   int3 N      late, then (traced only: bare, it dies of SIGTRAP) an int3
 *               of the program's own over each live-patched jmp, as a
 *               thread meets limen's int3 while a site is patched: limen's
 *               SIGTRAP handler does the replaced mov and goes on at the
 *               first copied instruction, in place, then SUD
 *   restart     a read blocked at a site with a copied instruction, a
 *               SIGALRM handler writes what it waits for: restarted
 *               (SA_RESTART), then without SA_RESTART: EINTR
 *   pingpong N  two threads hand a turn to each other N times through a
 *               mutex and a condition variable: futex calls from glibc's
 *               sites (for bench: what their rewriting saves)
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/time.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define FLAGS 0x8d5 /* CF PF AF ZF SF OF */

/* out[0]: the flags after the `syscall`, out[1]: rsi after it */
long site_xor(long esi, unsigned long *out);
long site_xor_branch(long esi, unsigned long *out);
long site_close(long fd);
long site_close_branch(long fd);
long site_stack(long pid);
long site_cmov(long a, long b, unsigned long *out);
long site_rw(long r8, unsigned long *out);
long site_load(long pid);
long site_read(long fd, void *buf, long n);
long site_rw_branch(long r8, unsigned long *out);
extern const unsigned char site_xor_mov[], site_close_mov[],
	site_stack_mov[], site_cmov_mov[], site_rw_mov[], site_load_mov[],
	site_read_mov[];

__asm__(".section .text.forms, \"ax\", @progbits\n"
	".balign 4096\n"
	/* glibc's futex wake: mov $0xca,%eax; xor $0x80,%sil; syscall
	   (getppid here, which ignores rsi) */
	".globl site_xor\n"
	".type site_xor, @function\n"
	"site_xor:\n"
	".cfi_startproc\n"
	"	mov %rsi, %r9\n"
	"	mov %edi, %esi\n"
	".globl site_xor_mov\n"
	"site_xor_mov:\n"
	"	mov $110, %eax\n"
	"site_xor_in:\n"
	"	xor $0x80, %sil\n"
	"	syscall\n"
	"	pushfq\n"
	"	pop %rdx\n"
	"	mov %rdx, (%r9)\n"
	"	mov %rsi, 8(%r9)\n"
	"	ret\n"
	".cfi_endproc\n"
	".size site_xor, .-site_xor\n"
	".globl site_xor_branch\n"
	".type site_xor_branch, @function\n"
	"site_xor_branch:\n"
	".cfi_startproc\n"
	"	mov %rsi, %r9\n"
	"	mov %edi, %esi\n"
	"	mov $110, %eax\n"
	"	jmp site_xor_in\n"
	".cfi_endproc\n"
	".size site_xor_branch, .-site_xor_branch\n"
	/* a call that fails: close(fd) with mov %r8d,%edi copied */
	".globl site_close\n"
	".type site_close, @function\n"
	"site_close:\n"
	".cfi_startproc\n"
	"	mov %rdi, %r8\n"
	".globl site_close_mov\n"
	"site_close_mov:\n"
	"	mov $3, %eax\n"
	"site_close_in:\n"
	"	mov %r8d, %edi\n"
	"	syscall\n"
	"	ret\n"
	".cfi_endproc\n"
	".size site_close, .-site_close\n"
	".globl site_close_branch\n"
	".type site_close_branch, @function\n"
	"site_close_branch:\n"
	".cfi_startproc\n"
	"	mov %rdi, %r8\n"
	"	mov $3, %eax\n"
	"	jmp site_close_in\n"
	".cfi_endproc\n"
	".size site_close_branch, .-site_close_branch\n"
	/* glibc's epoll_pwait: an argument from the stack after the number:
	   kill(pid, 0) */
	".globl site_stack\n"
	".type site_stack, @function\n"
	"site_stack:\n"
	".cfi_startproc\n"
	"	sub $24, %rsp\n"
	"	.cfi_adjust_cfa_offset 24\n"
	"	mov %edi, 8(%rsp)\n"
	"	mov $-1, %edi\n"
	".globl site_stack_mov\n"
	"site_stack_mov:\n"
	"	mov $62, %eax\n"
	"	mov 8(%rsp), %edi\n"
	"	xor %esi, %esi\n"
	"	syscall\n"
	"	add $24, %rsp\n"
	"	.cfi_adjust_cfa_offset -24\n"
	"	ret\n"
	".cfi_endproc\n"
	".size site_stack, .-site_stack\n"
	/* glibc's sched_getaffinity: cmp; cmovbe after the number */
	".globl site_cmov\n"
	".type site_cmov, @function\n"
	"site_cmov:\n"
	".cfi_startproc\n"
	"	mov %rdx, %r9\n"
	"	mov %rdi, %r8\n"
	".globl site_cmov_mov\n"
	"site_cmov_mov:\n"
	"	mov $110, %eax\n"
	"	cmp %rsi, %r8\n"
	"	cmovbe %r8, %rsi\n"
	"	syscall\n"
	"	pushfq\n"
	"	pop %rdx\n"
	"	mov %rdx, (%r9)\n"
	"	mov %rsi, 8(%r9)\n"
	"	ret\n"
	".cfi_endproc\n"
	".size site_cmov, .-site_cmov\n"
	/* glibc's rwlock futex wait: test; setne; xor; shl; xor after the
	   number (17 bytes copied) */
	".globl site_rw\n"
	".type site_rw, @function\n"
	"site_rw:\n"
	".cfi_startproc\n"
	"	mov %rsi, %r9\n"
	"	xor %esi, %esi\n"
	"	mov %rdi, %r8\n"
	".globl site_rw_mov\n"
	"site_rw_mov:\n"
	"	mov $110, %eax\n"
	"	test %r8d, %r8d\n"
	"site_rw_in:\n"
	"	setne %sil\n"
	"	xor %r10d, %r10d\n"
	"	shl $7, %esi\n"
	"	xor $0x81, %sil\n"
	"	syscall\n"
	"	pushfq\n"
	"	pop %rdx\n"
	"	mov %rdx, (%r9)\n"
	"	mov %rsi, 8(%r9)\n"
	"	ret\n"
	".cfi_endproc\n"
	".size site_rw, .-site_rw\n"
	".globl site_rw_branch\n"
	".type site_rw_branch, @function\n"
	"site_rw_branch:\n"
	".cfi_startproc\n"
	"	mov %rsi, %r9\n"
	"	xor %esi, %esi\n"
	"	mov %rdi, %r8\n"
	"	mov $110, %eax\n"
	"	test %r8d, %r8d\n"
	"	jmp site_rw_in\n"
	".cfi_endproc\n"
	".size site_rw_branch, .-site_rw_branch\n"
	/* glibc's read in a process with threads: mov 0x10(%rsp),%rsi
	   replaced, the number from a register: kill(pid, 0) */
	".globl site_load\n"
	".type site_load, @function\n"
	"site_load:\n"
	".cfi_startproc\n"
	"	mov $62, %r8d\n"
	"	sub $24, %rsp\n"
	"	.cfi_adjust_cfa_offset 24\n"
	"	mov %edi, 8(%rsp)\n"
	"	movq $0, 16(%rsp)\n"
	".globl site_load_mov\n"
	"site_load_mov:\n"
	"	mov 0x10(%rsp), %rsi\n"
	"	mov %r8d, %eax\n"
	"	mov 8(%rsp), %edi\n"
	"	syscall\n"
	"	add $24, %rsp\n"
	"	.cfi_adjust_cfa_offset -24\n"
	"	ret\n"
	".cfi_endproc\n"
	".size site_load, .-site_load\n"
	/* read(fd, buf, n) with the descriptor moved after the number */
	".globl site_read\n"
	".type site_read, @function\n"
	"site_read:\n"
	".cfi_startproc\n"
	"	mov %rdi, %r8\n"
	".globl site_read_mov\n"
	"site_read_mov:\n"
	"	mov $0, %eax\n"
	"	mov %r8d, %edi\n"
	"	syscall\n"
	"	ret\n"
	".cfi_endproc\n"
	".size site_read, .-site_read\n"
	".balign 4096\n"
	".text\n");

static long n_calls;
static pid_t parent, me;

/* what xor $0x80,%sil leaves in the flags: ZF, SF, PF of the byte */
static unsigned long byte_flags(unsigned v)
{
	unsigned long f = 0;

	v &= 0xff;
	if (!v)
		f |= 0x40;
	if (v & 0x80)
		f |= 0x80;
	if (!(__builtin_popcount(v) & 1))
		f |= 0x4;
	return f;
}

/* one call of each site; 0 if every result is right */
static long round_xor(long (*f)(long, unsigned long *), long i)
{
	unsigned long out[2];
	unsigned esi = (unsigned)(i * 0x10001u) ^ (i & 1 ? 0x80 : 0);
	unsigned want = esi ^ 0x80;

	if (f(esi, out) != parent)
		return 1;
	return (out[1] != want) + ((out[0] & FLAGS) != byte_flags(want));
}

static long round_rw(long (*f)(long, unsigned long *), long i)
{
	unsigned long out[2];
	unsigned want = (i & 1 ? 0x80 : 0) ^ 0x81;

	if (f(i & 1, out) != parent)
		return 1;
	return (out[1] != want) + ((out[0] & FLAGS) != byte_flags(want));
}

static long round_all(long i)
{
	unsigned long out[2];
	long bad = round_xor(site_xor, i) + round_rw(site_rw, i);

	bad += site_close(-1 - (i & 1)) != -9; /* -EBADF */
	bad += site_stack(me) != 0;
	bad += site_stack(-(1 << 30)) != -3;   /* -ESRCH */
	bad += site_load(me) != 0;
	bad += site_load(-(1 << 30)) != -3;
	bad += site_cmov(i, 7, out) != parent;
	bad += out[1] != (unsigned long)(i < 7 ? i : 7);
	/* cmp's flags: CF when i < 7 (below), ZF when equal */
	bad += (out[0] & 0x41) != ((i < 7 ? 1ul : 0) | (i == 7 ? 0x40ul : 0));
	return bad;
}

static void sites(const char *how)
{
	fprintf(stderr, "site %s-xor %02x\n", how, site_xor_mov[0]);
	fprintf(stderr, "site %s-close %02x\n", how, site_close_mov[0]);
	fprintf(stderr, "site %s-stack %02x\n", how, site_stack_mov[0]);
	fprintf(stderr, "site %s-cmov %02x\n", how, site_cmov_mov[0]);
	fprintf(stderr, "site %s-rw %02x\n", how, site_rw_mov[0]);
	fprintf(stderr, "site %s-load %02x\n", how, site_load_mov[0]);
}

static void hot(void)
{
	long bad = 0;

	for (long i = 0; i < n_calls; i++)
		bad += round_all(i);
	printf("hot: %ld rounds, %ld wrong\n", n_calls, bad);
	sites("hot");
	/* branches into the copied instructions: the bytes in place */
	bad = 0;
	for (long i = 0; i < n_calls; i++) {
		bad += round_xor(site_xor_branch, i);
		bad += round_rw(site_rw_branch, i);
		bad += site_close_branch(-1) != -9;
	}
	printf("branch: %ld rounds, %ld wrong\n", n_calls, bad);
}

/* Under limen (its session mapped): the sites are to be patched */
static int traced;
static long extra;

#define EXTRA_MAX 1000000 /* rounds per thread past N: then it gives up */

static int under_limen(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	int found = 0;

	while (f && !found && fgets(line, sizeof(line), f))
		found = strstr(line, "limen-session") != NULL;
	if (f)
		fclose(f);
	return found;
}

static int late_patched(void)
{
	return *(volatile const unsigned char *)site_xor_mov == 0xe9 &&
	       *(volatile const unsigned char *)site_load_mov == 0xe9;
}

static void *thread_main(void *arg)
{
	long bad = 0, i;

	(void)arg;
	for (i = 0; i < n_calls; i++) {
		bad += round_xor(site_xor, i);
		bad += site_load(me) != 0;
	}
	/* every thread still runs these: a patch of them is live */
	for (; traced && !late_patched() && i < n_calls + EXTRA_MAX; i++) {
		bad += round_xor(site_xor, i);
		bad += site_load(me) != 0;
		__atomic_add_fetch(&extra, 1, __ATOMIC_RELAXED);
	}
	return (void *)bad;
}

static void late(void)
{
	pthread_t t[4];
	long bad = 0;
	void *r;

	traced = under_limen();
	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], 0, thread_main, 0);
	bad = (long)thread_main(0);
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], &r);
		bad += (long)r;
	}
	printf("late: 5 threads, %ld calls each, %ld wrong\n", n_calls, bad);
	fprintf(stderr, "late extra %ld\n", extra);
	sites("late");
}

/* the byte at p becomes b (the page is ours, private) */
static int poke(const unsigned char *p, unsigned char b)
{
	long pg = sysconf(_SC_PAGESIZE);
	void *page = (void *)((unsigned long)p & ~(pg - 1));

	if (mprotect(page, pg, PROT_READ | PROT_WRITE))
		return -1;
	*(volatile unsigned char *)p = b;
	return mprotect(page, pg, PROT_READ | PROT_EXEC);
}

static void int3(void)
{
	long bad = 0;

	late();
	if (site_xor_mov[0] != 0xe9 || site_load_mov[0] != 0xe9) {
		printf("int3: the sites were not patched live\n");
		return;
	}
	if (poke(site_xor_mov, 0xcc) || poke(site_load_mov, 0xcc)) {
		printf("int3: cannot write our text\n");
		return;
	}
	for (long i = 0; i < n_calls; i++) {
		bad += round_xor(site_xor, i);
		bad += site_load(me) != 0;
		bad += site_load(-(1 << 30)) != -3;
	}

	printf("int3: %ld rounds through the int3, %ld wrong\n", n_calls, bad);
}

static int pipe_fds[2];

static void on_alarm(int sig)
{
	(void)sig;
	write(pipe_fds[1], "y", 1);
}

static void on_alarm_quiet(int sig)
{
	(void)sig;
}

/* a read at site_read blocked until SIGALRM (50 ms). The quiet handler's
   timer goes on every 50 ms until the read is over: a first signal that
   came before the read (a busy machine) would leave it blocked for ever */
static long read_with_alarm(void (*h)(int), int flags, char *c)
{
	struct sigaction sa;
	struct itimerval it = { { 0, 0 }, { 0, 50000 } };
	long r;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = h;
	sa.sa_flags = flags;
	sigaction(SIGALRM, &sa, 0);
	if (h == on_alarm_quiet)
		it.it_interval.tv_usec = 50000;
	setitimer(ITIMER_REAL, &it, 0);
	r = site_read(pipe_fds[0], c, 1);
	memset(&it, 0, sizeof(it));
	setitimer(ITIMER_REAL, &it, 0);
	return r;
}

static void restart(void)
{
	char c = 0;
	long r;

	if (pipe(pipe_fds))
		return;
	for (int i = 0; i < 3; i++) { /* hot: rewritten */
		write(pipe_fds[1], "x", 1);
		site_read(pipe_fds[0], &c, 1);
	}
	fprintf(stderr, "site restart-read %02x\n", site_read_mov[0]);
	r = read_with_alarm(on_alarm, SA_RESTART, &c);
	printf("restart: SA_RESTART read %ld %c\n", r, c);
	r = read_with_alarm(on_alarm_quiet, 0, &c);
	printf("restart: plain handler read %ld\n", r);
}

static pthread_mutex_t turn_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t turn_cond = PTHREAD_COND_INITIALIZER;
static long turn;

/* wait for turns of parity me, pass each on */
static void *player(void *arg)
{
	long me = (long)arg;

	pthread_mutex_lock(&turn_lock);
	while (turn < 2 * n_calls) {
		while ((turn & 1) != me && turn < 2 * n_calls)
			pthread_cond_wait(&turn_cond, &turn_lock);
		turn++;
		pthread_cond_signal(&turn_cond);
	}
	pthread_mutex_unlock(&turn_lock);
	return 0;
}

static void pingpong(void)
{
	pthread_t t;

	pthread_create(&t, 0, player, (void *)1);
	player((void *)0);
	pthread_join(t, 0);
	printf("pingpong: %ld turns\n", turn);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "hot";

	setvbuf(stderr, 0, _IONBF, 0);
	n_calls = argc > 2 ? atol(argv[2]) : 1000;
	parent = getppid();
	me = getpid();
	if (!strcmp(mode, "hot"))
		hot();
	else if (!strcmp(mode, "late"))
		late();
	else if (!strcmp(mode, "restart"))
		restart();
	else if (!strcmp(mode, "int3"))
		int3();
	else if (!strcmp(mode, "pingpong"))
		pingpong();
	return 0;
}
