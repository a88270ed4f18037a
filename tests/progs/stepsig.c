/* SPDX-License-Identifier: MIT */
/*
 * A signal at every instruction limen runs for a call, each put there on
 * purpose rather than by a timer's chance (tests/progs/fastsig.c): the
 * program must find its own state in the handler (rip in its own code)
 * and after the call (the result, every register the kernel's `syscall`
 * keeps, rsp, DF), as limen_lean_settle, limen_fast_settle and the
 * SIGSYS adapter promise.
 *
 *   stepsig RANGES N MODE [CMD...]   the tracer
 *	Runs CMD... (e.g. build/limen trace -e trace=none -o F --) with
 *	this program as its command in the role below, and attaches to it
 *	(PTRACE_SEIZE: the tracer is an ancestor, as Yama's default asks).
 *	Single-steps N of its calls and notes each instruction they ran in
 *	RANGES, then for each in turn puts an int3 there, lets the program
 *	run into it, puts the byte back, sends SIGUSR1 with rip on that
 *	instruction and lets the program run into its handler (the same
 *	way) before the next. Prints "injected K of L instructions,
 *	delivered D".
 *	RANGES: FASTSZ[,OFF:SIZE]... , the stub's page and limen_fast_entry
 *	(the stub page's first word; FASTSZ its size from nm -S: all of
 *	fast.S), and each OFF:SIZE another function of the runtime's OFF
 *	bytes from it (limen_app_syscall's); or "all": every executable
 *	mapping of limen's runtime (the way through Syscall User Dispatch's
 *	signal, the C of a recorded call...).
 *	MODE, what the program does each turn:
 *	  plain   getppid from its own site (canary_site.h);
 *	  copy    the same from a site with three instructions between
 *	          its mov and its `syscall`, copied into the stub;
 *	  pad     the same from a site of the pad form (its `syscall` a
 *	          jmp rel8 into the padding after its function, a jmp from
 *	          there to the stub: src/runtime/rewrite.c, pad_form);
 *	  padback sigaltstack(k, k + 9) (-EFAULT) from that site, once
 *	          getppid made it hot: a call that needs SUD's frame, handed
 *	          back from the stub to the stub's own `syscall`;
 *	  path    access(2) of a plain path (the lean path's check of a
 *	          path call);
 *	  ...df   either, with the direction flag set around the call;
 *	  ua...   either, with the thread's uaccess slot armed before the
 *	          call (include/limen/uaccess.h): each call must log the
 *	          ranges a call with no signal logs;
 *	  mask    SIGUSR1 blocked and unblocked by sigprocmask: a handler
 *	          that runs in between counts as elsewhere;
 *	  raise   SIGUSR2 raised and handled (limen's tgkill, delivery and
 *	          rt_sigreturn);
 *	  uevent  a user event written through the kernel's user_events ABI,
 *	          emulated by limen: prints "events N", each to be in the
 *	          trace once;
 *	  fork    a child forked and reaped: it must not run the parent's
 *	          handler (the tracer gives it its copy of the text back,
 *	          without the int3, and lets it go).
 *	STEPSIG_WANT: the result each call must give where limen gives
 *	another (-e inject=NAME:error=...). STEPSIG_VERBOSE: what it does,
 *	on stderr.
 *   stepsig --loop FD MODE   the role
 *	Makes 200 calls (its site is rewritten by then), writes its pid and
 *	the addresses of go, of its site and of its SIGUSR1 handler to FD,
 *	and calls (with garbage below its stack before each once go is 3)
 *	until the tracer sets go to 2. Prints "signals H, bad calls B,
 *	elsewhere E": H signals handled, B calls with a wrong result or
 *	register, E handlers that found rip outside the program's text (or
 *	in limen's runtime, for libc's calls) or SIGUSR1 blocked.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include "canary_site.h"
#include "limen/uaccess.h"
#include "uevent_calls.h"

/* access(k, k + 9): a call of a path (src/runtime/quickpath.c), which the
   lean path makes once limen_lean_path (on limen's stack) finds its path
   plain; its mode, k + 9, has bits no mode has: -EINVAL, whatever the
   path (the kernel looks at the mode first) */
long site_access(long k, long df);
extern const unsigned char site_access_mov[];
CANARY_SITE(site_access, 21);
/* sigaltstack(k, k + 9) through site_pad's own `syscall` (site_pad_pad,
   canary_site.h): -EFAULT, the kernel reads k first */
