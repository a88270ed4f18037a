/* SPDX-License-Identifier: MIT */
/*
 * A handler's frame that does not fit on the sigaltstack (tests/syscalls/
 * altstack_overflow.t): the kernel (get_sigframe) writes nothing and
 * forces SIGSEGV. Cases (argv[1]):
 *   boundary    for each size and stack top, a child raises a signal
 *               with SA_ONSTACK: where the handler starts to run, and
 *               whether a byte below ss_sp changed
 *   segvhandler a 2048-byte stack: the program's SIGSEGV handler (on the
 *               ordinary stack) gets si_code SI_KERNEL, nothing below
 *               ss_sp is written
 *   norestorer  a handler installed without SA_RESTORER: x86-64 cannot
 *               set up its frame, SIGSEGV kills before it runs
 *   nested      a stack with room for one frame: the handler's nested
 *               signal overflows it, SIGSEGV kills (with a SIGSEGV
 *               handler too, its frame nesting on the same stack)
 *   segvmask    the mask the SIGSEGV handler runs with, and the one its
 *               frame restores, after a forced SIGSEGV: the kernel leaves
 *               the blocked mask as it was when setting up the frame
 *               fails (signal_setup_done), so neither holds the failed
 *               handler's sa_mask or its signal; for an overflow, a
 *               handler without SA_RESTORER, and each inside a
 *               sigsuspend (whose mask is the one in force)
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <ucontext.h>

#define MAP 16384
#define FILL 0x5a

static volatile int ran, depth;
static unsigned char *map;
static char *ss_sp;

static void say(const char *s) { (void)!write(1, s, strlen(s)); }

static int below(void)
{
	int n = 0;

	for (unsigned char *p = map; p < (unsigned char *)ss_sp; p++)
		n += *p != FILL;
	return n;
}

static void setup(size_t size, size_t off)
{
	stack_t ss;

	map = mmap(0, MAP, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(map, FILL, MAP);
	ss_sp = (char *)map + MAP - 4096 - off - size;
	ss.ss_sp = ss_sp;
	ss.ss_size = size;
	ss.ss_flags = 0;
	if (sigaltstack(&ss, 0)) {
		perror("sigaltstack");
		exit(1);
	}
}

static void on(int sig, void (*h)(int), int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = h;
	sa.sa_flags = flags;
	sigaction(sig, &sa, 0);
}

static void h_ran(int s) { (void)s; ran = 1; }

static void h_segv(int s, siginfo_t *si, void *u)
{
	char b[96];

	(void)s;
	(void)u;
	snprintf(b, sizeof(b), "SIGSEGV handler: si_code=%d usr1 ran=%d below ss_sp=%d\n",
		 si->si_code, ran, below());
	say(b);
	_exit(0);
}

static void h_nest(int s)
{
	char b[32];

	(void)s;
	snprintf(b, sizeof(b), "depth %d\n", ++depth);
	say(b);
	if (depth < 4)
		raise(SIGUSR1);
}

static void h_segvmask(int s, siginfo_t *si, void *u)
{
	ucontext_t *uc = u;
	sigset_t now;
	char b[128];

	(void)s;
	sigprocmask(SIG_BLOCK, 0, &now);
	snprintf(b, sizeof(b), "SIGSEGV si_code=%d mask %#lx frame's mask %#lx\n",
		 si->si_code, *(unsigned long *)&now,
		 *(unsigned long *)&uc->uc_sigmask);
	say(b);
	_exit(0);
}

/* SIGUSR1's handler fails to get its frame (how), its sa_mask SIGUSR2
 * and SIGHUP; the program blocks SIGINT, and SIGSEGV's handler adds
 * SIGALRM; in a sigsuspend that blocks SIGTERM instead */
