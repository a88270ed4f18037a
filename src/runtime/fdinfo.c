/* SPDX-License-Identifier: MIT */
/*
 * -y, -yy, --decode-fds: what each file descriptor of a call refers to,
 * looked up here, in the program, at the call. A collector reading
 * /proc/PID/fd/N later would race with the program: by the time it drains
 * the ring the descriptor may be closed, reused by another open, or the
 * process gone. Looked up at the call, before it returns, the answer is the
 * one the call itself saw, whatever dup2, close, fork, exec or SCM_RIGHTS
 * did before or do after, with no fd table to mirror.
 *
 * Costs (only with -y): one readlink per descriptor; with -yy a socket adds
 * five getsockopt/getsockname/getpeername calls, a device one fstat, a
 * pidfd one ioctl. None of them creates a descriptor or touches errno, so
 * the program cannot tell. A connected UNIX socket's peer inode
 * (UNIX-STREAM:[A->B]) needs sock_diag, a netlink socket of our own for
 * the four calls of one question, once per socket (unixpeer.c).
 */
#include <sys/syscall.h>

#include "raw.h"
#include "rt.h"

#define ADDR_BOUND 128u

/* A path's room: PATH_MAX, less in a small ring (--ring-size 16K), where
   a record above half the ring could not be written at all */
static uint32_t link_bound(void)
{
	uint32_t r = limen_rt.geom.ring_bytes / 16;

	return r < 4096u ? r : 4096u;
}

#define LINK_BOUND link_bound()
#define ONE_BOUND (uint32_t)(sizeof(struct limen_cap) + \
			     sizeof(struct limen_fdinfo) + LINK_BOUND + \
			     2 * ADDR_BOUND + 8)

#define SOL_SOCKET_ 1
#define AF_UNIX_ 1
#define SO_TYPE_ 3
#define SO_ACCEPTCONN_ 30
#define SO_PROTOCOL_ 38
#define SO_DOMAIN_ 39
#define AT_FDCWD_ (-100)
#define S_IFMT_ 0170000u
#define S_IFCHR_ 0020000u
#define S_IFBLK_ 0060000u
/* PIDFD_GET_INFO (Linux 6.13): _IOWR(0xFF, 11, struct pidfd_info), its
   first version 64 bytes; PIDFD_INFO_PID asks for the pid */
#define PIDFD_GET_INFO_ 0xc040ff0bu
#define PIDFD_INFO_PID_ 1u

static uint32_t want(void)
{
	return limen_rt.ctl ? limen_rt.ctl->decode_fds : 0;
}

static int is_fd_arg(const struct limen_argdesc *d)
{
	return d->type == LIMEN_AT_FD || d->type == LIMEN_AT_DIRFD;
}

/* "/proc/thread-self/fd/" fd, or the cwd link for AT_FDCWD */
static void link_path(char *p, int fd)
{
	static const char fdp[] = "/proc/thread-self/fd/";
	static const char cwd[] = "/proc/thread-self/cwd";

	if (fd == AT_FDCWD_) {
		memcpy(p, cwd, sizeof(cwd));
		return;
	}
	memcpy(p, fdp, sizeof(fdp) - 1);
	limen_fmt_dec(p + sizeof(fdp) - 1, fd);
}

static int starts(const char *s, uint32_t n, const char *pre)
{
	uint32_t k = (uint32_t)limen_strlen(pre);

	return n >= k && !limen_strncmp(s, pre, k);
}

static int32_t sockopt(int fd, int name)
{
	int32_t v = -1;
	uint32_t len = sizeof(v);

	if (limen_sys5(SYS_getsockopt, fd, SOL_SOCKET_, name, &v, &len) < 0)
		return -1;
	return v;
}

/* A connected UNIX socket's peer, from sock_diag (unixpeer.c); its inode
   from the link, "socket:[N]" */
