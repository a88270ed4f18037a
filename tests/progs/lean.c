/* SPDX-License-Identifier: MIT */
/*
 * Calls of this program's own `mov $nr,%eax; syscall` sites, which limen
 * rewrites once hot (src/runtime/rewrite.c); unselected, they take the lean
 * path (src/runtime/lean.c). tests/syscalls/lean.t runs each mode bare and
 * traced and compares.
 *   lean regs N      N lseek calls from a site whose every register is set
 *                    (and the flags, DF and the arithmetic ones): prints
 *                    each call's result and the registers after it
 *   lean pregs N PATH  the same with stat(PATH), a call of a path;
 *                    pageend:PATH, PATH at the end of a readable page,
 *                    pageover:PATH, running into an unreadable one
 *   lean where       a thread blocks in FUTEX_WAIT at a hot site: "near"
 *                    when the kernel saw it on the thread's own stack (the
 *                    program's, or the lean path's), "far" on limen's
 *   lean readwhere   the same, blocked in read on a pipe
 *   lean sig R       a thread blocks in FUTEX_WAIT at a hot site, SIGUSR1
 *                    interrupts it (R 1: the handler has SA_RESTART); the
 *                    call's result and the handler's count
 *   lean sigread R   the same, blocked in read on a pipe
 *   lean openwhere FIFO, lean sigopen R FIFO
 *                    the same, blocked in openat of the FIFO at FIFO (a
 *                    call of a path: lean when its path is plain) after
 *                    three opens of "/" from the site; woken by an open
 *                    of it for writing
 *   lean sigctx      lean sig 1 with an SA_SIGINFO handler: what the
 *                    interrupted context shows (the kernel rewound the
 *                    call for its restart: rip on the site's `syscall`,
 *                    rcx the address after it, as its `syscall` left it)
 *   lean sleep       nanosleep at a hot site interrupted by a handler:
 *                    EINTR and the time left, as bare
 *   lean stopcont    a child sleeping at a hot site is stopped and
 *                    continued (the kernel's restart_syscall): its result
 *   lean block       blocks for ever in FUTEX_WAIT at a hot site (for gdb's
 *                    backtrace: tests/syscalls/lean.t)
 *   lean uevent      a write to the event's tracefs enable file through a
 *                    site made hot (lean) before; then a child loops on
 *                    getppid (a hot libc site: lean once unselected) until
 *                    the user event its parent enables shows on
 * Each prints "site WHAT XX" on stderr, XX the site's first byte (b8 as
 * built, e9 once rewritten).
 */
#include <limen/uevent.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/futex.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* the registers in and out of site_regs: rax rbx rcx rdx rsi rdi rbp r8
   r9 r10 r11 r12 r13 r14 r15, then the flags in and the flags after */
struct regs {
	uint64_t r[15];
	uint64_t flags_in, flags_out;
};
static const char *const names[15] = {
	"rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "r8", "r9", "r10",
	"r11", "r12", "r13", "r14", "r15",
};

long site_regs(struct regs *io);
extern const unsigned char site_regs_mov[], site_regs_after[];
long site_pregs(struct regs *io);
extern const unsigned char site_pregs_mov[], site_pregs_after[];
long site_futex(uint32_t *w, long op, long val);
extern const unsigned char site_futex_mov[];
long site_sleep(const struct timespec *req, struct timespec *rem);
long site_read(long fd, void *buf, long n);
long site_write(long fd, const void *buf, long n);
extern const unsigned char site_read_mov[], site_write_mov[];
extern const unsigned char site_sleep_mov[];
long site_openat(long dirfd, const char *path, long flags);
extern const unsigned char site_openat_mov[];

/* every register from io (rdi), the flags too, the call NR from a site
   N_mov, then every register and the flags back into io */
