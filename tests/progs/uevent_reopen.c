/* SPDX-License-Identifier: MIT */
/*
 * The user_events files reached through /proc, written against the uapi
 * only (tests/uevent/reopen_through_proc.t). On Linux a descriptor's
 * /proc/PID/fd/N (and /dev/fd/N, /proc/thread-self/fd/N) is a link to the
 * file's path: readlink gives the tracefs path, stat follows it to the
 * tracefs file, and open() of it is a NEW open of that file, a new struct
 * file (for user_events_data: user_events_open allocates a new
 * user_event_file_info, whose write_indexes count from 0; for a tracefs
 * file: its content as of now). /proc/PID/cwd names the working
 * directory the same way.
 *
 * Run with -e uevent=ro_a,ro_b. One "step=value" line per step (the
 * number, or errno's name).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "uevent_calls.h"

#define T "/sys/kernel/tracing"
#define DATA T "/user_events_data"
#define EV T "/events/user_events"

static volatile uint32_t wa, wb, wc, wd;
static int up[2], down[2];

static void tell(int fd, int v)
{
	if (write(fd, &v, sizeof(v)) != sizeof(v))
		_exit(3);
}

static int await(int fd)
{
	int v;

	if (read(fd, &v, sizeof(v)) != sizeof(v))
		_exit(4);
	return v;
}

/* what readlink says of path: the target, or the error */
static const char *link_of(const char *path)
{
	static char b[4][512];
	static int k;
	char *s = b[k++ % 4];
	ssize_t n = readlink(path, s, 511);

	if (n < 0)
		return err(-1);
	s[n] = 0;
	return s;
}

static const char *fdpath(const char *fmt, long a, long b)
{
	static char p[4][64];
	static int k;
	char *s = p[k++ % 4];

	snprintf(s, 64, fmt, a, b);
	return s;
}

