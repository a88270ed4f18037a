/* SPDX-License-Identifier: MIT */
/*
 * A program that uses Syscall User Dispatch itself, written against the
 * kernel's interface only
 * (Documentation/admin-guide/syscall-user-dispatch.rst):
 * prctl(PR_SET_SYSCALL_USER_DISPATCH, mode, offset, len, selector). One
 * behaviour per argument (see main); every line it prints is the same from
 * run to run (no addresses, no ids), so that a run under limen can be
 * compared with a bare one.
 *
 * Its calls come from three places, each an assembly stub with the address
 * after its `syscall` known:
 *   site_call   ordinary code: dispatched when the selector says BLOCK;
 *   exempt_call in section nsud_exempt, the exempt range of mode ON;
 *   disp_call   in section nsud_disp, the dispatched range of
 *               PR_SYS_DISPATCH_INCLUSIVE_ON (Linux 6.17).
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

#ifndef PR_SET_SYSCALL_USER_DISPATCH
#define PR_SET_SYSCALL_USER_DISPATCH 59
#endif
#define DISPATCH_OFF 0          /* PR_SYS_DISPATCH_OFF */
#define DISPATCH_ON 1           /* PR_SYS_DISPATCH_ON, _EXCLUSIVE_ON */
#define DISPATCH_INCLUSIVE_ON 2 /* PR_SYS_DISPATCH_INCLUSIVE_ON */
#define SEL_ALLOW 0             /* SYSCALL_DISPATCH_FILTER_ALLOW */
#define SEL_BLOCK 1             /* SYSCALL_DISPATCH_FILTER_BLOCK */
#define SYS_USER_DISPATCH_CODE 2
#define ARCH_X86_64 0xc000003eu /* AUDIT_ARCH_X86_64 */
#define EMULATED 4242           /* what the handler returns for a call */

long site_call(long nr, long a, long b, long c);
long exempt_call(long nr, long a, long b, long c);
long disp_call(long nr, long a, long b, long c);
extern const char site_ret[], exempt_ret[], disp_ret[];
extern const char __start_nsud_exempt[], __stop_nsud_exempt[];
extern const char __start_nsud_disp[], __stop_nsud_disp[];

#define STUB(name)                  \
	".globl " #name "\n"        \
	#name ":\n"                 \
	"	mov %rdi, %rax\n"   \
	"	mov %rsi, %rdi\n"   \
	"	mov %rdx, %rsi\n"   \
	"	mov %rcx, %rdx\n"   \
	"	syscall\n"          \
	".globl " #name "_ret_\n"   \
	#name "_ret_:\n"            \
	"	ret\n"

__asm__(".text\n" STUB(site)
	".set site_ret, site_ret_\n.globl site_ret\n"
	".set site_call, site\n.globl site_call\n"
	".pushsection nsud_exempt,\"ax\",@progbits\n" STUB(exempt)
	".set exempt_ret, exempt_ret_\n.globl exempt_ret\n"
	".set exempt_call, exempt\n.globl exempt_call\n"
	".popsection\n"
	".pushsection nsud_disp,\"ax\",@progbits\n" STUB(disp)
	".set disp_ret, disp_ret_\n.globl disp_ret\n"
	".set disp_call, disp\n.globl disp_call\n"
	".popsection\n");

/* What the handler saw, per thread. */
struct seen {
	int n;
	int code, err, nr;
	unsigned arch;
	const void *addr;
	long rax, rip, rdi, rsi, rdx;
	long own;               /* its own call's result (exempt range) */
};
static __thread struct seen seen;
static __thread volatile char *my_sel;
static volatile int leave_block;  /* the handler leaves the selector alone */
static volatile int nest_once;    /* the handler makes a dispatched call */
static volatile long inner;       /* and what it returned */
static volatile int sigreturns;   /* rt_sigreturn calls dispatched */
static const void *sigreturn_addr;