static void unix_peer(struct limen_fdinfo *fi, const char *text)
{
	uint64_t ino = 0;
	long peer;

	for (uint32_t i = 8; i < fi->linklen && text[i] >= '0' &&
			     text[i] <= '9'; i++)
		ino = ino * 10 + (uint64_t)(text[i] - '0');
	if (ino > 0xffffffffull)
		return;
	peer = limen_unix_peer((uint32_t)ino, fi->type);
	if (peer < 0)
		return;
	fi->peer_ino = (uint32_t)peer;
	fi->flags |= LIMEN_FDI_PEER;
}

/* One descriptor into dst (a struct limen_cap, then its data); returns the
   bytes used, 0 when the descriptor resolves to nothing. */
static uint32_t one(uint8_t *dst, unsigned arg, int fd, uint32_t w)
{
	struct limen_cap *cap = (struct limen_cap *)dst;
	struct limen_fdinfo *fi = (struct limen_fdinfo *)(dst + sizeof(*cap));
	char *text = (char *)(fi + 1);
	char path[40];
	long n;

	/* under a filter of the program's own, which may refuse or kill
	   readlinkat, fstat, getsockopt (calls the program did not make
	   here: tests/syscalls/own_calls_under_filter.t), the descriptor
	   stays unresolved: the trace shows its number alone */
	if (limen_program_filtered()) {
		memset(fi, 0, sizeof(*fi));
		fi->fd = fd;
		fi->want = w;
		fi->domain = fi->type = fi->protocol = fi->listening = -1;
		fi->flags = LIMEN_FDI_LATE;
		goto done;
	}
	link_path(path, fd);
	n = limen_sys4(SYS_readlinkat, AT_FDCWD_, path, text, LINK_BOUND);
	if (n < 0)
		return 0;
	memset(fi, 0, sizeof(*fi));
	fi->fd = fd;
	fi->want = w;
	fi->linklen = (uint32_t)n;
	fi->domain = fi->type = fi->protocol = fi->listening = -1;
	if (fd == AT_FDCWD_)
		goto done;
	if ((w & LIMEN_FDS_SOCKET) && starts(text, fi->linklen, "socket:[")) {
		uint8_t *addr = (uint8_t *)text + fi->linklen;
		uint32_t len = ADDR_BOUND;

		fi->domain = sockopt(fd, SO_DOMAIN_);
		fi->type = sockopt(fd, SO_TYPE_);
		fi->protocol = sockopt(fd, SO_PROTOCOL_);
		fi->listening = sockopt(fd, SO_ACCEPTCONN_);
		if (limen_sys3(SYS_getsockname, fd, addr, &len) == 0)
			fi->namelen = (uint16_t)(len < ADDR_BOUND ? len :
						 ADDR_BOUND);
		addr += fi->namelen;
		len = ADDR_BOUND;
		if (limen_sys3(SYS_getpeername, fd, addr, &len) == 0)
			fi->peerlen = (uint16_t)(len < ADDR_BOUND ? len :
						 ADDR_BOUND);
		if (fi->domain == AF_UNIX_ && fi->peerlen)
			unix_peer(fi, text);
	}
	if ((w & LIMEN_FDS_DEV) && text[0] == '/') {
		uint64_t st[18];

		if (limen_sys2(SYS_fstat, fd, st) == 0) {
			uint32_t mode = (uint32_t)st[3];

			if ((mode & S_IFMT_) == S_IFCHR_ ||
			    (mode & S_IFMT_) == S_IFBLK_) {
				fi->mode = mode;
				fi->rdev = st[5];
			}
		}
	}
	if ((w & LIMEN_FDS_PIDFD) &&
	    starts(text, fi->linklen, "anon_inode:[pidfd]")) {
		uint64_t info[8] = { PIDFD_INFO_PID_ };

		if (limen_sys3(SYS_ioctl, fd, PIDFD_GET_INFO_, info) == 0 &&
		    (info[0] & PIDFD_INFO_PID_))
			fi->pid = (int32_t)(uint32_t)info[2];
	}
done:
	cap->arg = (uint8_t)(LIMEN_CAP_FD + arg);
	cap->flags = 0;
	cap->pad = 0;
	cap->len = (uint32_t)sizeof(*fi) + fi->linklen + fi->namelen +
		   fi->peerlen;
	return (uint32_t)(sizeof(*cap) + LIMEN_ALIGN8(cap->len));
}

