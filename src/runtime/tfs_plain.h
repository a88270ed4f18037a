/* SPDX-License-Identifier: MIT */
/*
 * The two halves of limen_tfs_plain_path (uevent_tfs_plain.c), for the
 * hooks and for the quick and lean ways of a path call (quickpath.c),
 * which read the path once for their own use: the directory's test and
 * the path's, inlined in each.
 */
#ifndef LIMEN_TFS_PLAIN_H
#define LIMEN_TFS_PLAIN_H

#include <fcntl.h>

#include "rt.h"

/* The directory a path is relative to is the kernel's (no emulated
   working directory, no descriptor the emulation follows), any: the
   value of limen_uev_any read (limen_uev_file_of has no descriptor to
   look at until a user_events file was opened): inline, on every path
   call */
static inline __attribute__((always_inline)) int
limen_tfs_plain_dir_any(long dirfd, int any)
{
	dirfd = (int)dirfd; /* the kernel reads an int */
	if (dirfd == AT_FDCWD)
		return !__atomic_load_n(&limen_tfs_wd_kind, __ATOMIC_RELAXED);
	return !any || !limen_uev_file_of(dirfd);
}

static inline int limen_tfs_plain_dir(long dirfd)
{
	return limen_tfs_plain_dir_any(
		dirfd, __atomic_load_n(&limen_uev_any, __ATOMIC_RELAXED));
}

/*
 * n bytes p read from the path: n the count limen_peek_read gives for up
 * to 8 of them (fewer: the string's NUL, or a fault, ended them; <= 0: the
 * read failed). 1 when no hook looks at the path before the kernel: not
 * under /sys/, /dev/ or /proc/ (the prefixes compared byte by byte, as
 * strncmp would: a NUL among them is a mismatch).
 */
static inline int limen_tfs_plain_bytes(const char *p, long n)
{
	if (n <= 0)
		return 0; /* the hooks' own answer (EFAULT) */
	if (p[0] != '/')
		return 1; /* relative to the kernel's directory */
	if (n < 5)
		return 1; /* "/", "/ab": nothing below the three */
	if (p[4] == '/' && ((p[1] == 's' && p[2] == 'y' && p[3] == 's') ||
			    (p[1] == 'd' && p[2] == 'e' && p[3] == 'v')))
		return 0;
	return n < 6 || !(p[1] == 'p' && p[2] == 'r' && p[3] == 'o' &&
			  p[4] == 'c' && p[5] == '/');
}

#endif