#define REGS_SITE(N, NR) \
	".text\n" \
	".globl " N "\n" \
	"" N ":\n" \
	"	push %rbp\n	push %rbx\n	push %r12\n	push %r13\n" \
	"	push %r14\n	push %r15\n	push %rdi\n" \
	"	mov %rdi, %rax\n" \
	"	pushq 120(%rax)\n" \
	"	popfq\n" \
	"	mov 8(%rax), %rbx\n	mov 16(%rax), %rcx\n" \
	"	mov 24(%rax), %rdx\n	mov 32(%rax), %rsi\n" \
	"	mov 40(%rax), %rdi\n	mov 48(%rax), %rbp\n" \
	"	mov 56(%rax), %r8\n	mov 64(%rax), %r9\n" \
	"	mov 72(%rax), %r10\n	mov 80(%rax), %r11\n" \
	"	mov 88(%rax), %r12\n	mov 96(%rax), %r13\n" \
	"	mov 104(%rax), %r14\n	mov 112(%rax), %r15\n" \
	"	nop\n" \
	".globl " N "_mov\n" \
	"" N "_mov:\n" \
	"	mov $" NR ", %eax\n" \
	"	syscall\n" \
	".globl " N "_after\n" \
	"" N "_after:\n" \
	"	push %rax\n" \
	"	pushfq\n" \
	"	mov 16(%rsp), %rax\n" \
	"	popq 128(%rax)\n" \
	"	popq (%rax)\n" \
	"	mov %rbx, 8(%rax)\n	mov %rcx, 16(%rax)\n" \
	"	mov %rdx, 24(%rax)\n	mov %rsi, 32(%rax)\n" \
	"	mov %rdi, 40(%rax)\n	mov %rbp, 48(%rax)\n" \
	"	mov %r8, 56(%rax)\n	mov %r9, 64(%rax)\n" \
	"	mov %r10, 72(%rax)\n	mov %r11, 80(%rax)\n" \
	"	mov %r12, 88(%rax)\n	mov %r13, 96(%rax)\n" \
	"	mov %r14, 104(%rax)\n	mov %r15, 112(%rax)\n" \
	"	cld\n" \
	"	pop %rdi\n	pop %r15\n	pop %r14\n	pop %r13\n" \
	"	pop %r12\n	pop %rbx\n	pop %rbp\n" \
	"	mov (%rdi), %rax\n" \
	"	ret\n"

__asm__(
	REGS_SITE("site_regs", "8") /* lseek */
	REGS_SITE("site_pregs", "4") /* stat */
	/* futex(w, op, val, NULL) */
	".globl site_futex\n"
	"site_futex:\n"
	"	xor %r10d, %r10d\n"
	".globl site_futex_mov\n"
	"site_futex_mov:\n"
	"	mov $202, %eax\n"
	"	syscall\n"
	"	ret\n"
	/* read(fd, buf, n) and write(fd, buf, n) */
	".globl site_read\n"
	"site_read:\n"
	"	nop\n"
	".globl site_read_mov\n"
	"site_read_mov:\n"
	"	mov $0, %eax\n"
	"	syscall\n"
	"	ret\n"
	".globl site_write\n"
	"site_write:\n"
	"	nop\n"
	".globl site_write_mov\n"
	"site_write_mov:\n"
	"	mov $1, %eax\n"
	"	syscall\n"
	"	ret\n"
	/* openat(dirfd, path, flags) */
	".globl site_openat\n"
	"site_openat:\n"
	"	nop\n"
	".globl site_openat_mov\n"
	"site_openat_mov:\n"
	"	mov $257, %eax\n"
	"	syscall\n"
	"	ret\n"
	/* nanosleep(req, rem) */
	".globl site_sleep\n"
	"site_sleep:\n"
	"	nop\n"
	".globl site_sleep_mov\n"
	"site_sleep_mov:\n"
	"	mov $35, %eax\n"
	"	syscall\n"
	"	ret\n");

static void site_line(const char *what, const unsigned char *p)
{
	fprintf(stderr, "site %s %02x\n", what, *(volatile const unsigned char *)p);
}

static const uint64_t one_flag[8] = {
	0x1, 0x4, 0x10, 0x40, 0x80, 0x400, 0x800, 0x200000,
};

