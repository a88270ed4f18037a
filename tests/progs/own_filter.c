// SPDX-License-Identifier: MIT
/*
 * A program with a seccomp filter of its own, as sandboxes install:
 *
 *   own_filter allow N     an allowlist (read, write, lseek, close, exit,
 *                          exit_group, rt_sigreturn; any other call kills
 *                          the process), then N lseek+read of a file
 *                          opened before it, "done", exit_group(0)
 *   own_filter kill NR     a filter that kills at call NR alone, then a
 *                          read, a pipe's write and read, a readlink of
 *                          /proc/self/exe, "survived"
 *   own_filter readlink errno|trap|kill|allow
 *                          a filter with that verdict on readlink, then
 *                          readlink("/proc/self/exe"): what it answered
 *                          (the path's length only: it differs between
 *                          runs), and a SIGSYS handler's report
 *   own_filter alternate DIR N
 *                          a filter, then N opens of DIR/A and DIR/B in
 *                          turn, each written and closed
 *   own_filter sigcalls NR a filter refusing call NR (errno 77), then
 *                          rt_sigaction, rt_sigprocmask, rt_sigpending,
 *                          sigaltstack, each asking only
 *   own_filter threads R K
 *                          a kill-by-default allowlist: the calls this
 *                          program makes after it bare (read, write,
 *                          exit, exit_group, rt_sigreturn, rt_sigaction,
 *                          rt_sigprocmask, getrandom, brk, clone, clone3,
 *                          rseq, futex, set_robust_list) and those limen
 *                          still makes for a new thread (arch_prctl,
 *                          prctl, sigaltstack, rt_sigpending; no mmap,
 *                          mremap, munmap, mprotect, madvise, open,
 *                          fstat: its ring's, signal stack's and %gs
 *                          block's); then R rounds of K threads at once,
 *                          each on a stack of the program's, writing
 *                          "thread ran"; joined, "joined"
 *   own_filter thread NR kill|errno
 *                          a filter that kills at call NR (or refuses it,
 *                          errno 77), then a thread on a stack of the
 *                          program's own (pthread maps none), which
 *                          writes and ends; joined, "joined"
 *
 * Without limen each runs to its end (kill NR for a call the program
 * makes dies there); under limen the same: no call limen makes of its
 * own may meet the filter (tests/syscalls/own_calls_under_filter.t), and
 * a call limen answers itself must meet it first
 * (tests/syscalls/emulated_under_filter.t).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#define ALLOW(n)                                                   \
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (n), 0, 1),            \
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)

static void install(struct sock_filter *f, unsigned short n)
{
	struct sock_fprog prog = { n, f };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog)) {
		perror("seccomp");
		exit(2);
	}
}

/* a filter with verdict ret for call nr alone, every other call allowed */
static void on_call(unsigned nr, unsigned ret)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, nr, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, ret),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};

	install(f, 4);
}

static void put(const char *s)
{
	(void)!write(1, s, strlen(s));
}

static int allow(long n)
{
	int fd = open("/etc/hostname", O_RDONLY);
	char b[256];
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		ALLOW(__NR_read), ALLOW(__NR_write), ALLOW(__NR_exit_group),
		ALLOW(__NR_exit), ALLOW(__NR_rt_sigreturn), ALLOW(__NR_close),
		ALLOW(__NR_lseek),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
	};

	install(f, sizeof(f) / sizeof(f[0]));
	for (long i = 0; i < n; i++) {
		lseek(fd, 0, SEEK_SET);
		(void)!read(fd, b, sizeof(b));
	}
	put("done\n");
	close(fd);
	syscall(SYS_exit_group, 0);
	return 0;
}

static int kill_at(int nr)
{
	int fd = open("/etc/hostname", O_RDONLY), p[2];
	char b[64];
	long n;

	if (pipe(p))
		return 2;
	on_call(nr, SECCOMP_RET_KILL_PROCESS);
	n = read(fd, b, sizeof(b));
	(void)!write(p[1], "x", 1);
	(void)!read(p[0], b, 1);
	printf("survived, read %d, exe named %d\n", n > 0,
	       readlink("/proc/self/exe", b, sizeof(b)) > 0);
	return 0;
}

static void on_sys(int sig, siginfo_t *si, void *uc)
{
	char b[64];
	int n;

	(void)sig;
	(void)uc;
	n = snprintf(b, sizeof(b), "SIGSYS syscall=%d\n", si->si_syscall);
	(void)!write(1, b, (size_t)n);
}

static int readlink_under(const char *how)
{
	unsigned ret = SECCOMP_RET_ALLOW;
	char b[256];
	long r;
	struct sigaction sa;

	if (!strcmp(how, "errno"))
		ret = SECCOMP_RET_ERRNO | ENOENT;
	else if (!strcmp(how, "trap"))
		ret = SECCOMP_RET_TRAP;
	else if (!strcmp(how, "kill"))
		ret = SECCOMP_RET_KILL_PROCESS;

	setvbuf(stdout, 0, _IONBF, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sys;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSYS, &sa, 0);
	on_call(__NR_readlink, ret);
	memset(b, 'z', sizeof(b));
	errno = 0;
	r = syscall(SYS_readlink, "/proc/self/exe", b, sizeof(b));
	printf("readlink(/proc/self/exe) %s errno=%d untouched=%d\n",
	       r < 0 ? "failed" : r > 0 ? "answered" : "empty",
	       r < 0 ? errno : 0, r < 0 ? b[0] == 'z' : b[r] == 'z');
	r = syscall(SYS_readlink, "/proc/self/cwd", b, sizeof(b));
	printf("readlink(/proc/self/cwd) %s errno=%d\n",
	       r < 0 ? "failed" : "answered", r < 0 ? errno : 0);
	return 0;
}

