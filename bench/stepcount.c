/* SPDX-License-Identifier: MIT */
/*
 * Instructions per call on each of limen's paths, counted, not timed:
 * this VM's speed swings by a third from one run to the next and it has
 * no hardware counters (perf stat -e instructions: not supported), so a
 * few nanoseconds on a rewritten site cannot be seen in wall time. The
 * count is the same in every run, a figure a change can be held to.
 *
 *   stepcount N WHAT [CMD...]
 *	runs CMD... (e.g. build/limen trace -e trace=none -o /dev/null --,
 *	or nothing: bare) with this program as its command in the role
 *	below; when it is ready, attaches to it (PTRACE_SEIZE: the tracer
 *	is an ancestor, as Yama's default asks), single-steps its N calls
 *	of WHAT and prints the instructions a call took, all of them and
 *	those outside this program's text (libc, limen's runtime, a stub).
 *	The kernel's own work and the collector's are not counted.
 *   WHAT: getppid (a site of this program in glibc's form, `mov
 *	$110,%eax; syscall; ret`), open (libc's open and close of
 *	/etc/passwd), stat (libc's stat of it); and the calls find(1)
 *	makes most, each as glibc makes it: fstat (of an open /etc:
 *	newfstatat(fd, "", AT_EMPTY_PATH)), fstatat (newfstatat(/etc's
 *	fd, "passwd", AT_SYMLINK_NOFOLLOW)), opendir (openat(/usr's fd,
 *	"include", O_DIRECTORY|O_NOFOLLOW|...) and close), dupfd
 *	(fcntl(F_DUPFD_CLOEXEC) and close), getdents (lseek to 0 and
 *	getdents64 of /etc).
 *	With STEPCOUNT_RIPS=FILE, writes each counted instruction's address
 *	to FILE, one a line, and the program's /proc/PID/maps to FILE.maps:
 *	bench/riphist turns them into instructions per call by symbol.
 *   stepcount --loop FD N WHAT (the role): makes 2000 calls of WHAT (their
 *	sites are rewritten by then), writes its pid and two addresses to
 *	FD, spins until the counter sets `go`, makes N calls and reaches
 *	steps_end, where the counter stops.
 * A signal the program gets while stepped (SIGSYS of a site still on
 * Syscall User Dispatch) is passed on and its handler counted.
 */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/user.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

long step_getppid(void);
__asm__(".text\n"
	".globl step_getppid\n"
	".type step_getppid, @function\n"
	"step_getppid:\n"
	".cfi_startproc\n"
	"	mov $110, %eax\n"
	"	syscall\n"
	"	ret\n"
	".cfi_endproc\n"
	".size step_getppid, .-step_getppid\n");

extern const char __executable_start[], etext[];
static volatile int go;

void steps_end(void);
__attribute__((noinline)) void steps_end(void)
{
	__asm__ volatile("" ::: "memory");
}

static void one_getppid(void)
{
	step_getppid();
}

static void one_open(void)
{
	int fd = open("/etc/passwd", O_RDONLY);

	if (fd >= 0)
		close(fd);
}

static void one_stat(void)
{
	struct stat st;

	stat("/etc/passwd", &st);
}

/* find's directories: /etc's and /usr's descriptors, opened once */
static int etc_fd = -1, usr_fd = -1;

static void one_fstat(void)
{
	struct stat st;

	fstat(etc_fd, &st);
}

static void one_fstatat(void)
{
	struct stat st;

	fstatat(etc_fd, "passwd", &st, AT_SYMLINK_NOFOLLOW);
}

static void one_opendir(void)
{
	/* fts's open of a directory below the one it is in */
	int fd = openat(usr_fd, "include",
			O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC |
				O_NONBLOCK | O_NOCTTY);

	if (fd >= 0)
		close(fd);
}

static void one_dupfd(void)
{
	int fd = fcntl(etc_fd, F_DUPFD_CLOEXEC, 3);

	if (fd >= 0)
		close(fd);
}

static void one_getdents(void)
{
	char buf[32768];

	lseek(etc_fd, 0, SEEK_SET);
	syscall(SYS_getdents64, etc_fd, buf, sizeof buf);
}

static const struct {
	const char *what;
	void (*one)(void);
} whats[] = {
	{ "getppid", one_getppid }, { "open", one_open },
	{ "stat", one_stat },	    { "fstat", one_fstat },
	{ "fstatat", one_fstatat }, { "opendir", one_opendir },
	{ "dupfd", one_dupfd },	    { "getdents", one_getdents },
};

