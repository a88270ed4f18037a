/* SPDX-License-Identifier: MIT */
/*
 * Call sites of the pad form (src/runtime/rewrite.c, pad_form): functions
 * shaped like Go's internal/runtime/syscall.Syscall6, with no instruction
 * before their `syscall` that a jmp may replace, each followed by padding
 * that no symbol covers. padsite.t runs it bare and under limen and
 * compares; "site NAME XX" on stderr is the first byte of each `syscall`
 * after the calls (0f as built, eb once rewritten).
 *   padsite hot N        N getppid through pad_sys
 *   padsite threads N    4 threads, N each, on the same site
 *   padsite sigs N       N blocking reads on a pipe interrupted by a
 *                        100 us timer, through pad_sys: EINTR, handlers
 *   padsite handback N   rt_sigprocmask with a mask, clone and vfork
 *                        children through pad_sys (calls that need a
 *                        signal frame go to SUD from the stub)
 *   padsite rawthread N  a thread of a raw clone, on the parent's TLS
 *                        (limen's fast path may not use its stack: the
 *                        call goes to SUD from the stub), N through
 *                        pad_sys
 *   padsite edge N       N calls through pad_sys on a stack whose mapping
 *                        starts 64 bytes below rsp: the stub's pushfq
 *                        and call fault (the bare `syscall` touches no
 *                        stack), and the call goes to SUD from the stub
 *   padsite others N     sites that stay on SUD: nop padding, nops
 *                        before int3 padding, an instruction the decoder
 *                        does not know
 *   padsite reload N     pad_sys's page mapped from our file, N calls
 *                        through that copy, unmapped and mapped again at
 *                        the same address (a library dlclose'd and
 *                        loaded again), N calls again ("site reload-*")
 *   padsite moved N      the same copy made hot, then moved by mremap,
 *                        N calls through the moved copy ("site moved-*")
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "file_offset.h"

/* long pad_sys(long nr, long a1, long a2, long a3, long a4): the number
   moved to rax by a 3-byte mov, the arguments by 3-byte movs, then the
   `syscall` (at pad_sys + 15); int3 padding after its end, as Go's linker
   leaves */
