/* SPDX-License-Identifier: MIT */
/*
 * Handing the session's memfd to a traced image that cannot open
 * /proc/<collector>/fd/<n> (it changed its user ID, it is in a new user
 * namespace or has a /proc of its own: runtime/reach.c). Only a process of
 * the traced tree gets it: the peer's pid (SO_PEERCRED, in our PID
 * namespace) must have the collector among its ancestors, so a process
 * elsewhere on the machine that finds the abstract name gets nothing. An
 * abstract name is only seen in the network namespace it was bound in: a
 * second socket, at a path that LIMEN_SESSION names, is reached from any
 * namespace that shares the filesystem, and hands the session out the
 * same way.
 */
#include <errno.h>
#include <linux/futex.h>
#include <stddef.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "session/rendezvous.h"

int limen_rendezvous_open(const struct limen_session *s)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int n = limen_rendezvous_name(sa.sun_path, (int)getpid(), s->fd);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&sa,
		 (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n)) < 0 ||
	    listen(fd, 64) < 0) {
		int e = errno;

		close(fd);
		return -e;
	}
	return fd;
}

/* The pathname socket's path ("" when there is none), chosen at start
   (LIMEN_SESSION names it) and bound only when wanted; the process that
   bound it, the only one to remove it (0: not bound, by us at least) */
static char rdv_path[LIMEN_RENDEZVOUS_PATH_MAX + 1];
static pid_t rdv_owner;

#define RDV_NAME "limen-session."
#define RDV_RANDOM 10

/*
 * A parent for the socket: a directory that only its owner, us or root,
 * may change, or a sticky one (/tmp), where only the owner of an entry may
 * rename or remove it. Then nobody but us and root can put another socket
 * in the place of ours once the runtime has checked it (runtime/reach.c).
 * The path is taken resolved, its links followed: where it leads, not what
 * it says, is checked. No ':' in it (it ends LIMEN_SESSION, a field after
 * the runtime's path), and short enough for the socket's path to fit a
 * sun_path.
 */
static int fit_parent(const char *p, char *real)
{
	struct stat st;

	if (!p || p[0] != '/' || !realpath(p, real) || strchr(real, ':') ||
	    strlen(real) + sizeof("/" RDV_NAME) - 1 + RDV_RANDOM >
		    LIMEN_RENDEZVOUS_PATH_MAX ||
	    stat(real, &st) < 0 || !S_ISDIR(st.st_mode) ||
	    (st.st_uid != geteuid() && st.st_uid != 0) ||
	    ((st.st_mode & (S_IWGRP | S_IWOTH)) && !(st.st_mode & S_ISVTX)))
		return 0;
	return access(real, W_OK | X_OK) == 0;
}

void limen_rendezvous_remove(void)
{
	if (!rdv_owner || getpid() != rdv_owner)
		return;
	unlink(rdv_path);
	rdv_owner = 0;
}

const char *limen_rendezvous_path(void)
{
	return rdv_path;
}

/* A new name in dir, one nothing has now: 0 (rdv_path), or -errno */
static int new_name(const char *dir)
{
	static const char chars[] = "abcdefghijklmnopqrstuvwxyz"
				    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	char path[sizeof(rdv_path)];
	struct stat st;

	for (int tries = 0; tries < 16; tries++) {
		unsigned char r[RDV_RANDOM];
		int n = snprintf(path, sizeof(path), "%s/" RDV_NAME,
				 strcmp(dir, "/") ? dir : "");

		if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r))
			return -errno;
		for (int k = 0; k < RDV_RANDOM; k++)
			path[n++] = chars[r[k] % (sizeof(chars) - 1)];
		path[n] = 0;
		if (lstat(path, &st) < 0 && errno == ENOENT) {
			snprintf(rdv_path, sizeof(rdv_path), "%s", path);
			return 0;
		}
	}
	return -EEXIST;
}

/*
 * $XDG_RUNTIME_DIR is the user's place for sockets (private to the user,
 * in memory, emptied at logout); without it (root, a CI job, cron),
 * $TMPDIR, then /tmp. The name is random, and taken now only as a name:
 * the socket is bound when a process of the tree first makes or enters a
 * network namespace (limen_rendezvous_open_path), so that a run that
 * never does leaves the filesystem as bare (no entry in /tmp, its mtime
 * unchanged). A socket, not a directory of our own with a socket in it:
 * a directory adds to its parent's link count, which `ls -l /` shows for
 * /tmp (tests/corpus/transparency.t).
 */