long site_padback(long k, long df);
CANARY_SITE_CALL(site_padback, "	mov $131, %eax\n	call site_pad_pad\n");
/* getppid with three instructions between the mov and the `syscall`,
   which the stub runs copies of (src/runtime/rewrite_forms.c): a signal
   on a copy finds the program at the same instruction in place */
long site_copy(long k, long df);
extern const unsigned char site_copy_mov[];
CANARY_SITE_CALL(site_copy, "	mov $110, %eax\n	nop\n	cmp %rdi, %rdi\n"
			    "	test %rdx, %rdx\n	syscall\n");
/* k for site_access: a plain path at every 16 bytes */
static char paths[1 << 16] __attribute__((aligned(16)));

#define MAX_AT 4096
/* how long the program may loop before it reaches an instruction: one
   that ran while the tracer learnt them may not run again */
#define REACH_NS 500000000L

extern const char __executable_start[], etext[];
static volatile long go;
static volatile long handled, elsewhere;
/* STEPSIG_VERBOSE set: each bad call's result, each instruction's place
   (the stub's page, or fast.S) as it gets its signal, on stderr */
static int verbose;

/* ua modes: the thread's uaccess slot, armed before each call, and what
   a call logged before any signal (the last warm-up call's): a signal
   handled during a call must leave its log as it was (the handler's own
   calls never consume the slot) */
static uint64_t ua_slot;
static struct uaccess_buffer_entry ua_ents[8], ua_ref[8];
static uint64_t ua_nref = ~0ull;
static int ua_on;

/* fork mode: the process whose handler ran last */
static int fork_mode;
static volatile pid_t handler_pid;

/* mask mode: the program's calls are libc's, not its own site's */
static int libc_calls;
/* mask mode: SIGUSR1 is blocked (sigprocmask said so) */
static volatile int blocked;
/* limen's runtime in this process (its files' executable mappings) */
#define MAX_TEXT 8
static uint64_t own_lo[MAX_TEXT], own_hi[MAX_TEXT];
static int nown;

static void on_usr1(int sig, siginfo_t *si, void *ucv)
{
	uint64_t ip = (uint64_t)((ucontext_t *)ucv)->uc_mcontext.gregs[REG_RIP];

	(void)sig;
	(void)si;
	handled++;
	/* a call of the handler's own: it never takes the uaccess slot
	   the interrupted call armed */
	if (ua_on)
		getpid();
	if (fork_mode)
		handler_pid = getpid();
	if (blocked ||
	    (!libc_calls && (ip < (uintptr_t)__executable_start ||
			     ip >= (uintptr_t)etext)))
		elsewhere++;
	for (int i = 0; i < nown; i++)
		if (ip >= own_lo[i] && ip < own_hi[i])
			elsewhere++;
}

/* The executable mappings of limen's runtime (a file whose name has
   "limen" in it) in the maps file path, at most MAX_TEXT: their number */
static int limen_maps(const char *path, uint64_t *lo, uint64_t *hi)
{
	char l[4352], perm[8], file[4096];
	unsigned long a, b;
	FILE *f = fopen(path, "r");
	int n = 0;

	while (f && fgets(l, sizeof l, f) && n < MAX_TEXT)
		if (sscanf(l, "%lx-%lx %7s %*s %*s %*s %4095s", &a, &b, perm,
			   file) == 4 &&
		    perm[2] == 'x' && strstr(file, "limen")) {
			if (verbose)
				fprintf(stderr, "stepsig: limen's text %s", l);
			lo[n] = a;
			hi[n++] = b;
		}
	if (f)
		fclose(f);
	return n;
}

/* raise mode's turn: SIGUSR2 raised (tgkill), delivered to its handler
   and returned from (rt_sigreturn): limen's way for each, a SIGUSR1 at
   each of their instructions */
static volatile long usr2;

static void on_usr2(int sig)
{
	(void)sig;
	usr2++;
}

static long raise_turn(long k, long df)
{
	long before = usr2;

	(void)k;
	(void)df;
	return raise(SIGUSR2) || usr2 != before + 1 ? -1 : 0;
}

