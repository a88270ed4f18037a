/* SPDX-License-Identifier: MIT */
/*
 * Calls whose arguments are named constants (flags, enums, AT_FDCWD, a
 * st_mode), for -X raw/abbrev/verbose (tests/cli/xstyle.t). The first
 * call opens argv[1]; the loader never makes these calls after it.
 * Then values with bits no name covers, alone and beside named ones:
 * each style prints strace's comment for them, or none (raw); socket
 * addresses, devices, limits, futex's commands, signals and netlink.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct stat st;
	int one = 1, fd, s;
	void *p;

	if (argc < 2)
		return 2;
	fd = openat(AT_FDCWD, argv[1], O_RDONLY | O_CLOEXEC);
	fcntl(fd, F_GETFD);
	fcntl(fd, F_SETFD, FD_CLOEXEC);
	lseek(fd, 0, SEEK_CUR);
	fstatat(AT_FDCWD, argv[1], &st, 0);
	s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		 -1, 0);
	munmap(p, 4096);
	close(s);
	close(fd);
	syscall(SYS_mlock2, 0, 0, 4);
	syscall(SYS_mlock2, 0, 0, 5);
	syscall(SYS_membarrier, 0x4000, 0);
	syscall(SYS_socket, AF_UNIX, 0x1f, 0);
	syscall(SYS_socket, AF_UNIX, SOCK_STREAM | 0x1000, 0);
	mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | 0x08, -1, 0);
	syscall(SYS_fanotify_init, 0xc, O_RDONLY);
	syscall(SYS_fanotify_init, 0x10000, O_RDONLY);
	syscall(SYS_fanotify_init, 0x200 | 0xc | 0x80000000, O_RDONLY);
	syscall(SYS_fanotify_mark, -1, 0x80000000, 0x100000000ull, AT_FDCWD,
		"/");
	syscall(SYS_fanotify_mark, -1, 1, 0x20, -1, "/");
	syscall(SYS_mknodat, -1, "x", S_IFCHR | 0620, (1ul << 8) | 3);
	syscall(SYS_mknodat, -1, "x", 0170644, 0);
	syscall(SYS_mknodat, -1, "x", 0644, 0);
	syscall(SYS_ioprio_set, 7, 0, (5 << 13) | 3);
	/* an enum is the kernel's int (0xffffffff), but for a long (mbind's
	   mode); lists with their own unknown comment, order or rule */
	syscall(SYS_lseek, -1, 0, -1L);
	syscall(SYS_getrusage, -1, 0);
	syscall(SYS_fadvise64, -1, 0, 0, 0x7777);
	syscall(SYS_epoll_ctl, -1, 0x7777, -1, 0);
	syscall(SYS_msync, 0, 0, MS_SYNC | MS_ASYNC | MS_INVALIDATE | 0x70);
	syscall(SYS_sendto, -1, 0, 0, 0x800000, 0, 0);
	syscall(SYS_socket, AF_INET, SOCK_STREAM, 0x7777);
	syscall(SYS_socket, AF_INET6, SOCK_STREAM, -1L);
	syscall(SYS_socket, AF_UNIX, SOCK_STREAM, 0x100000006L);
	syscall(SYS_socketpair, AF_INET, SOCK_STREAM, IPPROTO_TCP, 0);
	syscall(SYS_mknodat, -1, "x", 0173567, 0);
	syscall(SYS_fchownat, -1, "x", 0, 0, 0x7777);
	syscall(SYS_name_to_handle_at, -1, "x", 0, 0, 0x40000100);
	syscall(SYS_mbind, 0, 0, 0x7777, 0, 0, 0);
	syscall(SYS_set_mempolicy, -1L, 0, 0);
	syscall(SYS_memfd_create, "x", 21u << 26 | 4 | 1);
	syscall(SYS_memfd_create, "x", 0x100);
	syscall(SYS_remap_file_pages, 0, 0, 0, 0,
		MAP_PRIVATE | MAP_NORESERVE | MAP_GROWSDOWN);
	/* System V IPC flags and commands (none made: no key exists, no
	   IPC_CREAT, a bad id), the socket type's flags, an unknown level */
	syscall(SYS_shmget, 0x4c494d4e, 0, 0x2000);
	syscall(SYS_shmget, 0x4c494d4e, 0, 0x200 | 16u << 26);
	syscall(SYS_semget, 0x4c494d4e, -1, 0x40000000);
	syscall(SYS_msgget, 0x4c494d4e, 0x40000400 | 0644);
	syscall(SYS_shmctl, -1, 0x100 | 0x7677, 0);
	syscall(SYS_shmat, -1, 0, 0x7777);
	syscall(SYS_socket, AF_UNIX, 0xffffffff, 0);
	syscall(SYS_socket, AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
		0);
	syscall(SYS_setsockopt, -1, 0x7777, 1, 0, 0);
	syscall(SYS_statx, -1, "x", 0x6000 | 0x100, 0, 0);
	syscall(SYS_open_tree, -1, 0, 0x7777);
	syscall(SYS_mount_setattr, -1, 0, 0x7777, 0, 0);
	syscall(SYS_timerfd_create, 1, 0x7777);
	/* addresses: their family a name, their fields in network order
	   as text (inet_addr("127.0.0.1")), bytes, or both. The calls need
	   no network: a UDP connect only sets the peer; the others fail or
	   are refused (EBADF), the address shown all the same */
	{
		struct sockaddr_in in = { .sin_family = AF_INET,
					  .sin_port = htons(53),
					  .sin_addr.s_addr = htonl(0x7f000001) };
		struct sockaddr_in6 in6 = { .sin6_family = AF_INET6,
					    .sin6_port = htons(53),
					    .sin6_flowinfo = htonl(7) };
		struct sockaddr_un un = { .sun_family = AF_UNIX,
					  .sun_path = "/nonexistent" };

		in6.sin6_addr.s6_addr[15] = 1;
		s = socket(AF_INET, SOCK_DGRAM, 0);
		connect(s, (struct sockaddr *)&in, sizeof(in));
		close(s);
		connect(-1, (struct sockaddr *)&in6, sizeof(in6));
		connect(-1, (struct sockaddr *)&un, sizeof(un));
	}
	/* numbers a struct or a command shows by name or product: a
	   device (makedev), limits (8192*1024, RLIM64_INFINITY), futex's
	   commands (FUTEX_WAKE_PRIVATE, one with no name) */
	{
		struct rlimit64 { uint64_t cur, max; } rl;
		int word = 0;

		fstatat(AT_FDCWD, "/dev/null", &st, 0);
		syscall(SYS_prlimit64, 0, 3 /* RLIMIT_STACK */, NULL, &rl);
		syscall(SYS_prlimit64, 0, 7 /* RLIMIT_NOFILE */, NULL, &rl);
		syscall(SYS_futex, &word, 0x81 /* FUTEX_WAKE_PRIVATE */, 1,
			NULL, NULL, 0);
		syscall(SYS_futex, &word, 0x7f, 1, NULL, NULL, 0);
	}
	/* signals: numbers in decimal, sets, SIG_IGN and SIG_DFL; a wait
	   status keeps its names (waitid's of no child: none) */
	{
		struct sigaction sa = { .sa_handler = SIG_IGN }, old;
		sigset_t set;

		sigemptyset(&sa.sa_mask);
		sigaddset(&sa.sa_mask, SIGUSR1);
		sigaction(SIGUSR1, &sa, &old);
		sigaction(SIGUSR1, &old, NULL);
		sigemptyset(&set);
		sigaddset(&set, SIGTERM);
		sigaddset(&set, SIGRTMIN + 2);
		sigprocmask(SIG_BLOCK, &set, NULL);
		sigprocmask(SIG_UNBLOCK, &set, NULL);
		kill(0x7fffffff, SIGUSR1);
	}
	/* netlink requests: the header's type and flags, an interface
	   index (if_nametoindex("lo")), an address attribute and a
	   hardware address one (the replies are not read) */
	{
		struct {
			uint32_t len;
			uint16_t type, flags;
			uint32_t seq, pid;
			uint8_t family, prefixlen, aflags, scope;
			uint32_t index;
			uint16_t alen, atype;
			uint8_t addr[4];
		} ra = { sizeof(ra), 0x16 /* RTM_GETADDR */, 0x301, 1, 0,
			 AF_INET, 8, 0, 0, 1, 8, 1 /* IFA_ADDRESS */,
			 { 127, 0, 0, 1 } };
		struct {
			uint32_t len;
			uint16_t type, flags;
			uint32_t seq, pid;
			uint8_t family, pad;
			uint16_t itype;
			int32_t index;
			uint32_t iflags, change;
			uint16_t alen, atype;
			uint8_t mac[6], pad2[2];
		} rl = { sizeof(rl), 0x12 /* RTM_GETLINK */, 0x1, 2, 0, 0, 0,
			 0, 1, 0, 0, 10, 1 /* IFLA_ADDRESS */,
			 { 2, 0xfc, 0, 0, 0, 1 }, { 0, 0 } };

		uint32_t noop[4] = { 16, 1 /* NLMSG_NOOP */ | 1u << 16, 0, 0 };

		s = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, 0 /* ROUTE */);
		/* first a message of no protocol: strace 6.1 shows the first
		   on a socket without its protocol's names */
		sendto(s, noop, sizeof(noop), 0, NULL, 0);
		sendto(s, &ra, sizeof(ra), 0, NULL, 0);
		sendto(s, &rl, sizeof(rl), 0, NULL, 0);
		close(s);
	}
	return 0;
}