static void segvmask_one(const char *how, int suspend)
{
	struct sigaction sa;
	sigset_t m;

	setup(2048, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = h_segvmask;
	sa.sa_flags = SA_SIGINFO;
	sigaddset(&sa.sa_mask, SIGALRM);
	sigaction(SIGSEGV, &sa, 0);
	if (!strcmp(how, "overflow")) {
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = h_ran;
		sa.sa_flags = SA_ONSTACK;
		sigaddset(&sa.sa_mask, SIGUSR2);
		sigaddset(&sa.sa_mask, SIGHUP);
		sigaction(SIGUSR1, &sa, 0);
	} else {
		struct {
			void (*h)(int);
			unsigned long flags;
			void *restorer;
			unsigned long mask;
		} k = { h_ran, 0, 0,
			(1ul << (SIGUSR2 - 1)) | (1ul << (SIGHUP - 1)) };

		syscall(SYS_rt_sigaction, SIGUSR1, &k, 0, 8);
	}
	sigemptyset(&m);
	sigaddset(&m, SIGINT);
	if (suspend)
		sigaddset(&m, SIGUSR1);
	sigprocmask(SIG_SETMASK, &m, 0);
	printf("%s%s: ", how, suspend ? " in sigsuspend" : "");
	fflush(stdout);
	if (suspend) {
		raise(SIGUSR1);
		sigemptyset(&m);
		sigaddset(&m, SIGTERM);
		sigsuspend(&m);
	} else {
		raise(SIGUSR1);
	}
	say("returned\n");
	_exit(0);
}

static int segvmask(void)
{
	static const char *hows[] = { "overflow", "norestorer" };

	for (unsigned i = 0; i < 4; i++) {
		pid_t p = fork();
		int st;

		if (p == 0)
			segvmask_one(hows[i / 2], i % 2);
		waitpid(p, &st, 0);
		if (!WIFEXITED(st))
			printf("killed by %d\n", WTERMSIG(st));
		fflush(stdout);
	}
	return 0;
}

static int boundary(void)
{
	static const size_t offs[] = { 0, 8, 24, 56 };
	char last[64] = "";

	for (unsigned o = 0; o < sizeof(offs) / sizeof(offs[0]); o++) {
		for (size_t size = 2048; size <= 4608; size += 16) {
			char now[64];
			int st;
			pid_t p = fork();

			if (p == 0) {
				setup(size, offs[o]);
				on(SIGUSR1, h_ran, SA_ONSTACK);
				raise(SIGUSR1);
				_exit(below() ? 3 : ran ? 0 : 4);
			}
			waitpid(p, &st, 0);
			snprintf(now, sizeof(now), "%s",
				 WIFSIGNALED(st) ? (WTERMSIG(st) == SIGSEGV ?
							    "killed by SIGSEGV" : "killed") :
				 WEXITSTATUS(st) == 0 ? "handler ran" :
				 WEXITSTATUS(st) == 3 ? "wrote below ss_sp" : "other");
			if (strcmp(now, last)) {
				printf("top-%zu size %zu on: %s\n", offs[o], size, now);
				snprintf(last, sizeof(last), "%s", now);
			}
		}
		last[0] = 0;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *c = argc > 1 ? argv[1] : "";

	if (!strcmp(c, "boundary"))
		return boundary();
	if (!strcmp(c, "segvmask"))
		return segvmask();
	if (!strcmp(c, "segvhandler")) {
		struct sigaction sa;

		setup(2048, 0);
		memset(&sa, 0, sizeof(sa));
		sa.sa_sigaction = h_segv;
		sa.sa_flags = SA_SIGINFO;
		sigaction(SIGSEGV, &sa, 0);
		on(SIGUSR1, h_ran, SA_ONSTACK);
		raise(SIGUSR1);
		say("returned\n");
		return 0;
	}
	if (!strcmp(c, "norestorer")) {
		/* the kernel's own sigaction, without SA_RESTORER (glibc's
		   always sets one): x86-64's frame cannot be set up, SIGSEGV */
		struct {
			void (*h)(int);
			unsigned long flags;
			void *restorer;
			unsigned long mask;
		} k = { h_ran, 0, 0, 0 };

		syscall(SYS_rt_sigaction, SIGUSR1, &k, 0, 8);
		raise(SIGUSR1);
		say(ran ? "handler ran\n" : "returned\n");
		return 0;
	}
	if (!strcmp(c, "nested") || !strcmp(c, "nested-segv")) {
		setup(getauxval(AT_MINSIGSTKSZ) + 512, 0);
		if (!strcmp(c, "nested-segv"))
			on(SIGSEGV, h_ran, 0);
		on(SIGUSR1, h_nest, SA_ONSTACK | SA_NODEFER);
		raise(SIGUSR1);
		say("returned\n");
		return 0;
	}
	fprintf(stderr, "usage: %s boundary|segvhandler|norestorer|nested|nested-segv|segvmask\n", argv[0]);
	return 2;
}
