/* SPDX-License-Identifier: MIT */
/*
 * A descriptor of FILE (argv[1]: the user_events_data under limen's
 * emulation, or /dev/null for the bare oracle) closed by a CLONE_FILES
 * child, where the parent's runtime does not see it, then its number
 * given out again by a call that makes new descriptors and is not an
 * open: pipe2, socketpair, socket, eventfd, memfd_create, creat,
 * openat2, epoll_create1, inotify_init1, timerfd_create, and the
 * pidfd of a clone or clone3 with CLONE_PIDFD. Each new
 * descriptor is then written to: the kernel's answer (bytes, or its
 * errno), not the emulated file's. One line a call: NAME same=1 (the
 * number came back) write=N or write=ERRNO. DIR (argv[2]): where creat
 * and openat2 make their file.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef SYS_openat2
#define SYS_openat2 437
#endif

struct how {
	uint64_t flags, mode, resolve;
};

static const char *file;
static char dir[512];
static char stack[65536];

static int closer(void *fd)
{
	close((int)(intptr_t)fd);
	return 0;
}

static int nothing(void *arg)
{
	(void)arg;
	return 0;
}

/* clone3's struct clone_args, as far as the pidfd */
struct clone3_args {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack,
		stack_size, tls;
};

/* FILE opened, closed by a child sharing the table: its number */
static int closed_elsewhere(void)
{
	int fd = open(file, O_RDWR), st;
	pid_t c;

	if (fd < 0)
		return -1;
	c = clone(closer, stack + sizeof(stack), CLONE_FILES | SIGCHLD,
		  (void *)(intptr_t)fd);
	if (c < 0 || waitpid(c, &st, 0) != c)
		return -1;
	return fd;
}

/* same: the new descriptor has the number closed elsewhere */
static void show(const char *name, int same, int fd, const void *buf,
		 size_t n)
{
	long w = write(fd, buf, n);

	if (w >= 0)
		printf("%s same=%d write=%ld\n", name, same, w);
	else
		printf("%s same=%d write=%s\n", name, same,
		       strerrorname_np(errno));
}

int main(int argc, char **argv)
{
	uint64_t one = 1;
	struct how h = { O_RDWR | O_CREAT, 0600, 0 };
	int e, p[2], fd;

	if (argc != 3)
		return 2;
	file = argv[1];
	e = closed_elsewhere();
	if (pipe2(p, 0) < 0)
		return 1;
	/* the lowest free number is the read end's: written through the
	   other end, and read back through it */
	show("pipe2", p[0] == e, p[1], "abc", 3);
	{
		char b[4];
		long r = read(p[0], b, sizeof(b));

		printf("pipe2 read=%ld\n", r);
	}
	close(p[0]);
	close(p[1]);

	e = closed_elsewhere();
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, p) < 0)
		return 1;
	show("socketpair", p[0] == e, p[0], "ab", 2);
	close(p[0]);
	close(p[1]);

	e = closed_elsewhere();
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	show("socket", fd == e, fd, "ab", 2); /* not connected: the kernel's */
	close(fd);

	e = closed_elsewhere();
	fd = eventfd(0, 0);
	show("eventfd", fd == e, fd, &one, sizeof(one));
	close(fd);

	e = closed_elsewhere();
	fd = memfd_create("uev_newfd_reuse", 0);
	show("memfd_create", fd == e, fd, "hello", 5);
	close(fd);

	snprintf(dir, sizeof(dir), "%s/creat", argv[2]);
	e = closed_elsewhere();
	fd = creat(dir, 0600);
	show("creat", fd == e, fd, "hello", 5);
	close(fd);

	snprintf(dir, sizeof(dir), "%s/openat2", argv[2]);
	e = closed_elsewhere();
	fd = (int)syscall(SYS_openat2, AT_FDCWD, dir, &h, sizeof(h));
	show("openat2", fd == e, fd, "hello", 5);
	close(fd);

	e = closed_elsewhere();
	fd = epoll_create1(0);
	show("epoll_create1", fd == e, fd, "abcdefgh", 8);
	close(fd);

	e = closed_elsewhere();
	fd = inotify_init1(0);
	show("inotify_init1", fd == e, fd, "abcdefgh", 8);
	close(fd);

	e = closed_elsewhere();
	fd = timerfd_create(CLOCK_MONOTONIC, 0);
	show("timerfd_create", fd == e, fd, "abcdefgh", 8);
	close(fd);

	e = closed_elsewhere();
	fd = -1;
	{
		pid_t c = clone(nothing, stack + sizeof(stack),
				CLONE_PIDFD | SIGCHLD, NULL, &fd);
		int st;

		if (c < 0 || waitpid(c, &st, 0) != c)
			return 1;
	}
	show("clone_pidfd", fd == e, fd, "hello", 5);
	close(fd);

	e = closed_elsewhere();
	fd = -1;
	{
		struct clone3_args ca = { .flags = CLONE_PIDFD,
					  .pidfd = (uint64_t)(uintptr_t)&fd,
					  .exit_signal = SIGCHLD };
		long c = syscall(SYS_clone3, &ca, sizeof(ca));
		int st;

		if (c == 0)
			_exit(0);
		if (c < 0 || waitpid((pid_t)c, &st, 0) != c)
			return 1;
	}
	show("clone3_pidfd", fd == e, fd, "hello", 5);
	close(fd);
	return 0;
}
