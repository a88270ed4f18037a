/* SPDX-License-Identifier: MIT */
/*
 * The emulated tracefs files of user_events (uevent_tracefs.c,
 * uevent_abi.c) as /proc shows them. On Linux, /proc/PID/fd/N (and
 * /dev/fd/N, /proc/thread-self/fd/N, /proc/PID/task/TID/fd/N) and
 * /proc/PID/cwd are links to the file's path: readlink gives it
 * ("/sys/kernel/tracing/user_events_data"), and a path through one
 * reaches the file itself (proc_fd_link, nd_jump_link): open() of it is
 * a new open of the file, a new struct file (for user_events_data a new
 * user_event_file_info, user_events_open: its own write_indexes, from
 * 0), stat says the file's, a path past a directory's link goes on from
 * the directory.
 *
 * Here the kernel's link leads to the stand-in (a memfd, an empty
 * directory removed, /dev/null, a pipe), so a path that starts with such
 * a link is made the emulated path it stands for, before the kernel sees
 * it:
 *
 *   - a descriptor or the working directory of this process: what the
 *     runtime follows of it (uevent_abi.c's descriptors,
 *     uevent_tfs_path.c's working directory);
 *   - of another process (or a descriptor of this one it does not
 *     follow): the kernel's link, read: a memfd named "limen:PATH" (the
 *     stand-ins of user_events_data and of the other files are named
 *     so, limen_tfs_memfd), an emulated directory the session
 *     remembers by its device and inode (limen_tfs_dir_of: a
 *     descriptor's or a working directory's), or trace_pipe's pipe
 *     (limen_tfs_pipe_of: under /sys/kernel/tracing/, whichever prefix
 *     it was opened by).
 *
 * A link to the kernel's own directory under /sys/kernel/ (a working
 * directory in a mounted tracefs) is the kernel's; a path past it that
 * the kernel says ENOENT to is looked up as the emulated files are
 * (limen_tfs_proc_after_enoent).
 *
 * Everything read from a link or from the session is bounded: a name
 * that is not an emulated path leads nowhere.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/syscall.h>

#include "raw.h"
#include "rt.h"
#include "session/uevent_area.h"

#define STAT_BYTES 144u  /* struct stat, x86_64 */
#define LINK_BYTES 64u   /* "/proc/PID/task/TID/fd/N": 45 at most */
#define DIGITS 10u       /* a pid or a descriptor: below 2^31 */
#define DELETED " (deleted)"

/* a /proc link at the start of a path */
struct plink {
	char link[LINK_BYTES + 1]; /* the link's own path */
	long fd;               /* its descriptor; -1: the working directory */
	int own;               /* this process's */
	uint32_t rest;         /* where the path goes on past it */
};

enum { NONE, EMULATED, KERNEL };

/* the decimal number at p: its digits (0 if none, or too many) */
static uint32_t digits(const char *p, uint64_t *v)
{
	uint32_t k = 0;

	*v = 0;
	while (k <= DIGITS && p[k] >= '0' && p[k] <= '9')
		*v = *v * 10 + (uint64_t)(p[k++] - '0');
	return k > DIGITS ? 0 : k;
}

static int starts(const char *p, const char *s)
{
	return !limen_strncmp(p, s, limen_strlen(s));
}

/* p (NUL-terminated, at most LINK_BYTES) starts with a link: 1 with l */
static int parse(const char *p, struct plink *l)
{
	const char *q;
	uint64_t v;
	uint32_t k;

	l->own = 1;
	if (starts(p, "/dev/fd/")) {
		q = p + 8;
		goto fd;
	}
	if (!starts(p, "/proc/"))
		return 0;
	q = p + 6;
	if (starts(q, "self/")) {
		q += 5;
	} else if (starts(q, "thread-self/")) {
		q += 12;
	} else {
		k = digits(q, &v);
		if (!k || q[k] != '/')
			return 0;
		l->own = v == (uint64_t)limen_sys0(SYS_getpid);
		q += k + 1;
	}
	if (starts(q, "task/")) {
		k = digits(q + 5, &v);
		if (!k || q[5 + k] != '/')
			return 0;
		q += 5 + k + 1;
	}
	if (starts(q, "cwd") && (q[3] == '/' || !q[3])) {
		l->fd = -1;
		q += 3;
		goto done;
	}
	if (!starts(q, "fd/"))
		return 0;
	q += 3;
fd:
	k = digits(q, &v);
	if (!k || (q[k] && q[k] != '/') || v > 0x7fffffff)
		return 0;
	l->fd = (long)v;
	q += k;
done:
	l->rest = (uint32_t)(q - p);
	memcpy(l->link, p, l->rest);
	l->link[l->rest] = 0;
	return 1;
}

