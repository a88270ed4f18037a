// SPDX-License-Identifier: MIT
/*
 * Netlink messages, as strace 6.1 prints them in sendto's and recvfrom's
 * buffer and in sendmsg's and recvmsg's iov_base: the runtime captured
 * the data whole with the socket's protocol (src/runtime/dump.c,
 * LIMEN_CAP_NETLINK).
 *
 *   one message          [{nlmsg_len=..., nlmsg_type=..., ...}, BODY]
 *   several              [[{...}, BODY], [{...}, BODY], {...}]
 *   a header alone       {nlmsg_len=20, ...}
 *   BODY                 {struct}, ATTRS  or  {struct}  or  "\x.."
 *   ATTRS: one           [{nla_len=8, nla_type=IFLA_EXT_MASK}, VALUE]
 *          several       [[{...}, VALUE], [{...}, VALUE]]
 *
 * Decoded: nlmsghdr (types and flags per protocol), NLMSG_ERROR's error and
 * the message it answers, NLMSG_DONE's int; NETLINK_ROUTE's ifinfomsg
 * (RTM_*LINK) and ifaddrmsg (RTM_*ADDR) with their attributes;
 * NETLINK_SOCK_DIAG's inet_diag_req_v2 (requests) and inet_diag_msg
 * (answers) for AF_INET and AF_INET6 with theirs, unix_diag_req and
 * unix_diag_msg for AF_UNIX, NETLINK_ROUTE's rtmsg (RTM_*ROUTE) with its. The attribute values
 * decoded are listed in the tables below; any other value, and any other
 * body, is printed as strace prints what it does not decode: its bytes, in
 * hex. As strace without -v, at most -s messages or attributes are listed
 * in one array, then "...".
 */
#include <arpa/inet.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode/dec_int.h"
#include "session/session.h"

#define NLMSG_HDR 16u
#define NLA_HDR 4u
#define ALIGN4(x) (((x) + 3u) & ~3u)

#define NETLINK_ROUTE_ 0
#define NETLINK_SOCK_DIAG_ 4
#define SOCK_DIAG_BY_FAMILY_ 20

struct nlctx {
	const struct dctx *d;
	struct limen_sb *sb;
	uint32_t proto;
};

static void hexstr(const struct nlctx *n, const uint8_t *p, size_t len)
{
	size_t m = len > n->d->strsize ? n->d->strsize : len;

	dq_bytes(n->sb, p, m, m < len, 1);
}

/* ---------------------------------------------------------- values */

enum nla_kind {
	V_HEX = 0, V_U8, V_U16, V_U32, V_U64, V_S32, V_STR, V_HWADDR,
	V_INADDR, V_RTEXT, V_IFAFLAGS, V_CACHEINFO, V_SOCKOPT, V_IFINDEX,
	V_STATS32, V_STATS64, V_RTTABLE, V_RTACACHE, V_IDMEMINFO, V_SKMEMINFO,
	V_UDVFS, V_UDRQLEN, V_UDNAME,
};

/* struct rtnl_link_stats and rtnl_link_stats64: the fields strace names
   (the last two are newer: printed when the attribute has them) */
static const char *const link_stats[] = {
	"rx_packets", "tx_packets", "rx_bytes", "tx_bytes", "rx_errors",
	"tx_errors", "rx_dropped", "tx_dropped", "multicast", "collisions",
	"rx_length_errors", "rx_over_errors", "rx_crc_errors",
	"rx_frame_errors", "rx_fifo_errors", "rx_missed_errors",
	"tx_aborted_errors", "tx_carrier_errors", "tx_fifo_errors",
	"tx_heartbeat_errors", "tx_window_errors", "rx_compressed",
	"tx_compressed", "rx_nohandler", "rx_otherhost_dropped",
};

static void ifindex(struct limen_sb *sb, uint32_t i)
{
	char name[IF_NAMESIZE], t[IF_NAMESIZE + 24];

	if (!i || !if_indextoname(i, name)) {
		limen_sb_printf(sb, "%u", i);
		return;
	}
	/* -X: 1, or 1 and the call in a comment */
	snprintf(t, sizeof(t), "if_nametoindex(\"%s\")", name);
	dx_named_dec(sb, i, t);
}

static void inaddr(struct limen_sb *sb, int family, const uint8_t *p,
		   size_t len)
{
	char buf[INET6_ADDRSTRLEN], t[INET6_ADDRSTRLEN + 32];

	if (family == 2 /* AF_INET */ && len >= 4) {
		inet_ntop(2, p, buf, sizeof(buf));
		snprintf(t, sizeof(t), "inet_addr(\"%s\")", buf);
		ds_sa_field(sb, NULL, p, 4, t, NULL);
	} else if (family == 10 /* AF_INET6 */ && len >= 16) {
		inet_ntop(10, p, buf, sizeof(buf));
		snprintf(t, sizeof(t), "inet_pton(AF_INET6, \"%s\")", buf);
		ds_sa_field(sb, NULL, p, 16, t, NULL);
	}
}

