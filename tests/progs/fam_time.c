/* SPDX-License-Identifier: MIT */
/*
 * Time family, end to end: clock_gettime/clock_getres, gettimeofday, time,
 * nanosleep, clock_nanosleep (relative and absolute), itimers, alarm, POSIX
 * timers, timerfd, times, and errors. Values the kernel returns (the time
 * of day, timer remainders) are printed as the program received them. Each
 * call is made with raw syscall() and the exact line `limen trace` must
 * print for it is written to argv[2]. See tests/syscalls/fam_time.t.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <sys/times.h>
#include <time.h>
#include <unistd.h>

#include "fam.h"

/* A clock_t count as strace shows it: with the seconds when not 0 (a
   loaded machine gives this program a tick of CPU time now and then) */
static const char *TICKS(clock_t v)
{
	static char b[4][64];
	static int i;
	char *o = b[i++ % 4];

	if (v)
		snprintf(o, 64, "%ld /* %ld.%02ld s */", (long)v, (long)v / 100,
			 (long)v % 100);
	else
		snprintf(o, 64, "0");
	return o;
}

static const char *TS(const struct timespec *t)
{
	char *o = scratch();
	sprintf(o, "{tv_sec=%lld, tv_nsec=%ld}", (long long)t->tv_sec, t->tv_nsec);
	return o;
}

static const char *TV(const struct timeval *t)
{
	char *o = scratch();
	sprintf(o, "{tv_sec=%lld, tv_usec=%ld}", (long long)t->tv_sec, (long)t->tv_usec);
	return o;
}

/* a time_t as strace comments it: 2026-01-02T03:04:05+0000 (local time) */
static const char *ISO(time_t t)
{
	char *o = scratch();
	struct tm tmv;
	strftime(o, 64, "%Y-%m-%dT%H:%M:%S%z", localtime_r(&t, &tmv));
	return o;
}

