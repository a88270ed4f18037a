/* SPDX-License-Identifier: MIT */
/*
 * The second way to the session, for an image that cannot open
 * /proc/<collector>/fd/<n>: one that changed its user ID before the execve
 * (setpriv --reuid, su, a daemon dropping privileges) may not look into the
 * collector's descriptors, which /proc allows only to the same user. The
 * collector also listens on an abstract unix socket named after itself
 * (cli/rendezvous.c) and hands the session's memfd to any process of its
 * own tree that connects. The socket and the descriptor received are
 * closed again before the program runs, as the /proc way does. A process
 * in a PID namespace with its own /proc comes this way too; it says its
 * ids as it knows them, so that the collector can show the ones its own
 * namespace gives it even once the process has ended.
 */
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>

#include "raw.h"
#include "rt.h"
#include "session/rendezvous.h"

long limen_session_by_socket(long pid, long fd)
{
	struct sockaddr_un sa;
	socklen_t len;
	char byte;
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} cm;
	struct iovec iov = { &byte, 1 };
	struct msghdr mh = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = cm.buf,
		.msg_controllen = sizeof(cm.buf),
	};
	long s, r, got = -1;

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) +
			  limen_rendezvous_name(sa.sun_path, (int)pid, (int)fd));
	s = limen_sys3(SYS_socket, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return s;
	r = limen_sys3(SYS_connect, s, &sa, len);
	if (r == 0) {
		/* our ids as our PID namespace gives them: the collector
		   learns from the connection who that is in its own */
		int32_t ids[2] = { (int32_t)limen_sys0(SYS_gettid),
				   (int32_t)limen_sys0(SYS_getpid) };

		limen_sys6(SYS_sendto, s, (long)ids, sizeof(ids), MSG_NOSIGNAL, 0,
			   0);
		r = limen_sys3(SYS_recvmsg, s, &mh, MSG_CMSG_CLOEXEC);
	}
	if (r == 1 && mh.msg_controllen >= CMSG_LEN(sizeof(int)) &&
	    cm.h.cmsg_level == SOL_SOCKET && cm.h.cmsg_type == SCM_RIGHTS &&
	    cm.h.cmsg_len == CMSG_LEN(sizeof(int))) {
		int fds;

		memcpy(&fds, CMSG_DATA(&cm.h), sizeof(fds));
		got = fds;
	}
	limen_sys1(SYS_close, s);
	return got;
}
