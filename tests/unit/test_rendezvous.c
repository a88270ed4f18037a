/* SPDX-License-Identifier: MIT */
/*
 * The rendezvous (cli/rendezvous.c) and what the collector keeps of the
 * processes that came by it: the ids a process of a nested PID namespace
 * sends (its own namespace's) are what a slot it claimed is found by once
 * it has left /proc (cli/session.c, resolve). The pathname socket: where
 * it is bound, and which the runtime's side (runtime/reach.c, linked in)
 * refuses to connect to. TAP.
 */
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "session/rendezvous.h"
#include "tap.h"

/* runtime/reach.c */
long limen_session_by_path(const char *path, long pid);

static struct limen_session S;
static struct limen_opts O;

/* A pid nobody has on this machine now (the ids a nested namespace gave a
   process: /proc here knows nothing of them) */
static int32_t unused_pid(void)
{
	for (int32_t p = 4000000; p > 1000; p -= 7919)
		if (kill(p, 0) < 0 && errno == ESRCH)
			return p;
	return 0;
}

/* The runtime's side (runtime/reach.c), slowed: connect, wait delay_ms
   before sending the ids, then wait for the session. Exits 0 if it came. */
static void peer(int32_t id, int delay_ms)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int n = limen_rendezvous_name(sa.sun_path, (int)getppid(), S.fd);
	int s = socket(AF_UNIX, SOCK_STREAM, 0);
	int32_t ids[2] = { id, id };
	struct timespec d = { 0, delay_ms * 1000000L };
	char byte;
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} cm;
	struct iovec iov = { &byte, 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = cm.buf,
			     .msg_controllen = sizeof(cm.buf) };

	if (s < 0 || connect(s, (struct sockaddr *)&sa,
			     (socklen_t)(offsetof(struct sockaddr_un, sun_path) +
					 n)) < 0)
		_exit(2);
	nanosleep(&d, NULL);
	(void)send(s, ids, sizeof(ids), MSG_NOSIGNAL); /* as the runtime */
	if (recvmsg(s, &mh, 0) != 1 || mh.msg_controllen < CMSG_LEN(sizeof(int)))
		_exit(4);
	_exit(0);
}

/* The runtime's side (runtime/reach.c) by the socket's path: exits 0
   if the session came, 3 if it was refused */
static long listener; /* the collector's pid the peer expects: ours */

static void path_peer(const char *path)
{
	long fd = limen_session_by_path(path, listener ? listener : getppid());

	_exit(fd >= 0 ? 0 : 3);
}

