/* SPDX-License-Identifier: MIT */
/*
 * -e read=SET, -e write=SET: the whole data of a read or write on one of
 * the chosen descriptors, for strace's hex and ASCII dump (which is not
 * bounded by -s). Captured beside the call's ordinary -s-bounded capture,
 * as one more capture (arg LIMEN_CAP_DUMP):
 *
 *   u32 nseg, u32 iov (1: readv/writev/recvmsg/sendmsg/...mmsg, whose dump
 *   names each buffer), then per buffer: u64 len (the bytes strace dumps),
 *   u32 caplen, u32 flags, caplen bytes padded to 8; flags 1 marks not a
 *   buffer but the start of sendmmsg's or recvmmsg's next message (len:
 *   its number of buffers).
 *
 * As strace: a write's data is what the program asked to write (captured
 * at entry, dumped even when the call fails), a read's what the kernel
 * returned (at exit, the return value's worth); a zero-length buffer ends
 * an iovec's dump. At most LIMEN_DUMP_BOUND bytes (and an eighth of the
 * ring) per call are kept.
 */
#include <sys/syscall.h>

#include "raw.h"
#include "rt.h"

enum { K_NONE, K_BUF, K_IOV, K_MSG, K_MMSG };

/* What kind of transfer the call is; *dir: 0 read, 1 write. A switch:
 * every recorded call asks, twice (limen_nl_bound), and most are none. */
static int kind_of(const struct limen_sysent *se, int *dir)
{
	*dir = 0;
	switch (se - limen_sysent) {
	case LIMEN_NR_write:
	case LIMEN_NR_pwrite64:
	case LIMEN_NR_sendto:
		*dir = 1;
		/* fallthrough */
	case LIMEN_NR_read:
	case LIMEN_NR_pread64:
	case LIMEN_NR_recvfrom:
		return K_BUF;
	case LIMEN_NR_writev:
	case LIMEN_NR_pwritev:
	case LIMEN_NR_pwritev2:
		*dir = 1;
		/* fallthrough */
	case LIMEN_NR_readv:
	case LIMEN_NR_preadv:
	case LIMEN_NR_preadv2:
		return K_IOV;
	case LIMEN_NR_sendmsg:
		*dir = 1;
		/* fallthrough */
	case LIMEN_NR_recvmsg:
		return K_MSG;
	case LIMEN_NR_sendmmsg:
		*dir = 1;
		/* fallthrough */
	case LIMEN_NR_recvmmsg:
		return K_MMSG;
	}
	return K_NONE;
}

/* The call's kind if its descriptor is in the set for this side. */
static int wanted(const struct limen_sysent *se, const long *a, long ret,
		  int at_exit)
{
	struct limen_ctl *c = limen_rt.ctl;
	int dir, k;
	long fd = a[0];

	if (!c || !(c->flags & LIMEN_CTL_DUMP) || fd < 0 ||
	    fd >= (long)LIMEN_DUMP_FDS)
		return K_NONE;
	k = kind_of(se, &dir);
	if (k == K_NONE || !(c->dump_fds[dir][fd / 8] & (1u << (fd % 8))))
		return K_NONE;
	/* writes at entry; reads at exit, when they read something;
	   sendmmsg and recvmmsg at exit, for the messages they moved */
	if (k == K_MMSG)
		return at_exit && ret > 0 ? k : K_NONE;
	if (dir ? at_exit : !at_exit || ret <= 0)
		return K_NONE;
	return k;
}

static uint32_t bound(void)
{
	uint32_t b = limen_rt.geom.ring_bytes / 8;

	return b < LIMEN_DUMP_BOUND ? b : LIMEN_DUMP_BOUND;
}

uint32_t limen_dump_bound(const struct limen_sysent *se, const long *a,
			  long ret, int at_exit)
{
	if (!wanted(se, a, ret, at_exit))
		return 0;
	/* the header, and per buffer 16 + padding: buffers are counted
	   against the same bound as their bytes */
	return (uint32_t)sizeof(struct limen_cap) + 8 + 2 * bound();
}

/* One buffer: its header and up to *room bytes. Returns bytes used. */
static uint32_t seg(uint8_t *dst, uint64_t base, uint64_t len, uint32_t *room)
{
	uint64_t want = len < *room ? len : *room;
	long got = want ? limen_safe_read(dst + 16, base, want) : 0;
	uint32_t c = got > 0 ? (uint32_t)got : 0;

	memcpy(dst, &len, 8);
	memcpy(dst + 8, &c, 4);
	memset(dst + 12, 0, 4);	/* flags: a buffer */
	memset(dst + 16 + c, 0, LIMEN_ALIGN8(c) - c);
	*room -= c;
	return 16 + (uint32_t)LIMEN_ALIGN8(c);
}