static void calls(const char *what, long n)
{
	void (*one)(void) = one_stat;

	for (size_t i = 0; i < sizeof whats / sizeof whats[0]; i++)
		if (!strcmp(what, whats[i].what))
			one = whats[i].one;
	if (etc_fd < 0) {
		etc_fd = open("/etc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		usr_fd = open("/usr", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	}

	for (long i = 0; i < n; i++)
		one();
}

static int loop(int fd, long n, const char *what)
{
	char line[128];
	int len;

	calls(what, 2000);
	/* close's PLT slot resolved now, not once the counter is attached
	   (some 600 instructions of ld.so counted against the calls) */
	close(-1);
	len = snprintf(line, sizeof line, "%d %lx %lx\n", (int)getpid(),
		       (unsigned long)&go, (unsigned long)steps_end);
	if (write(fd, line, (size_t)len) != len)
		return 1;
	close(fd);
	while (!go)
		;
	calls(what, n);
	steps_end();
	return 0;
}

static int count(long n, const char *what, char **cmd, int ncmd)
{
	int p[2], status;
	char line[128], nbuf[32], fdbuf[16];
	long got;
	unsigned long go_at, end_at;
	pid_t child, pid;

	if (pipe(p))
		return 1;
	child = fork();
	if (child == 0) {
		char **argv = calloc((size_t)ncmd + 6, sizeof *argv);
		int k = 0;

		close(p[0]);
		snprintf(fdbuf, sizeof fdbuf, "%d", p[1]);
		snprintf(nbuf, sizeof nbuf, "%ld", n);
		for (int i = 0; i < ncmd; i++)
			argv[k++] = cmd[i];
		/* this program's own file, in the role */
		char self[4096];
		ssize_t sl = readlink("/proc/self/exe", self, sizeof self - 1);

		if (sl <= 0)
			_exit(127);
		self[sl] = 0;
		argv[k++] = self;
		argv[k++] = "--loop";
		argv[k++] = fdbuf;
		argv[k++] = nbuf;
		argv[k++] = (char *)what;
		execvp(argv[0], argv);
		_exit(127);
	}
	close(p[1]);
	got = read(p[0], line, sizeof line - 1);
	if (got <= 0 || sscanf((line[got] = 0, line), "%d %lx %lx", &pid,
			       &go_at, &end_at) != 3) {
		fprintf(stderr, "stepcount: the program did not start\n");
		return 1;
	}
	if (ptrace(PTRACE_SEIZE, pid, 0, 0) ||
	    ptrace(PTRACE_INTERRUPT, pid, 0, 0) ||
	    waitpid(pid, &status, __WALL) != pid) {
		fprintf(stderr, "stepcount: attach: %s\n", strerror(errno));
		return 1;
	}
	/* the loop reads go from memory each turn */
	if (ptrace(PTRACE_POKEDATA, pid, (void *)go_at, (void *)1L)) {
		fprintf(stderr, "stepcount: poke: %s\n", strerror(errno));
		return 1;
	}
	/* the text of this program, the same file in the role: where its
	   own instructions are, at the role's load address (what
	   steps_end's address says, against ours) */
	long shift = (long)end_at - (long)(uintptr_t)steps_end;
	unsigned long text_lo = (unsigned long)__executable_start + shift;
	unsigned long text_hi = (unsigned long)etext + shift;
	unsigned long long steps = 0, outside = 0;
	int sig = 0;
	const char *ripf = getenv("STEPCOUNT_RIPS");
	FILE *rips = NULL;

	if (ripf && *ripf) {
		char mp[64], mf[4096], buf[4096];
		FILE *in, *out;
		size_t k;

		snprintf(mp, sizeof mp, "/proc/%d/maps", (int)pid);
		snprintf(mf, sizeof mf, "%s.maps", ripf);
		in = fopen(mp, "r");
		out = fopen(mf, "w");
		while (in && out && (k = fread(buf, 1, sizeof buf, in)) > 0)
			fwrite(buf, 1, k, out);
		if (in)
			fclose(in);
		if (out)
			fclose(out);
		rips = fopen(ripf, "w");
	}

	for (;;) {
		struct user_regs_struct r;

		if (ptrace(PTRACE_SINGLESTEP, pid, 0, (void *)(long)sig))
			break;
		if (waitpid(pid, &status, __WALL) != pid || !WIFSTOPPED(status))
			break;
		sig = WSTOPSIG(status) == SIGTRAP ? 0 : WSTOPSIG(status);
		if (status >> 16)
			sig = 0; /* an event stop */
		if (ptrace(PTRACE_GETREGS, pid, 0, &r))
			break;
		if (r.rip == end_at)
			break;
		/* (the last turns of the spin on go are counted too: a
		   few instructions, the same bare and traced) */
		steps++;
		if (rips)
			fprintf(rips, "%llx\n", r.rip);
		if (r.rip < text_lo || r.rip >= text_hi)
			outside++;
	}
	ptrace(PTRACE_DETACH, pid, 0, 0);
	if (rips)
		fclose(rips);
	while (waitpid(child, &status, 0) < 0 && errno == EINTR)
		;
	printf("%s: %.1f instructions a call, %.1f of them outside the program\n",
	       what, (double)steps / n, (double)outside / n);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 5 && !strcmp(argv[1], "--loop"))
		return loop(atoi(argv[2]), atol(argv[3]), argv[4]);
	if (argc < 3 || atol(argv[1]) <= 0) {
		fprintf(stderr, "usage: stepcount N getppid|open|stat|fstat|fstatat|opendir|dupfd|getdents [CMD...]\n");
		return 2;
	}
	return count(atol(argv[1]), argv[2], argv + 3, argc - 3);
}
