// SPDX-License-Identifier: MIT
/* Unit tests of the decoder: hand-built calls against strace 6.1's text. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "decode/decode.h"

#include "harness.h"

#define AT_FDCWD_ ((uint64_t)-100)
#define P1 0x7ffc1234a000ULL
#define P2 0x7ffc1234b000ULL
#define ERR(e) ret(-(int64_t)(e))

/* struct stat (x86_64 kernel ABI) with mode/size/rdev set */
static void mkstat(uint8_t *st, uint32_t mode, uint64_t size, uint64_t rdev)
{
	memset(st, 0, 144);
	memcpy(st + 24, &mode, 4);
	memcpy(st + 40, &rdev, 8);
	memcpy(st + 48, &size, 8);
}

static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

/* ARGV blob from strings */
static size_t mkargv(uint8_t *p, const char *const *v, uint32_t total)
{
	size_t o = 8;
	uint32_t n = 0;

	for (; *v; v++, n++) {
		uint32_t l = (uint32_t)strlen(*v);

		put32(p + o, l);
		put32(p + o + 4, 0);
		memcpy(p + o + 8, *v, l);
		o += 8 + ((l + 3) & ~3u);
	}
	put32(p, n);
	put32(p + 4, total ? total : n);
	return o;
}

static void t_files(void)
{
	uint8_t st[144];

	call("openat", AT_FDCWD_, P1, 02000000, 0, 0, 0);
	INS(1, "/etc/hostname");
	ret(3);
	check("openat", "openat(AT_FDCWD, \"/etc/hostname\", O_RDONLY|O_CLOEXEC) = 3");

	call("openat", AT_FDCWD_, P1, 01 | 0100 | 01000, 0644, 0, 0);
	INS(1, "/tmp/x");
	ret(4);
	check("openat O_CREAT mode", "openat(AT_FDCWD, \"/tmp/x\", O_WRONLY|O_CREAT|O_TRUNC, 0644) = 4");

	call("open", P1, 0, 0, 0, 0, 0);
	INS(0, "/nope");
	ERR(2);
	check("open ENOENT", "open(\"/nope\", O_RDONLY) = -1 ENOENT (No such file or directory)");

	call("open", P1, 0x40000000, 0, 0, 0, 0);
	INS(0, "/x");
	ERR(2);
	check("open unknown flag bits", "open(\"/x\", O_RDONLY|0x40000000) = -1 ENOENT (No such file or directory)");

	call("newfstatat", AT_FDCWD_, P1, P2, 0, 0, 0);
	INS(1, "/");
	mkstat(st, 040755, 4096, 0);
	OUT(2, st, 144);
	ret(0);
	check("newfstatat dir", "newfstatat(AT_FDCWD, \"/\", {st_mode=S_IFDIR|0755, st_size=4096, ...}, 0) = 0");

	call("newfstatat", 0, P1, P2, 0x1000, 0, 0);
	INS(1, "");
	mkstat(st, 020666, 0, 0x103);
	OUT(2, st, 144);
	ret(0);
	check("newfstatat chr", "newfstatat(0, \"\", {st_mode=S_IFCHR|0666, st_rdev=makedev(0x1, 0x3), ...}, AT_EMPTY_PATH) = 0");

	call("newfstatat", AT_FDCWD_, P1, P2, 0x100, 0, 0);
	INS(1, "/nonexist");
	ERR(2);
	check("newfstatat failed: out ptr", "newfstatat(AT_FDCWD, \"/nonexist\", 0x7ffc1234b000, AT_SYMLINK_NOFOLLOW) = -1 ENOENT (No such file or directory)");

	call("access", P1, 4 | 2, 0, 0, 0, 0);
	INS(0, "/etc");
	ret(0);
	check("access", "access(\"/etc\", R_OK|W_OK) = 0");

	call("access", P1, 0, 0, 0, 0, 0);
	INS(0, "/etc");
	ret(0);
	check("access F_OK", "access(\"/etc\", F_OK) = 0");

	call("lseek", 11, 0, 2, 0, 0, 0);
	ret(3);
	check("lseek", "lseek(11, 0, SEEK_END) = 3");

	call("lseek", 0, 5, 7, 0, 0, 0);
	ERR(22);
	check("lseek unknown whence", "lseek(0, 5, 0x7 /* SEEK_??? */) = -1 EINVAL (Invalid argument)");

	call("umask", 022, 0, 0, 0, 0, 0);
	ret(022);
	check("umask", "umask(022) = 022");

	call("umask", 0, 0, 0, 0, 0, 0);
	ret(022);
	check("umask 0", "umask(000) = 022");

	call("readlink", P1, P2, 100, 0, 0, 0);
	INS(0, "/proc/self/exe");
	OUT(1, "/tmp/st/p1", 10);
	ret(10);
	check("readlink", "readlink(\"/proc/self/exe\", \"/tmp/st/p1\", 100) = 10");

	call("getcwd", P1, 100, 0, 0, 0, 0);
	OUT(0, "/tmp/st", 7);
	ret(8);
	check("getcwd", "getcwd(\"/tmp/st\", 100) = 8");

	call("close", 21, 0, 0, 0, 0, 0);
	ERR(9);
	check("close EBADF", "close(21) = -1 EBADF (Bad file descriptor)");
}

