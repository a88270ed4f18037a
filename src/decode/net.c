// SPDX-License-Identifier: MIT
/*
 * Socket calls strace renders from more than one argument: struct msghdr
 * (sendmsg, recvmsg) with its name, iovecs and control messages, and the
 * option values of setsockopt/getsockopt, whose form depends on the level,
 * the option name and the length.
 */
#include <string.h>

#include "decode/dec_int.h"

/* SOL_SOCKET_, SO_*_: named constants of tables/xlat.tbl */
#define SOL_SOCKET_ LIMEN_XV_sockopt_level_SOL_SOCKET
#define SCM_RIGHTS_ 1
#define SCM_CREDENTIALS_ 2
#define SO_LINGER_ LIMEN_XV_sockopt_socket_SO_LINGER
#define SO_ERROR_ LIMEN_XV_sockopt_socket_SO_ERROR
#define SO_PEERCRED_ LIMEN_XV_sockopt_socket_SO_PEERCRED
#define MSGHDR_SIZE 56
#define CMSG_HDR 16

static uint64_t g64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

static uint32_t g32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

/* uid_t/gid_t: (uid_t)-1 reads "-1" */
static void put_id(struct limen_sb *sb, const char *name, uint32_t v)
{
	if (v == UINT32_MAX)
		limen_sb_printf(sb, "%s=-1", name);
	else
		limen_sb_printf(sb, "%s=%u", name, v);
}

static void ucred(struct limen_sb *sb, const uint8_t *p)
{
	limen_sb_printf(sb, "{pid=%d, ", (int)g32(p));
	put_id(sb, "uid", g32(p + 4));
	limen_sb_puts(sb, ", ");
	put_id(sb, "gid", g32(p + 8));
	limen_sb_putc(sb, '}');
}

/* ------------------------------------------------------------ cmsg */

static void cmsg_data(const struct dctx *d, int level, int type,
		      const uint8_t *p, size_t n, unsigned *nfd)
{
	struct limen_sb *sb = d->sb;
	unsigned strsize = d->strsize;
	size_t k;

	if (level != SOL_SOCKET_)
		return;
	if (type == SCM_RIGHTS_) {
		limen_sb_puts(sb, ", cmsg_data=[");
		for (k = 0; k + 4 <= n; k += 4) {
			if (k)
				limen_sb_puts(sb, ", ");
			if (k / 4 >= strsize) {
				limen_sb_puts(sb, "...");
				break;
			}
			limen_sb_printf(sb, "%d", (int)g32(p + k));
			dfd_right(d, (*nfd)++);	/* -y */
		}
		limen_sb_putc(sb, ']');
	} else if (type == SCM_CREDENTIALS_ && n >= 12) {
		limen_sb_puts(sb, ", cmsg_data=");
		ucred(sb, p);
	}
}

/*
 * The control buffer: "[{cmsg_len=..., cmsg_level=..., cmsg_type=...,
 * cmsg_data=...}, ...]". have: bytes captured; len: msg_controllen.
 */
