/* SPDX-License-Identifier: MIT */
/*
 * -yy: a UNIX socket's peer inode (UNIX-STREAM:[A->B]), asked of sock_diag
 * here, at the call, as strace asks while the tracee is stopped. The
 * collector asking when it prints the line finds nothing once the socket
 * is closed, which for a short-lived connection is before the line is
 * printed (tests/decode/unixpeer.t), and cannot see a socket in another
 * network namespace at all.
 *
 * sock_diag needs a NETLINK_SOCK_DIAG socket. The runtime keeps no
 * descriptor of its own (init.c), so the socket lives for the four calls
 * of one question (socket, sendto, recvfrom, close) and no longer, the way
 * ring.c opens the session for a moment: nothing the program does between
 * its calls (close_range, closefrom, dup2 over a number, fork, exec, a
 * lower RLIMIT_NOFILE) can meet it, and its number is free again before
 * the program's next call, so the numbers the program gets are the ones it
 * gets bare. Only another thread of the program creating or closing
 * descriptors during those four calls could tell. No descriptor to spare
 * (EMFILE), a sandbox refusing the socket, seccomp strict mode, or any
 * seccomp filter (one that kills on socket(2) would kill the program for
 * a call it never made): the peer is left for the collector to ask, as
 * before (LIMEN_FDI_PEER unset).
 *
 * A stream or seqpacket socket's peer never changes once connected, and
 * socket inode numbers are not reused while the system runs, so each
 * socket costs one question: the answer is cached by inode, process-wide
 * (fork copies it, still right; exec starts over). A datagram socket may
 * connect elsewhere: asked at each call.
 */
#include <fcntl.h>
#include <sys/syscall.h>

#include "raw.h"
#include "rt.h"

#define AF_UNIX_ 1
#define AF_NETLINK_ 16
#define SOCK_DGRAM_ 2
#define SOCK_CLOEXEC_ 02000000
#define NETLINK_SOCK_DIAG_ 4
#define SOCK_DIAG_BY_FAMILY_ 20
#define NLM_F_REQUEST_ 1
#define UDIAG_SHOW_PEER_ 4
#define UNIX_DIAG_PEER_ 2
#define MSG_DONTWAIT_ 0x40
#define NLMSG_HDR_ 16u
#define PR_GET_SECCOMP_ 21
#define SECCOMP_MODE_FILTER_ 2
#define UNIX_DIAG_MSG_ 16u

/* struct nlmsghdr, then struct unix_diag_req (linux/unix_diag.h) */
struct diag_req {
	uint32_t len;
	uint16_t type, flags;
	uint32_t seq, pid;
	uint8_t family, protocol;
	uint16_t pad;
	uint32_t states, ino, show;
	uint32_t cookie[2];
};
_Static_assert(sizeof(struct diag_req) == 40, "unix_diag request");

/* ino << 32 | peer, one atomic word: threads and signal handlers read and
   write it at once, a torn entry would pair an inode with another's peer */
#define PEER_CACHE 256u
static uint64_t peer_cache[PEER_CACHE] LIMEN_COLD_BSS;

/* a seccomp filter may be on: in this image or one before the exec */
static int filtered;

void limen_unix_peer_seccomp(void)
{
	__atomic_store_n(&filtered, 1, __ATOMIC_RELAXED);
}

/*
 * A filter may be on: one this image installed (limen_unix_peer_seccomp),
 * or one inherited through fork and exec, which is asked for once (ring.c
 * asks before a call the program never makes; the prctl that armed
 * Syscall User Dispatch at start went through any filter that lets limen
 * run at all).
 */
int limen_seccomp_filtered(void)
{
	static int asked;

	/* known already: never ask under the program's own filter, which
	   may kill at prctl (tests/syscalls/ring_first_lap.t, killprctl) */
	if (__atomic_load_n(&filtered, __ATOMIC_RELAXED))
		return 1;
	if (!__atomic_load_n(&asked, __ATOMIC_RELAXED)) {
		/* a filter, or a prctl something refused: may be filtered */
		if (limen_sys1(SYS_prctl, PR_GET_SECCOMP_) != 0)
			limen_unix_peer_seccomp();
		__atomic_store_n(&asked, 1, __ATOMIC_RELAXED);
	}
	return __atomic_load_n(&filtered, __ATOMIC_RELAXED);
}

static int outer_known; /* limen_seccomp_outer_only's: 1 yes, 2 no */

/* limen_seccomp_outer_only's answer, if it has been read */
int limen_seccomp_outer_known(void)
{
	return __atomic_load_n(&outer_known, __ATOMIC_RELAXED) == 1;
}

