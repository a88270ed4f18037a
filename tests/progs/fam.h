/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the per-family programs (fam_*.c): each writes the exact
 * lines limen (and strace) must print for the calls it makes.
 */
#ifndef LIMEN_TESTS_FAM_H
#define LIMEN_TESTS_FAM_H

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* --- expected-line helpers -------------------------------------------- */
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

#endif
