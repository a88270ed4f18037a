// SPDX-License-Identifier: MIT
/*
 * -y, -yy, --decode-fds: the "<...>" after a descriptor, from what the
 * runtime resolved at the call (struct limen_fdinfo, src/runtime/fdinfo.c),
 * in strace 6.1's forms:
 *
 *   3</etc/hostname>          path (escaped: strace's octal, < and > too)
 *   AT_FDCWD</tmp>            the working directory, with path
 *   3<socket:[1234]>          a socket with -y
 *   3<TCP:[1.2.3.4:5->6.7.8.9:10]>, 3<TCPv6:[[::1]:8080]>, 3<TCP:[1234]>
 *   3<UNIX-STREAM:[1234->1235]>, 3<UNIX-STREAM:[1234,"/tmp/s"]>,
 *   3<UNIX:[1234,@"abstract"]> (datagram, seqpacket)
 *   3<NETLINK:[ROUTE:8093]>, 3<NETLINK:[1234]> (unbound)
 *   3</dev/null<char 1:3>>    a device with dev
 *   3<pid:1234>               a pidfd with pidfd
 *
 * Everything comes from the runtime, a UNIX socket's peer too (sock_diag
 * asked at the call, src/runtime/unixpeer.c). Where the runtime could not
 * ask (no descriptor to spare), the collector asks, in its own network
 * namespace, after the call: a socket closed by then shows no peer.
 */
#include <arpa/inet.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <pthread.h>
#include <unistd.h>

#include "decode/dec_int.h"
#include "session/session.h"

_Static_assert(sizeof(((struct limen_call *)0)->fdinfo) ==
		       LIMEN_FDI_SLOTS * sizeof(struct limen_blob),
	       "limen_call.fdinfo has session.h's LIMEN_FDI_SLOTS");

/*
 * The peers learnt so far, by inode: a connected UNIX socket keeps its
 * peer, and a socket inode number is not reused while the system runs
 * (get_next_ino), so a socket already closed when its close(2) is decoded
 * still shows the peer an earlier call of it found.
 */
#define PEER_CACHE 4096u
static struct {
	uint32_t ino, peer;
} peer_cache[PEER_CACHE];

static uint32_t unix_peer_diag(uint64_t ino);

int limen_fd_diag_live;

static pthread_mutex_t peer_lock = PTHREAD_MUTEX_INITIALIZER;

static void peer_learn(uint64_t ino, uint32_t peer)
{
	uint32_t h = (uint32_t)(ino * 2654435761u) % PEER_CACHE;

	peer_cache[h].ino = (uint32_t)ino;
	peer_cache[h].peer = peer;
}

/* (the text sink's formatting threads call this at once: one lock for the
   cache and the diag socket) */
static uint32_t unix_peer(uint64_t ino)
{
	uint32_t h = (uint32_t)(ino * 2654435761u) % PEER_CACHE;
	uint32_t p;

	pthread_mutex_lock(&peer_lock);
	p = limen_fd_diag_live ? unix_peer_diag(ino) : 0;
	if (p)
		peer_learn(ino, p);
	else if (peer_cache[h].ino == ino)
		p = peer_cache[h].peer;
	pthread_mutex_unlock(&peer_lock);
	return p;
}

static void peer_pair(uint64_t a, uint64_t b)
{
	pthread_mutex_lock(&peer_lock);
	peer_learn(a, (uint32_t)b);
	peer_learn(b, (uint32_t)a);
	pthread_mutex_unlock(&peer_lock);
}