__asm__(".text\n"
	".balign 32, 0xcc\n"
	".globl pad_sys\n"
	".type pad_sys, @function\n"
	"pad_sys:\n"
	"	mov %rdi, %rax\n"
	"	mov %rsi, %rdi\n"
	"	mov %rdx, %rsi\n"
	"	mov %rcx, %rdx\n"
	"	mov %r8, %r10\n"
	"	syscall\n"
	"	ret\n"
	".size pad_sys, .-pad_sys\n"
	".balign 32, 0xcc\n"
	/* long pad_vf(long nr, long code): the call; a child that gets 0
	   back (vfork's, on its parent's stack) makes a getppid through
	   the same site, by a jmp to its `syscall`, then exits with code,
	   or code + 100 if getppid failed */
	".globl pad_vf\n"
	".type pad_vf, @function\n"
	"pad_vf:\n"
	"	mov %rdi, %rax\n"
	"	mov %rsi, %r8\n"
	"	xor %r9d, %r9d\n"
	"1:	syscall\n"
	"	test %r9, %r9\n"
	"	jnz 2f\n"
	"	test %rax, %rax\n"
	"	jnz 3f\n"
	"	mov $1, %r9d\n"
	"	mov $110, %eax\n"
	"	jmp 1b\n"
	"2:	mov %r8, %rdi\n"
	"	test %rax, %rax\n"
	"	jg 4f\n"
	"	add $100, %rdi\n"
	"4:	mov $60, %eax\n"
	"	syscall\n"
	"3:	ret\n"
	".size pad_vf, .-pad_vf\n"
	".balign 32, 0xcc\n"
	/* the same, with nop padding: no proof the bytes are not code */
	".globl pad_nop\n"
	".type pad_nop, @function\n"
	"pad_nop:\n"
	"	mov %rdi, %rax\n"
	"	mov %rsi, %rdi\n"
	"	mov %rdx, %rsi\n"
	"	mov %rcx, %rdx\n"
	"	syscall\n"
	"	ret\n"
	".size pad_nop, .-pad_nop\n"
	".balign 32, 0x90\n"
	/* int3 padding that starts after two nops: no proof the int3s are
	   not in a function the symbol table does not list */
	".globl pad_mix\n"
	".type pad_mix, @function\n"
	"pad_mix:\n"
	"	mov %rdi, %rax\n"
	"	mov %rsi, %rdi\n"
	"	mov %rdx, %rsi\n"
	"	mov %rcx, %rdx\n"
	"	syscall\n"
	"	ret\n"
	".size pad_mix, .-pad_mix\n"
	"	nop\n	nop\n"
	".balign 32, 0xcc\n"
	/* long on_stack(void *sp, long nr): pad_sys(nr) called with rsp at
	   sp */
	".globl on_stack\n"
	".type on_stack, @function\n"
	"on_stack:\n"
	"	push %rbp\n"
	"	mov %rsp, %rbp\n"
	"	mov %rdi, %rsp\n"
	"	mov %rsi, %rdi\n"
	"	xor %esi, %esi\n"
	"	xor %edx, %edx\n"
	"	xor %ecx, %ecx\n"
	"	xor %r8d, %r8d\n"
	"	call pad_sys\n"
	"	mov %rbp, %rsp\n"
	"	pop %rbp\n"
	"	ret\n"
	".size on_stack, .-on_stack\n"
	".balign 32, 0xcc\n"
	/* an SSE move before the `syscall`: no length proof from here */
	".globl pad_sse\n"
	".type pad_sse, @function\n"
	"pad_sse:\n"
	"	movaps %xmm0, %xmm1\n"
	"	mov %rdi, %rax\n"
	"	mov %rsi, %rdi\n"
	"	mov %rdx, %rsi\n"
	"	mov %rcx, %rdx\n"
	"	syscall\n"
	"	ret\n"
	".size pad_sse, .-pad_sse\n"
	".balign 32, 0xcc\n"
	/* long raw_clone(long flags, void *stack, long (*fn)(void)): a
	   clone with no TLS of its own; the child runs fn on stack and
	   exits with its result */
	".globl raw_clone\n"
	".type raw_clone, @function\n"
	"raw_clone:\n"
	"	mov %rdx, %r9\n"
	"	xor %edx, %edx\n"
	"	xor %r10d, %r10d\n"
	"	xor %r8d, %r8d\n"
	"	mov $56, %eax\n"
	"	syscall\n"
	"	test %rax, %rax\n"
	"	jnz 1f\n"
	"	call *%r9\n"
	"	mov %rax, %rdi\n"
	"	mov $60, %eax\n"
	"	syscall\n"
	"1:	ret\n"
	".size raw_clone, .-raw_clone\n"
	".previous\n");

long pad_sys(long nr, long a1, long a2, long a3, long a4);
long pad_vf(long nr, long code);
long pad_nop(long nr, long a1, long a2, long a3);
long pad_sse(long nr, long a1, long a2, long a3);
long pad_mix(long nr, long a1, long a2, long a3);
long on_stack(void *sp, long nr);
extern const unsigned char pad_sys_at[] __asm__("pad_sys");
extern const unsigned char pad_vf_at[] __asm__("pad_vf");
extern const unsigned char pad_nop_at[] __asm__("pad_nop");
extern const unsigned char pad_sse_at[] __asm__("pad_sse");
extern const unsigned char pad_mix_at[] __asm__("pad_mix");

static void site(const char *name, const unsigned char *at)
{
	fprintf(stderr, "site %s %02x\n", name, at[0]);
}

static long n_calls;

static void hot(void)
{
	long sum = 0;

	for (long i = 0; i < n_calls; i++)
		sum += pad_sys(SYS_getppid, 0, 0, 0, 0) == getppid();
	printf("hot: %ld of %ld right\n", sum, n_calls);
}

static void *worker(void *arg)
{
	long ok = 0;

	(void)arg;
	for (long i = 0; i < n_calls; i++)
		ok += pad_sys(SYS_getppid, 0, 0, 0, 0) == getppid();
	return (void *)ok;
}

static void threads(void)
{
	pthread_t t[4];
	long ok = 0;

	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], 0, worker, 0);
	for (int i = 0; i < 4; i++) {
		void *r;

		pthread_join(t[i], &r);
		ok += (long)r;
	}
	printf("threads: %ld of %ld right\n", ok, 4 * n_calls);
}

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

