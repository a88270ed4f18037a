/* SPDX-License-Identifier: MIT */
/*
 * The descriptor calls of the tracefs hooks on the lean path
 * (src/runtime/lean.c, uevent_tfs_path.c): ioctl, getdents64, fstat,
 * fchdir, getcwd, fgetxattr and flistxattr from this program's own hot
 * `mov $nr,%eax; syscall` sites (rewritten at their second call).
 *   fdlean where NAME   the call NAME made from its hot site stops in the
 *                       kernel (a seccomp filter hands it to this
 *                       process's own supervisor thread): "near" when the
 *                       kernel saw it on the calling thread's own stack
 *                       (the program's, or the lean path's), "far" on
 *                       limen's; then its result
 *   fdlean tracefs      what the emulated tracefs answers to the same
 *                       calls from hot sites (the kernel has no
 *                       user_events): a kernel tracefs directory's
 *                       listing, fstat and ioctl of user_events_data,
 *                       fchdir out of an emulated working directory
 *                       entered with chdir, getcwd in it; then stat,
 *                       open and readlink of emulated paths from hot
 *                       sites (absolute, /proc/self/fd/N, relative)
 *   fdlean where fstatempty|fstatat|opendir|fstatat_enable
 *                       find's calls, as "where NAME" above, on a
 *                       descriptor of /: newfstatat(fd, "", AT_EMPTY_PATH)
 *                       (glibc's fstat), newfstatat(fd, "etc",
 *                       AT_SYMLINK_NOFOLLOW), openat(fd, "etc",
 *                       O_DIRECTORY|O_NOFOLLOW...), and newfstatat of
 *                       "enable", a name of the emulated tracefs
 *   fdlean paths        what the emulated tracefs answers to those calls
 *                       from hot sites made lean on ordinary paths: names
 *                       relative to the kernel's tracefs directories (an
 *                       emulated file's, an event's before and after it
 *                       is registered here or in another process, the
 *                       kernel's tracefs top and events/ opened with
 *                       O_DIRECTORY, their listings), AT_EMPTY_PATH of an
 *                       emulated file's descriptor and of an emulated
 *                       working directory, a relative name in it
 * Each site's first byte goes to stderr ("site NAME e9": rewritten).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <limen/uevent.h>

#define SITE(name, nr)                            \
	".globl site_" #name "\n"                 \
	"site_" #name ":\n"                       \
	"	mov %rcx, %r10\n"                  \
	".globl site_" #name "_mov\n"             \
	"site_" #name "_mov:\n"                   \
	"	mov $" #nr ", %eax\n"              \
	"	syscall\n"                         \
	"	ret\n"

/* site_NAME(a0, a1, a2, a3): the call, from the site's own `syscall` */
__asm__(".text\n" SITE(ioctl, 16) SITE(getdents, 217) SITE(fstat, 5)
		SITE(fchdir, 81) SITE(getcwd, 79) SITE(fgetxattr, 193)
		SITE(flistxattr, 196) SITE(stat, 262) SITE(open, 257)
		SITE(readlink, 267));

#define DECL(name)                                                     \
	long site_##name(long a0, long a1, long a2, long a3);          \
	extern const unsigned char site_##name##_mov[];
DECL(ioctl)
DECL(getdents)
DECL(fstat)
DECL(fchdir)
DECL(getcwd)
DECL(fgetxattr)
DECL(flistxattr)
DECL(stat)
DECL(open)
DECL(readlink)

#define MAGIC_FD 77     /* the descriptor the filter stops calls on */
/* fts's open of a directory (find) */
#define DIR_FLAGS \
	(O_RDONLY | O_NOCTTY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC | O_DIRECTORY)
#define MAGIC_SIZE 4093 /* getcwd's size it stops */

static void site_line(const char *what, const unsigned char *p)
{
	fprintf(stderr, "site %s %02x\n", what,
		*(volatile const unsigned char *)p);
}

static char buf[4096], xname[] = "user.none";
static struct stat st;
/* the path of fstatat and opendir ("names"), NULL: their own */
static const char *path_arg;

