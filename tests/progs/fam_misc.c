/* SPDX-License-Identifier: MIT */
/*
 * Miscellaneous family, end to end: poll/ppoll (struct pollfd in and out),
 * select, epoll, eventfd2, getrandom, memfd_create, ioctl(FIONREAD),
 * getgroups, personality, arch_prctl, errors. Each call is made with raw
 * syscall() and the exact line `limen trace` must print for it is written to
 * argv[2]. See tests/syscalls/fam_misc.t.
 */
#include <asm/prctl.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/select.h>
#include <sys/syscall.h>
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

int main(int argc, char **argv)
{
	int p[2], ep, efd, mfd, n;
	struct pollfd pf[2];
	struct epoll_event ev, evs[4];
	struct timespec ts;
	unsigned char rnd[8];
	unsigned long long cnt;
	long r;

	if (argc < 3) {
		fprintf(stderr, "usage: %s WORKDIR EXPECTED\n", argv[0]);
		return 2;
	}

	r = S(SYS_pipe2, p, O_NONBLOCK);
	CHECK(r == 0);
	E("pipe2([%d, %d], O_NONBLOCK) = %s", p[0], p[1], R(r));

	/* poll: nothing to read yet, then data */
	pf[0].fd = p[0];
	pf[0].events = POLLIN;
	pf[1].fd = p[1];
	pf[1].events = POLLOUT;
	r = S(SYS_poll, pf, 1, 0);
	CHECK(r == 0);
	E("poll([{fd=%d, events=POLLIN}], 1, 0) = 0 (Timeout)", p[0]);
	r = S(SYS_poll, pf, 2, 0);
	CHECK(r == 1);
	E("poll([{fd=%d, events=POLLIN}, {fd=%d, events=POLLOUT}], 2, 0) = 1 ([{fd=%d, "
	  "revents=POLLOUT}])", p[0], p[1], p[1]);
	r = S(SYS_write, p[1], "abc", 3);
	E("write(%d, \"abc\", 3) = %s", p[1], R(r));
	ts.tv_sec = 1;
	ts.tv_nsec = 0;
	r = S(SYS_ppoll, pf, 2, &ts, NULL, 8);
	CHECK(r == 2);
	E("ppoll([{fd=%d, events=POLLIN}, {fd=%d, events=POLLOUT}], 2, {tv_sec=1, tv_nsec=0}, "
	  "NULL, 8) = 2 ([{fd=%d, revents=POLLIN}, {fd=%d, revents=POLLOUT}], left {tv_sec=%lld, "
	  "tv_nsec=%ld})", p[0], p[1], p[0], p[1], (long long)ts.tv_sec, ts.tv_nsec);
	r = S(SYS_poll, (void *)0x10, 1, 0);
	CHECK(r == -1 && last_errno == EFAULT);
	E("poll(0x10, 1, 0) = %s", R(r));

	r = S(SYS_ioctl, p[0], FIONREAD, &n);
	CHECK(r == 0 && n == 3);
	E("ioctl(%d, FIONREAD, [3]) = %s", p[0], R(r));
	r = S(SYS_ioctl, p[0], TCGETS, &n);
	CHECK(r == -1 && last_errno == ENOTTY);
	E("ioctl(%d, TCGETS, %s) = %s", p[0], P(&n), R(r));

	{
		fd_set rs;
		struct timeval tv = { 0, 0 };
		FD_ZERO(&rs);
		FD_SET(p[0], &rs);
		r = S(SYS_select, p[0] + 1, &rs, NULL, NULL, &tv);
		CHECK(r == 1);
		E("select(%d, [%d], NULL, NULL, {tv_sec=0, tv_usec=0}) = 1 (in [%d], left {tv_sec=0, "
		  "tv_usec=0})", p[0] + 1, p[0], p[0]);
	}

	/* epoll */
	ep = S(SYS_epoll_create1, EPOLL_CLOEXEC);
	CHECK(ep >= 0);
	E("epoll_create1(EPOLL_CLOEXEC) = %s", R(ep));
	ev.events = EPOLLIN | EPOLLET;
	ev.data.u64 = 0x1122334455667788ULL;
	r = S(SYS_epoll_ctl, ep, EPOLL_CTL_ADD, p[0], &ev);
	CHECK(r == 0);
	E("epoll_ctl(%d, EPOLL_CTL_ADD, %d, {events=EPOLLIN|EPOLLET, data={u32=1432778632, "
	  "u64=1234605616436508552}}) = %s", ep, p[0], R(r));
	r = S(SYS_epoll_wait, ep, evs, 4, 0);
	CHECK(r == 1);
	E("epoll_wait(%d, [{events=EPOLLIN, data={u32=1432778632, u64=1234605616436508552}}], 4, 0) = 1",
	  ep);
	r = S(SYS_epoll_ctl, ep, EPOLL_CTL_DEL, p[0], NULL);
	CHECK(r == 0);
	E("epoll_ctl(%d, EPOLL_CTL_DEL, %d, NULL) = %s", ep, p[0], R(r));
	r = S(SYS_epoll_wait, ep, evs, 4, 0);
	CHECK(r == 0);
	E("epoll_wait(%d, [], 4, 0) = 0", ep);
	S(SYS_close, ep);
	E("close(%d) = 0", ep);

	/* eventfd */
	efd = S(SYS_eventfd2, 5, EFD_CLOEXEC | EFD_NONBLOCK);
	CHECK(efd >= 0);
	E("eventfd2(5, EFD_CLOEXEC|EFD_NONBLOCK) = %s", R(efd));
	r = S(SYS_read, efd, &cnt, 8);
	CHECK(r == 8 && cnt == 5);
	E("read(%d, \"\\5\\0\\0\\0\\0\\0\\0\\0\", 8) = 8", efd);
	r = S(SYS_read, efd, &cnt, 8);
	CHECK(r == -1 && last_errno == EAGAIN);
	E("read(%d, %s, 8) = %s", efd, P(&cnt), R(r));
	S(SYS_close, efd);
	E("close(%d) = 0", efd);

	/* getrandom, memfd_create */
	r = S(SYS_getrandom, rnd, sizeof rnd, GRND_NONBLOCK);
	CHECK(r == 8);
	{
		/* strace always shows getrandom's bytes in hex */
		char hex[64], *h = hex;
		for (int i = 0; i < 8; i++)
			h += sprintf(h, "\\x%02x", rnd[i]);
		E("getrandom(\"%s\", 8, GRND_NONBLOCK) = 8", hex);
	}
	mfd = S(SYS_memfd_create, "fam", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	CHECK(mfd >= 0);
	E("memfd_create(\"fam\", MFD_CLOEXEC|MFD_ALLOW_SEALING) = %s", R(mfd));
	r = S(SYS_fcntl, mfd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW);
	CHECK(r == 0);
	E("fcntl(%d, F_ADD_SEALS, F_SEAL_SHRINK|F_SEAL_GROW) = %s", mfd, R(r));
	S(SYS_close, mfd);
	E("close(%d) = 0", mfd);

	r = S(SYS_getgroups, 0, NULL);
	CHECK(r >= 0);
	E("getgroups(0, NULL) = %ld", r);
	r = S(SYS_personality, 0xffffffff);
	E("personality(0xffffffff) = %#lx (PER_LINUX)", r);
	{
		unsigned long fs;
		r = S(SYS_arch_prctl, ARCH_GET_FS, &fs);
		CHECK(r == 0);
		E("arch_prctl(ARCH_GET_FS, [%#lx]) = %s", fs, R(r));
	}

	S(SYS_close, p[0]);
	E("close(%d) = 0", p[0]);
	S(SYS_close, p[1]);
	E("close(%d) = 0", p[1]);

	write_expected(argv[2]);
	return failures ? 1 : 0;
}