/*
 * The buffers of one iovec array into dst, left bytes at most (a read's
 * return value), a zero-length one ending it as strace ends its dump.
 */
static uint32_t vec_segs(uint8_t *dst, uint64_t vec, uint64_t cnt,
			 uint64_t left, uint32_t *room, uint32_t *nseg)
{
	uint32_t off = 0;

	for (uint64_t i = 0; i < cnt && left && *room; i++) {
		uint64_t v[2];

		if (limen_safe_read(v, vec + 16 * i, 16) != 16)
			break;
		if (v[1] > left)
			v[1] = left;
		if (!v[1])
			break;	/* strace stops at an empty buffer */
		left -= v[1];
		/* each buffer's header costs room too, so a vector of a
		   million empty-ish buffers stays bounded */
		if (*room < 16)
			break;
		*room -= 16;
		off += seg(dst + off, v[0], v[1], room);
		(*nseg)++;
	}
	return off;
}

/*
 * sendmmsg, recvmmsg: per message moved, a vector header (flags 1, len:
 * its msg_iovlen), then its buffers (recvmmsg's up to its msg_len).
 */
static uint32_t mmsg_segs(uint8_t *dst, const long *a, long ret, int dir,
			  uint32_t *room, uint32_t *nseg)
{
	uint32_t off = 0, one = 1;

	for (long j = 0; j < ret && j < 1024 && *room >= 16; j++) {
		uint64_t mh[8];	/* struct mmsghdr: msg_hdr, msg_len at 56 */

		if (limen_safe_read(mh, (uint64_t)a[1] + 64 * (uint64_t)j,
				    64) != 64)
			break;
		*room -= 16;
		memcpy(dst + off, &mh[3], 8);
		memset(dst + off + 8, 0, 4);
		memcpy(dst + off + 12, &one, 4);
		off += 16;
		(*nseg)++;
		off += vec_segs(dst + off, mh[2], mh[3],
				dir ? UINT64_MAX : (uint32_t)mh[7], room, nseg);
	}
	return off;
}

uint32_t limen_dump_capture(uint8_t *dst, uint32_t limit,
			    const struct limen_sysent *se, const long *a,
			    long ret, int at_exit, uint32_t *ncap)
{
	struct limen_cap *cap = (struct limen_cap *)dst;
	int k = wanted(se, a, ret, at_exit);
	uint32_t room = bound(), off = sizeof(*cap) + 8, nseg = 0, iov;
	/* a read dumps what it returned, a write what it was given */
	uint64_t left = at_exit ? (uint64_t)ret : UINT64_MAX;
	uint64_t vec = 0, cnt = 0;

	if (!k || limit < sizeof(*cap) + 8 + 2 * room)
		return 0;
	if (k == K_BUF) {
		uint64_t len = at_exit ? (uint64_t)ret : (uint64_t)a[2];

		off += seg(dst + off, (uint64_t)a[1], len, &room);
		nseg = 1;
	} else if (k == K_MMSG) {
		off += mmsg_segs(dst + off, a, ret,
				 se == &limen_sysent[LIMEN_NR_sendmmsg], &room,
				 &nseg);
	} else {
		if (k == K_IOV) {
			vec = (uint64_t)a[1];
			cnt = (uint64_t)a[2];
		} else {
			uint64_t mh[4];	/* msg_iov at 16, msg_iovlen at 24 */

			if (limen_safe_read(mh, (uint64_t)a[1], 32) == 32) {
				vec = mh[2];
				cnt = mh[3];
			}
		}
		off += vec_segs(dst + off, vec, cnt, left, &room, &nseg);
	}
	iov = k != K_BUF;
	memcpy(dst + sizeof(*cap), &nseg, 4);
	memcpy(dst + sizeof(*cap) + 4, &iov, 4);
	cap->arg = LIMEN_CAP_DUMP;
	cap->flags = 0;
	cap->pad = 0;
	cap->len = off - (uint32_t)sizeof(*cap);
	(*ncap)++;
	return off;
}

/*
 * Netlink messages: strace decodes what a netlink socket sends and
 * receives whole (nlmsghdr, body, attributes), whatever -s says, so the
 * collector needs the data whole and the socket's protocol (NETLINK_ROUTE,
 * NETLINK_SOCK_DIAG...), which only the descriptor tells. For sendto,
 * sendmsg (at entry), recvfrom, recvmsg (at exit) on a netlink socket
 * (nl_kind), the data is captured as a dump is (arg LIMEN_CAP_NETLINK;
 * the header's second word is the protocol instead of the iov flag), up
 * to LIMEN_NL_BOUND bytes.
 */
