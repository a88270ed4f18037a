/* SPDX-License-Identifier: MIT */
/*
 * The emulated tracefs files of user_events (uevent_tracefs.c) as the
 * file system sees them: what stat, lstat, fstat, newfstatat, statx,
 * access, faccessat(2), the xattr calls and readlink say of them, paths
 * relative to an emulated directory's descriptor, and a working
 * directory inside the emulated tree (chdir, fchdir, getcwd), kept
 * across exec.
 *
 * A path is looked at only when the kernel answers ENOENT (where the
 * kernel has the file, it is the kernel's), or when it is relative to an
 * emulated directory, which the kernel does not know: such a path is
 * made absolute and resolved here ("." and ".." included), and one that
 * leaves the emulated tree goes to the kernel absolute.
 *
 * What stat says is what a tracefs of a kernel with user_events says:
 * regular files of size 0 with the modes the kernel creates them with,
 * directories, one link each; the device, the times and the block size
 * of the tracefs mounted there (of /sys/kernel or / without one); as
 * owner the user, as of a tracefs mounted with uid= and gid= of the user
 * (the emulation is the user's own: a user who is not root reads and
 * writes it as the owner, root as root).
 *
 * An emulated directory's descriptor, and the kernel's working directory
 * of a process whose working directory is emulated, is an empty
 * directory removed as soon as it is open: what the kernel does with a
 * path relative to it that is not looked at here (mkdirat, unlinkat,
 * ...) finds nothing there and touches nothing.
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "raw.h"
#include "rt.h"
#include "session/uevent_area.h"

#define STAT_BYTES 144u   /* struct stat, x86_64 */
#define STATX_BYTES 256u  /* struct statx */
#define AT_STATX_SYNC_TYPE_ 0x6000
#define TRIES 8

/* the process's working directory is this emulated directory; 0: the
   kernel's (rt.h: read inline by limen_tfs_plain_dir) */
uint16_t limen_tfs_wd_kind LIMEN_HIDDEN;

/* What descriptor fd is: an emulated file or directory, 0 if neither. A
   user_events_data file is one too. */
static uint16_t fd_kind(long fd)
{
	uint16_t f;

	fd = (int)fd; /* the kernel reads an int: AT_FDCWD may come as
			 0xffffff9c */
	if (fd == AT_FDCWD)
		return limen_tfs_wd_kind;
	f = limen_uev_file_of(fd);
	if (!f)
		return 0;
	return f & LIMEN_TFS_FILE ? f : limen_tfs_data_kind();
}

static uint16_t dir_of(long dirfd)
{
	uint16_t f = fd_kind(dirfd);

	return f && limen_tfs_is_dir(f) ? f : 0;
}

/*
 * An empty directory, removed once open: its descriptor (O_DIRECTORY,
 * flags' O_CLOEXEC). Made in /tmp, or /dev/shm.
 */
long limen_tfs_empty_dir(long flags)
{
	static const char *const where[] = { "/tmp/", "/dev/shm/" };
	static uint32_t seq;
	char p[64];
	long r = -ENOENT;

	for (uint32_t w = 0; w < 2; w++) {
		for (int t = 0; t < TRIES; t++) {
			uint32_t n = (uint32_t)limen_strlen(where[w]);
			long fd;

			memcpy(p, where[w], n);
			memcpy(p + n, ".limen-tfs-", 11);
			n += 11;
			n += limen_fmt_dec(p + n, limen_sys0(SYS_gettid));
			p[n++] = '-';
			limen_fmt_dec(p + n,
				      __atomic_add_fetch(&seq, 1,
							 __ATOMIC_RELAXED) +
					      (uint32_t)__builtin_ia32_rdtsc());
			r = limen_sys2(SYS_mkdir, p, 0700);
			if (r == -EEXIST)
				continue;
			if (r < 0)
				break;
			fd = limen_sys3(SYS_open, p,
					O_RDONLY | O_DIRECTORY |
						(flags & O_CLOEXEC),
					0);
			limen_sys1(SYS_rmdir, p);
			return fd;
		}
	}
	return r;
}

/*
 * path, relative to an emulated directory (dirfd's, or the working
 * directory): made absolute and normalised in abs (LIMEN_TFS_PATH
 * bytes): 1; 0 when it is not such a path; -errno to answer.
 */
int limen_tfs_rel(long dirfd, uint64_t path, char *abs)
{
	uint16_t d;
	uint32_t n;
	long k;

	if (!limen_rt.ctl)
		return 0;
	d = dir_of(dirfd);
	if (!d)
		return 0;
	if (!path)
		return -EFAULT;
	n = limen_tfs_dir_path(d, abs);
	if (!n)
		return -ENOENT; /* its event is gone, and the directory */
	abs[n++] = '/';
	k = limen_peek_read(abs + n, path, LIMEN_TFS_PATH - 1 - n);
	if (k <= 0)
		return -EFAULT;
	abs[n + (uint32_t)k] = 0;
	if (abs[n] == '/')
		return 0; /* absolute: the kernel's to look at */
	if (!abs[n])
		return -ENOENT;
	if (limen_strlen(abs + n) >= LIMEN_TFS_PATH - 1 - n)
		return -ENAMETOOLONG;
	limen_tfs_norm(abs);
	return 1;
}

