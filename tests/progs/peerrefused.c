// SPDX-License-Identifier: MIT
/*
 * Where limen -yy's runtime cannot have a socket of its own to ask
 * sock_diag for a UNIX socket's peer, the program works on a connected
 * UNIX socket all the same:
 *   (no argument)  a seccomp filter kills the program on
 *                  socket(AF_NETLINK, ...): the runtime must not make that
 *                  call for it
 *   exec           the same filter, inherited by the image the program
 *                  execs
 *   full           no descriptor left (RLIMIT_NOFILE): the program's own
 *                  calls fail with EMFILE as bare
 */
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

static int filter(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_socket, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, args[0])),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AF_NETLINK, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog p = { .len = sizeof(f) / sizeof(f[0]), .filter = f };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -1;
	return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &p);
}

int main(int argc, char **argv)
{
	int sp[2];
	char c = 'z';

	if (argc > 1 && !strcmp(argv[1], "full")) {
		struct rlimit rl;
		int fd;

		if (socketpair(AF_UNIX, SOCK_STREAM, 0, sp) < 0)
			return 1;
		/* every number below the limit taken */
		rl.rlim_cur = rl.rlim_max = (rlim_t)sp[1] + 1;
		if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
			return 1;
		write(sp[0], &c, 1);
		read(sp[1], &c, 1);
		fd = dup(sp[0]);
		printf("dup: %d\n", fd);
		close(sp[0]);
		close(sp[1]);
		printf("alive %c\n", c);
		return 0;
	}
	if (argc < 2 || strcmp(argv[1], "child")) {
		if (filter() < 0) {
			puts("no seccomp");
			return 0;
		}
		if (argc > 1 && !strcmp(argv[1], "exec")) {
			execl("/proc/self/exe", argv[0], "child", (char *)NULL);
			return 127;
		}
	}
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sp) < 0)
		return 1;
	write(sp[0], &c, 1);
	read(sp[1], &c, 1);
	close(sp[0]);
	close(sp[1]);
	printf("alive %c\n", c);
	return 0;
}