/* uevent mode's turn: the user event stepsig_ev (one u32, v: the turn's
   number) written by the kernel's user_events ABI, which limen emulates
   (writev of the user_events_data file), when its enable bit is on:
   each must be in the trace once, in order (the test reads it) */
static int uev_fd = -1;
static uint32_t uev_index;
static volatile uint32_t uev_on;
static long uev_sent;

static long uev_turn(long k, long df)
{
	(void)k;
	(void)df;
	if (!(uev_on & 1))
		return 0;
	if (emit(uev_fd, uev_index, (uint32_t)uev_sent) != 8)
		return -1;
	uev_sent++;
	return 0;
}

/* fork mode's turn: a child forked and reaped. A signal the parent was
   sent is the parent's alone: the child, which exits at once, must not
   run the handler (limen's held signal is per thread, not copied) */
static long fork_turn(long k, long df)
{
	pid_t c;
	int st;

	(void)k;
	(void)df;
	c = fork();
	if (c == 0)
		_exit(handler_pid == getpid() ? 3 : 0);
	if (c < 0 || waitpid(c, &st, 0) != c)
		return -1;
	/* a wrong child: -(200 + its exit status), -(100 + its signal) */
	return WIFEXITED(st) ? (WEXITSTATUS(st) ? -200 - WEXITSTATUS(st) : 0)
			     : -100 - WTERMSIG(st);
}

/* mask mode's turn: SIGUSR1 blocked and unblocked by libc's sigprocmask
   (rt_sigprocmask: from its rewritten site without a frame, signals.c's
   sigprocmask_frameless; through SUD, which keeps the program's mask in
   the SIGSYS frame, under --no-rewrite); a signal sent meanwhile waits
   for the unblock, never runs its handler in between */
static long mask_turn(long k, long df)
{
	sigset_t s, now;
	int lost;

	(void)k;
	(void)df;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	if (sigprocmask(SIG_BLOCK, &s, NULL))
		return -1;
	blocked = 1;
	/* blocked still, whatever a handler that ran at the call's end
	   returned to (its frame's mask is what its rt_sigreturn puts
	   back): a bad call where it is not */
	lost = sigprocmask(SIG_BLOCK, NULL, &now) || !sigismember(&now, SIGUSR1);
	blocked = 0;
	return sigprocmask(SIG_UNBLOCK, &s, NULL) || lost ? -1 : 0;
}

/* what limen's words below the program's stack pointer held before a
   call is not what limen may take back after a signal: garbage there,
   under the site's frame, before each call (an earlier call's number
   hid a stale read of it) */
static __attribute__((noinline)) void scribble(void)
{
	volatile unsigned char junk[1024];

	for (size_t i = 0; i < sizeof junk; i++)
		junk[i] = 0x77;
}

/* the next call's k: canaries that differ from one call to the next,
   or the next path */
static long next_k(long *k, long (*site)(long, long))
{
	long now = *k;

	*k += 16;
	if (site == site_access && *k >= (long)(paths + sizeof paths))
		*k = (long)paths;
	return now;
}

static long ua_call(long (*site)(long, long), long k, long df, long *bad)
{
	struct limen_uaccess_log log;
	long r;
	uint64_t n;

	if (!ua_on)
		return site(k, df);
	memset(ua_ents, 0, sizeof ua_ents);
	limen_uaccess_begin(&log, &ua_slot, ua_ents, 8);
	r = site(k, df);
	limen_uaccess_end(&log);
	n = limen_uaccess_count(&log);
	if (ua_nref == ~0ull) {
		ua_nref = n;
		if (verbose)
			fprintf(stderr, "stepsig: a call logs %ld ranges\n", (long)n);
		for (uint64_t i = 0; i < n && i < 8; i++) {
			ua_ref[i] = ua_ents[i];
			ua_ref[i].addr -= (uint64_t)k;
		}
		return r;
	}
	for (uint64_t i = 0; i < n && i < 8 && n == ua_nref; i++)
		if (ua_ents[i].addr - (uint64_t)k != ua_ref[i].addr ||
		    ua_ents[i].size != ua_ref[i].size ||
		    ua_ents[i].flags != ua_ref[i].flags)
			n = ~0ull;
	if (verbose && n != ua_nref && ua_nref != ~0ull)
		fprintf(stderr, "stepsig: the reference logs %ld ranges\n",
			(long)ua_nref);
	if (n != ua_nref) {
		if (verbose)
			fprintf(stderr, "stepsig: a call logged %ld ranges, not %ld\n",
				(long)n, (long)ua_nref);
		++*bad;
	}
	return r;
}