/* limen_tfs_rel, and the emulated file the path names in *f (0: none,
   the path leaves the emulated tree: abs is the kernel's, absolute) */
int limen_tfs_rel_file(long dirfd, uint64_t path, char *abs, uint16_t *f)
{
	char look[LIMEN_TFS_PATH];
	int rel = limen_tfs_rel(dirfd, path, abs);

	if (rel <= 0)
		return rel;
	memcpy(look, abs, sizeof(look));
	*f = limen_tfs_lookup(look);
	return 1;
}

/*
 * The kernel said ENOENT to path (relative to dirfd): the emulated file
 * it names, 0 if none. A relative path is made absolute with the
 * kernel's directory (its working directory, or dirfd's path).
 */
#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull
/* the first bytes of a path, read once for the looks after ENOENT */
#define HEAD_BYTES 64

/* the high bit of each zero byte of w (and of some bytes above the
   first zero byte: a borrow) */
static uint64_t zero_bytes(uint64_t w)
{
	return (w - ONES) & ~w & HIGHS;
}

/* 1: the string at p (n bytes read, zeros after them up to n + 16) may
   hold "//" or "/." before its NUL: a word at a time, each word's bytes
   against the next ones (false positives only cost the exact look);
   *end: its NUL is among the n bytes */
static inline __attribute__((always_inline)) int
odd_names(const char *p, long n, int *end)
{
	for (long i = 0; i < n; i += 8) {
		uint64_t w, x, nul, hit;

		__builtin_memcpy(&w, p + i, 8);
		__builtin_memcpy(&x, p + i + 1, 8);
		nul = zero_bytes(w);
		/* '.' and '/' differ in their low bit only: one test */
		hit = zero_bytes(w ^ (ONES * '/')) &
		      zero_bytes((x | ONES) ^ (ONES * '/'));
		if (nul) {
			/* the bytes below the first NUL */
			hit &= nul ^ (nul - 1);
			*end = i + 8 <= n || (long)(__builtin_ctzll(nul) / 8) + i < n;
			return hit != 0;
		}
		if (hit)
			return 1;
	}
	return 0;
}

/*
 * An absolute path spelled otherwise than "/sys/kernel/...": an empty
 * name, "." or ".." in it ("//sys/kernel/tracing/...", "/./sys/...",
 * "/tmp/../sys/..."). limen_tfs_path compares the first bytes only, and
 * the quick way (quickpath.c) takes such a path as plain: the kernel
 * resolves it, so the emulation names the file it resolves to.
 */
static uint16_t respelled(uint64_t path)
{
	char p[LIMEN_TFS_PATH + 16];
	/* nearly every path ends within the first read */
	long n = limen_peek_read(p, path, 256);
	int end = 0;

	if (n <= 0)
		return 0;
	__builtin_memset(p + n, 0, 16);
	if (!odd_names(p, n, &end) && end)
		return 0;
	n = limen_peek_read(p, path, LIMEN_TFS_PATH - 1);
	if (n <= 0)
		return 0;
	__builtin_memset(p + n, 0, 16);
	if (limen_strlen(p) >= LIMEN_TFS_PATH - 1 || !odd_names(p, n, &end))
		return 0;
	return limen_tfs_lookup(p);
}

/*
 * The directory a relative path is resolved from, as the kernel resolves
 * it: the working directory (AT_FDCWD) or dirfd's, into abs (size bytes),
 * without its NUL; its length, or <= 0 (a descriptor the kernel would
 * refuse: -EBADF, or the call's error).
 */
long limen_dir_path(long dirfd, char *abs, size_t size)
{
	char p[32] = "/proc/self/fd/";
	long n;

	dirfd = (int)dirfd; /* the kernel reads an int */
	if (dirfd == AT_FDCWD) {
		n = limen_sys2(SYS_getcwd, abs, size);
		return n > 0 ? n - 1 : n; /* its length counts the NUL */
	}
	if (dirfd < 0)
		return -EBADF;
	limen_fmt_dec(p + 14, dirfd);
	return limen_sys3(SYS_readlink, p, abs, size - 1);
}

/* An absolute path's first n bytes (zeros after them up to n + 16), read
   for limen_tfs_after_enoent: 1 when its NUL is among them and no "//"
   or "/." comes before it, so that respelled has nothing to look up */
static inline __attribute__((always_inline)) int
abs_plainly_spelled(const char *abs, long n)
{
	int end = 0;

	return !odd_names(abs, n, &end) && end;
}

/* The last name of a relative path's string s, e bytes before its NUL,
   trailing slashes left out: its end, its first byte's index in *b */
static inline __attribute__((always_inline)) uint32_t
last_name(const char *s, uint32_t e, uint32_t *b)
{
	while (e > 1 && s[e - 1] == '/')
		e--;
	*b = e;
	while (*b && s[*b - 1] != '/')
		(*b)--;
	return e;
}

