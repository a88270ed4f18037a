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
 *
 * The name is asked of the kernel when the program first names the link,
 * not at every start (an open of the program and a readlink of
 * /proc/self/fd/N, some 30 us of a new image here, for a link few
 * programs read): the PROCMAP_QUERY of the mapping of the program's text
 * the loader made gives its file's path as the link would (d_path, with
 * " (deleted)" for a file removed since), checked to be that file still
 * by its inode and device. Where that cannot be asked (no such query, the
 * text mapped otherwise since) the path the program was run by is opened
 * and its descriptor's link read, as the loader did at start; a relative
 * path, or a kernel without the query (before 6.11), is resolved at
 * start (limen_exe_resolve).
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "raw.h"
#include "rt.h"
#include "loader.h"
#include "runtime/procmap.h"

char limen_loader_exe[LIMEN_EXE_BYTES] LIMEN_HIDDEN;
int limen_loader_exe_on LIMEN_HIDDEN;

/* limen_exe_later's: the absolute path the program was run by, where its
   text was mapped, that file's inode and device */
static char exe_given[LIMEN_EXE_BYTES];
static uint64_t exe_at, exe_ino;
static uint32_t exe_major, exe_minor;
/* limen_loader_exe: 0 to be asked, 1 being asked, 2 known */
static int32_t exe_state;

/* the longest path looked at: "/proc/thread-self/exe" spelled with a few
   more slashes and dots */
#define EXE_PATH 128u

/* 1: limen's loader knows the program's file: limen_exe_hook answers */
int limen_exe_viewed(void)
{
	return limen_loader_exe_on;
}

/* The name of path's file as the kernel gives it (its descriptor's link)
   into out; the descriptor's table is the thread's own in a helper */
static int link_of(const char *path, char *out, int helper)
{
	char link[48];
	long fd = limen_sys3(SYS_open, path, O_PATH | O_CLOEXEC, 0), n;
	int k;

	if (fd < 0)
		return 0;
	k = helper ? 22 : 14;
	memcpy(link, helper ? "/proc/thread-self/fd/" : "/proc/self/fd/", k);
	limen_fmt_dec(link + k, fd);
	n = limen_sys3(SYS_readlink, link, out, LIMEN_EXE_BYTES - 1);
	limen_sys1(SYS_close, fd);
	out[n > 0 ? n : 0] = 0;
	return n > 0;
}

/* The loader's start, for a path it cannot leave for later */
void limen_exe_resolve(const char *path)
{
	if (link_of(path, limen_loader_exe, 0)) {
		exe_state = 2;
		limen_loader_exe_on = 1;
	}
}

/* The loader's start: path (absolute) was mapped at at, its file's
   inode and device these */
void limen_exe_later(const char *path, uint64_t at, uint64_t ino,
		     uint32_t major, uint32_t minor)
{
	size_t n = limen_strlen(path);

	if (n >= sizeof(exe_given)) {
		limen_exe_resolve(path);
		return;
	}
	memcpy(exe_given, path, n + 1);
	exe_at = at;
	exe_ino = ino;
	exe_major = major;
	exe_minor = minor;
	exe_state = 0;
	limen_loader_exe_on = 1;
}

/* the name into out (LIMEN_EXE_BYTES): the kernel's for the mapping,
   else the path's file's, else the path */
static long exe_ask(void *arg, int helper)
{
	char *out = arg;
	long fd = limen_procmap_open(), r = -ENOENT;
	uint64_t ino = 0;
	uint32_t ma = 0, mi = 0;

	if (fd >= 0) {
		r = limen_procmap_file(fd, exe_at, out, LIMEN_EXE_BYTES, &ino,
				       &ma, &mi);
		limen_sys1(SYS_close, fd);
		if (!r && (ino != exe_ino || ma != exe_major || mi != exe_minor))
			r = -ENOENT;
	}
	if (r && !link_of(exe_given, out, helper))
		memcpy(out, exe_given, limen_strlen(exe_given) + 1);
	return 0;
}

/*
 * The program's name for the link, asked once. A call that comes while
 * it is asked (another thread's, a handler's on top of the asking one)
 * asks for itself, into a mapping of its own (*tmp: to unmap); NULL if
 * none can be had.
 */
