/* SPDX-License-Identifier: MIT */
/*
 * A program that closes every descriptor it did not open (close_range(3,
 * ~0U, 0)) and then uses high descriptor numbers (where a tracer living in
 * the process may keep its own: 500, 1000, 1023, RLIMIT_NOFILE-1) must keep
 * working: writes through the duplicates, new opens get the lowest numbers,
 * a forked child still execs /bin/echo (also after close_range with
 * CLOSE_RANGE_CLOEXEC). Deterministic output, exit 0 on success.
 */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

extern char **environ;
static int bad;

static void out(const char *s)
{
	if (write(1, s, strlen(s)) < 0)
		bad = 1;
}

static __attribute__((format(printf, 1, 2))) void say(const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	out(buf);
}

static void via(int fd)
{
	char buf[64];
	int n = snprintf(buf, sizeof buf, "written through fd %d\n", fd);
	if (write(fd, buf, n) != n) {
		say("write to fd %d failed: errno %d\n", fd, errno);
		bad = 1;
	}
}

static long count_lines(const char *path, int *fdp)
{
	char buf[4096];
	long lines = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	*fdp = fd;
	if (fd < 0)
		return -1;
	while ((n = read(fd, buf, sizeof buf)) > 0)
		for (ssize_t i = 0; i < n; i++)
			lines += buf[i] == '\n';
	close(fd);
	return n < 0 ? -1 : lines;
}

static void spawn_echo(const char *word)
{
	char *argv[] = { "/bin/echo", "child says", (char *)word, NULL };
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		execve(argv[0], argv, environ);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid) {
		out("fork/wait failed\n");
		bad = 1;
		return;
	}
	say("echo child: exited %d status %d\n", WIFEXITED(st),
	    WEXITSTATUS(st));
	bad |= !WIFEXITED(st) || WEXITSTATUS(st) != 0;
}

int main(void)
{
	int fds[] = { 1000, 1023, 500 }, fd, fd2;
	struct rlimit rl;
	long n1, n2;
	unsigned i;

	if (syscall(SYS_close_range, 3U, ~0U, 0U) != 0) {
		say("close_range: errno %d\n", errno);
		return 1;
	}
	out("closed 3..~0\n");

	for (i = 0; i < sizeof fds / sizeof fds[0]; i++) {
		int r = dup2(1, fds[i]);
		say("dup2(1, %d) = %d\n", fds[i], r);
		bad |= r != fds[i];
		via(fds[i]);
	}
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur > 1024 &&
	    rl.rlim_cur < (1 << 20)) {
		int hi = (int)rl.rlim_cur - 1, r = dup2(1, hi);
		out(r == hi ? "dup2(1, RLIMIT_NOFILE-1) ok\n" : "dup2 to the limit failed\n");
		bad |= r != hi;
		if (r == hi) {
			char buf[64];
			int n = snprintf(buf, sizeof buf, "written through the last fd\n");
			bad |= write(hi, buf, n) != n;
			close(hi);
		}
	} else {
		out("dup2(1, RLIMIT_NOFILE-1) ok\nwritten through the last fd\n");
	}
	for (i = 0; i < sizeof fds / sizeof fds[0]; i++) {
		int r = close(fds[i]);
		say("close(%d) = %d\n", fds[i], r);
		bad |= r != 0;
	}

	n1 = count_lines("/etc/passwd", &fd);
	say("/etc/passwd opened as fd %d, lines > 0: %d\n", fd, n1 > 0);
	bad |= fd != 3 || n1 <= 0;
	fd = open("/etc/hostname", O_RDONLY);
	fd2 = open("/etc/passwd", O_RDONLY);
	say("two opens got fds %d and %d\n", fd, fd2);
	bad |= fd != 3 || fd2 != 4;
	fd = fcntl(1, F_DUPFD, 0);
	say("F_DUPFD from 0 got %d\n", fd);
	bad |= fd != 5;
	close(3);
	close(4);
	close(5);

	spawn_echo("hello");

	/* Everything above 2 becomes close-on-exec. */
	fd = open("/etc/passwd", O_RDONLY);
	if (syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) != 0) {
		say("close_range(CLOEXEC): errno %d\n", errno);
		return 1;
	}
	say("fd %d is close-on-exec: %d\n", fd,
	    (fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0);
	spawn_echo("again");
	n2 = count_lines("/etc/passwd", &fd2);
	say("read /etc/passwd again: same count %d, fd %d\n", n1 == n2, fd2);
	close(fd);

	out(bad ? "FAIL\n" : "ok\n");
	return bad;
}