/* A relative path's whole string s, e bytes before its NUL: 1 when its
   last name may name an emulated file, so that limen_tfs_after_enoent
   looks it up in its directory */
static int last_may_name(const char *s, uint32_t e)
{
	uint32_t b;

	e = last_name(s, e, &b);
	return limen_tfs_may_name(s + b, e - b);
}

/* rdir_any and dir_may_name: the kernel's tracefs directories opened
   (limen_tfs_opened_dir, below) */
static int rdir_any;

/* The last name of a relative path (n bytes): one a directory
   limen_tfs_opened_dir follows may be opened by ("tracing", "events",
   "." or ".."). Byte by byte, without a call: limen_tfs_lean_inert
   stays a leaf. */
static inline __attribute__((always_inline)) int
dir_may_name(const char *last, uint32_t n)
{
	switch (n) {
	case 1:
		return last[0] == '.';
	case 2:
		return last[0] == '.' && last[1] == '.';
	case 6:
		return last[0] == 'e' && last[1] == 'v' && last[2] == 'e' &&
		       last[3] == 'n' && last[4] == 't' && last[5] == 's';
	case 7:
		return last[0] == 't' && last[1] == 'r' && last[2] == 'a' &&
		       last[3] == 'c' && last[4] == 'i' && last[5] == 'n' &&
		       last[6] == 'g';
	}
	return 0;
}

/* The high bit of each zero byte of w, and of no other (no borrow:
   each byte's low seven bits are added to 0x7f apart) */
static inline __attribute__((always_inline)) uint64_t
zero_bytes_exact(uint64_t w)
{
	return ~(((w & ~HIGHS) + ~HIGHS) | w) & HIGHS;
}

/* The low bytes of a word below byte k (k < 8): its mask */
static inline __attribute__((always_inline)) uint64_t below(long k)
{
	return (1ull << (k * 8)) - 1;
}

/* The bytes of the word at p that are a '/' followed by a '/' or a
   '.' (their high bits; and maybe some after the first of them: a
   borrow), in one zero test: both xors are zero there alone, and '.'
   and '/' differ in their low bit only */
static inline __attribute__((always_inline)) uint64_t
odd_pairs(const char *p)
{
	uint64_t w, x;

	__builtin_memcpy(&w, p, 8);
	__builtin_memcpy(&x, p + 1, 8);
	return zero_bytes((w ^ (ONES * '/')) | ((x | ONES) ^ (ONES * '/')));
}

/* abs_plainly_spelled of a path whose NUL is at len (readable, with
   zeros after, to len + 16): 1 when no '/' before it is followed by a
   '/' or a '.'. A word at a time, each word against the next bytes;
   odd_pairs' extra bits only follow a real pair. */
static inline __attribute__((always_inline)) int
plainly_spelled(const char *p, long len)
{
	long i = 0;

	for (; i + 8 <= len; i += 8)
		if (odd_pairs(p + i))
			return 0;
	return !(odd_pairs(p + i) & below(len - i));
}

/* The index of the last '/' of a string whose NUL is at len (readable
   to len + 8), -1 if none: a word at a time, from the NUL's back */
static inline __attribute__((always_inline)) long
last_slash(const char *p, long len)
{
	long i = len & ~7l;
	uint64_t m = below(len & 7), w;

	for (;;) {
		__builtin_memcpy(&w, p + i, 8);
		w = zero_bytes_exact(w ^ (ONES * '/')) & m;
		if (w)
			return i + (63 - __builtin_clzll(w)) / 8;
		if (!i)
			return -1;
		i -= 8;
		m = ~0ull;
	}
}

/* limen_tfs_lean_inert's relative path, as it was before the quick
   look: a last name with slashes after it */
static __attribute__((noinline)) int rel_inert_slow(const char *p, long len,
						    int dir)
{
	uint32_t b, e = last_name(p, (uint32_t)len, &b);

	if (dir && (len >= 64 || dir_may_name(p + b, e - b)))
		return 0;
	return !limen_tfs_may_name(p + b, e - b);
}

/*
 * For the lean path (quickpath.c, limen_lean_path): the whole string p
 * (len bytes before its NUL, shorter than respelled's first read; zeros
 * after it up to len + 16) of a plain path (tfs_plain.h: not under /sys/,
 * /dev/ or /proc/), of an open with O_DIRECTORY if dir. 1 when neither
 * limen_tfs_after_enoent finds anything for it whatever the kernel
 * answers, nor, for dir, limen_tfs_opened_dir follows the directory the
 * kernel opens:
 *  - an absolute path spelled plainly (the first read's test, and
 *    respelled's on the whole), which opened_dir leaves alone (not under
 *    /sys/);
 *  - an empty one (ENOENT, always);
 *  - a relative one whose last name is none of the emulated files' while
 *    no event is registered (last_may_name, the test after_enoent makes
 *    first) and, for dir, none of those opened_dir looks further at, in
 *    the 64 bytes it reads;
 * and for dir, only while no directory is followed in this process (a
 * number reused is forgotten there). Most paths are told a word at a
 * time and without a frame (the rest, and the name's test, are tail
 * calls).
 */
