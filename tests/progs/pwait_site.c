/* SPDX-License-Identifier: MIT */
/*
 * The calls that swap the signal mask for their duration (epoll_pwait,
 * epoll_pwait2, ppoll, pselect6) from call sites of their own, hot: given
 * no mask, limen makes them from the rewritten site without a signal
 * frame (rewrite.c, frameless_ok), as the calls without the mask; given
 * one, the same site's call goes through SUD, whose hook swaps it. Prints
 * one line per check, the same bare and traced, then "sites XX XX XX XX":
 * the first byte of each site's `mov $nr,%eax` (b8 as built, e9 once
 * rewritten). tests/syscalls/pwait_site.t.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

long site_epoll_pwait(long, void *, long, long, const void *, long);
long site_epoll_pwait2(long, void *, long, const void *, const void *, long);
long site_ppoll(void *, long, const void *, const void *, long);
long site_pselect6(long, void *, void *, void *, const void *, const void *);

/* the fourth argument in r10, then the number: the form limen rewrites */
#define SITE(name, nr)                                  \
	".globl " #name "\n"                            \
	".type " #name ", @function\n" #name ":\n"       \
	"	mov %rcx, %r10\n"                        \
	"	mov $" #nr ", %eax\n"                    \
	"	syscall\n"                               \
	"	ret\n"                                   \
	".size " #name ", .-" #name "\n"

__asm__(".text\n" SITE(site_epoll_pwait, 281) SITE(site_epoll_pwait2, 441)
		SITE(site_ppoll, 271) SITE(site_pselect6, 270));

#define BIT(s) (1ull << ((s) - 1))

static int fails;
static volatile sig_atomic_t alrm, usr1;

static void check(int ok, const char *name, long got)
{
	if (ok)
		printf("ok %s\n", name);
	else {
		fails++;
		printf("FAIL %s: got %ld\n", name, got);
	}
}

static void on_alrm(int sig)
{
	(void)sig;
	alrm++;
}

static void on_usr1(int sig)
{
	(void)sig;
	usr1++;
}

static int mov_byte(void *site)
{
	return ((const unsigned char *)site)[3]; /* after mov %rcx,%r10 */
}

int main(void)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 0x1234 }, out;
	struct timespec zero = { 0, 0 }, ms = { 0, 1000000 };
	struct itimerval it = { { 0, 0 }, { 0, 20000 } };
	struct sigaction sa;
	uint64_t usr1set = BIT(SIGUSR1);
	struct { const void *ss; size_t len; } ps = { 0, 8 };
	int p[2], ep, bad = 0;
	long r, n;
	pid_t child;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alrm;
	sigaction(SIGALRM, &sa, 0);
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, 0);
	if (pipe(p) || (ep = epoll_create1(0)) < 0 ||
	    epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev))
		return 2;

	/* hot, nothing ready: rewritten by their second call */
	for (n = 0; n < 3000; n++) {
		struct pollfd pf = { p[0], POLLIN, 0 };
		fd_set rd;

		FD_ZERO(&rd);
		FD_SET(p[0], &rd);
		bad |= site_epoll_pwait(ep, &out, 1, 0, 0, 8) != 0;
		bad |= site_ppoll(&pf, 1, &zero, 0, 8) != 0;
		bad |= site_pselect6(p[0] + 1, &rd, 0, 0, &zero, 0) != 0;
		FD_SET(p[0], &rd);
		bad |= site_pselect6(p[0] + 1, &rd, 0, 0, &zero, &ps) != 0;
	}
	check(!bad, "no_mask_nothing_ready_3000_times", bad);
	r = site_epoll_pwait2(ep, &out, 1, &zero, 0, 8);
	r = site_epoll_pwait2(ep, &out, 1, &zero, 0, 8);
	check(r == 0 || r == -ENOSYS, "epoll_pwait2_no_mask_nothing_ready", r);

	/* ready: the events, revents and bits the kernel gives */
	if (write(p[1], "x", 1) != 1)
		return 2;
	memset(&out, 0, sizeof(out));
	r = site_epoll_pwait(ep, &out, 1, 0, 0, 8);
	check(r == 1 && out.events == EPOLLIN && out.data.u64 == 0x1234,
	      "epoll_pwait_reports_the_ready_pipe", r);
	{
		struct pollfd pf = { p[0], POLLIN, 0 };
		fd_set rd;

		r = site_ppoll(&pf, 1, &ms, 0, 8);
		check(r == 1 && pf.revents == POLLIN, "ppoll_reports_it", r);
		FD_ZERO(&rd);
		FD_SET(p[0], &rd);
		r = site_pselect6(p[0] + 1, &rd, 0, 0, &ms, &ps);
		check(r == 1 && FD_ISSET(p[0], &rd), "pselect6_reports_it", r);
	}
	if (read(p[0], &n, 1) != 1)
		return 2;

	/* blocked with no mask: a timer's signal ends it with EINTR, its
	   handler run once */
	setitimer(ITIMER_REAL, &it, 0);
	r = site_epoll_pwait(ep, &out, 1, 2000, 0, 8);
	check(r == -EINTR && alrm == 1,
	      "a_signal_ends_a_blocked_call_with_EINTR_after_its_handler", r);
	setitimer(ITIMER_REAL, &it, 0);
	{
		struct pollfd pf = { p[0], POLLIN, 0 };
		struct timespec two = { 2, 0 };

		r = site_ppoll(&pf, 1, &two, 0, 8);
		check(r == -EINTR && alrm == 2, "the_same_for_ppoll", r);
	}

	/* the same site given a mask: SIGUSR1 sent while the call blocks
	   it does not end the call, which times out; its handler runs as
	   the call returns, the mask put back */
	child = fork();
	if (child == 0) {
		usleep(50000);
		kill(getppid(), SIGUSR1);
		_exit(0);
	}
	r = site_epoll_pwait(ep, &out, 1, 300, &usr1set, 8);
	n = usr1;
	waitpid(child, 0, 0);
	check(r == 0 && n == 1,
	      "given_a_mask_its_signal_waits_for_the_call's_end", r);
	child = fork();
	if (child == 0) {
		usleep(50000);
		kill(getppid(), SIGUSR1);
		_exit(0);
	}
	{
		struct pollfd pf = { p[0], POLLIN, 0 };
		struct timespec t = { 0, 300000000 };

		r = site_ppoll(&pf, 1, &t, &usr1set, 8);
	}
	n = usr1;
	waitpid(child, 0, 0);
	check(r == 0 && n == 2, "the_same_given_a_mask_for_ppoll", r);

	printf("sites %02x %02x %02x %02x\n", mov_byte(site_epoll_pwait),
	       mov_byte(site_ppoll), mov_byte(site_pselect6),
	       mov_byte(site_epoll_pwait2));
	return fails != 0;
}