static void on_sigsys(int sig, siginfo_t *si, void *ucv)
{
	greg_t *g = ((ucontext_t *)ucv)->uc_mcontext.gregs;

	if (si->si_syscall == SYS_rt_sigreturn) {
		/* a handler's return, dispatched: made again after this
		   handler, with the selector at ALLOW */
		sigreturns++;
		sigreturn_addr = si->si_call_addr;
		g[REG_RIP] -= 2;
		*my_sel = SEL_ALLOW;
		return;
	}
	seen.n++;
	seen.code = si->si_code;
	seen.err = si->si_errno;
	seen.nr = si->si_syscall;
	seen.arch = si->si_arch;
	seen.addr = si->si_call_addr;
	seen.rax = g[REG_RAX];
	seen.rip = g[REG_RIP];
	seen.rdi = g[REG_RDI];
	seen.rsi = g[REG_RSI];
	seen.rdx = g[REG_RDX];
	/* the selector still says BLOCK: a call from the exempt range runs */
	seen.own = exempt_call(SYS_getpid, 0, 0, 0);
	if (nest_once) {
		/* the selector still says BLOCK: dispatched again, to this
		   handler on top of itself (SA_NODEFER) */
		nest_once = 0;
		inner = site_call(SYS_getppid, 0, 0, 0);
	}
	g[REG_RAX] = EMULATED;
	/* the restorer's rt_sigreturn is not in the exempt range */
	if (my_sel && !leave_block)
		*my_sel = SEL_ALLOW;
}

static void handle_sigsys(int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sigsys;
	sa.sa_flags = SA_SIGINFO | flags;
	sigaction(SIGSYS, &sa, 0);
}

static long sud(long mode, const void *off, long len, volatile char *sel)
{
	long r = prctl(PR_SET_SYSCALL_USER_DISPATCH, mode, off, len, sel);

	return r < 0 ? -errno : r;
}

static long exempt_len(void)
{
	return __stop_nsud_exempt - __start_nsud_exempt;
}

static volatile char sel_main;

/* ON with the exempt section, the selector ALLOW for now. */
static void arm_main(void)
{
	long r;

	sel_main = SEL_ALLOW;
	my_sel = &sel_main;
	r = sud(DISPATCH_ON, __start_nsud_exempt, exempt_len(), &sel_main);
	printf("prctl ON: %ld\n", r);
	fflush(stdout);
}

/* One call from ordinary code with the selector BLOCK; 1 if dispatched. */
static int blocked_call(volatile char *sel, long *ret)
{
	int before = seen.n;

	*sel = SEL_BLOCK;
	*ret = site_call(SYS_getppid, 0, 0, 0);
	*sel = SEL_ALLOW;
	return seen.n != before;
}

static const char *yes(int b)
{
	return b ? "yes" : "NO";
}

/* The handler gets the kernel's SIGSYS and emulates the call. */
static int t_emulate(void)
{
	long r;

	handle_sigsys(0);
	arm_main();
	sel_main = SEL_BLOCK;
	r = site_call(SYS_getpid, 11, 22, 33);
	/* the handler put the selector back to ALLOW */
	printf("dispatched: handler ran %d time(s), the call returned the "
	       "handler's value: %s\n", seen.n, yes(r == EMULATED));
	printf("si_code SYS_USER_DISPATCH: %s\n",
	       yes(seen.code == SYS_USER_DISPATCH_CODE));
	printf("si_syscall __NR_getpid: %s\n", yes(seen.nr == SYS_getpid));
	printf("si_arch AUDIT_ARCH_X86_64: %s\n", yes(seen.arch == ARCH_X86_64));
	printf("si_errno 0: %s\n", yes(seen.err == 0));
	printf("si_call_addr after the syscall: %s\n",
	       yes(seen.addr == site_ret));
	printf("rax the call's number (rolled back): %s\n",
	       yes(seen.rax == SYS_getpid));
	printf("rip after the syscall: %s\n", yes(seen.rip == (long)site_ret));
	printf("arguments in rdi, rsi, rdx: %s\n",
	       yes(seen.rdi == 11 && seen.rsi == 22 && seen.rdx == 33));
	printf("the handler's own call from the exempt range ran: %s\n",
	       yes(seen.own == getpid()));
	printf("selector ALLOW, the same call runs: %s\n",
	       yes(site_call(SYS_getpid, 0, 0, 0) == getpid()));
	return 0;
}