/* 1 if printed; 0: the caller prints the bytes */
static int value(const struct nlctx *n, int kind, int family,
		 const uint8_t *p, size_t len)
{
	struct limen_sb *sb = n->sb;

	switch (kind) {
	case V_U8:
		if (len < 1)
			return 0;
		limen_sb_printf(sb, "%u", p[0]);
		return 1;
	case V_U16:
		if (len < 2)
			return 0;
		limen_sb_printf(sb, "%u", r16(p, 0));
		return 1;
	case V_U32:
		if (len < 4)
			return 0;
		limen_sb_printf(sb, "%u", r32(p, 0));
		return 1;
	case V_IFINDEX:
		if (len < 4)
			return 0;
		ifindex(sb, r32(p, 0));
		return 1;
	case V_S32:
		if (len < 4)
			return 0;
		limen_sb_printf(sb, "%d", (int32_t)r32(p, 0));
		return 1;
	case V_U64:
		if (len < 8)
			return 0;
		limen_sb_printf(sb, "%llu", (unsigned long long)r64(p, 0));
		return 1;
	case V_STR: {
		size_t m = strnlen((const char *)p, len);

		if (m > n->d->strsize) {
			dq_bytes(sb, p, n->d->strsize, 1, 0);
			return 1;
		}
		dq_bytes(sb, p, m, m == len, 0);
		return 1;
	}
	case V_HWADDR: {
		struct limen_sb *out = sb;
		struct limen_sb t = { 0 };

		/* the text apart, for -X to put after the bytes */
		if (sb->xstyle)
			sb = &t;
		for (size_t i = 0; i < len; i++)
			limen_sb_printf(sb, i ? ":%02x" : "%02x", p[i]);
		if (out != sb) {
			limen_sb_putc(sb, 0);
			ds_sa_field(out, NULL, p, len, t.p ? t.p : "", NULL);
			free(t.p);
		}
		return 1;
	}
	case V_INADDR:
		if ((family == 2 && len != 4) || (family == 10 && len != 16) ||
		    (family != 2 && family != 10))
			return 0;
		inaddr(sb, family, p, len);
		return 1;
	case V_RTEXT:
		if (len < 4)
			return 0;
		dx_flags(sb, &limen_xlats[LIMEN_XLAT_rtext_filter], r32(p, 0),
			 NULL);
		return 1;
	case V_IFAFLAGS:
		if (len < 4)
			return 0;
		dx_flags(sb, &limen_xlats[LIMEN_XLAT_ifa_flags], r32(p, 0),
			 NULL);
		return 1;
	case V_CACHEINFO:
		if (len < 16)
			return 0;
		limen_sb_printf(sb, "{ifa_prefered=%u, ifa_valid=%u, cstamp=%u, "
				"tstamp=%u}", r32(p, 0), r32(p, 4), r32(p, 8),
				r32(p, 12));
		return 1;
	case V_RTACACHE:	/* struct rta_cacheinfo */
		if (len < 32)
			return 0;
		limen_sb_printf(sb, "{rta_clntref=%u, rta_lastuse=%u, "
				"rta_expires=%d, rta_error=%u, rta_used=%u, "
				"rta_id=%u, rta_ts=%u, rta_tsage=%u}",
				r32(p, 0), r32(p, 4), (int32_t)r32(p, 8),
				r32(p, 12), r32(p, 16), r32(p, 20), r32(p, 24),
				r32(p, 28));
		return 1;
	case V_UDNAME: {
		/* a socket's name: a path ends with its NUL, an abstract
		   name starts with one and has none at the end ("...", as
		   strace prints a string that was not terminated) */
		int term = len && !p[len - 1];
		size_t m = term ? len - 1 : len;

		if (m > n->d->strsize) {
			dq_bytes(sb, p, n->d->strsize, 1, 0);
			return 1;
		}
		dq_bytes(sb, p, m, !term, 0);
		return 1;
	}
	case V_IDMEMINFO:	/* struct inet_diag_meminfo */
		if (len < 16)
			return 0;
		limen_sb_printf(sb, "{idiag_rmem=%u, idiag_wmem=%u, "
				"idiag_fmem=%u, idiag_tmem=%u}", r32(p, 0),
				r32(p, 4), r32(p, 8), r32(p, 12));
		return 1;
	case V_UDVFS: {		/* struct unix_diag_vfs: dev first, as strace */
		uint64_t dev;

		if (len < 8)
			return 0;
		dev = r32(p, 4);
		limen_sb_printf(sb, "{udiag_vfs_dev=makedev(%#llx, %#llx), "
				"udiag_vfs_ino=%u}",
				(unsigned long long)(((dev >> 8) & 0xfff) |
						     ((dev >> 32) & ~0xfffull)),
				(unsigned long long)((dev & 0xff) |
						     ((dev >> 12) & ~0xffull)),
				r32(p, 0));
		return 1;
	}
	case V_UDRQLEN:		/* struct unix_diag_rqlen */
		if (len < 8)
			return 0;
		limen_sb_printf(sb, "{udiag_rqueue=%u, udiag_wqueue=%u}",
				r32(p, 0), r32(p, 4));
		return 1;
	case V_SKMEMINFO: {	/* u32[SK_MEMINFO_VARS], indices by name */
		const struct limen_xlat *x = &limen_xlats[LIMEN_XLAT_sk_meminfo];

		if (len < 4 || len % 4)
			return 0;
		limen_sb_putc(sb, '[');
		for (size_t i = 0; i < len / 4; i++) {
			const char *nm = dx_lookup(x, i);

			if (i)
				limen_sb_puts(sb, ", ");
			if (i >= n->d->strsize) {
				limen_sb_puts(sb, "...");
				break;
			}
			if (nm)
				limen_sb_printf(sb, "[%s]=", nm);
			else
				limen_sb_printf(sb, "[%zu]=", i);
			limen_sb_printf(sb, "%u", r32(p, 4 * i));
		}
		limen_sb_putc(sb, ']');
		return 1;
	}
	case V_RTTABLE:
		if (len < 4)
			return 0;
		dx_enum(sb, &limen_xlats[LIMEN_XLAT_rt_table], r32(p, 0), "%llu");
		return 1;
	case V_STATS32:
	case V_STATS64: {
		size_t w = kind == V_STATS64 ? 8 : 4, nf = len / w;

		if (nf < 23)
			return 0;
		if (nf > ARRAY_LEN(link_stats))
			nf = ARRAY_LEN(link_stats);
		for (size_t i = 0; i < nf; i++)
			limen_sb_printf(sb, "%s%s=%llu", i ? ", " : "{",
					link_stats[i],
					(unsigned long long)(w == 8 ? r64(p, 8 * i) :
							     r32(p, 4 * i)));
		limen_sb_putc(sb, '}');
		return 1;
	}
	case V_SOCKOPT: {
		/* struct inet_diag_sockopt: its set bits, by name */
		static const char *const bit[] = {
			"recverr", "is_icsk", "freebind", "hdrincl", "mc_loop",
			"transparent", "mc_all", "nodefrag",
			"bind_address_no_port", "recverr_rfc4884",
			"defer_connect",
		};
		uint16_t v;
		int first = 1;

		if (len < 2)
			return 0;
		v = r16(p, 0);
		limen_sb_putc(sb, '{');
		for (unsigned i = 0; i < ARRAY_LEN(bit); i++)
			if (v & (1u << i)) {
				limen_sb_printf(sb, "%s%s=1", first ? "" : ", ",
						bit[i]);
				first = 0;
			}
		limen_sb_putc(sb, '}');
		return 1;
	}
	}
	return 0;
}

