/* SPDX-License-Identifier: MIT */
/*
 * rt_sigprocmask from a call site of its own (`mov $14,%eax; syscall`, the
 * form limen rewrites), hot: under limen its calls take the rewritten way,
 * without a signal frame (signals.c, sigprocmask_frameless), once the site
 * is rewritten, and must do what the kernel's call does. Prints one line
 * per check, the same bare and traced, then "site XX": the first byte of
 * its `mov $14,%eax` (b8 as built, e9 once rewritten). tests/syscalls/sigmask_site.t.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

long site_sigprocmask(long how, const void *set, void *old, long size);

__asm__(".text\n"
	".globl site_sigprocmask\n"
	".type site_sigprocmask, @function\n"
	"site_sigprocmask:\n"
	".cfi_startproc\n"
	"	mov %rcx, %r10\n"
	"	mov $14, %eax\n"
	"	syscall\n"
	"	ret\n"
	".cfi_endproc\n"
	".size site_sigprocmask, .-site_sigprocmask\n");

#define BIT(s) (1ull << ((s) - 1))

static int fails;
static volatile sig_atomic_t usr1, alrm, alrm_blocked;
static volatile int blocked_now;

static void check(int ok, const char *name, uint64_t got, uint64_t want)
{
	if (ok) {
		printf("ok %s\n", name);
		return;
	}
	fails++;
	printf("FAIL %s: got %#llx want %#llx\n", name,
	       (unsigned long long)got, (unsigned long long)want);
}

static uint64_t mask_now(void)
{
	uint64_t m = 0;

	site_sigprocmask(SIG_BLOCK, 0, &m, 8);
	return m;
}

static void on_usr1(int sig)
{
	(void)sig;
	usr1++;
}

static void on_alrm(int sig)
{
	(void)sig;
	alrm++;
	if (blocked_now)
		alrm_blocked++;
}

/* the mask it started with, then its own change */
static void *other_thread(void *arg)
{
	uint64_t m = mask_now(), set = BIT(SIGUSR2), hup = BIT(SIGHUP);

	*(uint64_t *)arg = m;
	site_sigprocmask(SIG_UNBLOCK, &set, 0, 8);
	site_sigprocmask(SIG_BLOCK, &hup, 0, 8);
	return 0;
}