/*
 * Are the filters this image runs under all limen's own environment's (a
 * container's: the collector's count, ctl->outer_filters), none added by a
 * traced program? /proc/self/status's Seccomp_filters (Linux 5.9), read
 * once; "no" wherever it cannot tell (no outer filter, no such line in the
 * first 2 KiB, a read refused).
 */
int limen_seccomp_outer_only(void)
{
	uint32_t outer = limen_rt.ctl ? limen_rt.ctl->outer_filters : 0;
	char buf[2048];
	const char *v;
	int k = __atomic_load_n(&outer_known, __ATOMIC_RELAXED);

	if (k || !outer)
		return k == 1;
	v = limen_status_value("/proc/self/status", "\nSeccomp_filters:", buf,
			       sizeof(buf));
	k = v && limen_proc_num(&v, 10) == outer ? 1 : 2;
	__atomic_store_n(&outer_known, k, __ATOMIC_RELAXED);
	return k == 1;
}

/* At start: a filter inherited through fork and exec. Only with -yy (one
   prctl), before any filter of this image could refuse prctl. */
void limen_unix_peer_exec(void)
{
	if (limen_rt.ctl && (limen_rt.ctl->decode_fds & LIMEN_FDS_SOCKET) &&
	    limen_sys1(SYS_prctl, PR_GET_SECCOMP_) == SECCOMP_MODE_FILTER_)
		limen_unix_peer_seccomp();
}

static uint64_t *slot(uint32_t ino)
{
	return &peer_cache[(ino * 2654435761u) >> 24];
}

/* sock_diag's UNIX_DIAG_PEER for ino: the peer inode, 0 when it has none;
   -1: could not ask */
static long ask(uint32_t ino)
{
	struct diag_req req = {
		.len = sizeof(req), .type = SOCK_DIAG_BY_FAMILY_,
		.flags = NLM_F_REQUEST_, .family = AF_UNIX_,
		.states = ~0u, .ino = ino, .show = UDIAG_SHOW_PEER_,
		.cookie = { ~0u, ~0u },
	};
	/* the answer: 16 + 16 + an 8-byte attribute; an error echoes the
	   request (16 + 4 + 40) */
	uint8_t rsp[128];
	uint32_t len, off;
	long fd, n;

	fd = limen_sys3(SYS_socket, AF_NETLINK_, SOCK_DGRAM_ | SOCK_CLOEXEC_,
			NETLINK_SOCK_DIAG_);
	if (fd < 0)
		return -1;
	n = limen_sys6(SYS_sendto, fd, (long)&req, sizeof(req), 0, 0, 0);
	/* the kernel answers within sendto: never wait */
	if (n == (long)sizeof(req))
		n = limen_sys6(SYS_recvfrom, fd, (long)rsp, sizeof(rsp),
			       MSG_DONTWAIT_, 0, 0);
	else
		n = -1;
	limen_sys1(SYS_close, fd);
	if (n < (long)NLMSG_HDR_)
		return -1;
	memcpy(&len, rsp, 4);
	if (len > (uint32_t)n)
		return -1;
	if (rsp[4] != SOCK_DIAG_BY_FAMILY_ || rsp[5] != 0)
		return 0;	/* NLMSG_ERROR: no such socket, so no peer */
	for (off = NLMSG_HDR_ + UNIX_DIAG_MSG_; off + 4 <= len;) {
		uint16_t alen, type;
		uint32_t peer;

		memcpy(&alen, rsp + off, 2);
		memcpy(&type, rsp + off + 2, 2);
		if (alen < 4 || off + alen > len)
			break;
		if (type == UNIX_DIAG_PEER_ && alen >= 8) {
			memcpy(&peer, rsp + off + 4, 4);
			return peer;
		}
		off += (alen + 3u) & ~3u;
	}
	return 0;
}

long limen_unix_peer(uint32_t ino, int type)
{
	uint64_t *c = slot(ino), e;
	long peer;

	if (!ino)
		return -1;
	e = __atomic_load_n(c, __ATOMIC_RELAXED);
	if (e >> 32 == ino && (uint32_t)e)
		return (uint32_t)e;
	/* strict mode allows read, write and exit only; with other
	   threads, which could be given a number while the socket is open,
	   a helper for every question (one a call on a datagram socket)
	   would cost far more than the collector's asking when it prints
	   the line (aside.c) */
	if (limen_tls.strict || __atomic_load_n(&filtered, __ATOMIC_RELAXED) ||
	    !limen_aside_private())
		return -1;
	peer = ask(ino);
	if (peer > 0 && type != SOCK_DGRAM_)
		__atomic_store_n(c, (uint64_t)ino << 32 | (uint64_t)peer,
				 __ATOMIC_RELAXED);
	return peer;
}