/* the text of a file, read whole from a new descriptor */
static const char *text_at(int dirfd, const char *path)
{
	static char b[4][4096];
	static int k;
	char *s = b[k++ % 4];
	int fd = openat(dirfd, path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return err(-1);
	n = read(fd, s, 4095);
	close(fd);
	if (n < 0)
		return err(-1);
	s[n] = 0;
	if (n && s[n - 1] == '\n')
		s[n - 1] = 0;
	return s;
}

static int same_file(int fd, const char *path)
{
	struct stat a, b;

	return fstat(fd, &a) == 0 && stat(path, &b) == 0 &&
	       a.st_ino == b.st_ino && a.st_dev == b.st_dev;
}

static const char *st_of(const char *path)
{
	static char b[2][64];
	static int k;
	char *s = b[k++ % 2];
	struct stat st;

	if (stat(path, &st) < 0)
		return err(-1);
	snprintf(s, 64, "%s%04o s%lld", S_ISDIR(st.st_mode) ? "d" :
					S_ISREG(st.st_mode) ? "f" : "?",
		 st.st_mode & 07777, (long long)st.st_size);
	return s;
}

static void list_dir(int fd)
{
	DIR *d = fdopendir(fd);
	struct dirent *e;
	char names[256] = "";

	if (!d) {
		printf("%s", err(-1));
		return;
	}
	/* the kernel's order is its own: print them sorted */
	const char *want[] = { "enable", "filter", "format", "id" };
	int seen[4] = { 0 };

	while ((e = readdir(d)))
		for (int i = 0; i < 4; i++)
			if (!strcmp(e->d_name, want[i]))
				seen[i] = 1;
	for (int i = 0; i < 4; i++)
		if (seen[i]) {
			strcat(names, *names ? "," : "");
			strcat(names, want[i]);
		}
	printf("%s", names);
	closedir(d);
}

static void child(void)
{
	uint32_t i = 99;
	int fd = open(DATA, O_RDWR);

	reg(fd, "ro_b u32 v", &wd, 0, &i);
	tell(up[1], fd);
	await(down[0]); /* the parent opened it again */
	printf("child_write_own_index=%s\n", err(emit(fd, i, 21)));
	tell(up[1], 0);
	await(down[0]);
	_exit(0);
}

int main(void)
{
	uint32_t ia = 99, ib = 99, ic = 99;
	char buf[64];
	int fd, fd2, fd3, en, w, d, st, cfd;
	ssize_t n;
	pid_t pid;

	setvbuf(stdout, 0, _IONBF, 0);
	fd = open(DATA, O_RDWR);
	if (fd < 0) {
		printf("open=%s\n", err(-1));
		return 0;
	}
	printf("reg_a=%s", err(reg(fd, "ro_a u32 v", &wa, 0, &ia)));
	printf(" index=%u\n", ia);

	/* what /proc says of the descriptor */
	printf("readlink_self_fd=%s\n",
	       link_of(fdpath("/proc/self/fd/%ld", fd, 0)));
	printf("readlink_dev_fd=%s\n", link_of(fdpath("/dev/fd/%ld", fd, 0)));
	printf("readlink_pid_fd=%s\n",
	       link_of(fdpath("/proc/%ld/fd/%ld", getpid(), fd)));
	printf("readlink_thread_self_fd=%s\n",
	       link_of(fdpath("/proc/thread-self/fd/%ld", fd, 0)));
	n = readlink(fdpath("/proc/self/fd/%ld", fd, 0), buf, 10);
	printf("readlink_short=%zd %.*s\n", n, n > 0 ? (int)n : 0, buf);
	printf("stat_self_fd=%s same=%d\n",
	       st_of(fdpath("/proc/self/fd/%ld", fd, 0)),
	       same_file(fd, fdpath("/proc/self/fd/%ld", fd, 0)));

	/* a new open of the file: a new file, its own indexes */
	fd2 = open(fdpath("/proc/self/fd/%ld", fd, 0), O_RDWR);
	printf("reopen=%s\n", fd2 < 0 ? err(-1) : fd2 != fd ? "new_fd" : "same");
	printf("reopen_same_path=%d\n", same_file(fd2, DATA));
	printf("reopen_write_index_of_other=%s\n", err(emit(fd2, ia, 1)));
	printf("reopen_reg_b=%s", err(reg(fd2, "ro_b u32 v", &wb, 0, &ib)));
	printf(" index=%u\n", ib);
	printf("reopen_write_b=%s\n", err(emit(fd2, ib, 2)));
	printf("first_write_a=%s\n", err(emit(fd, ia, 3)));
	printf("first_write_index_1=%s\n", err(emit(fd, 1, 4)));
	fd3 = open(fdpath("/dev/fd/%ld", fd2, 0), O_RDWR);
	printf("reopen_dev_fd_reg_c=%s",
	       err(reg(fd3, "ro_c u32 v", &wc, 0, &ic)));
	printf(" index=%u\n", ic);
	unreg(fd3, &wc, 0);
	/* ro_c has no tracer: the file fd3 is holds it, fd2's does not */
	printf("del_c_while_held=%s\n",
	       err(ioctl(fd2, DIAG_IOCSDEL, "ro_c")));
	close(fd3);
	printf("del_c_after_close=%s\n",
	       err(ioctl(fd2, DIAG_IOCSDEL, "ro_c")));

	/* another process's descriptor, opened again here */
	if (pipe(up) || pipe(down))
		return 1;
	pid = fork();
	if (pid == 0)
		child();
	cfd = await(up[0]);
	printf("readlink_child_fd=%s\n",
	       link_of(fdpath("/proc/%ld/fd/%ld", pid, cfd)));
	fd3 = open(fdpath("/proc/%ld/fd/%ld", pid, cfd), O_RDWR);
	printf("reopen_child_fd_write_its_index=%s\n", err(emit(fd3, 0, 20)));
	tell(down[1], 0);
	await(up[0]);
	tell(down[1], 0);
	waitpid(pid, 0, 0);
	close(fd3);

	/* tracefs files */
	en = open(EV "/ro_a/enable", O_RDONLY);
	printf("readlink_enable=%s\n",
	       link_of(fdpath("/proc/self/fd/%ld", en, 0)));
	printf("stat_enable_fd=%s\n",
	       st_of(fdpath("/proc/self/fd/%ld", en, 0)));
	w = open(fdpath("/proc/self/fd/%ld", en, 0), O_WRONLY);
	printf("reopen_enable_write=%s\n", err(write(w, "1\n", 2)));
	close(w);
	printf("reopen_enable_read=%s\n",
	       text_at(AT_FDCWD, fdpath("/proc/self/fd/%ld", en, 0)));
	printf("enable_now=%s\n", text_at(AT_FDCWD, EV "/ro_a/enable"));
	w = open(EV "/ro_a/enable", O_WRONLY);
	if (write(w, "0\n", 2) != 2)
		printf("disable=%s\n", err(-1));
	close(w);
	close(en);
	st = open(T "/user_events_status", O_RDONLY);
	reg(fd, "ro_e u32 v", &wc, 0, &ic);
	printf("reopen_status_lists_new_event=%d\n",
	       !!strstr(text_at(AT_FDCWD, fdpath("/proc/self/fd/%ld", st, 0)),
			"ro_e"));
	unreg(fd, &wc, 0);
	close(st);
	w = open(T "/dynamic_events", O_WRONLY);
	printf("readlink_dynamic_events_wronly=%s\n",
	       link_of(fdpath("/proc/self/fd/%ld", w, 0)));
	close(w);

	/* a directory */
	d = open(EV "/ro_a", O_RDONLY | O_DIRECTORY);
	printf("readlink_dir=%s\n", link_of(fdpath("/proc/self/fd/%ld", d, 0)));
	printf("stat_dir_fd=%s\n", st_of(fdpath("/proc/self/fd/%ld", d, 0)));
	printf("through_dir_fd_id_same=%d\n",
	       !strcmp(text_at(AT_FDCWD, fdpath("/proc/self/fd/%ld/id", d, 0)),
		       text_at(AT_FDCWD, EV "/ro_a/id")));
	printf("reopen_dir_lists=");
	list_dir(open(fdpath("/proc/self/fd/%ld", d, 0),
		      O_RDONLY | O_DIRECTORY));
	printf("\n");
	close(d);

	/* the working directory */
	printf("chdir_sys=%s\n", err(chdir(EV)));
	printf("getcwd_sys=%s\n", getcwd(buf, sizeof(buf)) ? buf : err(-1));
	printf("readlink_cwd_sys=%s\n", link_of("/proc/self/cwd"));
	printf("readlink_pid_cwd_sys=%s\n",
	       link_of(fdpath("/proc/%ld/cwd", getpid(), 0)));
	printf("cwd_relative_id_same=%d\n",
	       !strcmp(text_at(AT_FDCWD, "ro_a/id"),
		       text_at(AT_FDCWD, EV "/ro_a/id")));
	printf("proc_cwd_id_same=%d\n",
	       !strcmp(text_at(AT_FDCWD, "/proc/self/cwd/ro_a/id"),
		       text_at(AT_FDCWD, EV "/ro_a/id")));
	printf("chdir_top=%s\n", err(chdir(T)));
	printf("getcwd_top=%s\n", getcwd(buf, sizeof(buf)) ? buf : err(-1));
	printf("readlink_cwd_top=%s\n", link_of("/proc/self/cwd"));
	fd3 = open("user_events_data", O_RDWR);
	printf("cwd_top_data_reg_a=%s", err(reg(fd3, "ro_a u32 v", &wc, 0, &ic)));
	printf(" index=%u\n", ic);
	printf("cwd_top_enable=%s\n",
	       text_at(AT_FDCWD, "events/user_events/ro_a/enable"));
	printf("cwd_top_proc_cwd_data=%s\n",
	       (n = open("/proc/self/cwd/user_events_data", O_RDWR)) < 0 ?
		       err(-1) : same_file((int)n, DATA) ? "data" : "other");
	return 0;
}
