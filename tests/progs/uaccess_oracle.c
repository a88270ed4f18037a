/* SPDX-License-Identifier: MIT */
/*
 * The uaccess oracle: proves limen's uaccess log against the kernel itself,
 * without trusting limen's tables.
 *
 *   uaccess_oracle log          (under limen run) make each case's call with
 *                               the slot armed; print every entry as
 *                               "L case obj offset size R|W" and the result
 *   uaccess_oracle check FILE   (bare: the kernel is the oracle) for each
 *                               entry of FILE, place its object so that the
 *                               range ends exactly at a PROT_NONE page: the
 *                               call must behave as before; one byte
 *                               further: it must fail with EFAULT or return
 *                               short. An object with no entry is placed
 *                               wholly inside PROT_NONE memory: the call must
 *                               behave as before (the kernel never touched
 *                               it). Output objects are filled with two
 *                               canaries: every byte the kernel changed must
 *                               lie in a logged write range.
 *   uaccess_oracle list         the cases, one name a line
 *
 * Each case describes its objects (sizes) and fills them in `fill`; `call`
 * makes exactly one system call with the slot armed (through syscall(2),
 * which makes no other). `setup` and `teardown` bring the state back
 * (refill a pipe, remove a file) so that every run of a call is the same.
 */
#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mqueue.h>
#include <sys/epoll.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/inotify.h>
#include <sys/xattr.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/capability.h>
#include <linux/stat.h>
#include <linux/userfaultfd.h>
#include <pthread.h>

#include "limen/uaccess.h"

/* newer than this machine's headers (Linux 6.1) */
#ifndef SYS_futex_wait
#define SYS_futex_wait 455
#endif
#ifndef SYS_cachestat
#define SYS_cachestat 451
#endif
#ifndef SYS_fchmodat2
#define SYS_fchmodat2 452
#endif
#ifndef SYS_listmount
#define SYS_listmount 458
#endif
#ifndef SYS_futex_wake
#define SYS_futex_wake 454
#endif
#ifndef SYS_futex_requeue
#define SYS_futex_requeue 456
#endif
#ifndef SYS_setxattrat
#define SYS_setxattrat 463
#define SYS_getxattrat 464
#define SYS_listxattrat 465
#define SYS_removexattrat 466
#endif
#ifndef SYS_file_getattr
#define SYS_file_getattr 468
#define SYS_file_setattr 469
#endif
#ifndef SYS_lsm_list_modules
#define SYS_lsm_list_modules 461
#endif

#define PAGE 4096ul
#define NOBJ 6
#define MAXENT 64
#define REGION (4 * PAGE) /* per object: RW pages, then as many PROT_NONE */

struct env {
	uint8_t *rw[NOBJ];       /* REGION bytes RW, then REGION PROT_NONE */
	uint8_t *o[NOBJ];        /* where each object is this run */
	size_t sz[NOBJ];
	int fd[4];
	char dir[64];
	char path[128], path2[128];
};

struct ucase {
	const char *name;
	long nr;
	size_t sz[NOBJ];
	void (*setup)(struct env *e);
	void (*fill)(struct env *e);
	long (*call)(struct env *e);
	void (*teardown)(struct env *e);
};

static uint64_t slot;
static struct uaccess_buffer_entry ents[MAXENT];
static struct uaccess_descriptor desc;
static int logging;

#define O(i) ((void *)e->o[i])
#define OL(i) ((long)e->o[i])

/* Copy into object i what lies before its guard. */
static void put(struct env *e, int i, size_t off, const void *src, size_t n)
{
	uint8_t *g = e->rw[i] + REGION;
	uint8_t *d = e->o[i] + off;

	if (d >= g)
		return;
	if (d + n > g)
		n = (size_t)(g - d);
	memcpy(d, src, n);
}

static void puts_(struct env *e, int i, const char *s)
{
	put(e, i, 0, s, strlen(s) + 1);
}

static long sys(long nr, long a, long b, long c, long d, long f, long g)
{
	long r;

	if (logging) {
		desc.addr = (uint64_t)(uintptr_t)ents;
		desc.size = MAXENT;
		__atomic_signal_fence(__ATOMIC_SEQ_CST);
		slot = (uint64_t)(uintptr_t)&desc;
		__atomic_signal_fence(__ATOMIC_SEQ_CST);
	}
	r = syscall(nr, a, b, c, d, f, g);
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	slot = 0;
	return r < 0 ? -errno : r;
}

#define S0(nr) sys(nr, 0, 0, 0, 0, 0, 0)
#define S(nr, ...) sys6_(nr, __VA_ARGS__, 0, 0, 0, 0, 0, 0)
#define sys6_(nr, a, b, c, d, f, g, ...) \
	sys(nr, (long)(a), (long)(b), (long)(c), (long)(d), (long)(f), (long)(g))

/* ---- state helpers --------------------------------------------------- */

static void pipe_setup(struct env *e)
{
	if (pipe(e->fd) || write(e->fd[1], "vm\nhello world", 14) != 14)
		exit(2);
}

static void fds_close(struct env *e)
{
	for (int i = 0; i < 4; i++)
		if (e->fd[i] > 2) {
			close(e->fd[i]);
			e->fd[i] = -1;
		}
}

static void file_setup(struct env *e)
{
	e->fd[0] = open(e->path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (e->fd[0] < 0 || write(e->fd[0], "0123456789abcdef", 16) != 16)
		exit(2);
}

static void file_teardown(struct env *e)
{
	fds_close(e);
	unlink(e->path);
}

static void sock_setup(struct env *e)
{
	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, e->fd) ||
	    send(e->fd[1], "vm\n", 3, 0) != 3)
		exit(2);
}

static void path_setup(struct env *e)
{
	close(open(e->path, O_RDWR | O_CREAT | O_TRUNC, 0644));
}

static void path_teardown(struct env *e)
{
	unlink(e->path);
	unlink(e->path2);
	rmdir(e->path);
	rmdir(e->path2);
}

static void epoll_setup(struct env *e)
{
	struct epoll_event ev = { EPOLLIN, { .u64 = 7 } };

	pipe_setup(e);
	e->fd[2] = epoll_create1(0);
	epoll_ctl(e->fd[2], EPOLL_CTL_ADD, e->fd[0], &ev);
}

static void tfd_setup(struct env *e)
{
	struct itimerspec its = { { 1, 0 }, { 100, 0 } };

	e->fd[0] = timerfd_create(CLOCK_MONOTONIC, 0);
	timerfd_settime(e->fd[0], 0, &its, NULL);
}

/* ---- fills ----------------------------------------------------------- */

static void fill_path(struct env *e)
{
	puts_(e, 0, e->path);
}

static void fill_dir(struct env *e)
{
	puts_(e, 0, e->dir);
}

static void fill_hello(struct env *e)
{
	put(e, 0, 0, "hello", 5);
}

static void fill_iov2(struct env *e)
{
	struct iovec v[2] = { { O(1), 3 }, { O(2), 5 } };

	put(e, 0, 0, v, sizeof(v));
	put(e, 1, 0, "abc", 3);
	put(e, 2, 0, "defgh", 5);
}

static void fill_iov2_out(struct env *e)
{
	struct iovec v[2] = { { O(1), 2 }, { O(2), 64 } };

	put(e, 0, 0, v, sizeof(v));
}

static void fill_sigset(struct env *e)
{
	uint64_t m = 1ull << (SIGUSR2 - 1);

	put(e, 0, 0, &m, 8);
}

static void fill_ts_small(struct env *e)
{
	struct timespec ts = { 0, 1000 };

	put(e, 0, 0, &ts, sizeof(ts));
}

static void fill_pollfd(struct env *e)
{
	struct pollfd p[2] = { { e->fd[0], POLLIN, 0 }, { e->fd[1], POLLOUT, 0 } };

	put(e, 0, 0, p, sizeof(p));
}

static void fill_fdset(struct env *e)
{
	fd_set s;
	struct timespec ts = { 0, 0 };

	FD_ZERO(&s);
	FD_SET(e->fd[0], &s);
	put(e, 0, 0, &s, sizeof(s));
	put(e, 1, 0, &ts, sizeof(ts)); /* a timeval or a timespec of 0 */
}

/* pselect6's and io_pgetevents' {mask pointer, size} (object 2) and the
   mask (object 3): the kernel reads both */
static void fill_sigpack(struct env *e)
{
	uint64_t pack[2] = { (uint64_t)OL(3), 8 };
	uint64_t mask = 1ull << (SIGUSR1 - 1);

	put(e, 2, 0, pack, sizeof(pack));
	put(e, 3, 0, &mask, sizeof(mask));
}

static void fill_fdset_sigmask(struct env *e)
{
	fill_fdset(e);
	fill_sigpack(e);
}

static void fill_fdset_1s(struct env *e)
{
	fd_set s;
	struct timespec ts = { 1, 0 };

	FD_ZERO(&s);
	FD_SET(e->fd[0], &s);
	put(e, 0, 0, &s, sizeof(s));
	put(e, 1, 0, &ts, sizeof(ts)); /* a timeval or a timespec of 1 s */
}

static void fill_pollfd_1s(struct env *e)
{
	struct pollfd p[2] = { { e->fd[0], POLLIN, 0 }, { e->fd[1], POLLOUT, 0 } };
	struct timespec ts = { 1, 0 };

	put(e, 0, 0, p, sizeof(p));
	put(e, 1, 0, &ts, sizeof(ts));
}

static void fill_pollfd_ts(struct env *e)
{
	struct pollfd p[2] = { { e->fd[0], POLLIN, 0 }, { e->fd[1], POLLOUT, 0 } };
	struct timespec ts = { 0, 0 };

	put(e, 0, 0, p, sizeof(p));
	put(e, 1, 0, &ts, sizeof(ts));
}

static void fill_sun(struct env *e)
{
	struct sockaddr_un a = { AF_UNIX, "" };

	snprintf(a.sun_path, sizeof(a.sun_path), "%s/sock", e->dir);
	put(e, 0, 0, &a, sizeof(a));
}

static void fill_socklen(struct env *e)
{
	socklen_t l = 110;

	put(e, 1, 0, &l, 4);
}

static void fill_socklen4(struct env *e)
{
	socklen_t l = 4;

	put(e, 1, 0, &l, 4);
}

static void fill_int1(struct env *e)
{
	int one = 1;

	put(e, 0, 0, &one, 4);
}

static void fill_msg_out(struct env *e)
{
	struct msghdr m = { O(1), 110, O(2), 1, NULL, 0, 0 };
	struct iovec v = { O(3), 64 };

	/* msg_controllen and msg_flags stay canary: the kernel writes them
	   even with no control buffer */
	put(e, 0, 0, &m, offsetof(struct msghdr, msg_controllen));
	put(e, 2, 0, &v, sizeof(v));
}

static void fill_msg_in(struct env *e)
{
	struct msghdr m = { NULL, 0, O(1), 1, NULL, 0, 0 };
	struct iovec v = { O(2), 5 };

	put(e, 0, 0, &m, sizeof(m));
	put(e, 1, 0, &v, sizeof(v));
	put(e, 2, 0, "hello", 5);
}

static void fill_sigact(struct env *e)
{
	long sa[4] = { (long)SIG_IGN, 0x04000000 /* SA_RESTORER */, 0, 0 };

	put(e, 0, 0, sa, sizeof(sa));
}

static void fill_rlimit(struct env *e)
{
	struct rlimit r;

	getrlimit(RLIMIT_CORE, &r);
	put(e, 0, 0, &r, sizeof(r));
}

static void fill_itimer(struct env *e)
{
	struct itimerval it = { { 0, 0 }, { 0, 0 } };

	put(e, 0, 0, &it, sizeof(it));
}

static void fill_itspec(struct env *e)
{
	struct itimerspec its = { { 1, 0 }, { 100, 0 } };

	put(e, 0, 0, &its, sizeof(its));
}

static void fill_epev(struct env *e)
{
	struct epoll_event ev = { EPOLLIN, { .u64 = 9 } };

	put(e, 0, 0, &ev, sizeof(ev));
}

static void fill_two_paths(struct env *e)
{
	puts_(e, 0, e->path);
	puts_(e, 1, e->path2);
}

static void fill_utimes(struct env *e)
{
	struct timespec ts[2] = { { 1, 0 }, { 2, 0 } };

	puts_(e, 0, e->path);
	put(e, 1, 0, ts, sizeof(ts));
}

static void fill_caphdr(struct env *e)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };

	put(e, 0, 0, &h, sizeof(h));
}

static void fill_none(struct env *e)
{
	(void)e;
}

/* ---- calls ----------------------------------------------------------- */

