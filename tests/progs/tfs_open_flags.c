/* SPDX-License-Identifier: MIT */
/*
 * Opens of the emulated tracefs's files (user_events_data,
 * user_events_status) and directories (events/user_events/) with the
 * flags whose answer the kernel gives for a file that exists before any
 * permission or file operation (fs/namei.c, do_open): O_CREAT|O_EXCL is
 * EEXIST, O_CREAT of a directory EISDIR, O_CREAT of a file opens it,
 * O_DIRECTORY of a file ENOTDIR; O_PATH drops O_CREAT and O_EXCL. Each
 * path spelled three ways: absolute (the hooks' full way), "//sys/..."
 * (plain: the quick way where a site is rewritten) and relative after
 * chdir into the kernel's tracefs directory (plain too). One line a
 * case: NAME=ok or NAME=ERRNO. A user_events_data opened with O_CREAT
 * must be the emulated file: its DIAG_IOCSREG answers (reg=ok).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "user_events_uapi.h"

static const char *err(long r)
{
	static char b[32];

	if (r >= 0)
		return "ok";
	switch (errno) {
	case ENOENT: return "ENOENT";
	case EEXIST: return "EEXIST";
	case EISDIR: return "EISDIR";
	case ENOTDIR: return "ENOTDIR";
	case EACCES: return "EACCES";
	case ENOTTY: return "ENOTTY";
	}
	snprintf(b, sizeof(b), "errno%d", errno);
	return b;
}

static volatile uint32_t enabled;

/* NAME=answer; the descriptor closed (after a registration for data) */
static void try(const char *name, const char *spell, const char *path,
		int flags, int data)
{
	long fd = open(path, flags, 0600);

	printf("%s_%s=%s\n", name, spell, err(fd));
	if (fd >= 0 && data) {
		struct user_reg r = { .size = sizeof(r), .enable_size = 4,
				      .enable_addr = (uint64_t)(uintptr_t)&enabled,
				      .name_args = (uint64_t)(uintptr_t)"tfs_open_flags u32 x" };

		struct user_unreg u = { .size = sizeof(u),
					.disable_addr = (uint64_t)(uintptr_t)&enabled };

		printf("%s_%s_reg=%s\n", name, spell,
		       err(ioctl((int)fd, DIAG_IOCSREG, &r)));
		/* the enabler is the process's, not the file's: gone for
		   the next spelling's registration */
		ioctl((int)fd, DIAG_IOCSUNREG, &u);
	}
	if (fd >= 0)
		close((int)fd);
}

static void all(const char *spell, const char *top)
{
	char data[256], status[256], dir[256];

	snprintf(data, sizeof(data), "%suser_events_data", top);
	snprintf(status, sizeof(status), "%suser_events_status", top);
	snprintf(dir, sizeof(dir), "%sevents/user_events", top);
	try("data_creat", spell, data, O_RDWR | O_CREAT, 1);
	try("data_creat_excl", spell, data, O_RDWR | O_CREAT | O_EXCL, 0);
	try("data_directory", spell, data, O_RDWR | O_DIRECTORY, 0);
	try("data_path_creat_excl", spell, data, O_PATH | O_CREAT | O_EXCL, 0);
	try("status_creat", spell, status, O_RDONLY | O_CREAT, 0);
	try("status_creat_excl", spell, status, O_RDONLY | O_CREAT | O_EXCL,
	    0);
	try("status_directory", spell, status, O_RDONLY | O_DIRECTORY, 0);
	try("dir_creat", spell, dir, O_RDONLY | O_CREAT, 0);
	try("dir_creat_excl", spell, dir, O_RDONLY | O_CREAT | O_EXCL, 0);
	try("dir_directory", spell, dir, O_RDONLY | O_DIRECTORY, 0);
}

int main(void)
{
	static volatile uint32_t kept_word;
	struct user_reg r = { .size = sizeof(r), .enable_size = 4,
			      .enable_addr = (uint64_t)(uintptr_t)&kept_word,
			      .name_args = (uint64_t)(uintptr_t)"tfs_open_flags_kept u32 x" };
	/* an event for the run: events/user_events/ exists while one does */
	int keep = open("/sys/kernel/tracing/user_events_data", O_RDWR);

	if (keep < 0 || ioctl(keep, DIAG_IOCSREG, &r) < 0) {
		printf("kept=%s\n", err(-1));
		return 1;
	}
	all("abs", "/sys/kernel/tracing/");
	all("respelled", "//sys/kernel/tracing/");
	if (chdir("/sys/kernel/tracing") < 0) {
		printf("chdir=%s\n", err(-1));
		return 1;
	}
	all("rel", "");
	return 0;
}