static void cmsgs(const struct dctx *d, const uint8_t *p, size_t have,
		  uint64_t len, uint64_t addr)
{
	struct limen_sb *sb = d->sb;
	const struct limen_xlat *lv = &limen_xlats[LIMEN_XLAT_sockopt_level];
	size_t shown = have < len ? have : (size_t)len, left = shown;
	const uint8_t *q = p;
	unsigned nfd = 0;

	if (shown < CMSG_HDR) {
		dx_ptr(sb, addr);
		return;
	}
	limen_sb_putc(sb, '[');
	while (left >= CMSG_HDR) {
		uint64_t clen = g64(q), adv;
		int level = (int)g32(q + 8), type = (int)g32(q + 12);
		size_t n = clen < left ? (size_t)clen : left;

		if (q != p)
			limen_sb_puts(sb, ", ");
		limen_sb_printf(sb, "{cmsg_len=%llu, cmsg_level=",
				(unsigned long long)clen);
		dx_enum(sb, lv, (uint32_t)level, NULL);
		limen_sb_puts(sb, ", cmsg_type=");
		if (level == SOL_SOCKET_)
			dx_enum(sb, &limen_xlats[LIMEN_XLAT_scm_type],
				(uint32_t)type, NULL);
		else
			limen_sb_printf(sb, "%#x", (unsigned)type);
		if (n > CMSG_HDR)
			cmsg_data(d, level, type, q + CMSG_HDR, n - CMSG_HDR,
				  &nfd);
		limen_sb_putc(sb, '}');
		if (n < CMSG_HDR) {
			left -= CMSG_HDR;
			break;
		}
		/* the last one, or a length the kernel refused (EINVAL): a
		   cmsg_len near 2^64 would round up to 0 and never advance */
		if (clen >= left) {
			left = 0;
			break;
		}
		adv = (clen + 7) & ~7ULL;
		if (adv >= left) {
			left = 0;
			break;
		}
		q += adv;
		left -= (size_t)adv;
	}
	if (left)
		limen_sb_printf(sb, ", ... /* %#llx */",
				(unsigned long long)(addr + (shown - left)));
	else if (shown < len)
		limen_sb_puts(sb, ", ...");
	limen_sb_putc(sb, ']');
}

/* ------------------------------------------------------------ msghdr */

/* One "u32 len, u32 pad, bytes padded to 8" section; NULL if cut short. */
static const uint8_t *section(const uint8_t *p, const uint8_t *end,
			      uint32_t *len, const uint8_t **next)
{
	if (end - p < 8)
		return NULL;
	*len = g32(p);
	if ((size_t)(end - p - 8) < *len)
		*len = (uint32_t)(end - p - 8);
	*next = p + 8 + (((size_t)*len + 7) & ~(size_t)7);
	if (*next > end)
		*next = end;
	return p + 8;
}

int dnet_msghdr(const struct dctx *d, const struct limen_blob *b, int out)
{
	struct limen_sb *sb = d->sb;
	const uint8_t *p = b->data, *end = b->data + b->len, *name, *ctl, *q;
	uint64_t name_p, iov_p, iovlen, ctl_p, ctllen;
	uint32_t namelen, namecap, ctlcap = 0, fl;
	struct limen_blob iov;

	if (b->len < MSGHDR_SIZE)
		return 0;
	name_p = g64(p);
	namelen = g32(p + 8);
	iov_p = g64(p + 16);
	iovlen = g64(p + 24);
	ctl_p = g64(p + 32);
	ctllen = g64(p + 40);
	fl = g32(p + 48);

	name = section(p + MSGHDR_SIZE, end, &namecap, &q);
	if (!name)
		return 0;
	iov.data = q;
	iov.len = (uint32_t)dd_iov_size(q, (size_t)(end - q));
	iov.flags = LIMEN_BLOB_PRESENT;
	ctl = section(q + iov.len, end, &ctlcap, &q);

	limen_sb_puts(sb, "{msg_name=");
	if (name_p && namecap && namelen)
		ds_sockaddr(sb, name, namelen < namecap ? namelen : namecap);
	else
		dx_ptr(sb, name_p);
	limen_sb_printf(sb, ", msg_namelen=");
	/* recvmsg's length before the call, when the call changed it
	   (capture.c: MSG_HEAD at entry): 28 => 0 */
	if (out && d->c->nr == LIMEN_NR_recvmsg) {
		const struct limen_blob *in = dd_blob(d, 1, 0);

		if (in && in->len >= 12 && g32(in->data + 8) != namelen)
			limen_sb_printf(sb, "%d => ", (int)g32(in->data + 8));
	}
	limen_sb_printf(sb, "%d, msg_iov=", (int)namelen);
	if (!iov_p)
		limen_sb_puts(sb, "NULL");
	else if (iov.len < 8)
		dx_ptr(sb, iov_p);
	else
		dd_iov(d, &iov, iov_p, out);
	limen_sb_printf(sb, ", msg_iovlen=%llu", (unsigned long long)iovlen);
	if (ctllen) {
		limen_sb_puts(sb, ", msg_control=");
		if (ctl_p && ctl)
			cmsgs(d, ctl, ctlcap, ctllen, ctl_p);
		else
			dx_ptr(sb, ctl_p);
	}
	limen_sb_printf(sb, ", msg_controllen=%llu, msg_flags=",
			(unsigned long long)ctllen);
	dx_flags(sb, &limen_xlats[LIMEN_XLAT_msg_flags], fl, "0");
	limen_sb_putc(sb, '}');
	return 1;
}

