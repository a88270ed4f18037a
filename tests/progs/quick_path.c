/* SPDX-License-Identifier: MIT */
/*
 * Calls that take a path, made through one call site that limen rewrites
 * (the form of glibc's syscall(): `mov 0x8(%rsp),%r9; syscall`, rewritten
 * at its second trap: two getppid() first), so that they take the quick
 * way of a path call (src/runtime/quickpath.c) where it applies, and the
 * full way where it must not.
 *
 *   quick_path plain DIR
 * DIR holds a file "f" and a link "l" to it (and is the working
 * directory). Each call's result is printed on stdout as "label=ok",
 * "label=N" or "label=ERRNO": open, openat (absolute, relative, to a
 * directory descriptor), stat, lstat, access, newfstatat (and
 * AT_EMPTY_PATH), statx, faccessat, faccessat2, readlink, readlinkat,
 * listxattr, llistxattr, getxattr and lgetxattr of ordinary paths; a
 * missing file (ENOENT); O_DIRECTORY; /dev/null and /proc/self/exe (not
 * plain: the full way); a bad pointer and NULL (EFAULT); a path ending at
 * the last byte of a page followed by an unreadable one, and one running
 * into it without a NUL (EFAULT); paths of 7 to 256 bytes around the
 * quick way's reads (8, 64, 256) and longer ones (300 bytes: the full way;
 * 5000: ENAMETOOLONG).
 *
 *   quick_path tfs
 * Under limen's user_events emulation (no user_events in the kernel, a
 * tracefs at /sys/kernel/tracing): opens user_events_data by its path,
 * registers an event through dynamic_events, then, in the kernel's
 * tracefs directory, opens "user_events_data" relatively (the kernel says
 * ENOENT, the emulation answers), and in the event's emulated directory
 * (chdir) opens and stats "enable" and "format" relatively, and stats the
 * emulated descriptor with AT_EMPTY_PATH; opens the kernel's tracefs
 * directory by a relative path from /sys/kernel (O_DIRECTORY: its listing
 * gets the emulated entries).
 *
 *   quick_path fifo DIR
 * An open of a FIFO with no writer, ended by a SIGALRM handler (EINTR).
 *
 *   quick_path dirfirst
 * Under the emulation, before any user_events file was opened: the
 * kernel's tracefs directory opened by a relative path (O_DIRECTORY), its
 * listing.
 *
 *   quick_path reuse DIR
 * Under the emulation: user_events_data opened, its descriptor closed by
 * a child sharing the descriptor table (clone CLONE_FILES, its own
 * memory: this process's runtime does not see the close), the number
 * reused by an open of DIR/w on the quick way, and written to: the kernel's
 * file, not an emulated one.
 *
 * "site sys XX" goes to stderr: the site's first byte (4c as built, e9
 * rewritten).
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef AT_EMPTY_PATH
#define AT_EMPTY_PATH 0x1000
#endif
#ifndef SYS_faccessat2
#define SYS_faccessat2 439
#endif

long qp_sys(long nr, long a0, long a1, long a2, long a3, long a4, long a5);

__asm__(".text\n"
	".globl qp_sys\n"
	".type qp_sys, @function\n"
	"qp_sys:\n"
	".cfi_startproc\n"
	"	mov %rdi, %rax\n"
	"	mov %rsi, %rdi\n"
	"	mov %rdx, %rsi\n"
	"	mov %rcx, %rdx\n"
	"	mov %r8, %r10\n"
	"	mov %r9, %r8\n"
	".globl qp_sys_mov\n"
	"qp_sys_mov:\n"
	"	mov 0x8(%rsp), %r9\n"
	"	syscall\n"
	"	ret\n"
	".cfi_endproc\n"
	".size qp_sys, .-qp_sys\n");
extern const unsigned char qp_sys_mov[];

static const char *err(long r)
{
	static char b[32];

	switch (-r) {
	case ENOENT: return "ENOENT";
	case EFAULT: return "EFAULT";
	case EACCES: return "EACCES";
	case ENOTDIR: return "ENOTDIR";
	case ENAMETOOLONG: return "ENAMETOOLONG";
	case EBADF: return "EBADF";
	case EINVAL: return "EINVAL";
	case EINTR: return "EINTR";
	}
	snprintf(b, sizeof(b), "errno%ld", -r);
	return b;
}

/* a call's result: "ok" for a descriptor (closed), the number for others */
static void fd_res(const char *label, long r)
{
	if (r >= 0) {
		printf("%s=ok\n", label);
		close((int)r);
	} else {
		printf("%s=%s\n", label, err(r));
	}
}