int limen_tfs_lean_inert(const char *p, long len, int dir)
{
	long b;

	if (dir && __atomic_load_n(&rdir_any, __ATOMIC_RELAXED))
		return 0;
	if (p[0] == '/')
		return plainly_spelled(p, len);
	if (!p[0])
		return 1;
	b = last_slash(p, len) + 1;
	if (b == len)
		return rel_inert_slow(p, len, dir); /* "name/" */
	if (dir && (len >= 64 || dir_may_name(p + b, (uint32_t)(len - b))))
		return 0;
	return limen_tfs_no_name(p + b, (uint32_t)(len - b));
}

/* Its O_DIRECTORY half alone, for the quick way (quickpath.c,
   limen_qpath_enter), which asks limen_tfs_after_enoent after an ENOENT:
   1 when limen_tfs_opened_dir leaves alone the directory an open of the
   plain path p (len bytes, NUL-terminated) opens */
int limen_tfs_dir_inert(const char *p, long len)
{
	uint32_t b, e;

	if (__atomic_load_n(&rdir_any, __ATOMIC_RELAXED))
		return 0;
	if (p[0] == '/' || !p[0])
		return 1;
	e = last_name(p, (uint32_t)len, &b);
	return len < 64 && !dir_may_name(p + b, e - b);
}

uint16_t limen_tfs_after_enoent(long dirfd, uint64_t path)
{
	char abs[LIMEN_TFS_PATH];
	long n, k;
	char c;

	dirfd = (int)dirfd;
	if (!limen_rt.ctl || !path)
		return 0;
	/* the path's first bytes say which of the looks below may find
	   something (each would read them again: most find nothing) */
	n = limen_peek_read(abs, path, HEAD_BYTES);
	if (n <= 0)
		return 0;
	__builtin_memset(abs + n, 0, 16);
	c = abs[0];
	if (c == '/') {
		uint16_t f = 0;

		if (n >= 12 && !limen_strncmp(abs, "/sys/kernel/", 12))
			f = limen_tfs_path(path);
		/* through a /proc link to the kernel's tracefs directory */
		else if (n >= 8 && (!limen_strncmp(abs, "/proc/", 6) ||
				    !limen_strncmp(abs, "/dev/fd/", 8)))
			f = limen_tfs_proc_after_enoent(path);
		if (!f && !abs_plainly_spelled(abs, n))
			f = respelled(path);
		return f;
	}
	if (!c)
		return 0;
	/* the last name first: most cannot be one (no system call) */
	k = limen_peek_read(abs, path, sizeof(abs) - 1);
	if (k <= 0)
		return 0;
	abs[k] = 0;
	if (!last_may_name(abs, (uint32_t)limen_strlen(abs)))
		return 0;
	n = limen_dir_path(dirfd, abs, sizeof(abs));
	/* the lookup puts the two together as the kernel resolves them
	   ("..", "."): from /, /sys, /sys/kernel or beside them too */
	if (n <= 0 || n >= (long)sizeof(abs) - 2)
		return 0;
	abs[n++] = '/';
	k = limen_peek_read(abs + n, path, sizeof(abs) - 1 - (size_t)n);
	if (k <= 0)
		return 0;
	abs[n + k] = 0;
	if (limen_strlen(abs + n) >= sizeof(abs) - 1 - (size_t)n)
		return 0;
	return limen_tfs_lookup(abs);
}

/* ---- what stat says ---- */

/* the place whose device and times the emulated files show */
static int tmpl(uint16_t kind, int i, const char **p)
{
	static const char *const after[] = { "/sys/kernel", "/" };

	if (i == 0)
		*p = kind & 0x4000u ? "/sys/kernel/debug/tracing" :
				      "/sys/kernel/tracing";
	else if (i <= 2)
		*p = after[i - 1];
	else
		return 0;
	return 1;
}

static void put32(uint8_t *b, uint32_t off, uint32_t v)
{
	memcpy(b + off, &v, 4);
}

static void put64(uint8_t *b, uint32_t off, uint64_t v)
{
	memcpy(b + off, &v, 8);
}

/* struct stat of kind at buf */
static long put_stat(uint16_t kind, uint64_t buf)
{
	uint8_t st[STAT_BYTES];
	const char *p;
	int i = 0;

	memset(st, 0, sizeof(st));
	while (tmpl(kind, i++, &p))
		if (limen_sys4(SYS_newfstatat, AT_FDCWD, p, st, 0) == 0)
			break;
	put64(st, 8, limen_tfs_ino(kind));                /* st_ino */
	put64(st, 16, 1);                                  /* st_nlink */
	put32(st, 24, limen_tfs_mode(kind));               /* st_mode */
	put32(st, 28, (uint32_t)limen_sys0(SYS_geteuid)); /* st_uid */
	put32(st, 32, (uint32_t)limen_sys0(SYS_getegid)); /* st_gid */
	put64(st, 40, 0);                                  /* st_rdev */
	put64(st, 48, 0);                                  /* st_size */
	put64(st, 64, 0);                                  /* st_blocks */
	return limen_put_user(buf, st, sizeof(st)) == sizeof(st) ? 0 :
								      -EFAULT;
}