static void sigs(void)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct itimerval it = { { 0, 100 }, { 0, 100 } };
	int p[2];
	long eintr = 0, other = 0;
	char c;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, 0); /* no SA_RESTART: reads end in EINTR */
	if (pipe(p))
		exit(1);
	setitimer(ITIMER_REAL, &it, 0);
	for (long i = 0; i < n_calls; i++) {
		long r = pad_sys(SYS_read, p[0], (long)&c, 1, 0);

		if (r == -EINTR)
			eintr++;
		else
			other++;
	}
	memset(&it, 0, sizeof(it));
	setitimer(ITIMER_REAL, &it, 0);
	printf("sigs: %ld reads ended by EINTR, %ld otherwise, handlers ran: %s\n",
	       eintr, other, alarms >= eintr ? "yes" : "no");
}

static void handback(void)
{
	sigset_t set, old, now;
	long bad = 0;

	for (long i = 0; i < n_calls; i++) {
		sigemptyset(&set);
		sigaddset(&set, i % 2 ? SIGUSR1 : SIGUSR2);
		if (pad_sys(SYS_rt_sigprocmask, SIG_SETMASK, (long)&set,
			    (long)&old, 8) != 0)
			bad++;
		sigprocmask(SIG_SETMASK, 0, &now);
		if (!sigismember(&now, i % 2 ? SIGUSR1 : SIGUSR2) ||
		    sigismember(&now, i % 2 ? SIGUSR2 : SIGUSR1))
			bad++;
		if (i && !sigismember(&old, i % 2 ? SIGUSR2 : SIGUSR1))
			bad++;
	}
	sigemptyset(&set);
	sigprocmask(SIG_SETMASK, &set, 0);
	printf("handback: masks set through the site, %ld wrong\n", bad);
	fflush(stdout); /* not twice, by the fork children's exit */
	for (int k = 0; k < 4; k++) {
		int st;
		/* fork and vfork: the child returns 0 after the site's
		   `syscall` (and exits there: a vfork child runs on its
		   parent's stack) */
		long pid;

		for (long i = 0; i < n_calls; i++) /* the site made hot */
			pad_vf(SYS_getppid, 0);
		pid = pad_vf(k < 2 ? SYS_fork : SYS_vfork, 40 + k);
		waitpid((pid_t)pid, &st, 0);
		printf("handback: child %d exited %d\n", k,
		       WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	}
}

long raw_clone(long flags, void *stack, long (*fn)(void));
static volatile long raw_ok, raw_done;

/* the raw thread: no libc (it shares the parent's TLS), pad_sys alone */
static long raw_fn(void)
{
	long ok = 0;

	for (long i = 0; i < n_calls; i++)
		ok += pad_sys(SYS_getppid, 0, 0, 0, 0) > 0;
	raw_ok = ok;
	__atomic_store_n(&raw_done, 1, __ATOMIC_RELEASE);
	return 0;
}

static void rawthread(void)
{
	static char stack[1 << 16] __attribute__((aligned(16)));
	long ok = 0;

	for (long i = 0; i < n_calls; i++) /* the site made hot */
		ok += pad_sys(SYS_getppid, 0, 0, 0, 0) == getppid();
	if (raw_clone(CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND |
			      CLONE_THREAD | CLONE_SYSVSEM,
		      stack + sizeof(stack), raw_fn) < 0)
		exit(1);
	while (!__atomic_load_n(&raw_done, __ATOMIC_ACQUIRE))
		;
	printf("rawthread: %ld of %ld right, the raw thread's %ld of %ld\n",
	       ok, n_calls, raw_ok, n_calls);
}

static void edge(void)
{
	long ok = 0, edge_ok = 0;
	char *m = mmap(0, 2 * 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (m == MAP_FAILED || mprotect(m, 4096, PROT_NONE))
		exit(1);
	for (long i = 0; i < n_calls; i++) /* the site made hot */
		ok += pad_sys(SYS_getppid, 0, 0, 0, 0) == getppid();
	for (long i = 0; i < n_calls; i++)
		edge_ok += on_stack(m + 4096 + 64, SYS_getppid) == getppid();
	printf("edge: %ld of %ld right, on the edge %ld of %ld\n", ok,
	       n_calls, edge_ok, n_calls);
}

static void others(void)
{
	long ok = 0;

	for (long i = 0; i < n_calls; i++)
		ok += (pad_nop(SYS_getppid, 0, 0, 0) == getppid()) +
		      (pad_sse(SYS_getppid, 0, 0, 0) == getppid()) +
		      (pad_mix(SYS_getppid, 0, 0, 0) == getppid());
	printf("others: %ld of %ld right\n", ok, 3 * n_calls);
}

typedef long (*sys_fn)(long, long, long, long, long);

/* N getppid through the copy of pad_sys at f; "site NAME XX" for the
   byte of its `syscall` after them */
static long through(sys_fn f, const char *name)
{
	long ok = 0;

	for (long i = 0; i < n_calls; i++)
		ok += f(SYS_getppid, 0, 0, 0, 0) == getppid();
	site(name, (const unsigned char *)f + 15);
	return ok;
}

/* a page of our file holding pad_sys, mapped anew: its address, *in set
   to pad_sys's offset in it */
static unsigned char *copy_page(int fd, unsigned long *off, unsigned long *in,
				unsigned char *at)
{
	unsigned long want[2] = { (unsigned long)pad_sys_at, 0 };
	void *m;

	if (!dl_iterate_phdr(find_load, want))
		return 0;
	*off = want[1] & ~4095ul;
	*in = want[1] & 4095ul;
	m = mmap(at, 4096, PROT_READ | PROT_EXEC,
		 MAP_PRIVATE | (at ? MAP_FIXED : 0), fd, (off_t)*off);
	return m == MAP_FAILED ? 0 : m;
}

static void reload(void)
{
	int fd = open("/proc/self/exe", O_RDONLY);
	unsigned long off, in;
	unsigned char *m = fd < 0 ? 0 : copy_page(fd, &off, &in, 0), *again;
	long ok;

	if (!m) {
		printf("reload: cannot map our own text\n");
		return;
	}
	ok = through((sys_fn)(m + in), "reload-first");
	munmap(m, 4096);
	again = copy_page(fd, &off, &in, m);
	if (again != m) {
		printf("reload: not at the same address\n");
		return;
	}
	site("reload-fresh", m + in + 15);
	ok += through((sys_fn)(m + in), "reload-again");
	printf("reload: %ld of %ld right\n", ok, 2 * n_calls);
}

static void moved(void)
{
	int fd = open("/proc/self/exe", O_RDONLY);
	unsigned long off, in;
	unsigned char *m = fd < 0 ? 0 : copy_page(fd, &off, &in, 0), *to;
	long ok;

	if (!m) {
		printf("moved: cannot map our own text\n");
		return;
	}
	ok = through((sys_fn)(m + in), "moved-first");
	/* a free page to move it to */
	to = mmap(0, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	to = mremap(m, 4096, 4096, MREMAP_MAYMOVE | MREMAP_FIXED, to);
	if (to == MAP_FAILED) {
		printf("moved: mremap failed\n");
		return;
	}
	site("moved-fresh", to + in + 15);
	ok += through((sys_fn)(to + in), "moved-again");
	printf("moved: %ld of %ld right\n", ok, 2 * n_calls);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "hot";

	n_calls = argc > 2 ? atol(argv[2]) : 1000;
	if (!strcmp(mode, "hot"))
		hot();
	else if (!strcmp(mode, "threads"))
		threads();
	else if (!strcmp(mode, "sigs"))
		sigs();
	else if (!strcmp(mode, "handback"))
		handback();
	else if (!strcmp(mode, "rawthread"))
		rawthread();
	else if (!strcmp(mode, "edge"))
		edge();
	else if (!strcmp(mode, "others"))
		others();
	else if (!strcmp(mode, "reload"))
		reload();
	else if (!strcmp(mode, "moved"))
		moved();
	else
		return 2;
	site("sys", pad_sys_at + 15);
	site("vf", pad_vf_at + 9);
	site("nop", pad_nop_at + 12);
	site("sse", pad_sse_at + 15);
	site("mix", pad_mix_at + 12);
	return 0;
}
