/* SPDX-License-Identifier: MIT */
/*
 * Protection keys that deny what limen writes or reads for a call
 * (tests/syscalls/pkey_key0.t). One scenario per argument:
 *
 *   key0-wd, key0-ad: the program write- or access-disables key 0 (all of
 *	its ordinary memory, and limen's) in PKRU around system calls that
 *	touch no memory of its own (pk_call: registers only): the calls
 *	work, the kernel's accesses to key-0 memory for them fail with
 *	EFAULT (a read() into it; with access disabled a write() from it,
 *	rt_sigaction's new action), and so do limen's on the program's
 *	behalf (rt_sigaction's old action, rt_sigprocmask's old mask).
 *   key0-wd-warm, key0-ad-warm: the same, pk_getppid's site having made
 *	calls before with key 0 allowed (under limen: rewritten, its
 *	stub's writes to the stack fault).
 *   key0-ad-signal: a signal interrupts a call made with key 0
 *	access-disabled: its handler (which the kernel starts with key 0
 *	allowed) and the program after it make their calls as bare.
 *   uaccess-wd: the uaccess log's slot, descriptor and entries (limen
 *	run, include/limen/uaccess.h) in a page whose key the program then
 *	write-disables with wrpkru, no call: its next logged call works,
 *	unlogged (the slot cannot be cleared), where limen's stores into
 *	the pages it had proven writable faulted. Bare (no log): "no log".
 *   oldact-wd: rt_sigaction's old action, rt_sigprocmask's old mask and
 *	sigaltstack's old stack into a page of a key the program
 *	write-disabled: EFAULT; into a page of a key it allows: written.
 *
 * Prints "no pkeys" where the CPU or kernel has none.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>
#include "limen/uaccess.h"

#define PKRU_AD0 1u
#define PKRU_WD0 2u

/* long pk_call(pkru, nr, a0, a1, a2, a3): the call with PKRU = pkru, the
   program's PKRU back after it, nothing in memory touched meanwhile */
long pk_call(uint32_t pkru, long nr, long a0, long a1, long a2, long a3);
__asm__(".globl pk_call\n"
	"pk_call:\n"
	"	push %rbx\n"
	"	push %r12\n"
	"	push %r13\n"
	"	mov %rsi, %r12\n"
	"	mov %rdx, %r13\n"
	"	mov %rcx, %r11\n"
	"	mov %r9, %r10\n"
	"	mov %edi, %esi\n"
	"	xor %ecx, %ecx\n"
	"	rdpkru\n"
	"	mov %eax, %ebx\n"
	"	mov %esi, %eax\n"
	"	wrpkru\n"
	"	mov %r13, %rdi\n"
	"	mov %r11, %rsi\n"
	"	mov %r8, %rdx\n"
	"	mov %r12, %rax\n"
	"	syscall\n"
	"	mov %rax, %r12\n"
	"	mov %ebx, %eax\n"
	"	xor %ecx, %ecx\n"
	"	xor %edx, %edx\n"
	"	wrpkru\n"
	"	mov %r12, %rax\n"
	"	pop %r13\n"
	"	pop %r12\n"
	"	pop %rbx\n"
	"	ret\n");

/* long pk_getppid(pkru): the same for getppid, in the form a rewriting
   tracer rewrites (`mov $110,%eax; syscall`) */
long pk_getppid(uint32_t pkru);
__asm__(".globl pk_getppid\n"
	"pk_getppid:\n"
	"	push %rbx\n"
	"	mov %edi, %esi\n"
	"	xor %ecx, %ecx\n"
	"	rdpkru\n"
	"	mov %eax, %ebx\n"
	"	mov %esi, %eax\n"
	"	wrpkru\n"
	"	mov $110, %eax\n"
	"	syscall\n"
	"	mov %rax, %rsi\n"
	"	mov %ebx, %eax\n"
	"	xor %ecx, %ecx\n"
	"	xor %edx, %edx\n"
	"	wrpkru\n"
	"	mov %rsi, %rax\n"
	"	pop %rbx\n"
	"	ret\n");

static uint32_t pkru(void)
{
	uint32_t a, d;

	__asm__ volatile("rdpkru" : "=a"(a), "=d"(d) : "c"(0));
	return a;
}

static const char *err(long r)
{
	static char b[32];

	if (r == -EFAULT)
		return "EFAULT";
	snprintf(b, sizeof(b), "%ld", r);
	return b;
}

/* key-0 memory: ordinary data */
static char buf[64];
static uint64_t mask_out;
static char act_in[152], act_out[152];

static void key0(uint32_t deny, int warm)
{
	uint32_t p = pkru() | deny;
	int fd[2];
	long r;

	/* pk_getppid's site made calls before, with key 0 allowed (under
	   limen: rewritten by then) */
	for (int i = 0; i < warm; i++)
		pk_getppid(pkru());
	if (pipe(fd))
		return;
	if (write(fd[1], "abc", 3) != 3)
		return;
	memset(act_in, 0, sizeof(act_in)); /* SIG_DFL */
	memset(act_out, 'x', sizeof(act_out));
	mask_out = 0x5a5a;
	r = pk_getppid(p);
	printf("getppid: %s\n", r == getppid() ? "ok" : err(r));
	r = pk_call(p, SYS_getppid, 0, 0, 0, 0);
	printf("getppid again: %s\n", r == getppid() ? "ok" : err(r));
	r = pk_call(p, SYS_read, fd[0], (long)buf, 3, 0);
	printf("read into key 0: %s\n", err(r));
	r = pk_call(p, SYS_write, fd[1], (long)"abc", 3, 0);
	printf("write from key 0: %s\n", err(r));
	r = pk_call(p, SYS_rt_sigaction, SIGUSR1, 0, (long)act_out, 8);
	printf("rt_sigaction old into key 0: %s, %s\n", err(r),
	       act_out[0] == 'x' ? "untouched" : "written");
	r = pk_call(p, SYS_rt_sigaction, SIGUSR1, (long)act_in, 0, 8);
	printf("rt_sigaction new from key 0: %s\n", err(r));
	r = pk_call(p, SYS_rt_sigprocmask, SIG_BLOCK, 0, (long)&mask_out, 8);
	printf("rt_sigprocmask old into key 0: %s, %s\n", err(r),
	       mask_out == 0x5a5a ? "untouched" : "written");
	printf("pkru after: %s\n", pkru() == (p & ~deny) ? "as before" : "changed");
}