/* struct statx of kind at buf */
static long put_statx(uint16_t kind, long flags, long mask, uint64_t buf)
{
	uint8_t sx[STATX_BYTES];
	const char *p;
	int i = 0;

	memset(sx, 0, sizeof(sx));
	while (tmpl(kind, i++, &p))
		if (limen_sys5(SYS_statx, AT_FDCWD, p,
			       flags & AT_STATX_SYNC_TYPE_, mask, sx) == 0)
			break;
	put64(sx, 8, 0);                                   /* attributes */
	put32(sx, 16, 1);                                  /* stx_nlink */
	put32(sx, 20, (uint32_t)limen_sys0(SYS_geteuid)); /* stx_uid */
	put32(sx, 24, (uint32_t)limen_sys0(SYS_getegid)); /* stx_gid */
	{
		uint16_t m = (uint16_t)limen_tfs_mode(kind);

		memcpy(sx + 28, &m, 2);                    /* stx_mode */
	}
	put64(sx, 32, limen_tfs_ino(kind));                /* stx_ino */
	put64(sx, 40, 0);                                  /* stx_size */
	put64(sx, 48, 0);                                  /* stx_blocks */
	put32(sx, 128, 0);                                 /* stx_rdev_* */
	put32(sx, 132, 0);
	return limen_put_user(buf, sx, sizeof(sx)) == sizeof(sx) ? 0 :
								      -EFAULT;
}

/* access(2) of kind: the mode's bits for its owner (the user), or root's
   say (read and write anything, execute what has an x bit) */
static long check_access(uint16_t kind, long mode, long flags)
{
	uint32_t m = limen_tfs_mode(kind), bits;
	long uid = limen_sys0(flags & AT_EACCESS ? SYS_geteuid : SYS_getuid);

	if (!(mode & 7))
		return 0; /* F_OK */
	if (uid == 0)
		return (mode & X_OK) && !(m & 0111) ? -EACCES : 0;
	bits = uid == limen_sys0(SYS_geteuid) ? (m >> 6) & 7 : m & 7;
	return (uint32_t)mode & ~bits & 7 ? -EACCES : 0;
}

static long answer(long nr, const long *a, uint16_t kind)
{
	switch (nr) {
	case SYS_stat:
	case SYS_lstat:
		return put_stat(kind, (uint64_t)a[1]);
	case SYS_fstat:
		return put_stat(kind, (uint64_t)a[1]);
	case SYS_newfstatat:
		return put_stat(kind, (uint64_t)a[2]);
	case SYS_statx:
		return put_statx(kind, a[2], a[3], (uint64_t)a[4]);
	case SYS_access:
		return check_access(kind, a[1], 0);
	case SYS_faccessat:
		return check_access(kind, a[2], 0);
	case SYS_faccessat2:
		return check_access(kind, a[2], a[3]);
	case SYS_getxattr:
	case SYS_lgetxattr:
	case SYS_fgetxattr:
		return -EOPNOTSUPP; /* tracefs has no extended attributes */
	case SYS_listxattr:
	case SYS_llistxattr:
	case SYS_flistxattr:
		return 0;
	case SYS_readlink:
	case SYS_readlinkat:
		return -EINVAL; /* not a symbolic link */
	}
	return -ENOSYS;
}

/* ---- the working directory ---- */

/*
 * The working directory becomes emulated directory kind: the kernel's is
 * an empty directory removed at once (paths relative to it that are not
 * looked at here find nothing), remembered in the session for an exec.
 */
static long set_cwd(uint16_t kind)
{
	struct limen_uev_area *a = limen_uev_area(limen_rt.ctl);
	uint8_t st[STAT_BYTES];
	long fd = limen_tfs_empty_dir(O_CLOEXEC), r;
	uint32_t i;

	if (fd < 0)
		return fd;
	r = limen_sys1(SYS_fchdir, fd);
	if (r == 0 && limen_sys2(SYS_fstat, fd, st) == 0) {
		struct limen_tfs_cwd *c;

		uint64_t dev, ino;

		memcpy(&dev, st, 8);
		memcpy(&ino, st + 8, 8);
		/* an inode number freed (a directory left) is given again:
		   it stands for this one now */
		for (i = 0; i < LIMEN_TFS_CWDS; i++)
			if (a->cwds[i].dev == dev && a->cwds[i].ino == ino)
				__atomic_store_n(&a->cwds[i].kind, 0,
						 __ATOMIC_RELEASE);
		limen_uev_mark_used(limen_rt.ctl);
		i = __atomic_fetch_add(&a->cwd_next, 1, __ATOMIC_RELAXED) %
		    LIMEN_TFS_CWDS;
		c = &a->cwds[i];
		__atomic_store_n(&c->kind, 0, __ATOMIC_RELEASE);
		c->dev = dev;
		c->ino = ino;
		__atomic_store_n(&c->kind, kind, __ATOMIC_RELEASE);
	}
	limen_sys1(SYS_close, fd);
	/* a vfork child shares the parent's memory, not its directory: its
	   exec finds it in the session */
	if (r == 0 && !limen_tls.vfork_child) {
		/* fchdir and getcwd look at it from now on (lean.c) */
		limen_lean_fd_off();
		limen_tfs_wd_kind = kind;
	}
	return r;
}