static void t_io(void)
{
	static const char big[] = "total 80\nlrwxrwxrwx  1 root root    7 Jan";
	uint8_t bin[] = { 'a', 0, '1', 0x7f, 0x80, 0xff, '\t', '\n', '\v',
			  '\f', '\r', '"', '\\', 1, 'z', 0x1b, '[', '0', 'm' };
	uint8_t b2[] = { 1, '8', 1, '9', 1, '7', 0, 'a', 0 };

	call("read", 3, P1, 4096, 0, 0, 0);
	OUT(1, "vm\n", 3);
	ret(3);
	check("read", "read(3, \"vm\\n\", 4096) = 3");

	call("read", 3, P1, 4096, 0, 0, 0);
	ret(0);
	OUT(1, "", 0);
	check("read EOF", "read(3, \"\", 4096) = 0");

	call("read", 0, P1, 1, 0, 0, 0);
	ERR(512);
	check("read ERESTARTSYS", "read(0, 0x7ffc1234a000, 1) = ? ERESTARTSYS (To be restarted if SA_RESTART is set)");

	call("read", -1ULL, 0, 10, 0, 0, 0);
	ERR(9);
	check("read NULL", "read(-1, NULL, 10) = -1 EBADF (Bad file descriptor)");

	call("write", 1, P1, sizeof big - 1, 0, 0, 0);
	IN(1, big, 32);
	C.cap_in[1].flags |= LIMEN_BLOB_TRUNC;
	ret(sizeof big - 1);
	check("write truncated at -s 32", "write(1, \"total 80\\nlrwxrwxrwx  1 root root\"..., 41) = 41");

	call("write", 1, P1, sizeof bin, 0, 0, 0);
	IN(1, bin, sizeof bin);
	ret(sizeof bin);
	O.strsize = 64;
	check("write escapes", "write(1, \"a\\0001\\177\\200\\377\\t\\n\\v\\f\\r\\\"\\\\\\1z\\33[0m\", 19) = 19");

	call("read", 3, P1, 131072, 0, 0, 0);
	OUT(1, b2, sizeof b2);
	ret(sizeof b2);
	check("read octal digit rule", "read(3, \"\\18\\19\\0017\\0a\\0\", 131072) = 9");

	call("write", 1, P1, 10, 0, 0, 0);
	IN(1, "0123456789", 10);
	ret(10);
	O.strsize = 4;
	check("write -s 4", "write(1, \"0123\"..., 10) = 10");

	call("read", 3, P1, 10, 0, 0, 0);
	OUT(1, "abc", 3);
	C.cap_out[1].flags |= LIMEN_BLOB_FAULT;
	ret(3);
	check("fault blob prints pointer", "read(3, 0x7ffc1234a000, 10) = 3");

	{
		uint8_t v[128];
		size_t o = 8; /* u32 count, u32 pad */

		put32(v, 2);
		put64(v + o, 0x1000); put64(v + o + 8, 5); put32(v + o + 16, 5);
		memcpy(v + o + 24, "hello", 5); o += 24 + 8;
		put64(v + o, 0x2000); put64(v + o + 8, 1); put32(v + o + 16, 1);
		memcpy(v + o + 24, "\n", 1); o += 24 + 8;
		call("writev", 1, P1, 2, 0, 0, 0);
		IN(1, v, o);
		ret(6);
		check("writev", "writev(1, [{iov_base=\"hello\", iov_len=5}, {iov_base=\"\\n\", iov_len=1}], 2) = 6");

		o = 8;
		put32(v, 2);
		put64(v + o, 0x1000); put64(v + o + 8, 3); put32(v + o + 16, 3);
		memcpy(v + o + 24, "abc", 3); o += 24 + 8;
		put64(v + o, 0x2000); put64(v + o + 8, 100); put32(v + o + 16, 5);
		memcpy(v + o + 24, "defgh", 5); o += 24 + 8;
		call("readv", 3, P1, 2, 0, 0, 0);
		OUT(1, v, o);
		ret(8);
		check("readv", "readv(3, [{iov_base=\"abc\", iov_len=3}, {iov_base=\"defgh\", iov_len=100}], 2) = 8");
	}

	call("pipe2", P1, 02000000, 0, 0, 0, 0);
	{
		int fds[2] = { 3, 4 };

		OUT(0, fds, 8);
	}
	ret(0);
	check("pipe2", "pipe2([3, 4], O_CLOEXEC) = 0");

	{
		uint8_t r[8] = { 0xa2, 0xf7, 0xf9, 0xac, 0xfa, 0x43, 0x0e, 0x90 };

		call("getrandom", P1, 8, 1, 0, 0, 0);
		OUT(0, r, 8);
		ret(8);
		check("getrandom hex", "getrandom(\"\\xa2\\xf7\\xf9\\xac\\xfa\\x43\\x0e\\x90\", 8, GRND_NONBLOCK) = 8");
	}

	{
		uint8_t d[64] = { 0 };
		uint16_t rl = 24;

		memcpy(d + 16, &rl, 2);
		memcpy(d + 24 + 16, &rl, 2);
		call("getdents64", 3, P1, 32768, 0, 0, 0);
		OUT(1, d, 48);
		ret(48);
		check("getdents64", "getdents64(3, 0x7ffc1234a000 /* 2 entries */, 32768) = 48");
		/* a negative return that is no errno covers no bytes: the
		   entries after the 8 captured ones must not be walked */
		OUT(1, d, 48);
		OUT(1, d, 8);
		ret(-5000);
		check("getdents64_negative_return_reads_no_entries",
		      "getdents64(3, 0x7ffc1234a000, 32768) = -5000");
	}
}