/* Serve the rendezvous, as the drain loop does, until pid ends */
static int serve_until(int lfd, pid_t pid)
{
	int st = -1;

	for (int k = 0; k < 3000; k++) {
		struct timespec nap = { 0, 1000000 };

		limen_rendezvous_serve(&lfd, 1, &S);
		if (waitpid(pid, &st, WNOHANG) == pid)
			return st;
		nanosleep(&nap, NULL);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	return -1;
}

static const struct limen_nsent *peer_of(int32_t id)
{
	for (size_t k = 0; k < S.npeers; k++)
		if (S.peers[k].ltid == id && S.peers[k].lpid == id)
			return &S.peers[k];
	return NULL;
}

/* a slot claimed by thread (id, id) of a nested namespace */
static void claim(uint32_t i, int32_t id)
{
	memset(&S.slots[i], 0, sizeof(S.slots[i]));
	memset(&S.view[i], 0, sizeof(S.view[i]));
	S.slots[i].state = LIMEN_SLOT_DONE;
	S.slots[i].tid = id;
	S.slots[i].pid = id;
	S.slots[i].gen = 1;
}

static int under(const char *path, const char *parent)
{
	size_t n = strlen(parent);

	return !strncmp(path, parent, n) && path[n] == '/' &&
	       !strchr(path + n + 1, '/');
}

/* path_peer(path) while the rendezvous lfd is served: its exit status */
static int try_path(int lfd, const char *path)
{
	pid_t pid = fork();

	if (pid == 0)
		path_peer(path);
	return serve_until(lfd, pid);
}

static int refused(int st)
{
	return WIFEXITED(st) && WEXITSTATUS(st) == 3;
}

static void by_path(void)
{
	const char *base = getenv("TMPDIR") && *getenv("TMPDIR") ?
				   getenv("TMPDIR") : "/tmp";
	char scratch[256], xdg[300], open_[300], sticky[300], link[300];
	char path[128];
	struct stat st;
	int lfd, st_;

	snprintf(scratch, sizeof(scratch), "%s/limen-unit.XXXXXX", base);
	if (!mkdtemp(scratch)) {
		for (int k = 0; k < 14; k++)
			printf("ok %d # SKIP no scratch directory\n", ++ntest);
		return;
	}
	snprintf(xdg, sizeof(xdg), "%s/xdg", scratch);
	snprintf(open_, sizeof(open_), "%s/open", scratch);
	snprintf(sticky, sizeof(sticky), "%s/sticky", scratch);
	snprintf(link, sizeof(link), "%s/link", scratch);
	mkdir(xdg, 0700);
	mkdir(open_, 0700);
	chmod(open_, 0777);
	mkdir(sticky, 0700);
	chmod(sticky, 01777);

	setenv("XDG_RUNTIME_DIR", xdg, 1);
	setenv("TMPDIR", sticky, 1);
	umask(0);
	limen_rendezvous_choose_path();
	snprintf(path, sizeof(path), "%s", limen_rendezvous_path());
	ok(*path && access(path, F_OK) < 0 && errno == ENOENT,
	   "choosing_the_path_makes_no_file_until_the_socket_is_wanted");
	lfd = limen_rendezvous_open_path();
	umask(022);
	if (lfd < 0)
		printf("# no socket: %s\n", strerror(-lfd));
	ok(lfd >= 0 && under(path, xdg),
	   "the_socket_is_bound_in_XDG_RUNTIME_DIR_first");
	ok(lstat(path, &st) == 0 && S_ISSOCK(st.st_mode) &&
		   !(st.st_mode & 077) && st.st_uid == geteuid(),
	   "the_socket_is_ours_and_closed_to_others_whatever_the_umask");
	st_ = try_path(lfd, path);
	ok(st_ == 0, "a_process_that_comes_by_the_path_gets_the_session");

	/* the runtime's checks: each time a socket that would hand the
	   session out is served there, so only the check keeps it out */
	chmod(path, 0666);
	st_ = try_path(lfd, path);
	ok(refused(st_), "the_runtime_refuses_a_socket_others_may_use");
	chmod(path, 0600);
	if (symlink(path, link) == 0) {
		st_ = try_path(lfd, link);
		ok(refused(st_), "the_runtime_refuses_a_link_to_the_socket");
	} else {
		printf("ok %d # SKIP no symlink\n", ++ntest);
	}
	if (geteuid() == 0 && chown(path, 65534, 65534) == 0) {
		st_ = try_path(lfd, path);
		ok(refused(st_), "the_runtime_refuses_a_socket_of_another_user");
		if (chown(path, 0, 0) < 0)
			printf("# chown back: %s\n", strerror(errno));
	} else {
		printf("ok %d # SKIP a socket of another user needs root\n",
		       ++ntest);
	}
	/* a listener that is not the collector (the name is anyone's once
	   the collector has removed it): refused, though it would serve */
	listener = 1;
	st_ = try_path(lfd, path);
	listener = 0;
	ok(refused(st_), "the_runtime_refuses_a_listener_that_is_not_the_collector");
	st_ = try_path(lfd, path);
	ok(st_ == 0, "the_same_socket_checked_again_gets_the_session");
	close(lfd);
	limen_rendezvous_remove();
	ok(access(path, F_OK) < 0 && errno == ENOENT,
	   "removing_leaves_no_socket");

	/* bound when the runtime asks (ctl->path_wanted), once */
	{
		struct limen_ctl c;
		int fd = -1;

		memset(&c, 0, sizeof(c));
		limen_rendezvous_choose_path();
		snprintf(path, sizeof(path), "%s", limen_rendezvous_path());
		limen_rendezvous_wanted(&c, &fd);
		ok(fd < 0 && c.path_wanted == LIMEN_PATH_IDLE &&
			   access(path, F_OK) < 0,
		   "the_socket_is_not_bound_before_the_runtime_asks");
		c.path_wanted = LIMEN_PATH_WANTED;
		limen_rendezvous_wanted(&c, &fd);
		ok(fd >= 0 && c.path_wanted == LIMEN_PATH_BOUND &&
			   try_path(fd, path) == 0,
		   "asked_the_collector_binds_the_socket_and_says_so");
		if (fd >= 0)
			close(fd);
		limen_rendezvous_remove();
	}

	/* a parent others may write and that is not sticky: one of them
	   could rename our socket away and bind theirs in its place */
	unsetenv("XDG_RUNTIME_DIR");
	setenv("TMPDIR", open_, 1);
	limen_rendezvous_choose_path();
	lfd = limen_rendezvous_open_path();
	snprintf(path, sizeof(path), "%s", limen_rendezvous_path());
	ok(!under(path, open_) && (lfd < 0 || under(path, "/tmp")),
	   "a_parent_others_may_write_is_passed_over_for_tmp");
	if (lfd >= 0)
		close(lfd);
	limen_rendezvous_remove();
	setenv("TMPDIR", sticky, 1);
	limen_rendezvous_choose_path();
	lfd = limen_rendezvous_open_path();
	snprintf(path, sizeof(path), "%s", limen_rendezvous_path());
	ok(lfd >= 0 && under(path, sticky), "a_sticky_parent_is_taken_as_tmp_is");
	if (lfd >= 0)
		close(lfd);
	limen_rendezvous_remove();
	unlink(link);
	rmdir(xdg);
	rmdir(open_);
	rmdir(sticky);
	rmdir(scratch);
}

int main(void)
{
	int32_t id = unused_pid();
	const struct limen_nsent *p;
	pid_t pid;
	int lfd, st;

	O.ring_bytes = 64 << 10;
	O.trace_all = 1;
	if (limen_session_create(&S, &O) < 0) {
		printf("1..0 # SKIP no session: %s\n", "memfd");
		return 0;
	}
	S.self = getpid();
	lfd = limen_rendezvous_open(&S);
	if (lfd < 0 || !id) {
		printf("1..0 # SKIP no rendezvous socket: %s\n",
		       lfd < 0 ? strerror(-lfd) : "no unused pid");
		return 0;
	}
	printf("1..19\n");

	/* the runtime preempted between its connect and its send: the
	   collector's accept comes before the ids */
	pid = fork();
	if (pid == 0)
		peer(id, 50);
	st = serve_until(lfd, pid);
	ok(st == 0, "a_process_that_sends_its_ids_late_still_gets_the_session");
	p = peer_of(id);
	if (!p)
		printf("# no peer kept for ids %d\n", (int)id);
	ok(p && p->tid == pid && p->pid == pid,
	   "ids_sent_after_the_collector_accepted_are_kept");

	if (!p) { /* what the rest is about: kept, whatever kept it */
		S.peers = realloc(S.peers, (S.npeers + 1) * sizeof(*S.peers));
		if (!S.peers)
			abort();
		S.cappeers = S.npeers + 1;
		S.peers[S.npeers++] = (struct limen_nsent){
			.ltid = id, .lpid = id, .tid = pid, .pid = pid,
		};
	}

	/* the process is gone, and a slot of it was never identified: it
	   takes the ids its process sent; another gone slot with the same
	   ids (a process of a sibling namespace, which gives the same ids)
	   is not told as that process */
	claim(0, id);
	claim(1, id);
	S.ctl->slots_used = 2;
	limen_session_identify(&S);
	if (S.view[0].tid != pid)
		printf("# slot told as %d, the process was %d\n",
		       (int)S.view[0].tid, (int)pid);
	ok(S.view[0].resolved && S.view[0].tid == pid && S.view[0].pid == pid,
	   "a_gone_process's_slot_is_found_by_its_socket_ids");
	ok(!S.view[1].resolved && S.view[1].tid == id,
	   "socket_ids_are_taken_once_not_pinned_on_another_slot");

	/* a slot its process claimed before it came (as its parent's fork
	   child, before an execve) is identified as it comes, while it is
	   in our /proc */
	{
		int go[2];
		char b = 0;

		if (pipe(go) < 0)
			return 1;
		pid = fork();
		if (pid == 0) {
			close(go[1]);
			if (read(go[0], &b, 1) != 1)
				_exit(5);
			peer(id + 7919, 0);
		}
		close(go[0]);
		claim(2, pid);
		S.slots[2].state = LIMEN_SLOT_ACTIVE;
		S.ctl->slots_used = 3;
		if (write(go[1], &b, 1) != 1)
			return 1;
		st = serve_until(lfd, pid);
		close(go[1]);
	}
	ok(st == 0 && S.view[2].known && S.view[2].resolved &&
		   S.view[2].tid == pid,
	   "a_slot_claimed_before_its_process_came_is_identified_as_it_comes");
	close(lfd);
	by_path();
	return nfail ? 1 : 0;
}