static void regs(int n)
{
	int fd = open("/proc/self/exe", O_RDONLY);

	for (int i = 0; i < n; i++) {
		struct regs io;

		for (int k = 0; k < 15; k++)
			io.r[k] = 0x1111111111111111ull * (uint64_t)(k + 1) + (uint64_t)i;
		/* lseek(-1): EBADF, or lseek(/proc/self/exe, 5 + i, SEEK_SET) */
		io.r[5] = i % 2 ? (uint64_t)fd : (uint64_t)-1;
		io.r[4] = 5 + (uint64_t)i;
		io.r[3] = SEEK_SET;
		/* IF and bit 1, then every arithmetic flag and DF, or none,
		   or one alone (CF PF AF ZF SF DF OF, and ID, which
		   nothing of limen's changes): fast.S restores them one
		   by one without popfq */
		io.flags_in = i % 3 == 1 ? 0x202 :
			      i % 3 == 0 ? 0x202 | 0x1 | 0x4 | 0x10 | 0x40 |
						   0x80 | 0x400 | 0x800 :
			      0x202 | one_flag[(i / 3) % 8];
		site_regs(&io);
		printf("call %d: result %ld", i, (long)io.r[0]);
		for (int k = 1; k < 15; k++) {
			if (k == 2)
				printf(" rcx=%s", io.r[2] == (uint64_t)site_regs_after ?
						   "after-syscall" : "OTHER");
			else
				printf(" %s=%llx", names[k], (unsigned long long)io.r[k]);
		}
		printf(" flags=%llx\n", (unsigned long long)io.flags_out);
	}
	site_line("regs", site_regs_mov);
}

/* path copied to the end of a readable page, an unreadable one after it;
   over: without its NUL, so that it runs into that page (EFAULT) */
