/* SPDX-License-Identifier: MIT */
/*
 * File-system family, end to end: each call is made with raw syscall() and
 * known arguments, and the exact line `limen trace` must print for it is
 * written to argv[2] (see tests/syscalls/fam_fs.t). argv[1] is a directory
 * to create and work in; argv[3], if given, is the -s value limen runs with.
 * Exits non-zero if a call does not behave as expected.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "fam.h"

/* mount's flags (<sys/mount.h> would bring its enum of them too) */
#define MS_RDONLY_ 0x1ul
#define MS_NOSUID_ 0x2ul
#define MS_REMOUNT_ 0x20ul
#define MS_BIND_ 0x1000ul
#define MS_REC_ 0x4000ul
#define MS_PRIVATE_ 0x40000ul

#define SIGRTMIN_K 32	/* the kernel's, not glibc's SIGRTMIN */

int main(int argc, char **argv)
{
	char f[512], g[512], l[512], d[512], missing[512], buf[256];
	static const char longbuf[] =
		"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ\n";
	static const char esc[] = "tab\there \"q\" back\\slash\001\0337\377";
	struct stat st;
	int fd, fd2, pfd[2];
	long r;

	if (argc < 3) {
		fprintf(stderr, "usage: %s WORKDIR EXPECTED [STRSIZE]\n", argv[0]);
		return 2;
	}
	if (argc > 3)
		strsize = atoi(argv[3]);
	const char *w = argv[1];
	snprintf(f, sizeof f, "%s/file", w);
	snprintf(g, sizeof g, "%s/renamed", w);
	snprintf(l, sizeof l, "%s/link", w);
	snprintf(d, sizeof d, "%s/sub", w);
	snprintf(missing, sizeof missing, "%s/no/such/file", w);

	/* umask first, so that the modes below are known */
	r = S(SYS_umask, 022);
	E("umask(022) = %#03lo", r);
	r = S(SYS_umask, 022);
	E("umask(022) = 022");

	r = S(SYS_mkdir, w, 0755);
	CHECK(r == 0);
	E("mkdir(\"%s\", 0755) = %s", w, R(r));

	fd = S(SYS_openat, AT_FDCWD, f, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0);
	E("openat(AT_FDCWD, \"%s\", O_WRONLY|O_CREAT|O_TRUNC, 0644) = %s", f, R(fd));

	r = S(SYS_write, fd, "hello\n", 6);
	CHECK(r == 6);
	E("write(%d, %s, 6) = %s", fd, qs("hello\n", 6), R(r));

	/* longer than -s: cut with "..." */
	r = S(SYS_write, fd, longbuf, sizeof longbuf - 1);
	CHECK(r == (long)sizeof longbuf - 1);
	E("write(%d, %s, %zu) = %s", fd, qs(longbuf, sizeof longbuf - 1),
	  sizeof longbuf - 1, R(r));

	/* escapes: tab, quote, backslash, \1, \33 followed by a digit, \377 */
	r = S(SYS_write, fd, esc, sizeof esc - 1);
	CHECK(r == (long)sizeof esc - 1);
	E("write(%d, %s, %zu) = %s", fd, qs(esc, sizeof esc - 1), sizeof esc - 1, R(r));

	r = S(SYS_pwrite64, fd, "abc", 3, 200);
	CHECK(r == 3);
	E("pwrite64(%d, \"abc\", 3, 200) = %s", fd, R(r));

	r = S(SYS_lseek, fd, 0, SEEK_END);
	CHECK(r == 203);
	E("lseek(%d, 0, SEEK_END) = %s", fd, R(r));

	r = S(SYS_ftruncate, fd, 10);
	CHECK(r == 0);
	E("ftruncate(%d, 10) = %s", fd, R(r));

	r = S(SYS_fsync, fd);
	CHECK(r == 0);
	E("fsync(%d) = %s", fd, R(r));

	r = S(SYS_fchmod, fd, 0640);
	CHECK(r == 0);
	E("fchmod(%d, 0640) = %s", fd, R(r));

	r = S(SYS_fstat, fd, &st);
	CHECK(r == 0 && st.st_size == 10);
	E("fstat(%d, {st_mode=S_IFREG|0640, st_size=10, ...}) = %s", fd, R(r));

	/* fcntl: F_GETFD's result and F_SETFD's argument are decoded */
	r = S(SYS_fcntl, fd, F_SETFD, FD_CLOEXEC);
	CHECK(r == 0);
	E("fcntl(%d, F_SETFD, FD_CLOEXEC) = %s", fd, R(r));
	r = S(SYS_fcntl, fd, F_GETFD);
	CHECK(r == FD_CLOEXEC);
	E("fcntl(%d, F_GETFD) = 0x1 (flags FD_CLOEXEC)", fd);
	r = S(SYS_fcntl, fd, F_GETFL);
	CHECK(r == (O_WRONLY | 0100000));
	E("fcntl(%d, F_GETFL) = 0x8001 (flags O_WRONLY|O_LARGEFILE)", fd);

	/* fcntl's locks: struct flock at entry for the F_*SETLK* commands;
	   what the kernel wrote, with l_pid, at exit for the F_*GETLK ones
	   (this process's lock is seen only by an OFD query: its own
	   process locks never conflict with it) */
	{
		struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET,
				    .l_start = 0, .l_len = 10 };
		int rd = S(SYS_openat, AT_FDCWD, f, O_RDONLY);

		CHECK(rd >= 0);
		E("openat(AT_FDCWD, \"%s\", O_RDONLY) = %s", f, R(rd));
		r = S(SYS_fcntl, fd, F_SETLK, &fl);
		CHECK(r == 0);
		E("fcntl(%d, F_SETLK, {l_type=F_WRLCK, l_whence=SEEK_SET, "
		  "l_start=0, l_len=10}) = %s", fd, R(r));
		fl.l_whence = SEEK_END;	/* the file has 10 bytes: 2 */
		fl.l_start = -8;
		r = S(SYS_fcntl, fd, F_SETLKW, &fl);
		CHECK(r == 0);
		E("fcntl(%d, F_SETLKW, {l_type=F_WRLCK, l_whence=SEEK_END, "
		  "l_start=-8, l_len=10}) = %s", fd, R(r));
		fl = (struct flock){ .l_type = F_RDLCK, .l_whence = SEEK_SET,
				     .l_start = 0, .l_len = 5 };
		r = S(SYS_fcntl, fd, F_GETLK, &fl);
		CHECK(r == 0 && fl.l_type == F_UNLCK);
		E("fcntl(%d, F_GETLK, {l_type=F_UNLCK, l_whence=SEEK_SET, "
		  "l_start=0, l_len=5, l_pid=0}) = %s", fd, R(r));
		fl = (struct flock){ .l_type = F_RDLCK, .l_whence = SEEK_SET,
				     .l_start = 1, .l_len = 3 };
		r = S(SYS_fcntl, rd, F_OFD_GETLK, &fl);
		CHECK(r == 0 && fl.l_type == F_WRLCK && fl.l_pid == getpid());
		E("fcntl(%d, F_OFD_GETLK, {l_type=F_WRLCK, l_whence=SEEK_SET, "
		  "l_start=0, l_len=12, l_pid=%d}) = %s", rd, (int)getpid(),
		  R(r));
		fl = (struct flock){ .l_type = F_RDLCK, .l_whence = SEEK_SET,
				     .l_start = 20, .l_len = 0 };
		r = S(SYS_fcntl, rd, F_OFD_SETLK, &fl);
		CHECK(r == 0);
		E("fcntl(%d, F_OFD_SETLK, {l_type=F_RDLCK, l_whence=SEEK_SET, "
		  "l_start=20, l_len=0}) = %s", rd, R(r));
		fl.l_type = F_UNLCK;
		r = S(SYS_fcntl, rd, F_OFD_SETLKW, &fl);
		CHECK(r == 0);
		E("fcntl(%d, F_OFD_SETLKW, {l_type=F_UNLCK, l_whence=SEEK_SET, "
		  "l_start=20, l_len=0}) = %s", rd, R(r));
		/* refused: the struct as given; a query's is not shown */
		fl.l_type = 77;
		r = S(SYS_fcntl, fd, F_SETLK, &fl);
		CHECK(r == -1 && last_errno == EINVAL);
		E("fcntl(%d, F_SETLK, {l_type=0x4d /* F_??? */, "
		  "l_whence=SEEK_SET, l_start=20, l_len=0}) = %s", fd, R(r));
		r = S(SYS_fcntl, fd, F_GETLK, &fl);
		CHECK(r == -1 && last_errno == EINVAL);
		E("fcntl(%d, F_GETLK, %s) = %s", fd, P(&fl), R(r));
		r = S(SYS_fcntl, fd, F_OFD_GETLK, (void *)0x10);
		CHECK(r == -1 && last_errno == EFAULT);
		E("fcntl(%d, F_OFD_GETLK, 0x10) = %s", fd, R(r));
		r = S(SYS_fcntl, fd, F_SETLK, (void *)0x10);
		CHECK(r == -1 && last_errno == EFAULT);
		E("fcntl(%d, F_SETLK, 0x10) = %s", fd, R(r));
		/* the 32-bit ABI's commands, by name, their argument raw */
		r = S(SYS_fcntl, fd, 12, &fl);
		CHECK(r == -1 && last_errno == EINVAL);
		E("fcntl(%d, F_GETLK64, %s) = %s", fd, P(&fl), R(r));

		/* the owner: struct f_owner_ex */
		struct f_owner_ex o = { F_OWNER_PID, getpid() };

		r = S(SYS_fcntl, fd, F_SETOWN_EX, &o);
		CHECK(r == 0);
		E("fcntl(%d, F_SETOWN_EX, {type=F_OWNER_PID, pid=%d}) = %s", fd,
		  (int)getpid(), R(r));
		o = (struct f_owner_ex){ F_OWNER_TID, 0 };
		r = S(SYS_fcntl, fd, F_GETOWN_EX, &o);
		CHECK(r == 0 && o.type == F_OWNER_PID);
		E("fcntl(%d, F_GETOWN_EX, {type=F_OWNER_PID, pid=%d}) = %s", fd,
		  (int)getpid(), R(r));
		o.type = 9;
		r = S(SYS_fcntl, fd, F_SETOWN_EX, &o);
		CHECK(r == -1 && last_errno == EINVAL);
		E("fcntl(%d, F_SETOWN_EX, {type=0x9 /* F_OWNER_??? */, pid=%d}) "
		  "= %s", fd, (int)getpid(), R(r));
		r = S(SYS_fcntl, fd, F_GETOWN_EX, (void *)0x10);
		CHECK(r == -1 && last_errno == EFAULT);
		E("fcntl(%d, F_GETOWN_EX, 0x10) = %s", fd, R(r));

		/* the results by command: F_GETSIG's signal by name when
		   not 0, F_GETLEASE's type */
		r = S(SYS_fcntl, fd, F_GETSIG);
		CHECK(r == 0);
		E("fcntl(%d, F_GETSIG) = 0", fd);
		r = S(SYS_fcntl, fd, F_SETSIG, SIGRTMIN_K + 2);
		CHECK(r == 0);
		E("fcntl(%d, F_SETSIG, SIGRT_2) = %s", fd, R(r));
		r = S(SYS_fcntl, fd, F_GETSIG);
		CHECK(r == SIGRTMIN_K + 2);
		E("fcntl(%d, F_GETSIG) = %d (SIGRT_2)", fd, SIGRTMIN_K + 2);
		r = S(SYS_fcntl, fd, F_SETSIG, SIGIO);
		CHECK(r == 0);
		E("fcntl(%d, F_SETSIG, SIGIO) = %s", fd, R(r));
		r = S(SYS_fcntl, fd, F_GETSIG);
		CHECK(r == SIGIO);
		E("fcntl(%d, F_GETSIG) = %d (SIGIO)", fd, SIGIO);
		r = S(SYS_fcntl, rd, F_GETLEASE);
		CHECK(r == F_UNLCK);
		E("fcntl(%d, F_GETLEASE) = 0x2 (F_UNLCK)", rd);
		r = S(SYS_close, rd);
		E("close(%d) = %s", rd, R(r));
	}

	fd2 = S(SYS_dup, fd);
	CHECK(fd2 > fd);
	E("dup(%d) = %s", fd, R(fd2));
	r = S(SYS_dup2, fd, 40);
	CHECK(r == 40);
	E("dup2(%d, 40) = 40", fd);
	r = S(SYS_close, 40);
	E("close(40) = %s", R(r));
	r = S(SYS_close, fd2);
	E("close(%d) = %s", fd2, R(r));

	r = S(SYS_close, fd);
	CHECK(r == 0);
	E("close(%d) = %s", fd, R(r));
	r = S(SYS_close, fd);
	CHECK(r == -1 && last_errno == EBADF);
	E("close(%d) = %s", fd, R(r));

	/* the times set, each with its date (local time: the tests run
	   with TZ unset or UTC; without the zone strace prints too) */
	{
		struct timespec ts[2] = { { 1, 2 }, { 3, UTIME_OMIT } };
		struct timeval tv[2] = { { 86400, 5 }, { 7, 0 } };
		char d1[64], d2[64], zone[16];
		time_t t1 = 1, t2 = 86400;
		struct tm tm;

		strftime(d1, sizeof d1, "%FT%T", localtime_r(&t1, &tm));
		strftime(zone, sizeof zone, "%z", &tm);
		r = S(SYS_utimensat, AT_FDCWD, f, ts, 0);
		CHECK(r == 0);
		E("utimensat(AT_FDCWD, \"%s\", [{tv_sec=1, tv_nsec=2} /* %s.000000002%s */, "
		  "UTIME_OMIT], 0) = %s", f, d1, zone, R(r));
		ts[0].tv_nsec = UTIME_NOW;
		ts[1] = (struct timespec){ 0, 0 };
		r = S(SYS_utimensat, AT_FDCWD, f, ts, 0);
		CHECK(r == 0);
		E("utimensat(AT_FDCWD, \"%s\", [UTIME_NOW, {tv_sec=0, tv_nsec=0}], 0) = %s",
		  f, R(r));
		strftime(d2, sizeof d2, "%FT%T", localtime_r(&t2, &tm));
		r = S(SYS_utimes, f, tv);
		CHECK(r == 0);
		E("utimes(\"%s\", [{tv_sec=86400, tv_usec=5} /* %s.000005%s */, "
		  "{tv_sec=7, tv_usec=0} /* %s */]) = %s", f, d2, zone,
		  ({ static char d3[80]; time_t t3 = 7;
		     strftime(d3, sizeof d3, "%FT%T%z", localtime_r(&t3, &tm));
		     d3; }), R(r));
	}

	r = S(SYS_newfstatat, AT_FDCWD, f, &st, 0);
	CHECK(r == 0);
	E("newfstatat(AT_FDCWD, \"%s\", {st_mode=S_IFREG|0640, st_size=10, ...}, 0) = %s",
	  f, R(r));
	r = S(SYS_stat, w, &st);
	CHECK(r == 0);
	E("stat(\"%s\", {st_mode=S_IFDIR|0755, st_size=%lld, ...}) = %s", w,
	  (long long)st.st_size, R(r));
	r = S(SYS_newfstatat, AT_FDCWD, missing, &st, AT_SYMLINK_NOFOLLOW);
	CHECK(r == -1 && last_errno == ENOENT);
	E("newfstatat(AT_FDCWD, \"%s\", %s, AT_SYMLINK_NOFOLLOW) = %s", missing, P(&st), R(r));

	fd = S(SYS_openat, AT_FDCWD, f, O_RDONLY | O_CLOEXEC);
	CHECK(fd >= 0);
	E("openat(AT_FDCWD, \"%s\", O_RDONLY|O_CLOEXEC) = %s", f, R(fd));

	memset(buf, 'x', sizeof buf);
	r = S(SYS_read, fd, buf, 100);
	CHECK(r == 10);
	E("read(%d, %s, 100) = %s", fd, qs(buf, 10), R(r));
	r = S(SYS_read, fd, buf, 100);
	CHECK(r == 0);
	E("read(%d, \"\", 100) = 0", fd);

	r = S(SYS_pread64, fd, buf, 4, 1);
	CHECK(r == 4);
	E("pread64(%d, \"ello\", 4, 1) = %s", fd, R(r));

	{
		char a[3], b[20];
		struct iovec iov[2] = { { a, sizeof a }, { b, sizeof b } };
		r = S(SYS_lseek, fd, 0, SEEK_SET);
		E("lseek(%d, 0, SEEK_SET) = %s", fd, R(r));
		r = S(SYS_readv, fd, iov, 2);
		CHECK(r == 10);
		E("readv(%d, [{iov_base=%s, iov_len=3}, {iov_base=%s, iov_len=20}], 2) = %s",
		  fd, qs(a, 3), qs(b, 7), R(r));
		/* one offset (the kernel's pos_l; pos_h is 0), then the
		   *v2 calls' flags */
		r = S(SYS_preadv, fd, iov, 2, 1, 0);
		CHECK(r == 9);
		E("preadv(%d, [{iov_base=%s, iov_len=3}, {iov_base=%s, iov_len=20}], 2, 1) = %s",
		  fd, qs(a, 3), qs(b, 6), R(r));
		r = S(SYS_preadv2, fd, iov, 2, 7, 0, RWF_NOWAIT);
		CHECK(r == 3);
		E("preadv2(%d, [{iov_base=%s, iov_len=3}, {iov_base=\"\", iov_len=20}], 2, 7, "
		  "RWF_NOWAIT) = %s", fd, qs(a, 3), R(r));
		/* failed: strace shows the array, the bases as addresses */
		r = S(SYS_preadv, fd, iov, 2, -1L, 0);
		CHECK(r == -1 && last_errno == EINVAL);
		E("preadv(%d, [{iov_base=%s, iov_len=3}, {iov_base=%s, iov_len=20}], 2, -1) = %s",
		  fd, P(a), P(b), R(r));
		r = S(SYS_pwritev, fd, iov, 1, 0, 0);
		CHECK(r == -1 && last_errno == EBADF);
		E("pwritev(%d, [{iov_base=%s, iov_len=3}], 1, 0) = %s", fd, qs(a, 3), R(r));
		r = S(SYS_pwritev2, fd, iov, 1, 0, 0, 0);
		CHECK(r == -1 && last_errno == EBADF);
		E("pwritev2(%d, [{iov_base=%s, iov_len=3}], 1, 0, 0) = %s", fd, qs(a, 3), R(r));
		r = S(SYS_readv, fd + 100, iov, 2);
		CHECK(r == -1 && last_errno == EBADF);
		E("readv(%d, [{iov_base=%s, iov_len=3}, {iov_base=%s, iov_len=20}], 2) = %s",
		  fd + 100, P(a), P(b), R(r));
		r = S(SYS_preadv2, fd + 100, iov, 2, 0, 0, 0);
		CHECK(r == -1 && last_errno == EBADF);
		E("preadv2(%d, [{iov_base=%s, iov_len=3}, {iov_base=%s, iov_len=20}], 2, 0, 0) = %s",
		  fd + 100, P(a), P(b), R(r));
		/* the array unreadable: its pointer */
		r = S(SYS_readv, fd, (void *)8, 2);
		CHECK(r == -1 && last_errno == EFAULT);
		E("readv(%d, 0x8, 2) = %s", fd, R(r));
	}

	r = S(SYS_write, fd, "x", 1);
	CHECK(r == -1 && last_errno == EBADF);
	E("write(%d, \"x\", 1) = %s", fd, R(r));

	r = S(SYS_close, fd);
	E("close(%d) = %s", fd, R(r));

	/* writev to a pipe; pipe2's fd pair */
	r = S(SYS_pipe2, pfd, O_CLOEXEC);
	CHECK(r == 0);
	E("pipe2([%d, %d], O_CLOEXEC) = %s", pfd[0], pfd[1], R(r));
	{
		struct iovec iov[3] = { { "one ", 4 }, { "two ", 4 }, { "three\n", 6 } };
		r = S(SYS_writev, pfd[1], iov, 3);
		CHECK(r == 14);
		E("writev(%d, [{iov_base=%s, iov_len=4}, {iov_base=%s, iov_len=4}, "
		  "{iov_base=%s, iov_len=6}], 3) = %s", pfd[1], qs("one ", 4),
		  qs("two ", 4), qs("three\n", 6), R(r));
	}
	r = S(SYS_read, pfd[0], buf, sizeof buf);
	CHECK(r == 14);
	E("read(%d, %s, %zu) = %s", pfd[0], qs("one two three\n", 14), sizeof buf, R(r));
	{
		/* more iovecs than strace shows (-s of them, then "...") */
		struct iovec many[40];
		char line[8192], *q = line;
		int i, shown = 40 < strsize ? 40 : strsize;

		for (i = 0; i < 40; i++)
			many[i] = (struct iovec){ "ab", 2 };
		r = S(SYS_writev, pfd[1], many, 40);
		CHECK(r == 80);
		for (i = 0; i < shown; i++)
			q += sprintf(q, "%s{iov_base=%s, iov_len=2}",
				     i ? ", " : "", qs("ab", 2));
		if (shown < 40)
			q += sprintf(q, "%s...", shown ? ", " : "");
		E("writev(%d, [%s], 40) = %s", pfd[1], line, R(r));
	}
	S(SYS_close, pfd[0]);
	E("close(%d) = 0", pfd[0]);
	S(SYS_close, pfd[1]);
	E("close(%d) = 0", pfd[1]);

	/* names */
	r = S(SYS_access, f, R_OK | W_OK);
	CHECK(r == 0);
	E("access(\"%s\", R_OK|W_OK) = %s", f, R(r));
	r = S(SYS_faccessat, AT_FDCWD, missing, F_OK);
	CHECK(r == -1 && last_errno == ENOENT);
	E("faccessat(AT_FDCWD, \"%s\", F_OK) = %s", missing, R(r));
	r = S(SYS_rename, f, g);
	CHECK(r == 0);
	E("rename(\"%s\", \"%s\") = %s", f, g, R(r));
	r = S(SYS_symlink, "renamed", l);
	CHECK(r == 0);
	E("symlink(\"renamed\", \"%s\") = %s", l, R(r));
	r = S(SYS_readlink, l, buf, sizeof buf);
	CHECK(r == 7);
	E("readlink(\"%s\", %s, %zu) = %s", l, qs("renamed", 7), sizeof buf, R(r));
	r = S(SYS_lstat, l, &st);
	CHECK(r == 0);
	E("lstat(\"%s\", {st_mode=S_IFLNK|0777, st_size=7, ...}) = %s", l, R(r));
	r = S(SYS_chmod, g, 0600);
	CHECK(r == 0);
	E("chmod(\"%s\", 0600) = %s", g, R(r));
	r = S(SYS_mkdirat, AT_FDCWD, d, 0700);
	CHECK(r == 0);
	E("mkdirat(AT_FDCWD, \"%s\", 0700) = %s", d, R(r));
	r = S(SYS_mkdir, d, 0700);
	CHECK(r == -1 && last_errno == EEXIST);
	E("mkdir(\"%s\", 0700) = %s", d, R(r));
	r = S(SYS_chdir, d);
	CHECK(r == 0);
	E("chdir(\"%s\") = %s", d, R(r));
	r = S(SYS_getcwd, buf, sizeof buf);
	CHECK(r == (long)strlen(d) + 1);
	E("getcwd(\"%s\", %zu) = %s", d, sizeof buf, R(r));
	r = S(SYS_chdir, "..");
	E("chdir(\"..\") = %s", R(r));
	r = S(SYS_unlinkat, AT_FDCWD, d, AT_REMOVEDIR);
	CHECK(r == 0);
	E("unlinkat(AT_FDCWD, \"%s\", AT_REMOVEDIR) = %s", d, R(r));
	r = S(SYS_unlink, l);
	CHECK(r == 0);
	E("unlink(\"%s\") = %s", l, R(r));
	r = S(SYS_truncate, g, 0);
	CHECK(r == 0);
	E("truncate(\"%s\", 0) = %s", g, R(r));
	r = S(SYS_unlink, g);
	CHECK(r == 0);
	E("unlink(\"%s\") = %s", g, R(r));

	/* errors */
	r = S(SYS_openat, AT_FDCWD, missing, O_RDONLY);
	CHECK(r == -1 && last_errno == ENOENT);
	E("openat(AT_FDCWD, \"%s\", O_RDONLY) = %s", missing, R(r));
	r = S(SYS_openat, 9999, "rel", O_RDONLY | O_DIRECTORY);
	CHECK(r == -1 && last_errno == EBADF);
	E("openat(9999, \"rel\", O_RDONLY|O_DIRECTORY) = %s", R(r));
	r = S(SYS_read, 9999, buf, 10);
	CHECK(r == -1 && last_errno == EBADF);
	E("read(9999, %s, 10) = %s", P(buf), R(r));
	/* bad pointers: EFAULT, and the pointer printed in hex */
	r = S(SYS_openat, AT_FDCWD, (char *)1, O_RDONLY);
	CHECK(r == -1 && last_errno == EFAULT);
	E("openat(AT_FDCWD, 0x1, O_RDONLY) = %s", R(r));
	r = S(SYS_newfstatat, AT_FDCWD, w, (void *)0x10, 0);
	CHECK(r == -1 && last_errno == EFAULT);
	E("newfstatat(AT_FDCWD, \"%s\", 0x10, 0) = %s", w, R(r));
	r = S(SYS_pipe2, pfd, 0);
	CHECK(r == 0);
	E("pipe2([%d, %d], 0) = %s", pfd[0], pfd[1], R(r));
	/* F_GETFL's flags even when they are 0 */
	r = S(SYS_fcntl, pfd[0], F_GETFL);
	CHECK(r == O_RDONLY);
	E("fcntl(%d, F_GETFL) = 0 (flags O_RDONLY)", pfd[0]);
	r = S(SYS_fcntl, pfd[1], F_GETFL);
	CHECK(r == O_WRONLY);
	E("fcntl(%d, F_GETFL) = 0x1 (flags O_WRONLY)", pfd[1]);
	r = S(SYS_write, pfd[1], (void *)0xdead0000, 16);
	CHECK(r == -1 && last_errno == EFAULT);
	E("write(%d, 0xdead0000, 16) = %s", pfd[1], R(r));
	r = S(SYS_pipe2, (void *)0x8, 0);
	CHECK(r == -1 && last_errno == EFAULT);
	E("pipe2(0x8, 0) = %s", R(r));
	/* pipe2's and dup3's flags in strace's order of the open flags */
	{
		int q[2];

		r = S(SYS_pipe2, q, O_CLOEXEC | O_NONBLOCK | O_DIRECT);
		CHECK(r == 0);
		E("pipe2([%d, %d], O_NONBLOCK|O_DIRECT|O_CLOEXEC) = %s", q[0],
		  q[1], R(r));
		S(SYS_close, q[0]);
		E("close(%d) = 0", q[0]);
		S(SYS_close, q[1]);
		E("close(%d) = 0", q[1]);
		r = S(SYS_pipe2, (void *)0x8, O_CLOEXEC | O_APPEND);
		CHECK(r == -1 && last_errno == EINVAL);
		E("pipe2(0x8, O_APPEND|O_CLOEXEC) = %s", R(r));
		r = S(SYS_dup3, pfd[0], 60, O_CLOEXEC | O_NONBLOCK);
		CHECK(r == -1 && last_errno == EINVAL);
		E("dup3(%d, 60, O_NONBLOCK|O_CLOEXEC) = %s", pfd[0], R(r));
		r = S(SYS_dup3, pfd[0], 60, O_CLOEXEC);
		CHECK(r == 60);
		E("dup3(%d, 60, O_CLOEXEC) = 60", pfd[0]);
		S(SYS_close, 60);
		E("close(60) = 0");
	}
	S(SYS_close, pfd[0]);
	E("close(%d) = 0", pfd[0]);
	S(SYS_close, pfd[1]);
	E("close(%d) = 0", pfd[1]);

	/* an inode's flags: FS_IOC_SETFLAGS' are read at entry (a bad
	   descriptor: nothing changes), FS_IOC_GETFLAGS' written at exit
	   (on a pipe, which has none: ENOTTY, its address) */
	{
		int fl = 0x10 | 0x80000, pp[2];

		r = S(SYS_ioctl, -1, 0x40086602 /* FS_IOC_SETFLAGS */, &fl);
		CHECK(r == -1 && last_errno == EBADF);
		E("ioctl(-1, FS_IOC_SETFLAGS, [FS_IMMUTABLE_FL|FS_EXTENT_FL]) = %s",
		  R(r));
		fl = 0x1000000;
		r = S(SYS_ioctl, -1, 0x40086602, &fl);
		E("ioctl(-1, FS_IOC_SETFLAGS, [0x1000000 /* FS_???_FL */]) = %s",
		  R(r));
		if (!pipe(pp)) {
			r = S(SYS_ioctl, pp[0], 0x80086601 /* FS_IOC_GETFLAGS */,
			      &fl);
			E("ioctl(%d, FS_IOC_GETFLAGS, %p) = %s", pp[0],
			  (void *)&fl, R(r));
			close(pp[0]);
			close(pp[1]);
		}
	}

	/* mknod's mode as a type and permissions; the device only for a
	   character or block file, as makedev() */
	{
		char fifo[4096];

		snprintf(fifo, sizeof(fifo), "%s/fifo", w);
		r = S(SYS_mknodat, AT_FDCWD, fifo, S_IFIFO | 0640, 0);
		CHECK(r == 0);
		E("mknodat(AT_FDCWD, \"%s\", S_IFIFO|0640) = %s", fifo, R(r));
		r = S(SYS_unlink, fifo);
		E("unlink(\"%s\") = %s", fifo, R(r));
		r = S(SYS_mknodat, -1, "x", S_IFCHR | S_ISGID | 0620,
		      (1ul << 8) | 3);
		CHECK(r == -1 && last_errno == EBADF);
		E("mknodat(-1, \"x\", S_IFCHR|S_ISGID|0620, makedev(0x1, 0x3)) "
		  "= %s", R(r));
		r = S(SYS_mknodat, -1, "x", 0170644, 7);
		E("mknodat(-1, \"x\", 0170644) = %s", R(r));
		r = S(SYS_mknodat, -1, "x", 0644, 7);
		E("mknodat(-1, \"x\", 0644) = %s", R(r));
	}

	r = S(SYS_rmdir, w);
	CHECK(r == 0);
	E("rmdir(\"%s\") = %s", w, R(r));

	/* mount: a string type and data, but addresses where the kernel
	   does not read them as such (a remount's type; a bind's, move's or
	   propagation change's type and data); the old magic named. The
	   directory is gone: each fails, as root too. */
	{
		char tgt[4096];
		static const char ty[] = "tmpfs", da[] = "size=1m,mode=0755";

		snprintf(tgt, sizeof(tgt), "%s/mnt", w);
		r = S(SYS_mount, "none", tgt, ty, MS_RDONLY_ | MS_NOSUID_, da);
		E("mount(\"none\", \"%s\", %s, MS_RDONLY|MS_NOSUID, %s) = %s",
		  tgt, qs(ty, 5), qs(da, 17), R(r));
		r = S(SYS_mount, NULL, tgt, ty, MS_REMOUNT_ | MS_BIND_, da);
		E("mount(NULL, \"%s\", %p, MS_REMOUNT|MS_BIND, %s) = %s", tgt,
		  (void *)ty, qs(da, 17), R(r));
		r = S(SYS_mount, "/", tgt, ty, MS_BIND_ | MS_REC_, da);
		E("mount(\"/\", \"%s\", %p, MS_BIND|MS_REC, %p) = %s", tgt,
		  (void *)ty, (void *)da, R(r));
		r = S(SYS_mount, "none", tgt, NULL, MS_PRIVATE_ | MS_REC_, NULL);
		E("mount(\"none\", \"%s\", NULL, MS_REC|MS_PRIVATE, NULL) = %s",
		  tgt, R(r));
		r = S(SYS_mount, "none", tgt, ty, 0xc0ed0000ul | MS_RDONLY_, da);
		E("mount(\"none\", \"%s\", %s, MS_MGC_VAL|MS_RDONLY, %s) = %s",
		  tgt, qs(ty, 5), qs(da, 17), R(r));
		r = S(SYS_mount, "none", tgt, ty, 0x80000000ul | 0x100000000ul,
		      NULL);
		E("mount(\"none\", \"%s\", %s, MS_NOUSER|0x100000000, NULL) = %s",
		  tgt, qs(ty, 5), R(r));
		r = S(SYS_umount2, tgt, 2 /* MNT_DETACH */);
		E("umount2(\"%s\", MNT_DETACH) = %s", tgt, R(r));
	}

	write_expected(argv[2]);
	return failures ? 1 : 0;
}
