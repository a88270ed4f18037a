/* SPDX-License-Identifier: MIT */
/*
 * tests/filter: a program whose calls the filters select and the
 * injections tamper with, the same under strace and limen.
 *
 *   filt calls DIR   a fixed sequence of calls on DIR (chdir, mkdir,
 *                    unlink, open, dup, dup2, fcntl, close, getppid,
 *                    signals), printing what each returned
 *   filt fork DIR    getppid twice in the parent, then twice in a child
 *                    (when= counters per process)
 *   filt vfork       getppid, a vfork child's two getppid, getppid
 *   filt threads     getppid twice in this thread, then twice in a new one
 *   filt race DIR N  one thread flips a path between DIR/allow and
 *                    DIR/deny_ while this one opens it N times; prints how
 *                    many opens reached DIR/deny_ (by /proc/self/fd), how
 *                    many were refused, how many opened DIR/allow
 *   filt loop N      N getppid calls
 *   filt time N CALL N calls of CALL (close: close(12345); openat:
 *                    openat of a path that does not exist), the ns each
 *                    took (bench/filter.sh); clock_gettime is the vDSO's
 *   filt scribble DIR  write a looping, out-of-bounds filter program into
 *                    the session (every traced process can), then exec
 *                    filt calls DIR: the new image must refuse it
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../src/session/filter_abi.h"

static void show(const char *what, long r)
{
	if (r < 0)
		printf("%s = -1 %s\n", what, strerrorname_np(errno));
	else
		printf("%s = %ld\n", what, r);
	fflush(stdout);
}

static void on_sig(int sig)
{
	(void)sig;
}

static int calls(const char *dir)
{
	char p[PATH_MAX];
	int fd, fd2;

	signal(SIGUSR1, on_sig);
	signal(SIGUSR2, on_sig);
	snprintf(p, sizeof(p), "%s/sub", dir);
	show("mkdir sub", mkdir(p, 0755));
	show("chdir sub", chdir(p));
	show("chdir nope", chdir("nope"));
	show("getppid", getppid() > 0);
	show("getppid", getppid() > 0);
	show("getppid", getppid() > 0);
	snprintf(p, sizeof(p), "%s/file", dir);
	fd = open(p, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	show("open file", fd);
	show("write fd", write(fd, "x", 1));
	fd2 = dup(fd);
	show("dup", fd2);
	show("dup2 to 20", dup2(fd, 20));
	show("fcntl F_DUPFD 30", fcntl(fd2, F_DUPFD, 30));
	show("close fd", close(fd));
	show("write dup", write(fd2, "y", 1));
	show("write 20", write(20, "z", 1));
	show("close 20", close(20));
	show("close 30", close(30));
	show("close dup", close(fd2));
	show("unlink nope", unlink("nope"));
	show("kill USR1", kill(getpid(), SIGUSR1));
	show("kill USR2", kill(getpid(), SIGUSR2));
	snprintf(p, sizeof(p), "%s/file", dir);
	fd = open(p, O_RDONLY);
	show("open file again", fd);
	show("close it", close(fd));
	return 0;
}

static int forked(void)
{
	pid_t pid;
	int st;

	show("parent getppid", getppid() > 0);
	show("parent getppid", getppid() > 0);
	pid = fork();
	if (pid == 0) {
		show("child getppid", getppid() > 0);
		show("child getppid", getppid() > 0);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	return 0;
}

static void *two_getppid(void *arg)
{
	show("thread getppid", getppid() > 0);
	show("thread getppid", getppid() > 0);
	return arg;
}

static int threads(void)
{
	pthread_t t;

	show("main getppid", getppid() > 0);
	show("main getppid", getppid() > 0);
	pthread_create(&t, NULL, two_getppid, NULL);
	pthread_join(t, NULL);
	return 0;
}

static volatile long vres[2];

static int vforked(void)
{
	pid_t pid;
	int st;

	show("parent getppid", getppid() > 0);
	pid = vfork();
	if (pid == 0) {
		vres[0] = syscall(SYS_getppid);
		vres[1] = syscall(SYS_getppid);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	show("child getppid", vres[0] > 0);
	show("child getppid", vres[1] > 0);
	show("parent getppid", getppid() > 0);
	return 0;
}

static char racy[PATH_MAX];
static size_t flip_at;
static volatile int stop;

static void *flipper(void *arg)
{
	(void)arg;
	while (!stop) {
		/* "allow" <-> "deny_": the whole name, one byte at a time
		   would also do; a memcpy makes the window widest */
		memcpy(racy + flip_at, "deny_", 5);
		/* both stores happen: no dead store elimination */
		__asm__ volatile("" ::: "memory");
		memcpy(racy + flip_at, "allow", 5);
		__asm__ volatile("" ::: "memory");
	}
	return NULL;
}