/* What each attribute type of a family carries. */
struct nla_kinds {
	const struct limen_xlat *names;
	const uint8_t *kind;
	size_t n;
};

static const uint8_t ifla_kind[] = {
	[1] = V_HWADDR,	/* IFLA_ADDRESS */
	[2] = V_HWADDR,	/* IFLA_BROADCAST */
	[3] = V_STR,	/* IFLA_IFNAME */
	[4] = V_U32,	/* IFLA_MTU */
	[5] = V_IFINDEX, /* IFLA_LINK */
	[6] = V_STR,	/* IFLA_QDISC */
	[10] = V_IFINDEX, /* IFLA_MASTER */
	[13] = V_U32,	/* IFLA_TXQLEN */
	[16] = V_U8,	/* IFLA_OPERSTATE */
	[17] = V_U8,	/* IFLA_LINKMODE */
	[19] = V_U32,	/* IFLA_NET_NS_PID */
	[20] = V_STR,	/* IFLA_IFALIAS */
	[21] = V_U32,	/* IFLA_NUM_VF */
	[27] = V_U32,	/* IFLA_GROUP */
	[28] = V_U32,	/* IFLA_NET_NS_FD */
	[29] = V_RTEXT,	/* IFLA_EXT_MASK */
	[30] = V_U32,	/* IFLA_PROMISCUITY */
	[31] = V_U32,	/* IFLA_NUM_TX_QUEUES */
	[32] = V_U32,	/* IFLA_NUM_RX_QUEUES */
	[33] = V_U8,	/* IFLA_CARRIER */
	[35] = V_U32,	/* IFLA_CARRIER_CHANGES */
	[37] = V_S32,	/* IFLA_LINK_NETNSID */
	[38] = V_STR,	/* IFLA_PHYS_PORT_NAME */
	[39] = V_U8,	/* IFLA_PROTO_DOWN */
	[40] = V_U32,	/* IFLA_GSO_MAX_SEGS */
	[41] = V_U32,	/* IFLA_GSO_MAX_SIZE */
	[44] = V_U32,	/* IFLA_EVENT */
	[45] = V_S32,	/* IFLA_NEW_NETNSID */
	[46] = V_S32,	/* IFLA_TARGET_NETNSID */
	[47] = V_U32,	/* IFLA_CARRIER_UP_COUNT */
	[48] = V_U32,	/* IFLA_CARRIER_DOWN_COUNT */
	[49] = V_S32,	/* IFLA_NEW_IFINDEX */
	[50] = V_U32,	/* IFLA_MIN_MTU */
	[51] = V_U32,	/* IFLA_MAX_MTU */
	[53] = V_STR,	/* IFLA_ALT_IFNAME */
	[54] = V_HWADDR, /* IFLA_PERM_ADDRESS */
	[56] = V_STR,	/* IFLA_PARENT_DEV_NAME */
	[57] = V_STR,	/* IFLA_PARENT_DEV_BUS_NAME */
	[58] = V_U32,	/* IFLA_GRO_MAX_SIZE */
	[59] = V_U32,	/* IFLA_TSO_MAX_SIZE */
	[60] = V_U32,	/* IFLA_TSO_MAX_SEGS */
	[61] = V_U32,	/* IFLA_ALLMULTI */
	[7] = V_STATS32, /* IFLA_STATS */
	[23] = V_STATS64, /* IFLA_STATS64 */
};

