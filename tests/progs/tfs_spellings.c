/* SPDX-License-Identifier: MIT */
/*
 * user_events_data named in the ways the kernel resolves to the same file
 * (tests/uevent/tfs_spellings.t): absolute with an empty, "." or ".."
 * name, relative to /, /sys, /sys/kernel and /tmp (as working directory
 * and as descriptor), each opened, stat'ed and access'ed twice (the second
 * time from rewritten sites). Prints NAME=ok or NAME=ERRNO per call.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void res(const char *what, const char *name, long r)
{
	printf("%s_%s=%s\n", name, what, r < 0 ? strerrorname_np(errno) : "ok");
}

static void try(const char *name, int dirfd, const char *p)
{
	struct stat st;
	int fd = openat(dirfd, p, O_RDWR);

	res("open", name, fd);
	if (fd >= 0)
		close(fd);
	res("fstatat", name, fstatat(dirfd, p, &st, 0));
	res("faccessat", name, faccessat(dirfd, p, F_OK, 0));
	if (dirfd == AT_FDCWD) {
		res("stat", name, stat(p, &st));
		res("access", name, access(p, W_OK));
	}
}

static void from(const char *name, const char *dir, const char *p)
{
	int d = open(dir, O_RDONLY | O_DIRECTORY);
	char n[64];

	snprintf(n, sizeof(n), "dirfd_%s", name);
	try(n, d, p);
	close(d);
	snprintf(n, sizeof(n), "cwd_%s", name);
	if (chdir(dir) == 0)
		try(n, AT_FDCWD, p);
	if (chdir("/"))
		perror("chdir");
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	for (int i = 0; i < 2; i++) {
		try("abs", AT_FDCWD, "/sys/kernel/tracing/user_events_data");
		try("lead_slash", AT_FDCWD, "//sys/kernel/tracing/user_events_data");
		try("inner_slash", AT_FDCWD, "/sys//kernel/tracing/user_events_data");
		try("dot", AT_FDCWD, "/./sys/kernel/tracing/user_events_data");
		try("dotdot", AT_FDCWD, "/tmp/../sys/kernel/tracing/user_events_data");
		/* the odd name past the first 64 bytes */
		try("long_dotdot", AT_FDCWD,
		    "/usr/share/doc/../../../usr/lib/x86_64-linux-gnu/../../../"
		    "sys/kernel/tracing/user_events_data");
		from("root", "/", "sys/kernel/tracing/user_events_data");
		from("sys", "/sys", "kernel/tracing/user_events_data");
		from("kernel", "/sys/kernel", "tracing/user_events_data");
		from("tmp", "/tmp", "../sys/kernel/tracing/user_events_data");
	}
	return 0;
}
