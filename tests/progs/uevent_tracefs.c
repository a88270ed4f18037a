/* SPDX-License-Identifier: MIT */
/*
 * A program that probes for user_events and drives it through tracefs, as
 * a test suite written for a kernel with CONFIG_USER_EVENTS does (the
 * structs and ioctl numbers of include/uapi/linux/user_events.h; no limen
 * header): user_events_status, events/user_events/NAME/{format,id,enable},
 * events/user_events/enable, dynamic_events, tracing_on, trace and
 * trace_pipe (read by a child while the parent writes). Prints what it
 * reads, one "step=..." line per step (tests/uevent/tracefs.t).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "user_events_uapi.h"

#define T "/sys/kernel/tracing/"
#define EV T "events/user_events/"

static volatile uint32_t enabled;

static const char *err(void)
{
	static char b[32];

	switch (errno) {
	case ENOENT: return "ENOENT";
	case EAGAIN: return "EAGAIN";
	case EBUSY: return "EBUSY";
	case EBADF: return "EBADF";
	case EINVAL: return "EINVAL";
	case EFAULT: return "EFAULT";
	case EISDIR: return "EISDIR";
	case ENOTDIR: return "ENOTDIR";
	}
	snprintf(b, sizeof(b), "errno%d", errno);
	return b;
}

/* The whole file, or "ERR" and errno's name. */
static const char *slurp(const char *path)
{
	static char b[16384];
	int fd = open(path, O_RDONLY);
	size_t n = 0;
	ssize_t r;

	if (fd < 0) {
		snprintf(b, sizeof(b), "ERR %s", err());
		return b;
	}
	while (n < sizeof(b) - 1 && (r = read(fd, b + n, sizeof(b) - 1 - n)) > 0)
		n += (size_t)r;
	b[n] = 0;
	close(fd);
	return b;
}

static const char *put(const char *path, const char *s, int flags)
{
	int fd = open(path, O_WRONLY | flags);
	ssize_t r;

	if (fd < 0)
		return err();
	r = write(fd, s, strlen(s));
	close(fd);
	return r == (ssize_t)strlen(s) ? "ok" : r < 0 ? err() : "short";
}

/* a path's __rel_loc as given (len << 16 | offset), its bytes as given */
static const char *emit_loc(int fd, uint32_t index, uint32_t loc,
			    const char *bytes, size_t n)
{
	struct __attribute__((packed)) {
		uint32_t count;
		char msg[8];
		uint32_t path;
	} p = { 9, "bad", loc };
	struct iovec io[3] = { { &index, 4 }, { &p, sizeof(p) },
			       { (void *)bytes, n } };

	return writev(fd, io, 3) < 0 ? err() : "ok";
}