static const uint8_t ifa_kind[] = {
	[1] = V_INADDR,	/* IFA_ADDRESS */
	[2] = V_INADDR,	/* IFA_LOCAL */
	[3] = V_STR,	/* IFA_LABEL */
	[4] = V_INADDR,	/* IFA_BROADCAST */
	[5] = V_INADDR,	/* IFA_ANYCAST */
	[6] = V_CACHEINFO, /* IFA_CACHEINFO */
	[7] = V_INADDR,	/* IFA_MULTICAST */
	[8] = V_IFAFLAGS, /* IFA_FLAGS */
	[9] = V_U32,	/* IFA_RT_PRIORITY */
	[10] = V_S32,	/* IFA_TARGET_NETNSID */
	/* IFA_PROTO: bytes, as strace 6.1 */
};

static const uint8_t rta_kind[] = {
	[1] = V_INADDR,	/* RTA_DST */
	[2] = V_INADDR,	/* RTA_SRC */
	[3] = V_IFINDEX, /* RTA_IIF */
	[4] = V_IFINDEX, /* RTA_OIF */
	[5] = V_INADDR,	/* RTA_GATEWAY */
	[6] = V_U32,	/* RTA_PRIORITY */
	[7] = V_INADDR,	/* RTA_PREFSRC */
	[10] = V_U32,	/* RTA_PROTOINFO */
	[11] = V_U32,	/* RTA_FLOW */
	[12] = V_RTACACHE, /* RTA_CACHEINFO */
	[14] = V_U32,	/* RTA_MP_ALGO */
	[15] = V_RTTABLE, /* RTA_TABLE */
	[16] = V_U32,	/* RTA_MARK */
	[19] = V_INADDR, /* RTA_NEWDST */
	[20] = V_U8,	/* RTA_PREF */
	[23] = V_U64,	/* RTA_EXPIRES */
	[25] = V_U32,	/* RTA_UID */
	[26] = V_U8,	/* RTA_TTL_PROPAGATE */
	[30] = V_U32,	/* RTA_NH_ID */
};

static const uint8_t udiag_kind[] = {
	[0] = V_UDNAME,	/* UNIX_DIAG_NAME */
	[1] = V_UDVFS,	/* UNIX_DIAG_VFS */
	[2] = V_U32,	/* UNIX_DIAG_PEER */
	[4] = V_UDRQLEN, /* UNIX_DIAG_RQLEN */
	[5] = V_SKMEMINFO, /* UNIX_DIAG_MEMINFO */
	[6] = V_U8,	/* UNIX_DIAG_SHUTDOWN */
	[7] = V_U32,	/* UNIX_DIAG_UID */
};

static const uint8_t idiag_kind[] = {
	[1] = V_IDMEMINFO, /* INET_DIAG_MEMINFO */
	[4] = V_STR,	/* INET_DIAG_CONG */
	[5] = V_U8,	/* INET_DIAG_TOS */
	[6] = V_U8,	/* INET_DIAG_TCLASS */
	[8] = V_U8,	/* INET_DIAG_SHUTDOWN */
	[10] = V_U8,	/* INET_DIAG_PROTOCOL */
	[11] = V_U8,	/* INET_DIAG_SKV6ONLY */
	[15] = V_U32,	/* INET_DIAG_MARK */
	[17] = V_U32,	/* INET_DIAG_CLASS_ID */
	[7] = V_SKMEMINFO, /* INET_DIAG_SKMEMINFO */
	[21] = V_U64,	/* INET_DIAG_CGROUP_ID */
	[22] = V_SOCKOPT, /* INET_DIAG_SOCKOPT */
};

/* --------------------------------------------------------- attributes */

static void one_attr(const struct nlctx *n, const struct nla_kinds *k,
		     int family, const uint8_t *p, size_t len)
{
	struct limen_sb *sb = n->sb;
	uint16_t nla_len = r16(p, 0), raw = r16(p, 2), type = raw & 0x3fff;
	size_t l = nla_len < len ? nla_len : len;

	if (l > NLA_HDR)
		limen_sb_putc(sb, '[');
	limen_sb_printf(sb, "{nla_len=%u, nla_type=", nla_len);
	if (raw & 0x8000)
		limen_sb_puts(sb, "NLA_F_NESTED|");
	if (raw & 0x4000)
		limen_sb_puts(sb, "NLA_F_NET_BYTEORDER|");
	dx_enum(sb, k->names, type, NULL);
	limen_sb_putc(sb, '}');
	if (l <= NLA_HDR)
		return;
	limen_sb_puts(sb, ", ");
	if (type >= k->n || !value(n, k->kind[type], family, p + NLA_HDR,
				   l - NLA_HDR))
		hexstr(n, p + NLA_HDR, l - NLA_HDR);
	limen_sb_putc(sb, ']');
}