static void res(const char *label, long r)
{
	if (r >= 0)
		printf("%s=%ld\n", label, r);
	else
		printf("%s=%s\n", label, err(r));
}

static long sys_openat(long dirfd, const char *p, long flags)
{
	return qp_sys(SYS_openat, dirfd, (long)p, flags, 0, 0, 0);
}

/* a path of n bytes (n >= 7) naming DIR/f: relative (the working
   directory is DIR), "./" pairs, then "f" or "/f"; absolute (n at least
   DIR's length + 2), DIR, "/." pairs and one more "/" if needed, "/f" */
static char *path_of_len(const char *dir, size_t n, int abs)
{
	char *p = malloc(n + 1);
	size_t k = 0;

	if (abs) {
		size_t d = strlen(dir);

		memcpy(p, dir, d);
		k = d;
		if ((n - d) % 2)
			p[k++] = '/';
		while (k < n - 2) {
			p[k++] = '/';
			p[k++] = '.';
		}
		p[k++] = '/';
	} else {
		size_t stop = n % 2 ? n - 1 : n - 2;

		while (k < stop) {
			p[k++] = '.';
			p[k++] = '/';
		}
		if (n % 2 == 0)
			p[k++] = '/';
	}
	p[k++] = 'f';
	p[k] = 0;
	return p;
}