/* The emulated directory that the kernel's directory (dev, ino), an
   empty one removed, stands for as some process's working directory
   (set_cwd): 0 if none. */
uint16_t limen_tfs_cwd_of(uint64_t dev, uint64_t ino)
{
	struct limen_uev_area *a;

	if (!limen_rt.ctl)
		return 0;
	a = limen_uev_area(limen_rt.ctl);
	for (uint32_t i = 0; i < LIMEN_TFS_CWDS; i++) {
		struct limen_tfs_cwd *c = &a->cwds[i];
		uint32_t k = __atomic_load_n(&c->kind, __ATOMIC_ACQUIRE);

		if (k && c->dev == dev && c->ino == ino &&
		    limen_tfs_is_dir((uint16_t)k))
			return (uint16_t)k;
	}
	return 0;
}

/*
 * Descriptor fd, an empty directory removed, now stands for emulated
 * directory kind (limen_tfs_open): remembered in the session, the last
 * LIMEN_TFS_DIRS of them, so that another process or image that has it
 * knows it (limen_tfs_dir_of).
 */
void limen_tfs_dir_opened(long fd, uint16_t kind)
{
	struct limen_uev_area *a;
	struct limen_tfs_cwd *c;
	uint8_t st[STAT_BYTES];
	uint64_t dev, ino;
	uint32_t i;

	if (!limen_rt.ctl || limen_sys2(SYS_fstat, fd, st) < 0)
		return;
	a = limen_uev_area(limen_rt.ctl);
	memcpy(&dev, st, 8);
	memcpy(&ino, st + 8, 8);
	/* an inode number freed is given again: it stands for this one */
	for (i = 0; i < LIMEN_TFS_DIRS; i++)
		if (a->dirs[i].dev == dev && a->dirs[i].ino == ino)
			__atomic_store_n(&a->dirs[i].kind, 0, __ATOMIC_RELEASE);
	limen_uev_mark_used(limen_rt.ctl);
	i = __atomic_fetch_add(&a->dir_next, 1, __ATOMIC_RELAXED) %
	    LIMEN_TFS_DIRS;
	c = &a->dirs[i];
	__atomic_store_n(&c->kind, 0, __ATOMIC_RELEASE);
	c->dev = dev;
	c->ino = ino;
	__atomic_store_n(&c->kind, kind, __ATOMIC_RELEASE);
}

/* The emulated directory that the kernel's directory (dev, ino), an
   empty one removed, stands for as a descriptor or a working directory;
   0 if none. */
uint16_t limen_tfs_dir_of(uint64_t dev, uint64_t ino)
{
	struct limen_uev_area *a;

	if (!limen_rt.ctl)
		return 0;
	a = limen_uev_area(limen_rt.ctl);
	for (uint32_t i = 0; i < LIMEN_TFS_DIRS; i++) {
		struct limen_tfs_cwd *c = &a->dirs[i];
		uint32_t k = __atomic_load_n(&c->kind, __ATOMIC_ACQUIRE);

		if (k && c->dev == dev && c->ino == ino &&
		    limen_tfs_is_dir((uint16_t)k))
			return (uint16_t)k;
	}
	return limen_tfs_cwd_of(dev, ino);
}

/* This process's working directory, when it is an emulated one. */
uint16_t limen_tfs_cwd_kind(void)
{
	return limen_tfs_wd_kind;
}

/* After an exec: the working directory was an emulated one. */
void limen_tfs_cwd_exec(void)
{
	struct limen_uev_area *a;
	uint8_t st[STAT_BYTES];
	uint64_t dev, ino, nlink;
	int any = 0;

	/* none was ever made a working directory (session.h, uev_used) */
	if (!limen_uev_used(limen_rt.ctl))
		return;
	a = limen_uev_area(limen_rt.ctl);
	for (uint32_t i = 0; i < LIMEN_TFS_CWDS; i++)
		any |= !!__atomic_load_n(&a->cwds[i].kind, __ATOMIC_ACQUIRE);
	if (!any || limen_sys4(SYS_newfstatat, AT_FDCWD, ".", st, 0) < 0)
		return;
	memcpy(&dev, st, 8);
	memcpy(&ino, st + 8, 8);
	memcpy(&nlink, st + 16, 8);
	if (nlink)
		return; /* not a directory removed: not ours */
	limen_tfs_wd_kind = limen_tfs_cwd_of(dev, ino);
	if (limen_tfs_wd_kind)
		limen_lean_fd_off(); /* fchdir, getcwd: not lean (lean.c) */
}

static long do_getcwd(uint64_t buf, long size)
{
	char p[LIMEN_TFS_PATH];
	uint32_t n = limen_tfs_dir_path(limen_tfs_wd_kind, p);

	if (!n)
		return -ENOENT; /* the kernel's answer for a directory gone */
	if ((long)n + 1 > size)
		return -ERANGE;
	return limen_put_user(buf, p, n + 1) == (long)n + 1 ? (long)n + 1 :
								  -EFAULT;
}