static void attrs(const struct nlctx *n, const struct nla_kinds *k,
		  int family, const uint8_t *p, size_t len)
{
	struct limen_sb *sb = n->sb;
	int array = 0;

	for (unsigned elt = 0;; elt++) {
		size_t next = 0;
		uint16_t nla_len;

		if (len < NLA_HDR) {
			if (len && array)
				hexstr(n, p, len);
			break;
		}
		if (!n->d->verbose && elt == n->d->strsize) {
			limen_sb_puts(sb, "...");
			break;
		}
		nla_len = r16(p, 0);
		if (nla_len >= NLA_HDR && len > ALIGN4((size_t)nla_len))
			next = ALIGN4((size_t)nla_len);
		if (!array && next) {
			limen_sb_putc(sb, '[');
			array = 1;
		}
		one_attr(n, k, family, p, len);
		if (!next)
			break;
		limen_sb_puts(sb, ", ");
		p += next;
		len -= next;
	}
	if (array)
		limen_sb_putc(sb, ']');
}

/* ------------------------------------------------------------ bodies */

static void family(struct limen_sb *sb, uint8_t f)
{
	dx_enum(sb, &limen_xlats[LIMEN_XLAT_socket_domain], f, NULL);
}

static int route_body(const struct nlctx *n, uint16_t type,
		      const uint8_t *p, size_t len)
{
	struct limen_sb *sb = n->sb;
	static const struct nla_kinds link = {
		&limen_xlats[LIMEN_XLAT_ifla_attr], ifla_kind,
		ARRAY_LEN(ifla_kind)
	}, addr = {
		&limen_xlats[LIMEN_XLAT_ifa_attr], ifa_kind, ARRAY_LEN(ifa_kind)
	};

	if (type >= 16 && type <= 19) {	/* RTM_*LINK: struct ifinfomsg */
		limen_sb_puts(sb, "{ifi_family=");
		family(sb, p[0]);
		if (len < 16) {
			limen_sb_puts(sb, ", ...}");
			return 1;
		}
		limen_sb_puts(sb, ", ifi_type=");
		dx_enum(sb, &limen_xlats[LIMEN_XLAT_arphrd], r16(p, 2), NULL);
		limen_sb_puts(sb, ", ifi_index=");
		ifindex(sb, r32(p, 4));
		limen_sb_puts(sb, ", ifi_flags=");
		dx_flags(sb, &limen_xlats[LIMEN_XLAT_iff_flags], r32(p, 8), NULL);
		limen_sb_puts(sb, ", ifi_change=");
		dx_flags(sb, &limen_xlats[LIMEN_XLAT_iff_flags], r32(p, 12),
			 NULL);
		limen_sb_putc(sb, '}');
		if (len > 16) {
			limen_sb_puts(sb, ", ");
			attrs(n, &link, p[0], p + 16, len - 16);
		}
		return 1;
	}
	if (type >= 24 && type <= 26) {	/* RTM_*ROUTE: struct rtmsg */
		static const struct nla_kinds route = {
			&limen_xlats[LIMEN_XLAT_rta_attr], rta_kind,
			ARRAY_LEN(rta_kind)
		};

		limen_sb_puts(sb, "{rtm_family=");
		family(sb, p[0]);
		if (len < 12) {
			limen_sb_puts(sb, ", ...}");
			return 1;
		}
		limen_sb_printf(sb, ", rtm_dst_len=%u, rtm_src_len=%u, "
				"rtm_tos=%u, rtm_table=", p[1], p[2], p[3]);
		dx_enum(sb, &limen_xlats[LIMEN_XLAT_rt_table], p[4], "%llu");
		limen_sb_puts(sb, ", rtm_protocol=");
		dx_enum(sb, &limen_xlats[LIMEN_XLAT_rtprot], p[5], NULL);
		limen_sb_puts(sb, ", rtm_scope=");
		dx_enum(sb, &limen_xlats[LIMEN_XLAT_rt_scope], p[6], NULL);
		limen_sb_puts(sb, ", rtm_type=");
		dx_enum(sb, &limen_xlats[LIMEN_XLAT_rtn_type], p[7], NULL);
		limen_sb_puts(sb, ", rtm_flags=");
		dx_flags(sb, &limen_xlats[LIMEN_XLAT_rtm_flags], r32(p, 8), NULL);
		limen_sb_putc(sb, '}');
		if (len > 12) {
			limen_sb_puts(sb, ", ");
			attrs(n, &route, p[0], p + 12, len - 12);
		}
		return 1;
	}
	if (type >= 20 && type <= 22) {	/* RTM_*ADDR: struct ifaddrmsg */
		limen_sb_puts(sb, "{ifa_family=");
		family(sb, p[0]);
		if (len < 8) {
			limen_sb_puts(sb, ", ...}");
			return 1;
		}
		limen_sb_printf(sb, ", ifa_prefixlen=%u, ifa_flags=", p[1]);
		dx_flags(sb, &limen_xlats[LIMEN_XLAT_ifa_flags], p[2], NULL);
		limen_sb_puts(sb, ", ifa_scope=");
		dx_enum(sb, &limen_xlats[LIMEN_XLAT_rt_scope], p[3], NULL);
		limen_sb_puts(sb, ", ifa_index=");
		ifindex(sb, r32(p, 4));
		limen_sb_putc(sb, '}');
		if (len > 8) {
			limen_sb_puts(sb, ", ");
			attrs(n, &addr, p[0], p + 8, len - 8);
		}
		return 1;
	}
	return 0;
}