static long c_read(struct env *e) { return S(SYS_read, e->fd[0], O(0), 4096); }
static long c_write(struct env *e) { return S(SYS_write, e->fd[1], O(0), 5); }
static long c_pread(struct env *e) { return S(SYS_pread64, e->fd[0], O(0), 64, 3); }
static long c_pwrite(struct env *e) { return S(SYS_pwrite64, e->fd[0], O(0), 5, 2); }
static long c_readv(struct env *e) { return S(SYS_readv, e->fd[0], O(0), 2); }
static long c_writev(struct env *e) { return S(SYS_writev, e->fd[1], O(0), 2); }
static long c_preadv(struct env *e) { return S(SYS_preadv, e->fd[0], O(0), 2, 1, 0); }
static long c_pwritev(struct env *e) { return S(SYS_pwritev, e->fd[0], O(0), 2, 1, 0); }
static long c_preadv2(struct env *e) { return S(SYS_preadv2, e->fd[0], O(0), 2, 1, 0, 0); }
static long c_pwritev2(struct env *e) { return S(SYS_pwritev2, e->fd[0], O(0), 2, 1, 0, 0); }
static long c_stat(struct env *e) { return S(SYS_stat, O(0), O(1)); }
static long c_lstat(struct env *e) { return S(SYS_lstat, O(0), O(1)); }
static long c_fstat(struct env *e) { return S(SYS_fstat, e->fd[0], O(0)); }
static long c_newfstatat(struct env *e) { return S(SYS_newfstatat, AT_FDCWD, O(0), O(1), 0); }
static long c_statx(struct env *e) { return S(SYS_statx, AT_FDCWD, O(0), 0, STATX_BASIC_STATS, O(1)); }
static long c_access(struct env *e) { return S(SYS_access, O(0), R_OK); }
static long c_faccessat(struct env *e) { return S(SYS_faccessat, AT_FDCWD, O(0), R_OK); }
static long c_faccessat2(struct env *e) { return S(SYS_faccessat2, AT_FDCWD, O(0), R_OK, 0); }
static long c_open(struct env *e)
{
	long r = S(SYS_open, O(0), O_RDONLY);

	if (r >= 0)
		close((int)r);
	return r >= 0 ? 0 : r;
}
static long c_openat(struct env *e)
{
	long r = S(SYS_openat, AT_FDCWD, O(0), O_RDONLY);

	if (r >= 0)
		close((int)r);
	return r >= 0 ? 0 : r;
}
static long c_truncate(struct env *e) { return S(SYS_truncate, O(0), 3); }
static long c_chdir(struct env *e)
{
	long r = S(SYS_chdir, O(0));

	if (chdir("/"))
		exit(2);
	return r;
}
static long c_getcwd(struct env *e)
{
	long r;

	if (chdir(e->dir))
		exit(2);
	r = S(SYS_getcwd, O(0), 4096);
	if (chdir("/"))
		exit(2);
	return r;
}
static long c_readlink(struct env *e) { return S(SYS_readlink, O(0), O(1), 4096); }
static long c_readlinkat(struct env *e) { return S(SYS_readlinkat, AT_FDCWD, O(0), O(1), 4096); }
static long c_statfs(struct env *e) { return S(SYS_statfs, O(0), O(1)); }
static long c_fstatfs(struct env *e) { return S(SYS_fstatfs, e->fd[0], O(0)); }
static long c_uname(struct env *e) { return S(SYS_uname, O(0)); }
static long c_sysinfo(struct env *e)
{
	long r = S(SYS_sysinfo, O(0));

	/* uptime, loads, free memory change between runs: the bytes
	   written are what matters, the values are masked by the canaries */
	return r;
}
static long c_times(struct env *e) { return S(SYS_times, O(0)) >= 0 ? 0 : -EFAULT; }
static long c_getrlimit(struct env *e) { return S(SYS_getrlimit, RLIMIT_NOFILE, O(0)); }
static long c_setrlimit(struct env *e) { return S(SYS_setrlimit, RLIMIT_CORE, O(0)); }
static long c_prlimit_get(struct env *e) { return S(SYS_prlimit64, 0, RLIMIT_NOFILE, 0, O(0)); }
static long c_prlimit_set(struct env *e) { return S(SYS_prlimit64, 0, RLIMIT_CORE, O(0), 0); }
static long c_getrusage(struct env *e) { return S(SYS_getrusage, RUSAGE_SELF, O(0)); }
static long c_gettimeofday(struct env *e) { return S(SYS_gettimeofday, O(0), O(1)); }
static long c_clock_gettime(struct env *e) { return S(SYS_clock_gettime, CLOCK_MONOTONIC, O(0)); }
static long c_clock_getres(struct env *e) { return S(SYS_clock_getres, CLOCK_MONOTONIC, O(0)); }
static long c_nanosleep(struct env *e) { return S(SYS_nanosleep, O(0), O(1)); }
static long c_clock_nanosleep(struct env *e) { return S(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, O(0), O(1)); }
static long c_getresuid(struct env *e) { return S(SYS_getresuid, O(0), O(1), O(2)); }
static long c_getresgid(struct env *e) { return S(SYS_getresgid, O(0), O(1), O(2)); }
static long c_getgroups(struct env *e) { return S(SYS_getgroups, 64, O(0)); }
static long c_pipe(struct env *e)
{
	long r = S(SYS_pipe, O(0));
	int *p = O(0);

	if (!r) {
		close(p[0]);
		close(p[1]);
	}
	return r;
}
static long c_pipe2(struct env *e)
{
	long r = S(SYS_pipe2, O(0), O_CLOEXEC);
	int *p = O(0);

	if (!r) {
		close(p[0]);
		close(p[1]);
	}
	return r;
}
static long c_socketpair(struct env *e)
{
	long r = S(SYS_socketpair, AF_UNIX, SOCK_STREAM, 0, O(0));
	int *p = O(0);

	if (!r) {
		close(p[0]);
		close(p[1]);
	}
	return r;
}
static long c_rt_sigaction(struct env *e) { return S(SYS_rt_sigaction, SIGUSR2, O(0), O(1), 8); }
static long c_rt_sigprocmask(struct env *e) { return S(SYS_rt_sigprocmask, SIG_BLOCK, O(0), O(1), 8); }
static long c_rt_sigpending(struct env *e) { return S(SYS_rt_sigpending, O(0), 8); }
static long c_sigaltstack(struct env *e) { return S(SYS_sigaltstack, 0, O(0)); }
static long c_getitimer(struct env *e) { return S(SYS_getitimer, ITIMER_REAL, O(0)); }
static long c_setitimer(struct env *e) { return S(SYS_setitimer, ITIMER_REAL, O(0), O(1)); }
static long c_poll(struct env *e) { return S(SYS_poll, O(0), 2, 0); }
static long c_ppoll(struct env *e) { return S(SYS_ppoll, O(0), 2, O(1), 0, 8); }
static long c_select(struct env *e) { return S(SYS_select, e->fd[0] + 1, O(0), 0, 0, O(1)); }
static long c_pselect6(struct env *e) { return S(SYS_pselect6, e->fd[0] + 1, O(0), 0, 0, O(1), 0); }
static long c_pselect6_sigmask(struct env *e) { return S(SYS_pselect6, e->fd[0] + 1, O(0), 0, 0, O(1), O(2)); }
static long c_sched_getaffinity(struct env *e) { return S(SYS_sched_getaffinity, 0, 1024, O(0)); }
static long c_sched_getparam(struct env *e) { return S(SYS_sched_getparam, 0, O(0)); }
static long c_sched_rr(struct env *e) { return S(SYS_sched_rr_get_interval, 0, O(0)); }
static long c_getcpu(struct env *e) { return S(SYS_getcpu, O(0), O(1), 0) ? -1 : 0; }
static long c_getrandom(struct env *e) { return S(SYS_getrandom, O(0), 16, 0); }
static long c_epoll_ctl(struct env *e) { return S(SYS_epoll_ctl, e->fd[2], EPOLL_CTL_ADD, e->fd[1], O(0)); }
static long c_epoll_wait(struct env *e) { return S(SYS_epoll_wait, e->fd[2], O(0), 4, 0); }
static long c_epoll_pwait(struct env *e) { return S(SYS_epoll_pwait, e->fd[2], O(0), 4, 0, 0, 8); }
static long c_tfd_settime(struct env *e) { return S(SYS_timerfd_settime, e->fd[0], 0, O(0), O(1)) ? -1 : 0; }
static long c_tfd_gettime(struct env *e) { return S(SYS_timerfd_gettime, e->fd[0], O(0)); }
static long c_recvfrom(struct env *e) { return S(SYS_recvfrom, e->fd[0], O(0), 64, 0, 0, 0); }
static long c_sendto(struct env *e) { return S(SYS_sendto, e->fd[1], O(0), 5, 0, 0, 0); }
static long c_recvmsg(struct env *e) { return S(SYS_recvmsg, e->fd[0], O(0), 0); }
static long c_sendmsg(struct env *e) { return S(SYS_sendmsg, e->fd[1], O(0), 0); }
static long c_getsockname(struct env *e) { return S(SYS_getsockname, e->fd[0], O(0), O(1)); }
static long c_getsockopt(struct env *e) { return S(SYS_getsockopt, e->fd[0], SOL_SOCKET, SO_TYPE, O(0), O(1)); }
static long c_setsockopt(struct env *e) { return S(SYS_setsockopt, e->fd[0], SOL_SOCKET, SO_PASSCRED, O(0), 4); }
static long c_bind(struct env *e)
{
	char p[128];

	snprintf(p, sizeof(p), "%s/sock", e->dir);
	unlink(p);
	return S(SYS_bind, e->fd[0], O(0), sizeof(struct sockaddr_un));
}
static long c_mkdir(struct env *e) { return S(SYS_mkdir, O(0), 0755); }
static long c_rmdir(struct env *e) { return S(SYS_rmdir, O(0)); }
static long c_unlink(struct env *e) { return S(SYS_unlink, O(0)); }
static long c_rename(struct env *e) { return S(SYS_rename, O(0), O(1)); }
static long c_link(struct env *e) { return S(SYS_link, O(0), O(1)); }
static long c_symlink(struct env *e) { return S(SYS_symlink, O(0), O(1)); }
static long c_chmod(struct env *e) { return S(SYS_chmod, O(0), 0600); }
static long c_utimensat(struct env *e) { return S(SYS_utimensat, AT_FDCWD, O(0), O(1), 0); }
static long c_time(struct env *e) { return S(SYS_time, O(0)) > 0 ? 0 : -1; }
static long c_capget(struct env *e) { return S(SYS_capget, O(0), O(1)); }
static long c_mincore(struct env *e)
{
	static uint8_t *m;

	if (!m)
		m = mmap(NULL, 3 * PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
			 -1, 0);
	return S(SYS_mincore, m, 3 * PAGE, O(0));
}
static long c_ioctl_fionread(struct env *e) { return S(SYS_ioctl, e->fd[0], FIONREAD, O(0)); }
static long c_wait4(struct env *e)
{
	pid_t p = fork();

	if (!p)
		_exit(7);
	return S(SYS_wait4, p, O(0), 0, O(1)) == p ? 0 : -1;
}
static long c_memfd_create(struct env *e)
{
	long r = S(SYS_memfd_create, O(0), 0);

	if (r >= 0)
		close((int)r);
	return r >= 0 ? 0 : r;
}
static long c_getdents64(struct env *e)
{
	long r;

	lseek(e->fd[3], 0, SEEK_SET);
	r = S(SYS_getdents64, e->fd[3], O(0), 4096);
	return r;
}

static void dir_setup(struct env *e)
{
	e->fd[3] = open(e->dir, O_RDONLY | O_DIRECTORY);
}

static void symlink_setup(struct env *e)
{
	symlink("/dev/null", e->path);
}

static void fill_mkdir(struct env *e)
{
	puts_(e, 0, e->path2);
}

static void mkdir_setup(struct env *e)
{
	mkdir(e->path2, 0755);
}

static void fill_memfd(struct env *e)
{
	puts_(e, 0, "oracle");
}

static void sock_bind_setup(struct env *e)
{
	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, e->fd))
		exit(2);
	e->fd[0] = socket(AF_UNIX, SOCK_DGRAM, 0);
}

static void fill_none_sock(struct env *e)
{
	fill_socklen(e);
}


/* ---- more cases ------------------------------------------------------ */

static void xattr_setup(struct env *e)
{
	path_setup(e);
	setxattr(e->path, "user.limen", "value", 5, 0);
}

static void fill_xattr(struct env *e)
{
	puts_(e, 0, e->path);
	puts_(e, 1, "user.limen");
	put(e, 2, 0, "VALUE", 5);
}

static long c_setxattr(struct env *e) { return S(SYS_setxattr, O(0), O(1), O(2), 5, 0); }
static long c_lsetxattr(struct env *e) { return S(SYS_lsetxattr, O(0), O(1), O(2), 5, 0); }
static long c_getxattr(struct env *e) { return S(SYS_getxattr, O(0), O(1), O(2), 64); }
static long c_lgetxattr(struct env *e) { return S(SYS_lgetxattr, O(0), O(1), O(2), 64); }
static long c_listxattr(struct env *e) { return S(SYS_listxattr, O(0), O(2), 64); }
static long c_llistxattr(struct env *e) { return S(SYS_llistxattr, O(0), O(2), 64); }
static long c_removexattr(struct env *e) { return S(SYS_removexattr, O(0), O(1)); }
static long c_lremovexattr(struct env *e) { return S(SYS_lremovexattr, O(0), O(1)); }

static void fxattr_setup(struct env *e)
{
	xattr_setup(e);
	e->fd[0] = open(e->path, O_RDWR);
}

static void fill_fxattr(struct env *e)
{
	puts_(e, 1, "user.limen");
	put(e, 2, 0, "VALUE", 5);
}

static long c_fsetxattr(struct env *e) { return S(SYS_fsetxattr, e->fd[0], O(1), O(2), 5, 0); }
static long c_fgetxattr(struct env *e) { return S(SYS_fgetxattr, e->fd[0], O(1), O(2), 64); }
static long c_flistxattr(struct env *e) { return S(SYS_flistxattr, e->fd[0], O(2), 64); }
static long c_fremovexattr(struct env *e) { return S(SYS_fremovexattr, e->fd[0], O(1)); }

static void fill_at_path(struct env *e)
{
	puts_(e, 0, e->path);
}

static long c_mkdirat(struct env *e) { return S(SYS_mkdirat, AT_FDCWD, O(0), 0755); }
static long c_unlinkat(struct env *e) { return S(SYS_unlinkat, AT_FDCWD, O(0), 0); }
static long c_renameat(struct env *e) { return S(SYS_renameat, AT_FDCWD, O(0), AT_FDCWD, O(1)); }
static long c_renameat2(struct env *e) { return S(SYS_renameat2, AT_FDCWD, O(0), AT_FDCWD, O(1), 0); }
static long c_linkat(struct env *e) { return S(SYS_linkat, AT_FDCWD, O(0), AT_FDCWD, O(1), 0); }
static long c_symlinkat(struct env *e) { return S(SYS_symlinkat, O(0), AT_FDCWD, O(1)); }
static long c_fchmodat(struct env *e) { return S(SYS_fchmodat, AT_FDCWD, O(0), 0600); }
static long c_fchownat(struct env *e) { return S(SYS_fchownat, AT_FDCWD, O(0), getuid(), getgid(), 0); }
static long c_chown(struct env *e) { return S(SYS_chown, O(0), getuid(), getgid()); }
static long c_lchown(struct env *e) { return S(SYS_lchown, O(0), getuid(), getgid()); }
static long c_creat(struct env *e)
{
	long r = S(SYS_creat, O(0), 0644);

	if (r >= 0)
		close((int)r);
	return r >= 0 ? 0 : r;
}
static long c_mknod(struct env *e) { return S(SYS_mknod, O(0), S_IFIFO | 0644, 0); }
static long c_mknodat(struct env *e) { return S(SYS_mknodat, AT_FDCWD, O(0), S_IFIFO | 0644, 0); }
static long c_inotify_add_watch(struct env *e)
{
	return S(SYS_inotify_add_watch, e->fd[2], O(0), IN_MODIFY) > 0 ? 0 : -1;
}

static void inotify_setup(struct env *e)
{
	path_setup(e);
	e->fd[2] = inotify_init1(0);
}

static void fill_utimbuf(struct env *e)
{
	long t[2] = { 1, 2 };

	puts_(e, 0, e->path);
	put(e, 1, 0, t, sizeof(t));
}

static void fill_timeval2(struct env *e)
{
	struct timeval tv[2] = { { 1, 0 }, { 2, 0 } };

	puts_(e, 0, e->path);
	put(e, 1, 0, tv, sizeof(tv));
}

static long c_utime(struct env *e) { return S(SYS_utime, O(0), O(1)); }
static long c_utimes(struct env *e) { return S(SYS_utimes, O(0), O(1)); }
static long c_futimesat(struct env *e) { return S(SYS_futimesat, AT_FDCWD, O(0), O(1)); }

static void fill_splice_off(struct env *e)
{
	uint64_t off = 2;

	put(e, 0, 0, &off, 8);
}

static void splice_setup(struct env *e)
{
	file_setup(e);
	if (pipe(e->fd + 1))
		exit(2);
}

static long c_splice(struct env *e) { return S(SYS_splice, e->fd[0], O(0), e->fd[2], 0, 5, 0); }
static long c_sendfile(struct env *e) { return S(SYS_sendfile, e->fd[2], e->fd[0], O(0), 5); }
static long c_copy_file_range(struct env *e)
{
	return S(SYS_copy_file_range, e->fd[0], O(0), e->fd[3], 0, 5, 0);
}

static void cfr_setup(struct env *e)
{
	file_setup(e);
	e->fd[3] = open(e->path2, O_RDWR | O_CREAT | O_TRUNC, 0644);
}

static void cfr_teardown(struct env *e)
{
	file_teardown(e);
	unlink(e->path2);
}

static long c_vmsplice(struct env *e) { return S(SYS_vmsplice, e->fd[1], O(0), 2, 0); }

static void fill_siginfo(struct env *e)
{
	siginfo_t si;

	memset(&si, 0, sizeof(si));
	si.si_signo = SIGUSR2;
	si.si_code = SI_QUEUE;
	si.si_pid = getpid();
	si.si_uid = getuid();
	put(e, 0, 0, &si, sizeof(si));
}

static void ign_setup(struct env *e)
{
	(void)e;
	signal(SIGUSR2, SIG_IGN);
}

static long c_rt_sigqueueinfo(struct env *e) { return S(SYS_rt_sigqueueinfo, getpid(), SIGUSR2, O(0)); }
static long c_rt_tgsigqueueinfo(struct env *e)
{
	return S(SYS_rt_tgsigqueueinfo, getpid(), gettid(), SIGUSR2, O(0));
}

static void fill_mask8(struct env *e)
{
	uint64_t m = 1;

	put(e, 0, 0, &m, 8);
}

static void fill_affinity(struct env *e)
{
	uint64_t m = 0;

	sched_getaffinity(0, 8, (cpu_set_t *)&m);
	put(e, 0, 0, &m, 8);
}

static long c_sched_setaffinity(struct env *e)
{
	return S(SYS_sched_setaffinity, 0, 8, O(0));
}

static void fill_param0(struct env *e)
{
	int p = 0;

	put(e, 0, 0, &p, 4);
}

static long c_sched_setparam(struct env *e) { return S(SYS_sched_setparam, 0, O(0)); }
static long c_sched_setscheduler(struct env *e) { return S(SYS_sched_setscheduler, 0, SCHED_OTHER, O(0)); }
static long c_sched_getattr(struct env *e) { return S(SYS_sched_getattr, 0, O(0), 56, 0); }

static void fill_sigevent(struct env *e)
{
	struct sigevent sev;

	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_NONE;
	put(e, 0, 0, &sev, sizeof(sev));
}

static long c_timer_create(struct env *e)
{
	long r = S(SYS_timer_create, CLOCK_MONOTONIC, O(0), O(1));

	if (!r)
		syscall(SYS_timer_delete, *(int *)O(1));
	return r;
}

static void timer_setup(struct env *e)
{
	struct sigevent sev;

	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_NONE;
	syscall(SYS_timer_create, CLOCK_MONOTONIC, &sev, &e->fd[3]);
}