static long do_chdir(long nr, const long *a)
{
	char abs[LIMEN_TFS_PATH];
	uint16_t f;
	long r;
	int rel;

	if (nr == SYS_fchdir) {
		f = fd_kind(a[0]);
		if (f)
			return limen_tfs_is_dir(f) ? set_cwd(f) : -ENOTDIR;
		r = limen_app_syscall(nr, a[0], 0, 0, 0, 0, 0);
		if (r == 0 && !limen_tls.vfork_child)
			limen_tfs_wd_kind = 0;
		return r;
	}
	rel = limen_tfs_rel_file(AT_FDCWD, (uint64_t)a[0], abs, &f);
	if (!rel) /* through /proc/PID/fd/N or cwd (uevent_tfs_proc.c) */
		rel = limen_tfs_proc_file((uint64_t)a[0], 0, abs, &f);
	if (rel < 0)
		return rel;
	if (rel) {
		if (f)
			return limen_tfs_is_dir(f) ? set_cwd(f) : -ENOTDIR;
		r = limen_app_syscall(nr, (long)abs, 0, 0, 0, 0, 0);
	} else {
		r = limen_app_syscall(nr, a[0], 0, 0, 0, 0, 0);
		if (r == -ENOENT) {
			f = limen_tfs_after_enoent(AT_FDCWD, (uint64_t)a[0]);
			if (f)
				return limen_tfs_is_dir(f) ? set_cwd(f) :
							     -ENOTDIR;
		}
	}
	if (r == 0 && !limen_tls.vfork_child)
		limen_tfs_wd_kind = 0;
	return r;
}

/* ---- the kernel's listings of the directories they live in ---- */

#define RDIR_FDS 1024u /* descriptors above are not followed */

/* a descriptor of the kernel's tracefs top or its events/ (or the
   directory where one is not mounted): its device and inode (a
   descriptor number reused for another is told apart), what stands for
   it, the next of the entries added after the kernel's */
static struct rdir {
	uint64_t dev, ino;
	uint32_t cursor;
	uint16_t kind;
} rdir[RDIR_FDS] LIMEN_COLD_BSS;

/* The kernel opened directory fd (path, relative to dirfd): follow it if
   it is one whose listing lacks emulated entries. Cheap for any other:
   only an absolute path under /sys/, or a relative one ending in
   "tracing", "events", "." or "..", is looked at further. */
void limen_tfs_opened_dir(long dirfd, uint64_t path, long fd)
{
	char p[LIMEN_TFS_PATH], q[32] = "/proc/self/fd/";
	uint8_t st[STAT_BYTES];
	uint16_t k;
	long n;

	(void)dirfd;
	if ((unsigned long)fd >= RDIR_FDS || !limen_rt.ctl)
		return;
	if (rdir_any)
		rdir[fd].kind = 0;
	n = limen_peek_read(p, path, 64);
	if (n <= 0)
		return;
	p[n] = 0;
	if (p[0] == '/') {
		if (limen_strncmp(p, "/sys/", 5))
			return;
	} else {
		uint32_t b, e = last_name(p, (uint32_t)limen_strlen(p), &b);

		if (!dir_may_name(p + b, e - b))
			return;
	}
	limen_fmt_dec(q + 14, fd);
	n = limen_sys3(SYS_readlink, q, p, sizeof(p) - 1);
	if (n <= 0)
		return;
	p[n] = 0;
	k = limen_tfs_real_dir(p);
	if (!k || limen_sys2(SYS_fstat, fd, st) < 0)
		return;
	memcpy(&rdir[fd].dev, st, 8);
	memcpy(&rdir[fd].ino, st + 8, 8);
	rdir[fd].cursor = 0;
	rdir[fd].kind = k;
	if (!rdir_any) {
		/* its getdents64 goes through the hook from now on, before
		   the program has the descriptor (lean.c) */
		limen_lean_fd_off();
		rdir_any = 1;
	}
}

/*
 * getdents64 on such a directory: the kernel's entries, then the
 * emulated ones it lacks (user_events_data, user_events_status, ...; or
 * user_events/ in events/). 1 with *ret when answered here.
 */
long limen_tfs_dir_hook(const long *a, long *ret)
{
	long fd = (int)a[0], r;
	uint8_t st[STAT_BYTES];
	struct rdir *d;
	uint64_t dev, ino;

	if (!rdir_any || fd < 0 || fd >= (long)RDIR_FDS || !rdir[fd].kind)
		return 0;
	d = &rdir[fd];
	if (limen_sys2(SYS_fstat, fd, st) < 0)
		return 0;
	memcpy(&dev, st, 8);
	memcpy(&ino, st + 8, 8);
	if (dev != d->dev || ino != d->ino) {
		d->kind = 0; /* another file under that number now */
		return 0;
	}
	r = limen_sys3(SYS_getdents64, fd, a[1], a[2]);
	if (r != 0) {
		if (r > 0)
			d->cursor = 0; /* the kernel's (again, after a rewind) */
		*ret = r;
		return 1;
	}
	*ret = limen_tfs_real_getdents(d->kind, &d->cursor, (uint64_t)a[1],
				       a[2]);
	return 1;
}