int main(int argc, char **argv)
{
	struct timespec ts, ts2;
	struct timeval tv;
	struct itimerval it, oit;
	struct itimerspec its, oits;
	struct sigevent sev;
	struct tms tm;
	long r, t;
	int tid, fd;

	if (argc < 3) {
		fprintf(stderr, "usage: %s WORKDIR EXPECTED\n", argv[0]);
		return 2;
	}

	r = S(SYS_clock_gettime, CLOCK_REALTIME, &ts);
	CHECK(r == 0);
	E("clock_gettime(CLOCK_REALTIME, %s) = %s", TS(&ts), R(r));
	r = S(SYS_clock_gettime, CLOCK_MONOTONIC, &ts);
	E("clock_gettime(CLOCK_MONOTONIC, %s) = %s", TS(&ts), R(r));
	r = S(SYS_clock_gettime, CLOCK_BOOTTIME, &ts);
	E("clock_gettime(CLOCK_BOOTTIME, %s) = %s", TS(&ts), R(r));
	r = S(SYS_clock_getres, CLOCK_MONOTONIC, &ts);
	CHECK(r == 0);
	E("clock_getres(CLOCK_MONOTONIC, %s) = %s", TS(&ts), R(r));
	r = S(SYS_clock_gettime, 12345, &ts);
	CHECK(r == -1 && last_errno == EINVAL);
	E("clock_gettime(0x3039 /* CLOCK_??? */, %s) = %s", P(&ts), R(r));
	r = S(SYS_clock_gettime, CLOCK_REALTIME, (void *)0x1);
	CHECK(r == -1 && last_errno == EFAULT);
	E("clock_gettime(CLOCK_REALTIME, 0x1) = %s", R(r));

	r = S(SYS_gettimeofday, &tv, NULL);
	CHECK(r == 0);
	E("gettimeofday(%s, NULL) = %s", TV(&tv), R(r));
	t = 0;
	r = S(SYS_time, &t);
	CHECK(r > 0 && r == t);
	E("time([%ld /* %s */]) = %ld (%s)", t, ISO(t), r, ISO(r));
	r = S(SYS_time, NULL);
	E("time(NULL) = %ld (%s)", r, ISO(r));

	ts.tv_sec = 0;
	ts.tv_nsec = 1000;
	r = S(SYS_nanosleep, &ts, NULL);
	CHECK(r == 0);
	E("nanosleep({tv_sec=0, tv_nsec=1000}, NULL) = %s", R(r));
	ts.tv_nsec = 1000000000;
	r = S(SYS_nanosleep, &ts, &ts2);
	CHECK(r == -1 && last_errno == EINVAL);
	E("nanosleep({tv_sec=0, tv_nsec=1000000000}, %s) = %s", P(&ts2), R(r));
	ts.tv_nsec = 2000;
	r = S(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &ts, NULL);
	CHECK(r == 0);
	E("clock_nanosleep(CLOCK_MONOTONIC, 0, {tv_sec=0, tv_nsec=2000}, NULL) = %s", R(r));
	ts.tv_sec = 1;
	ts.tv_nsec = 5;
	r = S(SYS_clock_nanosleep, CLOCK_REALTIME, TIMER_ABSTIME, &ts, NULL);
	CHECK(r == 0);
	E("clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, {tv_sec=1, tv_nsec=5}, NULL) = %s", R(r));

	/* interval timers */
	memset(&it, 0, sizeof it);
	it.it_value.tv_sec = 100;
	it.it_interval.tv_usec = 500;
	r = S(SYS_setitimer, ITIMER_REAL, &it, &oit);
	CHECK(r == 0);
	E("setitimer(ITIMER_REAL, {it_interval={tv_sec=0, tv_usec=500}, it_value={tv_sec=100, "
	  "tv_usec=0}}, {it_interval=%s, it_value=%s}) = %s", TV(&oit.it_interval),
	  TV(&oit.it_value), R(r));
	r = S(SYS_getitimer, ITIMER_REAL, &oit);
	CHECK(r == 0);
	E("getitimer(ITIMER_REAL, {it_interval=%s, it_value=%s}) = %s", TV(&oit.it_interval),
	  TV(&oit.it_value), R(r));
	memset(&it, 0, sizeof it);
	r = S(SYS_setitimer, ITIMER_REAL, &it, NULL);
	E("setitimer(ITIMER_REAL, {it_interval={tv_sec=0, tv_usec=0}, it_value={tv_sec=0, "
	  "tv_usec=0}}, NULL) = %s", R(r));
	r = S(SYS_alarm, 50);
	CHECK(r == 0);
	E("alarm(50) = %s", R(r));
	r = S(SYS_alarm, 0);
	CHECK(r == 50 || r == 49);
	E("alarm(0) = %s", R(r));

	/* POSIX timers */
	memset(&sev, 0, sizeof sev);
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = SIGUSR1;
	sev.sigev_value.sival_int = 7;
	r = S(SYS_timer_create, CLOCK_MONOTONIC, &sev, &tid);
	CHECK(r == 0);
	E("timer_create(CLOCK_MONOTONIC, {sigev_value={sival_int=7, sival_ptr=0x7}, "
	  "sigev_signo=SIGUSR1, sigev_notify=SIGEV_SIGNAL}, [%d]) = %s", tid, R(r));
	memset(&its, 0, sizeof its);
	its.it_value.tv_sec = 30;
	r = S(SYS_timer_settime, tid, 0, &its, NULL);
	CHECK(r == 0);
	E("timer_settime(%d, 0, {it_interval={tv_sec=0, tv_nsec=0}, it_value={tv_sec=30, "
	  "tv_nsec=0}}, NULL) = %s", tid, R(r));
	r = S(SYS_timer_gettime, tid, &oits);
	CHECK(r == 0);
	E("timer_gettime(%d, {it_interval=%s, it_value=%s}) = %s", tid, TS(&oits.it_interval),
	  TS(&oits.it_value), R(r));
	r = S(SYS_timer_delete, tid);
	CHECK(r == 0);
	E("timer_delete(%d) = %s", tid, R(r));
	r = S(SYS_timer_delete, tid);
	CHECK(r == -1 && last_errno == EINVAL);
	E("timer_delete(%d) = %s", tid, R(r));

	/* timerfd */
	fd = S(SYS_timerfd_create, CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	CHECK(fd >= 0);
	E("timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC|TFD_NONBLOCK) = %s", R(fd));
	memset(&its, 0, sizeof its);
	its.it_value.tv_sec = 60;
	its.it_interval.tv_nsec = 250000000;
	r = S(SYS_timerfd_settime, fd, 0, &its, &oits);
	CHECK(r == 0);
	E("timerfd_settime(%d, 0, {it_interval={tv_sec=0, tv_nsec=250000000}, it_value={tv_sec=60, "
	  "tv_nsec=0}}, {it_interval={tv_sec=0, tv_nsec=0}, it_value={tv_sec=0, tv_nsec=0}}) = %s",
	  fd, R(r));
	r = S(SYS_timerfd_gettime, fd, &oits);
	CHECK(r == 0);
	E("timerfd_gettime(%d, {it_interval=%s, it_value=%s}) = %s", fd, TS(&oits.it_interval),
	  TS(&oits.it_value), R(r));
	S(SYS_close, fd);
	E("close(%d) = 0", fd);

	r = S(SYS_times, &tm);
	E("times({tms_utime=%s, tms_stime=%s, tms_cutime=%s, tms_cstime=%s}) = %ld",
	  TICKS(tm.tms_utime), TICKS(tm.tms_stime), TICKS(tm.tms_cutime),
	  TICKS(tm.tms_cstime), r);

	write_expected(argv[2]);
	return failures ? 1 : 0;
}
