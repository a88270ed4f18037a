/* SPDX-License-Identifier: MIT */
/*
 * A program that probes the tracefs files of user_events as a file system,
 * the way programs and test suites written for a kernel with
 * CONFIG_USER_EVENTS do (no limen header): access(W_OK) of
 * user_events_data, stat/lstat/statx/fstatat of each file and directory,
 * fstat of an open one, openat/fstatat/faccessat relative to an event's
 * directory descriptor, getdents64's inode numbers, chdir into the
 * directory (and a child exec'd there opening a relative path), getcwd,
 * xattrs, available_events and set_event. One "step=value" line per step
 * (tests/uevent/tfs_fs.t). Run as "uevent_tfs_fs cat FILE" it prints FILE
 * (a relative path), for the exec'd child.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#define T "/sys/kernel/tracing/"
#define EV T "events/user_events/"

static const char *err(int e)
{
	static char b[32];

	switch (e) {
	case ENOENT: return "ENOENT";
	case EACCES: return "EACCES";
	case EINVAL: return "EINVAL";
	case ENOTDIR: return "ENOTDIR";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case EISDIR: return "EISDIR";
	}
	snprintf(b, sizeof(b), "errno%d", e);
	return b;
}

/* what stat says: type and mode, links, size; or the error */
static const char *st_str(int r, const struct stat *st)
{
	static char b[8][64];
	static int k;
	char *s = b[k++ % 8];

	if (r < 0)
		snprintf(s, 64, "%s", err(errno));
	else
		snprintf(s, 64, "%s%04o n%lu s%lld",
			 S_ISDIR(st->st_mode) ? "d" :
			 S_ISREG(st->st_mode) ? "f" : "?",
			 st->st_mode & 07777, (unsigned long)st->st_nlink,
			 (long long)st->st_size);
	return s;
}

static const char *stat_of(const char *p)
{
	struct stat st;

	return st_str(stat(p, &st), &st);
}

static const char *slurp_fd(int fd)
{
	static char b[4096];
	ssize_t n;

	if (fd < 0)
		return err(errno);
	n = read(fd, b, sizeof(b) - 1);
	close(fd);
	if (n < 0)
		return err(errno);
	b[n] = 0;
	if (n && b[n - 1] == '\n')
		b[n - 1] = 0;
	return b;
}

static const char *put(const char *path, const char *s, int flags)
{
	int fd = open(path, O_WRONLY | flags);
	ssize_t r;

	if (fd < 0)
		return err(errno);
	r = write(fd, s, strlen(s));
	close(fd);
	return r == (ssize_t)strlen(s) ? "ok" : r < 0 ? err(errno) : "short";
}

static const char *acc(const char *p, int mode)
{
	return access(p, mode) ? err(errno) : "0";
}