/* The peer inode of UNIX socket ino by sock_diag, 0 when unknown. */
static uint32_t unix_peer_diag(uint64_t ino)
{
	static int nl = -2;
	struct {
		struct nlmsghdr h;
		struct unix_diag_req r;
	} req = {
		.h = { .nlmsg_len = sizeof(req), .nlmsg_type = SOCK_DIAG_BY_FAMILY,
		       .nlmsg_flags = NLM_F_REQUEST },
		.r = { .sdiag_family = AF_UNIX, .udiag_states = ~0u,
		       .udiag_ino = (uint32_t)ino, .udiag_show = UDIAG_SHOW_PEER,
		       .udiag_cookie = { ~0u, ~0u } },
	};
	union {
		struct nlmsghdr h;
		uint8_t b[1024];
	} rsp;
	ssize_t n;
	size_t off;

	if (nl == -2)
		nl = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC,
			    NETLINK_SOCK_DIAG);
	if (nl < 0 || !ino || ino > UINT32_MAX)
		return 0;
	if (send(nl, &req, sizeof(req), 0) != (ssize_t)sizeof(req))
		return 0;
	n = recv(nl, &rsp, sizeof(rsp), 0);
	if (n < (ssize_t)(sizeof(struct nlmsghdr) + sizeof(struct unix_diag_msg)) ||
	    rsp.h.nlmsg_type != SOCK_DIAG_BY_FAMILY || rsp.h.nlmsg_len > (size_t)n)
		return 0;
	off = NLMSG_LENGTH(sizeof(struct unix_diag_msg));
	while (off + 4 <= rsp.h.nlmsg_len) {
		uint16_t alen = r16(rsp.b, off), type = r16(rsp.b, off + 2);

		if (alen < 4 || off + alen > rsp.h.nlmsg_len)
			break;
		if (type == UNIX_DIAG_PEER && alen >= 8)
			return r32(rsp.b, off + 4);
		off += (alen + 3u) & ~3u;
	}
	return 0;
}

/* strace's quoting without the quotes, < and > escaped too */
static void put_escaped(struct limen_sb *sb, const uint8_t *s, size_t n)
{
	struct limen_sb q = { 0 };

	q.hex = sb->hex;
	dq_bytes(&q, s, n, 0, 0);
	/* q.p is "...": drop the quotes, escape < and > as strace does */
	for (size_t i = 1; i + 1 < q.len; i++) {
		/* three digits before an octal digit, as strace */
		int three = i + 2 < q.len && q.p[i + 1] >= '0' &&
			    q.p[i + 1] <= '7';

		if (q.p[i] == '<')
			limen_sb_puts(sb, three ? "\\074" : "\\74");
		else if (q.p[i] == '>')
			limen_sb_puts(sb, three ? "\\076" : "\\76");
		else
			limen_sb_putc(sb, q.p[i]);
	}
	limen_sb_free(&q);
}

static void put_inet(struct limen_sb *sb, const uint8_t *a, size_t n)
{
	char buf[INET6_ADDRSTRLEN];
	uint16_t fam = n >= 2 ? r16(a, 0) : 0;

	if (fam == AF_INET && n >= 8) {
		inet_ntop(AF_INET, a + 4, buf, sizeof(buf));
		limen_sb_printf(sb, "%s:%u", buf, ntohs(r16(a, 2)));
	} else if (fam == AF_INET6 && n >= 24) {
		inet_ntop(AF_INET6, a + 8, buf, sizeof(buf));
		limen_sb_printf(sb, "[%s]:%u", buf, ntohs(r16(a, 2)));
	}
}

static const char *inet_proto(const struct limen_fdinfo *fi)
{
	int v6 = fi->domain == AF_INET6;

	switch (fi->type) {
	case SOCK_STREAM:
		if (fi->protocol == IPPROTO_TCP)
			return v6 ? "TCPv6" : "TCP";
		if (fi->protocol == IPPROTO_MPTCP)
			return v6 ? "MPTCPv6" : "MPTCP";
		if (fi->protocol == IPPROTO_SCTP)
			return v6 ? "SCTPv6" : "SCTP";
		break;
	case SOCK_DGRAM:
		if (fi->protocol == IPPROTO_UDP)
			return v6 ? "UDPv6" : "UDP";
		if (fi->protocol == IPPROTO_UDPLITE)
			return v6 ? "UDPLITEv6" : "UDP-Lite";
		if (fi->protocol == IPPROTO_ICMP || fi->protocol == IPPROTO_ICMPV6)
			return v6 ? "PINGv6" : "PING";
		break;
	case SOCK_RAW:
		return v6 ? "RAWv6" : "RAW";
	}
	return NULL;
}

static int port_of(const uint8_t *a, size_t n)
{
	return n >= 4 ? r16(a, 2) : 0;
}