/* ------------------------------------------------------------ sockopt */

/* SOL_SOCKET options whose value is an int (the rest print as bytes). */
static int so_is_int(uint64_t name)
{
	switch (name) {
	case 13: case 17: /* struct linger, struct ucred */
	case 20: case 21: /* SO_RCVTIMEO_OLD, SO_SNDTIMEO_OLD: timeval */
	case 22: case 23: case 24: case 25: case 26: case 27: case 28:
	case 31: case 51: case 52: case 53: case 55: case 57: case 59:
	case 61: case 66: case 67:
		return 0;
	}
	return 1;
}

void dnet_sockopt_val(const struct dctx *d)
{
	struct limen_sb *sb = d->sb;
	uint64_t v = d->c->args[3], level = d->c->args[1] & 0xffffffff;
	uint64_t name = d->c->args[2] & 0xffffffff, len;
	int get = d->c->nr == LIMEN_NR_getsockopt;
	const struct limen_blob *b, *lb;
	int32_t x;

	if (!v) {
		limen_sb_puts(sb, "NULL");
		return;
	}
	if (get) {
		lb = d->failed ? NULL : dd_blob(d, 4, 1);
		if (!lb || lb->len < 4 || !d->c->has_ret) {
			dx_ptr(sb, v);
			return;
		}
		len = g32(lb->data);
		b = dd_blob(d, 3, 1);
	} else {
		len = (uint32_t)d->c->args[4];
		b = dd_blob(d, 3, 0);
	}
	if (!b || !len) {
		dx_ptr(sb, v);
		return;
	}
	if (level == SOL_SOCKET_ && name == SO_LINGER_ && len >= 8) {
		if (b->len < 8 || d->noderef)
			goto ptr;
		limen_sb_printf(sb, "{l_onoff=%d, l_linger=%d}",
				(int)g32(b->data), (int)g32(b->data + 4));
		return;
	}
	if (level == SOL_SOCKET_ && name == SO_PEERCRED_ && get && len >= 12) {
		if (b->len < 12 || d->noderef)
			goto ptr;
		ucred(sb, b->data);
		return;
	}
	if (level == SOL_SOCKET_ && so_is_int(name) && (!get || len == 4)) {
		const char *e;

		if (len < 4 || b->len < 4 || d->noderef)
			goto ptr;
		memcpy(&x, b->data, 4);
		/* SO_ERROR's pending error by name: [ECONNREFUSED] */
		e = get && name == SO_ERROR_ && x > 0 ?
		    dx_lookup(&limen_xlats[LIMEN_XLAT_errno], (uint64_t)x) :
		    NULL;
		if (!e || sb->xstyle == 1)
			limen_sb_printf(sb, "[%d]", x);
		else if (sb->xstyle == 2)
			limen_sb_printf(sb, "[%d /* %s */]", x, e);
		else
			limen_sb_printf(sb, "[%s]", e);
		return;
	}
	/* a short read of an int option: strace shows the bytes in hex
	   (but not for SO_TYPE, SO_PROTOCOL, SO_DOMAIN) */
	if (level == SOL_SOCKET_ && so_is_int(name) && get && len < 4 &&
	    name != 3 && name != 38 && name != 39) {
		dq_bytes(sb, b->data, b->len < len ? b->len : (size_t)len,
			 b->len < len, 1);
		return;
	}
	if (len == 4 && b->len >= 4) {
		if (d->noderef)	/* strace's printnum_int */
			goto ptr;
		memcpy(&x, b->data, 4);
		limen_sb_printf(sb, "[%d]", x);
		return;
	}
	dq_blob(sb, b, len > SIZE_MAX ? SIZE_MAX : (size_t)len, d->strsize);
	return;
ptr:
	dx_ptr(sb, v);
}

