/* SPDX-License-Identifier: MIT */
/*
 * /proc/self/exe under limen's loader. The kernel's link names the file it
 * exec'd, the loader, and only CAP_SYS_RESOURCE may change it
 * (PR_SET_MM_EXE_FILE). So the runtime answers for it: readlink gives the
 * program's path, and open, stat and execve of the link reach the
 * program's file, as they would without limen. The trace shows the calls
 * as the program made them. What is not covered (README): another
 * process's view (/proc/PID/exe read by someone else, ps), lstat of the
 * link.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/syscall.h>

#include "raw.h"
#include "rt.h"
#include "loader.h"

char limen_loader_exe[LIMEN_EXE_BYTES] LIMEN_HIDDEN;

/* the longest path looked at: "/proc/thread-self/exe" spelled with a few
   more slashes and dots */
#define EXE_PATH 128u

/* 1: limen's loader knows the program's file: limen_exe_hook answers */
int limen_exe_viewed(void)
{
	return limen_loader_exe[0] != 0;
}

/* 1: limen's loader runs, and s (len bytes) may name its exe link from
   somewhere: its last name is "exe" (the quick way, quickpath.c, leaves
   such a path to limen_exe_hook) */
int limen_exe_may_name(const char *s, long len)
{
	return limen_exe_viewed() && len >= 3 &&
	       !limen_strncmp(s + len - 3, "exe", 3) &&
	       (len == 3 || s[len - 4] == '/');
}

/* The /proc number at *s as the kernel reads one (no sign, no leading
   zero, below 2^31), *s moved past it; -1 if there is none */
static long proc_number(const char **s)
{
	const char *p = *s;
	long v = 0;

	if (*p < '0' || *p > '9' || (p[0] == '0' && p[1] >= '0' && p[1] <= '9'))
		return -1;
	for (; *p >= '0' && *p <= '9'; p++)
		if ((v = v * 10 + (*p - '0')) > 0x7fffffffL)
			return -1;
	*s = p;
	return v;
}

/* 1: /proc's number n is a thread of this process, whose links name the
   same exe (tgkill's signal 0 asks only whether it is one of ours) */
static int ours(long n, long pid)
{
	return n == pid || limen_sys3(SYS_tgkill, pid, n, 0) == 0;
}

/*
 * Is the string at user address p, relative to dirfd, one of the names of
 * our exe link? As the kernel resolves it: "/proc/self/exe", and
 * "//proc/self/exe", "/proc/self/./exe", "self/exe" in /proc, "exe" in
 * /proc/self or relative to a descriptor of it; and every thread's link,
 * which names the same file: "/proc/TID/exe", "/proc/PID/task/TID/exe",
 * "/proc/self/task/TID/exe", for any TID of this process.
 */
static int names_exe(long dirfd, uint64_t p)
{
	char s[EXE_PATH], abs[LIMEN_TFS_PATH];
	/* the call's path, read once for every hook (peek.c) */
	long got = limen_peek_read(s, p, sizeof(s) - 1), n = 0, k, pid;
	const char *q;

	if (got <= 0)
		return 0;
	s[got] = 0;
	k = (long)limen_strlen(s);
	/* most paths: no getpid, no getcwd for them */
	if (k >= (long)sizeof(s) - 1 || !limen_exe_may_name(s, k))
		return 0;
	if (s[0] != '/') {
		n = limen_dir_path(dirfd, abs, sizeof(abs));
		if (n <= 0 || n + 1 + k >= (long)sizeof(abs) || abs[0] != '/')
			return 0;
		abs[n++] = '/';
	}
	memcpy(abs + n, s, (size_t)k + 1);
	limen_tfs_norm(abs);
	if (!limen_strncmp(abs, "/proc/self/exe", 15) ||
	    !limen_strncmp(abs, "/proc/thread-self/exe", 22))
		return 1;
	if (limen_strncmp(abs, "/proc/", 6))
		return 0;
	q = abs + 6;
	pid = limen_sys0(SYS_getpid);
	if (!limen_strncmp(q, "self/", 5))
		q += 4;
	else if ((n = proc_number(&q)) < 0 || *q != '/' || !ours(n, pid))
		return 0;
	if (!limen_strncmp(q, "/exe", 5))
		return 1;
	if (limen_strncmp(q, "/task/", 6))
		return 0;
	q += 6;
	return (n = proc_number(&q)) >= 0 && !limen_strncmp(q, "/exe", 5) &&
	       ours(n, pid);
}

int limen_exe_hook(long nr, const long *a, long *ret)
{
	int pi;
	long b[6];

	if (!limen_loader_exe[0])
		return 0;
	switch (nr) {
	case SYS_readlink:
	case SYS_stat:
	case SYS_open:
	case SYS_execve:
		pi = 0;
		break;
	case SYS_readlinkat:
	case SYS_openat:
	case SYS_newfstatat:
	case SYS_statx:
		pi = 1;
		break;
	default:
		return 0;
	}
	if (!names_exe(pi ? a[0] : AT_FDCWD, (uint64_t)a[pi]))
		return 0;
	/* newfstatat and statx that do not follow it see the link */
	if ((nr == SYS_newfstatat && (a[3] & AT_SYMLINK_NOFOLLOW)) ||
	    (nr == SYS_statx && (a[2] & AT_SYMLINK_NOFOLLOW)))
		return 0;
	if (nr == SYS_readlink || nr == SYS_readlinkat) {
		uint64_t buf = (uint64_t)a[pi + 1];
		long size = a[pi + 2], n = (long)limen_strlen(limen_loader_exe);

		if (size <= 0) {
			*ret = -EINVAL;
			return 1;
		}
		if (n > size)
			n = size;
		*ret = limen_safe_write(buf, limen_loader_exe, (size_t)n) < 0 ?
			       -EFAULT : n;
		return 1;
	}
	for (int i = 0; i < 6; i++)
		b[i] = a[i];
	b[pi] = (long)limen_loader_exe;
	if (nr == SYS_execve) {
		/* the new image still calls itself /proc/self/exe (AT_EXECFN,
		   comm), as the kernel would name it */
		limen_exec_name = (uint64_t)a[0];
		*ret = limen_hook_execve(nr, b);
		limen_exec_name = 0;
	} else
		*ret = limen_app_syscall(nr, b[0], b[1], b[2], b[3], b[4],
					 b[5]);
	return 1;
}
