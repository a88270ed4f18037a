/* SPDX-License-Identifier: MIT */
/*
 * limen's plain-load reads of the program's memory (src/runtime/safe.c) seen
 * from the program: tests/syscalls/safecopy.t.
 *   safecopy paths         open()s with pointers good and bad: NULL+1, an
 *       unmapped page, a string running into an unmapped page, a PROT_NONE
 *       page, kernel and non-canonical addresses; twice, with SIGSEGV
 *       blocked (limen's reads then stay on process_vm_readv), then not;
 *       prints each errno
 *   safecopy handler       the program's own SIGSEGV handler, with bad
 *       pointers passed to open meanwhile: only its own fault reaches it
 *   safecopy resethand     SA_RESETHAND: the first fault handled, the second
 *       kills
 *   safecopy dfl | ign     a fault with SIG_DFL / SIG_IGN: killed by SIGSEGV
 *   safecopy ignkill       kill(self, SIGSEGV) with SIG_IGN: ignored
 *   safecopy dflkill       kill(self, SIGBUS) with SIG_DFL: killed by it
 *   safecopy bus           SIGBUS from a file mapping past the end of the
 *       file, after open()s reading the same page: killed by SIGBUS
 *   safecopy view          what sigaction shows of SIGSEGV and SIGBUS
 *   safecopy loop N        N open()s of one path, to count limen's
 *       process_vm_readv calls
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static sigjmp_buf back;
static volatile sig_atomic_t faults;

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	faults++;
	printf("handler: sig %d code %d addr %s\n", sig, si->si_code,
	       si->si_addr == (void *)16 ? "16" : "other");
	fflush(stdout);
	siglongjmp(back, 1);
}

static void try_open(const char *what, const char *p)
{
	int fd = open(p, O_RDONLY);

	printf("%s: %s\n", what, fd >= 0 ? "opened" : strerror(errno));
	if (fd >= 0)
		close(fd);
}

/* two pages, the second unmapped; the string fills the end of the first.
 * Far from where mappings go (top down, below the libraries), so that no
 * later mapping (the program's or limen's) fills the hole. */
#define EDGE_AT ((void *)0x300000000000ul)

static char *edge(void)
{
	char *m = mmap(EDGE_AT, 8192, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

	if (m == MAP_FAILED)
		exit(2);
	munmap(m + 4096, 4096);
	memset(m, 'a', 4096);
	memcpy(m, "/etc/", 5);
	return m;
}

static char *e, *none;

static void opens(void)
{
	if (!e) {
		e = edge();
		none = mmap(0, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
			    -1, 0);
	}

	try_open("good", "/etc/hostname");
	try_open("null+1", (const char *)1);
	try_open("unmapped", e + 4096);
	try_open("into unmapped", e + 4096 - 10);
	try_open("long into unmapped", e);
	try_open("prot_none", none);
	try_open("kernel", (const char *)0xffffffffff600000ull);
	try_open("noncanonical", (const char *)0x8000000000000000ull);
}

static void crash(void)
{
	*(volatile int *)16 = 1;
}

int main(int argc, char **argv)
{
	const char *m = argc > 1 ? argv[1] : "paths";
	struct sigaction sa;

	setvbuf(stdout, 0, _IOLBF, 0);
	memset(&sa, 0, sizeof(sa));
	if (!strcmp(m, "paths")) {
		sigset_t s;

		sigemptyset(&s);
		sigaddset(&s, SIGSEGV);
		sigaddset(&s, SIGBUS);
		sigprocmask(SIG_BLOCK, &s, 0);
		opens();
		sigprocmask(SIG_UNBLOCK, &s, 0);
		opens();
		return 0;
	}
	if (!strcmp(m, "handler") || !strcmp(m, "resethand")) {
		sa.sa_sigaction = on_segv;
		sa.sa_flags = SA_SIGINFO;
		if (!strcmp(m, "resethand"))
			sa.sa_flags |= SA_RESETHAND;
		sigaction(SIGSEGV, &sa, 0);
		opens();
		if (!sigsetjmp(back, 1))
			crash();
		opens();
		if (!sigsetjmp(back, 1))
			crash();
		printf("faults %d\n", (int)faults);
		return 0;
	}
	if (!strcmp(m, "dfl")) {
		opens();
		crash();
		return 0;
	}
	if (!strcmp(m, "ign") || !strcmp(m, "ignkill")) {
		sa.sa_handler = SIG_IGN;
		sigaction(SIGSEGV, &sa, 0);
		opens();
		if (!strcmp(m, "ignkill")) {
			kill(getpid(), SIGSEGV);
			printf("still here\n");
			return 0;
		}
		crash();
		return 0;
	}
	if (!strcmp(m, "dflkill")) {
		opens();
		kill(getpid(), SIGBUS);
		printf("still here\n");
		return 0;
	}
	if (!strcmp(m, "bus")) {
		char path[] = "/tmp/limen-safecopy-XXXXXX";
		int fd = mkstemp(path);
		volatile char *p;

		if (fd < 0 || ftruncate(fd, 4096) < 0)
			return 2;
		p = mmap(0, 8192, PROT_READ, MAP_SHARED, fd, 0);
		unlink(path);
		if (p == MAP_FAILED)
			return 2;
		try_open("past eof", (const char *)p + 4096);
		printf("read %d\n", p[4096]);
		return 0;
	}
	if (!strcmp(m, "view")) {
		int sigs[] = { SIGSEGV, SIGBUS };

		for (int i = 0; i < 2; i++) {
			sigaction(sigs[i], 0, &sa);
			printf("sig %d handler %s flags %#x\n", sigs[i],
			       sa.sa_handler == SIG_DFL ? "dfl" : "other",
			       sa.sa_flags);
		}
		sa.sa_sigaction = on_segv;
		sa.sa_flags = SA_SIGINFO | SA_RESETHAND | SA_NODEFER;
		sigaction(SIGSEGV, &sa, 0);
		{
			struct sigaction ign, old;

			memset(&ign, 0, sizeof(ign));
			ign.sa_handler = SIG_IGN;
			sigaction(SIGSEGV, &ign, &old);
			printf("old: %s flags %#x\n",
			       old.sa_sigaction == on_segv ? "on_segv" :
							     "other",
			       old.sa_flags);
		}
		sigaction(SIGSEGV, 0, &sa);
		printf("now: %s\n", sa.sa_handler == SIG_IGN ? "ign" : "other");
		return 0;
	}
	if (!strcmp(m, "loop")) {
		long n = argc > 2 ? atol(argv[2]) : 100;

		for (long i = 0; i < n; i++)
			try_open("loop", "/etc/hostname");
		return 0;
	}
	return 2;
}