/*
 * The kernel's link l read into out (LIMEN_TFS_PATH bytes): EMULATED
 * with the emulated path it stands for (*n bytes), KERNEL with the
 * kernel's own directory under /sys/kernel/, NONE.
 */
static int read_link(const struct plink *l, char *out, uint32_t *n)
{
	static const char memfd[] = "/memfd:" LIMEN_TFS_MEMFD;
	uint8_t st[STAT_BYTES];
	uint64_t dev, ino;
	long r = limen_sys3(SYS_readlink, l->link, out, LIMEN_TFS_PATH - 1);
	uint32_t m = sizeof(memfd) - 1, d = sizeof(DELETED) - 1;
	uint16_t k;

	if (r <= 0 || r >= (long)LIMEN_TFS_PATH - 1)
		return NONE;
	out[r] = 0;
	if (starts(out, "/sys/kernel/")) {
		*n = (uint32_t)r;
		return KERNEL;
	}
	/* a memfd of ours: "/memfd:limen:PATH (deleted)" */
	if (starts(out, memfd) && (uint32_t)r > m + d &&
	    !limen_strncmp(out + r - d, DELETED, d)) {
		*n = (uint32_t)r - m - d;
		memmove(out, out + m, *n);
		out[*n] = 0;
		return starts(out, "/sys/kernel/") ? EMULATED : NONE;
	}
	/* an emulated directory's stand-in (a descriptor's or a working
	   directory's), or trace_pipe's pipe */
	if (!starts(out, "/tmp/.limen-tfs-") &&
	    !starts(out, "/dev/shm/.limen-tfs-") && !starts(out, "pipe:["))
		return NONE;
	if (limen_sys4(SYS_newfstatat, AT_FDCWD, l->link, st, 0) < 0)
		return NONE;
	memcpy(&dev, st, 8);
	memcpy(&ino, st + 8, 8);
	if (out[0] == 'p') {
		k = limen_tfs_pipe_of(dev, ino);
		*n = k ? limen_tfs_kind_path(k, out) : 0;
		return *n ? EMULATED : NONE;
	}
	k = limen_tfs_dir_of(dev, ino);
	*n = k ? limen_tfs_dir_path(k, out) : 0;
	return *n ? EMULATED : NONE;
}

/* The session has stand-ins that another process's link may lead to: a
   user_events_data file open, a tracefs file opened, an emulated
   working directory entered. */
static int stand_ins(void)
{
	struct limen_uev_area *a = limen_uev_area(limen_rt.ctl);

	if (limen_uevf_any())
		return 1;
	for (uint32_t i = 0; i < LIMEN_TFS_CWDS; i++)
		if (__atomic_load_n(&a->cwds[i].kind, __ATOMIC_RELAXED))
			return 1;
	return 0;
}

/*
 * Where link l leads, in out: EMULATED, KERNEL or NONE (read_link).
 * With emulated_only, a link the runtime does not know of this process
 * is read only when the session has stand-ins at all: every other
 * /proc/self/fd/N costs nothing more.
 */
static int target(const struct plink *l, char *out, uint32_t *n,
		  int emulated_only)
{
	if (l->own) {
		uint16_t k = l->fd < 0 ? limen_tfs_cwd_kind() :
					 limen_uev_file_of(l->fd);

		/* a user_events_data descriptor's path is its memfd's name
		   (which prefix it was opened under) */
		if ((k & LIMEN_TFS_FILE) && (*n = limen_tfs_kind_path(k, out)))
			return EMULATED;
	}
	if (emulated_only && !stand_ins())
		return NONE;
	return read_link(l, out, n);
}

/* The link at the start of the program's path (at most LINK_BYTES of
   it looked at): 1 with l. Cheap for every other path. */