static void timer_teardown(struct env *e)
{
	syscall(SYS_timer_delete, e->fd[3]);
	e->fd[3] = -1;
}

static long c_timer_settime(struct env *e) { return S(SYS_timer_settime, e->fd[3], 0, O(0), O(1)); }
static long c_timer_gettime(struct env *e) { return S(SYS_timer_gettime, e->fd[3], O(0)); }

static void fill_word5(struct env *e)
{
	int v = 5;

	put(e, 0, 0, &v, 4);
}

static long c_futex_wait(struct env *e)
{
	/* the word is not 6: EAGAIN at once, after reading it. Private: a
	   shared futex's key is taken with a write fault (get_user_pages
	   FOLL_WRITE), which userfaultfd would count as a write */
	return S(SYS_futex, O(0), 128 /* FUTEX_WAIT_PRIVATE */, 6, 0, 0, 0);
}

static long c_get_robust_list(struct env *e) { return S(SYS_get_robust_list, 0, O(0), O(1)); }
static long c_prctl_get_name(struct env *e) { return S(SYS_prctl, 16 /* PR_GET_NAME */, O(0), 0, 0, 0); }
static long c_arch_prctl_get_fs(struct env *e) { return S(SYS_arch_prctl, 0x1003, O(0)); }

static long c_waitid(struct env *e)
{
	pid_t p = fork();

	if (!p)
		_exit(7);
	return S(SYS_waitid, P_PID, p, O(0), WEXITED, O(1));
}

static void fill_how(struct env *e)
{
	uint64_t how[3] = { O_RDONLY, 0, 0 };

	puts_(e, 0, e->path);
	put(e, 1, 0, how, sizeof(how));
}

static long c_openat2(struct env *e)
{
	long r = S(SYS_openat2, AT_FDCWD, O(0), O(1), 24);

	if (r >= 0)
		close((int)r);
	return r >= 0 ? 0 : r;
}

static void fill_clone_args(struct env *e)
{
	uint64_t ca[11] = { 0 };

	ca[4] = SIGCHLD; /* exit_signal */
	put(e, 0, 0, ca, 88);
}

static long c_clone3(struct env *e)
{
	long r = S(SYS_clone3, O(0), 88);

	if (r == 0)
		_exit(0);
	if (r > 0)
		waitpid((pid_t)r, NULL, 0);
	return r > 0 ? 0 : r;
}

static long c_signalfd4(struct env *e)
{
	long r = S(SYS_signalfd4, -1, O(0), 8, 0);

	if (r >= 0)
		close((int)r);
	return r >= 0 ? 0 : r;
}

static long c_signalfd(struct env *e)
{
	long r = S(SYS_signalfd, -1, O(0), 8);

	if (r >= 0)
		close((int)r);
	return r >= 0 ? 0 : r;
}

static void fill_ts1(struct env *e)
{
	struct timespec ts = { 0, 0 };

	put(e, 1, 0, &ts, sizeof(ts));
}

static long c_epoll_pwait2(struct env *e)
{
	return S(SYS_epoll_pwait2, e->fd[2], O(0), 4, O(1), 0, 8);
}

static void stream_setup(struct env *e)
{
	struct sockaddr_un a = { AF_UNIX, "" };

	snprintf(a.sun_path, sizeof(a.sun_path), "%s/lsock", e->dir);
	unlink(a.sun_path);
	e->fd[2] = socket(AF_UNIX, SOCK_STREAM, 0);
	if (bind(e->fd[2], (void *)&a, sizeof(a)) || listen(e->fd[2], 4))
		exit(2);
	e->fd[3] = socket(AF_UNIX, SOCK_STREAM, 0);
	if (connect(e->fd[3], (void *)&a, sizeof(a)))
		exit(2);
}

static void stream_teardown(struct env *e)
{
	char p[128];

	snprintf(p, sizeof(p), "%s/lsock", e->dir);
	unlink(p);
}

static long c_accept(struct env *e)
{
	long r = S(SYS_accept, e->fd[2], O(0), O(1));

	if (r >= 0)
		close((int)r);
	return r >= 0 ? 0 : r;
}

static long c_accept4(struct env *e)
{
	long r = S(SYS_accept4, e->fd[2], O(0), O(1), SOCK_CLOEXEC);

	if (r >= 0)
		close((int)r);
	return r >= 0 ? 0 : r;
}

static long c_getpeername(struct env *e) { return S(SYS_getpeername, e->fd[3], O(0), O(1)); }

static void fill_lsun(struct env *e)
{
	struct sockaddr_un a = { AF_UNIX, "" };

	snprintf(a.sun_path, sizeof(a.sun_path), "%s/lsock", e->dir);
	put(e, 0, 0, &a, sizeof(a));
}

static void listen_setup(struct env *e)
{
	struct sockaddr_un a = { AF_UNIX, "" };

	snprintf(a.sun_path, sizeof(a.sun_path), "%s/lsock", e->dir);
	unlink(a.sun_path);
	e->fd[2] = socket(AF_UNIX, SOCK_STREAM, 0);
	if (bind(e->fd[2], (void *)&a, sizeof(a)) || listen(e->fd[2], 4))
		exit(2);
	e->fd[3] = socket(AF_UNIX, SOCK_STREAM, 0);
}

static long c_connect(struct env *e)
{
	return S(SYS_connect, e->fd[3], O(0), sizeof(struct sockaddr_un));
}

static void fill_capset(struct env *e)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	syscall(SYS_capget, &h, d);
	put(e, 0, 0, &h, sizeof(h));
	put(e, 1, 0, d, sizeof(d));
}

static long c_capset(struct env *e) { return S(SYS_capset, O(0), O(1)); }
static long c_getdents(struct env *e)
{
	lseek(e->fd[3], 0, SEEK_SET);
	return S(SYS_getdents, e->fd[3], O(0), 4096);
}


/* ---- third batch ----------------------------------------------------- */

static long c_set_tid_address(struct env *e) { return S(SYS_set_tid_address, O(0)) > 0 ? 0 : -1; }
static long c_set_robust_list(struct env *e)
{
	long r = S(SYS_set_robust_list, O(0), 24);

	return r;
}

static void robust_teardown(struct env *e)
{
	(void)e;
	/* glibc's own list head is per thread: put it back */
	syscall(SYS_set_robust_list, NULL, 24);
}

static long c_clone_settid(struct env *e)
{
	long r = S(SYS_clone, SIGCHLD | 0x00100000 /* CLONE_PARENT_SETTID */,
		   0, O(0), 0, 0);

	if (r == 0)
		_exit(0);
	if (r > 0)
		waitpid((pid_t)r, NULL, 0);
	return r > 0 ? 0 : r;
}

static void fill_clone_args_settid(struct env *e)
{
	uint64_t ca[11] = { 0 };

	ca[0] = 0x00100000; /* CLONE_PARENT_SETTID */
	ca[3] = (uint64_t)(uintptr_t)O(1); /* parent_tid */
	ca[4] = SIGCHLD;
	put(e, 0, 0, ca, 88);
}

static void fill_sembuf(struct env *e)
{
	struct { unsigned short num; short op, flg; } b = { 0, 1, 0 };

	put(e, 0, 0, &b, sizeof(b));
}

static void sem_setup(struct env *e)
{
	e->fd[3] = semget(IPC_PRIVATE, 1, 0600);
}

static void sem_teardown(struct env *e)
{
	semctl(e->fd[3], 0, IPC_RMID);
	e->fd[3] = -1;
}

static long c_semop(struct env *e) { return S(SYS_semop, e->fd[3], O(0), 1); }
static long c_semtimedop(struct env *e)
{
	struct timespec ts = { 1, 0 };

	(void)ts;
	return S(SYS_semtimedop, e->fd[3], O(0), 1, O(1));
}

static void fill_sembuf_ts(struct env *e)
{
	struct timespec ts = { 1, 0 };

	fill_sembuf(e);
	put(e, 1, 0, &ts, sizeof(ts));
}

static long c_semctl_stat(struct env *e) { return S(SYS_semctl, e->fd[3], 0, IPC_STAT, O(0)); }

static void shm_setup(struct env *e)
{
	e->fd[3] = shmget(IPC_PRIVATE, 4096, 0600);
}

static void shm_teardown(struct env *e)
{
	shmctl(e->fd[3], IPC_RMID, NULL);
	e->fd[3] = -1;
}

static long c_shmctl_stat(struct env *e) { return S(SYS_shmctl, e->fd[3], IPC_STAT, O(0)); }

static void msg_setup(struct env *e)
{
	struct { long type; char text[8]; } m = { 1, "hello" };

	e->fd[3] = msgget(IPC_PRIVATE, 0600);
	msgsnd(e->fd[3], &m, 5, 0);
}

static void msg_teardown(struct env *e)
{
	msgctl(e->fd[3], IPC_RMID, NULL);
	e->fd[3] = -1;
}

static void fill_msgbuf(struct env *e)
{
	struct { long type; char text[8]; } m = { 2, "world" };

	put(e, 0, 0, &m, 8 + 5);
}

static long c_msgsnd(struct env *e) { return S(SYS_msgsnd, e->fd[3], O(0), 5, 0); }
static long c_msgrcv(struct env *e) { return S(SYS_msgrcv, e->fd[3], O(0), 64, 0, 0); }
static long c_msgctl_stat(struct env *e) { return S(SYS_msgctl, e->fd[3], IPC_STAT, O(0)); }

static void fill_gids(struct env *e)
{
	gid_t g[64];
	int n = getgroups(64, g);

	put(e, 0, 0, g, (size_t)n * sizeof(gid_t));
	e->fd[3] = n;
}

static long c_setgroups(struct env *e) { return S(SYS_setgroups, e->fd[3], O(0)); }

static void sigwait_setup(struct env *e)
{
	sigset_t s;

	(void)e;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	sigprocmask(SIG_BLOCK, &s, NULL);
	raise(SIGUSR1);
}

static void fill_sigwait(struct env *e)
{
	uint64_t m = 1ull << (SIGUSR1 - 1);
	struct timespec ts = { 1, 0 };

	put(e, 0, 0, &m, 8);
	put(e, 2, 0, &ts, sizeof(ts));
}

static long c_rt_sigtimedwait(struct env *e) { return S(SYS_rt_sigtimedwait, O(0), O(1), O(2), 8); }

static void mq_teardown(struct env *e)
{
	fds_close(e);
	mq_unlink("/limen-oracle");
}

static void fill_mqname(struct env *e)
{
	long attr[8] = { 0, 4, 16, 0 };

	puts_(e, 0, "limen-oracle"); /* the call's name has no '/' */
	put(e, 1, 0, attr, sizeof(attr));
}

static long c_mq_open(struct env *e)
{
	long r = S(SYS_mq_open, O(0), O_RDWR | O_CREAT, 0600, O(1));

	if (r >= 0)
		close((int)r);
	return r >= 0 ? 0 : r;
}

static void mq_setup(struct env *e)
{
	struct mq_attr a = { 0, 4, 16, 0, { 0 } };

	e->fd[0] = (int)mq_open("/limen-oracle", O_RDWR | O_CREAT, 0600, &a);
	mq_send(e->fd[0], "hello", 5, 3);
}

static void fill_mqname_only(struct env *e)
{
	puts_(e, 0, "limen-oracle");
}

static long c_mq_unlink(struct env *e) { return S(SYS_mq_unlink, O(0)); }
static long c_mq_timedsend(struct env *e) { return S(SYS_mq_timedsend, e->fd[0], O(0), 5, 1, 0); }
static long c_mq_timedreceive(struct env *e) { return S(SYS_mq_timedreceive, e->fd[0], O(0), 16, O(1), 0); }
static long c_mq_getsetattr(struct env *e) { return S(SYS_mq_getsetattr, e->fd[0], 0, O(0)); }

static void mmsg_setup(struct env *e)
{
	sock_setup(e);
	send(e->fd[1], "ab", 2, 0);
}

static void fill_mmsg_out(struct env *e)
{
	struct mmsghdr m[2];
	struct iovec v[2] = { { O(2), 16 }, { O(3), 16 } };

	memset(m, 0, sizeof(m));
	m[0].msg_hdr.msg_iov = (void *)((uint8_t *)O(1));
	m[0].msg_hdr.msg_iovlen = 1;
	m[1].msg_hdr.msg_iov = (void *)((uint8_t *)O(1) + 16);
	m[1].msg_hdr.msg_iovlen = 1;
	put(e, 0, 0, m, sizeof(m));
	put(e, 1, 0, v, sizeof(v));
}

static long c_recvmmsg(struct env *e) { return S(SYS_recvmmsg, e->fd[0], O(0), 2, MSG_DONTWAIT, 0); }

static void fill_mmsg_in(struct env *e)
{
	struct mmsghdr m[2];
	struct iovec v[2] = { { O(2), 3 }, { O(3), 4 } };

	memset(m, 0, sizeof(m));
	m[0].msg_hdr.msg_iov = (void *)((uint8_t *)O(1));
	m[0].msg_hdr.msg_iovlen = 1;
	m[1].msg_hdr.msg_iov = (void *)((uint8_t *)O(1) + 16);
	m[1].msg_hdr.msg_iovlen = 1;
	put(e, 0, 0, m, sizeof(m));
	put(e, 1, 0, v, sizeof(v));
	put(e, 2, 0, "abc", 3);
	put(e, 3, 0, "defg", 4);
}

static long c_sendmmsg(struct env *e) { return S(SYS_sendmmsg, e->fd[1], O(0), 2, 0); }

static void fill_handle(struct env *e)
{
	uint32_t hb = 128;

	puts_(e, 0, e->path);
	put(e, 1, 0, &hb, 4);
}

static long c_name_to_handle_at(struct env *e)
{
	return S(SYS_name_to_handle_at, AT_FDCWD, O(0), O(1), O(2), 0);
}

static char remote[64] = "remote bytes";

static void fill_pvm(struct env *e)
{
	struct iovec l = { O(2), 12 }, r = { remote, 12 };

	put(e, 0, 0, &l, sizeof(l));
	put(e, 1, 0, &r, sizeof(r));
	put(e, 2, 0, "local bytes!", 12);
}

static long c_process_vm_readv(struct env *e) { return S(SYS_process_vm_readv, getpid(), O(0), 1, O(1), 1, 0); }
static long c_process_vm_writev(struct env *e) { return S(SYS_process_vm_writev, getpid(), O(0), 1, O(1), 1, 0); }

static void fill_sched_attr(struct env *e)
{
	uint32_t a[14] = { 56, 0 /* SCHED_OTHER */ };

	put(e, 0, 0, a, sizeof(a));
}

static long c_sched_setattr(struct env *e) { return S(SYS_sched_setattr, 0, O(0), 0); }

static void fill_action(struct env *e)
{
	uint32_t act = 0x7fff0000; /* SECCOMP_RET_ALLOW */

	put(e, 0, 0, &act, 4);
}

static long c_seccomp_action(struct env *e) { return S(SYS_seccomp, 2, 0, O(0)); }

static void pidfd_setup(struct env *e)
{
	signal(SIGUSR2, SIG_IGN);
	e->fd[3] = (int)syscall(SYS_pidfd_open, getpid(), 0);
}

static long c_pidfd_send_signal(struct env *e) { return S(SYS_pidfd_send_signal, e->fd[3], SIGUSR2, O(0), 0); }

static void futexv_fill(struct env *e)
{
	struct { uint64_t val, uaddr; uint32_t flags, res; } wv =
		{ 6, (uint64_t)(uintptr_t)O(1), 2 | 128 /* U32, PRIVATE */, 0 };
	uint32_t word = 5;

	put(e, 0, 0, &wv, sizeof(wv));
	put(e, 1, 0, &word, 4);
}

static long c_futex_waitv(struct env *e) { return S(SYS_futex_waitv, O(0), 1, 0, 0, 0); }
static long c_futex_wait2(struct env *e) { return S(SYS_futex_wait, O(0), 6, 0xffffffffu, 2 | 128, 0, 0); }

static void fill_cstat(struct env *e)
{
	uint64_t r[2] = { 0, 16 };

	put(e, 0, 0, r, sizeof(r));
}

static long c_cachestat(struct env *e) { return S(SYS_cachestat, e->fd[0], O(0), O(1), 0); }
static long c_fchmodat2(struct env *e) { return S(SYS_fchmodat2, AT_FDCWD, O(0), 0600, 0); }

static long c_listmount(struct env *e)
{
	return S(SYS_listmount, O(0), O(1), 4, 0);
}