/* strace marks an unknown level "SOL_??" (two question marks) */
void dnet_sockopt_level(struct limen_sb *sb, uint64_t level)
{
	const char *n = dx_lookup(&limen_xlats[LIMEN_XLAT_sockopt_level],
				  level);

	if (n)
		dx_named(sb, level, n);
	else
		limen_sb_printf(sb, sb->xstyle == 1 ? "%#llx" :
				"%#llx /* SOL_?? */",
				(unsigned long long)level);
}

void dnet_sockopt_name(struct limen_sb *sb, uint64_t level, uint64_t name)
{
	switch (level) {
	case SOL_SOCKET_:
		dx_enum(sb, &limen_xlats[LIMEN_XLAT_sockopt_socket], name, NULL);
		return;
	case 6: /* SOL_TCP */
		dx_enum(sb, &limen_xlats[LIMEN_XLAT_sockopt_tcp], name, NULL);
		return;
	case 0: /* SOL_IP */
		dx_enum(sb, &limen_xlats[LIMEN_XLAT_sockopt_ip], name, NULL);
		return;
	case 17: /* SOL_UDP */
		dx_enum(sb, &limen_xlats[LIMEN_XLAT_sockopt_udp], name, NULL);
		return;
	case 41: /* SOL_IPV6 */
		dx_enum(sb, &limen_xlats[LIMEN_XLAT_sockopt_ipv6], name, NULL);
		return;
	case 270: /* SOL_NETLINK */
		dx_enum(sb, &limen_xlats[LIMEN_XLAT_sockopt_netlink], name, NULL);
		return;
	case 255: /* SOL_RAW */
		if (name == 1) {
			limen_sb_puts(sb, "ICMP_FILTER");
			return;
		}
		break;
	}
	limen_sb_printf(sb, "%llu", (unsigned long long)name);
}

/* The type, then its flags as strace prints them (sock_type_flags, with
   its "SOCK_???" comment when no flag has a name: SOCK_STREAM|0x1000
   /" "* SOCK_??? *" "/, but SOCK_STREAM|SOCK_CLOEXEC|0x1000); a type with
   no name is one of the flags' leftover bits (SOCK_CLOEXEC|0xf). -X:
   the type, then the flags, each a number (raw) and with its names
   (verbose) */
static void sock_type(struct limen_sb *sb, uint64_t v)
{
	uint32_t t = v & 0xf, rest = (uint32_t)v;
	const char *n = dx_lookup(&limen_xlats[LIMEN_XLAT_socket_type], t);

	if (n) {
		dx_named(sb, t, n);
		rest &= ~0xfu;
		if (!rest)
			return;
		limen_sb_putc(sb, '|');
	}
	dx_flags(sb, &limen_xlats[LIMEN_XLAT_socket_type_flags], rest, "0");
}

/* socket's protocol as strace 6.1 shows it: by name for AF_INET and
   AF_INET6 (IPPROTO_TCP, 0x7777 /" "* IPPROTO_??? *" "/), AF_NETLINK and
   AF_PACKET, the kernel's int; for the other families the whole register,
   unsigned (4294967302). socketpair's is always that number. */
static void sock_proto(const struct dctx *d)
{
	struct limen_sb *sb = d->sb;
	uint64_t dom = d->c->args[0] & 0xffffffff, p = d->c->args[2];

	if (d->c->nr == LIMEN_NR_socketpair)
		limen_sb_printf(sb, "%llu", (unsigned long long)p);
	else if (dom == 2 || dom == 10)
		dx_enum(sb, &limen_xlats[LIMEN_XLAT_ipproto], (uint32_t)p, NULL);
	else if (dom == 16)
		dx_enum(sb, &limen_xlats[LIMEN_XLAT_netlink_protocol],
			(uint32_t)p, NULL);
	else if (dom == 17) { /* AF_PACKET: an Ethernet type, big-endian */
		limen_sb_puts(sb, "htons(");
		dx_enum(sb, &limen_xlats[LIMEN_XLAT_ether_proto],
			(p >> 8 & 0xff) | (p & 0xff) << 8, NULL);
		limen_sb_putc(sb, ')');
	} else
		limen_sb_printf(sb, "%llu", (unsigned long long)p);
}

