/* SPDX-License-Identifier: MIT */
/*
 * The other ways to the session, for an image that cannot open
 * /proc/<collector>/fd/<n>: one that changed its user ID before the execve
 * (setpriv --reuid, su, a daemon dropping privileges) may not look into the
 * collector's descriptors, which /proc allows only to the same user; a
 * process in a PID namespace with its own /proc finds some other process
 * there, or nothing; one in a new user namespace is refused. The collector
 * also listens on unix sockets (cli/rendezvous.c) and hands the session's
 * memfd to any process of its own tree that connects: an abstract one
 * named after itself, and, since abstract names are per network namespace
 * (unshare -n, rootless containers, sandboxes), a pathname one whose
 * path LIMEN_SESSION names, which any process that shares the filesystem
 * reaches. The socket and the descriptor received
 * are closed again before the program runs, as the /proc way does. A
 * process in a PID namespace of its own says its ids as it knows them, so
 * that the collector can show the ones its own namespace gives it even
 * once the process has ended.
 */
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/un.h>

#include "raw.h"
#include "rt.h"
#include "session/rendezvous.h"

/*
 * The session's descriptor from the collector's socket at sa, or -1. The
 * name of either socket may be another's by the time we connect: an
 * abstract one in a network namespace that is not the collector's is
 * anyone's who binds it there, a path the collector has just removed is
 * anyone's who binds it next. So the socket's listener must be the
 * collector (pid, as SO_PEERCRED gives it in our PID namespace: 0 where
 * the collector is not in it, which we cannot check further), and no
 * answer is waited for longer than 5 s: a listener that never answers
 * would hold the program before its first instruction for ever.
 */
static long ask(const struct sockaddr_un *sa, socklen_t len, long pid)
{
	struct timeval limit = { 5, 0 };
	struct ucred cred;
	socklen_t clen = sizeof(cred);
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

	s = limen_sys3(SYS_socket, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return s;
	limen_sys5(SYS_setsockopt, s, SOL_SOCKET, SO_RCVTIMEO, (long)&limit,
		   sizeof(limit));
	r = limen_sys3(SYS_connect, s, sa, len);
	if (r == 0 &&
	    (limen_sys5(SYS_getsockopt, s, SOL_SOCKET, SO_PEERCRED,
			(long)&cred, (long)&clen) < 0 ||
	     (cred.pid != 0 && cred.pid != pid)))
		r = -1;
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

long limen_session_by_socket(long pid, long fd)
{
	struct sockaddr_un sa;

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	return ask(&sa,
		   (socklen_t)(offsetof(struct sockaddr_un, sun_path) +
			       limen_rendezvous_name(sa.sun_path, (int)pid,
						     (int)fd)),
		   pid);
}

/*
 * The socket is taken only if it is a socket (not a link to one), ours
 * and closed to everyone else (no bit for the group or others): then
 * nobody but us and root can have bound it. The path outlives the
 * collector in the environment of a process that outlives it (a limen
 * killed, a daemon left running by one that was stopped): once the
 * collector has removed it, another user may bind a socket there, which
 * this check refuses. Between the check and the connect nobody else can
 * put another in its place: the collector bound it in a directory that
 * only its owner or root may change, or that is sticky (cli/rendezvous.c).
 */
long limen_session_by_path(const char *path, long pid)
{
	struct sockaddr_un sa;
	struct stat st;
	size_t n = 0;

	while (n <= LIMEN_RENDEZVOUS_PATH_MAX && path[n])
		n++;
	if (path[0] != '/' || n > LIMEN_RENDEZVOUS_PATH_MAX ||
	    limen_sys4(SYS_newfstatat, AT_FDCWD, path, &st,
		       AT_SYMLINK_NOFOLLOW) < 0 ||
	    !S_ISSOCK(st.st_mode) || (st.st_mode & 077) ||
	    (long)st.st_uid != limen_sys0(SYS_geteuid))
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, path, n + 1);
	return ask(&sa, (socklen_t)(offsetof(struct sockaddr_un, sun_path) +
				    n + 1),
		   pid);
}