/* ---- the calls ---- */

static int empty_path(uint64_t path)
{
	char c;

	return !path || (limen_peek_read(&c, path, 1) == 1 && !c);
}

/*
 * What the calls below do with the kernel's answer r for a path the
 * kernel looked at first (a plain one: limen_tfs_plain_path), here and
 * on the quick way (quickpath.c)
 */
long limen_tfs_plain_done(long nr, const long *a, long dirfd, uint64_t path,
			  long r)
{
	uint16_t f;

	if (r == -ENOENT && (f = limen_tfs_after_enoent(dirfd, path)))
		r = answer(nr, a, f);
	return r;
}

/*
 * stat, lstat, fstat, newfstatat, statx, access, faccessat, faccessat2,
 * getxattr, lgetxattr, fgetxattr, listxattr, llistxattr, flistxattr,
 * readlink, readlinkat, chdir, fchdir, getcwd, mount, umount2: 1 with *ret when answered here (or made here
 * with a path made absolute), 0 to let the caller make the call.
 */
long limen_tfs_path_hook(long nr, const long *a, long *ret)
{
	char abs[LIMEN_TFS_PATH];
	long dirfd = AT_FDCWD, flags = 0, r;
	uint64_t path;
	long b[6];
	uint16_t f;
	int rel, at;

	if (!limen_rt.ctl)
		return 0;
	switch (nr) {
	case SYS_fstat:
	case SYS_fgetxattr:
	case SYS_flistxattr:
		f = fd_kind(a[0]);
		if (!f || a[0] == AT_FDCWD)
			return 0;
		*ret = answer(nr, a, f);
		return 1;
	case SYS_getcwd:
		if (!limen_tfs_wd_kind)
			return 0;
		*ret = do_getcwd((uint64_t)a[0], a[1]);
		return 1;
	case SYS_chdir:
	case SYS_fchdir:
		*ret = do_chdir(nr, a);
		return 1;
	case SYS_mount:
	case SYS_umount2:
		/* a tracefs mounted there now, or no more */
		*ret = limen_app_syscall(nr, a[0], a[1], a[2], a[3], a[4], 0);
		if (*ret == 0)
			limen_tfs_forget_mounts();
		return 1;
	case SYS_stat:
	case SYS_lstat:
	case SYS_access:
	case SYS_getxattr:
	case SYS_lgetxattr:
	case SYS_listxattr:
	case SYS_llistxattr:
	case SYS_readlink:
		path = (uint64_t)a[0];
		at = 0;
		break;
	case SYS_newfstatat:
	case SYS_faccessat:
	case SYS_faccessat2:
	case SYS_statx:
	case SYS_readlinkat:
		dirfd = (int)a[0];
		path = (uint64_t)a[1];
		flags = nr == SYS_newfstatat ? a[3] :
			nr == SYS_faccessat2 ? a[3] :
			nr == SYS_statx	     ? a[2] :
						   0;
		at = 1;
		break;
	default:
		return 0;
	}
	/* the descriptor itself (AT_EMPTY_PATH) */
	if (at && (flags & AT_EMPTY_PATH) && empty_path(path)) {
		f = fd_kind(dirfd);
		if (!f)
			return 0;
		*ret = answer(nr, a, f);
		return 1;
	}
	/* most paths: the kernel's first (uevent_tfs_plain.c) */
	if (limen_tfs_plain_path(dirfd, path))
		goto kernel;
	/* /proc/PID/fd/N of an emulated file: its tracefs path */
	if ((nr == SYS_readlink || nr == SYS_readlinkat) &&
	    limen_tfs_proc_readlink(path, (uint64_t)(at ? a[2] : a[1]),
				    at ? a[3] : a[2], ret))
		return 1;
	rel = limen_tfs_rel_file(dirfd, path, abs, &f);
	if (!rel) /* through /proc/PID/fd/N or cwd (uevent_tfs_proc.c) */
		rel = limen_tfs_proc_file(
			path,
			nr == SYS_lstat || nr == SYS_lgetxattr ||
				nr == SYS_llistxattr || nr == SYS_readlink ||
				nr == SYS_readlinkat ||
				(at && (flags & AT_SYMLINK_NOFOLLOW)),
			abs, &f);
	if (rel < 0) {
		*ret = rel;
		return 1;
	}
	if (rel) {
		if (f) {
			*ret = answer(nr, a, f);
			return 1;
		}
		/* out of the emulated tree: the kernel's, absolute */
		for (int i = 0; i < 6; i++)
			b[i] = a[i];
		if (at) {
			b[0] = AT_FDCWD;
			b[1] = (long)abs;
		} else {
			b[0] = (long)abs;
		}
		*ret = limen_app_syscall(nr, b[0], b[1], b[2], b[3], b[4],
					 b[5]);
		return 1;
	}
kernel:
	r = limen_app_syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	*ret = limen_tfs_plain_done(nr, a, dirfd, path, r);
	return 1;
}