static void fill_listmount(struct env *e)
{
	uint32_t req[6] = { 24, 0, 0xffffffff, 0xffffffff, 0, 0 };

	put(e, 0, 0, req, sizeof(req));
}

static void fill_lsm(struct env *e)
{
	uint32_t size = 64;

	put(e, 1, 0, &size, 4);
}

static long c_lsm_list_modules(struct env *e) { return S(SYS_lsm_list_modules, O(0), O(1), 0); }

static void fill_mempolicy(struct env *e)
{
	(void)e;
}

static long c_get_mempolicy(struct env *e) { return S(SYS_get_mempolicy, O(0), O(1), 65, 0, 0); }

static void fill_tree_path(struct env *e)
{
	puts_(e, 0, e->dir);
}

static long c_open_tree(struct env *e)
{
	long r = S(SYS_open_tree, AT_FDCWD, O(0), 0);

	if (r >= 0)
		close((int)r);
	return r >= 0 ? 0 : r;
}

static void fill_root(struct env *e)
{
	puts_(e, 0, "/");
}

static long c_fspick(struct env *e)
{
	long r = S(SYS_fspick, AT_FDCWD, O(0), 0);

	if (r >= 0)
		close((int)r);
	return r >= 0 ? 0 : r;
}


/* ---- fourth batch ---------------------------------------------------- */

static void fill_flock(struct env *e)
{
	struct flock fl = { F_RDLCK, SEEK_SET, 0, 4, 0 };

	put(e, 0, 0, &fl, sizeof(fl));
}

static long c_fcntl_getlk(struct env *e) { return S(SYS_fcntl, e->fd[0], F_GETLK, O(0)); }
static long c_fcntl_setlk(struct env *e) { return S(SYS_fcntl, e->fd[0], F_SETLK, O(0)); }
static long c_fcntl_ofd_getlk(struct env *e) { return S(SYS_fcntl, e->fd[0], F_OFD_GETLK, O(0)); }
static long c_fcntl_getown_ex(struct env *e) { return S(SYS_fcntl, e->fd[0], F_GETOWN_EX, O(0)); }

static void fill_owner(struct env *e)
{
	struct f_owner_ex o = { F_OWNER_PID, 0 };

	o.pid = getpid();
	put(e, 0, 0, &o, sizeof(o));
}

static long c_fcntl_setown_ex(struct env *e) { return S(SYS_fcntl, e->fd[0], F_SETOWN_EX, O(0)); }

static void on_usr1(int sig)
{
	(void)sig;
}

static void suspend_setup(struct env *e)
{
	sigset_t s;
	struct sigaction sa;

	(void)e;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	sigprocmask(SIG_BLOCK, &s, NULL);
	raise(SIGUSR1);
}

static void fill_empty_mask(struct env *e)
{
	uint64_t m = 0;

	put(e, 0, 0, &m, 8);
}

static long c_rt_sigsuspend(struct env *e) { return S(SYS_rt_sigsuspend, O(0), 8); }

static long c_mq_notify(struct env *e) { return S(SYS_mq_notify, e->fd[0], O(0)); }

static void fill_key(struct env *e)
{
	puts_(e, 0, "user");
	puts_(e, 1, "limen:oracle");
	put(e, 2, 0, "payload", 7);
}

static long c_add_key(struct env *e)
{
	return S(SYS_add_key, O(0), O(1), O(2), 7, -2 /* process keyring */) > 0 ? 0 : -1;
}

static void key_setup(struct env *e)
{
	(void)e;
	syscall(SYS_add_key, "user", "limen:oracle", "payload", 7, -2);
}

static long c_request_key(struct env *e)
{
	return S(SYS_request_key, O(0), O(1), 0, 0) > 0 ? 0 : -1;
}

static void fill_perf_attr(struct env *e)
{
	uint32_t attr[32] = { 1 /* PERF_TYPE_SOFTWARE */, 128 };

	attr[2] = 9; /* config: PERF_COUNT_SW_DUMMY */
	put(e, 0, 0, attr, sizeof(attr));
}

static long c_perf_event_open(struct env *e)
{
	long r = S(SYS_perf_event_open, O(0), 0, -1, -1, 0);

	if (r >= 0)
		close((int)r);
	return r >= 0 ? 0 : r;
}

static void fan_setup(struct env *e)
{
	path_setup(e);
	e->fd[2] = (int)syscall(SYS_fanotify_init, 0, O_RDONLY);
}

static long c_fanotify_mark(struct env *e)
{
	return S(SYS_fanotify_mark, e->fd[2], 1 /* FAN_MARK_ADD */, 0x20 /* FAN_OPEN */,
		 AT_FDCWD, O(0));
}

static void fill_zero8(struct env *e)
{
	uint64_t z = 0;

	put(e, 0, 0, &z, 8);
}

static long c_io_setup(struct env *e)
{
	long r = S(SYS_io_setup, 1, O(0));

	if (!r)
		syscall(SYS_io_destroy, *(uint64_t *)O(0));
	return r;
}

static uint8_t handle_buf[8 + 128];
static int handle_mnt;

static void handle_setup(struct env *e)
{
	path_setup(e);
	*(uint32_t *)handle_buf = 128;
	syscall(SYS_name_to_handle_at, AT_FDCWD, e->path, handle_buf,
		&handle_mnt, 0);
	e->fd[2] = open(e->dir, O_RDONLY | O_DIRECTORY);
}

static void fill_handle_in(struct env *e)
{
	put(e, 0, 0, handle_buf, 8 + *(uint32_t *)handle_buf);
}

static long c_open_by_handle_at(struct env *e)
{
	long r = S(SYS_open_by_handle_at, e->fd[2], O(0), O_RDONLY);

	if (r >= 0)
		close((int)r);
	return r >= 0 ? 0 : r;
}


/* ---- fifth batch ----------------------------------------------------- */

static long c_modify_ldt_read(struct env *e) { return S(SYS_modify_ldt, 0, O(0), 64); }
static long c_syslog(struct env *e) { return S(SYS_syslog, 3 /* READ_ALL */, O(0), 64); }

static void fill_fsname(struct env *e)
{
	puts_(e, 0, "tmpfs");
}

static long c_fsopen(struct env *e)
{
	long r = S(SYS_fsopen, O(0), 0);

	if (r >= 0)
		close((int)r);
	return r >= 0 ? 0 : r;
}

static void fsopen_setup(struct env *e)
{
	e->fd[0] = (int)syscall(SYS_fsopen, "tmpfs", 0);
}

static void fill_fsconfig(struct env *e)
{
	puts_(e, 0, "size");
	puts_(e, 1, "1M");
}

static long c_fsconfig(struct env *e) { return S(SYS_fsconfig, e->fd[0], 1 /* SET_STRING */, O(0), O(1), 0); }
static long c_futex_wake(struct env *e) { return S(SYS_futex_wake, O(0), 0xffffffffu, 1, 2 | 128); }

static void fill_requeue(struct env *e)
{
	struct { uint64_t val, uaddr; uint32_t flags, res; } wv[2] = {
		{ 5, (uint64_t)(uintptr_t)O(1), 2 | 128, 0 },
		{ 0, (uint64_t)(uintptr_t)O(2), 2 | 128, 0 } };
	uint32_t word = 5;

	put(e, 0, 0, wv, sizeof(wv));
	put(e, 1, 0, &word, 4);
	put(e, 2, 0, &word, 4);
}

static long c_futex_requeue(struct env *e) { return S(SYS_futex_requeue, O(0), 0, 1, 1); }

static void pmadv_setup(struct env *e)
{
	e->fd[3] = (int)syscall(SYS_pidfd_open, getpid(), 0);
}

static char *pmadv_page;

static void fill_pmadv(struct env *e)
{
	struct iovec v;

	if (!pmadv_page)
		pmadv_page = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	v.iov_base = pmadv_page;
	v.iov_len = PAGE;
	put(e, 0, 0, &v, sizeof(v));
}

static long c_process_madvise(struct env *e)
{
	return S(SYS_process_madvise, e->fd[3], O(0), 1, MADV_COLD, 0);
}

static void xattrat_setup(struct env *e)
{
	xattr_setup(e);
}

static void fill_xattrat(struct env *e)
{
	uint64_t xa[2] = { (uint64_t)(uintptr_t)O(2), 5 };

	puts_(e, 0, e->path);
	puts_(e, 1, "user.limen");
	put(e, 2, 0, "VALUE", 5);
	put(e, 3, 0, xa, sizeof(xa));
}

static void fill_xattrat_get(struct env *e)
{
	uint64_t xa[2] = { (uint64_t)(uintptr_t)O(2), 64 };

	puts_(e, 0, e->path);
	puts_(e, 1, "user.limen");
	put(e, 3, 0, xa, sizeof(xa));
}

static long c_setxattrat(struct env *e) { return S(SYS_setxattrat, AT_FDCWD, O(0), 0, O(1), O(3), 16); }
static long c_getxattrat(struct env *e) { return S(SYS_getxattrat, AT_FDCWD, O(0), 0, O(1), O(3), 16); }
static long c_listxattrat(struct env *e) { return S(SYS_listxattrat, AT_FDCWD, O(0), 0, O(2), 64); }
static long c_removexattrat(struct env *e) { return S(SYS_removexattrat, AT_FDCWD, O(0), 0, O(1)); }

static long c_file_getattr(struct env *e) { return S(SYS_file_getattr, AT_FDCWD, O(0), O(1), 24, 0); }
static long c_file_setattr(struct env *e) { return S(SYS_file_setattr, AT_FDCWD, O(0), O(1), 24, 0); }

static void fill_fattr(struct env *e)
{
	uint8_t fa[24];

	puts_(e, 0, e->path);
	memset(fa, 0, sizeof(fa));
	put(e, 1, 0, fa, sizeof(fa));
}



/* ---- sixth batch ----------------------------------------------------- */

static void fill_zero120(struct env *e)
{
	uint8_t z[120];

	memset(z, 0, sizeof(z));
	put(e, 0, 0, z, sizeof(z));
}

static long c_io_uring_setup(struct env *e)
{
	long r = S(SYS_io_uring_setup, 4, O(0));

	if (r >= 0)
		close((int)r);
	return r >= 0 ? 0 : r;
}

static void fill_map_create(struct env *e)
{
	uint32_t attr[5] = { 2 /* BPF_MAP_TYPE_ARRAY */, 4, 4, 1, 0 };

	put(e, 0, 0, attr, sizeof(attr));
}

static long c_bpf_map_create(struct env *e)
{
	long r = S(SYS_bpf, 0 /* BPF_MAP_CREATE */, O(0), 20);

	if (r >= 0)
		close((int)r);
	return r >= 0 ? 0 : r;
}


/* ---- ioctl commands -------------------------------------------------- */

static void pty_setup(struct env *e)
{
	e->fd[0] = open("/dev/ptmx", O_RDWR | O_NOCTTY);
}

static long c_ioctl_tcgets(struct env *e) { return S(SYS_ioctl, e->fd[0], TCGETS, O(0)); }
static long c_ioctl_gwinsz(struct env *e) { return S(SYS_ioctl, e->fd[0], TIOCGWINSZ, O(0)); }
static long c_ioctl_swinsz(struct env *e) { return S(SYS_ioctl, e->fd[0], TIOCSWINSZ, O(0)); }
static long c_ioctl_fionbio(struct env *e) { return S(SYS_ioctl, e->fd[0], FIONBIO, O(0)); }
static long c_ioctl_tiocgptn(struct env *e) { return S(SYS_ioctl, e->fd[0], TIOCGPTN, O(0)); }

static void fill_winsz(struct env *e)
{
	struct winsize ws = { 24, 80, 0, 0 };

	put(e, 0, 0, &ws, sizeof(ws));
}


/* ---- keyctl ---------------------------------------------------------- */

static long key_id;

static void key_make(struct env *e)
{
	(void)e;
	key_id = syscall(SYS_add_key, "user", "limen:oracle", "payload", 7, -2);
}

static long c_keyctl_describe(struct env *e) { return S(SYS_keyctl, 6, key_id, O(0), 256); }
static long c_keyctl_read(struct env *e) { return S(SYS_keyctl, 11, key_id, O(0), 64); }

static void fill_search(struct env *e)
{
	puts_(e, 0, "user");
	puts_(e, 1, "limen:oracle");
}

static long c_keyctl_search(struct env *e)
{
	return S(SYS_keyctl, 10, -2, O(0), O(1), 0) == key_id ? 0 : -1;
}

static void fill_payload(struct env *e)
{
	put(e, 0, 0, "payload", 7);
}

static long c_keyctl_update(struct env *e) { return S(SYS_keyctl, 2, key_id, O(0), 7); }

/* ---- calls that take an address range: they map, lock or advise on
   the pages, they never copy from or to them. The range's page is the
   object: made wholly inaccessible (PROT_NONE), the call gives the same
   result, so the kernel made no user-memory access through it. */

#define PG(i) ((long)((uint64_t)(uintptr_t)e->o[i] & ~(PAGE - 1)))

static long c_madvise(struct env *e) { return S(SYS_madvise, PG(0), PAGE, MADV_NORMAL); }
static long c_msync(struct env *e) { return S(SYS_msync, PG(0), PAGE, MS_ASYNC); }
static long c_mlock2(struct env *e)
{
	long r = S(SYS_mlock2, PG(0), PAGE, 1 /* MLOCK_ONFAULT */);

	munlock((void *)PG(0), PAGE);
	return r;
}
static void munlock_setup(struct env *e) { mlock((void *)PG(0), PAGE); }
static long c_munlock(struct env *e) { return S(SYS_munlock, PG(0), PAGE); }

/* adjtimex and clock_adjtime with modes 0 only read the clock's state */
static long c_adjtimex(struct env *e) { return S(SYS_adjtimex, O(0)); }
static long c_clock_adjtime(struct env *e) { return S(SYS_clock_adjtime, CLOCK_REALTIME, O(0)); }

/* NUMA on one node: node 0 is a valid policy and target everywhere */
static void fill_node0(struct env *e)
{
	uint64_t m = 1;

	put(e, 0, 0, &m, 8);
	put(e, 1, 0, &m, 8);
}
static long c_set_mempolicy(struct env *e)
{
	long r = S(SYS_set_mempolicy, 2 /* MPOL_BIND */, O(0), 65);

	syscall(SYS_set_mempolicy, 0, NULL, 0);
	return r;
}
static long c_mbind(struct env *e) { return S(SYS_mbind, PG(1), PAGE, 2 /* MPOL_BIND */, O(0), 65, 0); }
static void mbind_teardown(struct env *e) { syscall(SYS_mbind, PG(1), PAGE, 0, NULL, 0, 0); }
static long c_migrate_pages(struct env *e) { return S(SYS_migrate_pages, 0, 65, O(0), O(1)); }

/* move_pages with no nodes: where each page is, into status */
static void fill_pages(struct env *e)
{
	uint64_t pg[2] = { (uint64_t)PG(3), (uint64_t)PG(3) };

	put(e, 0, 0, pg, sizeof(pg));
}
static long c_move_pages(struct env *e) { return S(SYS_move_pages, 0, 2, O(0), 0, O(2), 0); }
static void fill_pages_nodes(struct env *e)
{
	uint64_t pg[2] = { (uint64_t)PG(3), (uint64_t)PG(3) };
	int nodes[2] = { 0, 0 };

	put(e, 0, 0, pg, sizeof(pg));
	put(e, 1, 0, nodes, sizeof(nodes));
}
static long c_move_pages_nodes(struct env *e) { return S(SYS_move_pages, 0, 2, O(0), O(1), O(2), 0); }

/* statmount of the root's mount, its basic superblock fields */
#ifndef SYS_statmount
#define SYS_statmount 457
#endif
static uint64_t root_mnt_id(void)
{
	struct statx sx;

	if (syscall(SYS_statx, AT_FDCWD, "/", 0, 0x4000 /* STATX_MNT_ID_UNIQUE */, &sx))
		return 0;
	return sx.stx_mnt_id;
}
static void fill_statmount(struct env *e)
{
	uint64_t req[3] = { 24, root_mnt_id(), 1 /* STATMOUNT_SB_BASIC */ };

	put(e, 0, 0, req, sizeof(req));
}
static long c_statmount(struct env *e) { return S(SYS_statmount, O(0), O(1), 1024, 0); }