static void t_proc(void)
{
	uint8_t a[512];
	size_t n;
	static const char *const argv[] = { "ls", "-l", NULL };
	static const char *const envp[] = { "A=1", NULL };

	call("exit_group", 0, 0, 0, 0, 0, 0);
	check("exit_group", "exit_group(0) = ?");

	/* it returns only when -e inject= answered for it: its result,
	   as strace shows it */
	call("exit_group", 0, 0, 0, 0, 0, 0);
	ret(0);
	check("exit_group returned", "exit_group(0) = 0");

	call("exit_group", 4, 0, 0, 0, 0, 0);
	ret(-1);
	check("exit_group failed",
	      "exit_group(4) = -1 EPERM (Operation not permitted)");

	call("execve", P1, P2, 0x7ffd00001000ULL, 0, 0, 0);
	INS(0, "/bin/ls");
	n = mkargv(a, argv, 0);
	IN(1, a, n);
	n = mkargv(a, envp, 23);
	IN(2, a, n);
	ret(0);
	check("execve", "execve(\"/bin/ls\", [\"ls\", \"-l\"], 0x7ffd00001000 /* 23 vars */) = 0");

	call("clone", 0x01200011, 0, 0, 0x7f18635e6a10ULL, 0, 0);
	ret(3048);
	check("clone", "clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f18635e6a10) = 3048");

	{
		uint64_t ca[11] = { 0x3d0f00, 0, 0x7f5d8c893990ULL,
			0x7f5d8c893990ULL, 0, 0x7f5d8c093000ULL, 0x7fff80,
			0x7f5d8c8936c0ULL, 0, 0, 0 };

		call("clone3", P1, 88, 0, 0, 0, 0);
		IN(0, ca, 88);
		ret(3132);
		check("clone3", "clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, child_tid=0x7f5d8c893990, parent_tid=0x7f5d8c893990, exit_signal=0, stack=0x7f5d8c093000, stack_size=0x7fff80, tls=0x7f5d8c8936c0} => {parent_tid=[3132]}, 88) = 3132");
	}

	{
		int st = 3 << 8;

		call("wait4", 3048, P1, 0, 0, 0, 0);
		OUT(1, &st, 4);
		ret(3048);
		check("wait4 exited", "wait4(3048, [{WIFEXITED(s) && WEXITSTATUS(s) == 3}], 0, NULL) = 3048");
		st = 9;
		OUT(1, &st, 4);
		check("wait4 signaled", "wait4(3048, [{WIFSIGNALED(s) && WTERMSIG(s) == SIGKILL}], 0, NULL) = 3048");
		st = 0x137f;
		OUT(1, &st, 4);
		check("wait4 stopped", "wait4(3048, [{WIFSTOPPED(s) && WSTOPSIG(s) == SIGSTOP}], 0, NULL) = 3048");
		/* WCONTINUED's 0xffff has WIFSTOPPED's low bits */
		st = 0xffff;
		OUT(1, &st, 4);
		check("wait4 continued", "wait4(3048, [{WIFCONTINUED(s)}], 0, NULL) = 3048");
	}

	call("wait4", -1ULL, 0, 0x40000001, 0, 0, 0);
	ERR(10);
	check("wait4 options", "wait4(-1, NULL, WNOHANG|__WALL, NULL) = -1 ECHILD (No child processes)");

	call("arch_prctl", 0x1002, 0x7f332ba14c40ULL, 0, 0, 0, 0);
	ret(0);
	check("arch_prctl", "arch_prctl(ARCH_SET_FS, 0x7f332ba14c40) = 0");

	call("futex", 0x7f332bc84a4cULL, 129, 2147483647, 0, 0, 0);
	ret(0);
	check("futex wake", "futex(0x7f332bc84a4c, FUTEX_WAKE_PRIVATE, 2147483647) = 0");

	call("futex", 0x7f332bc84a4cULL, 128, 2, 0, 0, 0);
	ret(0);
	check("futex wait", "futex(0x7f332bc84a4c, FUTEX_WAIT_PRIVATE, 2, NULL) = 0");

	{
		int64_t ts[2] = { 0, 1000 };

		call("futex", 0x7fffce7d45b4ULL, 9 | 128 | 256, 0, P1, 0, 0xffffffff);
		IN(3, ts, 16);
		ERR(110);
		check("futex wait_bitset", "futex(0x7fffce7d45b4, FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME, 0, {tv_sec=0, tv_nsec=1000}, FUTEX_BITSET_MATCH_ANY) = -1 ETIMEDOUT (Connection timed out)");
	}

	call("kill", 3049, 9, 0, 0, 0, 0);
	check("kill no return", "kill(3049, SIGKILL) = ?");

	call("kill", 999999, 99, 0, 0, 0, 0);
	ERR(3);
	check("kill unknown sig", "kill(999999, 99) = -1 ESRCH (No such process)");

	call("kill", 999999, 34, 0, 0, 0, 0);
	ERR(3);
	check("kill SIGRT_2", "kill(999999, SIGRT_2) = -1 ESRCH (No such process)");

	call("prctl", 3, 0, 0, 0, 0, 0);
	ret(1);
	check("prctl get_dumpable", "prctl(PR_GET_DUMPABLE) = 1 (SUID_DUMP_USER)");

	call("mmap", 0, 4096, 3, 0x22, -1ULL, 0);
	ret(0x7f18637d5000LL);
	check("mmap anon", "mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f18637d5000");

	call("mmap", 0, 4096, 1, 1, 11, 0x1000);
	ERR(12);
	check("mmap error", "mmap(NULL, 4096, PROT_READ, MAP_SHARED, 11, 0x1000) = -1 ENOMEM (Cannot allocate memory)");

	call("brk", 0, 0, 0, 0, 0, 0);
	ret(0x5557f52cc000LL);
	check("brk", "brk(NULL) = 0x5557f52cc000");

	call("getpid", 0, 0, 0, 0, 0, 0);
	ret(3047);
	check("getpid", "getpid() = 3047");

	call("setitimer", 0, P1, 0, 0, 0, 0);
	memset(a, 0, 32);
	IN(1, a, 32);
	ret(0);
	check("setitimer", "setitimer(ITIMER_REAL, {it_interval={tv_sec=0, tv_usec=0}, it_value={tv_sec=0, tv_usec=0}}, NULL) = 0");
}