static int link_at(uint64_t path, struct plink *l)
{
	char p[LINK_BYTES + 1];
	long k;

	if (!limen_rt.ctl || !path)
		return 0;
	k = limen_peek_read(p, path, 8);
	if (k < 8 || (limen_strncmp(p, "/proc/", 6) &&
		      limen_strncmp(p, "/dev/fd/", 8)))
		return 0;
	k = limen_peek_read(p, path, LINK_BYTES);
	if (k <= 0)
		return 0;
	p[k] = 0;
	return parse(p, l);
}

/* out (n bytes of a path) followed by the rest of the program's path
   past l: the length, or -errno */
static long append_rest(const struct plink *l, uint64_t path, char *out,
			uint32_t n)
{
	long k = limen_peek_read(out + n, path + l->rest,
				 LIMEN_TFS_PATH - 1 - n);

	if (k < 0)
		return -EFAULT;
	out[n + (uint32_t)k] = 0;
	if (limen_strlen(out + n) >= LIMEN_TFS_PATH - 1 - n)
		return -ENAMETOOLONG;
	return (long)limen_strlen(out);
}

/*
 * The program's path starts with a /proc link to an emulated file or
 * directory: 1, with the emulated path in abs (LIMEN_TFS_PATH bytes)
 * and what it names in *f (0: a path past the link that leaves the
 * emulated tree, abs is the kernel's to look at); 0 when it does not;
 * -errno to answer. With nofollow a link at the path's end is the
 * link itself (lstat, O_NOFOLLOW, AT_SYMLINK_NOFOLLOW): not followed.
 */
int limen_tfs_proc_file(uint64_t path, int nofollow, char *abs, uint16_t *f)
{
	char look[LIMEN_TFS_PATH];
	struct plink l;
	uint32_t n;
	long r;
	char c;

	if (!link_at(path, &l))
		return 0;
	if (limen_peek_read(&c, path + l.rest, 1) != 1)
		return 0;
	if ((!c && nofollow) || target(&l, abs, &n, 1) != EMULATED)
		return 0;
	r = append_rest(&l, path, abs, n);
	if (r < 0)
		return (int)r;
	memcpy(look, abs, sizeof(look));
	*f = limen_tfs_lookup(look);
	return 1;
}

/*
 * readlink of a /proc link to an emulated file: its tracefs path, cut
 * to size as the kernel's readlink cuts (no NUL). 1 with *ret when
 * answered; 0 for the kernel to answer (a size it refuses too).
 */
long limen_tfs_proc_readlink(uint64_t path, uint64_t buf, long size,
			     long *ret)
{
	char out[LIMEN_TFS_PATH];
	struct plink l;
	uint32_t n;
	char c;

	size = (int)size; /* the kernel's bufsiz is an int */
	if (size <= 0 || !link_at(path, &l) ||
	    limen_peek_read(&c, path + l.rest, 1) != 1 || c ||
	    target(&l, out, &n, 1) != EMULATED)
		return 0;
	if ((long)n > size)
		n = (uint32_t)size;
	*ret = limen_put_user(buf, out, n) == (long)n ? (long)n : -EFAULT;
	return 1;
}

/*
 * The kernel said ENOENT to an absolute path: one through a /proc link
 * to a directory (the kernel's, under /sys/kernel/, or an emulated one)
 * that names an emulated file past it; 0 if none.
 */
uint16_t limen_tfs_proc_after_enoent(uint64_t path)
{
	char abs[LIMEN_TFS_PATH];
	struct plink l;
	uint32_t n;

	if (!link_at(path, &l) || target(&l, abs, &n, 0) == NONE ||
	    append_rest(&l, path, abs, n) < 0)
		return 0;
	return limen_tfs_lookup(abs);
}

/*
 * What the memfd at descriptor fd stands for, by its name (a tracefs
 * file's stand-in: limen_tfs_memfd), 0 if none. For a descriptor this
 * process received from another (uevent_passfd.c).
 */
uint16_t limen_tfs_memfd_kind(long fd)
{
	char out[LIMEN_TFS_PATH];
	struct plink l = { .fd = fd, .own = 0 };
	char *q = l.link;
	char d[DIGITS];
	uint32_t n, k = 0;

	memcpy(q, "/proc/self/fd/", 14);
	q += 14;
	do
		d[k++] = (char)('0' + fd % 10);
	while ((fd /= 10) && k < DIGITS);
	while (k)
		*q++ = d[--k];
	*q = 0;
	if (read_link(&l, out, &n) != EMULATED || !starts(out, "/sys/kernel/"))
		return 0;
	return limen_tfs_lookup(out);
}
