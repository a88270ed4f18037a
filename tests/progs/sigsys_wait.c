/* SPDX-License-Identifier: MIT */
/*
 * sigsys_wait: SIGSYS sent to the process while it blocks it, then taken
 * with sigwaitinfo, alone and with other signals pending (the kernel
 * takes the synchronous ones first, SIGSEGV before SIGSYS, and both
 * before SIGUSR1), and a wait with a zero timeout once nothing is left.
 * Under limen SIGSYS is never really blocked (it is limen's): the one
 * sent waits in limen's hands, and the wait must find it there.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void take(const sigset_t *s, const char *what)
{
	siginfo_t si;
	struct timespec zero = { 0, 0 };
	int r;

	memset(&si, 0, sizeof(si));
	r = sigtimedwait(s, &si, &zero);
	if (r < 0)
		printf("%s: %s\n", what, strerror(errno));
	else
		printf("%s: %s code %d from us %d\n", what, strsignal(r),
		       si.si_code, si.si_pid == getpid());
}

int main(void)
{
	sigset_t s;

	sigemptyset(&s);
	sigaddset(&s, SIGSYS);
	sigaddset(&s, SIGUSR1);
	sigaddset(&s, SIGSEGV);
	sigprocmask(SIG_BLOCK, &s, NULL);

	kill(getpid(), SIGSYS);
	take(&s, "alone");
	take(&s, "then");

	kill(getpid(), SIGUSR1);
	kill(getpid(), SIGSYS);
	take(&s, "with SIGUSR1, first");
	take(&s, "with SIGUSR1, second");

	kill(getpid(), SIGSYS);
	kill(getpid(), SIGSEGV);
	take(&s, "with SIGSEGV, first");
	take(&s, "with SIGSEGV, second");
	take(&s, "nothing left");
	return 0;
}