static int loop(int fd, const char *mode)
{
	struct sigaction sa;
	long df = strstr(mode, "df") != NULL, bad = 0, k = 0x5a5a0000, want;
	long (*site)(long, long) = site_ppid;
	const unsigned char *site_mov = site_ppid_mov;
	char line[160];
	int len;

	want = getppid();
	if (!strncmp(mode, "ua", 2)) {
		if (limen_uaccess_register(&ua_slot) < 0) {
			printf("no uaccess logging here\n");
			return 0;
		}
		ua_on = 1;
		mode += 2;
	}
	if (!strcmp(mode, "pad")) {
		site = site_pad;
		site_mov = site_pad_pad;
	}
	if (!strcmp(mode, "padback")) {
		/* the site rewritten by calls that need no frame first */
		for (int i = 0; i < 20; i++)
			site_pad(k, 0);
		site = site_padback;
		site_mov = site_pad_pad;
		want = -EFAULT;
	}
	if (!strcmp(mode, "copy")) {
		site = site_copy;
		site_mov = site_copy_mov;
	}
	if (!strncmp(mode, "path", 4)) {
		for (size_t i = 0; i < sizeof paths; i += 16)
			strcpy(paths + i, "/etc/passwd");
		site = site_access;
		site_mov = site_access_mov;
		want = -EINVAL;
		k = (long)paths;
	}
	if (!strcmp(mode, "uevent")) {
		uev_fd = open("/sys/kernel/tracing/user_events_data", O_RDWR);
		if (uev_fd < 0 ||
		    reg(uev_fd, "stepsig_ev u32 v", &uev_on, 0, &uev_index) < 0) {
			printf("no user_events here\n");
			return 0;
		}
	}
	if (!strcmp(mode, "mask") || !strcmp(mode, "raise") ||
	    !strcmp(mode, "uevent") || !strcmp(mode, "fork")) {
		site = mode[0] == 'm' ? mask_turn :
		       mode[0] == 'r' ? raise_turn :
		       mode[0] == 'f' ? fork_turn : uev_turn;
		fork_mode = mode[0] == 'f';
		site_mov = (const unsigned char *)site;
		want = 0;
		libc_calls = 1;
		signal(SIGUSR2, on_usr2);
	}

	/* the answer limen gives instead (-e inject=...:error=): the
	   test says which */
	if (getenv("STEPSIG_WANT"))
		want = atol(getenv("STEPSIG_WANT"));
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_usr1;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGUSR1, &sa, NULL);
	/* before the calls: its buffer's mmap would make limen prove a
	   uaccess descriptor's memory again at the next call (a way that
	   runs once, learnt and never reached again) */
	nown = limen_maps("/proc/self/maps", own_lo, own_hi);
	for (int i = 0; i < 200; i++) {
		if (i == 199)
			ua_nref = ~0ull; /* the reference: a rewritten call's */
		if (ua_call(site, next_k(&k, site), df, &bad) != want)
			bad++;
	}
	len = snprintf(line, sizeof line, "%d %lx %lx %lx\n", (int)getpid(),
		       (unsigned long)&go, (unsigned long)site_mov,
		       (unsigned long)on_usr1);
	if (write(fd, line, (size_t)len) != len)
		return 1;
	close(fd);
	while (!go) /* stopped here, in no call, to be attached to */
		;
	while (go != 2) {
		long r;

		if (go == 3)
			scribble();
		r = ua_call(site, next_k(&k, site), df, &bad);
		if (r != want && verbose)
			fprintf(stderr, "stepsig: a call returned %ld\n", r);
		if (r != want)
			bad++;
	}
	printf("signals %ld, bad calls %ld, elsewhere %ld\n", handled, bad,
	       elsewhere);
	if (uev_fd >= 0)
		printf("events %ld\n", uev_sent);
	return 0;
}

static pid_t pid;

static int children; /* fork mode: children seen and let go */

/* the int3s placed last, with the words under them: a child forked
   while one was in place has it in its copy of the text, whatever the
   order in which its stop, its parent's fork event and the tracer's
   moves came */