/* A call site limen's fast path has made hot (glibc's getppid: `mov
   $nr,%eax; syscall`, rewritten under limen after its second call) is
   dispatched like any other once the program's dispatch is on. */
static int t_hot_site(void)
{
	long r = 0;
	int n;

	handle_sigsys(0);
	for (int i = 0; i < 20; i++)
		r += getppid() > 0;
	arm_main();
	n = *(volatile int *)&seen.n;
	sel_main = SEL_BLOCK;
	r = getppid();
	printf("a hot site's call dispatched: %s, the handler's value: %s\n",
	       yes(*(volatile int *)&seen.n == n + 1), yes(r == EMULATED));
	return 0;
}

/* The selector toggled by plain stores: each call reads it. */
static int t_toggle(void)
{
	handle_sigsys(0);
	arm_main();
	for (int i = 0; i < 6; i++) {
		long r;

		sel_main = i % 2 ? SEL_BLOCK : SEL_ALLOW;
		r = site_call(SYS_getppid, 0, 0, 0);
		printf("%s: %s\n", i % 2 ? "BLOCK" : "ALLOW",
		       r == EMULATED ? "dispatched" :
		       r == getppid() ? "made" : "?");
	}
	printf("handler runs: %d\n", seen.n);
	return 0;
}

/* A dispatched call inside the handler of one (SA_NODEFER). */
static int t_nested(void)
{
	long r;

	handle_sigsys(SA_NODEFER);
	arm_main();
	nest_once = 1;
	sel_main = SEL_BLOCK;
	r = site_call(SYS_getpid, 0, 0, 0);
	printf("outer call: %s, inner call: %s, handler runs: %d\n",
	       r == EMULATED ? "emulated" : "made",
	       inner == EMULATED ? "emulated" : "made", seen.n);
	return 0;
}

/* A handler's return is a call too: with the selector at BLOCK, the
 * rt_sigreturn of its restorer is dispatched. */
static volatile int usr1;

static void on_usr1(int sig)
{
	usr1++;
}

static int t_handler_return(void)
{
	struct sigaction sa;
	pid_t me = getpid();
	const char *at;

	handle_sigsys(0);
	signal(SIGUSR1, on_usr1);
	sigaction(SIGUSR1, 0, &sa);
	arm_main();
	sel_main = SEL_BLOCK;
	/* delivered when this call returns, with the selector at BLOCK */
	exempt_call(SYS_kill, me, SIGUSR1, 0);
	sel_main = SEL_ALLOW;
	at = sigreturn_addr;
	printf("SIGUSR1 handler ran: %d\n", usr1);
	printf("its rt_sigreturn dispatched: %d\n", sigreturns);
	printf("from its restorer: %s\n",
	       yes(at > (const char *)sa.sa_restorer &&
		   at < (const char *)sa.sa_restorer + 32));
	return 0;
}

/* A SIGSYS handler that returns with the selector still at BLOCK: its
 * rt_sigreturn is dispatched while SIGSYS is blocked, which kills. */
static int t_leave_block(void)
{
	handle_sigsys(0);
	arm_main();
	leave_block = 1;
	sel_main = SEL_BLOCK;
	site_call(SYS_getpid, 0, 0, 0);
	sel_main = SEL_ALLOW;
	printf("still alive (wrong)\n");
	return 0;
}

/* A selector byte other than ALLOW or BLOCK: killed by SIGSYS, whatever
 * the handler. */
