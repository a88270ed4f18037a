/* SPDX-License-Identifier: MIT */
/*
 * A child inherits its parent's floating-point state at the clone: MXCSR
 * (rounding, flush-to-zero, denormals-are-zero), the x87 control word, and
 * the SSE and AVX registers (tests/syscalls/clone_fpu.t). One scenario per
 * argument; each prints what its child found:
 *
 *   pthread: pthread_create, three times (the first from a site limen
 *	has not rewritten yet, the others from the same site);
 *   raw: a raw clone(CLONE_VM|CLONE_THREAD...) on a new stack, xmm0-15
 *	loaded with a pattern right before the `syscall`, stored by the child
 *	right after it;
 *   raw-avx: the same with ymm0-15 (skips where there is no AVX);
 *   vfork: vfork(), the child reports with write(2) and _exit;
 *   fork: fork().
 */
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/futex.h>

#define FTZ_DAZ_DOWN 0xa040u /* flush to zero, denormals are zero, round down */
#define FCW_DOUBLE 0x27fu    /* 53-bit precision, all exceptions masked */

static unsigned mxcsr(void)
{
	unsigned v;

	__asm__ volatile("stmxcsr %0" : "=m"(v));
	return v;
}

static unsigned fcw(void)
{
	unsigned short v;

	__asm__ volatile("fnstcw %0" : "=m"(v));
	return v;
}

static void report(const char *who)
{
	char b[96];
	int n = snprintf(b, sizeof(b), "%s: mxcsr %#x fcw %#x\n", who, mxcsr(),
			 fcw());

	if (write(1, b, (size_t)n) != n)
		_exit(3);
}

static void *thread(void *a)
{
	(void)a;
	report("thread");
	return 0;
}

/* the pattern each register gets (ymm: 32 bytes each) and what the child
   found in them */
uint8_t pat[16][32], got[16][32];
static volatile int child_tid;

void child_main(void);
void child_main(void)
{
	int bad = 0;

	for (int i = 0; i < 16; i++)
		if (memcmp(pat[i], got[i], 16))
			bad++;
	report("raw thread");
	printf("raw thread: xmm0-15 %s\n", bad ? "lost" : "as the parent's");
	fflush(stdout);
	syscall(SYS_exit, 0);
}

void child_main_avx(void);
void child_main_avx(void)
{
	int bad = 0;

	for (int i = 0; i < 16; i++)
		if (memcmp(pat[i], got[i], 32))
			bad++;
	printf("raw thread: ymm0-15 %s\n", bad ? "lost" : "as the parent's");
	fflush(stdout);
	syscall(SYS_exit, 0);
}

/* all sixteen of a register file: EACH(OP, MOV, REG), OP(MOV, REG, n) */
#define EACH(OP, M, R)                                                      \
	OP(M, R, 0) OP(M, R, 1) OP(M, R, 2) OP(M, R, 3) OP(M, R, 4)          \
	OP(M, R, 5) OP(M, R, 6) OP(M, R, 7) OP(M, R, 8) OP(M, R, 9)          \
	OP(M, R, 10) OP(M, R, 11) OP(M, R, 12) OP(M, R, 13) OP(M, R, 14)     \
	OP(M, R, 15)
#define LOAD(M, R, n) "	" #M " pat+" #n "*32(%rip), %" #R #n "\n"
#define STORE(M, R, n) "	" #M " %" #R #n ", got+" #n "*32(%rip)\n"

/* long NAME(flags, stack, ptid, ctid): REG0-15 = pat (MOV: movdqu for
   xmm, vmovdqu for ymm), clone; the child stores them into got first
   thing, then CHILD */
#define RAW_CLONE(name, M, R, child, tidy)                                  \
	long name(long flags, void *stack, volatile int *ptid,              \
		  volatile int *ctid);                                       \
	__asm__(".globl " #name "\n" #name ":\n" EACH(LOAD, M, R)          \
		"	mov %rcx, %r10\n	mov $56, %eax\n	syscall\n"        \
		"	test %rax, %rax\n	jnz 1f\n" EACH(STORE, M, R) tidy  \
		"	and $-16, %rsp\n	call " #child "\n	ud2\n"          \
		"1:" tidy "	ret\n");

RAW_CLONE(raw_clone, movdqu, xmm, child_main, "")
RAW_CLONE(raw_clone_avx, vmovdqu, ymm, child_main_avx, "	vzeroupper\n")

static int have_avx(void)
{
	unsigned a = 1, b, c, d, lo, hi;

	__asm__("cpuid" : "+a"(a), "=b"(b), "=c"(c), "=d"(d));
	if (!(c & (1u << 28)) || !(c & (1u << 27))) /* AVX, OSXSAVE */
		return 0;
	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return (lo & 6) == 6;
}

static void raw(int avx)
{
	long flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND |
		     CLONE_THREAD | CLONE_SYSVSEM | CLONE_CHILD_CLEARTID |
		     CLONE_PARENT_SETTID;
	size_t sz = 1 << 16;
	char *stk = mmap(0, sz, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	long r;

	if (stk == MAP_FAILED)
		exit(2);
	for (int i = 0; i < 16; i++)
		for (int j = 0; j < 32; j++)
			pat[i][j] = (uint8_t)(i * 37 + j * 11 + 1);
	fflush(stdout);
	child_tid = 1;
	r = (avx ? raw_clone_avx : raw_clone)(flags, stk + sz, &child_tid,
					      &child_tid);
	if (r < 0) {
		printf("clone: %ld\n", r);
		exit(1);
	}
	while (child_tid)
		syscall(SYS_futex, &child_tid, FUTEX_WAIT, child_tid, 0, 0, 0);
}

int main(int argc, char **argv)
{
	const char *m = argc > 1 ? argv[1] : "";
	unsigned short cw = FCW_DOUBLE;
	unsigned csr = mxcsr() | FTZ_DAZ_DOWN;
	pid_t p;

	__asm__ volatile("ldmxcsr %0" : : "m"(csr));
	__asm__ volatile("fldcw %0" : : "m"(cw));
	report("main");
	fflush(stdout);
	if (!strcmp(m, "pthread")) {
		for (int i = 0; i < 3; i++) {
			pthread_t t;

			if (pthread_create(&t, 0, thread, 0) ||
			    pthread_join(t, 0))
				return 1;
		}
	} else if (!strcmp(m, "raw")) {
		raw(0);
	} else if (!strcmp(m, "raw-avx")) {
		if (!have_avx()) {
			printf("no avx\n");
			return 0;
		}
		raw(1);
	} else if (!strcmp(m, "vfork")) {
		p = vfork();
		if (!p) {
			report("vfork child");
			_exit(0);
		}
		waitpid(p, 0, 0);
	} else if (!strcmp(m, "fork")) {
		p = fork();
		if (!p) {
			report("fork child");
			_exit(0);
		}
		waitpid(p, 0, 0);
	} else {
		return 2;
	}
	report("main after");
	return 0;
}