static void t_signals(void)
{
	uint8_t sa[32] = { 0 }, old[32] = { 0 };
	uint64_t set;

	put64(sa, 1);
	put64(sa + 8, 0x14000000);
	put64(sa + 16, 0x7f1863625050ULL);
	put64(sa + 24, (1ULL << 1) | (1ULL << 14));
	call("rt_sigaction", 13, P1, P2, 8, 0, 0);
	IN(1, sa, 32);
	OUT(2, old, 32);
	ret(0);
	check("rt_sigaction", "rt_sigaction(SIGPIPE, {sa_handler=SIG_IGN, sa_mask=[INT TERM], sa_flags=SA_RESTORER|SA_RESTART, sa_restorer=0x7f1863625050}, {sa_handler=SIG_DFL, sa_mask=[], sa_flags=0}, 8) = 0");

	set = ~0ULL & ~(3ULL << 31);
	call("rt_sigprocmask", 0, P1, P2, 8, 0, 0);
	IN(1, &set, 8);
	set = 0;
	OUT(2, &set, 8);
	ret(0);
	check("rt_sigprocmask inverted", "rt_sigprocmask(SIG_BLOCK, ~[RTMIN RT_1], [], 8) = 0");

	set = 1ULL << 16;
	call("rt_sigprocmask", 0, P1, 0, 8, 0, 0);
	IN(1, &set, 8);
	ret(0);
	check("rt_sigprocmask CHLD", "rt_sigprocmask(SIG_BLOCK, [CHLD], NULL, 8) = 0");

	set = ~0ULL;
	call("rt_sigprocmask", 0, P1, P2, 8, 0, 0);
	IN(1, &set, 8);
	ERR(14);
	check("rt_sigprocmask all + failed out", "rt_sigprocmask(SIG_BLOCK, ~[], 0x7ffc1234b000, 8) = -1 EFAULT (Bad address)");

	{
		uint8_t si[128] = { 0 };
		struct limen_sb sb = { 0 };

		put32(si, 17); put32(si + 8, 1); put32(si + 16, 3048);
		put32(si + 24, 3);
		limen_decode_siginfo(&sb, si);
		check_str("siginfo CLD_EXITED", sb.p, "{si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=3048, si_uid=0, si_status=3, si_utime=0, si_stime=0}");
		limen_sb_reset(&sb);
		memset(si, 0, sizeof si);
		put32(si, 14); put32(si + 8, 0x80);
		limen_decode_siginfo(&sb, si);
		check_str("siginfo SI_KERNEL", sb.p, "{si_signo=SIGALRM, si_code=SI_KERNEL}");
		limen_sb_reset(&sb);
		put32(si, 15); put32(si + 8, (uint32_t)-6); put32(si + 16, 3789);
		limen_decode_siginfo(&sb, si);
		check_str("siginfo SI_TKILL", sb.p, "{si_signo=SIGTERM, si_code=SI_TKILL, si_pid=3789, si_uid=0}");
		limen_sb_free(&sb);
	}
	{
		char b[16];

		check_str("signame 32", limen_signame(32, b), "SIGRTMIN");
		check_str("signame 35", limen_signame(35, b), "SIGRT_3");
		check_str("errname", limen_errname(2), "ENOENT");
	}
	call("read", 0, P1, 1, 0, 0, 0);
	ERR(516);
	check("ERESTART_RESTARTBLOCK", "read(0, 0x7ffc1234a000, 1) = ? ERESTART_RESTARTBLOCK (Interrupted by signal)");
	ERR(514);
	check("ERESTARTNOHAND", "read(0, 0x7ffc1234a000, 1) = ? ERESTARTNOHAND (To be restarted if no handler)");
	ERR(513);
	check("ERESTARTNOINTR", "read(0, 0x7ffc1234a000, 1) = ? ERESTARTNOINTR (To be restarted)");
}

static void t_net(void)
{
	uint8_t sa[128] = { 0 };
	uint32_t l;

	call("socket", 1, 1 | 0x80000, 0, 0, 0, 0);
	ret(5);
	check("socket unix", "socket(AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC, 0) = 5");

	call("socket", 10, 1, 0, 0, 0, 0);
	ret(7);
	check("socket inet6", "socket(AF_INET6, SOCK_STREAM, IPPROTO_IP) = 7");

	call("socket", 16, 3, 0, 0, 0, 0);
	ret(8);
	check("socket netlink", "socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE) = 8");

	sa[0] = 1;
	strcpy((char *)sa + 2, "/run/nonexist");
	call("connect", 5, P1, 110, 0, 0, 0);
	IN(1, sa, 110);
	ERR(2);
	check("connect unix", "connect(5, {sa_family=AF_UNIX, sun_path=\"/run/nonexist\"}, 110) = -1 ENOENT (No such file or directory)");

	memset(sa, 0, sizeof sa);
	sa[0] = 2; sa[2] = 0; sa[3] = 80; sa[4] = 127; sa[7] = 1;
	call("connect", 6, P1, 16, 0, 0, 0);
	IN(1, sa, 16);
	ret(0);
	check("connect inet", "connect(6, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr(\"127.0.0.1\")}, 16) = 0");

	memset(sa, 0, sizeof sa);
	sa[0] = 10; sa[2] = 1; sa[3] = 0xbb; sa[23] = 1;
	call("connect", 7, P1, 28, 0, 0, 0);
	IN(1, sa, 28);
	ERR(111);
	check("connect inet6", "connect(7, {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, \"::1\", &sin6_addr), sin6_scope_id=0}, 28) = -1 ECONNREFUSED (Connection refused)");

	memset(sa, 0, sizeof sa);
	sa[0] = 16;
	call("bind", 8, P1, 12, 0, 0, 0);
	IN(1, sa, 12);
	ret(0);
	check("bind netlink", "bind(8, {sa_family=AF_NETLINK, nl_pid=0, nl_groups=00000000}, 12) = 0");

	memset(sa, 0, sizeof sa);
	sa[0] = 2; sa[2] = 0xc8; sa[3] = 0xfb; sa[4] = 127; sa[7] = 1;
	call("getsockname", 6, P1, P2, 0, 0, 0);
	OUT(1, sa, 16);
	l = 16;
	IN(2, &l, 4);
	OUT(2, &l, 4);
	ret(0);
	check("getsockname", "getsockname(6, {sa_family=AF_INET, sin_port=htons(51451), sin_addr=inet_addr(\"127.0.0.1\")}, [16]) = 0");
	l = 128;
	IN(2, &l, 4);
	check("getsockname len changed", "getsockname(6, {sa_family=AF_INET, sin_port=htons(51451), sin_addr=inet_addr(\"127.0.0.1\")}, [128 => 16]) = 0");
}

