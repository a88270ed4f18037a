/* SPDX-License-Identifier: MIT */
/*
 * sigaltstack(2) as the program sees it, rule by rule as the kernel states
 * them: none at start (SS_DISABLE), too small is ENOMEM, bad flags EINVAL,
 * SS_ONSTACK and EPERM for a change while running on it, SS_AUTODISARM
 * reported back and honoured (disarmed inside the handler, back after it),
 * and an SA_ONSTACK handler that interrupts a blocking read() runs on the
 * alternate stack too.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef SS_AUTODISARM
#define SS_AUTODISARM (1U << 31)
#endif
#define ALT 65536

static char *alt;
static int p[2];
static volatile int in_alt, flags_inside, eperm, got, autodisarm_inside;

static int on_alt(const void *x)
{
	return (uintptr_t)x >= (uintptr_t)alt && (uintptr_t)x < (uintptr_t)alt + ALT;
}

static void handler(int sig)
{
	volatile char local;
	stack_t q, n;

	in_alt = on_alt((const void *)&local);
	sigaltstack(NULL, &q);
	flags_inside = q.ss_flags;
	n.ss_sp = alt;
	n.ss_size = ALT / 2;
	n.ss_flags = 0;
	eperm = sigaltstack(&n, NULL) == -1 && errno == EPERM;
	got++;
}

static void show(const char *what)
{
	printf("%s: handler ran %d, on the alt stack: %s, flags inside: %s%s%s, "
	       "change inside: %s\n", what, got, in_alt ? "yes" : "no",
	       flags_inside & SS_ONSTACK ? "SS_ONSTACK" : "",
	       flags_inside & SS_DISABLE ? "SS_DISABLE" : "",
	       flags_inside == 0 ? "0" : "", eperm ? "EPERM" : "allowed");
	got = in_alt = flags_inside = eperm = 0;
}

static void *kicker(void *arg)
{
	pthread_t *m = arg;
	char path[64], buf[64];

	snprintf(path, sizeof path, "/proc/%d/task/%d/syscall", getpid(),
		 getpid());
	for (int i = 0; i < 5000; i++) {
		FILE *f = fopen(path, "r");
		int n = 0;

		if (f) {
			n = fread(buf, 1, sizeof buf - 1, f);
			fclose(f);
		}
		buf[n > 0 ? n : 0] = 0;
		if (!strncmp(buf, "0 ", 2))
			break;
		usleep(1000);
	}
	pthread_kill(*m, SIGUSR1);
	return NULL;
}

int main(void)
{
	struct sigaction sa;
	stack_t ss, q;
	pthread_t t, self = pthread_self();
	char c;
	int r;

	setvbuf(stdout, NULL, _IONBF, 0);
	alt = mmap(NULL, ALT, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = handler;
	sa.sa_flags = SA_ONSTACK;
	sigaction(SIGUSR1, &sa, NULL);

	memset(&q, 0x55, sizeof q);
	r = sigaltstack(NULL, &q);
	printf("at start: r=%d sp=%p size=%zu flags=%s\n", r, q.ss_sp,
	       q.ss_size, q.ss_flags == SS_DISABLE ? "SS_DISABLE" : "other");

	ss.ss_sp = alt;
	ss.ss_size = 1024;
	ss.ss_flags = 0;
	r = sigaltstack(&ss, NULL);
	printf("1 KiB: r=%d %s\n", r, r ? strerror(errno) : "");
	ss.ss_size = ALT;
	ss.ss_flags = 0x1234;
	r = sigaltstack(&ss, NULL);
	printf("bad flags: r=%d %s\n", r, r ? strerror(errno) : "");
	ss.ss_flags = 0;
	r = sigaltstack(&ss, &q);
	printf("set: r=%d, old flags %s\n", r,
	       q.ss_flags == SS_DISABLE ? "SS_DISABLE" : "other");
	r = sigaltstack(NULL, &q);
	printf("query: sp is ours: %s, size %zu, flags %d\n",
	       q.ss_sp == alt ? "yes" : "no", q.ss_size, q.ss_flags);

	raise(SIGUSR1);
	show("raise");

	if (pipe(p))
		return 1;
	pthread_create(&t, NULL, kicker, &self);
	r = read(p[0], &c, 1);
	printf("read: r=%d %s\n", r, r < 0 ? strerror(errno) : "");
	pthread_join(t, NULL);
	show("blocking read");

	ss.ss_flags = SS_AUTODISARM;
	r = sigaltstack(&ss, NULL);
	sigaltstack(NULL, &q);
	printf("SS_AUTODISARM: r=%d, reported %s\n", r,
	       q.ss_flags == (int)SS_AUTODISARM ? "SS_AUTODISARM" : "other");
	raise(SIGUSR1);
	show("autodisarm");
	sigaltstack(NULL, &q);
	printf("after the handler: flags %s, sp is ours: %s\n",
	       q.ss_flags == (int)SS_AUTODISARM ? "SS_AUTODISARM" : "other",
	       q.ss_sp == alt ? "yes" : "no");

	ss.ss_flags = SS_DISABLE;
	r = sigaltstack(&ss, NULL);
	sigaltstack(NULL, &q);
	printf("disable: r=%d, flags %s\n", r,
	       q.ss_flags == SS_DISABLE ? "SS_DISABLE" : "other");
	return 0;
}