static int plain(const char *dir)
{
	char fpath[4096], label[64], *p;
	struct stat st;
	char stx[512];
	long pg = sysconf(_SC_PAGESIZE), dfd;
	size_t lens[] = { 7, 8, 9, 63, 64, 65, 127, 200, 255, 256, 257, 300 };
	unsigned char *m;

	snprintf(fpath, sizeof(fpath), "%s/f", dir);
	res("open", qp_sys(SYS_open, (long)fpath, O_RDONLY, 0, 0, 0, 0) >= 0);
	fd_res("openat_abs", sys_openat(AT_FDCWD, fpath, O_RDONLY));
	fd_res("openat_rel", sys_openat(AT_FDCWD, "f", O_RDONLY));
	dfd = sys_openat(AT_FDCWD, dir, O_RDONLY | O_DIRECTORY);
	res("openat_dir", dfd >= 0 ? 0 : dfd);
	fd_res("openat_dirfd", sys_openat(dfd, "f", O_RDONLY));
	fd_res("openat_missing", sys_openat(AT_FDCWD, "missing", O_RDONLY));
	fd_res("openat_missing_abs", sys_openat(AT_FDCWD, "/nonexistent/qp",
						O_RDONLY));
	fd_res("openat_dev_null", sys_openat(AT_FDCWD, "/dev/null", O_RDONLY));
	fd_res("openat_sys", sys_openat(AT_FDCWD, "/sys/nonexistent/qp",
					O_RDONLY));
	res("stat", qp_sys(SYS_stat, (long)fpath, (long)&st, 0, 0, 0, 0));
	res("stat_size", st.st_size);
	res("lstat", qp_sys(SYS_lstat, (long)"f", (long)&st, 0, 0, 0, 0));
	res("access", qp_sys(SYS_access, (long)fpath, R_OK, 0, 0, 0, 0));
	res("access_missing", qp_sys(SYS_access, (long)"missing", R_OK, 0, 0,
				     0, 0));
	res("newfstatat", qp_sys(SYS_newfstatat, AT_FDCWD, (long)"f",
				 (long)&st, 0, 0, 0));
	res("newfstatat_empty", qp_sys(SYS_newfstatat, dfd, (long)"",
				       (long)&st, AT_EMPTY_PATH, 0, 0));
	res("statx", qp_sys(SYS_statx, AT_FDCWD, (long)"f", 0, 0x7ff,
			    (long)stx, 0));
	res("faccessat", qp_sys(SYS_faccessat, dfd, (long)"f", R_OK, 0, 0, 0));
	res("faccessat2", qp_sys(SYS_faccessat2, AT_FDCWD, (long)"f", R_OK, 0,
				 0, 0));
	{
		char l[256];

		res("readlink", qp_sys(SYS_readlink, (long)"l", (long)l,
				       sizeof(l), 0, 0, 0));
		res("readlinkat", qp_sys(SYS_readlinkat, dfd, (long)"l",
					 (long)l, sizeof(l), 0, 0));
		res("readlink_missing", qp_sys(SYS_readlink, (long)"missing",
					       (long)l, sizeof(l), 0, 0, 0));
		res("listxattr", qp_sys(SYS_listxattr, (long)fpath, (long)l,
					sizeof(l), 0, 0, 0) >= 0);
		res("llistxattr", qp_sys(SYS_llistxattr, (long)"l", (long)l,
					 sizeof(l), 0, 0, 0) >= 0);
		res("getxattr_none", qp_sys(SYS_getxattr, (long)"f",
					    (long)"user.qp_none", (long)l,
					    sizeof(l), 0, 0) < 0);
		res("lgetxattr_none", qp_sys(SYS_lgetxattr, (long)fpath,
					     (long)"user.qp_none", (long)l,
					     sizeof(l), 0, 0) < 0);
		res("readlink_exe", qp_sys(SYS_readlink, (long)"/proc/self/exe",
					   (long)l, sizeof(l), 0, 0, 0) > 0);
	}
	/* /proc/self/exe: limen's loader answers for it (exe_view.c) */
	{
		struct stat a, b;

		res("stat_exe", qp_sys(SYS_stat, (long)"/proc/self/exe",
				       (long)&a, 0, 0, 0, 0));
		stat("/proc/self/exe", &b);
		res("stat_exe_same", a.st_ino == b.st_ino);
	}
	close((int)dfd);

	/* pointers that fault */
	fd_res("openat_bad_ptr", sys_openat(AT_FDCWD, (const char *)1,
					    O_RDONLY));
	fd_res("openat_null", sys_openat(AT_FDCWD, NULL, O_RDONLY));
	res("stat_bad_ptr", qp_sys(SYS_stat, 1, (long)&st, 0, 0, 0, 0));

	/* a path at the end of a readable page, an unreadable one after */
	m = mmap(0, 2 * pg, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED || mprotect(m + pg, pg, PROT_NONE))
		return 1;
	p = (char *)m + pg - 2;
	strcpy(p, "f"); /* "f\0", its NUL the page's last byte */
	fd_res("openat_page_end", sys_openat(AT_FDCWD, p, O_RDONLY));
	p = (char *)m + pg - strlen(fpath) - 1;
	strcpy(p, fpath);
	fd_res("openat_page_end_abs", sys_openat(AT_FDCWD, p, O_RDONLY));
	res("stat_page_end", qp_sys(SYS_stat, (long)p, (long)&st, 0, 0, 0, 0));
	p = (char *)m + pg - 3;
	memcpy(p, "/ab", 3); /* no NUL before the unreadable page */
	fd_res("openat_unterminated", sys_openat(AT_FDCWD, p, O_RDONLY));
	p = (char *)m + pg - 3;
	memcpy(p, "abc", 3);
	fd_res("openat_unterminated_rel", sys_openat(AT_FDCWD, p, O_RDONLY));
	fd_res("openat_unreadable", sys_openat(AT_FDCWD, (char *)m + pg,
					       O_RDONLY));

	/* lengths around the quick way's reads */
	for (int abs = 0; abs < 2; abs++) {
		for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
			if (abs && lens[i] < strlen(dir) + 2)
				continue;
			p = path_of_len(dir, lens[i], abs);
			snprintf(label, sizeof(label), "openat_%s%zu_%zu",
				 abs ? "abs" : "rel", lens[i], strlen(p));
			fd_res(label, sys_openat(AT_FDCWD, p, O_RDONLY));
			free(p);
		}
	}
	p = malloc(5001);
	memset(p, 'a', 5000);
	p[5000] = 0;
	fd_res("openat_too_long", sys_openat(AT_FDCWD, p, O_RDONLY));
	free(p);
	return 0;
}

