// SPDX-License-Identifier: MIT
/*
 * The calls strace's -e read=/-e write= dump, each in the shape that has a
 * rule of its own (tests/decode/dumpio.t): writev with an empty buffer (the
 * dump stops there), readv returning less than its buffers hold, sendmsg
 * and recvmsg, pwrite/pread, a write that fails (still dumped), and a
 * write far longer than -s, sendmmsg and recvmmsg.
 */
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

int main(void)
{
	static char big[70000];
	char a[8], b[40], bin[20];
	struct iovec wv[3] = { { "ab", 2 }, { "cd\n", 3 }, { "", 0 } };
	struct iovec wv2[3] = { { "ab", 2 }, { "", 0 }, { "ef", 2 } };
	struct iovec rv[2] = { { a, sizeof(a) }, { b, sizeof(b) } };
	struct msghdr m = { .msg_iov = wv, .msg_iovlen = 2 };
	int sp[2], p[2], fd;

	for (unsigned i = 0; i < sizeof(bin); i++)
		bin[i] = (char)(i * 13);
	for (unsigned i = 0; i < sizeof(big); i++)
		big[i] = (char)('a' + i % 26);
	writev(1, wv, 3);
	writev(1, wv2, 3);
	socketpair(AF_UNIX, SOCK_STREAM, 0, sp);
	sendmsg(sp[0], &m, 0);
	write(sp[0], "0123456789abcdef0123", 20);
	readv(sp[1], rv, 2);
	m.msg_iov = rv;
	write(sp[0], bin, sizeof(bin));
	recvmsg(sp[1], &m, 0);
	/* several messages at once */
	{
		struct mmsghdr mm[2] = { { .msg_hdr = { .msg_iov = wv,
							.msg_iovlen = 2 } },
					 { .msg_hdr = { .msg_iov = wv2,
							.msg_iovlen = 1 } } };
		struct mmsghdr rm[2] = { { .msg_hdr = { .msg_iov = rv,
							.msg_iovlen = 2 } } };

		sendmmsg(sp[0], mm, 2, 0);
		recvmmsg(sp[1], rm, 1, 0, NULL);
	}
	fd = open("/dev/null", O_WRONLY);
	pwrite(fd, bin, sizeof(bin), 0);
	write(fd, big, sizeof(big));
	signal(SIGPIPE, SIG_IGN);
	pipe(p);
	close(p[0]);
	write(p[1], "lost", 4);
	return 0;
}
