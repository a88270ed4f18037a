/* SPDX-License-Identifier: MIT */
/*
 * The quick way (quickrec.c) for the calls that take a path: open, openat,
 * stat, lstat, newfstatat, statx, access, faccessat, faccessat2, readlink,
 * readlinkat, and the xattr calls of a path (getxattr, lgetxattr,
 * listxattr, llistxattr; the get ones recorded only on the full way: their
 * name is captured too). They are never lean (lean.c): the user_events
 * emulation hooks them (uevent_abi.c's open and openat, uevent_tfs_path.c's
 * others), and under limen's loader limen_exe_hook looks at open, openat,
 * stat, newfstatat, statx, readlink and readlinkat. But for most paths none of those hooks has anything to do before
 * the kernel answered: the plain ones (uevent_tfs_plain.c: not relative to
 * an emulated directory or descriptor, not under /sys/, /dev/ or /proc/;
 * limen_exe_hook wants paths under /proc/, and under limen's loader any
 * whose last name is "exe": exe_view.c). For those, the full way
 * (dispatch.c) would open the path window, capture the path through the
 * generic capture, ask each hook, make the call and let the hook look at
 * the answer. Here:
 *
 *   - the path is read once, fault-safely (limen_safe_str), at most
 *     QP_BYTES with its NUL; a fault before the NUL, a longer path, a NULL
 *     pointer, a path that is not plain, AT_EMPTY_PATH with a path (the
 *     hook's own case) or not recorded: the full way, from the start
 *     (AT_EMPTY_PATH with an empty one, the descriptor itself, as
 *     glibc's fstat calls newfstatat: its call is the kernel's, as
 *     limen_lean_path finds for one not recorded);
 *   - a selected call's ENTER record is written with the path in it, in
 *     the bytes capture.c writes (one limen_cap, the string without its
 *     NUL, zeros to the next 8 bytes), at its exact size;
 *   - the caller (dispatch_quick) makes the call, then limen_qpath_done
 *     does what the hook does with the kernel's answer for a plain path
 *     (ENOENT: a link into the emulated tracefs; a directory opened; a
 *     descriptor number the emulation had seen closed elsewhere).
 *
 * An unselected call (-e trace=none) only reads the 8 bytes the plain test
 * needs, as the hook does. Most unselected calls of a rewritten site do not
 * come here: limen_lean_path (at the end) lets the lean path make those
 * whose answer no hook looks at either.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/syscall.h>

#include "raw.h"
#include "rt.h"
#include "quickpath.h"
#include "runtime/filter.h"
#include "tfs_plain.h"

/* 1: nr is one of the calls of a path above (lean.c, for the lean path's
   bits: limen_lean_path decides each call) */
int limen_qpath_number(long nr)
{
	static const long none[6];
	struct limen_qp q;

	return limen_qp_shape(nr, none, &q) != QP_NO;
}

/* What capture.c captures of nr (quickpath.h, PO_): at entry its path
   argument pi and nothing else (the table says so: checked, not
   assumed), PO_PATH; and nothing at exit either (open, openat,
   access...: quickrec.c writes a plain EXIT), PO_PAIR. */
static int path_only(long nr, int pi)
{
	const struct limen_sysent *se = limen_sysent_get((unsigned long)nr);

	if (!se || se->nargs <= pi || se->args[pi].type != LIMEN_AT_PATH ||
	    !(se->args[pi].dir & LIMEN_DIR_IN))
		return PO_NO;
	/* and nothing else at entry (quickrec.c's test) */
	if (limen_may_capture(se, 0, pi))
		return PO_NO;
	return limen_may_capture(se, 1, -1) ? PO_PATH : PO_PAIR;
}

/* path_only, once per number; a race computes the same answer twice */
uint8_t limen_qpath_po_memo[LIMEN_TRACE_BITS];

int limen_qpath_po_work(long nr, int pi)
{
	uint8_t m = (uint8_t)path_only(nr, pi);

	__atomic_store_n(&limen_qpath_po_memo[nr], m, __ATOMIC_RELAXED);
	return m;
}

/*
 * limen_qpath_enter's way for a recorded call with AT_EMPTY_PATH (QP_FULL):
 * an empty path (glibc's fstat calls newfstatat so) names the descriptor
 * itself, which the hook (uevent_tfs_path.c) leaves to the kernel, with
 * nothing to do after it (limen_qpath_done), when it is not an emulated
 * one (limen_tfs_plain_dir's test, as limen_lean_path's for a call not
 * recorded): its ENTER with the empty path, as capture.c writes it (one
 * limen_cap of no bytes); limen_exe_hook has nothing for an empty path
 * either. A path, or one that faults: the hook's, the full way's. A
 * recorded fstat took 2809 instructions on the full way, 1592 here
 * (bench/stepcount 1000 fstat, a full trace). Out of line, and
 * limen_qpath_po inline in both: the other path calls' way stays as it
 * was (885 instructions an open and close under -e trace=openat).
 */
int limen_qpath_empty(long nr, const long *a, long site, struct limen_qp *q)
{
	const struct limen_ctl *c = limen_rt.ctl;
	char s[16];
	int po;

	if (!a[q->pi] || c->decode_fds || (c->flags & LIMEN_CTL_DUMP) ||
	    (po = limen_qpath_po(nr, q->pi)) == PO_NO ||
	    !limen_tfs_plain_dir(q->dirfd))
		return 0;
	/* its first byte a NUL (the hook's test, empty_path) */
	if (limen_safe_str(s, (uint64_t)a[q->pi], 8).got <= 0 || s[0])
		return 0;
	limen_rec_enter_path(nr, a, site, q->pi, s, 0, po == PO_PAIR);
	return 1;
}