/* The descriptor pair pipe, pipe2 and socketpair wrote: its argument's
   index, or -1 */
static int pair_arg(const struct limen_sysent *se)
{
	for (unsigned i = 0; i < se->nargs && i < 6; i++)
		if (se->args[i].type == LIMEN_AT_STRUCT &&
		    se->args[i].xlat == LIMEN_ST_fdpair)
			return (int)i;
	return -1;
}

/*
 * The descriptors poll and ppoll wait on (their pollfd array), and those
 * select and pselect6 are given (readfds, writefds, exceptfds in turn), at
 * entry: at most LIMEN_FDI_NRIGHTS, in the order they are printed.
 */
static unsigned polled(const struct limen_sysent *se, const long *a,
		       int *fds)
{
	unsigned n = 0;

	if (se == &limen_sysent[LIMEN_NR_poll] ||
	    se == &limen_sysent[LIMEN_NR_ppoll]) {
		for (uint64_t i = 0; i < (uint64_t)a[1] &&
				     n < LIMEN_FDI_NRIGHTS; i++) {
			int32_t fd;

			if (limen_safe_read(&fd, (uint64_t)a[0] + 8 * i, 4) != 4)
				break;
			fds[n++] = fd;
		}
		return n;
	}
	if (se != &limen_sysent[LIMEN_NR_select] &&
	    se != &limen_sysent[LIMEN_NR_pselect6])
		return 0;
	for (int set = 1; set <= 3; set++) {
		uint64_t word;

		if (!a[set])
			continue;
		for (long w = 0; w * 64 < a[0] && n < LIMEN_FDI_NRIGHTS; w++) {
			if (limen_safe_read(&word, (uint64_t)a[set] + 8 * w, 8) != 8)
				break;
			for (int b = 0; b < 64 && w * 64 + b < a[0] &&
					n < LIMEN_FDI_NRIGHTS; b++)
				if (word & (1ull << b))
					fds[n++] = (int)(w * 64 + b);
		}
	}
	return n;
}

/*
 * The SCM_RIGHTS descriptors of sendmsg's message (at entry: they are the
 * sender's) or recvmsg's (at exit: they are now the receiver's), or those
 * of poll and select (polled), at most LIMEN_FDI_NRIGHTS, into fds;
 * returns how many.
 */
#define CTL_BOUND 256u
static unsigned rights(const struct limen_sysent *se, const long *a,
		       long ret, int at_exit, int *fds)
{
	uint8_t ctl[CTL_BOUND];
	uint64_t mh[7], p, len;
	unsigned n = 0;
	long got;

	if (!at_exit)
		n = polled(se, a, fds);
	if (n)
		return n;
	if (at_exit ? se != &limen_sysent[LIMEN_NR_recvmsg] || ret < 0 :
		      se != &limen_sysent[LIMEN_NR_sendmsg])
		return 0;
	/* struct user_msghdr: msg_control at 32, msg_controllen at 40 */
	if (limen_safe_read(mh, (uint64_t)a[1], sizeof(mh)) != sizeof(mh) ||
	    !mh[4] || mh[5] < 16)
		return 0;
	got = limen_safe_read(ctl, mh[4], mh[5] < CTL_BOUND ? mh[5] : CTL_BOUND);
	if (got < 16)
		return 0;
	for (p = 0; p + 16 <= (uint64_t)got && n < LIMEN_FDI_NRIGHTS;
	     p += (len + 7) & ~7ull) {
		int32_t level, type;

		memcpy(&len, ctl + p, 8);
		memcpy(&level, ctl + p + 8, 4);
		memcpy(&type, ctl + p + 12, 4);
		if (len < 16 || p + len > (uint64_t)got)
			break;
		if (level != SOL_SOCKET_ || type != 1 /* SCM_RIGHTS */)
			continue;
		for (uint64_t q = p + 16; q + 4 <= p + len &&
					  n < LIMEN_FDI_NRIGHTS; q += 4)
			memcpy(&fds[n++], ctl + q, 4);
	}
	return n;
}