/* Landlock: a ruleset that handles file execution, one path rule */
static void fill_ll_attr(struct env *e)
{
	uint64_t attr = 1 /* LANDLOCK_ACCESS_FS_EXECUTE */;

	put(e, 0, 0, &attr, 8);
}
static long c_landlock_create_ruleset(struct env *e)
{
	long r = S(SYS_landlock_create_ruleset, O(0), 8, 0);

	if (r >= 0)
		close((int)r);
	return r >= 0 ? 0 : r;
}
static void ll_setup(struct env *e)
{
	uint64_t attr = 1;

	e->fd[2] = (int)syscall(SYS_landlock_create_ruleset, &attr, 8, 0);
	e->fd[3] = open("/", O_PATH);
}
static void fill_ll_rule(struct env *e)
{
	/* struct landlock_path_beneath_attr: packed, 12 bytes */
	uint8_t pb[12];
	uint64_t acc = 1;
	int32_t fd = e->fd[3];

	memcpy(pb, &acc, 8);
	memcpy(pb + 8, &fd, 4);
	put(e, 0, 0, pb, sizeof(pb));
}
static long c_landlock_add_rule(struct env *e)
{
	return S(SYS_landlock_add_rule, e->fd[2], 1 /* LANDLOCK_RULE_PATH_BENEATH */, O(0), 0);
}

/* AIO: a context with one completed write, its event fetched */
static uint64_t aio_ctx;

static void aio_setup(struct env *e)
{
	file_setup(e);
	aio_ctx = 0;
	if (syscall(SYS_io_setup, 4, &aio_ctx))
		exit(2);
}
static void aio_done_setup(struct env *e)
{
	static char data[5] = "hello";
	uint64_t cb[8] = { 0 };
	uint64_t *cbp = cb;

	aio_setup(e);
	cb[0] = 42;                                   /* aio_data */
	cb[2] = 1ull | ((uint64_t)e->fd[0] << 32);   /* PWRITE, fildes */
	cb[3] = (uint64_t)(uintptr_t)data;
	cb[4] = 5;
	if (syscall(SYS_io_submit, aio_ctx, 1, &cbp) != 1)
		exit(2);
}
static void aio_teardown(struct env *e)
{
	syscall(SYS_io_destroy, aio_ctx);
	file_teardown(e);
}
static long c_io_getevents(struct env *e) { return S(SYS_io_getevents, aio_ctx, 1, 2, O(0), O(1)); }
static long c_io_pgetevents(struct env *e) { return S(SYS_io_pgetevents, aio_ctx, 1, 2, O(0), O(1), 0); }
static long c_io_pgetevents_sigmask(struct env *e) { return S(SYS_io_pgetevents, aio_ctx, 1, 2, O(0), O(1), O(2)); }
static void fill_zero208(struct env *e)
{
	uint8_t z[208] = { 0 };

	put(e, 0, 0, z, sizeof(z));
}
static void fill_ts_1s(struct env *e)
{
	struct timespec ts = { 1, 0 };

	put(e, 1, 0, &ts, sizeof(ts));
}

static void fill_ts_1s_sigmask(struct env *e)
{
	fill_ts_1s(e);
	fill_sigpack(e);
}
/* io_submit: the pointer array, the iocb (the kernel writes its aio_key
   back), the data of a write */
static void fill_iocb_write(struct env *e)
{
	uint64_t cb[8] = { 0 };
	uint64_t p = (uint64_t)(uintptr_t)O(1);

	cb[0] = 42;
	cb[2] = 1ull | ((uint64_t)e->fd[0] << 32);
	cb[3] = (uint64_t)(uintptr_t)O(2);
	cb[4] = 5;
	put(e, 0, 0, &p, 8);
	put(e, 1, 0, cb, sizeof(cb));
	put(e, 2, 0, "hello", 5);
}
/* the write's result is in its completion event: it is part of the
   case's result, so that a data buffer one byte short shows */
/* a read of the 16-byte file into 64 bytes: 16 written, inline */
static void fill_iocb_read(struct env *e)
{
	uint64_t cb[8] = { 0 };
	uint64_t p = (uint64_t)(uintptr_t)O(1);

	cb[0] = 43;
	cb[2] = 0ull | ((uint64_t)e->fd[0] << 32);
	cb[3] = (uint64_t)(uintptr_t)O(2);
	cb[4] = 64;
	put(e, 0, 0, &p, 8);
	put(e, 1, 0, cb, sizeof(cb));
}
static long c_io_submit(struct env *e)
{
	long r = S(SYS_io_submit, aio_ctx, 1, O(0));
	int64_t ev[4] = { 0, 0, 0, 0 };

	if (r == 1 && syscall(SYS_io_getevents, aio_ctx, 1, 1, ev, NULL) == 1)
		return 1000 + ev[2];
	return r;
}

/* ptrace: a stopped child's word and registers, into the tracer */
static pid_t tracee;
static long tracee_word = 0x1122334455667788;

static void ptrace_setup(struct env *e)
{
	int st;

	(void)e;
	tracee = fork();
	if (tracee < 0)
		exit(2);
	if (!tracee) {
		long pid = getpid(), ax = SYS_kill;

		ptrace(PTRACE_TRACEME, 0, 0, 0);
		/* stop with every register set here: a callee-saved one
		   may still hold the canary memset left in it, which the
		   check would take for a byte never written */
		__asm__ volatile("mov $1, %%rbx\n\tmov $2, %%r12\n\t"
				 "mov $3, %%r13\n\tmov $4, %%r14\n\t"
				 "mov $5, %%r15\n\tmov $6, %%r8\n\t"
				 "mov $7, %%r9\n\tmov $8, %%r10\n\t"
				 "mov $9, %%rdx\n\tsyscall"
				 : "+a"(ax)
				 : "D"(pid), "S"((long)SIGSTOP)
				 : "rbx", "r12", "r13", "r14", "r15", "r8", "r9",
				   "r10", "rdx", "rcx", "r11", "memory");
		_exit(0);
	}
	if (waitpid(tracee, &st, 0) != tracee || !WIFSTOPPED(st))
		exit(2);
}
static void ptrace_teardown(struct env *e)
{
	(void)e;
	kill(tracee, SIGKILL);
	waitpid(tracee, NULL, 0);
}
static long c_ptrace_peekdata(struct env *e) { return S(SYS_ptrace, PTRACE_PEEKDATA, tracee, &tracee_word, O(0)); }
static long c_ptrace_getregs(struct env *e) { return S(SYS_ptrace, PTRACE_GETREGS, tracee, 0, O(0)); }
static long c_ptrace_getfpregs(struct env *e) { return S(SYS_ptrace, PTRACE_GETFPREGS, tracee, 0, O(0)); }
static long c_ptrace_getsiginfo(struct env *e) { return S(SYS_ptrace, PTRACE_GETSIGINFO, tracee, 0, O(0)); }
static void fill_regs(struct env *e)
{
	uint8_t r[216];

	if (ptrace(PTRACE_GETREGS, tracee, 0, r))
		exit(2);
	put(e, 0, 0, r, sizeof(r));
}
static long c_ptrace_setregs(struct env *e) { return S(SYS_ptrace, PTRACE_SETREGS, tracee, 0, O(0)); }

/* ---- mounts, the root, the host name: in the oracle's own mount and
   UTS namespaces (main), so that nothing outside it sees a change ---- */

#ifndef SYS_move_mount
#define SYS_move_mount 429
#endif
#ifndef SYS_mount_setattr
#define SYS_mount_setattr 442
#endif
#ifndef SYS_open_tree_attr
#define SYS_open_tree_attr 467
#endif

static void mnt_setup(struct env *e)
{
	mkdir(e->path, 0755);
	if (mount("none", e->path, "tmpfs", 0, NULL))
		exit(2);
}
static void mnt_teardown(struct env *e)
{
	umount2(e->path, MNT_DETACH);
	path_teardown(e);
}
static void mntdir_setup(struct env *e) { mkdir(e->path, 0755); }
static void fill_mount(struct env *e)
{
	puts_(e, 0, "none");
	puts_(e, 1, e->path);
	puts_(e, 2, "tmpfs");
}
static long c_mount(struct env *e) { return S(SYS_mount, O(0), O(1), O(2), 0, 0); }
static long c_umount2(struct env *e) { return S(SYS_umount2, O(0), 0); }

/* move_mount of a detached tmpfs (fsopen, fsmount) onto the directory */
static void move_mount_setup(struct env *e)
{
	int fs;

	mkdir(e->path, 0755);
	fs = (int)syscall(SYS_fsopen, "tmpfs", 0);
	if (fs < 0 || syscall(SYS_fsconfig, fs, 6 /* FSCONFIG_CMD_CREATE */, 0, 0, 0))
		exit(2);
	e->fd[2] = (int)syscall(SYS_fsmount, fs, 0, 0);
	close(fs);
	if (e->fd[2] < 0)
		exit(2);
}
static void fill_empty_and_path(struct env *e)
{
	puts_(e, 0, "");
	puts_(e, 1, e->path);
}
static long c_move_mount(struct env *e)
{
	return S(SYS_move_mount, e->fd[2], O(0), AT_FDCWD, O(1), 4 /* MOVE_MOUNT_F_EMPTY_PATH */);
}

/* struct mount_attr: read-only set, 32 bytes (MOUNT_ATTR_SIZE_VER0) */
static void fill_mount_attr(struct env *e)
{
	uint64_t ma[4] = { 1 /* MOUNT_ATTR_RDONLY */, 0, 0, 0 };

	puts_(e, 0, e->path);
	put(e, 1, 0, ma, sizeof(ma));
}
static long c_mount_setattr(struct env *e) { return S(SYS_mount_setattr, AT_FDCWD, O(0), 0, O(1), 32); }
static long c_open_tree_attr(struct env *e)
{
	long r = S(SYS_open_tree_attr, AT_FDCWD, O(0), 1 /* OPEN_TREE_CLONE */, O(1), 32);

	if (r >= 0)
		close((int)r);
	return r >= 0 ? 0 : r;
}

/* chroot into the scratch directory and back out through a descriptor
   of the old root */
static long c_chroot(struct env *e)
{
	int root = open("/", O_PATH | O_DIRECTORY);
	long r = S(SYS_chroot, O(0));

	if (fchdir(root) || chroot(".") || chdir("/"))
		exit(2);
	close(root);
	return r;
}

static void fill_hostname(struct env *e) { put(e, 0, 0, "limen-oracle", 12); }
static long c_sethostname(struct env *e) { return S(SYS_sethostname, O(0), 12); }
static long c_setdomainname(struct env *e) { return S(SYS_setdomainname, O(0), 12); }

/* the clock, never changed: a time whose microseconds or nanoseconds are
   out of range is read whole, then refused (EINVAL) */
static void fill_bad_time(struct env *e)
{
	long t[2] = { 1, 2000000000 };

	put(e, 0, 0, t, sizeof(t));
}
static long c_settimeofday(struct env *e) { return S(SYS_settimeofday, O(0), 0); }
static long c_clock_settime(struct env *e) { return S(SYS_clock_settime, CLOCK_REALTIME, O(0)); }

/* ---- io_uring, io_cancel, ustat ------------------------------------- */

static void uring_setup(struct env *e)
{
	uint8_t params[120] = { 0 };

	e->fd[2] = (int)syscall(SYS_io_uring_setup, 4, params);
	if (e->fd[2] < 0)
		exit(2);
}
/* wait for no completion: the argument and its timeout are read */
static void fill_getevents_arg(struct env *e)
{
	uint64_t ga[3] = { 0, 0, (uint64_t)(uintptr_t)O(1) };
	struct timespec ts = { 0, 0 };

	put(e, 0, 0, ga, sizeof(ga));
	put(e, 1, 0, &ts, sizeof(ts));
}
/* wait for one completion that never comes, 1 us: the signal mask is
   read too, then ETIME */
static void fill_getevents_wait(struct env *e)
{
	uint64_t ga[3] = { (uint64_t)(uintptr_t)O(2), 8, (uint64_t)(uintptr_t)O(1) };
	struct timespec ts = { 0, 1000 };
	uint64_t mask = 0;

	put(e, 0, 0, ga, sizeof(ga));
	put(e, 1, 0, &ts, sizeof(ts));
	put(e, 2, 0, &mask, sizeof(mask));
}
static long c_io_uring_enter_wait(struct env *e)
{
	return S(SYS_io_uring_enter, e->fd[2], 0, 1, 1 | 8, O(0), 24);
}
static long c_io_uring_enter(struct env *e)
{
	return S(SYS_io_uring_enter, e->fd[2], 0, 0, 1 | 8 /* GETEVENTS, EXT_ARG */, O(0), 24);
}
static void fill_files(struct env *e)
{
	int fds[2] = { 0, 1 };

	put(e, 0, 0, fds, sizeof(fds));
}
static long c_io_uring_register_files(struct env *e)
{
	return S(SYS_io_uring_register, e->fd[2], 2 /* IORING_REGISTER_FILES */, O(0), 2);
}
static void fill_zero48(struct env *e)
{
	uint8_t z[48] = { 0 };

	put(e, 0, 0, z, sizeof(z));
}
static long c_io_uring_register_probe(struct env *e)
{
	return S(SYS_io_uring_register, e->fd[2], 8 /* IORING_REGISTER_PROBE */, O(0), 4);
}

/* an iocb whose key is not the kernel's: read, then refused (EINVAL) */
static long c_io_cancel(struct env *e) { return S(SYS_io_cancel, 0, O(0), O(1)); }

static long c_ustat(struct env *e)
{
	struct stat st;

	if (stat("/", &st))
		exit(2);
	return S(SYS_ustat, st.st_dev, O(0));
}

/* ---- protection changes, swap: harmless or refused ---------------- */

/* the page's protection set to what it is: the page of a guard placement
   gets its PROT_NONE back */
static long c_mprotect(struct env *e) { return S(SYS_mprotect, PG(0), PAGE, PROT_READ | PROT_WRITE); }
static long c_pkey_mprotect(struct env *e) { return S(SYS_pkey_mprotect, PG(0), PAGE, PROT_READ | PROT_WRITE, -1); }
static void guard_back(struct env *e)
{
	if ((uint8_t *)PG(0) >= e->rw[0] + REGION)
		mprotect((void *)PG(0), PAGE, PROT_NONE);
}

/* a file that is not a swap area in use: its path is read, then EINVAL
   (silently: swapon's refusal would go to the kernel's log, which the
   syslog case reads) */
static long c_swapoff(struct env *e) { return S(SYS_swapoff, O(0)); }

/* ---- pivot_root and back, in the oracle's mount namespace ------------ */

static void pivot_setup(struct env *e)
{
	mnt_setup(e);
	puts_(e, 1, ""); /* put_old: filled by fill_pivot */
	if (snprintf(e->path2, sizeof(e->path2), "%s/old", e->path) >=
	    (int)sizeof(e->path2))
		exit(2);
	mkdir(e->path2, 0755);
}
static void fill_pivot(struct env *e)
{
	puts_(e, 0, e->path);
	puts_(e, 1, e->path2);
}
/* the old root is at /old under the new one: pivot back, with the
   directory the new root came from as the place to put it */
static long c_pivot_root(struct env *e)
{
	long r = S(SYS_pivot_root, O(0), O(1));
	char back[160];

	if (!r) {
		if (snprintf(back, sizeof(back), "/old%s", e->path) >=
		    (int)sizeof(back) || syscall(SYS_pivot_root, "/old", back) || chdir("/"))
			exit(2);
	}
	return r;
}
static void pivot_teardown(struct env *e)
{
	umount2(e->path, MNT_DETACH);
	rmdir(e->path);
	snprintf(e->path2, sizeof(e->path2), "%s/g", e->dir);
}

/* ---- LSM attributes, with no LSM that has them here ----------------- */

#ifndef SYS_lsm_get_self_attr
#define SYS_lsm_get_self_attr 459
#define SYS_lsm_set_self_attr 460
#endif

/* the size is read, and written back (0) even when no LSM answers */
static void fill_lsm_size(struct env *e)
{
	uint32_t size = 64;

	put(e, 1, 0, &size, 4);
}
static long c_lsm_get_self_attr(struct env *e) { return S(SYS_lsm_get_self_attr, 100 /* LSM_ATTR_CURRENT */, O(0), O(1), 0); }
/* struct lsm_ctx { id, flags, len, ctx_len, ctx[] }: read whole */
static void fill_lsm_ctx(struct env *e)
{
	uint64_t c[8] = { 0, 0, 64, 32, 0, 0, 0, 0 };

	put(e, 0, 0, c, sizeof(c));
}
static long c_lsm_set_self_attr(struct env *e) { return S(SYS_lsm_set_self_attr, 100, O(0), 64, 0); }