#define PLACED_KEPT 256
static struct placed {
	uint64_t at;
	long word;
} placed_log[PLACED_KEPT];
static unsigned placed_n;

/* a stop of w, not the program: a child it forked (PTRACE_O_TRACEFORK
   attached it, stopped before its first instruction), given back the
   bytes under the int3s and let go; its exits are the program's to reap */
static void child(pid_t w, int status)
{
	if (!WIFSTOPPED(status))
		return;
	for (unsigned i = 0; i < PLACED_KEPT; i++) {
		const struct placed *pl = &placed_log[i];
		long now;

		if (!pl->at)
			continue;
		errno = 0;
		now = ptrace(PTRACE_PEEKDATA, w, (void *)pl->at, 0);
		if (!errno && (now & 0xff) == 0xcc && (pl->word & 0xff) != 0xcc)
			ptrace(PTRACE_POKEDATA, w, (void *)pl->at,
			       (void *)((now & ~0xffL) | (pl->word & 0xff)));
	}
	/* forked while the tracer stepped its parent: TF is the tracer's,
	   not the program's */
	struct user_regs_struct r;

	if (ptrace(PTRACE_GETREGS, w, 0, &r) == 0 && (r.eflags & 0x100)) {
		r.eflags &= ~0x100ull;
		ptrace(PTRACE_SETREGS, w, 0, &r);
	}
	if (ptrace(PTRACE_DETACH, w, 0, 0) == 0)
		children++;
}

static pid_t wait_any(int *status, int flags)
{
	pid_t w;

	for (;;) {
		w = waitpid(-1, status, __WALL | flags);
		if (w < 0 && errno == EINTR)
			continue;
		if (w > 0 && w != pid) {
			child(w, *status);
			continue;
		}
		return w;
	}
}

/* the signal of the program's own a stop holds, to pass on: none at an
   event stop, nor at a trap of the tracer's single step */
static int sig_of(int status, int stepped)
{
	if (status >> 16 || (stepped && WSTOPSIG(status) == SIGTRAP))
		return 0;
	return WSTOPSIG(status);
}

static int stop(int *status)
{
	if (wait_any(status, 0) != pid)
		return -1;
	return WIFSTOPPED(*status) ? 0 : -1;
}

static long peek(uint64_t at)
{
	errno = 0;
	return ptrace(PTRACE_PEEKDATA, pid, (void *)at, 0);
}

static long since_ns(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000000000L + t.tv_nsec - t0->tv_nsec;
}

/* The program runs into an int3 at `at` (passing on the signals it gets
   meanwhile); then the byte is back and rip at `at`. 1: there; 0: not
   reached within REACH_NS (the instruction ran only once, or on another
   way); -1: the program is gone. */
static int pending; /* a signal of the program's on its way, to pass on */

static int run_to(uint64_t at)
{
	struct user_regs_struct r;
	long word = peek(at);
	int status, there = 0, sig = pending;
	struct timespec t0;

	if (errno || ptrace(PTRACE_POKEDATA, pid, (void *)at,
			    (void *)((word & ~0xffL) | 0xcc)))
		return -1;
	placed_log[placed_n++ % PLACED_KEPT] = (struct placed){ at, word };
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		if (ptrace(PTRACE_CONT, pid, 0, (void *)(long)sig))
			return -1;
		/* REACH_NS at most: then stopped where it is */
		for (;;) {
			pid_t w = wait_any(&status, WNOHANG);

			if (w == pid)
				break;
			if (w < 0 && errno != EINTR)
				return -1;
			if (since_ns(&t0) >= REACH_NS) {
				ptrace(PTRACE_INTERRUPT, pid, 0, 0);
				if (stop(&status))
					return -1;
				break;
			}
			usleep(200);
		}
		if (!WIFSTOPPED(status))
			return -1;
		sig = sig_of(status, 0);
		if (ptrace(PTRACE_GETREGS, pid, 0, &r))
			return -1;
		if (sig == SIGTRAP && r.rip == at + 1) {
			sig = 0;
			there = 1;
			break;
		}
		if (status >> 16 == PTRACE_EVENT_STOP || since_ns(&t0) >= REACH_NS)
			break;
	}
	pending = sig;
	if (ptrace(PTRACE_POKEDATA, pid, (void *)at, (void *)word))
		return -1;
	if (there) {
		r.rip = at;
		if (ptrace(PTRACE_SETREGS, pid, 0, &r))
			return -1;
	}
	return there;
}

