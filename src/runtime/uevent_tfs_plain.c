/* SPDX-License-Identifier: MIT */
/*
 * The fast answer of the tracefs hooks (uevent_abi.c's open and openat,
 * uevent_tfs_path.c's stat, access, xattr and readlink calls) for the
 * paths of ordinary files: most calls of most programs. Before the kernel
 * looks at a path, the hooks have something to do only for
 *
 *   - a path relative to an emulated directory: the working directory
 *     (limen_tfs_cwd_kind) or a descriptor the emulation follows (any
 *     file of it, so that AT_EMPTY_PATH of an emulated file is one too);
 *   - /proc/... and /dev/fd/..., the links of uevent_tfs_proc.c and of
 *     limen's loader (exe_view.c, which looks before the hooks anyway);
 *   - /sys/..., where a tracefs is (the session's files in front of the
 *     kernel's, the kernel's own user_events_data noted).
 *
 * Every other path is the kernel's to look at first: a plain one. What
 * the hooks do after the kernel answered (ENOENT: a symbolic link into
 * the tracefs, a relative path in the kernel's tracefs directory; a
 * directory opened, whose listing may lack emulated entries) stays theirs.
 * The test is the prefixes those hooks compare, on the bytes of the one
 * read of the path (peek.c), which they reuse when it is not plain.
 */
#include <fcntl.h>
#include <stdint.h>

#include "raw.h"
#include "rt.h"
#include "tfs_plain.h"

int limen_tfs_plain_path(long dirfd, uint64_t path)
{
	char p[8];

	if (!limen_tfs_plain_dir(dirfd))
		return 0;
	return limen_tfs_plain_bytes(p, limen_peek_read(p, path, sizeof(p)));
}
