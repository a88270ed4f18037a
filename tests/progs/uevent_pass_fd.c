/* SPDX-License-Identifier: MIT */
/*
 * A user_events_data file passed to another process over a unix socket
 * (SCM_RIGHTS), written against the uapi only
 * (tests/uevent/pass_over_socket.t). On Linux the receiver gets the
 * sender's struct file: the write_indexes the sender registered write
 * through it, a DIAG_IOCSREG of the receiver takes the file's next index
 * (the sender writes through that one too), and the file stays open while
 * the receiver has it, after the sender closed its own descriptor. The
 * receiver is a child forked before the file was opened (it inherits
 * none of it), and then the parent receives one of the child's files;
 * recvmsg and recvmmsg both carry them. A tracefs file (an event's
 * enable file) passed the same way writes the file's state, and an
 * event's directory is the directory.
 *
 * Run with -e uevent=pf_a,pf_b. One "step=value" line per step (the
 * number, or errno's name); the child's lines are ordered by the socket.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "uevent_calls.h"

#define T "/sys/kernel/tracing"
#define DATA T "/user_events_data"

static volatile uint32_t wa, wu, wb, wc, wf;
static int sv[2], gate[2];

static int sendmsg_fd(int s, int fd, int flags);

/* one byte, with descriptor fd (-1: none) */
static void send_fd(int s, int fd)
{
	if (sendmsg_fd(s, fd, 0) != 1)
		_exit(3);
}

static int sendmsg_fd(int s, int fd, int flags)
{
	char c = 'x';
	struct iovec io = { &c, 1 };
	union {
		struct cmsghdr h;
		char b[CMSG_SPACE(sizeof(int))];
	} u;
	struct msghdr m = { .msg_iov = &io, .msg_iovlen = 1 };

	if (fd >= 0) {
		memset(&u, 0, sizeof(u));
		m.msg_control = u.b;
		m.msg_controllen = sizeof(u.b);
		u.h.cmsg_level = SOL_SOCKET;
		u.h.cmsg_type = SCM_RIGHTS;
		u.h.cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(&u.h), &fd, sizeof(int));
	}
	return (int)sendmsg(s, &m, flags);
}

/* one byte, and the descriptor it carries (-1: none); through recvmmsg
   when mm */
static int recv_fd(int s, int mm)
{
	char c;
	struct iovec io = { &c, 1 };
	union {
		struct cmsghdr h;
		char b[CMSG_SPACE(sizeof(int))];
	} u;
	struct mmsghdr v = { .msg_hdr = { .msg_iov = &io, .msg_iovlen = 1,
					  .msg_control = u.b,
					  .msg_controllen = sizeof(u.b) } };
	struct cmsghdr *h;
	int fd = -1;

	if (mm ? recvmmsg(s, &v, 1, 0, 0) != 1 : recvmsg(s, &v.msg_hdr, 0) != 1)
		_exit(4);
	h = CMSG_FIRSTHDR(&v.msg_hdr);
	if (h && h->cmsg_level == SOL_SOCKET && h->cmsg_type == SCM_RIGHTS)
		memcpy(&fd, CMSG_DATA(h), sizeof(int));
	return fd;
}

static const char *link_of(int fd)
{
	static char b[512];
	char p[64];
	ssize_t n;

	snprintf(p, sizeof(p), "/proc/self/fd/%d", fd);
	n = readlink(p, b, sizeof(b) - 1);
	if (n < 0)
		return err(-1);
	b[n] = 0;
	return b;
}

static void child(void)
{
	uint32_t ib = 99, ic = 99;
	int nul = open("/dev/null", O_WRONLY), r, mine, en;

	/* writev's site made hot (rewritten, its calls on the lean path)
	   before a file arrives: the received file's writes still go to
	   the emulation */
	for (int i = 0; i < 4; i++)
		emit(nul, 0, 0);
	close(nul);
	r = recv_fd(sv[1], 0);

	printf("child_received=%s\n", r < 0 ? "none" : "fd");
	if (r < 0)
		_exit(0); /* the parent has no file to pass */
	printf("child_readlink=%s\n", link_of(r));
	printf("child_write_a_of_sender=%s\n", err(emit(r, 0, 7)));
	printf("child_write_untraced_of_sender=%s\n", err(emit(r, 1, 1)));
	printf("child_write_unknown_index=%s\n", err(emit(r, 5, 1)));
	printf("child_reg_b=%s", err(reg(r, "pf_b u32 v", &wb, 0, &ib)));
	printf(" index=%u\n", ib);
	send_fd(sv[1], -1);
	recv_fd(sv[1], 0); /* the parent wrote pf_b and closed its own */
	printf("child_write_a_after_sender_closed=%s\n", err(emit(r, 0, 9)));
	unreg(r, &wb, 0);
	send_fd(sv[1], -1);
	recv_fd(sv[1], 0); /* the parent tried to delete pf_u */
	close(r);
	/* a file of the child's own, to the parent (recvmmsg there) */
	mine = open(DATA, O_RDWR);
	printf("child_reg_c_own_file=%s", err(reg(mine, "pf_c u32 v", &wc, 0,
						  &ic)));
	printf(" index=%u\n", ic);
	unreg(mine, &wc, 0);
	send_fd(sv[1], mine);
	recv_fd(sv[1], 0); /* the parent has it */
	close(mine);
	send_fd(sv[1], -1);
	recv_fd(sv[1], 0);
	/* an enable file, to the parent */
	en = open(T "/events/user_events/pf_u/enable", O_RDWR);
	send_fd(sv[1], en);
	close(en);
	/* and the event's directory */
	en = open(T "/events/user_events/pf_u", O_RDONLY | O_DIRECTORY);
	send_fd(sv[1], en);
	close(en);
	recv_fd(sv[1], 0);
	/* a file whose sender closed it before it was received */
	if (read(gate[0], &ib, 1) != 1)
		_exit(5);
	r = recv_fd(sv[1], 0);
	printf("child_write_a_sender_closed_in_flight=%s\n",
	       err(emit(r, 0, 11)));
	close(r);
	send_fd(sv[1], -1);
	recv_fd(sv[1], 0);
	_exit(0);
}