/* where at is, for STEPSIG_VERBOSE: in the stub's page, or from
   limen_fast_entry */
static void say_at(const char *what, uint64_t at, uint64_t stub_page,
		   uint64_t fast)
{
	int stub = (at & ~4095ull) == stub_page;

	fprintf(stderr, "stepsig: %s %s+%#lx\n", what,
		stub ? "stub page" : "limen_fast_entry",
		(long)(at - (stub ? stub_page : fast)));
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* the runtime's ranges signalled (RANGES below): at an offset from
   limen_fast_entry, of a size; the first is limen_fast_entry's own */
#define MAX_RANGES 8
static long range_off[MAX_RANGES];
static unsigned long range_sz[MAX_RANGES];
static int nranges;

/* RANGES "all": every executable mapping of limen's runtime, read from
   /proc/PID/maps */
static int all_of_limen;
static uint64_t text_lo[MAX_TEXT], text_hi[MAX_TEXT];
static int ntext;

static int in_ranges(uint64_t ip, uint64_t fast)
{
	for (int i = 0; i < nranges; i++)
		if (fast && ip - (fast + (uint64_t)range_off[i]) < range_sz[i])
			return 1;
	for (int i = 0; i < ntext; i++)
		if (ip >= text_lo[i] && ip < text_hi[i])
			return 1;
	return 0;
}

static int tracer(long n, const char *mode, char **cmd, int ncmd)
{
	int p[2], status, sig = 0;
	char line[160], fdbuf[16], self[4096];
	unsigned long go_at, site_at, handler_at;
	static uint64_t at[MAX_AT];
	int nat = 0, injected = 0, delivered = 0;
	long calls = 0;
	pid_t cmd_pid;
	ssize_t got, sl;

	sl = readlink("/proc/self/exe", self, sizeof self - 1);
	if (sl <= 0 || pipe(p))
		return 1;
	self[sl] = 0;
	cmd_pid = fork();
	if (cmd_pid == 0) {
		char **argv = calloc((size_t)ncmd + 5, sizeof *argv);
		int k = 0;

		close(p[0]);
		snprintf(fdbuf, sizeof fdbuf, "%d", p[1]);
		for (int i = 0; i < ncmd; i++)
			argv[k++] = cmd[i];
		argv[k++] = self;
		argv[k++] = "--loop";
		argv[k++] = fdbuf;
		argv[k++] = (char *)mode;
		execvp(argv[0], argv);
		_exit(127);
	}
	close(p[1]);
	got = read(p[0], line, sizeof line - 1);
	if (got <= 0 || sscanf((line[got] = 0, line), "%d %lx %lx %lx", &pid,
			       &go_at, &site_at, &handler_at) != 4) {
		fprintf(stderr, "stepsig: the program did not start\n");
		return 1;
	}
	/* fork mode's children are attached, to be given their copy of
	   the text back (child) */
	if (ptrace(PTRACE_SEIZE, pid, 0, (void *)(long)PTRACE_O_TRACEFORK) ||
	    ptrace(PTRACE_INTERRUPT, pid, 0, 0) || stop(&status) ||
	    ptrace(PTRACE_POKEDATA, pid, (void *)go_at, (void *)1L)) {
		fprintf(stderr, "stepsig: attach: %s\n", strerror(errno));
		return 1;
	}
	/* the first stop may be a signal's on its way (the interrupt's
	   comes after): passed on, as all the others */
	sig = sig_of(status, 0);
	/* the site's jmp (e9) to its stub, whose page's first word is
	   limen_fast_entry; bare, or not rewritten: nothing of limen's */
	uint64_t stub_page = 0, fast = 0, pad_at = 0, jmp_at = site_at;
	long w = peek(site_at);

	if (!errno && (w & 0xff) == 0xeb) {
		/* the pad form: its slot's jmp to the stub, a place of its
		   own to signal too */
		jmp_at = pad_at = site_at + 2 + (uint64_t)(long)(int8_t)(w >> 8);
		w = peek(pad_at);
	}
	if (!errno && (w & 0xff) == 0xe9) {
		uint64_t stub = jmp_at + 5 + (uint64_t)(long)(int32_t)(w >> 8);

		stub_page = stub & ~4095ull;
		fast = (uint64_t)peek(stub_page);
	}
	if (all_of_limen) {
		char maps[64];

		snprintf(maps, sizeof maps, "/proc/%d/maps", (int)pid);
		ntext = limen_maps(maps, text_lo, text_hi);
	}
	/* the instructions of n calls in the stub's page and in fast.S */
	while ((stub_page || ntext) && calls < n) {
		struct user_regs_struct r;

		if (ptrace(PTRACE_SINGLESTEP, pid, 0, (void *)(long)sig) ||
		    stop(&status) || ptrace(PTRACE_GETREGS, pid, 0, &r))
			break;
		sig = sig_of(status, 1);
		if (r.rip == site_at)
			calls++;
		/* from the site on (the program may be in another call of
		   limen's when stopped: its close of the pipe) */
		if (calls &&
		    ((r.rip & ~4095ull) == stub_page || in_ranges(r.rip, fast) ||
		     (pad_at && r.rip == pad_at)) &&
		    nat < MAX_AT) {
			int seen = 0;

			for (int i = 0; i < nat && !seen; i++)
				seen = at[i] == r.rip;
			if (!seen)
				at[nat++] = r.rip;
		}
	}
	qsort(at, (size_t)nat, sizeof at[0], cmp_u64);
	pending = sig;
	/* the garbage below the stack from now on (not stepped: a
	   thousand steps a call) */
	if (ptrace(PTRACE_POKEDATA, pid, (void *)go_at, (void *)3L))
		nat = 0;
	/* a signal at each, in turn */
	for (int i = 0; i < nat; i++) {
		int there = run_to(at[i]);

		if (there < 0)
			break;
		if (!there) {
			if (verbose)
				say_at("not reached again:", at[i], stub_page, fast);
			continue;
		}
		if (ptrace(PTRACE_SINGLESTEP, pid, 0, (void *)(long)SIGUSR1) ||
		    stop(&status))
			break;
		/* a signal of the program's own on its way: passed on */
		pending = sig_of(status, 1);
		injected++;
		if (verbose)
			say_at("a signal at", at[i], stub_page, fast);
		/* its handler reached before the next: a signal limen holds
		   (its code is not the program's) and another of the same
		   number meanwhile would be one, as two pending are */
		there = run_to(handler_at);
		if (there < 0)
			break;
		delivered += there;
	}
	ptrace(PTRACE_POKEDATA, pid, (void *)go_at, (void *)2L);
	/* with the program's signal its last stop held, if any: a SIGSYS of
	   Syscall User Dispatch's dropped here left its call unmade (the
	   pad form's stub `syscall`, whose next instruction the last turn
	   waited for in vain, stopped at one) */
	ptrace(PTRACE_DETACH, pid, 0, (void *)(long)pending);
	while (waitpid(cmd_pid, &status, 0) < 0 && errno == EINTR)
		;
	printf("injected %d of %d instructions, delivered %d\n", injected, nat,
	       delivered);
	if (children && verbose)
		fprintf(stderr, "stepsig: %d children let go\n", children);
	fflush(stdout);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int main(int argc, char **argv)
{
	verbose = getenv("STEPSIG_VERBOSE") != NULL;
	if (argc == 4 && !strcmp(argv[1], "--loop"))
		return loop(atoi(argv[2]), argv[3]);
	if (argc < 4 || atol(argv[2]) <= 0) {
		fprintf(stderr, "usage: stepsig FASTSZ[,OFF:SIZE]...|all N plain|pad|padback|df|path|pathdf|mask|raise|uaplain|uapath|uevent|fork [CMD...]\n");
		return 2;
	}
	/* FASTSZ[,OFF:SIZE]... or all */
	char *ranges = strchr(argv[1], ',');

	all_of_limen = !strcmp(argv[1], "all");
	range_sz[nranges++] = all_of_limen ? 0 : strtoul(argv[1], NULL, 0);
	while (ranges && nranges < MAX_RANGES) {
		char *end;

		range_off[nranges] = strtol(ranges + 1, &end, 0);
		if (*end != ':')
			break;
		range_sz[nranges++] = strtoul(end + 1, &end, 0);
		ranges = strchr(end, ',');
	}
	return tracer(atol(argv[2]), argv[3], argv + 4, argc - 4);
}
