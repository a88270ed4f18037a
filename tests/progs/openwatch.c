/* SPDX-License-Identifier: MIT */
/*
 * Which files a command's tree opens with the raw `open` call (limen's
 * runtime and loader make theirs so; glibc's are `openat`), seen by
 * the kernel and not by a ptrace tracer, whose stops limen's runtime
 * would see (a tracer makes it step aside: tests/corpus/stepaside.t).
 *   openwatch OUT CMD [ARG...]
 * runs CMD under a seccomp filter that hands every `open` to this
 * process (SECCOMP_RET_USER_NOTIF), which writes "PID PATH" for each to
 * OUT and lets the call go on (SECCOMP_USER_NOTIF_FLAG_CONTINUE).
 * Exits with CMD's status, 77 if the kernel has no such filter.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

static int send_fd(int sock, int fd)
{
	char c = 0, ctl[CMSG_SPACE(sizeof(int))];
	struct iovec io = { &c, 1 };
	struct msghdr m = { .msg_iov = &io, .msg_iovlen = 1,
			    .msg_control = ctl, .msg_controllen = sizeof(ctl) };
	struct cmsghdr *h = CMSG_FIRSTHDR(&m);

	h->cmsg_level = SOL_SOCKET;
	h->cmsg_type = SCM_RIGHTS;
	h->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(h), &fd, sizeof(int));
	return sendmsg(sock, &m, 0) == 1 ? 0 : -1;
}

static int recv_fd(int sock)
{
	char c, ctl[CMSG_SPACE(sizeof(int))];
	struct iovec io = { &c, 1 };
	struct msghdr m = { .msg_iov = &io, .msg_iovlen = 1,
			    .msg_control = ctl, .msg_controllen = sizeof(ctl) };
	struct cmsghdr *h;
	int fd;

	if (recvmsg(sock, &m, 0) != 1)
		return -1;
	h = CMSG_FIRSTHDR(&m);
	if (!h || h->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(&fd, CMSG_DATA(h), sizeof(int));
	return fd;
}

/* the child: the filter, its listener to the parent, then CMD */
static void child(int sock, char **argv)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_open, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { sizeof(f) / sizeof(f[0]), f };
	int l;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		_exit(77);
	l = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
			 SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
	if (l < 0) {
		fprintf(stderr, "openwatch: no seccomp listener: %s\n",
			strerror(errno));
		_exit(77);
	}
	if (send_fd(sock, l))
		_exit(77);
	close(l);
	close(sock);
	execvp(argv[0], argv);
	fprintf(stderr, "openwatch: %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

/* one notification: its path to out, then the call goes on */
static void one(int l, FILE *out)
{
	struct seccomp_notif n;
	struct seccomp_notif_resp r;
	char path[4096 + 1], mem[64];
	ssize_t got = -1;
	int fd;

	memset(&n, 0, sizeof(n));
	if (ioctl(l, SECCOMP_IOCTL_NOTIF_RECV, &n))
		return;
	snprintf(mem, sizeof(mem), "/proc/%d/mem", n.pid);
	fd = open(mem, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		got = pread(fd, path, sizeof(path) - 1, (off_t)n.data.args[0]);
		close(fd);
	}
	if (got < 0)
		got = 0;
	path[got] = 0;
	/* the task may be gone, the memory reused: still the same call? */
	if (ioctl(l, SECCOMP_IOCTL_NOTIF_ID_VALID, &n.id) == 0)
		fprintf(out, "%d %s\n", n.pid, path);
	memset(&r, 0, sizeof(r));
	r.id = n.id;
	r.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	ioctl(l, SECCOMP_IOCTL_NOTIF_SEND, &r);
}

int main(int argc, char **argv)
{
	int sv[2], l, status = 0, done = 0;
	FILE *out;
	pid_t pid;

	if (argc < 3) {
		fprintf(stderr, "usage: openwatch OUT CMD [ARG...]\n");
		return 2;
	}
	out = fopen(argv[1], "w");
	if (!out || socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		return 2;
	pid = fork();
	if (pid < 0)
		return 2;
	if (!pid) {
		close(sv[0]);
		child(sv[1], argv + 2);
	}
	close(sv[1]);
	l = recv_fd(sv[0]);
	if (l < 0) {
		waitpid(pid, &status, 0);
		return WIFEXITED(status) ? WEXITSTATUS(status) : 2;
	}
	/* until no task uses the filter (the listener hangs up): the
	   command and every descendant */
	for (;;) {
		struct pollfd p = { l, POLLIN, 0 };

		if (!done && waitpid(pid, &status, WNOHANG) == pid)
			done = 1;
		if (poll(&p, 1, 100) < 0 && errno != EINTR)
			break;
		if (p.revents & POLLIN)
			one(l, out);
		else if (p.revents & (POLLHUP | POLLERR | POLLNVAL))
			break;
	}
	if (!done)
		waitpid(pid, &status, 0);
	fclose(out);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
