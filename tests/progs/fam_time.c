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

/* --- expected-line helpers (each fam_*.c carries its own copy) ----------- */
static char exp_buf[1 << 17];
static size_t exp_len;
static int strsize = 32;	/* argv[3], the -s given to limen */
static int failures;

/* E(fmt, ...): one expected trace line. */
__attribute__((format(printf, 1, 2)))
static void E(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(exp_buf + exp_len, sizeof exp_buf - exp_len - 1, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof exp_buf - exp_len - 1) {
		fprintf(stderr, "expected buffer full\n");
		exit(3);
	}
	exp_len += n;
	exp_buf[exp_len++] = '\n';
}

/* Rotating scratch strings for the formatters below. */
static char *scratch(void)
{
	static char bufs[16][4096];
	static int i;
	return bufs[i++ % 16];
}

/* qs(buf, n): the buffer as strace quotes it with -s strsize. */
__attribute__((unused)) static const char *qs(const void *p, size_t n)
{
	const unsigned char *s = p;
	char *o = scratch(), *q = o;
	size_t i, m = n < (size_t)strsize ? n : (size_t)strsize;

	*q++ = '"';
	for (i = 0; i < m; i++) {
		unsigned c = s[i];
		switch (c) {
		case '"': q += sprintf(q, "\\\""); break;
		case '\\': q += sprintf(q, "\\\\"); break;
		case '\t': q += sprintf(q, "\\t"); break;
		case '\n': q += sprintf(q, "\\n"); break;
		case '\v': q += sprintf(q, "\\v"); break;
		case '\f': q += sprintf(q, "\\f"); break;
		case '\r': q += sprintf(q, "\\r"); break;
		default:
			if (c >= 32 && c < 127)
				*q++ = c;
			else if (i + 1 < m && s[i + 1] >= '0' && s[i + 1] <= '7')
				q += sprintf(q, "\\%03o", c);
			else
				q += sprintf(q, "\\%o", c);
		}
	}
	*q++ = '"';
	if (n > m)
		q += sprintf(q, "...");
	*q = 0;
	return o;
}

/* P(ptr): a pointer as strace prints it. */
__attribute__((unused)) static const char *P(const void *p)
{
	char *o = scratch();
	if (!p)
		return "NULL";
	sprintf(o, "%p", p);
	return o;
}

/* ERR(e): "-1 ENAME (text)". */
static const char *ERR(int e)
{
	char *o = scratch();
	sprintf(o, "-1 %s (%s)", strerrorname_np(e), strerror(e));
	return o;
}

/* R(ret): the return of a raw syscall, "N" or "-1 ENAME (text)". */
static int last_errno;
static const char *R(long r)
{
	char *o = scratch();
	if (r == -1) {
		return ERR(last_errno);
	}
	sprintf(o, "%ld", r);
	return o;
}

/* S(...): a raw syscall that remembers errno for R(). */
static long _sret;
#define S(...) ({ errno = 0; _sret = syscall(__VA_ARGS__); last_errno = errno; _sret; })

/* CHECK(cond): the call behaved as the test assumes. */
#define CHECK(cond) do { if (!(cond)) { \
	fprintf(stderr, "%s:%d: check failed: %s (errno %d %s)\n", __FILE__, \
		__LINE__, #cond, last_errno, strerror(last_errno)); failures++; } \
	} while (0)

static void write_expected(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, exp_buf, exp_len) != (ssize_t)exp_len) {
		perror(path);
		exit(3);
	}
	close(fd);
}
/* --- end of helpers ------------------------------------------------------ */

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
	E("times({tms_utime=%ld, tms_stime=%ld, tms_cutime=%ld, tms_cstime=%ld}) = %ld",
	  (long)tm.tms_utime, (long)tm.tms_stime, (long)tm.tms_cutime, (long)tm.tms_cstime, r);

	write_expected(argv[2]);
	return failures ? 1 : 0;
}
