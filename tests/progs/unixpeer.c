// SPDX-License-Identifier: MIT
/*
 * UNIX sockets whose peer (strace -yy's UNIX-STREAM:[A->B]) is gone soon
 * after the call: stream and seqpacket pairs made by connect and accept,
 * and by socketpair, each written, read and closed right away. Run under
 * strace -yy and limen -yy (tests/decode/unixpeer.t): a collector that
 * asks sock_diag when it prints a line finds these sockets closed.
 *
 * argv[1], if given: a FIFO opened for writing once every socket is
 * closed (the test holds limen's output back until then, so that no line
 * can be printed while a socket is still open: without it the outcome
 * would depend on how fast the collector drains).
 * argv[2], if given: the size of a write to stdout made first, so large
 * that its trace line (with -s as large) fills the pipe limen writes to.
 */
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static void pair(int type, const char *name)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	socklen_t len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) +
				    1 + strlen(name));
	int lst, cli, srv;
	char c = 'x';

	/* abstract: nothing left in the file system */
	memcpy(sun.sun_path + 1, name, strlen(name));
	lst = socket(AF_UNIX, type, 0);
	bind(lst, (struct sockaddr *)&sun, len);
	listen(lst, 1);
	cli = socket(AF_UNIX, type, 0);
	connect(cli, (struct sockaddr *)&sun, len);
	srv = accept(lst, NULL, NULL);
	close(lst);
	write(cli, &c, 1);
	read(srv, &c, 1);
	/* the server's end goes first: the client's peer is then gone */
	close(srv);
	close(cli);
}

int main(int argc, char **argv)
{
	int sp[2];
	char c = 'y', name[64];

	if (argc > 2) {
		size_t n = strtoul(argv[2], NULL, 10);
		char *big = malloc(n);

		if (!big)
			return 1;
		memset(big, 'a', n);
		write(1, big, n);
		free(big);
	}
	/* a name of this run's own: other runs may go on at once; the pid
	   zero-padded, so that the address length in the bind and connect
	   lines compared with strace's does not depend on its digits */
	snprintf(name, sizeof(name), "limen-unixpeer-%010d-s", (int)getpid());
	pair(SOCK_STREAM, name);
	snprintf(name, sizeof(name), "limen-unixpeer-%010d-q", (int)getpid());
	pair(SOCK_SEQPACKET, name);
	socketpair(AF_UNIX, SOCK_STREAM, 0, sp);
	write(sp[0], &c, 1);
	read(sp[1], &c, 1);
	close(sp[0]);
	close(sp[1]);
	socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sp);
	write(sp[1], &c, 1);
	read(sp[0], &c, 1);
	close(sp[1]);
	close(sp[0]);
	if (argc > 1 && argv[1][0]) {
		int f = open(argv[1], O_WRONLY);

		if (f >= 0) {
			write(f, "done\n", 5);
			close(f);
		}
	}
	return 0;
}
