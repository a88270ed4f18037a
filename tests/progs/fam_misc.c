/* SPDX-License-Identifier: MIT */
/*
 * Miscellaneous family, end to end: poll/ppoll (struct pollfd in and out),
 * select, pselect6 and its mask, flag bits without a name, epoll, eventfd2,
 * getrandom, memfd_create, ioctl(FIONREAD, FICLONE), getgroups, personality,
 * arch_prctl, errors. Each call is made with raw syscall() and the exact
 * line `limen trace` must print for it is written to argv[2]. See tests/syscalls/fam_misc.t.
 */
#include <asm/prctl.h>
#include <linux/fs.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/fanotify.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "fam.h"

int main(int argc, char **argv)
{
	int p[2], ep, efd, mfd, n;
	struct pollfd pf[2];
	struct epoll_event ev, evs[4];
	struct timespec ts;
	unsigned char rnd[8];
	unsigned long long cnt;
	long r;

	if (argc < 3) {
		fprintf(stderr, "usage: %s WORKDIR EXPECTED\n", argv[0]);
		return 2;
	}

	r = S(SYS_pipe2, p, O_NONBLOCK);
	CHECK(r == 0);
	E("pipe2([%d, %d], O_NONBLOCK) = %s", p[0], p[1], R(r));

	/* inotify_init1's flags in strace's order */
	r = S(SYS_inotify_init1, IN_CLOEXEC | IN_NONBLOCK);
	CHECK(r >= 0);
	E("inotify_init1(IN_NONBLOCK|IN_CLOEXEC) = %s", R(r));
	if (r >= 0) {
		int ifd = (int)r;

		r = S(SYS_close, ifd);
		E("close(%d) = %s", ifd, R(r));
	}

	/* poll: nothing to read yet, then data */
	pf[0].fd = p[0];
	pf[0].events = POLLIN;
	pf[1].fd = p[1];
	pf[1].events = POLLOUT;
	r = S(SYS_poll, pf, 1, 0);
	CHECK(r == 0);
	E("poll([{fd=%d, events=POLLIN}], 1, 0) = 0 (Timeout)", p[0]);
	r = S(SYS_poll, pf, 2, 0);
	CHECK(r == 1);
	E("poll([{fd=%d, events=POLLIN}, {fd=%d, events=POLLOUT}], 2, 0) = 1 ([{fd=%d, "
	  "revents=POLLOUT}])", p[0], p[1], p[1]);
	r = S(SYS_write, p[1], "abc", 3);
	E("write(%d, \"abc\", 3) = %s", p[1], R(r));
	ts.tv_sec = 1;
	ts.tv_nsec = 0;
	r = S(SYS_ppoll, pf, 2, &ts, NULL, 8);
	CHECK(r == 2);
	E("ppoll([{fd=%d, events=POLLIN}, {fd=%d, events=POLLOUT}], 2, {tv_sec=1, tv_nsec=0}, "
	  "NULL, 8) = 2 ([{fd=%d, revents=POLLIN}, {fd=%d, revents=POLLOUT}], left {tv_sec=%lld, "
	  "tv_nsec=%ld})", p[0], p[1], p[0], p[1], (long long)ts.tv_sec, ts.tv_nsec);
	r = S(SYS_poll, (void *)0x10, 1, 0);
	CHECK(r == -1 && last_errno == EFAULT);
	E("poll(0x10, 1, 0) = %s", R(r));

	r = S(SYS_ioctl, p[0], FIONREAD, &n);
	CHECK(r == 0 && n == 3);
	E("ioctl(%d, FIONREAD, [3]) = %s", p[0], R(r));
	r = S(SYS_ioctl, p[0], TCGETS, &n);
	CHECK(r == -1 && last_errno == ENOTTY);
	E("ioctl(%d, TCGETS, %s) = %s", p[0], P(&n), R(r));
	/* cp's first try (strace names it by both families) */
	r = S(SYS_ioctl, p[1], FICLONE, p[0]);
	CHECK(r == -1);
	E("ioctl(%d, BTRFS_IOC_CLONE or FICLONE, %d) = %s", p[1], p[0], R(r));

	{
		fd_set rs;
		struct timeval tv = { 0, 0 };
		FD_ZERO(&rs);
		FD_SET(p[0], &rs);
		r = S(SYS_select, p[0] + 1, &rs, NULL, NULL, &tv);
		CHECK(r == 1);
		E("select(%d, [%d], NULL, NULL, {tv_sec=0, tv_usec=0}) = 1 (in [%d], left {tv_sec=0, "
		  "tv_usec=0})", p[0] + 1, p[0], p[0]);
	}
	/* pselect6's sixth argument: the mask's pointer and size, shown
	   with the mask; the mask by its address when its size is not 8 or
	   it cannot be read, the argument by its own when that cannot */
	{
		fd_set rs;
		struct timespec t0 = { 0, 0 };
		uint64_t mask = 1ull << (SIGUSR1 - 1) | 1ull << (SIGINT - 1);
		struct { const void *p; size_t n; } sp = { &mask, 8 },
			sn = { NULL, 8 }, s4 = { &mask, 4 }, sb = { (void *)8, 8 };

		FD_ZERO(&rs);
		FD_SET(p[0], &rs);
		r = S(SYS_pselect6, p[0] + 1, &rs, NULL, NULL, &t0, &sp);
		CHECK(r == 1);
		E("pselect6(%d, [%d], NULL, NULL, {tv_sec=0, tv_nsec=0}, {sigmask=[INT USR1], "
		  "sigsetsize=8}) = 1 (in [%d], left {tv_sec=0, tv_nsec=0})", p[0] + 1, p[0], p[0]);
		r = S(SYS_pselect6, 0, NULL, NULL, NULL, &t0, &sn);
		CHECK(r == 0);
		E("pselect6(0, NULL, NULL, NULL, {tv_sec=0, tv_nsec=0}, {sigmask=NULL, "
		  "sigsetsize=8}) = 0 (Timeout)");
		r = S(SYS_pselect6, 0, NULL, NULL, NULL, &t0, &s4);
		CHECK(r == -1 && last_errno == EINVAL);
		E("pselect6(0, NULL, NULL, NULL, {tv_sec=0, tv_nsec=0}, {sigmask=%s, "
		  "sigsetsize=4}) = %s", P(&mask), R(r));
		r = S(SYS_pselect6, 0, NULL, NULL, NULL, &t0, &sb);
		CHECK(r == -1 && last_errno == EFAULT);
		E("pselect6(0, NULL, NULL, NULL, {tv_sec=0, tv_nsec=0}, {sigmask=0x8, "
		  "sigsetsize=8}) = %s", R(r));
		r = S(SYS_pselect6, 0, NULL, NULL, NULL, &t0, (void *)8);
		CHECK(r == -1 && last_errno == EFAULT);
		E("pselect6(0, NULL, NULL, NULL, {tv_sec=0, tv_nsec=0}, 0x8) = %s", R(r));
	}

	/* bits without a name: after names as |0x...; alone with strace's
	   comment for the list (every call refused: EINVAL) */
	r = S(SYS_mlock2, NULL, 0, 0x4);
	CHECK(r == -1 && last_errno == EINVAL);
	E("mlock2(NULL, 0, 0x4 /* MLOCK_??? */) = %s", R(r));
	r = S(SYS_mlock2, NULL, 0, 1 /* MLOCK_ONFAULT */ | 0x4);
	CHECK(r == -1 && last_errno == EINVAL);
	E("mlock2(NULL, 0, MLOCK_ONFAULT|0x4) = %s", R(r));
	r = S(SYS_memfd_create, "x", 0x100);
	CHECK(r == -1 && last_errno == EINVAL);
	E("memfd_create(\"x\", 0x100 /* MFD_??? */) = %s", R(r));
	r = S(SYS_eventfd2, 0, 0x4);
	CHECK(r == -1 && last_errno == EINVAL);
	E("eventfd2(0, 0x4 /* EFD_??? */) = %s", R(r));
	r = S(SYS_pipe2, NULL, 0x4);
	CHECK(r == -1 && last_errno == EINVAL);
	E("pipe2(NULL, 0x4 /* O_??? */) = %s", R(r));
	r = S(SYS_wait4, -1, NULL, 0x100, NULL);
	CHECK(r == -1 && last_errno == EINVAL);
	E("wait4(-1, NULL, 0x100 /* W??? */, NULL) = %s", R(r));
	r = S(SYS_access, "/", 0x10);
	CHECK(r == -1 && last_errno == EINVAL);
	E("access(\"/\", 0x10 /* ?_OK */) = %s", R(r));
	r = S(SYS_unlinkat, AT_FDCWD, "/", 0x1);
	CHECK(r == -1 && last_errno == EINVAL);
	E("unlinkat(AT_FDCWD, \"/\", 0x1 /* AT_??? */) = %s", R(r));
	r = S(SYS_unshare, 0x4);
	CHECK(r == -1 && last_errno == EINVAL);
	E("unshare(0x4 /* CLONE_??? */) = %s", R(r));
	/* pidfd_send_signal's flags: hex, as strace prints them */
	r = S(SYS_pidfd_send_signal, -1, 0, NULL, 0x8);
	CHECK(r == -1 && last_errno == EINVAL);
	E("pidfd_send_signal(-1, 0, NULL, 0x8) = %s", R(r));
	/* socket's type: the flags' comment only when none has a name */
	r = S(SYS_socket, AF_UNIX, SOCK_STREAM | 0x1000, 0);
	CHECK(r == -1 && last_errno == EINVAL);
	E("socket(AF_UNIX, SOCK_STREAM|0x1000 /* SOCK_??? */, 0) = %s", R(r));
	r = S(SYS_socket, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | 0x1000, 0);
	CHECK(r == -1 && last_errno == EINVAL);
	E("socket(AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC|0x1000, 0) = %s", R(r));
	r = S(SYS_socket, AF_UNIX, 0x1f, 0);
	CHECK(r == -1 && last_errno == EINVAL);
	E("socket(AF_UNIX, 0x1f /* SOCK_??? */, 0) = %s", R(r));

	/* epoll */
	ep = S(SYS_epoll_create1, EPOLL_CLOEXEC);
	CHECK(ep >= 0);
	E("epoll_create1(EPOLL_CLOEXEC) = %s", R(ep));
	ev.events = EPOLLIN | EPOLLET;
	ev.data.u64 = 0x1122334455667788ULL;
	r = S(SYS_epoll_ctl, ep, EPOLL_CTL_ADD, p[0], &ev);
	CHECK(r == 0);
	E("epoll_ctl(%d, EPOLL_CTL_ADD, %d, {events=EPOLLIN|EPOLLET, data={u32=1432778632, "
	  "u64=1234605616436508552}}) = %s", ep, p[0], R(r));
	r = S(SYS_epoll_wait, ep, evs, 4, 0);
	CHECK(r == 1);
	E("epoll_wait(%d, [{events=EPOLLIN, data={u32=1432778632, u64=1234605616436508552}}], 4, 0) = 1",
	  ep);
	/* EPOLL_CTL_DEL does not read the event: its pointer only */
	r = S(SYS_epoll_ctl, ep, EPOLL_CTL_DEL, p[0], &ev);
	CHECK(r == 0);
	E("epoll_ctl(%d, EPOLL_CTL_DEL, %d, %s) = %s", ep, p[0], P(&ev), R(r));
	r = S(SYS_epoll_ctl, ep, EPOLL_CTL_ADD, p[0], &ev);
	CHECK(r == 0);
	E("epoll_ctl(%d, EPOLL_CTL_ADD, %d, {events=EPOLLIN|EPOLLET, data={u32=1432778632, "
	  "u64=1234605616436508552}}) = %s", ep, p[0], R(r));
	r = S(SYS_epoll_ctl, ep, EPOLL_CTL_DEL, p[0], NULL);
	CHECK(r == 0);
	E("epoll_ctl(%d, EPOLL_CTL_DEL, %d, NULL) = %s", ep, p[0], R(r));
	r = S(SYS_epoll_wait, ep, evs, 4, 0);
	CHECK(r == 0);
	E("epoll_wait(%d, [], 4, 0) = 0", ep);
	S(SYS_close, ep);
	E("close(%d) = 0", ep);

	/* eventfd */
	efd = S(SYS_eventfd2, 5, EFD_CLOEXEC | EFD_NONBLOCK);
	CHECK(efd >= 0);
	E("eventfd2(5, EFD_CLOEXEC|EFD_NONBLOCK) = %s", R(efd));
	r = S(SYS_read, efd, &cnt, 8);
	CHECK(r == 8 && cnt == 5);
	E("read(%d, \"\\5\\0\\0\\0\\0\\0\\0\\0\", 8) = 8", efd);
	r = S(SYS_read, efd, &cnt, 8);
	CHECK(r == -1 && last_errno == EAGAIN);
	E("read(%d, %s, 8) = %s", efd, P(&cnt), R(r));
	S(SYS_close, efd);
	E("close(%d) = 0", efd);

	/* membarrier: cpu_id only with MEMBARRIER_CMD_FLAG_CPU; QUERY's
	   result in hex with the commands' names */
	{
		static const char *const cmds[] = {
			"MEMBARRIER_CMD_GLOBAL",
			"MEMBARRIER_CMD_GLOBAL_EXPEDITED",
			"MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED",
			"MEMBARRIER_CMD_PRIVATE_EXPEDITED",
			"MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED",
			"MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE",
			"MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE",
			"MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ",
			"MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ",
			"MEMBARRIER_CMD_GET_REGISTRATIONS",
		};
		char names[1024] = "";
		unsigned long left;

		r = S(SYS_membarrier, 0, 0, 0);
		CHECK(r >= 0);
		left = r > 0 ? (unsigned long)r : 0;
		for (unsigned k = 0; k < 10; k++)
			if (left & (1ul << k)) {
				if (*names)
					strcat(names, "|");
				strcat(names, cmds[k]);
				left &= ~(1ul << k);
			}
		if (left)
			sprintf(names + strlen(names), "%s%#lx",
				*names ? "|" : "", left);
		if (r > 0)
			E("membarrier(MEMBARRIER_CMD_QUERY, 0) = %#lx (%s)", r,
			  names);
		else
			E("membarrier(MEMBARRIER_CMD_QUERY, 0) = %s", R(r));
		r = S(SYS_membarrier, 0, 1, 5);
		CHECK(r == -1);
		E("membarrier(MEMBARRIER_CMD_QUERY, MEMBARRIER_CMD_FLAG_CPU, 5) = %s",
		  R(r));
		r = S(SYS_membarrier, 1 << 12, 0, 7);
		CHECK(r == -1 && last_errno == EINVAL);
		E("membarrier(0x1000 /* MEMBARRIER_CMD_??? */, 0) = %s", R(r));
	}

	/* getrandom, memfd_create */
	r = S(SYS_getrandom, rnd, sizeof rnd, GRND_NONBLOCK);
	CHECK(r == 8);
	{
		/* strace always shows getrandom's bytes in hex */
		char hex[64], *h = hex;
		for (int i = 0; i < 8; i++)
			h += sprintf(h, "\\x%02x", rnd[i]);
		E("getrandom(\"%s\", 8, GRND_NONBLOCK) = 8", hex);
	}
	mfd = S(SYS_memfd_create, "fam", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	CHECK(mfd >= 0);
	E("memfd_create(\"fam\", MFD_CLOEXEC|MFD_ALLOW_SEALING) = %s", R(mfd));
	r = S(SYS_fcntl, mfd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW);
	CHECK(r == 0);
	E("fcntl(%d, F_ADD_SEALS, F_SEAL_SHRINK|F_SEAL_GROW) = %s", mfd, R(r));
	S(SYS_close, mfd);
	E("close(%d) = 0", mfd);

	r = S(SYS_getgroups, 0, NULL);
	CHECK(r >= 0);
	E("getgroups(0, NULL) = %ld", r);
	r = S(SYS_personality, 0xffffffff);
	E("personality(0xffffffff) = %#lx (PER_LINUX)", r);
	{
		unsigned long fs;
		r = S(SYS_arch_prctl, ARCH_GET_FS, &fs);
		CHECK(r == 0);
		E("arch_prctl(ARCH_GET_FS, [%#lx]) = %s", fs, R(r));
	}

	S(SYS_close, p[0]);
	E("close(%d) = 0", p[0]);
	S(SYS_close, p[1]);
	E("close(%d) = 0", p[1]);

	/* a poll on more descriptors than -s: -s of them, then "..." */
	{
		struct pollfd many[40];
		char in[8192], out[8192], *p = in, *q = out;
		int i, shown = 40 < strsize ? 40 : strsize;

		for (i = 0; i < 40; i++)
			many[i] = (struct pollfd){ .fd = 1000 + i, .events = POLLIN };
		r = S(SYS_poll, many, 40, 0);
		CHECK(r == 40);
		for (i = 0; i < shown; i++) {
			p += sprintf(p, "%s{fd=%d, events=POLLIN}", i ? ", " : "",
				     1000 + i);
			q += sprintf(q, "%s{fd=%d, revents=POLLNVAL}",
				     i ? ", " : "", 1000 + i);
		}
		if (shown < 40) {
			p += sprintf(p, "%s...", shown ? ", " : "");
			q += sprintf(q, "%s...", shown ? ", " : "");
		}
		E("poll([%s], 40, 0) = %s ([%s])", in, R(r), out);
	}

	/* CPU and NUMA masks print as lists and words, not bytes */
	{
		unsigned long cpus[16] = { 1 }, got[1] = { 0 }, nodes[2];
		int mode = -1;

		r = S(SYS_sched_setaffinity, 0, sizeof(cpus), cpus);
		CHECK(r == 0);
		E("sched_setaffinity(0, %zu, [0]) = %s", sizeof(cpus), R(r));
		r = S(SYS_sched_getaffinity, 0, sizeof(got), got);
		CHECK(r == 8 && got[0] == 1);
		E("sched_getaffinity(0, 8, [0]) = %s", R(r));
		/* strace's "%#016lx": the 0x of a word not 0 is in the 16 */
		{
			unsigned long pm[2] = { 1, 0 };

			r = S(SYS_set_mempolicy, 1 /* MPOL_PREFERRED */, pm, 129);
			E("set_mempolicy(MPOL_PREFERRED, [0x00000000000001, "
			  "0000000000000000], 129) = %s", R(r));
		}
		r = S(SYS_set_mempolicy, 0, NULL, 0);
		CHECK(r == 0);
		E("set_mempolicy(MPOL_DEFAULT, NULL, 0) = %s", R(r));
		r = S(SYS_get_mempolicy, &mode, nodes, 128, NULL, 0);
		CHECK(r == 0 && mode == 0);
		E("get_mempolicy([MPOL_DEFAULT], [%#016lx, %#016lx], 128, NULL, 0) = %s",
		  nodes[0], nodes[1], R(r));
	}

	/* process_vm_readv/writev: the local iovecs with their data, the
	   remote ones as addresses (another process's memory, never
	   followed) */
	{
		char src[16] = "hello world", dst[16] = { 0 };
		struct iovec lv[2] = { { dst, 5 }, { dst + 5, 6 } };
		struct iovec rv[1] = { { src, 11 } };
		pid_t me = getpid();

		r = S(SYS_process_vm_readv, me, lv, 2, rv, 1, 0);
		CHECK(r == 11);
		E("process_vm_readv(%d, [{iov_base=\"hello\", iov_len=5}, "
		  "{iov_base=\" world\", iov_len=6}], 2, [{iov_base=%p, "
		  "iov_len=11}], 1, 0) = %s", me, (void *)src, R(r));
		r = S(SYS_process_vm_writev, me, rv, 1, lv, 2, 0);
		CHECK(r == 11);
		E("process_vm_writev(%d, [{iov_base=\"hello world\", iov_len=11}], "
		  "1, [{iov_base=%p, iov_len=5}, {iov_base=%p, iov_len=6}], 2, 0) "
		  "= %s", me, (void *)dst, (void *)(dst + 5), R(r));
		r = S(SYS_process_vm_readv, me, lv, 1, NULL, 0, 0);
		E("process_vm_readv(%d, [{iov_base=\"\", iov_len=5}], 1, NULL, "
		  "0, 0) = %s", me, R(r));
	}

	/* fanotify: the class, then the flags; marks' flags and events
	   (a 64-bit mask), FAN_NOFD. Privilege decides the results, not
	   the lines. */
	r = S(SYS_fanotify_init, FAN_CLOEXEC | FAN_NONBLOCK | FAN_REPORT_FID,
	      O_RDONLY);
	E("fanotify_init(FAN_CLASS_NOTIF|FAN_CLOEXEC|FAN_NONBLOCK|FAN_REPORT_FID, "
	  "O_RDONLY) = %s", R(r));
	{
		long fan = r;

		r = S(SYS_fanotify_mark, fan, FAN_MARK_ADD | FAN_MARK_ONLYDIR,
		      FAN_CREATE | FAN_DELETE | FAN_ONDIR | FAN_EVENT_ON_CHILD,
		      AT_FDCWD, "/");
		E("fanotify_mark(%ld, FAN_MARK_ADD|FAN_MARK_ONLYDIR, "
		  "FAN_CREATE|FAN_DELETE|FAN_ONDIR|FAN_EVENT_ON_CHILD, AT_FDCWD, "
		  "\"/\") = %s", fan, R(r));
		r = S(SYS_fanotify_mark, fan, FAN_MARK_FLUSH | FAN_MARK_MOUNT, 0,
		      -1, NULL);
		E("fanotify_mark(%ld, FAN_MARK_MOUNT|FAN_MARK_FLUSH, 0, FAN_NOFD, "
		  "NULL) = %s", fan, R(r));
		if (fan >= 0) {
			r = S(SYS_close, fan);
			E("close(%ld) = %s", fan, R(r));
		}
	}
	r = S(SYS_fanotify_init, FAN_CLASS_CONTENT | FAN_UNLIMITED_QUEUE |
	      FAN_REPORT_DFID_NAME | 0x80000000u, O_RDWR | O_CLOEXEC);
	CHECK(r == -1 && (last_errno == EINVAL || last_errno == EPERM));
	E("fanotify_init(FAN_CLASS_CONTENT|FAN_UNLIMITED_QUEUE|FAN_REPORT_DIR_FID|"
	  "FAN_REPORT_NAME|0x80000000, O_RDWR|O_CLOEXEC) = %s", R(r));
	r = S(SYS_fanotify_init, 0xc | 0x10000, O_RDONLY);
	E("fanotify_init(0xc /* FAN_CLASS_??? */|0x10000 /* FAN_??? */, "
	  "O_RDONLY) = %s", R(r));
	r = S(SYS_fanotify_mark, -1, 0x80000000u, 0x100000000ull | FAN_OPEN,
	      AT_FDCWD, "/");
	E("fanotify_mark(-1, 0x80000000 /* FAN_MARK_??? */, FAN_OPEN|0x100000000, "
	  "AT_FDCWD, \"/\") = %s", R(r));

	write_expected(argv[2]);
	return failures ? 1 : 0;
}