static void t_misc(void)
{
	uint8_t b[512] = { 0 };

	{
		int16_t pf[4] = { 3, 0, 1, 0 };

		call("poll", P1, 1, 0, 0, 0, 0);
		IN(0, pf, 8);
		ret(0);
		check("poll timeout", "poll([{fd=3, events=POLLIN}], 1, 0) = 0 (Timeout)");
		pf[3] = 1;
		OUT(0, pf, 8);
		ret(1);
		check("poll revents", "poll([{fd=3, events=POLLIN}], 1, 0) = 1 ([{fd=3, revents=POLLIN}])");
	}

	call("fcntl", 11, 3, 0, 0, 0, 0);
	ret(0x8000);
	check("fcntl F_GETFL", "fcntl(11, F_GETFL) = 0x8000 (flags O_RDONLY|O_LARGEFILE)");

	call("fcntl", 11, 1, 0, 0, 0, 0);
	ret(0);
	check("fcntl F_GETFD", "fcntl(11, F_GETFD) = 0");

	call("fcntl", 11, 2, 1, 0, 0, 0);
	ret(0);
	check("fcntl F_SETFD", "fcntl(11, F_SETFD, FD_CLOEXEC) = 0");

	call("fcntl", 11, 4, 04000, 0, 0, 0);
	ret(0);
	check("fcntl F_SETFL", "fcntl(11, F_SETFL, O_RDONLY|O_NONBLOCK) = 0");

	call("fcntl", 0, 9999, 5, 0, 0, 0);
	ERR(22);
	check("fcntl unknown", "fcntl(0, 0x270f /* F_??? */, 0x5) = -1 EINVAL (Invalid argument)");

	call("ioctl", 1, 0x5401, P1, 0, 0, 0);
	ERR(25);
	check("ioctl TCGETS ENOTTY", "ioctl(1, TCGETS, 0x7ffc1234a000) = -1 ENOTTY (Inappropriate ioctl for device)");

	{
		uint32_t t[9] = { 0x500, 0x5, 0xbf, 0x8a3b, 0 };

		call("ioctl", 1, 0x5401, P1, 0, 0, 0);
		OUT(2, t, 36);
		ret(0);
		check("ioctl TCGETS", "ioctl(1, TCGETS, {c_iflag=ICRNL|IXON, c_oflag=NL0|CR0|TAB0|BS0|VT0|FF0|OPOST|ONLCR, c_cflag=B38400|CS8|CREAD, c_lflag=ISIG|ICANON|ECHO|ECHOE|ECHOK|IEXTEN|ECHOCTL|ECHOKE, ...}) = 0");
	}
	{
		uint16_t w[4] = { 24, 80, 0, 0 };

		call("ioctl", 1, 0x5413, P1, 0, 0, 0);
		OUT(2, w, 8);
		ret(0);
		check("ioctl TIOCGWINSZ", "ioctl(1, TIOCGWINSZ, {ws_row=24, ws_col=80, ws_xpixel=0, ws_ypixel=0}) = 0");
	}
	{
		int one = 1;

		call("ioctl", 3, 0x541B, P1, 0, 0, 0);
		OUT(2, &one, 4);
		ret(0);
		check("ioctl FIONREAD", "ioctl(3, FIONREAD, [1]) = 0");
	}

	{
		uint64_t rl[2] = { 8192 * 1024, ~0ULL };

		call("prlimit64", 0, 3, 0, P1, 0, 0);
		OUT(3, rl, 16);
		ret(0);
		check("prlimit64", "prlimit64(0, RLIMIT_STACK, NULL, {rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}) = 0");
	}

	memset(b, 0, sizeof b);
	strcpy((char *)b, "Linux");
	strcpy((char *)b + 65, "vm");
	call("uname", P1, 0, 0, 0, 0, 0);
	OUT(0, b, 390);
	ret(0);
	check("uname", "uname({sysname=\"Linux\", nodename=\"vm\", ...}) = 0");

	call("uname", P1, 0, 0, 0, 0, 0);
	OUT(0, b, 10);
	ret(0);
	check("uname short blob", "uname(0x7ffc1234a000) = 0");

	{
		uint8_t ev[12];

		put32(ev, 1 | 0x80000000u);
		put64(ev + 4, 5);
		call("epoll_ctl", 9, 1, 3, P1, 0, 0);
		IN(3, ev, 12);
		ret(0);
		check("epoll_ctl", "epoll_ctl(9, EPOLL_CTL_ADD, 3, {events=EPOLLIN|EPOLLET, data={u32=5, u64=5}}) = 0");
		put32(ev, 1);
		call("epoll_wait", 9, P1, 1, 0, 0, 0);
		OUT(1, ev, 12);
		ret(1);
		check("epoll_wait", "epoll_wait(9, [{events=EPOLLIN, data={u32=5, u64=5}}], 1, 0) = 1");
	}

	{
		int64_t ts[2] = { 1, 500 };

		call("clock_nanosleep", 0, 0, P1, 0, 0, 0);
		IN(2, ts, 16);
		ret(0);
		check("clock_nanosleep", "clock_nanosleep(CLOCK_REALTIME, 0, {tv_sec=1, tv_nsec=500}, NULL) = 0");
	}

	{
		uint8_t ss[24] = { 0 };

		put32(ss + 8, 2);
		call("sigaltstack", 0, P1, 0, 0, 0, 0);
		OUT(1, ss, 24);
		ret(0);
		check("sigaltstack", "sigaltstack(NULL, {ss_sp=NULL, ss_flags=SS_DISABLE, ss_size=0}) = 0");
	}

	call("getpid", 0, 0xa, 0xffffffffffffff80ULL, 0, 0, 0);
	C.nr = 1000;
	ERR(14);
	check("unknown syscall", "syscall_0x3e8(0, 0xa, 0xffffffffffffff80, 0, 0, 0) = -1 EFAULT (Bad address)");

	{
		struct limen_sb sb = { 0 };

		limen_decode_quoted(&sb, (const uint8_t *)"abc", 3, 1);
		check_str("quoted truncated", sb.p, "\"abc\"...");
		limen_sb_free(&sb);
	}
}

/* MSGHDR blob: header, name section, IOV blob of one or two iovecs, control
   section (see decode.h) */
