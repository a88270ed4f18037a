/* SPDX-License-Identifier: MIT */
/*
 * A program that drives an event's `filter` file through tracefs as a test
 * written for a kernel with CONFIG_USER_EVENTS does (the structs and ioctl
 * numbers of include/uapi/linux/user_events.h; no limen header): writes
 * filters, good and bad, reads them back, and looks at which of its writes
 * reach `trace` under each. One "name=..." line per step, a file's
 * newlines shown as '|' (tests/uevent/filter.t).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "user_events_uapi.h"

#define T "/sys/kernel/tracing/"
#define EV T "events/user_events/flt/"

static volatile uint32_t enabled;
static int data_fd;
static uint32_t windex;

static const char *err(int e)
{
	static char b[32];

	switch (e) {
	case 0: return "ok";
	case ENOENT: return "ENOENT";
	case EPERM: return "EPERM";
	case ESRCH: return "ESRCH";
	case EINVAL: return "EINVAL";
	case ENOMEM: return "ENOMEM";
	case EFAULT: return "EFAULT";
	}
	snprintf(b, sizeof(b), "errno%d", e);
	return b;
}

/* The whole file, its newlines as '|'. */
static const char *slurp(const char *path)
{
	static char b[16384];
	int fd = open(path, O_RDONLY);
	size_t n = 0;
	ssize_t r;

	if (fd < 0) {
		snprintf(b, sizeof(b), "ERR %s", err(errno));
		return b;
	}
	while (n < sizeof(b) - 1 && (r = read(fd, b + n, sizeof(b) - 1 - n)) > 0)
		n += (size_t)r;
	b[n] = 0;
	close(fd);
	for (size_t i = 0; i < n; i++)
		if (b[i] == '\n')
			b[i] = '|';
	return b;
}

/* write s (n bytes) to the filter file in one write: "ok" or errno */
static const char *put_n(const char *s, size_t n)
{
	int fd = open(EV "filter", O_WRONLY);
	ssize_t r;

	if (fd < 0)
		return err(errno);
	r = write(fd, s, n);
	int e = r < 0 ? errno : 0;

	close(fd);
	return r >= 0 && (size_t)r != n ? "short" : err(e);
}

static const char *put(const char *s)
{
	return put_n(s, strlen(s));
}

/* write f, then read the file back */
static void step(const char *name, const char *f)
{
	const char *w = put(f);

	printf("%s=%s read=", name, w);
	printf("%s\n", slurp(EV "filter"));
}

static void emit(uint32_t count, int32_t delta, const char *msg,
		 const char *path)
{
	struct __attribute__((packed)) {
		uint32_t count;
		int32_t delta;
		char msg[8];
		uint32_t path; /* __rel_loc: len << 16 | offset after it */
	} p = { count, delta, { 0 }, (uint32_t)(strlen(path) + 1) << 16 };
	struct iovec io[3] = { { &windex, 4 }, { &p, sizeof(p) },
			       { (void *)path, strlen(path) + 1 } };

	strncpy(p.msg, msg, sizeof(p.msg));
	if (writev(data_fd, io, 3) < 0)
		printf("writev=%s\n", err(errno));
}

/* Which of the six writes reach trace under the filter f: their counts */
static void run(const char *name, const char *f)
{
	static const struct {
		uint32_t count;
		int32_t delta;
		const char *msg, *path;
	} ev[] = {
		{ 1, -5, "hi", "/tmp/a" }, { 2, 3, "hello", "/var/b" },
		{ 3, -1, "hi", "/tmp/c" }, { 4, 0, "yo", "/tmp/d" },
		{ 5, 7, "hi", "/usr/e" },  { 6, -9, "hix", "/tmp/f" },
	};
	const char *w = put(f), *t, *q;
	int fd = open(T "trace", O_WRONLY | O_TRUNC);
	char out[64] = "";

	if (fd >= 0)
		close(fd);
	for (size_t i = 0; i < sizeof(ev) / sizeof(ev[0]); i++)
		emit(ev[i].count, ev[i].delta, ev[i].msg, ev[i].path);
	t = slurp(T "trace");
	for (q = t; (q = strstr(q, " count=0x")); q++) {
		char d[8];

		snprintf(d, sizeof(d), "%s%lu", out[0] ? " " : "",
			 strtoul(q + 9, 0, 16));
		strcat(out, d);
	}
	printf("%s=%s [%s]\n", name, w, out[0] ? out : "none");
}

