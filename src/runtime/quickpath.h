/* SPDX-License-Identifier: MIT */
/*
 * The quick way of a call with a plain path (quickpath.c), for
 * dispatch_quick (quickrec.c): the call's shape, worked out once by
 * limen_qpath_nr, and what follows the call.
 */
#ifndef LIMEN_QUICKPATH_H
#define LIMEN_QUICKPATH_H

#include <errno.h>
#include <fcntl.h>
#include <sys/syscall.h>

#include "rt.h"

#ifndef AT_EMPTY_PATH
#define AT_EMPTY_PATH 0x1000
#endif

/* what the hook of a path call needs: where its path is (pi), what it is
   relative to (dirfd), open's flags or the *at call's AT_ flags, and
   whether it is an open (uevent_abi.c) or one of uevent_tfs_path.c's
   calls (QP_STAT: stat, access, readlink, xattr); QP_FULL: one of those
   numbers with AT_EMPTY_PATH, the full way's but for an empty path of
   a recorded call (limen_qpath_enter) */
enum { QP_NO, QP_OPEN, QP_STAT, QP_FULL };

struct limen_qp {
	int kind;
	int pi;
	long dirfd;
	long flags;
	/* an open with O_DIRECTORY whose directory limen_tfs_opened_dir
	   leaves alone, as limen_qpath_enter found its path (set there,
	   not by limen_qp_shape: dispatch_quick runs with the program's
	   AC, fastflags.t, and the shape's stores merged into a misaligned
	   one with it) */
	int dir_left;
};

/* The call's shape as the hooks read it (limen_uev_hook's open and
   openat, limen_tfs_path_hook's): QP_NO for any other number, QP_FULL
   for AT_EMPTY_PATH, whose empty path names the descriptor itself. */
static inline __attribute__((always_inline)) int
limen_qp_shape(long nr, const long *a, struct limen_qp *q)
{
	q->pi = 0;
	q->dirfd = AT_FDCWD;
	q->flags = 0;
	switch (nr) {
	case SYS_open:
		q->flags = a[1];
		return q->kind = QP_OPEN;
	case SYS_openat:
		q->pi = 1;
		q->dirfd = (int)a[0];
		q->flags = a[2];
		return q->kind = QP_OPEN;
	case SYS_stat:
	case SYS_lstat:
	case SYS_access:
	case SYS_readlink:
	case SYS_getxattr:
	case SYS_lgetxattr:
	case SYS_listxattr:
	case SYS_llistxattr:
		return q->kind = QP_STAT;
	case SYS_readlinkat:
		break;
	case SYS_newfstatat:
	case SYS_faccessat2:
		q->flags = a[3];
		break;
	case SYS_statx:
		q->flags = a[2];
		break;
	case SYS_faccessat:
		break;
	default:
		return q->kind = QP_NO;
	}
	q->pi = 1;
	q->dirfd = (int)a[0];
	if (q->flags & AT_EMPTY_PATH)
		return q->kind = QP_FULL;
	return q->kind = QP_STAT;
}

extern int limen_lean_ready LIMEN_HIDDEN;

/* nr is one of them (its shape in q, for limen_qpath_enter and
   limen_qpath_done), and the quick way is taken: as for the other
   numbers of the quick way (limen_lean_nrs), once a site of this image
   was rewritten (lean.c); before, and under --no-rewrite, every call
   takes the full way. Inline: dispatch_quick asks it at every call */
static inline int limen_qpath_nr(long nr, const long *a, struct limen_qp *q)
{
	if (!__atomic_load_n(&limen_lean_ready, __ATOMIC_ACQUIRE))
		return 0;
	return limen_qp_shape(nr, a, q) != QP_NO;
}

int limen_qpath_enter(long nr, const long *a, int sel, long site,
		      struct limen_qp *q) LIMEN_HIDDEN;
long limen_qpath_done(long nr, const long *a, const struct limen_qp *q,
		      long ret) LIMEN_HIDDEN;
int limen_qpath_number(long nr) LIMEN_HIDDEN;
int limen_lean_path(long nr, const long *a) LIMEN_HIDDEN;

/*
 * After the call limen_qpath_enter let through: the kernel's answer ret,
 * or what the hooks make of it (limen_qpath_done). They act only on
 * ENOENT (a path the kernel resolves into the emulated tracefs), EACCES
 * of an O_CREAT open (the same, where a tracefs is mounted: it creates
 * nothing), an open of a directory (its listing; not one whose path
 * limen_qpath_enter found none it follows), and a descriptor the
 * emulation had seen closed elsewhere (none while no user_events file
 * was ever opened): every other answer is told here, inline. The kernel
 * has just run the call and left little of limen in the caches: each
 * call into another file's text is a miss or two.
 */
static inline long limen_qpath_after(long nr, const long *a,
				     const struct limen_qp *q, long ret)
{
	if (ret == -ENOENT ||
	    (q->kind == QP_OPEN && ret >= 0 &&
	     (((q->flags & O_DIRECTORY) && !q->dir_left) ||
	      __atomic_load_n(&limen_uev_any, __ATOMIC_RELAXED))) ||
	    (q->kind == QP_OPEN && ret == -EACCES && (q->flags & O_CREAT)))
		return limen_qpath_done(nr, a, q, ret);
	return ret;
}

#endif