int main(void)
{
	uint32_t ia = 99, iu = 99;
	int fd, fd2, got, en;
	char buf[8] = "";
	pid_t pid;

	setvbuf(stdout, 0, _IONBF, 0);
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) || pipe(gate))
		return 1;
	pid = fork();
	if (pid == 0)
		child();
	fd = open(DATA, O_RDWR);
	if (fd < 0) {
		printf("open=%s\n", err(-1));
		send_fd(sv[0], -1);
		waitpid(pid, 0, 0);
		return 0;
	}
	/* pf_a: traced; pf_u: not (a write of it is EBADF once found) */
	printf("reg_a=%s", err(reg(fd, "pf_a u32 v", &wa, 0, &ia)));
	printf(" index=%u\n", ia);
	printf("reg_u=%s", err(reg(fd, "pf_u u32 v", &wu, 0, &iu)));
	printf(" index=%u\n", iu);
	unreg(fd, &wu, 0);
	send_fd(sv[0], fd);
	recv_fd(sv[0], 0); /* the child wrote, and registered pf_b */
	printf("parent_write_b_of_receiver=%s\n", err(emit(fd, 2, 8)));
	unreg(fd, &wa, 0);
	close(fd);
	send_fd(sv[0], -1);
	recv_fd(sv[0], 0); /* the child wrote after the parent closed */
	fd2 = open(DATA, O_RDWR);
	printf("del_u_receiver_has_file=%s\n",
	       err(ioctl(fd2, DIAG_IOCSDEL, "pf_u")));
	send_fd(sv[0], -1);
	got = recv_fd(sv[0], 1); /* the child's own file, by recvmmsg */
	printf("del_u_receiver_closed=%s\n",
	       err(ioctl(fd2, DIAG_IOCSDEL, "pf_u")));
	printf("parent_received_readlink=%s\n", link_of(got));
	printf("parent_reg_c_on_received=%s", err(reg(got, "pf_c u32 v", &wc,
						      0, &ia)));
	printf(" index=%u\n", ia);
	send_fd(sv[0], -1);
	recv_fd(sv[0], 0); /* the child closed its own */
	printf("del_c_parent_has_received=%s\n",
	       err(ioctl(fd2, DIAG_IOCSDEL, "pf_c")));
	unreg(got, &wc, 0);
	close(got);
	printf("del_c_received_closed=%s\n",
	       err(ioctl(fd2, DIAG_IOCSDEL, "pf_c")));
	/* pf_u again, for its enable file */
	printf("reg_u_again=%s\n", err(reg(fd2, "pf_u u32 v", &wu, 0, &iu)));
	send_fd(sv[0], -1);
	en = recv_fd(sv[0], 0);
	printf("parent_received_enable_readlink=%s\n", link_of(en));
	printf("write_received_enable=%s\n", err(write(en, "1\n", 2)));
	printf("bit_after_enable=%u\n", wu);
	close(en);
	en = open(T "/events/user_events/pf_u/enable", O_RDONLY);
	if (read(en, buf, sizeof(buf) - 1) < 0)
		printf("read=%s\n", err(-1));
	printf("enable_reads=%c\n", buf[0]);
	close(en);
	got = recv_fd(sv[0], 0);
	printf("parent_received_dir_readlink=%s\n", link_of(got));
	en = openat(got, "enable", O_RDONLY);
	buf[0] = 0;
	if (en < 0 || read(en, buf, sizeof(buf) - 1) < 0)
		printf("openat_received_dir=%s\n", err(-1));
	printf("received_dir_enable_reads=%c\n", buf[0]);
	close(en);
	close(got);
	send_fd(sv[0], -1);

	/* sent, then closed by the sender before the receiver has it: the
	   message holds the file (the kernel's socket queue) */
	fd = open(DATA, O_RDWR);
	reg(fd, "pf_a u32 v", &wa, 0, &ia);
	printf("reg_f=%s", err(reg(fd, "pf_f u32 v", &wf, 0, &iu)));
	printf(" index=%u\n", iu);
	unreg(fd, &wa, 0);
	unreg(fd, &wf, 0);
	send_fd(sv[0], fd);
	close(fd);
	printf("del_f_in_flight=%s\n", err(ioctl(fd2, DIAG_IOCSDEL, "pf_f")));
	if (write(gate[1], "x", 1) != 1)
		return 1;
	recv_fd(sv[0], 0); /* the child wrote and closed it */
	printf("del_f_received_closed=%s\n",
	       err(ioctl(fd2, DIAG_IOCSDEL, "pf_f")));
	send_fd(sv[0], -1);
	waitpid(pid, 0, 0);

	/* a message that could not be sent holds nothing */
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		return 1;
	close(sv[1]);
	fd = open(DATA, O_RDWR);
	reg(fd, "pf_g u32 v", &wf, 0, &iu);
	unreg(fd, &wf, 0);
	printf("send_to_closed_peer=%s\n",
	       sendmsg_fd(sv[0], fd, MSG_NOSIGNAL) < 0 && errno == EPIPE ?
		       "EPIPE" : "sent");
	close(fd);
	printf("del_g_not_sent=%s\n", err(ioctl(fd2, DIAG_IOCSDEL, "pf_g")));
	return 0;
}