int main(void)
{
	struct user_reg r = {
		.size = sizeof(r), .enable_bit = 0, .enable_size = 4,
		.enable_addr = (uint64_t)(uintptr_t)&enabled,
		.name_args = (uint64_t)(uintptr_t)
			"flt u32 count; s32 delta; char[8] msg; __rel_loc char[] path",
	};
	static const struct {
		const char *name, *f;
	} bad[] = {
		{ "no_field", "nosuch == 1" },
		{ "string_op_on_number", "msg > 3" },
		{ "string_for_number", "count == \"x\"" },
		{ "glob_on_number", "count ~ 3" },
		{ "open_paren", "(count == 1" },
		{ "close_paren", "count == 1)" },
		{ "two_preds", "count == 1 foo" },
		{ "single_amp", "count == 1 & count == 2" },
		{ "open_quote", "msg == \"abc" },
		{ "bad_number", "count == 0xg" },
		{ "negative_unsigned", "count == -1" },
		{ "no_op", "count" },
		{ "dangling_and_after_or", "count == 1 || count == 2 &&" },
		{ "empty", "\n" },
	};
	char big[4200], pidf[64];

	data_fd = open(T "user_events_data", O_RDWR);
	if (data_fd < 0) {
		printf("open=%s\n", err(errno));
		return 0;
	}
	if (ioctl(data_fd, DIAG_IOCSREG, &r) < 0) {
		printf("reg=%s\n", err(errno));
		return 1;
	}
	windex = r.write_index;
	printf("unset=%s\n", slurp(EV "filter"));
	step("set", "count > 3\n");
	step("blanks", "  count>3 \t\n");
	step("dangling_and", "count == 1 &&");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		step(bad[i].name, bad[i].f);
	step("zero", " 0 \n");
	put("count > 3");
	memset(big, ' ', sizeof(big));
	memcpy(big, "count == 1", 10);
	printf("page=%s", put_n(big, 4096));
	printf(" page_kept=%s", slurp(EV "filter"));
	printf(" below_page=%s", put_n(big, 4095));
	printf(" read=%s\n", slurp(EV "filter"));

	{
		int fd = open(EV "enable", O_WRONLY);

		if (fd < 0 || write(fd, "1", 1) != 1)
			printf("enable=%s\n", err(errno));
		if (fd >= 0)
			close(fd);
	}
	run("all", "0");
	run("gt", "count > 3");
	run("str_eq", "msg == \"hi\"");
	run("str_ne_and", "msg != \"hi\" && count <= 4");
	run("glob_front", "msg ~ \"h*\"");
	run("glob_end_static", "msg ~ \"*i\"");
	run("rel_loc_glob", "path ~ \"/tmp/*\"");
	run("rel_loc_class", "path ~ \"*[bc]\"");
	run("not_group_or", "!(count < 5) || delta < -4");
	run("group_and", "(count == 1 || count == 2) && delta < 0");
	run("signed_band", "delta & 1");
	run("hex", "count == 0x5");
	snprintf(pidf, sizeof(pidf), "common_pid == %ld", (long)syscall(SYS_gettid));
	run("common_pid", pidf);
	snprintf(pidf, sizeof(pidf), "common_pid != %ld", (long)syscall(SYS_gettid));
	run("common_pid_ne", pidf);
	run("comm", "comm ~ \"uevent_filt*\"");
	run("common_type", "common_type == 9999");
	run("after_error", "nosuch == 1");
	run("cleared", "0");
	return 0;
}