/* The -yy form of a socket; 0 if its kind is not one strace names. */
static int put_socket(struct limen_sb *sb, const struct limen_fdinfo *fi,
		      const uint8_t *name, const uint8_t *peer, uint64_t ino,
		      uint64_t peer_ino)
{
	if (fi->domain == AF_INET || fi->domain == AF_INET6) {
		const char *p = inet_proto(fi);
		int connected = fi->peerlen && port_of(peer, fi->peerlen);

		if (!p)
			return 0;
		limen_sb_printf(sb, "%s:[", p);
		/* sock_diag lists a socket once it is bound: strace shows
		   the inode before */
		if (connected) {
			put_inet(sb, name, fi->namelen);
			limen_sb_puts(sb, "->");
			put_inet(sb, peer, fi->peerlen);
		} else if (port_of(name, fi->namelen)) {
			put_inet(sb, name, fi->namelen);
		} else {
			limen_sb_printf(sb, "%llu", (unsigned long long)ino);
		}
		limen_sb_putc(sb, ']');
		return 1;
	}
	if (fi->domain == AF_UNIX) {
		/* strace names the kernel's protocol (the socket's
		   system.sockprotoname): "UNIX-STREAM" for a stream one, "UNIX"
		   for datagram and seqpacket ones, which share a protocol */
		const char *t = fi->type == SOCK_STREAM ? "UNIX-STREAM" :
				fi->type == SOCK_DGRAM ||
				fi->type == SOCK_SEQPACKET ? "UNIX" : NULL;
		/* the runtime's answer at the call; the collector asks only
		   where the runtime could not (no descriptor to spare) */
		uint32_t pe = peer_ino ? (uint32_t)peer_ino :
			      fi->flags & LIMEN_FDI_PEER ? fi->peer_ino :
			      fi->peerlen ? unix_peer(ino) : 0;
		size_t pl = fi->namelen > 2 ? fi->namelen - 2u : 0;

		if (!t)
			return 0;
		limen_sb_printf(sb, "%s:[%llu", t, (unsigned long long)ino);
		if (pe)
			limen_sb_printf(sb, "->%u", pe);
		if (pl) {
			const uint8_t *path = name + 2;

			/* abstract: @"name", the @ outside the quotes as
			   strace prints it */
			if (path[0] == 0) {
				limen_sb_puts(sb, ",@\"");
				put_escaped(sb, path + 1, pl - 1);
			} else {
				limen_sb_puts(sb, ",\"");
				put_escaped(sb, path, strnlen((const char *)path, pl));
			}
			limen_sb_putc(sb, '"');
		}
		limen_sb_putc(sb, ']');
		return 1;
	}
	if (fi->domain == AF_NETLINK) {
		const char *pn = dx_lookup(&limen_xlats[LIMEN_XLAT_netlink_protocol],
					   (uint64_t)fi->protocol);
		uint32_t portid = fi->namelen >= 8 ? r32(name, 4) : 0;

		if (portid && pn && !strncmp(pn, "NETLINK_", 8))
			limen_sb_printf(sb, "NETLINK:[%s:%u]", pn + 8, portid);
		else if (portid)
			limen_sb_printf(sb, "NETLINK:[%d:%u]", fi->protocol, portid);
		else
			limen_sb_printf(sb, "NETLINK:[%llu]", (unsigned long long)ino);
		return 1;
	}
	if (fi->domain == AF_PACKET) {
		limen_sb_printf(sb, "PACKET:[%llu]", (unsigned long long)ino);
		return 1;
	}
	return 0;
}

/* The link without the kernel's " (deleted)" of an unlinked file. */
static size_t path_len(const uint8_t *link, size_t n)
{
	static const char del[] = " (deleted)";
	size_t dl = sizeof(del) - 1;

	if (n > dl && link[0] == '/' && !memcmp(link + n - dl, del, dl))
		return n - dl;
	return n;
}