void limen_rendezvous_choose_path(void)
{
	const char *parents[] = { getenv("XDG_RUNTIME_DIR"), getenv("TMPDIR"),
				  "/tmp" };
	char real[PATH_MAX];

	limen_rendezvous_remove();
	rdv_path[0] = 0;
	for (size_t k = 0; k < sizeof(parents) / sizeof(parents[0]); k++)
		if (fit_parent(parents[k], real) && new_name(real) == 0)
			return;
}

/*
 * The socket at the chosen path, bound 0600 (what bind gives is masked by
 * the umask; a chmod after would leave it open to others in between): only
 * we and root may connect to it. bind never takes a name that exists: one
 * bound meanwhile by somebody else stays theirs (the runtime refuses a
 * socket that is not its user's alone, reach.c) and ours is not made.
 * Returns the listening socket or -errno.
 */
int limen_rendezvous_open_path(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	static int registered;
	size_t n = strlen(rdv_path);
	mode_t old;
	int fd, e;

	if (!n || rdv_owner)
		return -ENOENT;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	memcpy(sa.sun_path, rdv_path, n + 1);
	old = umask(077);
	e = bind(fd, (struct sockaddr *)&sa,
		 (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + 1)) < 0
		    ? errno : 0;
	umask(old);
	if (!e) {
		rdv_owner = getpid();
		if (!registered++)
			atexit(limen_rendezvous_remove);
		if (listen(fd, 64) == 0)
			return fd;
		e = errno;
		limen_rendezvous_remove();
	}
	close(fd);
	return -e;
}

/*
 * The runtime asked for the socket (ctl->path_wanted, set before a call
 * that makes or enters a network namespace: runtime/reach.c): bound once,
 * and the answer written back, for which the asking process waits. The
 * word is the program's to write too: only WANTED is acted on, and only
 * the first time (*fd still -1 after a try says it failed).
 */
void limen_rendezvous_wanted(struct limen_ctl *c, int *fd)
{
	static int tried;

	if (!c || __atomic_load_n(&c->path_wanted, __ATOMIC_ACQUIRE) !=
			  LIMEN_PATH_WANTED)
		return;
	if (!tried) {
		tried = 1;
		*fd = limen_rendezvous_open_path();
	}
	__atomic_store_n(&c->path_wanted,
			 *fd >= 0 ? LIMEN_PATH_BOUND : LIMEN_PATH_NONE,
			 __ATOMIC_RELEASE);
	/* the asking process waits on the word (runtime/dispatch.c) */
	syscall(SYS_futex, &c->path_wanted, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
}

static pid_t parent_of(pid_t pid)
{
	char path[64], buf[512], *p;
	int fd;
	ssize_t n;
	int ppid;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	/* "pid (comm) state ppid": comm may hold anything, even ") " */
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 1, " %*c %d", &ppid) != 1)
		return -1;
	return ppid;
}

static int ours(pid_t pid)
{
	pid_t me = getpid();

	for (int depth = 0; depth < 4096 && pid > 1; depth++) {
		pid = parent_of(pid);
		if (pid == me)
			return 1;
	}
	return 0;
}

/* What a peer said of itself: its ids in its own PID namespace, and the
 * process id ours gives it (SO_PEERCRED); resolve() in session.c takes it
 * for a slot it finds nowhere in our /proc. */
static void remember_peer(struct limen_session *s, const int32_t ids[2],
			  pid_t pid)
{
	if (ids[0] != ids[1] || ids[1] == pid)
		return; /* a thread of a process, or our namespace */
	if (s->npeers == s->cappeers) {
		size_t cap = s->cappeers ? 2 * s->cappeers : 16;
		struct limen_nsent *p = realloc(s->peers, cap * sizeof(*p));

		if (!p)
			return;
		s->peers = p;
		s->cappeers = cap;
	}
	s->peers[s->npeers++] = (struct limen_nsent){
		.ltid = ids[0], .lpid = ids[1], .tid = pid, .pid = pid,
	};
}

static void give_session(const struct limen_session *s, int c)
{
	char byte = 0;
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

	memset(&cm, 0, sizeof(cm));
	cm.h.cmsg_level = SOL_SOCKET;
	cm.h.cmsg_type = SCM_RIGHTS;
	cm.h.cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(&cm.h), &s->fd, sizeof(int));
	(void)sendmsg(c, &mh, MSG_NOSIGNAL | MSG_DONTWAIT);
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Waiter k is done with: its ids, if they came, kept; given the
   session; forgotten */