static size_t mkmsghdr(uint8_t *p, const void *name, uint32_t namelen,
		       const char *const *iov, uint32_t niov,
		       const uint64_t *iovlen, const void *ctl,
		       uint32_t ctllen, uint32_t flags)
{
	size_t o = 56, k;
	uint32_t i;

	memset(p, 0, 1024);
	put64(p, name ? P2 : 0);
	put32(p + 8, namelen);
	put64(p + 16, niov ? P1 + 0x100 : 0);
	put64(p + 24, niov);
	put64(p + 32, ctl ? P1 + 0x200 : 0);
	put64(p + 40, ctllen);
	put32(p + 48, flags);
	put32(p + o, name ? namelen : 0);
	if (name)
		memcpy(p + o + 8, name, namelen);
	o += 8 + ((name ? namelen : 0) + 7) / 8 * 8;
	put32(p + o, niov);
	o += 8;
	for (i = 0; i < niov; i++) {
		k = strlen(iov[i]);
		put64(p + o, P1 + 0x300 + 0x10 * i);
		put64(p + o + 8, iovlen[i]);
		put32(p + o + 16, (uint32_t)k);
		memcpy(p + o + 24, iov[i], k);
		o += 24 + (k + 7) / 8 * 8;
	}
	put32(p + o, ctl ? ctllen : 0);
	if (ctl)
		memcpy(p + o + 8, ctl, ctllen);
	o += 8 + ((ctl ? ctllen : 0) + 7) / 8 * 8;
	return o;
}