static void suffix(struct limen_sb *sb, const struct limen_blob *b,
		   uint64_t peer_ino)
{
	struct limen_fdinfo fi;
	const uint8_t *link;
	size_t mark;

	if (!(b->flags & LIMEN_BLOB_PRESENT) || b->len < sizeof(fi))
		return;
	memcpy(&fi, b->data, sizeof(fi));
	if ((uint64_t)fi.linklen + fi.namelen + fi.peerlen >
	    b->len - sizeof(fi))
		return;
	link = b->data + sizeof(fi);
	/* the runtime could not resolve it at the call (a seccomp filter
	   of the program's own could refuse or kill the calls that do):
	   no name, rather than one read now from /proc, which the
	   program, running on, may have closed or reused since */
	if (fi.flags & LIMEN_FDI_LATE)
		return;
	mark = sb->len;
	limen_sb_putc(sb, '<');
	if ((fi.want & LIMEN_FDS_SOCKET) && fi.domain >= 0 &&
	    fi.linklen > 8 && !memcmp(link, "socket:[", 8)) {
		uint64_t ino = strtoull((const char *)link + 8, NULL, 10);

		if (put_socket(sb, &fi, link + fi.linklen,
			       link + fi.linklen + fi.namelen, ino, peer_ino))
			goto close;
	}
	if ((fi.want & LIMEN_FDS_PIDFD) && fi.pid > 0) {
		limen_sb_printf(sb, "pid:%d", fi.pid);
		goto close;
	}
	if ((fi.want & LIMEN_FDS_DEV) && fi.mode) {
		uint64_t d = fi.rdev;

		put_escaped(sb, link, path_len(link, fi.linklen));
		limen_sb_printf(sb, "<%s %llu:%llu>",
				(fi.mode & 0170000) == 0060000 ? "block" : "char",
				(unsigned long long)(((d >> 8) & 0xfff) |
						     ((d >> 32) & ~0xfffull)),
				(unsigned long long)((d & 0xff) |
						     ((d >> 12) & ~0xffull)));
		goto close;
	}
	if (!(fi.want & LIMEN_FDS_PATH)) {
		sb->len = mark;	/* nothing this set shows */
		sb->p[mark] = 0;
		return;
	}
	put_escaped(sb, link, path_len(link, fi.linklen));
close:
	limen_sb_putc(sb, '>');
	/* strace: a deleted file's mark after the brackets */
	if (path_len(link, fi.linklen) != fi.linklen)
		limen_sb_puts(sb, "(deleted)");
}

void dfd_suffix(struct limen_sb *sb, const struct limen_blob *b)
{
	suffix(sb, b, 0);
}

/* The inode of a "socket:[N]" descriptor, 0 otherwise. */
static uint64_t sock_ino(const struct limen_blob *b)
{
	struct limen_fdinfo fi;

	if (!(b->flags & LIMEN_BLOB_PRESENT) || b->len < sizeof(fi))
		return 0;
	memcpy(&fi, b->data, sizeof(fi));
	if (fi.linklen <= 8 || fi.linklen > b->len - sizeof(fi) ||
	    memcmp(b->data + sizeof(fi), "socket:[", 8))
		return 0;
	return strtoull((const char *)b->data + sizeof(fi) + 8, NULL, 10);
}

/*
 * pipe, pipe2, socketpair: "[3<pipe:[N]>, 4<pipe:[N]>]". A socketpair's
 * two ends are each other's peers: known here without sock_diag, and kept
 * for the lines that follow.
 */
int dfd_pair(const struct dctx *d, const struct limen_blob *b)
{
	const struct limen_blob *f = &d->c->fdinfo[LIMEN_FDI_PAIR];
	uint64_t i0 = sock_ino(&f[0]), i1 = sock_ino(&f[1]);

	if (b->len < 8 || !((f[0].flags | f[1].flags) & LIMEN_BLOB_PRESENT))
		return 0;
	if (i0 && i1)
		peer_pair(i0, i1);
	limen_sb_printf(d->sb, "[%d", (int)r32(b->data, 0));
	suffix(d->sb, &f[0], i1);
	limen_sb_printf(d->sb, ", %d", (int)r32(b->data, 4));
	suffix(d->sb, &f[1], i0);
	limen_sb_putc(d->sb, ']');
	return 1;
}

void dfd_right(const struct dctx *d, unsigned k)
{
	if (k < LIMEN_FDI_NRIGHTS)
		suffix(d->sb, &d->c->fdinfo[LIMEN_FDI_RIGHTS + k], 0);
}

int dfd_pollfd(const struct dctx *d, const uint8_t *p, unsigned k)
{
	if (k >= LIMEN_FDI_NRIGHTS ||
	    !(d->c->fdinfo[LIMEN_FDI_RIGHTS + k].flags & LIMEN_BLOB_PRESENT))
		return 0;
	limen_sb_printf(d->sb, "{fd=%d", (int32_t)r32(p, 0));
	dfd_right(d, k);
	limen_sb_puts(d->sb, ", events=");
	ds_pollev(d->sb, r16(p, 4));
	limen_sb_putc(d->sb, '}');
	return 1;
}