static const char *exe_name(long *tmp)
{
	int32_t zero = 0;
	long r;

	*tmp = 0;
	if (__atomic_load_n(&exe_state, __ATOMIC_ACQUIRE) == 2)
		return limen_loader_exe;
	if (__atomic_compare_exchange_n(&exe_state, &zero, 1, 0,
					__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		limen_aside(exe_ask, limen_loader_exe, &r);
		__atomic_store_n(&exe_state, 2, __ATOMIC_RELEASE);
		return limen_loader_exe;
	}
	if (__atomic_load_n(&exe_state, __ATOMIC_ACQUIRE) == 2)
		return limen_loader_exe;
	r = limen_sys6(SYS_mmap, 0, LIMEN_EXE_BYTES, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (limen_is_err(r))
		return 0;
	*tmp = r;
	limen_aside(exe_ask, (void *)r, &r);
	return (const char *)*tmp;
}

/*
 * Before a filter of the program's own goes on (dispatch.c, at its prctl
 * or seccomp): the name is asked now, with calls of limen's own (an open
 * and an ioctl of /proc/self/maps) that the filter, once on, could refuse
 * or kill at where the program itself never makes them.
 */
void limen_exe_settle(void)
{
	long tmp;

	if (limen_loader_exe_on && exe_name(&tmp) && tmp)
		limen_sys2(SYS_munmap, tmp, LIMEN_EXE_BYTES);
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
	return n == pid || (!limen_program_filtered() &&
			    limen_sys3(SYS_tgkill, pid, n, 0) == 0);
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
		/* its directory would be asked with calls of limen's own,
		   which a filter of the program's may refuse or kill: the
		   kernel answers then (README, Known limits) */
		if (limen_program_filtered())
			return 0;
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
	/* the ring's pid (ring.c), not a getpid the program never made */
	pid = limen_tls.pid ? limen_tls.pid : limen_sys0(SYS_getpid);
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

/*
 * readlink of the link under a seccomp filter of the program's own: the
 * program's call is made as it stands (same number, same arguments), so
 * that the filter's verdict (an errno, SIGSYS, a kill, a user
 * notification) is the one it would be without limen. 0: the call failed,
 * *ret has its answer; 1: the kernel let it through, and limen's answer
 * (n bytes) replaces the loader's path it gave: the bytes past n that it
 * wrote are put back as they were.
 */
static int put_to_filter(long nr, const long *a, int pi, long n, long *ret)
{
	uint64_t buf = (uint64_t)a[pi + 1];
	long size = a[pi + 2], keep = size > 0 ? size : 0, r;
	char old[LIMEN_EXE_BYTES];

	if (keep > (long)sizeof(old))
		keep = (long)sizeof(old);
	if (keep && limen_safe_read(old, buf, (size_t)keep) != keep)
		keep = 0;
	r = limen_app_syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	if (r < 0) {
		*ret = r;
		return 0;
	}
	if (r > n && keep > n)
		limen_safe_write(buf + (uint64_t)n, old + n,
				 (size_t)((r < keep ? r : keep) - n));
	return 1;
}

int limen_exe_hook(long nr, const long *a, long *ret)
{
	int pi;
	long b[6], tmp;
	const char *exe;

	if (!limen_loader_exe_on)
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
	exe = exe_name(&tmp);
	if (!exe) {
		*ret = -ENOMEM;
		return 1;
	}
	if (nr == SYS_readlink || nr == SYS_readlinkat) {
		uint64_t buf = (uint64_t)a[pi + 1];
		long size = a[pi + 2], n = (long)limen_strlen(exe);

		/* a filter of the program's own has its say first, as without
		   limen (tests/syscalls/emulated_under_filter.t) */
		if (limen_program_filtered() && !put_to_filter(nr, a, pi, n, ret))
			goto out;
		if (n > size)
			n = size;
		if (size <= 0)
			*ret = -EINVAL;
		else if (limen_safe_write(buf, exe, (size_t)n) < 0)
			*ret = -EFAULT;
		else
			*ret = n;
		goto out;
	}
	for (int i = 0; i < 6; i++)
		b[i] = a[i];
	b[pi] = (long)exe;
	if (nr == SYS_execve) {
		/* the new image still calls itself /proc/self/exe (AT_EXECFN,
		   comm), as the kernel would name it */
		limen_exec_name = (uint64_t)a[0];
		*ret = limen_hook_execve(nr, b);
		limen_exec_name = 0;
	} else
		*ret = limen_app_syscall(nr, b[0], b[1], b[2], b[3], b[4],
					 b[5]);
out:
	if (tmp)
		limen_sys2(SYS_munmap, tmp, LIMEN_EXE_BYTES);
	return 1;
}
