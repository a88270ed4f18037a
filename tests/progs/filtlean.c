/* SPDX-License-Identifier: MIT */
/*
 * Filters on rewritten call sites (src/runtime/lean.c, filter.c): this
 * program's own `mov $nr,%eax; syscall` sites, each made hot (rewritten at
 * its second call) before the calls that matter go through it; calls
 * neither selected nor needed by the filter take the lean path between
 * them. tests/filter/lean.t runs it.
 *   filtlean inject     lseek(fd, 0, SEEK_CUR) at a hot site, 7 times in
 *                       the main thread, then in a second thread, then in a
 *                       fork child, a hot getppid (lean) between each: one
 *                       line per thread of results ("5" or the errno's
 *                       name), for -e inject=lseek:...:when=
 *   filtlean pfollow P  opens P, follows it through hot dup, dup2, fcntl
 *                       F_DUPFD, then closes every copy through a hot close
 *                       and reuses the numbers (other files): read(fd, buf,
 *                       N) at a hot site, N naming the read; prints
 *                       "expect N..." the reads on a descriptor of P
 *   filtlean status     openat at a hot site, 6 times: an existing path,
 *                       then a missing one, alternately
 * Each prints "site WHAT XX" on stderr, XX the site's first byte (b8 as
 * built, e9 once rewritten).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* site_NAME(a, b, c): `mov $nr, %eax; syscall` with the first three
   arguments as they come (rdi, rsi, rdx) */
#define SITE(name, nr)                          \
	".globl site_" #name "\n"               \
	"site_" #name ":\n"                     \
	"	nop\n"                          \
	".globl site_" #name "_mov\n"           \
	"site_" #name "_mov:\n"                 \
	"	mov $" #nr ", %eax\n"           \
	"	syscall\n"                      \
	"	ret\n"
__asm__(".text\n"
	SITE(read, 0)
	SITE(close, 3)
	SITE(lseek, 8)
	SITE(dup, 32)
	SITE(dup2, 33)
	SITE(fcntl, 72)
	SITE(getppid, 110)
	SITE(openat, 257));

#define DECL(name) \
	long site_##name(long a, long b, long c); \
	extern const unsigned char site_##name##_mov[]
DECL(read);
DECL(close);
DECL(lseek);
DECL(dup);
DECL(dup2);
DECL(fcntl);
DECL(getppid);
DECL(openat);

static void site(const char *what, const unsigned char *mov)
{
	fprintf(stderr, "site %s %02x\n", what, mov[0]);
}

static const char *result(long r)
{
	static char buf[32];

	if (r >= 0) {
		snprintf(buf, sizeof(buf), "%ld", r);
		return buf;
	}
	switch (-r) {
	case EBADF: return "EBADF";
	case ENOENT: return "ENOENT";
	case EPERM: return "EPERM";
	}
	snprintf(buf, sizeof(buf), "errno%ld", -r);
	return buf;
}

/* ---- inject ------------------------------------------------------------ */

static int seek_fd;

static void seeks(const char *who)
{
	printf("%s:", who);
	for (int i = 0; i < 7; i++) {
		site_getppid(0, 0, 0); /* lean: not selected, not injected */
		printf(" %s", result(site_lseek(seek_fd, 0, SEEK_CUR)));
	}
	printf("\n");
	fflush(stdout);
}

static void *thread_seeks(void *arg)
{
	(void)arg;
	seeks("thread");
	return NULL;
}

static int inject(void)
{
	pthread_t t;
	pid_t pid;
	int st;

	seek_fd = open("/proc/self/exe", O_RDONLY);
	if (seek_fd < 0 || lseek(seek_fd, 5, SEEK_SET) != 5)
		return 3;
	/* the getppid site hot before the lseek one is first called */
	site_getppid(0, 0, 0);
	site_getppid(0, 0, 0);
	seeks("main");
	site("lseek", site_lseek_mov);
	site("getppid", site_getppid_mov);
	if (pthread_create(&t, NULL, thread_seeks, NULL) ||
	    pthread_join(t, NULL))
		return 3;
	pid = fork();
	if (pid < 0)
		return 3;
	if (!pid) {
		seeks("child");
		_exit(0);
	}
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st))
		return 3;
	return 0;
}

/* ---- pfollow ----------------------------------------------------------- */

static char buf[64];

/* read(fd, buf, n) at the hot site; want: on a descriptor of P */
static void rd(long fd, int n, int want)
{
	if (want)
		printf("expect %d\n", n);
	site_read(fd, (long)buf, n);
}

static int pfollow(const char *path)
{
	long a, b, c, d, e, z;

	/* every site hot first, on descriptors of something else */
	for (int i = 0; i < 2; i++) {
		z = site_openat(AT_FDCWD, (long)"/dev/zero", O_RDONLY);
		site_read(z, (long)buf, 1);
		site_close(site_dup(z, 0, 0), 0, 0);
		site_close(site_dup2(z, 90, 0), 0, 0);
		site_close(site_fcntl(z, F_DUPFD, 91), 0, 0);
		site_close(z, 0, 0);
	}
	a = site_openat(AT_FDCWD, (long)path, O_RDONLY);
	if (a < 0)
		return 3;
	rd(a, 1, 1);
	b = site_dup(a, 0, 0);
	rd(b, 2, 1);
	c = site_dup2(a, 40, 0);
	rd(c, 3, 1);
	d = site_fcntl(a, F_DUPFD, 50);
	rd(d, 4, 1);
	e = site_dup(a, 0, 0);
	/* a copy of P's replaced by another file's, through dup2 */
	z = site_openat(AT_FDCWD, (long)"/dev/zero", O_RDONLY);
	site_dup2(z, e, 0);
	site_close(z, 0, 0);
	rd(e, 5, 0);
	site_close(a, 0, 0);
	site_close(b, 0, 0);
	site_close(c, 0, 0);
	site_close(d, 0, 0);
	site_close(e, 0, 0);
	/* the numbers again, on /dev/zero: no longer P's */
	a = site_openat(AT_FDCWD, (long)"/dev/zero", O_RDONLY);
	b = site_dup(a, 0, 0);
	c = site_dup2(a, 40, 0);
	d = site_fcntl(a, F_DUPFD, 50);
	rd(a, 6, 0);
	rd(b, 7, 0);
	rd(c, 8, 0);
	rd(d, 9, 0);
	site("openat", site_openat_mov);
	site("read", site_read_mov);
	site("dup", site_dup_mov);
	site("dup2", site_dup2_mov);
	site("fcntl", site_fcntl_mov);
	site("close", site_close_mov);
	printf("fds %ld %ld %ld %ld\n", a, b, c, d);
	return 0;
}

/* ---- status ------------------------------------------------------------ */

static int status(void)
{
	for (int i = 0; i < 6; i++) {
		long fd = site_openat(AT_FDCWD,
				      (long)(i % 2 ? "/nonexistent-limen"
						   : "/dev/null"),
				      O_RDONLY);

		printf("%s\n", fd < 0 ? result(fd) : "fd");
		if (fd >= 0)
			close((int)fd);
	}
	site("openat", site_openat_mov);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "inject"))
		return inject();
	if (argc >= 3 && !strcmp(argv[1], "pfollow"))
		return pfollow(argv[2]);
	if (argc >= 2 && !strcmp(argv[1], "status"))
		return status();
	fprintf(stderr, "usage: filtlean inject|pfollow PATH|status\n");
	return 2;
}