/* one call of NAME from its site: its result */
static long call(const char *name)
{
	if (!strcmp(name, "ioctl")) {
		int n = 0;
		long r = site_ioctl(MAGIC_FD, FIONREAD, (long)&n, 0);

		return r < 0 ? r : n;
	}
	if (!strcmp(name, "getdents")) {
		long r = site_getdents(MAGIC_FD, (long)buf, sizeof(buf), 0);

		lseek(MAGIC_FD, 0, SEEK_SET);
		return r > 0 ? 1 : r; /* some entries */
	}
	if (!strcmp(name, "fstat")) {
		long r = site_fstat(MAGIC_FD, (long)&st, 0, 0);

		return r < 0 ? r : S_ISDIR(st.st_mode);
	}
	if (!strcmp(name, "fchdir"))
		return site_fchdir(MAGIC_FD, 0, 0, 0);
	if (!strcmp(name, "getcwd")) {
		long r = site_getcwd((long)buf, MAGIC_SIZE, 0, 0);

		return r < 0 ? r : !strcmp(buf, "/");
	}
	if (!strcmp(name, "fgetxattr"))
		return site_fgetxattr(MAGIC_FD, (long)xname, (long)buf, 16) < 0;
	if (!strcmp(name, "flistxattr"))
		return site_flistxattr(MAGIC_FD, (long)buf, sizeof(buf), 0) >= 0;
	if (!strcmp(name, "fstatempty")) {
		long r = site_stat(MAGIC_FD, (long)"", (long)&st, AT_EMPTY_PATH);

		return r < 0 ? r : S_ISDIR(st.st_mode);
	}
	if (!strcmp(name, "fstatat") || !strcmp(name, "fstatat_enable")) {
		long r = site_stat(MAGIC_FD,
				   (long)(path_arg  ? path_arg :
					  name[7]   ? "enable" :
						      "etc"),
				   (long)&st, AT_SYMLINK_NOFOLLOW);

		return r < 0 ? r : S_ISDIR(st.st_mode);
	}
	if (!strcmp(name, "opendir")) {
		long fd = site_open(MAGIC_FD,
				    (long)(path_arg ? path_arg : "etc"),
				    DIR_FLAGS, 0);

		if (fd >= 0)
			close((int)fd);
		return fd < 0 ? fd : 1;
	}
	fprintf(stderr, "unknown call %s\n", name);
	exit(2);
}

static const unsigned char *site_of(const char *name)
{
	static const struct {
		const char *name;
		const unsigned char *mov;
	} s[] = { { "ioctl", site_ioctl_mov },
		  { "getdents", site_getdents_mov },
		  { "fstat", site_fstat_mov },
		  { "fchdir", site_fchdir_mov },
		  { "getcwd", site_getcwd_mov },
		  { "fgetxattr", site_fgetxattr_mov },
		  { "flistxattr", site_flistxattr_mov },
		  { "fstatempty", site_stat_mov },
		  { "fstatat", site_stat_mov },
		  { "fstatat_enable", site_stat_mov },
		  { "opendir", site_open_mov } };

	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++)
		if (!strcmp(name, s[i].name))
			return s[i].mov;
	exit(2);
}

static const char *what;
static volatile uintptr_t stack_mark;
static volatile long result;

static void *waiter(void *arg)
{
	char mark;

	(void)arg;
	stack_mark = (uintptr_t)&mark;
	result = call(what);
	return NULL;
}

/* the kernel's stack pointer of thread tid's call (/proc) */
static uint64_t sp_of(pid_t tid)
{
	char path[64], line[512];
	unsigned long long f[8];
	long nr;
	FILE *fp;

	snprintf(path, sizeof(path), "/proc/self/task/%d/syscall", (int)tid);
	fp = fopen(path, "r");
	if (!fp || !fgets(line, sizeof(line), fp))
		exit(3);
	fclose(fp);
	if (sscanf(line, "%ld %llx %llx %llx %llx %llx %llx %llx %llx", &nr,
		   &f[0], &f[1], &f[2], &f[3], &f[4], &f[5], &f[6], &f[7]) != 9)
		return 0;
	return f[6];
}