/* sendmmsg/recvmmsg: "[{msg_hdr={...}, msg_len=5}, ...]" from the mmsghdr
   encoding (decode/decode.h); each message's data bounded by its msg_len */
static void mmsg_arg(const struct dctx *d)
{
	struct limen_sb *sb = d->sb;
	uint64_t v = d->c->args[1];
	const struct limen_blob *b = NULL;
	const uint8_t *p, *end;
	uint32_t n, total, k;

	if (d->c->has_ret && !d->failed)
		b = dd_blob(d, 1, 1);
	if (!b || b->len < 8 || !(d->c->cap_out[1].flags & LIMEN_BLOB_PRESENT)) {
		dx_ptr(sb, v);
		return;
	}
	memcpy(&n, b->data, 4);
	memcpy(&total, b->data + 4, 4);
	p = b->data + 8;
	end = b->data + b->len;
	limen_sb_putc(sb, '[');
	for (k = 0; k < n && end - p >= 8; k++) {
		struct limen_call c2 = *d->c;
		struct dctx d2 = *d;
		struct limen_blob m;
		uint32_t mlen, len;

		memcpy(&mlen, p, 4);
		memcpy(&len, p + 4, 4);
		if ((size_t)(end - p - 8) < len)
			len = (uint32_t)(end - p - 8);
		if (k)
			limen_sb_puts(sb, ", ");
		if (k >= d->strsize) {
			limen_sb_puts(sb, "...");
			break;
		}
		m.data = p + 8;
		m.len = len;
		m.flags = LIMEN_BLOB_PRESENT;
		c2.ret = mlen;
		c2.has_ret = 1;
		d2.c = &c2;
		limen_sb_puts(sb, "{msg_hdr=");
		if (!dnet_msghdr(&d2, &m, 1))
			dx_ptr(sb, v + 64 * (uint64_t)k);
		limen_sb_printf(sb, ", msg_len=%u}", mlen);
		p += 8 + (((size_t)len + 7) & ~(size_t)7);
	}
	if (k == n && n < total)
		limen_sb_puts(sb, n ? ", ..." : "...");
	limen_sb_putc(sb, ']');
}

static int socket_arg(const struct dctx *d, unsigned i)
{
	if (i == 1)
		sock_type(d->sb, d->c->args[1]);
	else if (i == 2)
		sock_proto(d);
	else
		return 0;
	return 1;
}
const struct dsys dsys_socket = { .arg = socket_arg };

static int sockopt_arg(const struct dctx *d, unsigned i)
{
	if (i == 1)
		dnet_sockopt_level(d->sb, d->c->args[1] & 0xffffffff);
	else if (i == 2)
		dnet_sockopt_name(d->sb, d->c->args[1] & 0xffffffff,
				  d->c->args[2] & 0xffffffff);
	else if (i == 3)
		dnet_sockopt_val(d);
	else
		return 0;
	return 1;
}
const struct dsys dsys_sockopt = { .arg = sockopt_arg };

static int mmsg_dec_arg(const struct dctx *d, unsigned i)
{
	if (i != 1)
		return 0;
	mmsg_arg(d);
	return 1;
}

static int mmsg_arg_is_out(const struct limen_call *c, unsigned i)
{
	/* sendmmsg's messages are shown at entry, recvmmsg's at exit */
	if (i != 1)
		return -1;
	return c->nr != LIMEN_NR_sendmmsg;
}

static void mmsg_ret_aux(const struct dctx *d)
{
	const struct limen_blob *b;

	if (d->c->nr != LIMEN_NR_recvmmsg)
		return;
	b = dd_exit_blob(d, 4, 16);
	if (b) {
		limen_sb_puts(d->sb, " (left ");
		ds_timespec(d->sb, b->data);
		limen_sb_putc(d->sb, ')');
	}
}
const struct dsys dsys_mmsg = { .arg = mmsg_dec_arg,
				.arg_is_out = mmsg_arg_is_out,
				.ret_aux = mmsg_ret_aux };