#define SO_DOMAIN_ 39
#define SO_PROTOCOL_ 38
#define AF_NETLINK_ 16

static int32_t sockopt_int(long fd, int name)
{
	int32_t v = -1;
	uint32_t len = sizeof(v);

	if (limen_sys5(SYS_getsockopt, fd, 1 /* SOL_SOCKET */, name, &v,
		       &len) < 0)
		return -1;
	return v;
}

/* the bytes kept: LIMEN_NL_BOUND, or less in a small ring (the record,
   twice this at most, must stay well below half the ring) */
static uint32_t nl_room(void)
{
	uint32_t r = limen_rt.geom.ring_bytes / 8;

	return r < LIMEN_NL_BOUND ? r : LIMEN_NL_BOUND;
}

/*
 * Whether the call moves a netlink message, as cheaply as it can be told:
 * one getsockopt(SO_DOMAIN) for sendmsg and recvmsg (reading their msghdr
 * and iovecs to guess first would cost more calls than it saves); for
 * sendto and recvfrom, a look at the buffer's first 8 bytes before it: an
 * nlmsg_len of at least 16 that fits, a small nlmsg_type, NLM_F_REQUEST on
 * a message to the kernel (text and most binary protocols fail this).
 */
static int nl_kind(const struct limen_sysent *se, const long *a, long ret,
		   int at_exit)
{
	int dir, k = kind_of(se, &dir);
	uint64_t total = at_exit ? (uint64_t)ret : (uint64_t)a[2];
	uint32_t hdr[2];

	if ((k != K_MSG && k != K_BUF) || (dir ? at_exit : !at_exit) ||
	    (at_exit && ret < 16) || se == &limen_sysent[LIMEN_NR_read] ||
	    se == &limen_sysent[LIMEN_NR_write] ||
	    se == &limen_sysent[LIMEN_NR_pread64] ||
	    se == &limen_sysent[LIMEN_NR_pwrite64])
		return K_NONE;
	if (k == K_BUF &&
	    (total < 16 || limen_safe_read(hdr, (uint64_t)a[1], 8) != 8 ||
	     hdr[0] < 16 || hdr[0] > total || (hdr[1] & 0xffff) >= 0x1000 ||
	     (dir && !(hdr[1] & 0x10000))))
		return K_NONE;
	return sockopt_int(a[0], SO_DOMAIN_) == AF_NETLINK_ ? k : K_NONE;
}

uint32_t limen_nl_bound(const struct limen_sysent *se, const long *a,
			long ret, int at_exit)
{
	if (!limen_rt.ctl || !(limen_rt.ctl->flags & LIMEN_CTL_NETLINK) ||
	    !nl_kind(se, a, ret, at_exit))
		return 0;
	return (uint32_t)sizeof(struct limen_cap) + 8 + 2 * nl_room();
}

uint32_t limen_nl_capture(uint8_t *dst, uint32_t limit,
			  const struct limen_sysent *se, const long *a,
			  long ret, int at_exit, uint32_t *ncap)
{
	struct limen_cap *cap = (struct limen_cap *)dst;
	int k = nl_kind(se, a, ret, at_exit);
	uint32_t room = nl_room(), off = sizeof(*cap) + 8, nseg = 0;
	uint64_t left = at_exit ? (uint64_t)ret : UINT64_MAX, vec = 0, cnt = 0;
	int32_t proto;

	if (!k || limit < sizeof(*cap) + 8 + 2 * room)
		return 0;
	proto = sockopt_int(a[0], SO_PROTOCOL_);
	if (k == K_BUF) {
		uint64_t len = at_exit ? (uint64_t)ret : (uint64_t)a[2];

		off += seg(dst + off, (uint64_t)a[1], len, &room);
		nseg = 1;
	} else {
		uint64_t mh[4];

		if (limen_safe_read(mh, (uint64_t)a[1], 32) == 32) {
			vec = mh[2];
			cnt = mh[3];
		}
		for (uint64_t i = 0; i < cnt && room >= 16; i++) {
			uint64_t v[2];

			if (limen_safe_read(v, vec + 16 * i, 16) != 16)
				break;
			if (v[1] > left)
				v[1] = left;
			left -= v[1];
			room -= 16;
			off += seg(dst + off, v[0], v[1], &room);
			nseg++;
		}
	}
	memcpy(dst + sizeof(*cap), &nseg, 4);
	memcpy(dst + sizeof(*cap) + 4, &proto, 4);
	cap->arg = LIMEN_CAP_NETLINK;
	cap->flags = 0;
	cap->pad = 0;
	cap->len = off - (uint32_t)sizeof(*cap);
	(*ncap)++;
	return off;
}
