// SPDX-License-Identifier: MIT
/*
 * Descriptors of every kind -y and -yy name, reused and moved about the way
 * that makes a collector-side guess wrong: a number closed and reopened on
 * another file, dup2, a child that inherits them, one passed over
 * SCM_RIGHTS, one made in another process. Run under strace -yy and limen
 * -yy (tests/decode/fds.t): the lines must be the same.
 *
 * argv[1]: a directory to work in (its name has "<>" in it: strace's
 * escaping).
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static void send_fd(int sock, int fd)
{
	char c = 'F';
	struct iovec iov = { &c, 1 };
	union {
		struct cmsghdr h;
		char b[CMSG_SPACE(sizeof(int))];
	} u;
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = u.b,
			    .msg_controllen = sizeof(u.b) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&m);

	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	sendmsg(sock, &m, 0);
}

static int recv_fd(int sock)
{
	char c;
	struct iovec iov = { &c, 1 };
	union {
		struct cmsghdr h;
		char b[CMSG_SPACE(sizeof(int))];
	} u;
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = u.b,
			    .msg_controllen = sizeof(u.b) };
	int fd = -1;

	if (recvmsg(sock, &m, 0) == 1 && CMSG_FIRSTHDR(&m))
		memcpy(&fd, CMSG_DATA(CMSG_FIRSTHDR(&m)), sizeof(int));
	return fd;
}

int main(int argc, char **argv)
{
	char buf[64], a[256], b[256];
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct sockaddr_nl snl = { .nl_family = AF_NETLINK };
	socklen_t sl = sizeof(sin);
	int fd, lst, cli, srv, sp[2], udp, nl, pfd;
	pid_t pid;

	if (argc < 2 || chdir(argv[1]) < 0)
		return 2;
	snprintf(a, sizeof(a), "%s/a<1>", argv[1]);
	snprintf(b, sizeof(b), "%s/b", argv[1]);
	/* the same number, two files */
	fd = open(a, O_RDONLY);
	read(fd, buf, sizeof(buf));
	close(fd);
	fd = open(b, O_RDONLY);
	read(fd, buf, sizeof(buf));
	dup2(fd, 20);
	close(fd);
	pread(20, buf, 4, 0);
	/* fcntl's duplicate, an unlinked file (memfd: "(deleted)") */
	fd = fcntl(20, F_DUPFD_CLOEXEC, 40);
	close(fd);
	fd = memfd_create("m", 0);
	close(fd);
	/* relative to AT_FDCWD (the working directory) */
	fd = openat(AT_FDCWD, "b", O_RDONLY);
	close(fd);
	fd = open("/dev/null", O_WRONLY);
	write(fd, "x", 1);
	close(fd);
	/* TCP: bound, listening, connected */
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	lst = socket(AF_INET, SOCK_STREAM, 0);
	bind(lst, (struct sockaddr *)&sin, sizeof(sin));
	listen(lst, 1);
	getsockname(lst, (struct sockaddr *)&sin, &sl);
	cli = socket(AF_INET, SOCK_STREAM, 0);
	connect(cli, (struct sockaddr *)&sin, sizeof(sin));
	srv = accept(lst, NULL, NULL);
	write(cli, "hi", 2);
	read(srv, buf, 2);
	/* UDP, connected */
	udp = socket(AF_INET, SOCK_DGRAM, 0);
	connect(udp, (struct sockaddr *)&sin, sizeof(sin));
	/* netlink, bound */
	nl = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
	bind(nl, (struct sockaddr *)&snl, sizeof(snl));
	/* UNIX pair; a descriptor passed over it */
	socketpair(AF_UNIX, SOCK_STREAM, 0, sp);
	fd = open(a, O_RDONLY);
	send_fd(sp[0], fd);
	close(fd);
	fd = recv_fd(sp[1]);
	read(fd, buf, sizeof(buf));
	close(fd);
	/* a child: the descriptors it inherits, one it opens */
	pid = fork();
	if (pid == 0) {
		write(sp[1], "c", 1);
		fd = open(b, O_RDONLY);
		read(fd, buf, 1);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	read(sp[0], buf, 1);
	/* the descriptors poll and select are given */
	{
		struct pollfd pf[2] = { { sp[0], POLLIN, 0 }, { 20, POLLIN, 0 } };
		struct timeval tv = { 0, 0 };
		fd_set rs, ws;

		poll(pf, 2, 0);
		FD_ZERO(&rs);
		FD_ZERO(&ws);
		FD_SET(20, &rs);
		FD_SET(cli, &ws);
		select(21, &rs, &ws, NULL, &tv);
	}
	/* a pidfd */
	pfd = (int)syscall(SYS_pidfd_open, getpid(), 0);
	close(pfd);
	close(udp);
	close(nl);
	close(srv);
	close(cli);
	close(lst);
	close(sp[0]);
	close(sp[1]);
	close(20);
	return 0;
}