static int t_badsel(void)
{
	handle_sigsys(0);
	arm_main();
	sel_main = 2;
	site_call(SYS_getpid, 0, 0, 0);
	sel_main = SEL_ALLOW;
	printf("still alive (wrong)\n");
	return 0;
}

static void on_segv(int sig)
{
	static const char m[] = "SIGSEGV handler ran (wrong)\n";

	exempt_call(SYS_write, 1, (long)m, sizeof(m) - 1);
}

/* The selector unreadable at a call: killed by SIGSEGV, whatever the
 * handler. */
static int t_unreadable(void)
{
	char *page = mmap(0, 4096, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	signal(SIGSEGV, on_segv);
	handle_sigsys(0);
	*page = SEL_ALLOW;
	printf("prctl ON: %ld\n",
	       sud(DISPATCH_ON, __start_nsud_exempt, exempt_len(), page));
	fflush(stdout);
	/* from the exempt range: the selector is not read */
	exempt_call(SYS_mprotect, (long)page, 4096, PROT_NONE);
	site_call(SYS_getpid, 0, 0, 0);
	printf("still alive (wrong)\n");
	return 0;
}

/* SIGSYS blocked, or left at its default action: the dispatched call's
 * SIGSYS kills (force_sig_info). */
static int t_blocked(void)
{
	sigset_t s;
	long r;

	handle_sigsys(0);
	arm_main();
	sigemptyset(&s);
	sigaddset(&s, SIGSYS);
	sigprocmask(SIG_BLOCK, &s, 0);
	blocked_call(&sel_main, &r);
	printf("still alive (wrong)\n");
	return 0;
}

static int t_ignored(void)
{
	long r;

	signal(SIGSYS, SIG_IGN);
	arm_main();
	blocked_call(&sel_main, &r);
	printf("still alive (wrong)\n");
	return 0;
}

static int t_default(void)
{
	long r;

	arm_main();
	blocked_call(&sel_main, &r);
	printf("still alive (wrong)\n");
	return 0;
}

/* PR_SYS_DISPATCH_OFF: nothing is dispatched any more. */
static int t_off(void)
{
	long r;
	int d;

	handle_sigsys(0);
	arm_main();
	d = blocked_call(&sel_main, &r);
	printf("on: dispatched %s\n", yes(d));
	printf("prctl OFF: %ld\n", sud(DISPATCH_OFF, 0, 0, 0));
	d = blocked_call(&sel_main, &r);
	printf("off: dispatched %s, made %s\n", d ? "yes" : "no",
	       yes(r == getppid()));
	printf("OFF again: %ld\n", sud(DISPATCH_OFF, 0, 0, 0));
	return 0;
}

/* The kernel's answers to bad arguments; each accepted one undone. */
static int t_errors(void)
{
	static const struct {
		const char *what;
		long mode, off, len;
		uintptr_t sel;
	} c[] = {
		{ "OFF with an offset", DISPATCH_OFF, 4096, 0, 0 },
		{ "OFF with a length", DISPATCH_OFF, 0, 4096, 0 },
		{ "OFF with a selector", DISPATCH_OFF, 0, 0, 1 },
		{ "ON, offset+len wraps", DISPATCH_ON, -4096, 8192, 0 },
		{ "ON, offset 0 and any length", DISPATCH_ON, 0, -1, 0 },
		{ "ON, length 0", DISPATCH_ON, 4096, 0, 0 },
		{ "unknown mode 3", 3, 0, 0, 0 },
		{ "unknown mode -1", -1, 0, 0, 0 },
		{ "INCLUSIVE_ON, length 0", DISPATCH_INCLUSIVE_ON, 4096, 0, 0 },
		{ "INCLUSIVE_ON, offset+len wraps", DISPATCH_INCLUSIVE_ON,
		  -4096, 8192, 0 },
		{ "ON, a kernel address as selector", DISPATCH_ON, 0, -1,
		  0xffff880000000000ul },
		{ "ON, the selector past user space", DISPATCH_ON, 0, -1,
		  0x800000000000ul },
		{ "ON, the last user byte as selector", DISPATCH_ON, 0, -1,
		  0x7ffffffffffful },
		{ "ON, an unmapped selector (not checked)", DISPATCH_ON, 0, -1,
		  0x10000 },
	};

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		long r = sud(c[i].mode, (const void *)c[i].off, c[i].len,
			     (volatile char *)c[i].sel);

		printf("%s: %s\n", c[i].what, r == 0 ? "0" :
		       r == -EINVAL ? "EINVAL" : r == -EFAULT ? "EFAULT" :
		       r == -EPERM ? "EPERM" : "other");
		if (r == 0)
			sud(DISPATCH_OFF, 0, 0, 0);
	}
	return 0;
}