#define T "/sys/kernel/tracing/"

/* 1 when directory fd's listing (getdents64, to its end) has name */
static int lists(long fd, const char *name)
{
	char buf[4096];
	long n;
	int found = 0;

	while ((n = qp_sys(SYS_getdents64, fd, (long)buf, sizeof(buf), 0, 0,
			   0)) > 0) {
		for (long off = 0; off < n;) {
			unsigned short reclen;

			memcpy(&reclen, buf + off + 16, 2);
			if (!strcmp(buf + off + 19, name))
				found = 1;
			off += reclen;
		}
	}
	return found;
}

static int tfs(void)
{
	char st[256];
	long fd, r;

	fd = sys_openat(AT_FDCWD, T "user_events_data", O_RDWR);
	res("open_data", fd >= 0 ? 0 : fd);
	if (fd >= 0)
		close((int)fd);
	fd = sys_openat(AT_FDCWD, T "dynamic_events", O_WRONLY | O_APPEND);
	r = fd >= 0 ? write((int)fd, "u:qpev u32 x", 12) : fd;
	res("add_event", r);
	if (fd >= 0)
		close((int)fd);
	/* in the kernel's tracefs directory: the kernel says ENOENT of the
	   relative name, the emulation answers */
	res("chdir_tracefs", chdir(T) ? -errno : 0);
	fd = sys_openat(AT_FDCWD, "user_events_data", O_RDWR);
	res("open_data_rel", fd >= 0 ? 0 : fd);
	if (fd >= 0)
		close((int)fd);
	res("stat_data_rel", qp_sys(SYS_stat, (long)"user_events_data",
				    (long)st, 0, 0, 0, 0));
	/* in the event's emulated directory */
	res("chdir_event", chdir(T "events/user_events/qpev") ? -errno : 0);
	fd = sys_openat(AT_FDCWD, "enable", O_RDONLY);
	res("open_enable_rel", fd >= 0 ? 0 : fd);
	res("fstatat_enable_empty",
	    qp_sys(SYS_newfstatat, fd, (long)"", (long)st, AT_EMPTY_PATH, 0,
		   0));
	res("fstatat_format_dirfd", qp_sys(SYS_newfstatat, fd, (long)"format",
					   (long)st, 0, 0, 0));
	if (fd >= 0)
		close((int)fd);
	res("stat_format_rel", qp_sys(SYS_stat, (long)"format", (long)st, 0, 0,
				      0, 0));
	res("access_id_rel", qp_sys(SYS_access, (long)"id", R_OK, 0, 0, 0, 0));
	fd = sys_openat(AT_FDCWD, "id", O_RDONLY);
	res("open_id_rel", fd >= 0 ? 0 : fd);
	if (fd >= 0)
		close((int)fd);
	/* the kernel's tracefs directory opened by a plain (relative)
	   path: its listing gets the emulated entries it lacks */
	res("chdir_kernel", chdir("/sys/kernel") ? -errno : 0);
	fd = sys_openat(AT_FDCWD, "tracing", O_RDONLY | O_DIRECTORY);
	res("open_tracing_dir_rel", fd >= 0 ? 0 : fd);
	res("listing_has_user_events_data", fd >= 0 && lists(fd, "user_events_data"));
	if (fd >= 0)
		close((int)fd);
	res("chdir_root", chdir("/") ? -errno : 0);
	fd = sys_openat(AT_FDCWD, "etc/hostname", O_RDONLY);
	res("open_rel_after_leaving", fd >= 0 ? 0 : fd);
	if (fd >= 0)
		close((int)fd);
	return 0;
}