static volatile long handler_wrote;

static void on_alrm(int sig)
{
	(void)sig;
	handler_wrote = write(1, "in the handler\n", 15);
	if (handler_wrote < 0)
		handler_wrote = -errno;
}

static void key0_signal(void)
{
	struct sigaction sa = { 0 };
	struct itimerval it = { { 0, 0 }, { 0, 100000 } };
	int fd[2];
	long r;

	sa.sa_handler = on_alrm; /* no SA_RESTART: the read ends, EINTR */
	if (pipe(fd) || sigaction(SIGALRM, &sa, 0) ||
	    setitimer(ITIMER_REAL, &it, 0))
		return;
	r = pk_call(pkru() | PKRU_AD0, SYS_read, fd[0], (long)buf, 1, 0);
	printf("read interrupted: %s\n", r == -EINTR ? "EINTR" : err(r));
	printf("the handler's write: %s\n", err(handler_wrote));
	fflush(stdout);
	r = write(1, "after\n", 6);
	printf("write after: %s\n", r < 0 ? err(-errno) : err(r));
}

static char *page_of(int key)
{
	char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED || pkey_mprotect(p, 4096, PROT_READ | PROT_WRITE,
					     key)) {
		perror("pkey_mprotect");
		_exit(2);
	}
	return p;
}

static long sys(long r)
{
	return r < 0 ? -errno : r;
}

static void uaccess_wd(void)
{
	int k = pkey_alloc(0, 0);
	char *pg = page_of(k), cwd[64];
	uint64_t *slot = (uint64_t *)(void *)pg;
	struct uaccess_descriptor *d = (void *)(pg + 64);
	struct uaccess_buffer_entry *e = (void *)(pg + 128);
	long r, r1 = 0;
	uint64_t n1;

	if (prctl(PR_SET_UACCESS_DESCRIPTOR_ADDR_ADDR, slot, 0, 0, 0)) {
		printf("no log\n");
		return;
	}
	/* logged, twice: limen proves the pages (nothing printed before
	   the last call: a first printf's buffer is an mmap, after which
	   limen proves them again) */
	for (int i = 0; i < 2; i++) {
		d->addr = (uint64_t)(uintptr_t)e;
		d->size = 8;
		*slot = (uint64_t)(uintptr_t)d;
		r1 = syscall(SYS_getcwd, cwd, sizeof(cwd));
	}
	r1 = r1 > 0 ? 0 : -errno;
	n1 = 8 - d->size;
	d->addr = (uint64_t)(uintptr_t)e;
	d->size = 8;
	*slot = (uint64_t)(uintptr_t)d;
	pkey_set(k, PKEY_DISABLE_WRITE);
	r = syscall(SYS_getcwd, cwd, sizeof(cwd));
	r = r > 0 ? 0 : -errno;
	pkey_set(k, 0);
	*slot = 0;
	printf("getcwd logged: %s, %s\n", r1 == 0 ? "ok" : err(r1),
	       n1 ? "entries written" : "no entries");
	printf("getcwd with the log's key write-disabled: %s, %s\n",
	       r == 0 ? "ok" : err(r),
	       d->size < 8 ? "entries written" : "no entries");
}

static void oldact(void)
{
	int ro = pkey_alloc(0, PKEY_DISABLE_WRITE), rw = pkey_alloc(0, 0);
	char *pages[2] = { page_of(ro), page_of(rw) };
	const char *what[2] = { "a write-disabled", "an allowed" };

	for (int i = 0; i < 2; i++) {
		char *pg = pages[i];
		long r;

		r = sys(syscall(SYS_rt_sigaction, SIGUSR1, 0, pg, 8));
		printf("rt_sigaction old into %s key: %s\n", what[i], err(r));
		r = sys(syscall(SYS_rt_sigprocmask, SIG_BLOCK, 0, pg + 256, 8));
		printf("rt_sigprocmask old into %s key: %s\n", what[i],
		       err(r));
		r = sys(syscall(SYS_sigaltstack, 0, pg + 512));
		printf("sigaltstack old into %s key: %s\n", what[i], err(r));
	}
}

int main(int argc, char **argv)
{
	int k = pkey_alloc(0, 0);

	if (k < 0) {
		printf("no pkeys\n");
		return 0;
	}
	pkey_free(k);
	if (argc < 2)
		return 2;
	if (!strcmp(argv[1], "key0-wd"))
		key0(PKRU_WD0, 0);
	else if (!strcmp(argv[1], "key0-ad"))
		key0(PKRU_AD0, 0);
	else if (!strcmp(argv[1], "key0-wd-warm"))
		key0(PKRU_WD0, 100);
	else if (!strcmp(argv[1], "key0-ad-warm"))
		key0(PKRU_AD0, 100);
	else if (!strcmp(argv[1], "key0-ad-signal"))
		key0_signal();
	else if (!strcmp(argv[1], "uaccess-wd"))
		uaccess_wd();
	else if (!strcmp(argv[1], "oldact-wd"))
		oldact();
	else
		return 2;
	return 0;
}