static void let_go(struct limen_session *s, int k)
{
	int32_t ids[2];

	if (recv(s->waiting[k].fd, ids, sizeof(ids), MSG_DONTWAIT) ==
	    (ssize_t)sizeof(ids))
		remember_peer(s, ids, s->waiting[k].pid);
	give_session(s, s->waiting[k].fd);
	close(s->waiting[k].fd);
	s->waiting[k] = s->waiting[--s->nwaiting];
}

/* The waiter that came first */
static int oldest(const struct limen_session *s)
{
	int o = 0;

	for (int k = 1; k < s->nwaiting; k++)
		if (s->waiting[k].since < s->waiting[o].since)
			o = k;
	return o;
}

/* Each waiter whose ids came (or that closed, or sent something else),
   or that waited 1 s, goes; the others wait for the next turn */
static void settle(struct limen_session *s, int64_t now)
{
	int some = 0;

	for (int k = 0; k < s->nwaiting; k++) {
		char b;

		if (recv(s->waiting[k].fd, &b, 1, MSG_DONTWAIT | MSG_PEEK) < 0 &&
		    (errno == EAGAIN || errno == EINTR) &&
		    now - s->waiting[k].since < 1000000000)
			continue;
		s->waiting[k].since = -1; /* goes below */
		some = 1;
	}
	if (!some)
		return;
	/* the slots its process claimed before it came (its parent's fork
	   child, before the execve), while it is in our /proc, waiting for
	   the session: the one slot that comes after it may take its ids
	   if it is gone by then (session.c, resolve) */
	limen_session_identify(s);
	for (int k = 0; k < s->nwaiting;)
		if (s->waiting[k].since == -1)
			let_go(s, k);
		else
			k++;
}

/*
 * The runtime connects, then sends its ids, then waits for the session.
 * Its ids are read before it gets the session, so before it can claim a
 * slot: read at accept they may not have come yet (the runtime was
 * preempted between connect and send), and a process of a nested PID
 * namespace that ended before its slot was identified would keep its
 * namespace's ids (tests/syscalls/untraced.t). A connection whose ids
 * have not come waits for the next turn, 1 s at most, or until 16 others
 * wait; one that sends anything else, or closes, gets the session
 * without being remembered.
 */
static void take(int lfd, struct limen_session *s, int64_t now)
{
	int c;

	/* a turn takes the listen backlog's worth at most: a program that
	   connects without end must not keep the drain loop from draining */
	for (int taken = 0; taken < 64 &&
	     (c = accept4(lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK)) >= 0;
	     taken++) {
		struct ucred cr;
		socklen_t len = sizeof(cr);

		if (getsockopt(c, SOL_SOCKET, SO_PEERCRED, &cr, &len) != 0 ||
		    cr.pid <= 0 || !ours(cr.pid)) {
			close(c);
			continue;
		}
		if (s->nwaiting == (int)(sizeof(s->waiting) /
					 sizeof(s->waiting[0]))) {
			settle(s, now);
			if (s->nwaiting == (int)(sizeof(s->waiting) /
						 sizeof(s->waiting[0])))
				let_go(s, oldest(s));
		}
		s->waiting[s->nwaiting++] = (struct limen_waiter){
			.fd = c, .pid = cr.pid, .since = now,
		};
	}
}

void limen_rendezvous_serve(const int *lfd, int n, struct limen_session *s)
{
	struct pollfd p[2];
	int np = 0;
	int64_t now;

	for (int k = 0; k < n && np < 2; k++)
		if (lfd[k] >= 0)
			p[np++] = (struct pollfd){ .fd = lfd[k], .events = POLLIN };
	/* Called at every turn of the drain loop (each 1 to 4 ms), where
	   nobody is waiting almost always: accept4 on an empty queue still
	   makes and frees a socket (an inode, a dentry, a file: 2.4 us
	   here), a poll only looks at the queues (0.2 us), both in one */
	if (!s->nwaiting && (!np || poll(p, (nfds_t)np, 0) <= 0))
		return;
	now = now_ns();
	for (int k = 0; k < np; k++)
		if (s->nwaiting || (p[k].revents & POLLIN))
			take(p[k].fd, s, now);
	settle(s, now);
}
