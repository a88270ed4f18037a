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
#include "tfs_plain.h"
#ifdef LIMEN_GS_TLS
#include "loader/loader.h"
#endif

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

/* the path read for a record: nearly all are shorter (longer ones take
   the full way) */
#define QP_BYTES 256u

/* What capture.c captures of a path call (limen_qpath_po): at entry its
   path argument and nothing else, PO_PATH; and nothing at exit either
   (open, openat, access...: quickrec.c writes a plain EXIT), PO_PAIR. */
enum { PO_UNKNOWN, PO_NO, PO_PATH, PO_PAIR };

extern uint8_t limen_qpath_po_memo[LIMEN_TRACE_BITS] LIMEN_HIDDEN;
int limen_qpath_po_work(long nr, int pi) LIMEN_HIDDEN;
int limen_qpath_empty(long nr, const long *a, long site, struct limen_qp *q)
	LIMEN_HIDDEN;

/* nr's PO_ (pi: its path argument), worked out once per number */
static inline __attribute__((always_inline)) int limen_qpath_po(long nr,
								int pi)
{
	uint8_t m;

	if ((unsigned long)nr >= LIMEN_TRACE_BITS)
		return PO_NO;
	m = __atomic_load_n(&limen_qpath_po_memo[nr], __ATOMIC_RELAXED);
	if (__builtin_expect(m == PO_UNKNOWN, 0))
		return limen_qpath_po_work(nr, pi);
	return m;
}

/* Under limen's loader, a path whose last name is "exe" may name
   /proc/self/exe from anywhere ("//proc/self/exe", "exe" in /proc/self):
   limen_exe_hook's to look at (exe_view.c), on the full way; the whole
   path is read for it even when the call is not recorded */
static inline __attribute__((always_inline)) int limen_qpath_exe_viewed(void)
{
#ifdef LIMEN_GS_TLS
	return limen_loader_exe_on; /* limen_exe_viewed, without a call */
#else
	return 0;
#endif
}

static inline __attribute__((always_inline)) int
limen_qpath_exe_named(const char *s, long len)
{
#ifdef LIMEN_GS_TLS
	/* its last name's end first: most paths end otherwise, and are
	   done without a call */
	return len >= 3 && s[len - 1] == 'e' && s[len - 2] == 'x' &&
	       s[len - 3] == 'e' && limen_exe_may_name(s, len);
#else
	(void)s;
	(void)len;
	return 0;
#endif
}

/*
 * Before the call, for dispatch_quick: 1 when nr's path is one no hook
 * wants before the kernel answered, its ENTER record written if sel
 * (site: its ret, limen_call_site); 0: the full way, nothing done yet. s:
 * QP_BYTES for the path. Inline in dispatch_quick, whose frame holds s: a
 * function of its own took a frame of its own for the path and the
 * registers (bench/stepcount: an open and close under -e trace=openat
 * 888.7 instructions a call before, 857.7 inline).
 *
 *   - the path is read once, fault-safely (limen_safe_str), at most
 *     QP_BYTES with its NUL; a fault before the NUL, a longer path, a NULL
 *     pointer, a path that is not plain, AT_EMPTY_PATH with a path (the
 *     hook's own case) or not recorded: the full way, from the start;
 *   - a selected call's ENTER record is written with the path in it
 *     (limen_rec_enter_path).
 */
static inline __attribute__((always_inline)) int
limen_qpath_enter(long nr, const long *a, int sel, long site,
		  struct limen_qp *q, char *s)
{
	const struct limen_ctl *c = limen_rt.ctl;
	struct limen_str_read r;
	int po = PO_NO;

	q->dir_left = 0;
	if (q->kind == QP_FULL)
		return sel ? limen_qpath_empty(nr, a, site, q) : 0;
	if (!a[q->pi])
		return 0;
	if (!sel && !limen_qpath_exe_viewed()) {
		/* limen_tfs_plain_path, whose window (peek.c) is closed here:
		   its 8 bytes, or those up to the NUL where the word faults
		   (the count tfs_plain.h allows: its answer is the same for
		   any count from the NUL's on) */
		if (!limen_tfs_plain_dir(q->dirfd))
			return 0;
		r = limen_safe_str(s, (uint64_t)a[q->pi], 8);
		return limen_tfs_plain_bytes(s, r.got);
	}
	/* -y, -e read=/write=: capture.c's writer adds to the record */
	if (sel && (c->decode_fds || (c->flags & LIMEN_CTL_DUMP) ||
		    (po = limen_qpath_po(nr, q->pi)) == PO_NO))
		return 0;
	/* limen_tfs_plain_path's two tests, on the one read */
	if (!limen_tfs_plain_dir(q->dirfd))
		return 0;
	/* the whole path, with its NUL: a fault before the NUL, or longer,
	   the full way's capture says what it makes of it */
	r = limen_safe_str(s, (uint64_t)a[q->pi], QP_BYTES);
	if (r.got <= 0 || r.len < 0 ||
	    !limen_tfs_plain_bytes(s, r.got < 8 ? r.got : 8) ||
	    limen_qpath_exe_named(s, r.len))
		return 0;
	/* the whole path read: an O_DIRECTORY open's directory is one
	   limen_qpath_after need not show the hook (most are) */
	if (q->kind == QP_OPEN && (q->flags & O_DIRECTORY))
		q->dir_left = limen_tfs_dir_inert(s, r.len);
	/* its ENTER with the path in it; pair: its EXIT will capture
	   nothing, and its room is reserved with the ENTER (one
	   reservation a call, as for the calls limen_rec_sys_pair
	   records) */
	if (sel)
		limen_rec_enter_path(nr, a, site, q->pi, s, (uint32_t)r.len,
				     po == PO_PAIR);
	return 1;
}

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