/* The call returns a descriptor: the table says so, or fcntl's F_DUPFD,
   F_DUPFD_CLOEXEC */
static int ret_fd(const struct limen_sysent *se, const long *a, long ret)
{
	if (ret < 0)
		return 0;
	return se->ret == LIMEN_RET_FD ||
	       (se == &limen_sysent[LIMEN_NR_fcntl] &&
		(a[1] == 0 /* F_DUPFD */ || a[1] == 1030 /* F_DUPFD_CLOEXEC */));
}

uint32_t limen_fdinfo_bound(const struct limen_sysent *se, const long *a,
			    long ret, int at_exit)
{
	int fds[LIMEN_FDI_NRIGHTS];
	uint32_t n = 0;

	if (!want())
		return 0;
	n = rights(se, a, ret, at_exit, fds);
	if (at_exit)
		return (n + ret_fd(se, a, ret) +
			(pair_arg(se) >= 0 && ret == 0 ? 2 : 0)) * ONE_BOUND;
	for (unsigned i = 0; i < se->nargs && i < 6; i++)
		n += is_fd_arg(&se->args[i]);
	return n * ONE_BOUND;
}

/* limit: what limen_fdinfo_bound gave (the session's want, or the
   program's memory, may have changed since) */
uint32_t limen_fdinfo_capture(uint8_t *dst, uint32_t limit,
			      const struct limen_sysent *se, const long *a,
			      long ret, int at_exit, uint32_t *ncap)
{
	uint32_t w = want(), used = 0, u;
	int fds[LIMEN_FDI_NRIGHTS], pair[2];
	unsigned nr, slot[6 + LIMEN_FDI_NRIGHTS], n = 0;
	int fdv[6 + LIMEN_FDI_NRIGHTS];

	if (!w)
		return 0;
	nr = rights(se, a, ret, at_exit, fds);
	for (unsigned k = 0; k < nr; k++) {
		slot[n] = LIMEN_FDI_RIGHTS + k;
		fdv[n++] = fds[k];
	}
	if (at_exit) {
		int pa = pair_arg(se);

		if (ret_fd(se, a, ret)) {
			slot[n] = LIMEN_FDI_RET;
			fdv[n++] = (int)ret;
		}
		if (pa >= 0 && ret == 0 &&
		    limen_safe_read(pair, (uint64_t)a[pa], 8) == 8) {
			slot[n] = LIMEN_FDI_PAIR;
			fdv[n++] = pair[0];
			slot[n] = LIMEN_FDI_PAIR + 1;
			fdv[n++] = pair[1];
		}
	} else {
		for (unsigned i = 0; i < se->nargs && i < 6; i++) {
			int fd = (int)a[i];

			if (!is_fd_arg(&se->args[i]) ||
			    (fd < 0 && !(fd == AT_FDCWD_ &&
					 se->args[i].type == LIMEN_AT_DIRFD &&
					 (w & LIMEN_FDS_PATH))))
				continue;
			slot[n] = i;
			fdv[n++] = fd;
		}
	}
	for (unsigned k = 0; k < n; k++) {
		if (used + ONE_BOUND > limit)
			break;
		if (fdv[k] < 0 && !(fdv[k] == AT_FDCWD_ && slot[k] < 6))
			continue;
		u = one(dst + used, slot[k], fdv[k], w);
		*ncap += u != 0;
		used += u;
	}
	return used;
}