/* ---- execve that fails after reading everything: a file with the
   execute bit and no format the kernel knows (ENOEXEC), so the process
   image stays and the run can be repeated ------------------------------ */

static void noexec_setup(struct env *e)
{
	int fd = open(e->path, O_WRONLY | O_CREAT | O_TRUNC, 0755);

	if (fd < 0 || write(fd, "\1\2\3\4", 4) != 4)
		exit(2);
	close(fd);
}
static void fill_exec(struct env *e)
{
	uint64_t av[2] = { (uint64_t)(uintptr_t)O(2), 0 };
	uint64_t ev[1] = { 0 };

	puts_(e, 0, e->path);
	put(e, 1, 0, av, sizeof(av));
	puts_(e, 2, "x");
	put(e, 3, 0, ev, sizeof(ev));
}
static long c_execve(struct env *e) { return S(SYS_execve, O(0), O(1), O(3)); }
static long c_execveat(struct env *e) { return S(SYS_execveat, AT_FDCWD, O(0), O(1), O(3), 0); }

/* a range bound to node 0 gets node 0 as its home */
#ifndef SYS_set_mempolicy_home_node
#define SYS_set_mempolicy_home_node 450
#endif
static void home_setup(struct env *e)
{
	uint64_t m = 1;

	if (syscall(SYS_mbind, PG(0), PAGE, 2 /* MPOL_BIND */, &m, 65, 0))
		exit(2);
}
static long c_set_mempolicy_home_node(struct env *e) { return S(SYS_set_mempolicy_home_node, PG(0), PAGE, 0, 0); }
static void home_teardown(struct env *e) { syscall(SYS_mbind, PG(0), PAGE, 0, NULL, 0, 0); }

/* mremap to the same size: the mapping stays where it is */
static long c_mremap(struct env *e)
{
	long r = S(SYS_mremap, PG(0), PAGE, PAGE, 0, 0);

	return r == PG(0) ? 0 : r;
}
/* mmap with the object's page as a hint: taken, so the kernel maps
   elsewhere; the hint is only an address */
