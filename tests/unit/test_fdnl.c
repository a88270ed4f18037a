/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the -y suffixes (src/decode/fdpath.c), the -e read=/write=
 * dumps (src/decode/dump.c) and the netlink decoder (src/decode/netlink.c)
 * on records built by hand: the expected lines are strace 6.1's for the
 * same objects (the tests in tests/decode compare with strace live, where it can
 * trace).
 */
#include "harness.h"
#include "session/session.h"

static uint8_t fdstore[LIMEN_FDI_SLOTS][512];
static uint8_t nlstore[4096];

static void put16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }
static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

/* fdinfo slot k: link, optional socket data */
static void fdi(unsigned k, uint32_t want, const char *link, int dom, int type,
		int proto, const void *name, uint16_t nl, const void *peer,
		uint16_t pl)
{
	struct limen_fdinfo fi = { .fd = 3, .want = want,
				   .linklen = (uint32_t)strlen(link),
				   .namelen = nl, .peerlen = pl, .domain = dom,
				   .type = type, .protocol = proto,
				   .listening = -1 };
	uint8_t *p = fdstore[k];

	memcpy(p, &fi, sizeof(fi));
	memcpy(p + sizeof(fi), link, fi.linklen);
	if (nl)
		memcpy(p + sizeof(fi) + fi.linklen, name, nl);
	if (pl)
		memcpy(p + sizeof(fi) + fi.linklen + nl, peer, pl);
	C.fdinfo[k].data = p;
	C.fdinfo[k].len = (uint32_t)(sizeof(fi) + fi.linklen + nl + pl);
	C.fdinfo[k].flags = LIMEN_BLOB_PRESENT;
}

static struct limen_fdinfo *fdi_of(unsigned k)
{
	return (struct limen_fdinfo *)fdstore[k];
}

static void sin4(uint8_t *p, const char *a, uint16_t port)
{
	memset(p, 0, 16);
	put16(p, 2);
	p[2] = (uint8_t)(port >> 8);
	p[3] = (uint8_t)port;
	sscanf(a, "%hhu.%hhu.%hhu.%hhu", &p[4], &p[5], &p[6], &p[7]);
}

static void t_fds(void)
{
	uint8_t a[16], b[28];
	const unsigned all = LIMEN_FDS_PATH | LIMEN_FDS_SOCKET | LIMEN_FDS_DEV |
			     LIMEN_FDS_PIDFD;

	call("read", 3, 0x1000, 64, 0, 0, 0);
	OUT(1, "two\n", 4);
	ret(4);
	fdi(0, LIMEN_FDS_PATH, "/tmp/d<x>/a<1>", -1, -1, -1, NULL, 0, NULL, 0);
	check("-y: a path, < and > in octal (three digits before a digit)",
	      "read(3</tmp/d\\74x\\76/a\\0741\\76>, \"two\\n\", 64) = 4");

	call("close", 12, 0, 0, 0, 0, 0);
	ret(0);
	fdi(0, LIMEN_FDS_PATH, "/memfd:m (deleted)", -1, -1, -1, NULL, 0, NULL, 0);
	check("-y: a deleted file's mark after the brackets",
	      "close(12</memfd:m>(deleted)) = 0");

	call("openat", (uint64_t)-100, 0x1000, 0, 0, 0, 0);
	INS(1, "/dev/null");
	ret(3);
	fdi(0, LIMEN_FDS_PATH, "/tmp", -1, -1, -1, NULL, 0, NULL, 0);
	fdi(6, all, "/dev/null", -1, -1, -1, NULL, 0, NULL, 0);
	fdi_of(6)->mode = 0020666;
	fdi_of(6)->rdev = (1 << 8) | 3;
	check("-yy: AT_FDCWD's directory, a device's numbers",
	      "openat(AT_FDCWD</tmp>, \"/dev/null\", O_RDONLY) = 3</dev/null<char 1:3>>");

	call("close", 1, 0, 0, 0, 0, 0);
	ret(0);
	fdi(0, LIMEN_FDS_DEV, "pipe:[123]", -1, -1, -1, NULL, 0, NULL, 0);
	check("--decode-fds=dev: nothing for a pipe", "close(1) = 0");

	call("close", 3, 0, 0, 0, 0, 0);
	ret(0);
	sin4(a, "127.0.0.1", 41234);
	sin4(b, "127.0.0.1", 8080);
	fdi(0, all, "socket:[5555]", 2, 1, 6, a, 16, b, 16);
	check("-yy: a connected TCP socket",
	      "close(3<TCP:[127.0.0.1:41234->127.0.0.1:8080]>) = 0");
	fdi(0, all, "socket:[5555]", 2, 1, 6, NULL, 0, NULL, 0);
	check("-yy: an unbound TCP socket shows its inode", "close(3<TCP:[5555]>) = 0");
	fdi(0, LIMEN_FDS_PATH, "socket:[5555]", -1, -1, -1, NULL, 0, NULL, 0);
	check("-y: socket:[INODE]", "close(3<socket:[5555]>) = 0");

	memset(b, 0, sizeof(b));
	put16(b, 10);
	b[2] = 0x1f;
	b[3] = 0x90;
	b[23] = 1;	/* ::1 */
	fdi(0, all, "socket:[7]", 10, 1, 6, b, 28, NULL, 0);
	check("-yy: a bound TCPv6 socket", "close(3<TCPv6:[[::1]:8080]>) = 0");

	memset(a, 0, sizeof(a));
	put16(a, 16);
	put32(a + 4, 8093);
	fdi(0, all, "socket:[9]", 16, 3, 0, a, 12, NULL, 0);
	check("-yy: a bound NETLINK_ROUTE socket", "close(3<NETLINK:[ROUTE:8093]>) = 0");

	memset(b, 0, sizeof(b));
	put16(b, 1);
	memcpy(b + 2, "/tmp/s", 7);
	fdi(0, all, "socket:[11]", 1, 1, 0, b, 9, NULL, 0);
	check("-yy: a bound UNIX socket", "close(3<UNIX-STREAM:[11,\"/tmp/s\"]>) = 0");

	fdi(0, all, "anon_inode:[pidfd]", -1, -1, -1, NULL, 0, NULL, 0);
	fdi_of(0)->pid = 4321;
	check("-yy: a pidfd", "close(3<pid:4321>) = 0");

	/* pipe2: both ends, each with its own link */
	call("pipe2", 0x1000, 0, 0, 0, 0, 0);
	put32(a, 3);
	put32(a + 4, 4);
	OUT(0, a, 8);
	ret(0);
	fdi(LIMEN_FDI_PAIR, LIMEN_FDS_PATH, "pipe:[77]", -1, -1, -1, NULL, 0, NULL, 0);
	fdi(LIMEN_FDI_PAIR + 1, LIMEN_FDS_PATH, "pipe:[77]", -1, -1, -1, NULL, 0,
	    NULL, 0);
	check("-y: pipe2's pair", "pipe2([3<pipe:[77]>, 4<pipe:[77]>], 0) = 0");
}