static int race(const char *dir, long n)
{
	char link[64], target[PATH_MAX], deny[PATH_MAX];
	long reached = 0, refused = 0, allowed = 0;
	pthread_t t;

	snprintf(racy, sizeof(racy), "%s/allow", dir);
	snprintf(deny, sizeof(deny), "%s/deny_", dir);
	flip_at = strlen(dir) + 1;
	pthread_create(&t, NULL, flipper, NULL);
	for (long i = 0; i < n; i++) {
		int fd = open(racy, O_RDONLY);
		ssize_t k;

		if (fd < 0) {
			refused++;
			continue;
		}
		snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
		k = readlink(link, target, sizeof(target) - 1);
		if (k > 0) {
			target[k] = 0;
			if (!strcmp(target, deny))
				reached++;
			else
				allowed++;
		}
		close(fd);
	}
	stop = 1;
	pthread_join(t, NULL);
	printf("reached %ld refused %ld allowed %ld\n", reached, refused,
	       allowed);
	return 0;
}

/* The session's first page, from /proc/self/maps. */
static char *find_session(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	unsigned long lo, off;
	char *c = NULL;

	while (f && fgets(line, sizeof(line), f))
		if (strstr(line, "memfd:limen-session") &&
		    sscanf(line, "%lx-%*x %*s %lx", &lo, &off) == 2 && !off)
			c = (char *)lo;
	if (f)
		fclose(f);
	return c;
}

static int scribble(const char *self, const char *dir)
{
	char *s = find_session();
	struct limen_filter *f;

	if (!s) {
		fprintf(stderr, "no session\n");
		return 3;
	}
	f = (struct limen_filter *)(s + LIMEN_FILTER_OFF);
	/* a jump to itself, operands out of bounds, starts past the end */
	for (unsigned i = 0; i < LIMEN_FILTER_INSNS; i++)
		f->insn[i] = (struct limen_finsn){ .op = LIMEN_FOP_JFALSE,
						   .a = 200, .b = 0,
						   .imm = 1 << 30 };
	f->ninsn = LIMEN_FILTER_INSNS + 1000;
	f->nstr = 1u << 30;
	for (unsigned nr = 0; nr < LIMEN_FILTER_NR; nr++) {
		f->sys[nr].prog = (uint16_t)(nr % 3 ? 0 : 60000);
		f->sys[nr].inject = 200;
	}
	execl(self, self, "calls", dir, (char *)NULL);
	return 4;
}

static int timed(long n, const char *what)
{
	struct timespec t0, t1;
	int open_ = !strcmp(what, "openat");

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (long i = 0; i < n; i++) {
		if (open_)
			syscall(SYS_openat, AT_FDCWD, "/nonexistent/limen-bench",
				O_RDONLY);
		else
			syscall(SYS_close, 12345);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%.1f\n", ((t1.tv_sec - t0.tv_sec) * 1e9 +
			  (t1.tv_nsec - t0.tv_nsec)) / (double)n);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "calls"))
		return calls(argv[2]);
	if (argc >= 2 && !strcmp(argv[1], "vfork"))
		return vforked();
	if (argc >= 2 && !strcmp(argv[1], "threads"))
		return threads();
	if (argc >= 2 && !strcmp(argv[1], "fork"))
		return forked();
	if (argc >= 4 && !strcmp(argv[1], "race"))
		return race(argv[2], atol(argv[3]));
	if (argc >= 4 && !strcmp(argv[1], "time"))
		return timed(atol(argv[2]), argv[3]);
	if (argc >= 3 && !strcmp(argv[1], "scribble"))
		return scribble(argv[0], argv[2]);
	if (argc >= 3 && !strcmp(argv[1], "loop")) {
		for (long i = atol(argv[2]); i > 0; i--)
			syscall(SYS_getppid);
		return 0;
	}
	fprintf(stderr, "usage: filt calls DIR | fork | race DIR N | loop N\n");
	return 2;
}