/* the call NAME, made from its site by a thread of its own, stopped in
   the kernel by the filter (listener): near or far, then its result */
static void where_one(const char *name, int listener)
{
	struct seccomp_notif n;
	struct seccomp_notif_resp resp;
	pthread_t t;
	uint64_t sp;

	what = name;
	stack_mark = 0;
	if (pthread_create(&t, NULL, waiter, NULL))
		exit(3);
	memset(&n, 0, sizeof(n));
	if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &n))
		exit(3);
	sp = sp_of((pid_t)n.pid);
	while (!stack_mark)
		sched_yield();
	/* the thread's own stack, right below mark (the lean path: 128
	   below the program's), or limen's signal stack, far away */
	printf("blocked %s\n", sp < stack_mark && stack_mark - sp < 4096 ?
				       "near" : "far");
	memset(&resp, 0, sizeof(resp));
	resp.id = n.id;
	resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	if (ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp))
		exit(3);
	pthread_join(t, NULL);
	printf("result %ld\n", result);
}

/* The filter that stops NAME's calls, its site hot first: the
   listener, or -1 (said) */
static int where_setup(const char *name)
{
	int nr = !strcmp(name, "ioctl")	     ? SYS_ioctl :
		 !strcmp(name, "getdents")   ? SYS_getdents64 :
		 !strcmp(name, "fstat")	     ? SYS_fstat :
		 !strcmp(name, "fchdir")     ? SYS_fchdir :
		 !strcmp(name, "getcwd")     ? SYS_getcwd :
		 !strcmp(name, "fgetxattr")  ? SYS_fgetxattr :
		 !strcmp(name, "flistxattr") ? SYS_flistxattr :
		 !strcmp(name, "opendir")    ? SYS_openat :
					       SYS_newfstatat;
	int arg = nr == SYS_getcwd ? 1 : 0;
	uint32_t val = nr == SYS_getcwd ? MAGIC_SIZE : MAGIC_FD;
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)nr, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, args[arg])),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, val, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof(f) / sizeof(f[0]),
				   .filter = f };
	int p[2], dir = open("/", O_RDONLY | O_DIRECTORY), listener;

	/* a pipe with a byte in it for ioctl, the root for the others */
	if (pipe(p) || write(p[1], "x", 1) != 1 || dir < 0 ||
	    dup2(!strcmp(name, "ioctl") ? p[0] : dir, MAGIC_FD) < 0 ||
	    chdir("/"))
		exit(3);
	what = name;
	/* hot: rewritten at its second call, while this is the only
	   thread */
	for (int i = 0; i < 3; i++)
		call(name);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		exit(3);
	listener = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
				SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
	if (listener < 0)
		printf("no seccomp listener: %s\n", strerror(errno));
	return listener;
}

static void where(const char *name)
{
	int listener = where_setup(name);

	if (listener < 0)
		return;
	where_one(name, listener);
	site_line(name, site_of(name));
}

/* NAME (fstatat or opendir) of each path, from the one hot site: a
   "path P" line before each where_one's two */
static void where_names(const char *name, char **path, int n)
{
	int listener = where_setup(name);

	if (listener < 0)
		return;
	for (int i = 0; i < n; i++) {
		printf("path %s\n", path[i]);
		path_arg = path[i];
		where_one(name, listener);
	}
	site_line(name, site_of(name));
}

/* ---- the emulated tracefs from hot sites ---- */

#define DIAG_IOCSDEL 0x40082A01ul

static int lists(const char *dir, const char *name)
{
	int fd = (int)site_open(AT_FDCWD, (long)dir, O_RDONLY | O_DIRECTORY, 0);
	long n, found = 0;

	if (fd < 0)
		return -1;
	while ((n = site_getdents(fd, (long)buf, sizeof(buf), 0)) > 0)
		for (long o = 0; o < n;) {
			unsigned short reclen;

			memcpy(&reclen, buf + o + 16, 2);
			found |= !strcmp(buf + o + 19, name);
			o += reclen;
		}
	close(fd);
	return (int)found;
}