int main(void)
{
	uint64_t base, set, old, m;
	long r, n;
	struct sigaction sa;
	struct itimerval it = { { 0, 50 }, { 0, 50 } };
	pthread_t t;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, 0);
	sa.sa_handler = on_alrm;
	sigaction(SIGALRM, &sa, 0);
	/* hot before the checks: rewritten at its second call under limen */
	for (n = 0; n < 100; n++)
		base = mask_now();

	/* the old set is the mask before each change; the change holds */
	set = BIT(SIGUSR2) | BIT(SIGHUP);
	for (n = 0, r = 0; n < 3000; n++) {
		r |= site_sigprocmask(SIG_BLOCK, &set, &old, 8);
		r |= old != base;
		r |= site_sigprocmask(SIG_SETMASK, &old, &m, 8);
		r |= m != (base | set);
	}
	check(!r && mask_now() == base, "block_and_setmask_3000_times", r,
	      0);
	site_sigprocmask(SIG_BLOCK, &set, 0, 8);
	site_sigprocmask(SIG_UNBLOCK, &(uint64_t){ BIT(SIGHUP) }, &old, 8);
	check(old == (base | set) && mask_now() == (base | BIT(SIGUSR2)),
	      "unblock_takes_out_only_its_set", mask_now(),
	      base | BIT(SIGUSR2));
	site_sigprocmask(SIG_SETMASK, &base, 0, 8);

	/* a signal sent while blocked waits, and comes when unblocked,
	   before the unblocking call's caller goes on */
	set = BIT(SIGUSR1);
	site_sigprocmask(SIG_BLOCK, &set, 0, 8);
	raise(SIGUSR1);
	sigpending((sigset_t *)&m);
	check(usr1 == 0 && (m & BIT(SIGUSR1)), "a_blocked_signal_is_pending",
	      usr1, 0);
	site_sigprocmask(SIG_UNBLOCK, &set, 0, 8);
	check(usr1 == 1, "unblocking_delivers_it_before_the_call_returns",
	      usr1, 1);

	/* SIGKILL and SIGSTOP are not blocked */
	set = BIT(SIGKILL) | BIT(SIGSTOP) | BIT(SIGUSR2);
	site_sigprocmask(SIG_SETMASK, &set, 0, 8);
	m = mask_now();
	check(m == BIT(SIGUSR2), "sigkill_and_sigstop_stay_unblocked", m,
	      BIT(SIGUSR2));
	site_sigprocmask(SIG_SETMASK, &base, 0, 8);

	/* a signal limen keeps for itself (SIGSEGV, SIGSYS): blocked as the
	   program sees it, through every way of asking */
	set = BIT(SIGSEGV) | BIT(SIGSYS);
	site_sigprocmask(SIG_BLOCK, &set, 0, 8);
	m = mask_now();
	check((m & set) == set, "owned_signals_show_blocked", m, set);
	site_sigprocmask(SIG_SETMASK, &m, &old, 8);
	sigprocmask(SIG_BLOCK, 0, (sigset_t *)&old);
	check((old & set) == set, "and_stay_so_through_a_setmask_of_the_same",
	      old, set);
	site_sigprocmask(SIG_UNBLOCK, &set, 0, 8);
	m = mask_now();
	check(!(m & set), "owned_signals_unblocked_again", m, 0);

	/* errors as the kernel's, in its order */
	errno = 0;
	r = site_sigprocmask(SIG_BLOCK, &base, 0, 4);
	check(r == -EINVAL, "a_size_other_than_8_is_EINVAL", r, -EINVAL);
	r = site_sigprocmask(7, &base, 0, 8);
	check(r == -EINVAL, "a_bad_how_is_EINVAL", r, -EINVAL);
	r = site_sigprocmask(7, 0, &old, 8);
	check(r == 0, "a_bad_how_without_a_set_is_a_query", r, 0);
	r = site_sigprocmask(SIG_BLOCK, (void *)8, 0, 8);
	check(r == -EFAULT, "an_unreadable_set_is_EFAULT", r, -EFAULT);
	set = BIT(SIGUSR2);
	r = site_sigprocmask(SIG_BLOCK, &set, (void *)8, 8);
	m = mask_now();
	check(r == -EFAULT && (m & set),
	      "an_unwritable_old_set_is_EFAULT_after_the_change", r,
	      -EFAULT);
	site_sigprocmask(SIG_SETMASK, &base, 0, 8);

	/* another thread's mask is its own: it starts with ours, and its
	   changes are not ours (one after the other: the trace's order is
	   the same in every run) */
	set = BIT(SIGUSR2);
	site_sigprocmask(SIG_BLOCK, &set, 0, 8);
	pthread_create(&t, 0, other_thread, &m);
	pthread_join(t, 0);
	old = mask_now();
	check(m == (base | set) && old == (base | set),
	      "a_new_thread_inherits_the_mask_and_keeps_its_own", m,
	      base | set);
	site_sigprocmask(SIG_SETMASK, &base, 0, 8);

	/* a timer every 50 us while the program blocks and unblocks: its
	   handler never runs where the program blocks it */
	set = BIT(SIGALRM);
	setitimer(ITIMER_REAL, &it, 0);
	for (n = 0; n < 20000 && alrm < 200; n++) {
		site_sigprocmask(SIG_BLOCK, &set, 0, 8);
		blocked_now = 1;
		for (volatile int k = 0; k < 50; k++)
			;
		blocked_now = 0;
		site_sigprocmask(SIG_UNBLOCK, &set, 0, 8);
	}
	it.it_value.tv_usec = it.it_interval.tv_usec = 0;
	setitimer(ITIMER_REAL, &it, 0);
	check(alrm > 0 && alrm_blocked == 0,
	      "a_timer's_handler_never_runs_while_its_signal_is_blocked",
	      alrm_blocked, 0);
	site_sigprocmask(SIG_SETMASK, &base, 0, 8);

	/* after the 3 bytes of mov %rcx,%r10: the mov of the number */
	printf("site %02x\n", ((const unsigned char *)site_sigprocmask)[3]);
	return fails != 0;
}