/* a filter refusing call nr with errno 77, then the signal calls limen
   answers itself, each only asking */
static int sigcalls(int nr)
{
	unsigned long k[16] = { 0 };
	stack_t ss;
	long r[4];

	on_call(nr, SECCOMP_RET_ERRNO | 77);
	r[0] = syscall(SYS_rt_sigaction, SIGUSR1, 0, k, 8);
	r[1] = syscall(SYS_rt_sigprocmask, SIG_BLOCK, 0, k, 8);
	r[2] = syscall(SYS_rt_sigpending, k, 8);
	r[3] = syscall(SYS_sigaltstack, 0, &ss);
	printf("rt_sigaction %ld, rt_sigprocmask %ld, rt_sigpending %ld, "
	       "sigaltstack %ld, errno %d\n", r[0], r[1], r[2], r[3], errno);
	return 0;
}

/* a filter that kills at getppid alone, then N opens of files DIR/A and
   DIR/B in turn, each written once and closed: the descriptor's number
   the same every time, its file not */
static int alternate(const char *dir, int n)
{
	char a[512], b[512];

	snprintf(a, sizeof(a), "%s/A", dir);
	snprintf(b, sizeof(b), "%s/B", dir);
	on_call(__NR_getppid, SECCOMP_RET_KILL_PROCESS);
	for (int i = 0; i < n; i++) {
		int fd = open(i & 1 ? b : a, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		(void)!write(fd, "x", 1);
		close(fd);
	}
	puts("alternated");
	return 0;
}

static void *thread_body(void *arg)
{
	(void)arg;
	put("thread ran\n");
	return 0;
}

/* a thread started after the filter went on: its start in limen asks the
   kernel nothing the filter may refuse (clone.c, ids_for_thread) */
static int thread_after(int nr, const char *how)
{
	static char stack[1 << 20] __attribute__((aligned(4096)));
	unsigned ret = !strcmp(how, "errno") ? SECCOMP_RET_ERRNO | 77 :
					       SECCOMP_RET_KILL_PROCESS;
	pthread_attr_t at;
	pthread_t t;
	int e;

	pthread_attr_init(&at);
	pthread_attr_setstack(&at, stack, sizeof(stack));
	on_call(nr, ret);
	e = pthread_create(&t, &at, thread_body, 0);
	if (e) {
		printf("pthread_create: %d\n", e);
		return 1;
	}
	pthread_join(t, 0);
	put("joined\n");
	return 0;
}

/* threads R K: see the head */
static int threads_after(int rounds, int k)
{
	static char stacks[8][256 << 10] __attribute__((aligned(4096)));
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		ALLOW(__NR_read), ALLOW(__NR_write), ALLOW(__NR_exit),
		ALLOW(__NR_exit_group), ALLOW(__NR_rt_sigreturn),
		ALLOW(__NR_rt_sigaction), ALLOW(__NR_rt_sigprocmask),
		ALLOW(__NR_getrandom), ALLOW(__NR_brk), ALLOW(__NR_clone),
		ALLOW(__NR_clone3), ALLOW(__NR_rseq), ALLOW(__NR_futex),
		ALLOW(__NR_set_robust_list),
		/* limen's for a new thread, which no pool can stand for:
		   arming Syscall User Dispatch, %gs, its signal stack */
		ALLOW(__NR_arch_prctl), ALLOW(__NR_prctl),
		ALLOW(__NR_sigaltstack), ALLOW(__NR_rt_sigpending),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
	};
	pthread_attr_t at[8];
	pthread_t t[8];

	if (k > 8)
		k = 8;
	for (int j = 0; j < k; j++) {
		pthread_attr_init(&at[j]);
		pthread_attr_setstack(&at[j], stacks[j], sizeof(stacks[j]));
	}
	install(f, sizeof(f) / sizeof(f[0]));
	for (int r = 0; r < rounds; r++) {
		for (int j = 0; j < k; j++)
			if (pthread_create(&t[j], &at[j], thread_body, 0))
				return 1;
		for (int j = 0; j < k; j++)
			pthread_join(t[j], 0);
	}
	put("joined\n");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 3 && !strcmp(argv[1], "threads"))
		return threads_after(atoi(argv[2]), atoi(argv[3]));
	if (argc > 3 && !strcmp(argv[1], "alternate"))
		return alternate(argv[2], atoi(argv[3]));
	if (argc > 3 && !strcmp(argv[1], "thread"))
		return thread_after(atoi(argv[2]), argv[3]);
	if (argc > 2 && !strcmp(argv[1], "sigcalls"))
		return sigcalls(atoi(argv[2]));
	if (argc > 2 && !strcmp(argv[1], "allow"))
		return allow(atol(argv[2]));
	if (argc > 2 && !strcmp(argv[1], "kill"))
		return kill_at(atoi(argv[2]));
	if (argc > 2 && !strcmp(argv[1], "readlink"))
		return readlink_under(argv[2]);
	fprintf(stderr, "usage: own_filter allow N | kill NR | "
			"readlink errno|trap|kill|allow\n");
	return 2;
}