/* struct inet_diag_sockid at p (48 bytes) */
static void sockid_addr(struct limen_sb *sb, int fam, const uint8_t *p,
			const char *field)
{
	char buf[INET6_ADDRSTRLEN];

	/* strace: a field of an IPv6 address is written as the call that
	   fills it */
	if (fam == 10) {
		char t[INET6_ADDRSTRLEN + 32], tail[64];

		inet_ntop(10, p, buf, sizeof(buf));
		snprintf(t, sizeof(t), "inet_pton(AF_INET6, \"%s\"", buf);
		snprintf(tail, sizeof(tail), ", &%s)", field);
		ds_sa_field(sb, field, p, 16, t, tail);
		return;
	}
	limen_sb_printf(sb, "%s=", field);
	inaddr(sb, fam, p, 4);
}

static void sockid(struct limen_sb *sb, int fam, const uint8_t *p)
{
	limen_sb_printf(sb, "id={idiag_sport=htons(%u), idiag_dport=htons(%u), ",
			ntohs(r16(p, 0)), ntohs(r16(p, 2)));
	sockid_addr(sb, fam, p + 4, "idiag_src");
	limen_sb_puts(sb, ", ");
	sockid_addr(sb, fam, p + 20, "idiag_dst");
	limen_sb_puts(sb, ", idiag_if=");
	ifindex(sb, r32(p, 36));
	limen_sb_printf(sb, ", idiag_cookie=[%u, %u]}", r32(p, 40), r32(p, 44));
}

static void tcp_states(struct limen_sb *sb, uint32_t v)
{
	const struct limen_xlat *x = &limen_xlats[LIMEN_XLAT_tcp_state];
	uint32_t left = v;
	int first = 1;

	if (!v) {
		limen_sb_putc(sb, '0');
		return;
	}
	for (unsigned i = 0; i < 32; i++) {
		const char *s = dx_lookup(x, i);

		if (!(v & (1u << i)) || !s)
			continue;
		limen_sb_printf(sb, "%s1<<%s", first ? "" : "|", s);
		first = 0;
		left &= ~(1u << i);
	}
	if (left)
		limen_sb_printf(sb, "%s%#x", first ? "" : "|", left);
}

/* AF_UNIX: struct unix_diag_req (requests), unix_diag_msg (answers) */
static int unix_diag_body(const struct nlctx *n, uint16_t flags,
			  const uint8_t *p, size_t len)
{
	struct limen_sb *sb = n->sb;
	static const struct nla_kinds msg = {
		&limen_xlats[LIMEN_XLAT_unix_diag_attr], udiag_kind,
		ARRAY_LEN(udiag_kind)
	};

	if (flags & 1) {
		if (len < 24)
			return 0;
		limen_sb_printf(sb, "{sdiag_family=AF_UNIX, sdiag_protocol=%u, "
				"udiag_states=", p[1]);
		tcp_states(sb, r32(p, 4));
		limen_sb_printf(sb, ", udiag_ino=%u, udiag_show=", r32(p, 8));
		dx_flags(sb, &limen_xlats[LIMEN_XLAT_udiag_show], r32(p, 12),
			 NULL);
		limen_sb_printf(sb, ", udiag_cookie=[%u, %u]}", r32(p, 16),
				r32(p, 20));
		return 1;
	}
	if (len < 16)
		return 0;
	limen_sb_puts(sb, "{udiag_family=AF_UNIX, udiag_type=");
	dx_enum(sb, &limen_xlats[LIMEN_XLAT_socket_type], p[1], NULL);
	limen_sb_puts(sb, ", udiag_state=");
	dx_enum(sb, &limen_xlats[LIMEN_XLAT_tcp_state], p[2], NULL);
	limen_sb_printf(sb, ", udiag_ino=%u, udiag_cookie=[%u, %u]}", r32(p, 4),
			r32(p, 8), r32(p, 12));
	if (len > 16) {
		limen_sb_puts(sb, ", ");
		attrs(n, &msg, 1, p + 16, len - 16);
	}
	return 1;
}