static void t_dump(void)
{
	struct limen_sb sb = { 0 };
	uint8_t d[128];

	memset(&C, 0, sizeof(C));
	put32(d, 2);
	put32(d + 4, 1);
	put64(d + 8, 2);
	put32(d + 16, 2);
	put32(d + 20, 0);
	memcpy(d + 24, "ab\0\0\0\0\0\0", 8);
	put64(d + 32, 17);
	put32(d + 40, 17);
	put32(d + 44, 0);
	memcpy(d + 48, "hello, world\x01\xff\n!!", 17);
	C.dump.data = d;
	C.dump.len = 48 + 24;
	C.dump.flags = LIMEN_BLOB_PRESENT;
	limen_decode_dump(&sb, &C);
	check_str("-e write=: strace's dump of two buffers", sb.p ? sb.p : "",
		  "\n * 2 bytes in buffer 0"
		  "\n | 00000  61 62                                             ab               |"
		  "\n * 17 bytes in buffer 1"
		  "\n | 00000  68 65 6c 6c 6f 2c 20 77  6f 72 6c 64 01 ff 0a 21  hello, world...! |"
		  "\n | 00010  21                                                !                |");
	limen_sb_free(&sb);
}

/* the netlink capture: one buffer of n bytes, protocol proto */
static void nl(const uint8_t *p, uint32_t n, uint32_t proto)
{
	put32(nlstore, 1);
	put32(nlstore + 4, proto);
	put64(nlstore + 8, n);
	put32(nlstore + 16, n);
	put32(nlstore + 20, 0);
	memcpy(nlstore + 24, p, n);
	C.netlink.data = nlstore;
	C.netlink.len = 24 + ((n + 7) & ~7u);
	C.netlink.flags = LIMEN_BLOB_PRESENT;
}

static void hdr(uint8_t *p, uint32_t len, uint16_t type, uint16_t flags,
		uint32_t seq, uint32_t pid)
{
	put32(p, len);
	put16(p + 4, type);
	put16(p + 6, flags);
	put32(p + 8, seq);
	put32(p + 12, pid);
}