static void t_families(void)
{
	uint8_t b[1024];
	size_t n;

	{
		uint8_t vec[40] = { 1, 0, 3, 0, 0 };

		call("mincore", P1, 8192 + 4096, P2, 0, 0, 0);
		OUT(2, vec, 3);
		ret(0);
		check("mincore", "mincore(0x7ffc1234a000, 12288, [1, 0, 1]) = 0");
		call("mincore", P1, 40 * 4096, P2, 0, 0, 0);
		OUT(2, vec, 32);
		ret(0);
		check("mincore -s", "mincore(0x7ffc1234a000, 163840, [1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, ...]) = 0");
		call("mincore", 0x1000, 4096, P2, 0, 0, 0);
		ERR(12);
		check("mincore error", "mincore(0x1000, 4096, 0x7ffc1234b000) = -1 ENOMEM (Cannot allocate memory)");
	}

	call("mremap", P1, 8192, 16384, 1, 0, 0);
	ret((int64_t)P2);
	check("mremap maymove", "mremap(0x7ffc1234a000, 8192, 16384, MREMAP_MAYMOVE) = 0x7ffc1234b000");
	call("mremap", P1, 4096, 4096, 3, P2, 0);
	ret((int64_t)P2);
	check("mremap fixed", "mremap(0x7ffc1234a000, 4096, 4096, MREMAP_MAYMOVE|MREMAP_FIXED, 0x7ffc1234b000) = 0x7ffc1234b000");

	call("sched_getscheduler", 0, 0, 0, 0, 0, 0);
	ret(0);
	check("sched_getscheduler", "sched_getscheduler(0) = 0 (SCHED_OTHER)");
	call("sched_getscheduler", 0, 0, 0, 0, 0, 0);
	ret(0x40000003);
	check("sched_getscheduler reset", "sched_getscheduler(0) = 1073741827");

	{
		uint64_t set = 1u << 11;
		int64_t ts[2] = { 1, 0 };

		call("rt_sigtimedwait", P1, 0, P2, 8, 0, 0);
		IN(0, &set, 8);
		IN(2, ts, 16);
		ret(12);
		check("rt_sigtimedwait", "rt_sigtimedwait([USR2], NULL, {tv_sec=1, tv_nsec=0}, 8) = 12 (SIGUSR2)");
	}

	{
		static const char *const iov[] = { "ab", "cde" };
		static const uint64_t il[] = { 2, 3 };

		call("sendmsg", 5, P1, 0, 0, 0, 0);
		n = mkmsghdr(b, NULL, 0, iov, 2, il, NULL, 0, 0);
		IN(1, b, n);
		ret(5);
		check("sendmsg", "sendmsg(5, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base=\"ab\", iov_len=2}, {iov_base=\"cde\", iov_len=3}], msg_iovlen=2, msg_controllen=0, msg_flags=0}, 0) = 5");
	}
	{
		static const char *const iov[] = { "abcdefgh" };
		static const uint64_t il[] = { 16 };

		call("recvmsg", 4, P1, 0, 0, 0, 0);
		n = mkmsghdr(b, NULL, 0, iov, 1, il, NULL, 0, 0x20);
		OUT(1, b, n);
		ret(5);
		check("recvmsg", "recvmsg(4, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base=\"abcde\", iov_len=16}], msg_iovlen=1, msg_controllen=0, msg_flags=MSG_TRUNC}, 0) = 5");
		call("recvmsg", 4, P1, 0x40, 0, 0, 0);
		ERR(11);
		check("recvmsg error", "recvmsg(4, 0x7ffc1234a000, MSG_DONTWAIT) = -1 EAGAIN (Resource temporarily unavailable)");
	}
	{
		static const char *const iov[] = { "x" };
		static const uint64_t il[] = { 1 };
		uint8_t sin[16] = { 2, 0, 0, 9, 127, 0, 0, 1 };
		uint8_t ctl[24] = { 0 };

		put64(ctl, 24);
		put32(ctl + 8, 1);
		put32(ctl + 12, 1);
		put32(ctl + 16, 5);
		put32(ctl + 20, 6);
		call("sendmsg", 3, P1, 0x40, 0, 0, 0);
		n = mkmsghdr(b, sin, 16, iov, 1, il, ctl, 24, 0);
		IN(1, b, n);
		ret(1);
		check("sendmsg name, SCM_RIGHTS", "sendmsg(3, {msg_name={sa_family=AF_INET, sin_port=htons(9), sin_addr=inet_addr(\"127.0.0.1\")}, msg_namelen=16, msg_iov=[{iov_base=\"x\", iov_len=1}], msg_iovlen=1, msg_control=[{cmsg_len=24, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, cmsg_data=[5, 6]}], msg_controllen=24, msg_flags=0}, MSG_DONTWAIT) = 1");
		/* cmsg_len near 2^64 (the kernel answers EINVAL): rounding
		   it up gives 0, which must not loop forever */
		put64(ctl, 0xfffffffffffffffcULL);
		n = mkmsghdr(b, NULL, 0, iov, 1, il, ctl, 24, 0);
		IN(1, b, n);
		ERR(22);
		check("cmsg_len_near_2_64_ends_the_control_list", "sendmsg(3, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base=\"x\", iov_len=1}], msg_iovlen=1, msg_control=[{cmsg_len=18446744073709551612, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, cmsg_data=[5, 6]}], msg_controllen=24, msg_flags=0}, MSG_DONTWAIT) = -1 EINVAL (Invalid argument)");
		put64(ctl, 24);
		ret(1);
		n = mkmsghdr(b, NULL, 0, iov, 1, il, ctl, 8, 0);
		IN(1, b, n);
		check("sendmsg short control", "sendmsg(3, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base=\"x\", iov_len=1}], msg_iovlen=1, msg_control=0x7ffc1234a200, msg_controllen=8, msg_flags=0}, MSG_DONTWAIT) = 1");
		n = mkmsghdr(b, NULL, 0, NULL, 0, NULL, NULL, 0, 0);
		IN(1, b, n);
		ret(0);
		check("sendmsg no iov", "sendmsg(3, {msg_name=NULL, msg_namelen=0, msg_iov=NULL, msg_iovlen=0, msg_controllen=0, msg_flags=0}, MSG_DONTWAIT) = 0");
	}
	{
		uint8_t cr[32] = { 0 };

		put64(cr, 28);
		put32(cr + 8, 1);
		put32(cr + 12, 2);
		put32(cr + 16, 42);
		call("recvmsg", 4, P1, 0, 0, 0, 0);
		n = mkmsghdr(b, NULL, 0, NULL, 0, NULL, cr, 32, 0);
		OUT(1, b, n);
		ret(0);
		check("recvmsg SCM_CREDENTIALS", "recvmsg(4, {msg_name=NULL, msg_namelen=0, msg_iov=NULL, msg_iovlen=0, msg_control=[{cmsg_len=28, cmsg_level=SOL_SOCKET, cmsg_type=SCM_CREDENTIALS, cmsg_data={pid=42, uid=0, gid=0}}], msg_controllen=32, msg_flags=0}, 0) = 0");
	}

	{
		int one = 1;
		uint32_t l4 = 4, l64 = 64;
		char cubic[16] = "cubic";

		call("setsockopt", 3, 1, 2, P1, 4, 0);
		IN(3, &one, 4);
		ret(0);
		check("setsockopt int", "setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0");
		call("setsockopt", 3, 1, 8, P1, 3, 0);
		IN(3, &one, 3);
		ERR(22);
		check("setsockopt short int", "setsockopt(3, SOL_SOCKET, SO_RCVBUF, 0x7ffc1234a000, 3) = -1 EINVAL (Invalid argument)");
		call("setsockopt", 3, 6, 13, P1, 5, 0);
		IN(3, "cubic", 5);
		ret(0);
		check("setsockopt tcp string", "setsockopt(3, SOL_TCP, TCP_CONGESTION, \"cubic\", 5) = 0");
		call("setsockopt", 3, 999, 3, P1, 4, 0);
		IN(3, &one, 4);
		ERR(92);
		check("setsockopt unknown level", "setsockopt(3, 0x3e7 /* SOL_?? */, 3, [1], 4) = -1 ENOPROTOOPT (Protocol not available)");
		call("getsockopt", 3, 1, 3, P1, P2, 0);
		OUT(3, &one, 4);
		IN(4, &l4, 4);
		OUT(4, &l4, 4);
		ret(0);
		check("getsockopt int", "getsockopt(3, SOL_SOCKET, SO_TYPE, [1], [4]) = 0");
		call("getsockopt", 3, 6, 13, P1, P2, 0);
		OUT(3, cubic, 16);
		IN(4, &l64, 4);
		l4 = 16;
		OUT(4, &l4, 4);
		ret(0);
		check("getsockopt string", "getsockopt(3, SOL_TCP, TCP_CONGESTION, \"cubic\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\", [64 => 16]) = 0");
		call("getsockopt", 3, 0, 2, P1, P2, 0);
		l4 = 4;
		IN(4, &l4, 4);
		ERR(22);
		check("getsockopt error", "getsockopt(3, SOL_IP, IP_TTL, 0x7ffc1234a000, [4]) = -1 EINVAL (Invalid argument)");
	}

	{
		int64_t t = 1795314633;

		setenv("TZ", "UTC", 1);
		call("time", P1, 0, 0, 0, 0, 0);
		OUT(0, &t, 8);
		ret(t);
		check("time", "time([1795314633 /* 2026-11-22T02:30:33+0000 */]) = 1795314633 (2026-11-22T02:30:33+0000)");
		call("time", 0, 0, 0, 0, 0, 0);
		ret(t);
		check("time NULL", "time(NULL) = 1795314633 (2026-11-22T02:30:33+0000)");
	}

	{
		uint8_t sev[64] = { 0 };
		int id = 0;

		put64(sev, 7);
		put32(sev + 8, 10);
		call("timer_create", 1, P1, P2, 0, 0, 0);
		IN(1, sev, 64);
		OUT(2, &id, 4);
		ret(0);
		check("timer_create SIGEV_SIGNAL", "timer_create(CLOCK_MONOTONIC, {sigev_value={sival_int=7, sival_ptr=0x7}, sigev_signo=SIGUSR1, sigev_notify=SIGEV_SIGNAL}, [0]) = 0");
		put32(sev + 12, 1);
		IN(1, sev, 64);
		check("timer_create SIGEV_NONE", "timer_create(CLOCK_MONOTONIC, {sigev_value={sival_int=7, sival_ptr=0x7}, sigev_signo=10, sigev_notify=SIGEV_NONE}, [0]) = 0");
		put64(sev, 0);
		put32(sev + 12, 2);
		put64(sev + 16, 0x1234);
		IN(1, sev, 64);
		check("timer_create SIGEV_THREAD", "timer_create(CLOCK_MONOTONIC, {sigev_signo=SIGUSR1, sigev_notify=SIGEV_THREAD, sigev_notify_function=0x1234, sigev_notify_attributes=NULL}, [0]) = 0");
		put32(sev + 12, 4);
		put32(sev + 16, 2925);
		IN(1, sev, 64);
		check("timer_create SIGEV_THREAD_ID", "timer_create(CLOCK_MONOTONIC, {sigev_signo=SIGUSR1, sigev_notify=SIGEV_THREAD_ID, sigev_notify_thread_id=2925}, [0]) = 0");
		put32(sev + 12, 77);
		IN(1, sev, 64);
		check("timer_create unknown notify", "timer_create(CLOCK_MONOTONIC, {sigev_signo=10, sigev_notify=0x4d /* SIGEV_??? */}, [0]) = 0");
	}

	{
		uint8_t pf[16] = { 0 };
		int64_t ts[2] = { 1, 0 }, left[2] = { 0, 999998456 };

		put32(pf, 3);
		pf[4] = 1;
		put32(pf + 8, 4);
		pf[12] = 4;
		call("ppoll", P1, 2, P2, 0, 8, 0);
		IN(0, pf, 16);
		IN(2, ts, 16);
		pf[6] = 1;
		pf[14] = 4;
		OUT(0, pf, 16);
		OUT(2, left, 16);
		ret(2);
		check("ppoll left", "ppoll([{fd=3, events=POLLIN}, {fd=4, events=POLLOUT}], 2, {tv_sec=1, tv_nsec=0}, NULL, 8) = 2 ([{fd=3, revents=POLLIN}, {fd=4, revents=POLLOUT}], left {tv_sec=0, tv_nsec=999998456})");
	}

	{
		uint8_t rs[8] = { 1 << 3 }, ws[8] = { 1 << 4 }, none[8] = { 0 };
		int64_t tv[2] = { 0, 0 }, ltv[2] = { 0, 994 };

		call("select", 4, P1, 0, 0, P2, 0);
		IN(1, rs, 8);
		OUT(1, rs, 8);
		IN(4, tv, 16);
		OUT(4, tv, 16);
		ret(1);
		check("select", "select(4, [3], NULL, NULL, {tv_sec=0, tv_usec=0}) = 1 (in [3], left {tv_sec=0, tv_usec=0})");
		call("select", 7, P1, P1 + 8, 0, P2, 0);
		IN(1, rs, 8);
		IN(2, ws, 8);
		OUT(1, none, 8);
		OUT(2, ws, 8);
		IN(4, tv, 16);
		OUT(4, ltv, 16);
		ret(1);
		check("select out", "select(7, [3], [4], NULL, {tv_sec=0, tv_usec=0}) = 1 (out [4], left {tv_sec=0, tv_usec=994})");
		call("select", 7, P1, 0, 0, P2, 0);
		IN(1, rs, 8);
		IN(4, tv, 16);
		OUT(4, tv, 16);
		ret(0);
		check("select timeout", "select(7, [3], NULL, NULL, {tv_sec=0, tv_usec=0}) = 0 (Timeout)");
		/* strace closes the list again for a later set with nothing */
		call("pselect6", 7, P1, P1 + 8, P1 + 16, 0, 0);
		IN(1, rs, 8);
		IN(2, ws, 8);
		IN(3, rs, 8);
		OUT(1, none, 8);
		OUT(2, ws, 8);
		OUT(3, none, 8);
		ret(2);
		check("pselect6 short count", "pselect6(7, [3], [4], [3], NULL, NULL) = 2 (out [4]])");
		call("pselect6", 7, P1, 0, 0, P2, 0);
		IN(1, rs, 8);
		OUT(1, rs, 8);
		IN(4, tv, 16);
		OUT(4, ltv, 16);
		ret(1);
		check("pselect6", "pselect6(7, [3], NULL, NULL, {tv_sec=0, tv_nsec=0}, NULL) = 1 (in [3], left {tv_sec=0, tv_nsec=994})");
	}

	call("personality", 0xffffffff, 0, 0, 0, 0, 0);
	ret(0);
	check("personality query", "personality(0xffffffff) = 0 (PER_LINUX)");
	call("personality", 0x40008, 0, 0, 0, 0, 0);
	ret(0x10000000);
	check("personality flags", "personality(PER_LINUX32|ADDR_NO_RANDOMIZE) = 0x10000000 (PER_LINUX|0x10000000)");
	call("personality", 0x04100001, 0, 0, 0, 0, 0);
	ret(0);
	check("personality unknown", "personality(0x1 /* PER_??? */|MMAP_PAGE_ZERO|STICKY_TIMEOUTS) = 0 (PER_LINUX)");

	{
		uint64_t fs = 0x7f8a92ec67c0ULL, z = 0;

		call("arch_prctl", 0x1003, P1, 0, 0, 0, 0);
		OUT(1, &fs, 8);
		ret(0);
		check("arch_prctl ARCH_GET_FS", "arch_prctl(ARCH_GET_FS, [0x7f8a92ec67c0]) = 0");
		call("arch_prctl", 0x1004, P1, 0, 0, 0, 0);
		OUT(1, &z, 8);
		ret(0);
		check("arch_prctl ARCH_GET_GS", "arch_prctl(ARCH_GET_GS, [NULL]) = 0");
		call("arch_prctl", 0x1002, fs, 0, 0, 0, 0);
		ret(0);
		check("arch_prctl ARCH_SET_FS", "arch_prctl(ARCH_SET_FS, 0x7f8a92ec67c0) = 0");
		call("arch_prctl", 0x1011, 0, 0, 0, 0, 0);
		ret(1);
		check("arch_prctl ARCH_GET_CPUID", "arch_prctl(ARCH_GET_CPUID) = 1");
		call("arch_prctl", 0x1003, 0, 0, 0, 0, 0);
		ERR(14);
		check("arch_prctl NULL", "arch_prctl(ARCH_GET_FS, NULL) = -1 EFAULT (Bad address)");
	}

	{
		int n3 = 3;

		call("ioctl", 3, 0x541B, P1, 0, 0, 0);
		OUT(2, &n3, 4);
		ret(0);
		check("ioctl FIONREAD", "ioctl(3, FIONREAD, [3]) = 0");
	}
}

int main(void)
{
	/* a decoder that loops forever fails the test instead of hanging it */
	alarm(10);
	t_files();
	t_io();
	t_proc();
	t_signals();
	t_net();
	t_misc();
	t_families();
	printf("1..%d\n", ntest);
	return nfail ? 1 : 0;
}