static long c_mmap(struct env *e)
{
	long r = S(SYS_mmap, PG(0), PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (r < 0 && r > -4096)
		return r;
	munmap((void *)r, PAGE);
	return r == PG(0) ? 1 : 0;
}

/* ---- the cases ------------------------------------------------------- */

#define C(n, s0, s1, s2, s3, su, fi, ca, td) \
	{ #n, SYS_##n, { s0, s1, s2, s3 }, su, fi, ca, td }

static const struct ucase cases[] = {
	C(read, 4096, 0, 0, 0, pipe_setup, fill_none, c_read, fds_close),
	C(write, 5, 0, 0, 0, pipe_setup, fill_hello, c_write, fds_close),
	C(pread64, 64, 0, 0, 0, file_setup, fill_none, c_pread, file_teardown),
	C(pwrite64, 5, 0, 0, 0, file_setup, fill_hello, c_pwrite, file_teardown),
	C(readv, 32, 2, 64, 0, pipe_setup, fill_iov2_out, c_readv, fds_close),
	C(writev, 32, 3, 5, 0, pipe_setup, fill_iov2, c_writev, fds_close),
	C(preadv, 32, 2, 64, 0, file_setup, fill_iov2_out, c_preadv, file_teardown),
	C(pwritev, 32, 3, 5, 0, file_setup, fill_iov2, c_pwritev, file_teardown),
	C(preadv2, 32, 2, 64, 0, file_setup, fill_iov2_out, c_preadv2, file_teardown),
	C(pwritev2, 32, 3, 5, 0, file_setup, fill_iov2, c_pwritev2, file_teardown),
	C(stat, 128, 144, 0, 0, path_setup, fill_path, c_stat, path_teardown),
	C(lstat, 128, 144, 0, 0, path_setup, fill_path, c_lstat, path_teardown),
	C(fstat, 144, 0, 0, 0, file_setup, fill_none, c_fstat, file_teardown),
	C(newfstatat, 128, 144, 0, 0, path_setup, fill_path, c_newfstatat, path_teardown),
	C(statx, 128, 256, 0, 0, path_setup, fill_path, c_statx, path_teardown),
	C(access, 128, 0, 0, 0, path_setup, fill_path, c_access, path_teardown),
	C(faccessat, 128, 0, 0, 0, path_setup, fill_path, c_faccessat, path_teardown),
	C(faccessat2, 128, 0, 0, 0, path_setup, fill_path, c_faccessat2, path_teardown),
	C(open, 128, 0, 0, 0, path_setup, fill_path, c_open, path_teardown),
	C(openat, 128, 0, 0, 0, path_setup, fill_path, c_openat, path_teardown),
	C(truncate, 128, 0, 0, 0, path_setup, fill_path, c_truncate, path_teardown),
	C(chdir, 128, 0, 0, 0, NULL, fill_dir, c_chdir, NULL),
	C(getcwd, 4096, 0, 0, 0, NULL, fill_none, c_getcwd, NULL),
	C(readlink, 128, 4096, 0, 0, symlink_setup, fill_path, c_readlink, path_teardown),
	C(readlinkat, 128, 4096, 0, 0, symlink_setup, fill_path, c_readlinkat, path_teardown),
	C(statfs, 128, 120, 0, 0, NULL, fill_dir, c_statfs, NULL),
	C(fstatfs, 120, 0, 0, 0, file_setup, fill_none, c_fstatfs, file_teardown),
	C(uname, 390, 0, 0, 0, NULL, fill_none, c_uname, NULL),
	C(sysinfo, 112, 0, 0, 0, NULL, fill_none, c_sysinfo, NULL),
	C(times, 32, 0, 0, 0, NULL, fill_none, c_times, NULL),
	C(getrlimit, 16, 0, 0, 0, NULL, fill_none, c_getrlimit, NULL),
	C(setrlimit, 16, 0, 0, 0, NULL, fill_rlimit, c_setrlimit, NULL),
	C(prlimit64, 16, 0, 0, 0, NULL, fill_none, c_prlimit_get, NULL),
	{ "prlimit64_set", SYS_prlimit64, { 16 }, NULL, fill_rlimit, c_prlimit_set, NULL },
	C(getrusage, 144, 0, 0, 0, NULL, fill_none, c_getrusage, NULL),
	C(gettimeofday, 16, 8, 0, 0, NULL, fill_none, c_gettimeofday, NULL),
	C(clock_gettime, 16, 0, 0, 0, NULL, fill_none, c_clock_gettime, NULL),
	C(clock_getres, 16, 0, 0, 0, NULL, fill_none, c_clock_getres, NULL),
	C(nanosleep, 16, 16, 0, 0, NULL, fill_ts_small, c_nanosleep, NULL),
	C(clock_nanosleep, 16, 16, 0, 0, NULL, fill_ts_small, c_clock_nanosleep, NULL),
	C(getresuid, 4, 4, 4, 0, NULL, fill_none, c_getresuid, NULL),
	C(getresgid, 4, 4, 4, 0, NULL, fill_none, c_getresgid, NULL),
	C(getgroups, 256, 0, 0, 0, NULL, fill_none, c_getgroups, NULL),
	C(pipe, 8, 0, 0, 0, NULL, fill_none, c_pipe, NULL),
	C(pipe2, 8, 0, 0, 0, NULL, fill_none, c_pipe2, NULL),
	C(socketpair, 8, 0, 0, 0, NULL, fill_none, c_socketpair, NULL),
	C(rt_sigaction, 32, 32, 0, 0, NULL, fill_sigact, c_rt_sigaction, NULL),
	C(rt_sigprocmask, 8, 8, 0, 0, NULL, fill_sigset, c_rt_sigprocmask, NULL),
	C(rt_sigpending, 8, 0, 0, 0, NULL, fill_none, c_rt_sigpending, NULL),
	C(sigaltstack, 24, 0, 0, 0, NULL, fill_none, c_sigaltstack, NULL),
	C(getitimer, 32, 0, 0, 0, NULL, fill_none, c_getitimer, NULL),
	C(setitimer, 32, 32, 0, 0, NULL, fill_itimer, c_setitimer, NULL),
	C(poll, 16, 0, 0, 0, pipe_setup, fill_pollfd, c_poll, fds_close),
	C(ppoll, 16, 16, 0, 0, pipe_setup, fill_pollfd_ts, c_ppoll, fds_close),
	C(select, 128, 16, 0, 0, pipe_setup, fill_fdset, c_select, fds_close),
	{ "select_timeout", SYS_select, { 128, 16 }, pipe_setup, fill_fdset_1s, c_select, fds_close },
	{ "pselect6_timeout", SYS_pselect6, { 128, 16 }, pipe_setup, fill_fdset_1s, c_pselect6, fds_close },
	{ "ppoll_timeout", SYS_ppoll, { 16, 16 }, pipe_setup, fill_pollfd_1s, c_ppoll, fds_close },
	C(pselect6, 128, 16, 0, 0, pipe_setup, fill_fdset, c_pselect6, fds_close),
	{ "pselect6_sigmask", SYS_pselect6, { 128, 16, 16, 8 }, pipe_setup, fill_fdset_sigmask, c_pselect6_sigmask, fds_close },
	C(sched_getaffinity, 1024, 0, 0, 0, NULL, fill_none, c_sched_getaffinity, NULL),
	C(sched_getparam, 4, 0, 0, 0, NULL, fill_none, c_sched_getparam, NULL),
	C(sched_rr_get_interval, 16, 0, 0, 0, NULL, fill_none, c_sched_rr, NULL),
	C(getcpu, 4, 4, 0, 0, NULL, fill_none, c_getcpu, NULL),
	C(getrandom, 16, 0, 0, 0, NULL, fill_none, c_getrandom, NULL),
	C(epoll_ctl, 12, 0, 0, 0, epoll_setup, fill_epev, c_epoll_ctl, fds_close),
	C(epoll_wait, 48, 0, 0, 0, epoll_setup, fill_none, c_epoll_wait, fds_close),
	C(epoll_pwait, 48, 0, 0, 0, epoll_setup, fill_none, c_epoll_pwait, fds_close),
	C(timerfd_settime, 32, 32, 0, 0, tfd_setup, fill_itspec, c_tfd_settime, fds_close),
	C(timerfd_gettime, 32, 0, 0, 0, tfd_setup, fill_none, c_tfd_gettime, fds_close),
	C(recvfrom, 64, 0, 0, 0, sock_setup, fill_none, c_recvfrom, fds_close),
	C(sendto, 5, 0, 0, 0, sock_setup, fill_hello, c_sendto, fds_close),
	C(recvmsg, 56, 110, 16, 64, sock_setup, fill_msg_out, c_recvmsg, fds_close),
	C(sendmsg, 56, 16, 5, 0, sock_setup, fill_msg_in, c_sendmsg, fds_close),
	C(getsockname, 110, 4, 0, 0, sock_setup, fill_none_sock, c_getsockname, fds_close),
	C(getsockopt, 4, 4, 0, 0, sock_setup, fill_socklen4, c_getsockopt, fds_close),
	C(setsockopt, 4, 0, 0, 0, sock_setup, fill_int1, c_setsockopt, fds_close),
	C(bind, 110, 0, 0, 0, sock_bind_setup, fill_sun, c_bind, fds_close),
	C(mkdir, 128, 0, 0, 0, NULL, fill_mkdir, c_mkdir, path_teardown),
	C(rmdir, 128, 0, 0, 0, mkdir_setup, fill_mkdir, c_rmdir, path_teardown),
	C(unlink, 128, 0, 0, 0, path_setup, fill_path, c_unlink, path_teardown),
	C(rename, 128, 128, 0, 0, path_setup, fill_two_paths, c_rename, path_teardown),
	C(link, 128, 128, 0, 0, path_setup, fill_two_paths, c_link, path_teardown),
	C(symlink, 128, 128, 0, 0, NULL, fill_two_paths, c_symlink, path_teardown),
	C(chmod, 128, 0, 0, 0, path_setup, fill_path, c_chmod, path_teardown),
	C(utimensat, 128, 32, 0, 0, path_setup, fill_utimes, c_utimensat, path_teardown),
	C(time, 8, 0, 0, 0, NULL, fill_none, c_time, NULL),
	C(capget, 8, 24, 0, 0, NULL, fill_caphdr, c_capget, NULL),
	C(mincore, 16, 0, 0, 0, NULL, fill_none, c_mincore, NULL),
	C(ioctl, 4, 0, 0, 0, pipe_setup, fill_none, c_ioctl_fionread, fds_close),
	C(wait4, 4, 144, 0, 0, NULL, fill_none, c_wait4, NULL),
	C(memfd_create, 16, 0, 0, 0, NULL, fill_memfd, c_memfd_create, NULL),
	C(getdents64, 4096, 0, 0, 0, dir_setup, fill_none, c_getdents64, fds_close),
	C(setxattr, 128, 16, 5, 0, xattr_setup, fill_xattr, c_setxattr, path_teardown),
	C(lsetxattr, 128, 16, 5, 0, xattr_setup, fill_xattr, c_lsetxattr, path_teardown),
	C(getxattr, 128, 16, 64, 0, xattr_setup, fill_xattr, c_getxattr, path_teardown),
	C(lgetxattr, 128, 16, 64, 0, xattr_setup, fill_xattr, c_lgetxattr, path_teardown),
	C(listxattr, 128, 0, 64, 0, xattr_setup, fill_xattr, c_listxattr, path_teardown),
	C(llistxattr, 128, 0, 64, 0, xattr_setup, fill_xattr, c_llistxattr, path_teardown),
	C(removexattr, 128, 16, 0, 0, xattr_setup, fill_xattr, c_removexattr, path_teardown),
	C(lremovexattr, 128, 16, 0, 0, xattr_setup, fill_xattr, c_lremovexattr, path_teardown),
	C(fsetxattr, 0, 16, 5, 0, fxattr_setup, fill_fxattr, c_fsetxattr, file_teardown),
	C(fgetxattr, 0, 16, 64, 0, fxattr_setup, fill_fxattr, c_fgetxattr, file_teardown),
	C(flistxattr, 0, 0, 64, 0, fxattr_setup, fill_fxattr, c_flistxattr, file_teardown),
	C(fremovexattr, 0, 16, 0, 0, fxattr_setup, fill_fxattr, c_fremovexattr, file_teardown),
	C(mkdirat, 128, 0, 0, 0, NULL, fill_at_path, c_mkdirat, path_teardown),
	C(unlinkat, 128, 0, 0, 0, path_setup, fill_at_path, c_unlinkat, path_teardown),
	C(renameat, 128, 128, 0, 0, path_setup, fill_two_paths, c_renameat, path_teardown),
	C(renameat2, 128, 128, 0, 0, path_setup, fill_two_paths, c_renameat2, path_teardown),
	C(linkat, 128, 128, 0, 0, path_setup, fill_two_paths, c_linkat, path_teardown),
	C(symlinkat, 128, 128, 0, 0, NULL, fill_two_paths, c_symlinkat, path_teardown),
	C(fchmodat, 128, 0, 0, 0, path_setup, fill_at_path, c_fchmodat, path_teardown),
	C(fchownat, 128, 0, 0, 0, path_setup, fill_at_path, c_fchownat, path_teardown),
	C(chown, 128, 0, 0, 0, path_setup, fill_at_path, c_chown, path_teardown),
	C(lchown, 128, 0, 0, 0, path_setup, fill_at_path, c_lchown, path_teardown),
	C(creat, 128, 0, 0, 0, NULL, fill_at_path, c_creat, path_teardown),
	C(mknod, 128, 0, 0, 0, NULL, fill_at_path, c_mknod, path_teardown),
	C(mknodat, 128, 0, 0, 0, NULL, fill_at_path, c_mknodat, path_teardown),
	C(inotify_add_watch, 128, 0, 0, 0, inotify_setup, fill_at_path, c_inotify_add_watch, path_teardown),
	C(utime, 128, 16, 0, 0, path_setup, fill_utimbuf, c_utime, path_teardown),
	C(utimes, 128, 32, 0, 0, path_setup, fill_timeval2, c_utimes, path_teardown),
	C(futimesat, 128, 32, 0, 0, path_setup, fill_timeval2, c_futimesat, path_teardown),
	C(splice, 8, 0, 0, 0, splice_setup, fill_splice_off, c_splice, file_teardown),
	C(sendfile, 8, 0, 0, 0, splice_setup, fill_splice_off, c_sendfile, file_teardown),
	C(copy_file_range, 8, 0, 0, 0, cfr_setup, fill_splice_off, c_copy_file_range, cfr_teardown),
	C(vmsplice, 32, 3, 5, 0, pipe_setup, fill_iov2, c_vmsplice, fds_close),
	C(rt_sigqueueinfo, 128, 0, 0, 0, ign_setup, fill_siginfo, c_rt_sigqueueinfo, NULL),
	C(rt_tgsigqueueinfo, 128, 0, 0, 0, ign_setup, fill_siginfo, c_rt_tgsigqueueinfo, NULL),
	C(sched_setaffinity, 8, 0, 0, 0, NULL, fill_affinity, c_sched_setaffinity, NULL),
	C(sched_setparam, 4, 0, 0, 0, NULL, fill_param0, c_sched_setparam, NULL),
	C(sched_setscheduler, 4, 0, 0, 0, NULL, fill_param0, c_sched_setscheduler, NULL),
	C(sched_getattr, 56, 0, 0, 0, NULL, fill_none, c_sched_getattr, NULL),
	C(timer_create, 64, 4, 0, 0, NULL, fill_sigevent, c_timer_create, NULL),
	C(timer_settime, 32, 32, 0, 0, timer_setup, fill_itspec, c_timer_settime, timer_teardown),
	C(timer_gettime, 32, 0, 0, 0, timer_setup, fill_none, c_timer_gettime, timer_teardown),
	C(futex, 4, 0, 0, 0, NULL, fill_word5, c_futex_wait, NULL),
	C(get_robust_list, 8, 8, 0, 0, NULL, fill_none, c_get_robust_list, NULL),
	C(prctl, 16, 0, 0, 0, NULL, fill_none, c_prctl_get_name, NULL),
	C(arch_prctl, 8, 0, 0, 0, NULL, fill_none, c_arch_prctl_get_fs, NULL),
	C(waitid, 128, 144, 0, 0, NULL, fill_none, c_waitid, NULL),
	C(openat2, 128, 24, 0, 0, path_setup, fill_how, c_openat2, path_teardown),
	C(clone3, 88, 0, 0, 0, NULL, fill_clone_args, c_clone3, NULL),
	C(signalfd, 8, 0, 0, 0, NULL, fill_mask8, c_signalfd, NULL),
	C(signalfd4, 8, 0, 0, 0, NULL, fill_mask8, c_signalfd4, NULL),
	C(epoll_pwait2, 48, 16, 0, 0, epoll_setup, fill_ts1, c_epoll_pwait2, fds_close),
	C(accept, 110, 4, 0, 0, stream_setup, fill_none_sock, c_accept, stream_teardown),
	C(accept4, 110, 4, 0, 0, stream_setup, fill_none_sock, c_accept4, stream_teardown),
	C(getpeername, 110, 4, 0, 0, stream_setup, fill_none_sock, c_getpeername, stream_teardown),
	C(connect, 110, 0, 0, 0, listen_setup, fill_lsun, c_connect, stream_teardown),
	C(capset, 8, 24, 0, 0, NULL, fill_capset, c_capset, NULL),
	C(getdents, 4096, 0, 0, 0, dir_setup, fill_none, c_getdents, fds_close),
	C(set_tid_address, 4, 0, 0, 0, NULL, fill_none, c_set_tid_address, NULL),
	C(set_robust_list, 24, 0, 0, 0, NULL, fill_none, c_set_robust_list, robust_teardown),
	{ "clone", SYS_clone, { 4 }, NULL, fill_none, c_clone_settid, NULL },
	{ "clone3_settid", SYS_clone3, { 88, 4 }, NULL, fill_clone_args_settid, c_clone3, NULL },
	C(semop, 6, 0, 0, 0, sem_setup, fill_sembuf, c_semop, sem_teardown),
	C(semtimedop, 6, 16, 0, 0, sem_setup, fill_sembuf_ts, c_semtimedop, sem_teardown),
	C(semctl, 104, 0, 0, 0, sem_setup, fill_none, c_semctl_stat, sem_teardown),
	C(shmctl, 112, 0, 0, 0, shm_setup, fill_none, c_shmctl_stat, shm_teardown),
	C(msgsnd, 16, 0, 0, 0, msg_setup, fill_msgbuf, c_msgsnd, msg_teardown),
	C(msgrcv, 72, 0, 0, 0, msg_setup, fill_none, c_msgrcv, msg_teardown),
	C(msgctl, 120, 0, 0, 0, msg_setup, fill_none, c_msgctl_stat, msg_teardown),
	C(setgroups, 256, 0, 0, 0, NULL, fill_gids, c_setgroups, NULL),
	C(rt_sigtimedwait, 8, 128, 16, 0, sigwait_setup, fill_sigwait, c_rt_sigtimedwait, NULL),
	C(mq_open, 32, 64, 0, 0, NULL, fill_mqname, c_mq_open, mq_teardown),
	C(mq_unlink, 32, 0, 0, 0, mq_setup, fill_mqname_only, c_mq_unlink, mq_teardown),
	C(mq_timedsend, 5, 0, 0, 0, mq_setup, fill_hello, c_mq_timedsend, mq_teardown),
	C(mq_timedreceive, 16, 4, 0, 0, mq_setup, fill_none, c_mq_timedreceive, mq_teardown),
	C(mq_getsetattr, 64, 0, 0, 0, mq_setup, fill_none, c_mq_getsetattr, mq_teardown),
	C(recvmmsg, 128, 32, 16, 16, mmsg_setup, fill_mmsg_out, c_recvmmsg, fds_close),
	C(sendmmsg, 128, 32, 3, 4, sock_setup, fill_mmsg_in, c_sendmmsg, fds_close),
	C(name_to_handle_at, 128, 136, 4, 0, path_setup, fill_handle, c_name_to_handle_at, path_teardown),
	C(process_vm_readv, 16, 16, 12, 0, NULL, fill_pvm, c_process_vm_readv, NULL),
	C(process_vm_writev, 16, 16, 12, 0, NULL, fill_pvm, c_process_vm_writev, NULL),
	C(sched_setattr, 56, 0, 0, 0, NULL, fill_sched_attr, c_sched_setattr, NULL),
	C(seccomp, 4, 0, 0, 0, NULL, fill_action, c_seccomp_action, NULL),
	C(pidfd_send_signal, 128, 0, 0, 0, pidfd_setup, fill_siginfo, c_pidfd_send_signal, NULL),
	C(futex_waitv, 24, 4, 0, 0, NULL, futexv_fill, c_futex_waitv, NULL),
	C(futex_wait, 4, 0, 0, 0, NULL, fill_word5, c_futex_wait2, NULL),
	C(cachestat, 16, 40, 0, 0, file_setup, fill_cstat, c_cachestat, file_teardown),
	C(fchmodat2, 128, 0, 0, 0, path_setup, fill_at_path, c_fchmodat2, path_teardown),
	C(listmount, 24, 32, 0, 0, NULL, fill_listmount, c_listmount, NULL),
	C(lsm_list_modules, 64, 4, 0, 0, NULL, fill_lsm, c_lsm_list_modules, NULL),
	C(get_mempolicy, 4, 16, 0, 0, NULL, fill_mempolicy, c_get_mempolicy, NULL),
	C(open_tree, 128, 0, 0, 0, NULL, fill_tree_path, c_open_tree, NULL),
	C(fspick, 128, 0, 0, 0, NULL, fill_root, c_fspick, NULL),
	C(fcntl, 32, 0, 0, 0, file_setup, fill_flock, c_fcntl_getlk, file_teardown),
	{ "fcntl_setlk", SYS_fcntl, { 32 }, file_setup, fill_flock, c_fcntl_setlk, file_teardown },
	{ "fcntl_ofd_getlk", SYS_fcntl, { 32 }, file_setup, fill_flock, c_fcntl_ofd_getlk, file_teardown },
	{ "fcntl_getown_ex", SYS_fcntl, { 8 }, file_setup, fill_none, c_fcntl_getown_ex, file_teardown },
	{ "fcntl_setown_ex", SYS_fcntl, { 8 }, file_setup, fill_owner, c_fcntl_setown_ex, file_teardown },
	C(rt_sigsuspend, 8, 0, 0, 0, suspend_setup, fill_empty_mask, c_rt_sigsuspend, NULL),
	C(mq_notify, 64, 0, 0, 0, mq_setup, fill_sigevent, c_mq_notify, mq_teardown),
	C(add_key, 8, 16, 7, 0, NULL, fill_key, c_add_key, NULL),
	C(request_key, 8, 16, 0, 0, key_setup, fill_key, c_request_key, NULL),
	C(perf_event_open, 128, 0, 0, 0, NULL, fill_perf_attr, c_perf_event_open, NULL),
	C(fanotify_mark, 128, 0, 0, 0, fan_setup, fill_at_path, c_fanotify_mark, path_teardown),
	C(io_setup, 8, 0, 0, 0, NULL, fill_zero8, c_io_setup, NULL),
	C(open_by_handle_at, 136, 0, 0, 0, handle_setup, fill_handle_in, c_open_by_handle_at, path_teardown),
	C(modify_ldt, 64, 0, 0, 0, NULL, fill_none, c_modify_ldt_read, NULL),
	C(syslog, 64, 0, 0, 0, NULL, fill_none, c_syslog, NULL),
	C(fsopen, 16, 0, 0, 0, NULL, fill_fsname, c_fsopen, NULL),
	C(fsconfig, 8, 4, 0, 0, fsopen_setup, fill_fsconfig, c_fsconfig, fds_close),
	C(futex_wake, 4, 0, 0, 0, NULL, fill_word5, c_futex_wake, NULL),
	C(futex_requeue, 48, 4, 4, 0, NULL, fill_requeue, c_futex_requeue, NULL),
	C(process_madvise, 16, 0, 0, 0, pmadv_setup, fill_pmadv, c_process_madvise, NULL),
	C(setxattrat, 128, 16, 5, 16, xattrat_setup, fill_xattrat, c_setxattrat, path_teardown),
	C(getxattrat, 128, 16, 64, 16, xattrat_setup, fill_xattrat_get, c_getxattrat, path_teardown),
	C(listxattrat, 128, 0, 64, 0, xattrat_setup, fill_xattrat_get, c_listxattrat, path_teardown),
	C(removexattrat, 128, 16, 0, 0, xattrat_setup, fill_xattrat_get, c_removexattrat, path_teardown),
	C(file_getattr, 128, 24, 0, 0, path_setup, fill_fattr, c_file_getattr, path_teardown),
	C(file_setattr, 128, 24, 0, 0, path_setup, fill_fattr, c_file_setattr, path_teardown),
	C(io_uring_setup, 120, 0, 0, 0, NULL, fill_zero120, c_io_uring_setup, NULL),
	C(bpf, 20, 0, 0, 0, NULL, fill_map_create, c_bpf_map_create, NULL),
	{ "keyctl", SYS_keyctl, { 256 }, key_make, fill_none, c_keyctl_describe, NULL },
	{ "keyctl_read", SYS_keyctl, { 64 }, key_make, fill_none, c_keyctl_read, NULL },
	{ "keyctl_search", SYS_keyctl, { 8, 16 }, key_make, fill_search, c_keyctl_search, NULL },
	{ "keyctl_update", SYS_keyctl, { 7 }, key_make, fill_payload, c_keyctl_update, NULL },
	{ "ioctl_tcgets", SYS_ioctl, { 60 }, pty_setup, fill_none, c_ioctl_tcgets, fds_close },
	{ "ioctl_tiocgwinsz", SYS_ioctl, { 8 }, pty_setup, fill_none, c_ioctl_gwinsz, fds_close },
	{ "ioctl_tiocswinsz", SYS_ioctl, { 8 }, pty_setup, fill_winsz, c_ioctl_swinsz, fds_close },
	{ "ioctl_fionbio", SYS_ioctl, { 4 }, pty_setup, fill_int1, c_ioctl_fionbio, fds_close },
	{ "ioctl_tiocgptn", SYS_ioctl, { 4 }, pty_setup, fill_none, c_ioctl_tiocgptn, fds_close },
	C(madvise, 4096, 0, 0, 0, NULL, fill_none, c_madvise, NULL),
	C(msync, 4096, 0, 0, 0, NULL, fill_none, c_msync, NULL),
	C(munlock, 4096, 0, 0, 0, munlock_setup, fill_none, c_munlock, NULL),
	C(mlock2, 4096, 0, 0, 0, NULL, fill_none, c_mlock2, NULL),
	C(adjtimex, 208, 0, 0, 0, NULL, fill_zero208, c_adjtimex, NULL),
	C(clock_adjtime, 208, 0, 0, 0, NULL, fill_zero208, c_clock_adjtime, NULL),
	C(set_mempolicy, 8, 0, 0, 0, NULL, fill_node0, c_set_mempolicy, NULL),
	C(mbind, 8, 4096, 0, 0, NULL, fill_node0, c_mbind, mbind_teardown),
	C(migrate_pages, 8, 8, 0, 0, NULL, fill_node0, c_migrate_pages, NULL),
	C(move_pages, 16, 0, 8, 8, NULL, fill_pages, c_move_pages, NULL),
	{ "move_pages_nodes", SYS_move_pages, { 16, 8, 8, 8 }, NULL, fill_pages_nodes, c_move_pages_nodes, NULL },
	C(statmount, 24, 1024, 0, 0, NULL, fill_statmount, c_statmount, NULL),
	C(landlock_create_ruleset, 8, 0, 0, 0, NULL, fill_ll_attr, c_landlock_create_ruleset, NULL),
	C(landlock_add_rule, 12, 0, 0, 0, ll_setup, fill_ll_rule, c_landlock_add_rule, fds_close),
	C(io_getevents, 64, 16, 0, 0, aio_done_setup, fill_ts_1s, c_io_getevents, aio_teardown),
	C(io_pgetevents, 64, 16, 0, 0, aio_done_setup, fill_ts_1s, c_io_pgetevents, aio_teardown),
	{ "io_pgetevents_sigmask", SYS_io_pgetevents, { 64, 16, 16, 8 }, aio_done_setup, fill_ts_1s_sigmask, c_io_pgetevents_sigmask, aio_teardown },
	C(io_submit, 8, 64, 5, 0, aio_setup, fill_iocb_write, c_io_submit, aio_teardown),
	{ "io_submit_pread", SYS_io_submit, { 8, 64, 64 }, aio_setup, fill_iocb_read, c_io_submit, aio_teardown },
	{ "ptrace", SYS_ptrace, { 8 }, ptrace_setup, fill_none, c_ptrace_peekdata, ptrace_teardown },
	{ "ptrace_getregs", SYS_ptrace, { 216 }, ptrace_setup, fill_none, c_ptrace_getregs, ptrace_teardown },
	{ "ptrace_setregs", SYS_ptrace, { 216 }, ptrace_setup, fill_regs, c_ptrace_setregs, ptrace_teardown },
	{ "ptrace_getfpregs", SYS_ptrace, { 512 }, ptrace_setup, fill_none, c_ptrace_getfpregs, ptrace_teardown },
	C(mount, 8, 128, 8, 0, mntdir_setup, fill_mount, c_mount, mnt_teardown),
	C(umount2, 128, 0, 0, 0, mnt_setup, fill_at_path, c_umount2, path_teardown),
	C(move_mount, 8, 128, 0, 0, move_mount_setup, fill_empty_and_path, c_move_mount, mnt_teardown),
	C(mount_setattr, 128, 32, 0, 0, mnt_setup, fill_mount_attr, c_mount_setattr, mnt_teardown),
	C(open_tree_attr, 128, 32, 0, 0, mnt_setup, fill_mount_attr, c_open_tree_attr, mnt_teardown),
	C(chroot, 128, 0, 0, 0, NULL, fill_dir, c_chroot, NULL),
	C(sethostname, 12, 0, 0, 0, NULL, fill_hostname, c_sethostname, NULL),
	C(setdomainname, 12, 0, 0, 0, NULL, fill_hostname, c_setdomainname, NULL),
	C(settimeofday, 16, 0, 0, 0, NULL, fill_bad_time, c_settimeofday, NULL),
	C(clock_settime, 16, 0, 0, 0, NULL, fill_bad_time, c_clock_settime, NULL),
	C(io_uring_enter, 24, 16, 0, 0, uring_setup, fill_getevents_arg, c_io_uring_enter, fds_close),
	{ "io_uring_enter_wait", SYS_io_uring_enter, { 24, 16, 8 }, uring_setup, fill_getevents_wait, c_io_uring_enter_wait, fds_close },
	C(io_uring_register, 8, 0, 0, 0, uring_setup, fill_files, c_io_uring_register_files, fds_close),
	{ "io_uring_register_probe", SYS_io_uring_register, { 48 }, uring_setup, fill_zero48, c_io_uring_register_probe, fds_close },
	C(io_cancel, 64, 32, 0, 0, NULL, fill_none, c_io_cancel, NULL),
	C(ustat, 32, 0, 0, 0, NULL, fill_none, c_ustat, NULL),
	C(mprotect, 4096, 0, 0, 0, NULL, fill_none, c_mprotect, guard_back),
	C(pkey_mprotect, 4096, 0, 0, 0, NULL, fill_none, c_pkey_mprotect, guard_back),
	C(swapoff, 128, 0, 0, 0, path_setup, fill_at_path, c_swapoff, path_teardown),
	C(pivot_root, 128, 128, 0, 0, pivot_setup, fill_pivot, c_pivot_root, pivot_teardown),
	C(lsm_get_self_attr, 64, 4, 0, 0, NULL, fill_lsm_size, c_lsm_get_self_attr, NULL),
	C(lsm_set_self_attr, 64, 0, 0, 0, NULL, fill_lsm_ctx, c_lsm_set_self_attr, NULL),
	C(execve, 128, 16, 2, 8, noexec_setup, fill_exec, c_execve, path_teardown),
	C(execveat, 128, 16, 2, 8, noexec_setup, fill_exec, c_execveat, path_teardown),
	C(set_mempolicy_home_node, 4096, 0, 0, 0, home_setup, fill_none, c_set_mempolicy_home_node, home_teardown),
	C(mremap, 4096, 0, 0, 0, NULL, fill_none, c_mremap, NULL),
	C(mmap, 4096, 0, 0, 0, NULL, fill_none, c_mmap, NULL),
	{ "ptrace_getsiginfo", SYS_ptrace, { 128 }, ptrace_setup, fill_none, c_ptrace_getsiginfo, ptrace_teardown },
};
#define NCASES (sizeof(cases) / sizeof(cases[0]))

/* ---- the driver ------------------------------------------------------ */

static struct env env;

static void env_init(void)
{
	for (int i = 0; i < NOBJ; i++) {
		uint8_t *m = mmap(NULL, 2 * REGION, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (m == MAP_FAILED || mprotect(m + REGION, REGION, PROT_NONE))
			exit(2);
		env.rw[i] = m;
	}
	for (int i = 0; i < 4; i++)
		env.fd[i] = -1;
	snprintf(env.dir, sizeof(env.dir), "%s/limen-oracle.%010d",
		 getenv("TMPDIR") && strlen(getenv("TMPDIR")) < 32 ?
		 getenv("TMPDIR") : "/tmp", getpid());
	mkdir(env.dir, 0755);
	snprintf(env.path, sizeof(env.path), "%s/f", env.dir);
	snprintf(env.path2, sizeof(env.path2), "%s/g", env.dir);
}

/* placement: -1 normal (start of the RW part), otherwise the object's
   start as an offset from its guard (negative: before it) */
#define NORMAL (-(long)REGION - 1)
static long place_off[NOBJ];

static void place(const struct ucase *c)
{
	for (int i = 0; i < NOBJ; i++) {
		env.sz[i] = c->sz[i];
		env.o[i] = place_off[i] == NORMAL ? env.rw[i] + 64 :
			   env.rw[i] + REGION + place_off[i];
	}
}

static void canary(uint8_t v)
{
	for (int i = 0; i < NOBJ; i++)
		memset(env.rw[i], v, REGION);
}

static uint8_t snap[NOBJ][REGION];

/*
 * Direction, with userfaultfd (root, or vm.unprivileged_userfaultfd): the
 * objects' pages are write-protected during the call; a thread of ours
 * takes each write fault, notes its page and lets the kernel go on. A
 * range logged as a write must be on a page the kernel wrote; an object
 * with reads only must see no write at all.
 */
static int uffd = -1;
static volatile uint64_t wp_faults[64];
static volatile int nwp;

static void *uffd_loop(void *arg)
{
	(void)arg;
	for (;;) {
		struct pollfd pf = { uffd, POLLIN, 0 };
		struct uffd_msg m;
		struct uffdio_writeprotect wp;

		if (poll(&pf, 1, -1) < 0 || read(uffd, &m, sizeof(m)) != sizeof(m))
			continue;
		if (m.event != UFFD_EVENT_PAGEFAULT ||
		    !(m.arg.pagefault.flags & UFFD_PAGEFAULT_FLAG_WP))
			continue;
		if (nwp < 64)
			wp_faults[nwp] = m.arg.pagefault.address;
		__atomic_add_fetch(&nwp, 1, __ATOMIC_SEQ_CST);
		wp.range.start = m.arg.pagefault.address & ~(PAGE - 1);
		wp.range.len = PAGE;
		wp.mode = 0;
		ioctl(uffd, UFFDIO_WRITEPROTECT, &wp);
	}
	return NULL;
}

static int uffd_init(void)
{
	struct uffdio_api api = { UFFD_API, 0, 0 };
	pthread_t t;

	uffd = (int)syscall(SYS_userfaultfd, O_CLOEXEC);
	if (uffd < 0 || ioctl(uffd, UFFDIO_API, &api))
		goto no;
	for (int i = 0; i < NOBJ; i++) {
		struct uffdio_register reg = {
			{ (uint64_t)(uintptr_t)env.rw[i], REGION },
			UFFDIO_REGISTER_MODE_WP, 0 };

		memset(env.rw[i], 0, REGION); /* write protection needs pages */
		if (ioctl(uffd, UFFDIO_REGISTER, &reg))
			goto no;
	}
	if (pthread_create(&t, NULL, uffd_loop, NULL))
		goto no;
	return 1;
no:
	if (uffd >= 0)
		close(uffd);
	uffd = -1;
	return 0;
}

static int protecting;

static void protect(const struct ucase *c, int on)
{
	for (int i = 0; i < NOBJ && uffd >= 0; i++) {
		struct uffdio_writeprotect wp = {
			{ (uint64_t)(uintptr_t)env.rw[i], REGION },
			on ? UFFDIO_WRITEPROTECT_MODE_WP : 0 };

		if (c->sz[i])
			ioctl(uffd, UFFDIO_WRITEPROTECT, &wp);
	}
}

/* One run of a case: returns the call's result; snapshots before. */
static long run(const struct ucase *c, uint8_t can)
{
	long r;

	place(c);
	canary(can);
	if (c->setup)
		c->setup(&env);
	c->fill(&env);
	for (int i = 0; i < NOBJ; i++)
		memcpy(snap[i], env.rw[i], REGION);
	if (protecting) {
		nwp = 0;
		protect(c, 1);
	}
	r = c->call(&env);
	if (protecting)
		protect(c, 0);
	if (c->teardown)
		c->teardown(&env);
	fds_close(&env);
	return r;
}

static void do_log(void)
{
	if (limen_uaccess_register(&slot)) {
		printf("E no uaccess logging here (errno %d)\n", errno);
		exit(3);
	}
	for (size_t k = 0; k < NCASES; k++) {
		const struct ucase *c = &cases[k];
		long r;
		uint64_t n;

		for (int i = 0; i < NOBJ; i++)
			place_off[i] = NORMAL;
		logging = 1;
		r = run(c, 0xa5);
		logging = 0;
		n = (desc.addr - (uint64_t)(uintptr_t)ents) / sizeof(ents[0]);
		printf("C %s %ld %llu\n", c->name, r, (unsigned long long)n);
		for (uint64_t j = 0; j < n; j++) {
			int obj = -1;

			for (int i = 0; i < NOBJ; i++)
				if (c->sz[i] && ents[j].addr >= (uint64_t)(uintptr_t)env.o[i] &&
				    ents[j].addr < (uint64_t)(uintptr_t)env.o[i] + REGION - 64)
					obj = i;
			printf("L %s %d %lld %llu %c\n", c->name, obj,
			       obj < 0 ? 0 : (long long)(ents[j].addr - (uint64_t)(uintptr_t)env.o[obj]),
			       (unsigned long long)ents[j].size,
			       ents[j].flags & UACCESS_BUFFER_FLAG_WRITE ? 'W' : 'R');
		}
	}
}

struct lent {
	int obj;
	long long off;
	unsigned long long size;
	char dir;
};

/* Check one case against the kernel: 0 verified, else prints why not. */
static int check_case(const struct ucase *c, long r0, struct lent *l, int n)
{
	long r;
	int touched[NOBJ] = { 0 };
	static uint8_t changed[NOBJ][REGION];
	int whole[MAXENT] = { 0 };

	memset(changed, 0, sizeof(changed));

	for (int j = 0; j < n; j++) {
		if (l[j].obj < 0) {
			printf("N %s: a range outside the case's objects\n", c->name);
			return 1;
		}
		touched[l[j].obj] = 1;
	}
	for (int i = 0; i < NOBJ; i++)
		place_off[i] = NORMAL;
	r = run(c, 0xa5);
	if (r != r0) {
		printf("N %s: not repeatable bare: %ld, %ld under limen\n",
		       c->name, r, r0);
		return 1;
	}
	/* the range that reaches furthest into each object ends at a
	   guard: as before; one byte over: a fault (ranges inside an object
	   are checked by the canaries, for writes) */
	for (int j = 0; j < n; j++) {
		long end = l[j].off + (long)l[j].size;
		int i = l[j].obj, last = 1;

		for (int k = 0; k < n; k++)
			if (l[k].obj == i &&
			    (l[k].off + (long)l[k].size > end ||
			     (l[k].off + (long)l[k].size == end && k < j)))
				last = 0;
		if (!last)
			continue;

		place_off[i] = -end;
		r = run(c, 0xa5);
		if (r != r0) {
			printf("N %s: range %d (obj %d +%lld %llu %c) too long: "
			       "ending at a guard page gives %ld, not %ld\n",
			       c->name, j, i, l[j].off, l[j].size, l[j].dir, r,
			       r0);
			return 1;
		}
		place_off[i] = -end + 1;
		r = run(c, 0xa5);
		place_off[i] = NORMAL;
		if (r == r0 && l[j].dir == 'W') {
			/* a write whose fault the kernel ignores (clone's
			   parent_tid): the canaries must then show every
			   byte of the range written */
			whole[j] = 1;
			continue;
		}
		if (r == r0) {
			printf("N %s: range %d (obj %d +%lld %llu %c) too short: "
			       "its last byte unmapped still gives %ld\n",
			       c->name, j, i, l[j].off, l[j].size, l[j].dir, r);
			return 1;
		}
	}
	/* objects with no range: wholly unmapped, the call is the same */
	for (int i = 0; i < NOBJ; i++) {
		if (!c->sz[i] || touched[i])
			continue;
		place_off[i] = 0;
		r = run(c, 0xa5);
		place_off[i] = NORMAL;
		if (r != r0) {
			printf("N %s: object %d has no range but the kernel "
			       "touches it: %ld unmapped, %ld mapped\n",
			       c->name, i, r, r0);
			return 1;
		}
	}
	/* direction: writes on written pages, reads on untouched ones */
	if (uffd >= 0) {
		protecting = 1;
		r = run(c, 0xa5);
		protecting = 0;
		for (int i = 0; i < NOBJ; i++) {
			uint64_t lo = (uint64_t)(uintptr_t)env.rw[i];
			int w = 0, logged_w = 0, logged = 0;

			for (int k = 0; k < nwp && k < 64; k++)
				if (wp_faults[k] >= lo && wp_faults[k] < lo + REGION)
					w = 1;
			for (int k = 0; k < n; k++)
				if (l[k].obj == i) {
					logged = 1;
					logged_w |= l[k].dir == 'W';
				}
			if (logged && w != logged_w) {
				printf("N %s: object %d: logged as %s, the kernel "
				       "%s it (userfaultfd)\n", c->name, i,
				       logged_w ? "written" : "read only",
				       w ? "wrote" : "did not write");
				return 1;
			}
		}
	}
	/* every byte changed lies in a write range (the canaries); a byte
	   of a write range that was canary before the call and still is,
	   with both canaries, was not written: the range claims too much */
	static uint8_t kept[NOBJ][REGION];

	/* three canaries: a random byte (getrandom) equals all three one
	   time in 2^24 */
	static const uint8_t canaries[3] = { 0xa5, 0x5a, 0x3c };

	for (int pass = 0; pass < 3; pass++) {
		uint8_t can = canaries[pass];

		r = run(c, can);
		for (int i = 0; i < NOBJ; i++) {
			if (!c->sz[i])
				continue;
			for (size_t b = 0; b < REGION; b++) {
				uint8_t *p = env.rw[i] + b;
				long off = p - env.o[i];
				int in = 0;

				if (!pass)
					kept[i][b] = *p == can && snap[i][b] == can;
				else if (pass == 1)
					kept[i][b] &= *p == can && snap[i][b] == can;
				else if (kept[i][b] && *p == can &&
					 snap[i][b] == can)
					for (int k = 0; k < n; k++)
						if (l[k].obj == i &&
						    l[k].dir == 'W' &&
						    off >= l[k].off &&
						    off < l[k].off + (long)l[k].size) {
							printf("N %s: object %d "
							       "byte %ld logged as "
							       "written, never "
							       "written\n",
							       c->name, i, off);
							return 1;
						}
				if (*p == snap[i][b])
					continue;
				changed[i][b] = 1;
				for (int k = 0; k < n; k++)
					if (l[k].obj == i && l[k].dir == 'W' &&
					    off >= l[k].off &&
					    off < l[k].off + (long)l[k].size)
						in = 1;
				if (!in) {
					printf("N %s: object %d byte %ld written "
					       "outside the logged ranges\n",
					       c->name, i, off);
					return 1;
				}
			}
		}
	}
	for (int j = 0; j < n; j++) {
		uint8_t *base = env.o[l[j].obj] - env.rw[l[j].obj] + changed[l[j].obj];

		if (!whole[j])
			continue;
		for (unsigned long long b = 0; b < l[j].size; b++)
			if (!base[l[j].off + (long long)b]) {
				printf("N %s: range %d (obj %d +%lld %llu W): its "
				       "fault is ignored and byte %llu is never "
				       "written\n", c->name, j, l[j].obj,
				       l[j].off, l[j].size, b);
				return 1;
			}
	}
	return 0;
}

static int do_check(const char *file)
{
	FILE *f = fopen(file, "r");
	char line[256], name[64], cur[64] = "";
	struct lent l[MAXENT];
	int n = 0, verified = 0, total = 0;
	long r0 = 0;

	if (!f)
		return 2;
	signal(SIGPIPE, SIG_IGN);
	printf("U direction %s\n", uffd_init() ? "proven with userfaultfd" :
	       "not proven: no userfaultfd here");
	for (;;) {
		int eof = !fgets(line, sizeof(line), f);

		if ((eof || line[0] == 'C') && cur[0]) {
			for (size_t k = 0; k < NCASES; k++) {
				if (strcmp(cases[k].name, cur))
					continue;
				total++;
				if (!check_case(&cases[k], r0, l, n)) {
					printf("V %s\n", cur);
					verified++;
				}
				fflush(stdout);
			}
		}
		if (eof)
			break;
		if (line[0] == 'C') {
			unsigned long long cnt;

			sscanf(line, "C %63s %ld %llu", cur, &r0, &cnt);
			n = 0;
		} else if (line[0] == 'L' && n < MAXENT) {
			sscanf(line, "L %63s %d %lld %llu %c", name, &l[n].obj,
			       &l[n].off, &l[n].size, &l[n].dir);
			n++;
		}
	}
	printf("T %d verified of %d cases\n", verified, total);
	return 0;
}

int main(int argc, char **argv)
{
	int r = 0;

	/* the mount and host name cases change only what this process
	   sees; as root without namespaces they would change the system's:
	   refuse to run */
	if (!geteuid() && (unshare(CLONE_NEWNS | CLONE_NEWUTS) ||
			   mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))) {
		fprintf(stderr, "uaccess_oracle: no mount and UTS namespace of "
			"its own (%s): not run\n", strerror(errno));
		return 2;
	}
	env_init();
	if (argc > 1 && !strcmp(argv[1], "log"))
		do_log();
	else if (argc > 2 && !strcmp(argv[1], "check"))
		r = do_check(argv[2]);
	else if (argc > 1 && !strcmp(argv[1], "list"))
		for (size_t k = 0; k < NCASES; k++)
			printf("%s\n", cases[k].name);
	else
		r = 2;
	path_teardown(&env);
	rmdir(env.dir);
	return r;
}
