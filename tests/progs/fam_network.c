/* SPDX-License-Identifier: MIT */
/*
 * Network family, end to end: AF_UNIX stream sockets (bind, listen,
 * connect, accept4 with the peer address, getsockname/getpeername,
 * sendto/recvfrom, sendmsg/recvmsg, shutdown), socketpair, AF_INET UDP with
 * sockaddr_in, a sockaddr_in6, socket options, and errors. Each call is made
 * with raw syscall() and the exact line `limen trace` must print for it is
 * written to argv[2]. argv[1] is a work directory. See
 * tests/syscalls/fam_network.t.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include "fam.h"

int main(int argc, char **argv)
{
	struct sockaddr_un sun, got;
	struct sockaddr_in sin, sin2;
	struct sockaddr_in6 sin6;
	socklen_t len;
	char path[200], missing[220], buf[64];
	int ls, cs, as, sv[2], us, one = 1, val;
	long r;

	if (argc < 3) {
		fprintf(stderr, "usage: %s WORKDIR EXPECTED\n", argv[0]);
		return 2;
	}
	const char *w = argv[1];
	snprintf(path, sizeof path, "%s/sock", w);
	snprintf(missing, sizeof missing, "%s/nosock", w);
	r = S(SYS_mkdir, w, 0755);
	E("mkdir(\"%s\", 0755) = %s", w, R(r));

	ls = S(SYS_socket, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	CHECK(ls >= 0);
	E("socket(AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC, 0) = %s", R(ls));
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	strcpy(sun.sun_path, path);
	r = S(SYS_bind, ls, &sun, sizeof sun);
	CHECK(r == 0);
	E("bind(%d, {sa_family=AF_UNIX, sun_path=\"%s\"}, %zu) = %s", ls, path, sizeof sun, R(r));
	r = S(SYS_listen, ls, 5);
	CHECK(r == 0);
	E("listen(%d, 5) = %s", ls, R(r));

	cs = S(SYS_socket, AF_UNIX, SOCK_STREAM, 0);
	E("socket(AF_UNIX, SOCK_STREAM, 0) = %s", R(cs));
	strcpy(sun.sun_path, missing);
	r = S(SYS_connect, cs, &sun, sizeof sun);
	CHECK(r == -1 && last_errno == ENOENT);
	E("connect(%d, {sa_family=AF_UNIX, sun_path=\"%s\"}, %zu) = %s", cs, missing, sizeof sun, R(r));
	strcpy(sun.sun_path, path);
	r = S(SYS_connect, cs, &sun, sizeof sun);
	CHECK(r == 0);
	E("connect(%d, {sa_family=AF_UNIX, sun_path=\"%s\"}, %zu) = %s", cs, path, sizeof sun, R(r));

	len = sizeof got;
	as = S(SYS_accept4, ls, &got, &len, SOCK_CLOEXEC);
	CHECK(as >= 0 && len == sizeof(sa_family_t));
	E("accept4(%d, {sa_family=AF_UNIX}, [%zu => %u], SOCK_CLOEXEC) = %s", ls, sizeof got,
	  len, R(as));

	len = sizeof got;
	r = S(SYS_getsockname, ls, &got, &len);
	CHECK(r == 0);
	E("getsockname(%d, {sa_family=AF_UNIX, sun_path=\"%s\"}, [%zu => %u]) = %s", ls, path,
	  sizeof got, len, R(r));
	/* room for less than the address: only what the kernel wrote,
	   the pointer when that cannot hold the family */
	{
		socklen_t full = len;

		len = 8;
		r = S(SYS_getsockname, ls, &got, &len);
		CHECK(r == 0 && len == full);
		E("getsockname(%d, {sa_family=AF_UNIX, sun_path=\"%.6s\"}, [8 => %u]) = %s",
		  ls, path, len, R(r));
		len = 1;
		r = S(SYS_getsockname, ls, &got, &len);
		CHECK(r == 0);
		E("getsockname(%d, %s, [1 => %u]) = %s", ls, P(&got), len, R(r));
		len = 0;
		r = S(SYS_getsockname, ls, &got, &len);
		CHECK(r == 0);
		E("getsockname(%d, %s, [0 => %u]) = %s", ls, P(&got), len, R(r));
	}
	len = sizeof got;
	r = S(SYS_getpeername, as, &got, &len);
	CHECK(r == 0);
	E("getpeername(%d, {sa_family=AF_UNIX}, [%zu => %u]) = %s", as, sizeof got, len, R(r));

	r = S(SYS_sendto, cs, "ping\n", 5, MSG_NOSIGNAL, NULL, 0);
	CHECK(r == 5);
	E("sendto(%d, \"ping\\n\", 5, MSG_NOSIGNAL, NULL, 0) = %s", cs, R(r));
	r = S(SYS_recvfrom, as, buf, sizeof buf, 0, NULL, NULL);
	CHECK(r == 5);
	E("recvfrom(%d, \"ping\\n\", %zu, 0, NULL, NULL) = %s", as, sizeof buf, R(r));
	r = S(SYS_recvfrom, as, buf, sizeof buf, MSG_DONTWAIT, NULL, NULL);
	CHECK(r == -1 && last_errno == EAGAIN);
	E("recvfrom(%d, %s, %zu, MSG_DONTWAIT, NULL, NULL) = %s", as, P(buf), sizeof buf, R(r));

	{
		struct iovec iov[2] = { { "ab", 2 }, { "cde", 3 } };
		struct msghdr mh = { .msg_iov = iov, .msg_iovlen = 2 };
		r = S(SYS_sendmsg, as, &mh, 0);
		CHECK(r == 5);
		E("sendmsg(%d, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base=\"ab\", iov_len=2}, "
		  "{iov_base=\"cde\", iov_len=3}], msg_iovlen=2, msg_controllen=0, msg_flags=0}, 0) = %s",
		  as, R(r));
	}
	{
		char rb[16];
		struct iovec iov[1] = { { rb, sizeof rb } };
		struct msghdr mh = { .msg_iov = iov, .msg_iovlen = 1 };
		r = S(SYS_recvmsg, cs, &mh, 0);
		CHECK(r == 5);
		E("recvmsg(%d, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base=\"abcde\", iov_len=16}], "
		  "msg_iovlen=1, msg_controllen=0, msg_flags=0}, 0) = %s", cs, R(r));
	}
	{
		/* a name buffer: the kernel writes the peer's bound name and
		   its length, shown before and after the call as strace
		   shows it (110 => ...) */
		char rb[16];
		struct sockaddr_un nb;
		struct iovec iov[1] = { { rb, sizeof rb } };
		struct msghdr mh = { .msg_name = &nb, .msg_namelen = sizeof nb,
				     .msg_iov = iov, .msg_iovlen = 1 };

		r = S(SYS_sendto, as, "xy", 2, 0, NULL, 0);
		CHECK(r == 2);
		E("sendto(%d, \"xy\", 2, 0, NULL, 0) = %s", as, R(r));
		r = S(SYS_recvmsg, cs, &mh, 0);
		CHECK(r == 2 && mh.msg_namelen == 3 + strlen(path));
		E("recvmsg(%d, {msg_name={sa_family=AF_UNIX, sun_path=\"%s\"}, "
		  "msg_namelen=%zu => %u, msg_iov=[{iov_base=\"xy\", iov_len=16}], "
		  "msg_iovlen=1, msg_controllen=0, msg_flags=0}, 0) = %s",
		  cs, path, sizeof nb, (unsigned)mh.msg_namelen, R(r));
	}

	r = S(SYS_shutdown, cs, SHUT_WR);
	CHECK(r == 0);
	E("shutdown(%d, SHUT_WR) = %s", cs, R(r));
	r = S(SYS_read, as, buf, sizeof buf);
	CHECK(r == 0);
	E("read(%d, \"\", %zu) = 0", as, sizeof buf);

	/* socket options */
	r = S(SYS_setsockopt, ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	CHECK(r == 0);
	E("setsockopt(%d, SOL_SOCKET, SO_REUSEADDR, [1], 4) = %s", ls, R(r));
	len = sizeof val;
	r = S(SYS_getsockopt, ls, SOL_SOCKET, SO_TYPE, &val, &len);
	CHECK(r == 0 && val == SOCK_STREAM);
	E("getsockopt(%d, SOL_SOCKET, SO_TYPE, [1], [4]) = %s", ls, R(r));

	S(SYS_close, as);
	E("close(%d) = 0", as);
	S(SYS_close, cs);
	E("close(%d) = 0", cs);
	S(SYS_close, ls);
	E("close(%d) = 0", ls);
	r = S(SYS_unlink, path);
	E("unlink(\"%s\") = %s", path, R(r));

	/* socketpair */
	r = S(SYS_socketpair, AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0, sv);
	CHECK(r == 0);
	E("socketpair(AF_UNIX, SOCK_DGRAM|SOCK_NONBLOCK, 0, [%d, %d]) = %s", sv[0], sv[1], R(r));
	r = S(SYS_write, sv[0], "dgram", 5);
	E("write(%d, \"dgram\", 5) = %s", sv[0], R(r));
	r = S(SYS_recvfrom, sv[1], buf, 3, MSG_PEEK | MSG_TRUNC, NULL, NULL);
	CHECK(r == 5);
	E("recvfrom(%d, \"dgr\", 3, MSG_PEEK|MSG_TRUNC, NULL, NULL) = %s", sv[1], R(r));
	S(SYS_close, sv[0]);
	E("close(%d) = 0", sv[0]);
	S(SYS_close, sv[1]);
	E("close(%d) = 0", sv[1]);

	/* AF_INET UDP on the loopback */
	us = S(SYS_socket, AF_INET, SOCK_DGRAM, IPPROTO_UDP);
	CHECK(us >= 0);
	E("socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = %s", R(us));
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	r = S(SYS_bind, us, &sin, sizeof sin);
	CHECK(r == 0);
	E("bind(%d, {sa_family=AF_INET, sin_port=htons(0), sin_addr=inet_addr(\"127.0.0.1\")}, 16) = %s",
	  us, R(r));
	len = sizeof sin2;
	r = S(SYS_getsockname, us, &sin2, &len);
	CHECK(r == 0);
	E("getsockname(%d, {sa_family=AF_INET, sin_port=htons(%u), sin_addr=inet_addr(\"127.0.0.1\")}, "
	  "[16]) = %s", us, ntohs(sin2.sin_port), R(r));
	r = S(SYS_sendto, us, "udp", 3, 0, &sin2, sizeof sin2);
	CHECK(r == 3);
	E("sendto(%d, \"udp\", 3, 0, {sa_family=AF_INET, sin_port=htons(%u), "
	  "sin_addr=inet_addr(\"127.0.0.1\")}, 16) = %s", us, ntohs(sin2.sin_port), R(r));
	len = sizeof sin;
	r = S(SYS_recvfrom, us, buf, sizeof buf, 0, &sin, &len);
	CHECK(r == 3);
	E("recvfrom(%d, \"udp\", %zu, 0, {sa_family=AF_INET, sin_port=htons(%u), "
	  "sin_addr=inet_addr(\"127.0.0.1\")}, [16]) = %s", us, sizeof buf, ntohs(sin.sin_port), R(r));

	/* a sockaddr_in6 (connect of a UDP/IPv4 socket to it fails) */
	memset(&sin6, 0, sizeof sin6);
	sin6.sin6_family = AF_INET6;
	sin6.sin6_port = htons(8080);
	sin6.sin6_addr = in6addr_loopback;
	r = S(SYS_connect, us, &sin6, sizeof sin6);
	E("connect(%d, {sa_family=AF_INET6, sin6_port=htons(8080), sin6_flowinfo=htonl(0), "
	  "inet_pton(AF_INET6, \"::1\", &sin6_addr), sin6_scope_id=0}, 28) = %s", us, R(r));
	S(SYS_close, us);
	E("close(%d) = 0", us);

	/* errors */
	r = S(SYS_socket, AF_UNIX, SOCK_STREAM, 99);
	CHECK(r == -1);
	E("socket(AF_UNIX, SOCK_STREAM, 99) = %s", R(r));
	r = S(SYS_listen, 9999, 1);
	CHECK(r == -1 && last_errno == EBADF);
	E("listen(9999, 1) = %s", R(r));
	r = S(SYS_connect, 9999, (void *)0x10, 16);
	CHECK(r == -1);
	E("connect(9999, 0x10, 16) = %s", R(r));
	/* AF_PACKET's protocol: an Ethernet type in network byte order */
	r = S(SYS_socket, AF_PACKET, SOCK_RAW, htons(0x0003));
	E("socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL)) = %s", R(r));
	if (r >= 0)
		S(SYS_close, r);
	r = S(SYS_socket, AF_PACKET, SOCK_DGRAM, htons(0x1234));
	E("socket(AF_PACKET, SOCK_DGRAM, htons(0x1234 /* ETH_P_??? */)) = %s",
	  R(r));
	if (r >= 0)
		S(SYS_close, r);

	/* SO_ERROR's pending error by name: a refused connect to a port
	   nothing listens on, nonblocking, waited for */
	{
		struct sockaddr_in a = { .sin_family = AF_INET,
					 .sin_port = htons(1),
					 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
		struct pollfd pf;
		int v = -1, ns;
		socklen_t vl = sizeof(v);

		ns = (int)S(SYS_socket, AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
		CHECK(ns >= 0);
		S(SYS_connect, ns, &a, sizeof(a));
		pf.fd = ns;
		pf.events = POLLOUT;
		S(SYS_poll, &pf, 1, 5000);
		r = S(SYS_getsockopt, ns, SOL_SOCKET, SO_ERROR, &v, &vl);
		CHECK(r == 0 && v == ECONNREFUSED);
		E("getsockopt(%d, SOL_SOCKET, SO_ERROR, [ECONNREFUSED], [4]) = %s",
		  ns, R(r));
		r = S(SYS_getsockopt, ns, SOL_SOCKET, SO_ERROR, &v, &vl);
		CHECK(r == 0 && v == 0);
		E("getsockopt(%d, SOL_SOCKET, SO_ERROR, [0], [4]) = %s", ns, R(r));
		S(SYS_close, ns);
		E("close(%d) = 0", ns);
	}

	r = S(SYS_rmdir, w);
	E("rmdir(\"%s\") = %s", w, R(r));

	write_expected(argv[2]);
	return failures ? 1 : 0;
}