static int diag_body(const struct nlctx *n, uint16_t type, uint16_t flags,
		     const uint8_t *p, size_t len)
{
	struct limen_sb *sb = n->sb;
	static const struct nla_kinds msg = {
		&limen_xlats[LIMEN_XLAT_inet_diag_attr], idiag_kind,
		ARRAY_LEN(idiag_kind)
	}, req = {
		&limen_xlats[LIMEN_XLAT_inet_diag_req_attr], NULL, 0
	};
	int fam = p[0];

	if (type == SOCK_DIAG_BY_FAMILY_ && fam == 1)
		return unix_diag_body(n, flags, p, len);
	if (type != SOCK_DIAG_BY_FAMILY_ || (fam != 2 && fam != 10))
		return 0;
	if (flags & 1) {	/* NLM_F_REQUEST: struct inet_diag_req_v2 */
		if (len < 56)
			return 0;
		limen_sb_puts(sb, "{sdiag_family=");
		family(sb, p[0]);
		limen_sb_puts(sb, ", sdiag_protocol=");
		dx_enum(sb, &limen_xlats[LIMEN_XLAT_ipproto], p[1], NULL);
		limen_sb_puts(sb, ", idiag_ext=");
		if (!p[2]) {
			limen_sb_putc(sb, '0');
		} else {
			const struct limen_xlat *x =
				&limen_xlats[LIMEN_XLAT_inet_diag_attr];
			uint8_t left = p[2];
			int first = 1;

			for (unsigned i = 0; i < 8; i++) {
				const char *s = dx_lookup(x, i + 1);

				if (!(p[2] & (1u << i)) || !s)
					continue;
				limen_sb_printf(sb, "%s1<<(%s-1)",
						first ? "" : "|", s);
				first = 0;
				left &= (uint8_t)~(1u << i);
			}
			if (left)
				limen_sb_printf(sb, "%s%#x", first ? "" : "|",
						left);
		}
		limen_sb_puts(sb, ", idiag_states=");
		tcp_states(sb, r32(p, 4));
		limen_sb_puts(sb, ", ");
		sockid(sb, fam, p + 8);
		limen_sb_putc(sb, '}');
		if (len > 56) {
			limen_sb_puts(sb, ", ");
			attrs(n, &req, fam, p + 56, len - 56);
		}
		return 1;
	}
	if (len < 72)		/* struct inet_diag_msg */
		return 0;
	limen_sb_puts(sb, "{idiag_family=");
	family(sb, p[0]);
	limen_sb_puts(sb, ", idiag_state=");
	dx_enum(sb, &limen_xlats[LIMEN_XLAT_tcp_state], p[1], NULL);
	limen_sb_printf(sb, ", idiag_timer=%u, idiag_retrans=%u, ", p[2], p[3]);
	sockid(sb, fam, p + 4);
	limen_sb_printf(sb, ", idiag_expires=%u, idiag_rqueue=%u, "
			"idiag_wqueue=%u, idiag_uid=%u, idiag_inode=%u}",
			r32(p, 52), r32(p, 56), r32(p, 60), r32(p, 64),
			r32(p, 68));
	if (len > 72) {
		limen_sb_puts(sb, ", ");
		attrs(n, &msg, fam, p + 72, len - 72);
	}
	return 1;
}

/* ---------------------------------------------------------- messages */

static void msg_type(const struct nlctx *n, uint16_t type)
{
	const struct limen_xlat *x = NULL;
	const char *s = NULL;

	if (type < 16)
		x = &limen_xlats[LIMEN_XLAT_nlmsg_type_base];
	else if (n->proto == NETLINK_ROUTE_)
		x = &limen_xlats[LIMEN_XLAT_nlmsg_type_route];
	else if (n->proto == NETLINK_SOCK_DIAG_)
		x = &limen_xlats[LIMEN_XLAT_nlmsg_type_sock_diag];
	if (x)
		s = dx_lookup(x, type);
	if (s)
		limen_sb_puts(n->sb, s);
	else
		limen_sb_printf(n->sb, "%#x /* NLMSG_??? */", type);
}

static void msg_flags(const struct nlctx *n, uint16_t type, uint16_t v)
{
	const struct limen_xlat *extra = NULL;
	int first = 1;
	uint64_t used;

	if (type == 2)	/* NLMSG_ERROR */
		extra = &limen_xlats[LIMEN_XLAT_nlm_ack_flags];
	else if (type >= 16 && n->proto == NETLINK_SOCK_DIAG_)
		extra = &limen_xlats[LIMEN_XLAT_nlm_get_flags];
	else if (type >= 16 && n->proto == NETLINK_ROUTE_)
		extra = (type & 3) == 0 ? &limen_xlats[LIMEN_XLAT_nlm_new_flags] :
			(type & 3) == 1 ? &limen_xlats[LIMEN_XLAT_nlm_del_flags] :
			(type & 3) == 2 ? &limen_xlats[LIMEN_XLAT_nlm_get_flags] :
					  NULL;
	if (!v) {
		limen_sb_putc(n->sb, '0');
		return;
	}
	used = dx_bits(n->sb, &limen_xlats[LIMEN_XLAT_nlm_flags], v, &first);
	if (extra)
		used |= dx_bits(n->sb, extra, v & ~used, &first);
	if (v & ~used)
		limen_sb_printf(n->sb, first ? "%#llx /* NLM_F_??? */" : "|%#llx",
				(unsigned long long)(v & ~used));
}

static void message(const struct nlctx *n, const uint8_t *p, size_t len,
		    int depth);

