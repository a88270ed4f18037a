/* SPDX-License-Identifier: MIT */
/*
 * /proc/self/exe named as the kernel resolves it, not only by its usual
 * name (tests/loader/exe_spellings.t): with an empty, "." or ".." name,
 * relative to /proc or /proc/self as working directory and as descriptor.
 * Every thread's link names the same file: "/proc/TID/exe",
 * "/proc/PID/task/TID/exe", "/proc/self/task/TID/exe", asked from a second
 * thread, of itself and of the first. And two that are not ours: a thread
 * that does not exist, and another process's link (init's), which the
 * kernel answers alone.
 * For each: what readlink says, and the inode that open and stat reach;
 * twice, the second time from rewritten sites.
 *   exe_spellings rm PATH      removes PATH (its own file), then says
 *                              what readlink of /proc/self/exe gives
 *   exe_spellings mv FROM TO   renames FROM (its own file, or its
 *                              directory) to TO, then the same
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static void one(const char *name, int dirfd, const char *p)
{
	char b[4096];
	struct stat st;
	ssize_t n = readlinkat(dirfd, p, b, sizeof(b) - 1);
	int fd = openat(dirfd, p, O_RDONLY);

	b[n > 0 ? n : 0] = 0;
	printf("%s readlink=%s", name, n > 0 ? b : "ERR");
	printf(" open=%lu", fd >= 0 && fstat(fd, &st) == 0 ?
				    (unsigned long)st.st_ino : 0ul);
	printf(" stat=%lu\n", fstatat(dirfd, p, &st, 0) == 0 ?
				      (unsigned long)st.st_ino : 0ul);
	if (fd >= 0)
		close(fd);
}

static void in(const char *name, const char *dir, const char *p)
{
	char n[64];
	int d = open(dir, O_RDONLY | O_DIRECTORY);

	snprintf(n, sizeof(n), "dirfd_%s", name);
	one(n, d, p);
	close(d);
	snprintf(n, sizeof(n), "cwd_%s", name);
	if (chdir(dir) == 0)
		one(n, AT_FDCWD, p);
	if (chdir("/"))
		perror("chdir");
}

static pid_t first;

/* a second thread's spellings, of itself and of the first thread */
static void *threads(void *arg)
{
	pid_t pid = getpid(), tid = (pid_t)syscall(SYS_gettid);
	char p[96];

	(void)arg;
	snprintf(p, sizeof(p), "/proc/%d/exe", tid);
	one("tid", AT_FDCWD, p);
	snprintf(p, sizeof(p), "/proc/%d/task/%d/exe", pid, tid);
	one("pid_task_tid", AT_FDCWD, p);
	snprintf(p, sizeof(p), "/proc/self/task/%d/exe", tid);
	one("self_task_tid", AT_FDCWD, p);
	snprintf(p, sizeof(p), "/proc/%d/task/%d/exe", tid, first);
	one("tid_task_first", AT_FDCWD, p);
	snprintf(p, sizeof(p), "/proc/self/task/%d/exe", first);
	one("self_task_first", AT_FDCWD, p);
	one("thread_self", AT_FDCWD, "/proc/thread-self/exe");
	one("no_such_thread", AT_FDCWD, "/proc/self/task/2147483647/exe");
	one("init", AT_FDCWD, "/proc/1/exe");
	return 0;
}

/* readlink of the link after its file changed (exe_view.c asks the
   kernel when the link is first named, not at the start) */
static int changed(int argc, char **argv)
{
	char b[4096];
	ssize_t n;

	if (!strcmp(argv[1], "rm") ? unlink(argv[2]) :
				     argc < 4 || rename(argv[2], argv[3])) {
		perror(argv[1]);
		return 1;
	}
	n = readlink("/proc/self/exe", b, sizeof(b) - 1);
	b[n > 0 ? n : 0] = 0;
	printf("readlink=%s\n", n > 0 ? b : "ERR");
	return 0;
}

int main(int argc, char **argv)
{
	pthread_t t;

	if (argc > 2)
		return changed(argc, argv);
	first = getpid();
	for (int i = 0; i < 2; i++) {
		one("abs", AT_FDCWD, "/proc/self/exe");
		one("lead_slash", AT_FDCWD, "//proc/self/exe");
		one("inner_slash", AT_FDCWD, "/proc//self/exe");
		one("dot", AT_FDCWD, "/proc/self/./exe");
		one("dotdot", AT_FDCWD, "/proc/self/../self/exe");
		in("proc", "/proc", "self/exe");
		in("self", "/proc/self", "exe");
		in("self_dot", "/proc/self", "./exe");
		if (pthread_create(&t, 0, threads, 0) == 0)
			pthread_join(t, 0);
	}
	return 0;
}