static void tracefs(void)
{
	static const char top[] = "/sys/kernel/tracing",
			  data[] = "/sys/kernel/tracing/user_events_data",
			  dir[] = "/sys/kernel/tracing/events/user_events/"
				  "fdlean_ev";
	struct limen_uevent ev = LIMEN_UEVENT_INIT("fdlean_ev u32 n");
	struct stat tst, s2;
	int root = open("/", O_RDONLY | O_DIRECTORY), fd;
	char link[64];
	pid_t pid;
	long r;

	/* every site hot on ordinary files first (the lean ones lean) */
	for (int i = 0; i < 3; i++) {
		int n = 0;

		site_ioctl(0, FIONREAD, (long)&n, 0);
		site_fstat(root, (long)&st, 0, 0);
		lseek(root, 0, SEEK_SET);
		site_getdents(root, (long)buf, sizeof(buf), 0);
		site_fchdir(root, 0, 0, 0);
		site_getcwd((long)buf, sizeof(buf), 0, 0);
		site_stat(AT_FDCWD, (long)"/", (long)&st, 0);
		fd = (int)site_open(AT_FDCWD, (long)"/", O_RDONLY, 0);
		close(fd);
		site_readlink(AT_FDCWD, (long)"/proc/self/cwd", (long)buf, 64);
	}
	if (stat(top, &tst)) {
		printf("no %s\n", top);
		return;
	}
	/* the kernel's listing, with the emulated entries it lacks: in a
	   child, which has its hot sites and nothing else opened */
	pid = fork();
	if (pid == 0) {
		printf("getdents64 of %s lists user_events_data: %d\n", top,
		       lists(top, "user_events_data"));
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, NULL, 0) != pid)
		exit(3);
	/* chdir into an emulated directory (not a descriptor: an event
	   of the C API, no user_events_data opened), then out of it
	   through fchdir */
	limen_uevent_init(&ev);
	r = chdir(dir);
	printf("chdir %s: %ld\n", dir, r);
	r = site_getcwd((long)buf, sizeof(buf), 0, 0);
	printf("getcwd: %s\n", r > 0 ? buf : strerror((int)-r));
	r = site_fchdir(root, 0, 0, 0);
	r = site_getcwd((long)buf, sizeof(buf), 0, 0);
	printf("fchdir /, getcwd: %s", r > 0 ? buf : strerror((int)-r));
	/* the emulated directory left: a relative path is the kernel's */
	r = site_stat(AT_FDCWD, (long)"format", (long)&s2, 0);
	printf(", stat format: %s\n", r ? strerror((int)-r) : "ok");
	/* a path relative to the emulated working directory */
	chdir(dir);
	r = site_stat(AT_FDCWD, (long)"format", (long)&s2, 0);
	printf("stat format in %s: %s\n", dir, r ? strerror((int)-r) : "ok");
	fchdir(root);
	/* the emulated file: stat, open, fstat, ioctl, readlink through
	   /proc */
	r = site_stat(AT_FDCWD, (long)data, (long)&s2, 0);
	printf("stat %s: %s, its tracefs's device: %d\n", data,
	       r ? strerror((int)-r) : "ok", !r && s2.st_dev == tst.st_dev);
	fd = (int)site_open(AT_FDCWD, (long)data, O_RDWR, 0);
	printf("open %s: %s\n", data, fd < 0 ? strerror(-fd) : "ok");
	if (fd < 0)
		return;
	r = site_fstat(fd, (long)&s2, 0, 0);
	printf("fstat: %s, its tracefs's device: %d\n",
	       r ? strerror((int)-r) : "ok", !r && s2.st_dev == tst.st_dev);
	r = site_ioctl(fd, DIAG_IOCSDEL, (long)"fdlean_none", 0);
	printf("ioctl DIAG_IOCSDEL of no event: %s\n",
	       r ? strerror((int)-r) : "ok");
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	r = site_readlink(AT_FDCWD, (long)link, (long)buf, sizeof(buf) - 1);
	buf[r > 0 ? r : 0] = 0;
	printf("readlink /proc/self/fd/N: %s\n", buf);
	r = site_stat(AT_FDCWD, (long)link, (long)&s2, 0);
	printf("stat /proc/self/fd/N: %s, its tracefs's device: %d\n",
	       r ? strerror((int)-r) : "ok", !r && s2.st_dev == tst.st_dev);
	r = site_getdents(fd, (long)buf, sizeof(buf), 0);
	printf("getdents64 of it: %s\n", r < 0 ? strerror((int)-r) : "ok");
	site_line("ioctl", site_ioctl_mov);
	site_line("getdents", site_getdents_mov);
	site_line("fstat", site_fstat_mov);
	site_line("fchdir", site_fchdir_mov);
	site_line("getcwd", site_getcwd_mov);
	site_line("stat", site_stat_mov);
	site_line("open", site_open_mov);
	site_line("readlink", site_readlink_mov);
}