static int emit(int fd, uint32_t index, uint32_t count, const char *msg,
		const char *path)
{
	struct __attribute__((packed)) {
		uint32_t count;
		char msg[8];
		uint32_t path; /* __rel_loc: len << 16 | offset after it */
	} p = { count, { 0 }, (uint32_t)(strlen(path) + 1) << 16 };
	struct iovec io[3] = { { &index, 4 }, { &p, sizeof(p) },
			       { (void *)path, strlen(path) + 1 } };

	strncpy(p.msg, msg, sizeof(p.msg));
	return (int)writev(fd, io, 3);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A directory's entries, sorted, a directory's with a '/' after it */
static const char *ls(const char *path)
{
	static char b[1024];
	char *names[64];
	int n = 0;
	DIR *d = opendir(path);
	struct dirent *e;

	if (!d) {
		snprintf(b, sizeof(b), "ERR %s", err());
		return b;
	}
	while ((e = readdir(d)) && n < 64) {
		names[n] = malloc(strlen(e->d_name) + 2);
		sprintf(names[n++], "%s%s", e->d_name,
			e->d_type == DT_DIR ? "/" : "");
	}
	closedir(d);
	qsort(names, (size_t)n, sizeof(names[0]), by_name);
	b[0] = 0;
	for (int i = 0; i < n; i++) {
		strcat(b, i ? " " : "");
		strcat(b, names[i]);
		free(names[i]);
	}
	return b;
}

int main(void)
{
	int fd = open(T "user_events_data", O_RDWR), pipe_fd, st;
	struct user_reg r = {
		.size = sizeof(r), .enable_bit = 0, .enable_size = 4,
		.enable_addr = (uint64_t)(uintptr_t)&enabled,
		.name_args = (uint64_t)(uintptr_t)
			"tfs u32 count; char[8] msg; __rel_loc char[] path",
	};
	pid_t child;

	if (fd < 0) {
		printf("open=%s\n", err());
		return 0;
	}
	if (ioctl(fd, DIAG_IOCSREG, &r) < 0) {
		printf("reg=%s\n", err());
		return 1;
	}
	printf("status_before:\n%s", slurp(T "user_events_status"));
	printf("format_file:\n%s", slurp(EV "tfs/format"));
	printf("id=%s", slurp(EV "tfs/id"));
	printf("enable_before=%s", slurp(EV "tfs/enable"));
	printf("no_such_event=%s\n", slurp(EV "nosuch/format"));
	{
		int w = emit(fd, r.write_index, 1, "x", "/");

		printf("write_while_off=%d %s\n", w, err());
	}

	/* a reader waiting in trace_pipe, in another process */
	fflush(stdout);
	child = fork();
	if (child == 0) {
		char b[4096];
		ssize_t n;
		int p = open(T "trace_pipe", O_RDONLY);

		alarm(10); /* the line never coming must not hang the test */

		if (p < 0) {
			printf("pipe_open=%s\n", err());
			_exit(1);
		}
		n = read(p, b, sizeof(b) - 1);
		b[n > 0 ? n : 0] = 0;
		printf("pipe_read=%s", n > 0 ? b : "nothing\n");
		fflush(stdout);
		_exit(0);
	}
	usleep(100000);
	printf("enable1=%s", put(EV "tfs/enable", "1\n", 0));
	printf(" bit=%u\n", enabled);
	printf("enable_after=%s", slurp(EV "tfs/enable"));
	printf("system_enable=%s", slurp(EV "enable"));
	printf("status_enabled:\n%s", slurp(T "user_events_status"));
	printf("write=%d\n", emit(fd, r.write_index, 5, "hello", "/tmp/x"));
	/* the kernel checks where a __rel_loc points when a tracer listens */
	printf("write_loc_past_the_end=%s\n",
	       emit_loc(fd, r.write_index, 5u << 16, "/abc", 5 - 1));
	printf("write_loc_no_nul=%s\n",
	       emit_loc(fd, r.write_index, 4u << 16, "/abc", 4));
	waitpid(child, &st, 0);
	printf("trace:\n%s", slurp(T "trace"));

	/* trace_pipe consumed the line: trace no longer has it */
	pipe_fd = open(T "trace_pipe", O_RDONLY | O_NONBLOCK);
	{
		char b[64];
		ssize_t n = read(pipe_fd, b, sizeof(b));

		printf("pipe_empty=%zd %s\n", n, err());
	}
	close(pipe_fd);

	printf("tracing_on=%s", slurp(T "tracing_on"));
	printf("tracing_off=%s\n", put(T "tracing_on", "0", 0));
	printf("write_tracing_off=%d\n",
	       emit(fd, r.write_index, 6, "off", "/off"));
	printf("tracing_on_now=%s", slurp(T "tracing_on"));
	put(T "tracing_on", "1", 0);
	emit(fd, r.write_index, 7, "again", "/again");
	printf("trace_again:\n%s", slurp(T "trace"));
	printf("clear=%s\n", put(T "trace", "", O_TRUNC));
	printf("trace_cleared:\n%s", slurp(T "trace"));

	/* poll, select and epoll on trace_pipe: readable only with a line */
	pipe_fd = open(T "trace_pipe", O_RDONLY | O_NONBLOCK);
	{
		struct pollfd pf = { pipe_fd, POLLIN, 0 };
		struct epoll_event ev = { .events = EPOLLIN }, got;
		int ep = epoll_create1(0);
		fd_set rs;
		struct timeval tv = { 0, 0 };
		char b[512];

		epoll_ctl(ep, EPOLL_CTL_ADD, pipe_fd, &ev);
		printf("poll_empty=%d\n", poll(&pf, 1, 0));
		printf("epoll_empty=%d\n", epoll_wait(ep, &got, 1, 0));
		emit(fd, r.write_index, 8, "poll", "/p");
		pf.revents = 0;
		st = poll(&pf, 1, 0);
		printf("poll_line=%d %s\n", st,
		       pf.revents & POLLIN ? "POLLIN" : "-");
		FD_ZERO(&rs);
		FD_SET(pipe_fd, &rs);
		printf("select_line=%d\n", select(pipe_fd + 1, &rs, 0, 0, &tv));
		printf("epoll_line=%d\n", epoll_wait(ep, &got, 1, 0));
		printf("read_line=%s\n", read(pipe_fd, b, sizeof(b)) > 0 ?
						 "ok" : err());
		printf("poll_consumed=%d\n", poll(&pf, 1, 0));
		printf("epoll_consumed=%d\n", epoll_wait(ep, &got, 1, 0));
		close(ep);
	}
	close(pipe_fd);

	printf("dynamic_events:\n%s", slurp(T "dynamic_events"));
	printf("dyn_add=%s\n",
	       put(T "dynamic_events", "u:dyn u64 v;u8 w\n", O_APPEND));
	printf("dyn_listed:\n%s", slurp(T "dynamic_events"));
	printf("ls_system=%s\n", ls(EV));
	printf("ls_event=%s\n", ls(EV "dyn"));
	printf("ls_no_such_event=%s\n", ls(EV "nosuch"));
	{
		int d = open(EV "dyn", O_RDONLY | O_DIRECTORY);
		char c;
		ssize_t n = read(d, &c, 1);

		printf("read_dir=%zd %s\n", n, err());
		close(d);
		d = open(EV "dyn/format", O_RDONLY | O_DIRECTORY);
		printf("open_file_as_dir=%d %s\n", d, err());
	}
	printf("dyn_format_print=%s",
	       strstr(slurp(EV "dyn/format"), "print fmt:"));
	printf("dyn_del_busy=%s\n",
	       put(T "dynamic_events", "!u:tfs", O_APPEND));
	printf("dyn_del=%s\n", put(T "dynamic_events", "!u:dyn", O_APPEND));
	printf("dyn_gone=%s\n", slurp(EV "dyn/format"));
	printf("dyn_del_again=%s\n",
	       put(T "dynamic_events", "!u:dyn", O_APPEND));
	printf("disable=%s", put(EV "enable", "0", 0));
	printf(" bit=%u\n", enabled);
	return 0;
}