static void body(const struct nlctx *n, uint16_t type, uint16_t flags,
		 const uint8_t *p, size_t len, int depth)
{
	struct limen_sb *sb = n->sb;

	if (type == 2) {	/* NLMSG_ERROR: struct nlmsgerr */
		int32_t err;
		const char *name;

		if (len < 4) {
			hexstr(n, p, len);
			return;
		}
		err = (int32_t)r32(p, 0);
		name = err < 0 ? limen_errname(-err) : NULL;
		if (name)
			limen_sb_printf(sb, "{error=-%s", name);
		else
			limen_sb_printf(sb, "{error=%d", err);
		if (len > 4 && depth == 0) {
			size_t m = len - 4;

			/* NLM_F_CAPPED: only the request's header */
			if (m >= NLMSG_HDR) {
				size_t l = (flags & 0x100) ? NLMSG_HDR :
							     r32(p, 4);

				m = l < m ? l : m;
			}
			limen_sb_puts(sb, ", msg=");
			message(n, p + 4, m, depth + 1);
		}
		limen_sb_putc(sb, '}');
		return;
	}
	if (type == 3 && len == 4) {	/* NLMSG_DONE */
		limen_sb_printf(sb, "%d", (int32_t)r32(p, 0));
		return;
	}
	if (type >= 16 && n->proto == NETLINK_ROUTE_ &&
	    route_body(n, type, p, len))
		return;
	if (type >= 16 && n->proto == NETLINK_SOCK_DIAG_ &&
	    diag_body(n, type, flags, p, len))
		return;
	hexstr(n, p, len);
}

/* One message, len bytes at most (its nlmsg_len bounded by them). */
static void message(const struct nlctx *n, const uint8_t *p, size_t len,
		    int depth)
{
	struct limen_sb *sb = n->sb;
	uint32_t nl = r32(p, 0);
	uint16_t type = r16(p, 4), flags = r16(p, 6);
	size_t l = nl < len ? nl : len, at;

	if (len < NLMSG_HDR) {
		hexstr(n, p, len);
		return;
	}
	if (l > NLMSG_HDR)
		limen_sb_putc(sb, '[');
	limen_sb_printf(sb, "{nlmsg_len=%u, nlmsg_type=", nl);
	/* -X: the numbers, or the numbers and the names in comments */
	if (!dx_style_pre(sb, type, &at)) {
		msg_type(n, type);
		dx_style_post(sb, type, at);
	}
	limen_sb_puts(sb, ", nlmsg_flags=");
	if (!dx_style_pre(sb, flags, &at)) {
		msg_flags(n, type, flags);
		dx_style_post(sb, flags, at);
	}
	limen_sb_printf(sb, ", nlmsg_seq=%u, nlmsg_pid=%d}", r32(p, 8),
			(int32_t)r32(p, 12));
	if (l > NLMSG_HDR) {
		limen_sb_puts(sb, ", ");
		body(n, type, flags, p + NLMSG_HDR, l - NLMSG_HDR, depth);
		limen_sb_putc(sb, ']');
	}
}

/* The messages of one buffer of len bytes, as strace's decode_netlink. */
static void messages(const struct nlctx *n, const uint8_t *p, size_t len)
{
	struct limen_sb *sb = n->sb;
	int array = 0;

	for (unsigned elt = 0;; elt++) {
		size_t next = 0;
		uint32_t nl;

		if (len < NLMSG_HDR) {
			hexstr(n, p, len);
			break;
		}
		if (!n->d->verbose && elt == n->d->strsize) {
			limen_sb_puts(sb, "...");
			break;
		}
		nl = r32(p, 0);
		if (nl >= NLMSG_HDR && len > ALIGN4((size_t)nl))
			next = ALIGN4((size_t)nl);
		if (!array && next) {
			limen_sb_putc(sb, '[');
			array = 1;
		}
		message(n, p, len, 0);
		if (!next)
			break;
		limen_sb_puts(sb, ", ");
		p += next;
		len -= next;
	}
	if (array)
		limen_sb_putc(sb, ']');
}

/* Segment k of the capture: its bytes (all of the buffer's, or 0). */
static int segment(const struct limen_call *c, unsigned k, const uint8_t **p,
		   size_t *len, uint32_t *proto)
{
	const struct limen_blob *b = &c->netlink;
	size_t off = 8;

	if (!(b->flags & LIMEN_BLOB_PRESENT) || b->len < 8)
		return 0;
	*proto = r32(b->data, 4);
	for (uint32_t i = 0; i < r32(b->data, 0) && off + 16 <= b->len; i++) {
		uint64_t l = r64(b->data, off);
		uint32_t cl = r32(b->data, off + 8);

		if (cl > b->len - off - 16)
			return 0;
		if (i == k) {
			/* a buffer cut short by the bound: not decoded */
			if (cl != l)
				return 0;
			*p = b->data + off + 16;
			*len = cl;
			return 1;
		}
		off += 16 + (((size_t)cl + 7) & ~(size_t)7);
	}
	return 0;
}

int dnl_iov(const struct dctx *d, unsigned k)
{
	struct nlctx n = { d, d->sb, 0 };
	const uint8_t *p;
	size_t len;

	if (!segment(d->c, k, &p, &len, &n.proto))
		return 0;
	messages(&n, p, len);
	return 1;
}

int dnl_buf(const struct dctx *d, unsigned i)
{
	unsigned long nr = d->c->nr;

	if (i != 1 || (nr != LIMEN_NR_sendto && nr != LIMEN_NR_recvfrom) ||
	    !d->c->args[1] || (nr == LIMEN_NR_recvfrom && d->failed))
		return 0;
	return dnl_iov(d, 0);
}