/* Not inherited by a fork child, kept by the parent. */
static int t_fork(void)
{
	long r;
	int st;
	pid_t p;

	handle_sigsys(0);
	arm_main();
	p = fork();
	if (p == 0) {
		int d = blocked_call(&sel_main, &r);

		printf("child: dispatched %s, made %s\n", d ? "yes" : "no",
		       yes(r == getppid()));
		return 0;
	}
	waitpid(p, &st, 0);
	printf("parent: dispatched %s\n", yes(blocked_call(&sel_main, &r)));
	return 0;
}

/* Not inherited by a vfork child either, which shares the parent's
 * memory (the selector too) until it exits. */
static volatile int vfork_child_dispatched = -1;

static int t_vfork(void)
{
	long r;
	pid_t p;

	handle_sigsys(0);
	arm_main();
	p = vfork();
	if (p == 0) {
		int before = seen.n;

		sel_main = SEL_BLOCK;
		r = site_call(SYS_getppid, 0, 0, 0);
		sel_main = SEL_ALLOW;
		vfork_child_dispatched = seen.n != before || r == EMULATED;
		_exit(0);
	}
	waitpid(p, 0, 0);
	printf("vfork child: dispatched %s\n",
	       vfork_child_dispatched ? "yes" : "no");
	printf("parent: dispatched %s\n", yes(blocked_call(&sel_main, &r)));
	return 0;
}

/* A failed execve keeps the dispatch; a successful one clears it. */
static int t_exec(char *self)
{
	char *argv[] = { self, "execd", 0 };
	long r;

	handle_sigsys(0);
	arm_main();
	execve("/nonexistent/nsud", argv, 0);
	printf("failed execve: dispatched %s\n",
	       yes(blocked_call(&sel_main, &r)));
	fflush(stdout);
	/* the new image keeps the SIGSYS disposition's default only: a
	   call dispatched there would kill it */
	execve("/proc/self/exe", argv, 0);
	printf("execve failed\n");
	return 1;
}

static int t_execd(void)
{
	long r = 0;
	/* no prctl here: the selector byte is nobody's */
	int d = blocked_call(&sel_main, &r);

	printf("after execve: dispatched %s, made %s\n", d ? "yes" : "no",
	       yes(r == getppid()));
	return 0;
}

/* Per thread: a new thread starts without it; its own prctl and its OFF
 * are its own. */
static volatile int go, done;

static void spin_until(volatile int *flag)
{
	while (!*flag)
		exempt_call(SYS_sched_yield, 0, 0, 0);
}

static void *thread(void *arg)
{
	static volatile char sel_t;
	long r;
	int d;

	spin_until(&go);
	/* the main thread's selector says BLOCK meanwhile */
	r = site_call(SYS_getppid, 0, 0, 0);
	printf("new thread: dispatched %s\n", seen.n ? "yes" : "no");
	printf("new thread: made %s\n", yes(r == getppid()));
	my_sel = &sel_t;
	printf("thread prctl ON: %ld\n",
	       sud(DISPATCH_ON, __start_nsud_exempt, exempt_len(), &sel_t));
	d = blocked_call(&sel_t, &r);
	printf("thread: dispatched %s, si_call_addr %s\n", yes(d),
	       yes(seen.addr == site_ret));
	printf("thread prctl OFF: %ld\n", sud(DISPATCH_OFF, 0, 0, 0));
	fflush(stdout);
	done = 1;
	return 0;
}