static void t_netlink(void)
{
	uint8_t m[256];

	/* ip link's request */
	memset(m, 0, sizeof(m));
	hdr(m, 40, 18, 0x301, 1, 0);
	put16(m + 32, 8);
	put16(m + 34, 29);	/* IFLA_EXT_MASK */
	put32(m + 36, 1);	/* RTEXT_FILTER_VF */
	call("sendto", 3, 0x1000, 40, 0, 0, 0);
	IN(1, m, 32);
	nl(m, 40, 0);
	ret(40);
	check("RTM_GETLINK request as strace",
	      "sendto(3, [{nlmsg_len=40, nlmsg_type=RTM_GETLINK, "
	      "nlmsg_flags=NLM_F_REQUEST|NLM_F_DUMP, nlmsg_seq=1, nlmsg_pid=0}, "
	      "{ifi_family=AF_UNSPEC, ifi_type=ARPHRD_NETROM, ifi_index=0, "
	      "ifi_flags=0, ifi_change=0}, [{nla_len=8, nla_type=IFLA_EXT_MASK}, "
	      "RTEXT_FILTER_VF]], 40, 0, NULL, 0) = 40");

	/* ip addr's: a message, then a zero header */
	memset(m, 0, sizeof(m));
	hdr(m, 24, 22, 0x301, 2, 0);
	call("sendto", 3, 0x1000, 56, 0, 0, 0);
	IN(1, m, 32);
	nl(m, 56, 0);
	ret(56);
	check("RTM_GETADDR request and a zero header as strace",
	      "sendto(3, [[{nlmsg_len=24, nlmsg_type=RTM_GETADDR, "
	      "nlmsg_flags=NLM_F_REQUEST|NLM_F_DUMP, nlmsg_seq=2, nlmsg_pid=0}, "
	      "{ifa_family=AF_UNSPEC, ifa_prefixlen=0, ifa_flags=0, "
	      "ifa_scope=RT_SCOPE_UNIVERSE, ifa_index=0}], {nlmsg_len=0, "
	      "nlmsg_type=0 /* NLMSG_??? */, nlmsg_flags=0, nlmsg_seq=0, "
	      "nlmsg_pid=0}], 56, 0, NULL, 0) = 56");

	/* NLMSG_DONE, NLMSG_ERROR with the request it answers */
	memset(m, 0, sizeof(m));
	hdr(m, 20, 3, 2, 5, 77);
	call("recvfrom", 3, 0x1000, 4096, 0, 0, 0);
	OUT(1, m, 20);
	nl(m, 20, 0);
	ret(20);
	check("NLMSG_DONE as strace",
	      "recvfrom(3, [{nlmsg_len=20, nlmsg_type=NLMSG_DONE, "
	      "nlmsg_flags=NLM_F_MULTI, nlmsg_seq=5, nlmsg_pid=77}, 0], 4096, "
	      "0, NULL, NULL) = 20");
	memset(m, 0, sizeof(m));
	hdr(m, 36, 2, 0x100, 6, 77);
	put32(m + 16, (uint32_t)-2);
	hdr(m + 20, 16, 18, 1, 6, 0);
	call("recvfrom", 3, 0x1000, 4096, 0, 0, 0);
	OUT(1, m, 32);
	nl(m, 36, 0);
	ret(36);
	check("NLMSG_ERROR as strace",
	      "recvfrom(3, [{nlmsg_len=36, nlmsg_type=NLMSG_ERROR, "
	      "nlmsg_flags=NLM_F_CAPPED, nlmsg_seq=6, nlmsg_pid=77}, "
	      "{error=-ENOENT, msg={nlmsg_len=16, nlmsg_type=RTM_GETLINK, "
	      "nlmsg_flags=NLM_F_REQUEST, nlmsg_seq=6, nlmsg_pid=0}}], 4096, 0, "
	      "NULL, NULL) = 36");

	/* ss -tan's request on NETLINK_SOCK_DIAG */
	memset(m, 0, sizeof(m));
	hdr(m, 72, 20, 0x301, 123456, 0);
	m[16] = 2;	/* AF_INET */
	m[17] = 6;	/* IPPROTO_TCP */
	put32(m + 20, 0xfff);
	call("sendto", 3, 0x1000, 72, 0, 0, 0);
	IN(1, m, 32);
	nl(m, 72, 4);
	ret(72);
	check("SOCK_DIAG_BY_FAMILY with inet_diag_req_v2 as strace",
	      "sendto(3, [{nlmsg_len=72, nlmsg_type=SOCK_DIAG_BY_FAMILY, "
	      "nlmsg_flags=NLM_F_REQUEST|NLM_F_DUMP, nlmsg_seq=123456, "
	      "nlmsg_pid=0}, {sdiag_family=AF_INET, sdiag_protocol=IPPROTO_TCP, "
	      "idiag_ext=0, idiag_states=1<<TCP_ESTABLISHED|1<<TCP_SYN_SENT|"
	      "1<<TCP_SYN_RECV|1<<TCP_FIN_WAIT1|1<<TCP_FIN_WAIT2|"
	      "1<<TCP_TIME_WAIT|1<<TCP_CLOSE|1<<TCP_CLOSE_WAIT|1<<TCP_LAST_ACK|"
	      "1<<TCP_LISTEN|1<<TCP_CLOSING|0x1, id={idiag_sport=htons(0), "
	      "idiag_dport=htons(0), idiag_src=inet_addr(\"0.0.0.0\"), "
	      "idiag_dst=inet_addr(\"0.0.0.0\"), idiag_if=0, "
	      "idiag_cookie=[0, 0]}}], 72, 0, NULL, 0) = 72");

	/* SOL_NETLINK's option names */
	call("setsockopt", 3, 270, 11, 0x1000, 4, 0);
	put32(m, 1);
	IN(3, m, 4);
	ret(0);
	check("SOL_NETLINK option names",
	      "setsockopt(3, SOL_NETLINK, NETLINK_EXT_ACK, [1], 4) = 0");
}

int main(void)
{
	t_fds();
	t_dump();
	t_netlink();
	printf("1..%d\n", ntest);
	return nfail ? 1 : 0;
}