static int dirfirst(void)
{
	long fd;

	res("chdir_kernel", chdir("/sys/kernel") ? -errno : 0);
	fd = sys_openat(AT_FDCWD, "tracing", O_RDONLY | O_DIRECTORY);
	res("open_tracing_dir_rel", fd >= 0 ? 0 : fd);
	res("listing_has_user_events_data", fd >= 0 && lists(fd, "user_events_data"));
	if (fd >= 0)
		close((int)fd);
	return 0;
}

static int reuse(const char *dir)
{
	char p[4096], buf[16] = "";
	long fd, fd2, r;
	pid_t pid;
	int st;

	fd = sys_openat(AT_FDCWD, T "user_events_data", O_RDWR);
	res("open_data", fd >= 0 ? 0 : fd);
	if (fd < 0)
		return 1;
	pid = (pid_t)syscall(SYS_clone, CLONE_FILES | SIGCHLD, 0, 0, 0, 0);
	if (pid == 0)
		_exit(close((int)fd) ? 1 : 0);
	res("child_closed", pid > 0 && waitpid(pid, &st, 0) == pid &&
				    WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	snprintf(p, sizeof(p), "%s/w", dir);
	fd2 = qp_sys(SYS_openat, AT_FDCWD, (long)p, O_RDWR | O_CREAT | O_TRUNC,
		     0600, 0, 0);
	res("same_number", fd2 == fd);
	r = qp_sys(SYS_write, fd2, (long)"hello", 5, 0, 0, 0);
	res("write_reused", r);
	close((int)fd2);
	fd2 = open(p, O_RDONLY);
	if (fd2 >= 0) {
		r = read((int)fd2, buf, sizeof(buf) - 1);
		buf[r > 0 ? r : 0] = 0;
		close((int)fd2);
	}
	printf("file=%s\n", buf);
	return 0;
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* open of a FIFO with no writer blocks until SIGALRM's handler ends it
   (EINTR: no SA_RESTART); with SA_RESTART it is made again and ends at
   the second alarm the same way (the timer repeats), then a writer */
static int fifo(const char *dir)
{
	char p[4096];
	struct sigaction sa;
	struct itimerval it = { { 0, 20000 }, { 0, 20000 } };
	long fd;

	snprintf(p, sizeof(p), "%s/fifo", dir);
	if (mkfifo(p, 0600))
		return 1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, 0);
	setitimer(ITIMER_REAL, &it, 0);
	fd = sys_openat(AT_FDCWD, p, O_RDONLY);
	it.it_value.tv_usec = it.it_interval.tv_usec = 0;
	setitimer(ITIMER_REAL, &it, 0);
	fd_res("open_fifo_interrupted", fd);
	unlink(p);
	return 0;
}

int main(int argc, char **argv)
{
	qp_sys(SYS_getppid, 0, 0, 0, 0, 0, 0);
	qp_sys(SYS_getppid, 0, 0, 0, 0, 0, 0); /* rewritten now */
	fprintf(stderr, "site sys %02x\n", qp_sys_mov[0]);
	setvbuf(stdout, 0, _IONBF, 0);
	if (argc == 3 && !strcmp(argv[1], "plain"))
		return plain(argv[2]);
	if (argc == 2 && !strcmp(argv[1], "tfs"))
		return tfs();
	if (argc == 3 && !strcmp(argv[1], "fifo"))
		return fifo(argv[2]);
	if (argc == 2 && !strcmp(argv[1], "dirfirst"))
		return dirfirst();
	if (argc == 3 && !strcmp(argv[1], "reuse"))
		return reuse(argv[2]);
	fprintf(stderr, "usage: quick_path plain DIR | tfs | fifo DIR | "
			"dirfirst | reuse DIR\n");
	return 2;
}