/* After the call limen_qpath_enter let through: what the hook does with
   the kernel's answer ret for a plain path (limen_uev_hook's open,
   limen_tfs_path_hook's); a call that was not made (LIMEN_RET_DEFERRED)
   is none of theirs. Through limen_qpath_after (quickpath.h), which
   tells most answers inline. */
long limen_qpath_done(long nr, const long *a, const struct limen_qp *q,
		      long ret)
{
	/* QP_FULL: an empty path of AT_EMPTY_PATH, the kernel's answer
	   stands (limen_qpath_enter) */
	if (ret == LIMEN_RET_DEFERRED || q->kind == QP_FULL)
		return ret;
	if (q->kind == QP_OPEN)
		return limen_uev_open_plain_done(q->dirfd, (uint64_t)a[q->pi],
						 q->flags, ret);
	return limen_tfs_plain_done(nr, a, q->dirfd, (uint64_t)a[q->pi], ret);
}

/* The path of a call with AT_EMPTY_PATH (QP_FULL) is empty: the call
   is of the descriptor itself, as the hook's test (uevent_tfs_path.c,
   empty_path): NULL, or a NUL first; a fault: no. Out of line, as
   lean_str below: limen_lean_path needs no frame. */
static __attribute__((noinline)) int empty_path(uint64_t p)
{
	char s[16];

	return !p || (limen_safe_str(s, p, 8).got > 0 && !s[0]);
}

/* The rest of limen_lean_path's question, on the path's string at src
   (not NULL), of an open with O_DIRECTORY if dir: read once, up to
   its NUL's word; the tests of limen_qpath_enter's first read on it,
   then limen_tfs_lean_inert's */
static __attribute__((noinline)) int lean_str(uint64_t src, int dir)
{
	/* the path, then the zeros limen_tfs_lean_inert reads after it */
	char s[QP_BYTES + 16];
	struct limen_str_read r = limen_safe_str(s, src, QP_BYTES);

	/* r.len >= 0: its NUL among the bytes read (r.got > 0) */
	if (r.len < 0 || !limen_tfs_plain_bytes(s, r.got < 8 ? r.got : 8) ||
	    limen_qpath_exe_named(s, r.len))
		return 0;
	__builtin_memset(s + r.got, 0, 16);
	return limen_tfs_lean_inert(s, r.len, dir);
}

/*
 * The lean path's question for a path call nothing selects (fast.S, on
 * limen's stack; a: the call's six arguments): 1 when no hook has anything
 * to do with it, neither before the kernel looks at its path nor with
 * any answer the kernel may give, so that the call is made there, as a
 * lean call is, and its answer is the program's as it stands; 0: the
 * full way, which asks again (nothing is done here). What the quick way
 * would do for it (dispatch_quick, limen_qpath_enter, limen_qpath_after),
 * decided before the call: the same path read and tests, and of the
 * answers the hooks act on, those the call's flags and its path rule out
 * (an open's O_CREAT or a user_events file ever opened: the full way;
 * O_DIRECTORY: only a directory limen_tfs_opened_dir leaves alone;
 * ENOENT: only a path limen_tfs_after_enoent would find nothing for from
 * its string alone). AT_EMPTY_PATH of an empty path (glibc's fstat) is
 * the hook's only when the descriptor is an emulated one (or AT_FDCWD in
 * an emulated working directory): any other is the kernel's, whatever
 * it answers. The thread's and the session's state and the number's bits
 * are fast.S's checks, the lean path's (limen_tls.ua_slot among them).
 * any: limen_uev_any as read; 0, its usual value, needs no call before
 * the path is read, and so no frame (the path is read in lean_str's).
 */
static inline __attribute__((always_inline)) int
lean_path_as(long nr, const long *a, int any)
{
	const struct limen_ctl *c = limen_rt.ctl;
	struct limen_qp q;

	/* not selected: fast.S read the live trace_mask (and LEAN_CTL_OFF
	   has LIMEN_CTL_TRACE_ALL); the bits are set once limen_lean_ready
	   is, so the shape is limen_qpath_nr's */
	if (!c || limen_filter_on ||
	    (c->flags & (LIMEN_CTL_STACK | LIMEN_CTL_UACCESS)))
		return 0;
	if (limen_qp_shape(nr, a, &q) == QP_NO ||
	    !limen_tfs_plain_dir_any(q.dirfd, any))
		return 0;
	if (q.kind == QP_FULL)
		return empty_path((uint64_t)a[q.pi]);
	if (!a[q.pi] || (q.kind == QP_OPEN && ((q.flags & O_CREAT) || any)))
		return 0;
	return lean_str((uint64_t)a[q.pi],
			q.kind == QP_OPEN && (q.flags & O_DIRECTORY));
}

static __attribute__((noinline)) int lean_path_any(long nr, const long *a)
{
	return lean_path_as(nr, a, 1);
}

int limen_lean_path(long nr, const long *a)
{
	if (__atomic_load_n(&limen_uev_any, __ATOMIC_RELAXED))
		return lean_path_any(nr, a);
	return lean_path_as(nr, a, 0);
}