/* ---- find's calls of the emulated tracefs from hot sites ---- */

/* stat of the program's own: "ok, on its tracefs's device: D, a
   directory: I" or the error */
static void show_stat(const char *what, long r, const struct stat *s,
		      dev_t dev)
{
	if (r)
		printf("%s: %s\n", what, strerror((int)-r));
	else
		printf("%s: ok, on its tracefs's device: %d, a directory: %d\n",
		       what, s->st_dev == dev, S_ISDIR(s->st_mode));
}

/* In a child (nothing of the emulation opened, no directory followed):
   chdir to cwd, open path relative to it with find's flags from the hot
   site, and whether its listing (the hot getdents64 site) has name */
static void lists_rel(const char *cwd, const char *path, const char *name)
{
	pid_t pid = fork();

	if (pid == 0) {
		long fd, n, found = 0;

		if (chdir(cwd))
			_exit(3);
		fd = site_open(AT_FDCWD, (long)path, DIR_FLAGS, 0);
		if (fd < 0) {
			printf("open %s in %s: %s\n", path, cwd,
			       strerror((int)-fd));
			_exit(0);
		}
		while ((n = site_getdents(fd, (long)buf, sizeof(buf), 0)) > 0)
			for (long o = 0; o < n;) {
				unsigned short reclen;

				memcpy(&reclen, buf + o + 16, 2);
				found |= !strcmp(buf + o + 19, name);
				o += reclen;
			}
		printf("open %s in %s, its listing has %s: %ld\n", path, cwd,
		       name, found);
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, NULL, 0) != pid)
		exit(3);
}