static int t_threads(void)
{
	pthread_t t;
	long r;

	handle_sigsys(0);
	arm_main();
	pthread_create(&t, 0, thread, 0);
	sel_main = SEL_BLOCK;
	go = 1;
	spin_until(&done);
	sel_main = SEL_ALLOW;
	pthread_join(t, 0);
	printf("main: handler runs so far %d\n", seen.n);
	printf("main: dispatched %s\n", yes(blocked_call(&sel_main, &r)));
	return 0;
}

/* PR_SYS_DISPATCH_INCLUSIVE_ON: only calls from the range are
 * dispatched; no selector. Where the kernel does not know the mode, the
 * prctl fails as it does bare. */
static int t_inclusive(void)
{
	long r = sud(DISPATCH_INCLUSIVE_ON, __start_nsud_disp,
		     __stop_nsud_disp - __start_nsud_disp, 0);

	handle_sigsys(0);
	printf("prctl INCLUSIVE_ON: %s\n", r == 0 ? "0" :
	       r == -EINVAL ? "EINVAL (kernel before 6.17)" : "other");
	if (r)
		return 0;
	r = disp_call(SYS_getpid, 0, 0, 0);
	printf("from the range: dispatched %s, si_call_addr %s\n",
	       yes(r == EMULATED && seen.n == 1), yes(seen.addr == disp_ret));
	r = site_call(SYS_getpid, 0, 0, 0);
	printf("from elsewhere: made %s\n", yes(r == getpid() && seen.n == 1));
	printf("prctl OFF: %ld\n", sud(DISPATCH_OFF, 0, 0, 0));
	r = disp_call(SYS_getpid, 0, 0, 0);
	printf("off: from the range made %s\n", yes(r == getpid()));
	return 0;
}

int main(int argc, char **argv)
{
	static const struct rlimit nocore = { 0, 0 };
	const char *t = argc > 1 ? argv[1] : "";

	setrlimit(RLIMIT_CORE, &nocore); /* the kills below dump no core */
	setvbuf(stdout, 0, _IOLBF, 0);
	if (!strcmp(t, "emulate"))
		return t_emulate();
	if (!strcmp(t, "hot_site"))
		return t_hot_site();
	if (!strcmp(t, "toggle"))
		return t_toggle();
	if (!strcmp(t, "badsel"))
		return t_badsel();
	if (!strcmp(t, "unreadable"))
		return t_unreadable();
	if (!strcmp(t, "blocked"))
		return t_blocked();
	if (!strcmp(t, "nested"))
		return t_nested();
	if (!strcmp(t, "handler_return"))
		return t_handler_return();
	if (!strcmp(t, "leave_block"))
		return t_leave_block();
	if (!strcmp(t, "ignored"))
		return t_ignored();
	if (!strcmp(t, "vfork"))
		return t_vfork();
	if (!strcmp(t, "default"))
		return t_default();
	if (!strcmp(t, "off"))
		return t_off();
	if (!strcmp(t, "errors"))
		return t_errors();
	if (!strcmp(t, "fork"))
		return t_fork();
	if (!strcmp(t, "exec"))
		return t_exec(argv[0]);
	if (!strcmp(t, "execd"))
		return t_execd();
	if (!strcmp(t, "threads"))
		return t_threads();
	if (!strcmp(t, "inclusive"))
		return t_inclusive();
	fprintf(stderr, "usage: nsud emulate|toggle|nested|badsel|unreadable|"
		"blocked|"
		"handler_return|leave_block|ignored|default|off|errors|fork|vfork|\n"
		"exec|threads|inclusive\n");
	return 2;
}