static const char *at_page_end(const char *path, int over)
{
	long pg = sysconf(_SC_PAGESIZE);
	size_t n = strlen(path) + (over ? 0 : 1);
	char *m = mmap(NULL, 2 * (size_t)pg, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (m == MAP_FAILED || mprotect(m + pg, (size_t)pg, PROT_NONE))
		exit(3);
	memcpy(m + pg - n, path, n);
	return m + pg - n;
}

/* The same for stat(path) (a call of a path: lean when the path is plain
   and the program's DF and AC are clear, else the full way): rdi and rsi
   are pointers, shown as kept or not; every third call has DF set (AC
   would stay set after the site: tests/syscalls/fastflags.t) */
static void pregs(int n, const char *path)
{
	struct stat st;

	for (int i = 0; i < n; i++) {
		struct regs io;

		for (int k = 0; k < 15; k++)
			io.r[k] = 0x1111111111111111ull * (uint64_t)(k + 1) + (uint64_t)i;
		io.r[5] = (uint64_t)(uintptr_t)path;
		io.r[4] = (uint64_t)(uintptr_t)&st;
		io.flags_in = i % 3 == 1 ? 0x202 :
			      i % 3 == 0 ? 0x202 | 0x1 | 0x4 | 0x10 | 0x40 |
						   0x80 | 0x400 | 0x800 :
			      0x202 | one_flag[(i / 3) % 8];
		site_pregs(&io);
		printf("call %d: result %ld", i, (long)io.r[0]);
		for (int k = 1; k < 15; k++) {
			if (k == 2)
				printf(" rcx=%s", io.r[2] == (uint64_t)site_pregs_after ?
						   "after-syscall" : "OTHER");
			else if (k == 4 || k == 5)
				printf(" %s=%s", names[k],
				       io.r[k] == (k == 4 ? (uint64_t)(uintptr_t)&st :
						(uint64_t)(uintptr_t)path) ? "kept" : "CHANGED");
			else
				printf(" %s=%llx", names[k], (unsigned long long)io.r[k]);
		}
		printf(" flags=%llx size %lld\n", (unsigned long long)io.flags_out,
		       io.r[0] == 0 ? (long long)st.st_size : -1LL);
	}
	site_line("pregs", site_pregs_mov);
}

/* ---- a thread blocked at a hot site ------------------------------------ */

static uint32_t word;
static volatile uintptr_t stack_mark;
static volatile pid_t waiter_tid;
static volatile long result = 1;
static volatile int done;
static volatile sig_atomic_t handled, handled_at_return;

static int use_read, pipefd[2];
static const char *use_open; /* the FIFO's path */

static void *waiter(void *arg)
{
	char mark, c;

	(void)arg;
	waiter_tid = gettid();
	stack_mark = (uintptr_t)&mark;
	if (use_open) {
		result = site_openat(AT_FDCWD, use_open, O_RDONLY);
		/* its number depends on whether the main thread's look at
		   /proc (an fd of its own) came first: 0 for any */
		if (result >= 0) {
			close((int)result);
			result = 0;
		}
	} else if (use_read)
		result = site_read(pipefd[0], &c, 1);
	else
		result = site_futex(&word, FUTEX_WAIT_PRIVATE, 0);
	handled_at_return = handled; /* a handler runs before the call ends */
	__atomic_store_n(&done, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

/* /proc's view of a thread: the number it blocks in (-1: running), its
   stack pointer */
static long blocked_in(pid_t tid, uint64_t *sp)
{
	char path[64], buf[512];
	unsigned long long f[8];
	long nr;
	FILE *fp;

	snprintf(path, sizeof(path), "/proc/self/task/%d/syscall", (int)tid);
	fp = fopen(path, "r");
	if (!fp)
		return -2;
	if (!fgets(buf, sizeof(buf), fp)) {
		fclose(fp);
		return -2;
	}
	fclose(fp);
	if (sscanf(buf, "%ld", &nr) != 1)
		return -1; /* "running" */
	if (sscanf(buf, "%*d %llx %llx %llx %llx %llx %llx %llx %llx", &f[0],
		   &f[1], &f[2], &f[3], &f[4], &f[5], &f[6], &f[7]) != 8)
		return -1;
	if (sp)
		*sp = f[6];
	return nr;
}

static pthread_t start_waiter(void)
{
	pthread_t t;

	/* three times with the word not as expected: EAGAIN at once, and
	   the site is hot (rewritten at its second call, while this is the
	   only thread) */
	for (int i = 0; i < 3; i++)
		site_futex(&word, FUTEX_WAIT_PRIVATE, 1);
	if (use_read) {
		char c = 'x';

		/* the read site hot the same way, on a pipe of its own */
		if (pipe(pipefd))
			exit(3);
		for (int i = 0; i < 3; i++)
			if (write(pipefd[1], &c, 1) != 1 ||
			    site_read(pipefd[0], &c, 1) != 1)
				exit(3);
	}
	if (use_open)
		for (int i = 0; i < 3; i++) {
			long fd = site_openat(AT_FDCWD, "/", O_RDONLY);

			if (fd < 0)
				exit(3);
			close((int)fd);
		}
	word = 0;
	if (pthread_create(&t, NULL, waiter, NULL))
		exit(3);
	while (!stack_mark)
		sched_yield();
	return t;
}

/* until the waiter blocks in FUTEX_WAIT (or has returned) */
static void wait_blocked(uint64_t *sp)
{
	while (!__atomic_load_n(&done, __ATOMIC_SEQ_CST) &&
	       blocked_in(waiter_tid, sp) != (use_open ? SYS_openat :
					      use_read ? SYS_read : SYS_futex))
		sched_yield();
}

static void wake(void)
{
	if (use_open) {
		int fd = open(use_open, O_WRONLY);

		if (fd < 0)
			exit(3);
		close(fd);
		return;
	}
	if (use_read) {
		if (write(pipefd[1], "y", 1) != 1)
			exit(3);
		return;
	}
	__atomic_store_n(&word, 1, __ATOMIC_SEQ_CST);
	syscall(SYS_futex, &word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

static void on_usr1(int sig)
{
	(void)sig;
	(void)getuid(); /* a call of the handler's own: traced */
	handled++;
}

static void where(void)
{
	pthread_t t = start_waiter();
	uint64_t sp = 0;

	wait_blocked(&sp);
	/* the kernel's stack pointer of the blocked call: the thread's own
	   stack, right below mark (the lean path: 128 below the program's),
	   or limen's signal stack, at least its 64 KiB gap away */
	printf("blocked %s\n", sp < stack_mark && stack_mark - sp < 4096 ?
				       "near" : "far");
	wake();
	pthread_join(t, NULL);
	printf("result %ld\n", result);
	site_line(use_open ? "openat" : use_read ? "read" : "futex",
		  use_open ? site_openat_mov :
		  use_read ? site_read_mov : site_futex_mov);
}

static void sig(int restart)
{
	struct sigaction sa;
	pthread_t t;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sa.sa_flags = restart ? SA_RESTART : 0;
	sigaction(SIGUSR1, &sa, NULL);
	t = start_waiter();
	wait_blocked(0);
	pthread_kill(t, SIGUSR1);
	while (!handled)
		sched_yield();
	/* restarted: blocked again (through SUD, from the site's own
	   `syscall`); else over with EINTR */
	wait_blocked(0);
	if (!__atomic_load_n(&done, __ATOMIC_SEQ_CST))
		wake();
	pthread_join(t, NULL);
	printf("result %ld handled %d (%d when the call returned)\n", result,
	       (int)handled, (int)handled_at_return);
	site_line(use_open ? "openat" : use_read ? "read" : "futex",
		  use_open ? site_openat_mov :
		  use_read ? site_read_mov : site_futex_mov);
}

static volatile uint64_t ctx_rip, ctx_rcx, ctx_rax;

static void on_usr1_ctx(int sig, siginfo_t *si, void *ucv)
{
	const ucontext_t *uc = ucv;

	(void)sig;
	(void)si;
	ctx_rip = (uint64_t)uc->uc_mcontext.gregs[REG_RIP];
	ctx_rcx = (uint64_t)uc->uc_mcontext.gregs[REG_RCX];
	ctx_rax = (uint64_t)uc->uc_mcontext.gregs[REG_RAX];
	handled++;
}

/* the context a handler sees of a lean call the kernel rewound for its
   restart */
static void sigctx(void)
{
	struct sigaction sa;
	pthread_t t;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_usr1_ctx;
	sa.sa_flags = SA_RESTART | SA_SIGINFO;
	sigaction(SIGUSR1, &sa, NULL);
	t = start_waiter();
	wait_blocked(0);
	pthread_kill(t, SIGUSR1);
	while (!handled)
		sched_yield();
	wait_blocked(0);
	if (!__atomic_load_n(&done, __ATOMIC_SEQ_CST))
		wake();
	pthread_join(t, NULL);
	printf("rip %s, rax %s, rcx %s\n",
	       ctx_rip == (uintptr_t)site_futex_mov + 5 ? "on the syscall" :
							  "elsewhere",
	       ctx_rax == SYS_futex ? "the number" : "not the number",
	       ctx_rcx == (uintptr_t)site_futex_mov + 7 ? "after the syscall" :
							  "elsewhere");
	site_line("futex", site_futex_mov);
}

/* nanosleep interrupted by a handler: -EINTR and the time left */
static void sleep_sig(void)
{
	struct timespec req = { 0, 1000000 }, rem;
	struct sigaction sa;
	long r;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sa.sa_flags = SA_RESTART; /* nanosleep is never restarted after one */
	sigaction(SIGUSR1, &sa, NULL);
	for (int i = 0; i < 3; i++)
		site_sleep(&req, &rem);
	if (fork() == 0) {
		/* the parent blocks in nanosleep: interrupt it */
		pid_t pp = getppid();
		char path[64], buf[64];

		snprintf(path, sizeof(path), "/proc/%d/syscall", (int)pp);
		for (;;) {
			FILE *fp = fopen(path, "r");
			long nr = -1;

			if (fp) {
				if (fgets(buf, sizeof(buf), fp))
					sscanf(buf, "%ld", &nr);
				fclose(fp);
			}
			if (nr == SYS_nanosleep)
				break;
			sched_yield();
		}
		kill(pp, SIGUSR1);
		_exit(0);
	}
	req.tv_sec = 30;
	req.tv_nsec = 0;
	rem.tv_sec = -1;
	r = site_sleep(&req, &rem);
	handled_at_return = handled;
	wait(NULL);
	printf("result %ld handled %d (%d when the call returned) time left %s\n",
	       r, (int)handled, (int)handled_at_return,
	       rem.tv_sec > 0 && rem.tv_sec <= 30 ? "yes" : "no");
	site_line("sleep", site_sleep_mov);
}

/* a child sleeping at a hot site, stopped and continued: the kernel
   restarts its nanosleep through restart_syscall (no handler runs) */
static void stopcont(void)
{
	struct timespec req = { 0, 1000000 }, rem;
	int st;
	pid_t c;

	for (int i = 0; i < 3; i++)
		site_sleep(&req, &rem);
	c = fork();
	if (c == 0) {
		req.tv_sec = 0;
		req.tv_nsec = 300000000;
		_exit(site_sleep(&req, &rem) == 0 ? 0 : 9);
	}
	for (;;) {
		char path[64], buf[64];
		FILE *fp;
		long nr = -1;

		snprintf(path, sizeof(path), "/proc/%d/syscall", (int)c);
		fp = fopen(path, "r");
		if (fp) {
			if (fgets(buf, sizeof(buf), fp))
				sscanf(buf, "%ld", &nr);
			fclose(fp);
		}
		if (nr == SYS_nanosleep || !fp)
			break;
		/* over before we saw it sleep (a loaded machine): nothing
		   was stopped, the result is the same */
		if (waitpid(c, &st, WNOHANG) == c)
			goto out;
		sched_yield();
	}
	kill(c, SIGSTOP);
	waitpid(c, &st, WUNTRACED);
	kill(c, SIGCONT);
	waitpid(c, &st, 0);
out:
	printf("child %s %d\n", WIFEXITED(st) ? "exited" : "killed",
	       WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
	site_line("sleep", site_sleep_mov);
}

/* the child's loop: a lean call only, whose way back must bring the
   process's enable bits in line (ctl->uevent_gen); bounded, so that a
   child that never sees the bit ends (in a few seconds) */
#define UEVENT_ROUNDS 20000000L

static int uevent(void)
{
	struct limen_uevent ev = LIMEN_UEVENT_INIT("leanev u32 n");
	int go[2], fd, st;
	char c = 'x';
	long w;
	pid_t pid;

	limen_uevent_init(&ev);
	/* a write site hot (lean) before any emulated file is open */
	fd = open("/dev/null", O_WRONLY);
	for (int i = 0; i < 5; i++)
		site_write(fd, &c, 1);
	close(fd);
	fd = open("/sys/kernel/tracing/events/user_events/leanev/enable",
		  O_WRONLY);
	if (fd < 0) {
		printf("no enable file: %s\n", strerror(errno));
		return 0;
	}
	/* through that site: the emulated file's write, not the descriptor
	   limen holds for it */
	w = site_write(fd, "1", 1);
	printf("written through the hot site: %ld, on=%d\n", w,
	       limen_uevent_on(&ev));
	if (write(fd, "0", 1) != 1)
		return 7;
	for (int i = 0; i < 5; i++)
		getppid(); /* the site is hot */
	if (pipe(go))
		return 4;
	pid = fork();
	if (pid == 0) {
		long n = 0;

		getppid();
		if (write(go[1], &c, 1) != 1)
			_exit(5);
		while (!limen_uevent_on(&ev) && n < UEVENT_ROUNDS) {
			getppid();
			n++;
		}
		_exit(limen_uevent_on(&ev) ? 0 : 1);
	}
	if (read(go[0], &c, 1) != 1 || write(fd, "1", 1) != 1)
		return 6;
	waitpid(pid, &st, 0);
	printf("the looping child %s the event on\n",
	       WIFEXITED(st) && WEXITSTATUS(st) == 0 ? "saw" : "never saw");
	limen_uevent_fini(&ev);
	return 0;
}

static void __attribute__((noinline)) block(void)
{
	for (int i = 0; i < 3; i++)
		site_futex(&word, FUTEX_WAIT_PRIVATE, 1);
	site_line("block", site_futex_mov);
	site_futex(&word, FUTEX_WAIT_PRIVATE, 0);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 3 && !strcmp(argv[1], "regs"))
		regs(atoi(argv[2]));
	else if (argc == 4 && !strcmp(argv[1], "pregs"))
		pregs(atoi(argv[2]),
		      !strncmp(argv[3], "pageend:", 8) ? at_page_end(argv[3] + 8, 0) :
		      !strncmp(argv[3], "pageover:", 9) ? at_page_end(argv[3] + 9, 1) :
							   argv[3]);
	else if (argc == 2 && !strcmp(argv[1], "where"))
		where();
	else if (argc == 3 && !strcmp(argv[1], "sig"))
		sig(atoi(argv[2]));
	else if (argc == 2 && !strcmp(argv[1], "readwhere"))
		use_read = 1, where();
	else if (argc == 3 && !strcmp(argv[1], "sigread"))
		use_read = 1, sig(atoi(argv[2]));
	else if (argc == 3 && !strcmp(argv[1], "openwhere"))
		use_open = argv[2], where();
	else if (argc == 4 && !strcmp(argv[1], "sigopen"))
		use_open = argv[3], sig(atoi(argv[2]));
	else if (argc == 2 && !strcmp(argv[1], "sigctx"))
		sigctx();
	else if (argc == 2 && !strcmp(argv[1], "sleep"))
		sleep_sig();
	else if (argc == 2 && !strcmp(argv[1], "stopcont"))
		stopcont();
	else if (argc == 2 && !strcmp(argv[1], "block"))
		block();
	else if (argc == 2 && !strcmp(argv[1], "uevent"))
		return uevent();
	else {
		fprintf(stderr, "usage: lean regs N | where | readwhere | sig R | sigread R | openwhere FIFO | sigopen R FIFO | sigctx | sleep | stopcont | block | uevent\n");
		return 2;
	}
	return 0;
}