static void paths(void)
{
	static const char top[] = "/sys/kernel/tracing",
			  events[] = "/sys/kernel/tracing/events",
			  evdir[] = "/sys/kernel/tracing/events/user_events/"
				    "fdlean_rel";
	struct limen_uevent ev = LIMEN_UEVENT_INIT("fdlean_rel u32 n");
	struct stat tst, s2;
	int root = open("/", O_RDONLY | O_DIRECTORY), p[2], q[2];
	char c;
	pid_t pid;
	long r, fd;

	/* the sites hot on ordinary paths: lean ones lean */
	for (int i = 0; i < 3; i++) {
		site_stat(root, (long)"etc", (long)&st, AT_SYMLINK_NOFOLLOW);
		site_stat(root, (long)"", (long)&st, AT_EMPTY_PATH);
		fd = site_open(root, (long)"etc", DIR_FLAGS, 0);
		site_getdents(fd, (long)buf, sizeof(buf), 0);
		close((int)fd);
	}
	if (stat(top, &tst) || chdir(top)) {
		printf("no %s\n", top);
		return;
	}
	/* an emulated file's name relative to the kernel's tracefs top:
	   the kernel's ENOENT, the emulation's file */
	r = site_stat(AT_FDCWD, (long)"user_events_data", (long)&s2,
		      AT_SYMLINK_NOFOLLOW);
	show_stat("fstatat user_events_data in the kernel's tracefs", r, &s2,
		  tst.st_dev);
	/* the kernel's tracefs top opened by a relative name (O_DIRECTORY)
	   while no event is registered: its listing */
	lists_rel("/sys/kernel", "tracing", "user_events_data");
	/* an event's name relative to the kernel's events/: not one before
	   it is registered (the call lean), one once another process has
	   registered it (that process holds it meanwhile) */
	if (chdir(events) || pipe(p) || pipe(q))
		exit(3);
	r = site_stat(AT_FDCWD, (long)"user_events/fdlean_other", (long)&s2,
		      AT_SYMLINK_NOFOLLOW);
	show_stat("fstatat user_events/fdlean_other before it is registered",
		  r, &s2, tst.st_dev);
	pid = fork();
	if (pid == 0) {
		struct limen_uevent o = LIMEN_UEVENT_INIT("fdlean_other u32 n");

		limen_uevent_init(&o);
		if (write(p[1], "r", 1) != 1 || read(q[0], &c, 1) != 1)
			_exit(3);
		_exit(0);
	}
	if (pid < 0 || read(p[0], &c, 1) != 1)
		exit(3);
	r = site_stat(AT_FDCWD, (long)"user_events/fdlean_other", (long)&s2,
		      AT_SYMLINK_NOFOLLOW);
	show_stat("fstatat user_events/fdlean_other registered by another process",
		  r, &s2, tst.st_dev);
	if (write(q[1], "e", 1) != 1 || waitpid(pid, NULL, 0) != pid)
		exit(3);
	/* the same registered here (the other one is gone with its
	   process) */
	r = site_stat(AT_FDCWD, (long)"user_events/fdlean_rel", (long)&s2,
		      AT_SYMLINK_NOFOLLOW);
	show_stat("fstatat user_events/fdlean_rel before it is registered", r,
		  &s2, tst.st_dev);
	limen_uevent_init(&ev);
	r = site_stat(AT_FDCWD, (long)"user_events/fdlean_rel", (long)&s2,
		      AT_SYMLINK_NOFOLLOW);
	show_stat("fstatat user_events/fdlean_rel registered here", r, &s2,
		  tst.st_dev);
	/* the kernel's tracefs directories and the emulated one opened by
	   a relative name (O_DIRECTORY): their listings */
	lists_rel(top, "events", "user_events");
	lists_rel(events, "..", "user_events_data");
	lists_rel(top, "events/user_events", "fdlean_rel");
	/* AT_EMPTY_PATH of an emulated file's descriptor, and of AT_FDCWD
	   with an emulated working directory; a relative name in it */
	fd = open("/sys/kernel/tracing/events/user_events/fdlean_rel/enable",
		  O_RDONLY);
	if (fd < 0) {
		printf("open enable: %s\n", strerror(errno));
		return;
	}
	r = site_stat(fd, (long)"", (long)&s2, AT_EMPTY_PATH);
	show_stat("fstatat(fd, \"\", AT_EMPTY_PATH) of an emulated enable file",
		  r, &s2, tst.st_dev);
	if (chdir(evdir))
		exit(3);
	r = site_stat(AT_FDCWD, (long)"", (long)&s2, AT_EMPTY_PATH);
	show_stat("fstatat(AT_FDCWD, \"\", AT_EMPTY_PATH) in an emulated working directory",
		  r, &s2, tst.st_dev);
	r = site_stat(AT_FDCWD, (long)"enable", (long)&s2, AT_SYMLINK_NOFOLLOW);
	show_stat("fstatat enable in it", r, &s2, tst.st_dev);
	site_line("stat", site_stat_mov);
	site_line("open", site_open_mov);
	site_line("getdents", site_getdents_mov);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc == 3 && !strcmp(argv[1], "where"))
		where(argv[2]);
	else if (argc >= 4 && !strcmp(argv[1], "names") &&
		 (!strcmp(argv[2], "fstatat") || !strcmp(argv[2], "opendir")))
		where_names(argv[2], argv + 3, argc - 3);
	else if (argc == 2 && !strcmp(argv[1], "tracefs"))
		tracefs();
	else if (argc == 2 && !strcmp(argv[1], "paths"))
		paths();
	else {
		fprintf(stderr, "usage: fdlean where NAME | names fstatat|opendir PATH... | tracefs | paths\n");
		return 2;
	}
	return 0;
}