int main(int argc, char **argv)
{
	struct stat a, b;
	struct statx sx;
	char buf[512];
	int dfd, fd;

	if (argc == 3 && !strcmp(argv[1], "cat")) {
		printf("%s\n", slurp_fd(open(argv[2], O_RDONLY)));
		return 0;
	}
	setvbuf(stdout, 0, _IONBF, 0);
	/* no event yet: the system's directory is not there */
	printf("dir_before=%s\n", stat_of(EV));
	printf("add=%s\n", put(T "dynamic_events",
			       "u:fsev u32 count; char[8] msg", 0));

	/* probing: access and every stat-like call */
	printf("access_data_w=%s\n", acc(T "user_events_data", W_OK));
	printf("access_data_rw=%s\n", acc(T "user_events_data", R_OK | W_OK));
	printf("access_status_r=%s\n", acc(T "user_events_status", R_OK));
	printf("access_dir_x=%s\n", acc(EV "fsev", X_OK));
	printf("access_none=%s\n", acc(EV "nosuch/enable", F_OK));
	printf("faccessat2_enable=%ld\n",
	       syscall(SYS_faccessat2, AT_FDCWD, EV "fsev/enable", W_OK,
		       AT_EACCESS));
	printf("stat_data=%s\n", stat_of(T "user_events_data"));
	printf("stat_status=%s\n", stat_of(T "user_events_status"));
	printf("stat_sysdir=%s\n", stat_of(EV));
	printf("stat_sys_enable=%s\n", stat_of(EV "enable"));
	printf("stat_evdir=%s\n", stat_of(EV "fsev"));
	printf("stat_enable=%s\n", stat_of(EV "fsev/enable"));
	printf("stat_format=%s\n", stat_of(EV "fsev/format"));
	printf("stat_id=%s\n", stat_of(EV "fsev/id"));
	printf("stat_debug_prefix=%s\n",
	       stat_of("/sys/kernel/debug/tracing/events/user_events/fsev/id"));
	printf("stat_dotdot=%s\n", stat_of(EV "fsev/../fsev/./enable"));
	printf("stat_no_event=%s\n", stat_of(EV "nosuch"));
	printf("lstat_format=%s\n",
	       st_str(lstat(EV "fsev/format", &a), &a));
	printf("statx_format=%s\n",
	       statx(AT_FDCWD, EV "fsev/format", AT_SYMLINK_NOFOLLOW,
		     STATX_BASIC_STATS, &sx) ? err(errno) :
	       (snprintf(buf, sizeof(buf), "%s%04o n%u s%llu",
			 S_ISREG(sx.stx_mode) ? "f" : "?",
			 sx.stx_mode & 07777, sx.stx_nlink,
			 (unsigned long long)sx.stx_size), buf));
	printf("lgetxattr=%s\n",
	       lgetxattr(EV "fsev/format", "security.selinux", buf,
			 sizeof(buf)) < 0 ? err(errno) : "some");
	printf("listxattr=%zd\n", listxattr(EV "fsev", buf, sizeof(buf)));

	/* fstat of an open file agrees with stat of its path */
	stat(EV "fsev/enable", &a);
	fd = open(EV "fsev/enable", O_RDONLY);
	fstat(fd, &b);
	printf("fstat_enable=%s same_ino=%d\n", st_str(0, &b),
	       a.st_ino == b.st_ino && a.st_dev == b.st_dev);
	close(fd);
	stat(T "user_events_data", &a);
	fd = open(T "user_events_data", O_RDWR);
	fstat(fd, &b);
	printf("fstat_data=%s same_ino=%d\n", st_str(0, &b),
	       a.st_ino == b.st_ino);
	close(fd);

	/* relative to the event's directory descriptor */
	stat(EV "fsev", &a);
	dfd = open(EV "fsev", O_RDONLY | O_DIRECTORY);
	fstat(dfd, &b);
	printf("fstat_dir=%s same_ino=%d\n", st_str(0, &b),
	       a.st_ino == b.st_ino && a.st_dev == b.st_dev);
	printf("openat_enable=%s\n", slurp_fd(openat(dfd, "enable", O_RDONLY)));
	printf("openat_id=%s\n", slurp_fd(openat(dfd, "./id", O_RDONLY)));
	printf("openat_dotdot=%s\n",
	       slurp_fd(openat(dfd, "../fsev/id", O_RDONLY)));
	printf("openat_none=%s\n", slurp_fd(openat(dfd, "nope", O_RDONLY)));
	printf("fstatat_format=%s\n",
	       st_str(fstatat(dfd, "format", &a, 0), &a));
	printf("fstatat_dot=%s\n", st_str(fstatat(dfd, ".", &a, 0), &a));
	printf("fstatat_up=%s\n", st_str(fstatat(dfd, "..", &a, 0), &a));
	printf("faccessat_id_w=%s\n",
	       faccessat(dfd, "id", W_OK, AT_EACCESS) && geteuid() ?
		       err(errno) : "root-or-0");
	printf("faccessat_enable_w=%s\n",
	       faccessat(dfd, "enable", W_OK, 0) ? err(errno) : "0");
	{
		/* getdents64's inode numbers are stat's */
		DIR *d = fdopendir(dup(dfd));
		struct dirent *e;
		int same = 1, n = 0;

		while ((e = readdir(d))) {
			if (e->d_name[0] == '.')
				continue;
			fstatat(dfd, e->d_name, &a, 0);
			same &= e->d_ino == a.st_ino;
			n++;
		}
		closedir(d);
		printf("dirent_ino=%d of %d\n", same, n);
	}

	/* cd into it: relative paths, getcwd, and a child exec'd there */
	printf("fchdir=%s\n", fchdir(dfd) ? err(errno) : "0");
	printf("getcwd=%s\n", getcwd(buf, sizeof(buf)) ? buf : err(errno));
	close(dfd);
	printf("cwd_id=%s\n", slurp_fd(open("id", O_RDONLY)));
	printf("cwd_stat_dot=%s\n", stat_of("."));
	printf("chdir_file=%s\n", chdir("enable") ? err(errno) : "0");
	fflush(stdout);
	{
		pid_t p = fork();

		if (!p) {
			execl("/proc/self/exe", argv[0], "cat", "format", NULL);
			_exit(127);
		}
		waitpid(p, 0, 0);
	}
	printf("chdir_up=%s\n", chdir("..") ? err(errno) : "0");
	printf("getcwd_up=%s\n", getcwd(buf, sizeof(buf)) ? buf : err(errno));
	printf("up_enable=%s\n", stat_of("enable"));
	printf("chdir_back=%s\n", chdir("fsev") ? err(errno) : "0");
	printf("back_id=%s\n", slurp_fd(open("id", O_RDONLY)));
	printf("chdir_real=%s\n", chdir("/tmp") ? err(errno) : "0");
	printf("getcwd_real=%s\n", getcwd(buf, sizeof(buf)) ? buf : err(errno));

	/* available_events and set_event */
	{
		/* the user events first, the kernel's after them */
		const char *all = slurp_fd(open(T "available_events",
						 O_RDONLY));

		printf("available_first=%.*s\n", (int)strcspn(all, "\n"),
		       all);
	}
	printf("set_event_empty=[%s]\n",
	       slurp_fd(open(T "set_event", O_RDONLY)));
	printf("set_event_on=%s\n",
	       put(T "set_event", "user_events:fsev\n", O_TRUNC));
	printf("set_event_list=%s\n", slurp_fd(open(T "set_event", O_RDONLY)));
	printf("set_event_enable=%s\n",
	       slurp_fd(open(EV "fsev/enable", O_RDONLY)));
	printf("set_event_off=%s\n",
	       put(T "set_event", "!user_events:fsev\n", O_APPEND));
	printf("set_event_enable_off=%s\n",
	       slurp_fd(open(EV "fsev/enable", O_RDONLY)));
	printf("set_event_system=%s\n",
	       put(T "set_event", "user_events\n", O_APPEND));
	printf("set_event_system_enable=%s\n",
	       slurp_fd(open(EV "fsev/enable", O_RDONLY)));
	printf("set_event_trunc=%s\n", put(T "set_event", "", O_TRUNC));
	printf("set_event_trunc_enable=%s\n",
	       slurp_fd(open(EV "fsev/enable", O_RDONLY)));
	printf("enable_file_listed=%s\n", put(EV "fsev/enable", "1", 0));
	printf("set_event_from_enable=%s\n",
	       slurp_fd(open(T "set_event", O_RDONLY)));
	printf("set_event_unknown=%s\n",
	       put(T "set_event", "user_events:nosuch\n", O_APPEND));
	put(EV "fsev/enable", "0", 0);
	return 0;
}
