// SPDX-License-Identifier: MIT
/*
 * Syscalls strace renders irregularly: the shown argument list depends on
 * a command argument (fcntl, ioctl, prctl, futex), arguments are named
 * (clone), or the return value carries extra text (poll, fcntl F_GETFL).
 */
#include <string.h>
#include <time.h>

#include "decode/dec_int.h"

static const char *sysname(const struct limen_call *c)
{
	const struct limen_sysent *se = limen_sysent_get(c->nr);

	return se && se->decoded ? se->name : "";
}

static int is(const char *n, const char *want)
{
	return !strcmp(n, want);
}

/* Any captured blob of argument i, entry or exit, at least min bytes. */
static const struct limen_blob *blob_min(const struct dctx *d, unsigned i,
					 int out, size_t min)
{
	const struct limen_blob *b = dd_blob(d, i, out);

	return b && b->len >= min ? b : NULL;
}

/* ------------------------------------------------------------ fcntl */

enum { F_DUPFD_ = 0, F_GETFD_ = 1, F_SETFD_ = 2, F_GETFL_ = 3, F_SETFL_ = 4,
	F_GETLK_ = 5, F_SETLK_ = 6, F_SETLKW_ = 7, F_SETOWN_ = 8,
	F_GETOWN_ = 9, F_SETSIG_ = 10, F_GETSIG_ = 11, F_OFD_GETLK_ = 36,
	F_OFD_SETLK_ = 37, F_OFD_SETLKW_ = 38, F_SETLEASE_ = 1024,
	F_GETLEASE_ = 1025, F_NOTIFY_ = 1026, F_DUPFD_CLOEXEC_ = 1030,
	F_SETPIPE_SZ_ = 1031, F_GETPIPE_SZ_ = 1032, F_ADD_SEALS_ = 1033,
	F_GET_SEALS_ = 1034 };

static const struct dxl fcntl_cmds[] = {
	{ 0, "F_DUPFD" }, { 1, "F_GETFD" }, { 2, "F_SETFD" }, { 3, "F_GETFL" },
	{ 4, "F_SETFL" }, { 5, "F_GETLK" }, { 6, "F_SETLK" }, { 7, "F_SETLKW" },
	{ 8, "F_SETOWN" }, { 9, "F_GETOWN" }, { 10, "F_SETSIG" },
	{ 11, "F_GETSIG" }, { 15, "F_SETOWN_EX" }, { 16, "F_GETOWN_EX" },
	{ 17, "F_GETOWNER_UIDS" }, { 36, "F_OFD_GETLK" },
	{ 37, "F_OFD_SETLK" }, { 38, "F_OFD_SETLKW" }, { 1024, "F_SETLEASE" },
	{ 1025, "F_GETLEASE" }, { 1026, "F_NOTIFY" },
	{ 1030, "F_DUPFD_CLOEXEC" }, { 1031, "F_SETPIPE_SZ" },
	{ 1032, "F_GETPIPE_SZ" }, { 1033, "F_ADD_SEALS" },
	{ 1034, "F_GET_SEALS" },
};
static const struct dxl lease_types[] = {
	{ 0, "F_RDLCK" }, { 1, "F_WRLCK" }, { 2, "F_UNLCK" },
};
static const struct dxl fd_flags[] = { { 1, "FD_CLOEXEC" } };
static const struct dxl seals[] = {
	{ 1, "F_SEAL_SEAL" }, { 2, "F_SEAL_SHRINK" }, { 4, "F_SEAL_GROW" },
	{ 8, "F_SEAL_WRITE" }, { 16, "F_SEAL_FUTURE_WRITE" },
};
static const struct dxl dn_flags[] = {
	{ 1, "DN_ACCESS" }, { 2, "DN_MODIFY" }, { 4, "DN_CREATE" },
	{ 8, "DN_DELETE" }, { 16, "DN_RENAME" }, { 32, "DN_ATTRIB" },
	{ 0x80000000, "DN_MULTISHOT" },
};

static int fcntl_noarg(uint64_t cmd)
{
	switch (cmd) {
	case F_GETFD_: case F_GETFL_: case F_GETOWN_: case F_GETSIG_:
	case F_GETLEASE_: case F_GETPIPE_SZ_: case F_GET_SEALS_:
		return 1;
	}
	return 0;
}

static void fcntl_arg(const struct dctx *d)
{
	struct limen_sb *sb = d->sb;
	uint64_t cmd = d->c->args[1] & 0xffffffff, v = d->c->args[2];
	const struct limen_blob *b;

	switch (cmd) {
	case F_DUPFD_: case F_DUPFD_CLOEXEC_: case F_SETOWN_:
	case F_SETPIPE_SZ_:
		limen_sb_printf(sb, "%d", (int)v);
		return;
	case F_SETFD_:
		dl_flags(sb, fd_flags, ARRAY_LEN(fd_flags), v, "0");
		return;
	case F_SETFL_:
		dd_open_flags(sb, v);
		return;
	case F_SETSIG_:
		dn_sig(sb, (int)v);
		return;
	case F_SETLEASE_:
		dl_enum(sb, lease_types, ARRAY_LEN(lease_types), v, NULL);
		return;
	case F_NOTIFY_:
		dl_flags(sb, dn_flags, ARRAY_LEN(dn_flags), v, "0");
		return;
	case F_ADD_SEALS_:
		dl_flags(sb, seals, ARRAY_LEN(seals), v, "0");
		return;
	case F_GETLK_: case F_OFD_GETLK_:
		b = d->failed ? NULL : blob_min(d, 2, 1, 32);
		if (b && d->c->has_ret) {
			ds_flock(sb, b->data, 1);
			return;
		}
		b = blob_min(d, 2, 0, 32);
		if (b && !d->failed) {
			ds_flock(sb, b->data, 0);
			return;
		}
		dx_ptr(sb, v);
		return;
	case F_SETLK_: case F_SETLKW_: case F_OFD_SETLK_: case F_OFD_SETLKW_:
		b = blob_min(d, 2, 0, 32);
		if (b)
			ds_flock(sb, b->data, 0);
		else
			dx_ptr(sb, v);
		return;
	}
	limen_sb_printf(sb, "%#llx", (unsigned long long)v);
}

/* ------------------------------------------------------------ ioctl */

static const struct dxl ioctl_cmds[] = {
	/* strace names the OSS timer commands sharing these numbers too */
	{ 0x5401, "TCGETS" }, { 0x5402, "SNDCTL_TMR_START or TCSETS" },
	{ 0x5403, "SNDCTL_TMR_STOP or TCSETSW" },
	{ 0x5404, "SNDCTL_TMR_CONTINUE or TCSETSF" }, { 0x5409, "TCSBRK" }, { 0x540A, "TCXONC" },
	{ 0x540B, "TCFLSH" }, { 0x540C, "TIOCEXCL" }, { 0x540D, "TIOCNXCL" },
	{ 0x540E, "TIOCSCTTY" }, { 0x540F, "TIOCGPGRP" },
	{ 0x5410, "TIOCSPGRP" }, { 0x5411, "TIOCOUTQ" }, { 0x5412, "TIOCSTI" },
	{ 0x5413, "TIOCGWINSZ" }, { 0x5414, "TIOCSWINSZ" },
	{ 0x541B, "FIONREAD" }, { 0x5421, "FIONBIO" }, { 0x5422, "TIOCNOTTY" },
	{ 0x5429, "TIOCGSID" }, { 0x5450, "FIONCLEX" }, { 0x5451, "FIOCLEX" },
	{ 0x5452, "FIOASYNC" }, { 0x80045430, "TIOCGPTN" },
	{ 0x40045431, "TIOCSPTLCK" },
};

static int ioctl_noarg(uint64_t cmd)
{
	switch (cmd) {
	case 0x540C: case 0x540D: case 0x5422: case 0x5450: case 0x5451:
		return 1;
	}
	return 0;
}

static void ioctl_cmd(const struct dctx *d)
{
	struct limen_sb *sb = d->sb;
	uint64_t cmd = d->c->args[1] & 0xffffffff;
	const char *n = dl_lookup(ioctl_cmds, ARRAY_LEN(ioctl_cmds), cmd);
	const struct limen_xlat *x;

	if (!n) {
		x = dx_find("ioctl_cmd");
		n = x ? dx_lookup(x, cmd) : NULL;
	}
	if (n) {
		limen_sb_puts(sb, n);
		return;
	}
	/* strace: _IOC(dir, type, nr, size) for unknown commands */
	if (cmd >> 16) {
		static const char *const dirs[] = { "_IOC_NONE", "_IOC_WRITE",
			"_IOC_READ", "_IOC_READ|_IOC_WRITE" };

		limen_sb_printf(sb, "_IOC(%s, %#x, %#x, %#x)",
				dirs[(cmd >> 30) & 3], (unsigned)(cmd >> 8) & 0xff,
				(unsigned)cmd & 0xff,
				(unsigned)(cmd >> 16) & 0x3fff);
		return;
	}
	limen_sb_printf(sb, "%#llx", (unsigned long long)cmd);
}

static void ioctl_arg(const struct dctx *d)
{
	struct limen_sb *sb = d->sb;
	uint64_t cmd = d->c->args[1] & 0xffffffff, v = d->c->args[2];
	int out = limen_decode_arg_is_out(d->c, 2);
	const struct limen_blob *b;

	if (!v) {
		limen_sb_puts(sb, "NULL");
		return;
	}
	if (out && d->failed) {
		dx_ptr(sb, v);
		return;
	}
	switch (cmd) {
	case 0x5401: case 0x5402: case 0x5403: case 0x5404:
		b = blob_min(d, 2, out, 36);
		if (!b)
			break;
		ds_termios(sb, b->data);
		return;
	case 0x5413: case 0x5414: {
		uint16_t w[4];

		b = blob_min(d, 2, out, 8);
		if (!b)
			break;
		memcpy(w, b->data, 8);
		limen_sb_printf(sb, "{ws_row=%u, ws_col=%u, ws_xpixel=%u, "
				"ws_ypixel=%u}", w[0], w[1], w[2], w[3]);
		return;
	}
	case 0x540F: case 0x5410: case 0x541B: case 0x5421: case 0x5429:
	case 0x5452: case 0x80045430: case 0x40045431: {
		int x;

		b = blob_min(d, 2, out, 4);
		if (!b)
			break;
		memcpy(&x, b->data, 4);
		limen_sb_printf(sb, "[%d]", x);
		return;
	}
	case 0x540B: case 0x540A: case 0x5409: case 0x540E:
		limen_sb_printf(sb, "%d", (int)v);
		return;
	}
	dx_ptr(sb, v);
}

/* ------------------------------------------------------------ prctl */

static const struct dxl dumpable[] = {
	{ 0, "SUID_DUMP_DISABLE" }, { 1, "SUID_DUMP_USER" },
	{ 2, "SUID_DUMP_ROOT" },
};

static unsigned prctl_nargs(uint64_t op)
{
	switch (op) {
	case 3: case 7: case 9: case 13: case 19: case 21: case 23: case 30:
	case 39: case 42: case 47:
		return 1; /* PR_GET_* returning the value */
	case 1: case 2: case 4: case 8: case 10: case 11: case 12: case 14:
	case 15: case 16: case 22: case 24: case 29: case 36: case 37:
		return 2;
	}
	return 5;
}

static void prctl_arg(const struct dctx *d, unsigned i)
{
	struct limen_sb *sb = d->sb;
	uint64_t op = d->c->args[0] & 0xffffffff, v = d->c->args[i];
	const struct limen_blob *b;

	if (i == 1) {
		switch (op) {
		case 1: /* PR_SET_PDEATHSIG */
			dn_sig(sb, (int)v);
			return;
		case 4: /* PR_SET_DUMPABLE */
			dl_enum(sb, dumpable, ARRAY_LEN(dumpable), v, "%llu");
			return;
		case 15: case 16: /* PR_SET_NAME, PR_GET_NAME */
			if (op == 16 && d->failed) {
				dx_ptr(sb, v);
				return;
			}
			b = dd_blob(d, 1, op == 16);
			if (!b || !v) {
				dx_ptr(sb, v);
				return;
			}
			dq_blob(sb, b, b->len ? strnlen((const char *)b->data,
							b->len) : 0,
				d->strsize);
			return;
		case 8: case 12: case 36: case 38:
			limen_sb_printf(sb, "%llu", (unsigned long long)v);
			return;
		}
	}
	if (op == 38 /* PR_SET_NO_NEW_PRIVS */) {
		limen_sb_printf(sb, "%llu", (unsigned long long)v);
		return;
	}
	limen_sb_printf(sb, "%#llx", (unsigned long long)v);
}

/* ------------------------------------------------------------ futex */

static const char *const futex_cmds[] = { "FUTEX_WAIT", "FUTEX_WAKE",
	"FUTEX_FD", "FUTEX_REQUEUE", "FUTEX_CMP_REQUEUE", "FUTEX_WAKE_OP",
	"FUTEX_LOCK_PI", "FUTEX_UNLOCK_PI", "FUTEX_TRYLOCK_PI",
	"FUTEX_WAIT_BITSET", "FUTEX_WAKE_BITSET", "FUTEX_WAIT_REQUEUE_PI",
	"FUTEX_CMP_REQUEUE_PI", "FUTEX_LOCK_PI2" };

/* Shown argument slots: indexes into args[], -1 ends. */
static const signed char *futex_slots(uint64_t op)
{
	static const signed char wait[] = { 0, 1, 2, 3, -1 };
	static const signed char wake[] = { 0, 1, 2, -1 };
	static const signed char wait_bs[] = { 0, 1, 2, 3, 5, -1 };
	static const signed char wake_bs[] = { 0, 1, 2, 5, -1 };
	static const signed char requeue[] = { 0, 1, 2, 3, 4, -1 };
	static const signed char all[] = { 0, 1, 2, 3, 4, 5, -1 };
	static const signed char lock[] = { 0, 1, 3, -1 };
	static const signed char unlock[] = { 0, 1, -1 };

	switch (op & 0x7f) {
	case 0: return (op & ~0x1ffULL) ? all : wait;
	case 1: case 2: return wake;
	case 9: return wait_bs;
	case 10: return wake_bs;
	case 3: return requeue;
	case 4: case 5: case 11: case 12: return all;
	case 6: case 13: return lock;
	case 7: case 8: return unlock;
	}
	return all;
}

static unsigned futex_nargs(uint64_t op)
{
	const signed char *s = futex_slots(op);
	unsigned n = 0;

	while (s[n] >= 0)
		n++;
	return n;
}

static void futex_op(struct limen_sb *sb, uint64_t op)
{
	unsigned cmd = op & 0x7f;

	if (cmd >= ARRAY_LEN(futex_cmds) || (op & ~0x1ffULL)) {
		limen_sb_printf(sb, "%#llx /* FUTEX_??? */",
				(unsigned long long)op);
		return;
	}
	limen_sb_puts(sb, futex_cmds[cmd]);
	if (op & 128)
		limen_sb_puts(sb, "_PRIVATE");
	if (op & 256)
		limen_sb_puts(sb, "|FUTEX_CLOCK_REALTIME");
}

static void futex_arg(const struct dctx *d, unsigned i)
{
	struct limen_sb *sb = d->sb;
	uint64_t op = d->c->args[1] & 0xffffffff;
	unsigned cmd = op & 0x7f;
	int slot = futex_slots(op)[i];
	uint64_t v = d->c->args[slot];
	int known = cmd < ARRAY_LEN(futex_cmds) && !(op & ~0x1ffULL);
	const struct limen_blob *b;

	switch (slot) {
	case 0: case 4:
		dx_ptr(sb, v);
		return;
	case 1:
		futex_op(sb, op);
		return;
	case 2:
		limen_sb_printf(sb, "%d", (int)v);
		return;
	case 3:
		if (known && (cmd == 3 || cmd == 4 || cmd == 5 || cmd == 12)) {
			limen_sb_printf(sb, "%u", (unsigned)v);
			return;
		}
		if (!v) {
			limen_sb_puts(sb, "NULL");
			return;
		}
		b = blob_min(d, 3, 0, 16);
		if (b)
			ds_timespec(sb, b->data);
		else
			dx_ptr(sb, v);
		return;
	case 5:
		if (known && (cmd == 9 || cmd == 10) &&
		    (uint32_t)v == 0xffffffff) {
			limen_sb_puts(sb, "FUTEX_BITSET_MATCH_ANY");
			return;
		}
		if (known && (cmd == 9 || cmd == 10))
			limen_sb_printf(sb, "%#llx", (unsigned long long)(uint32_t)v);
		else
			limen_sb_printf(sb, "%d", (int)v);
		return;
	}
}

/* ------------------------------------------------------------ socket */

static const struct dxl sock_types[] = {
	{ 1, "SOCK_STREAM" }, { 2, "SOCK_DGRAM" }, { 3, "SOCK_RAW" },
	{ 4, "SOCK_RDM" }, { 5, "SOCK_SEQPACKET" }, { 6, "SOCK_DCCP" },
	{ 10, "SOCK_PACKET" },
};
static const struct dxl ipprotos[] = {
	{ 0, "IPPROTO_IP" }, { 1, "IPPROTO_ICMP" }, { 2, "IPPROTO_IGMP" },
	{ 4, "IPPROTO_IPIP" }, { 6, "IPPROTO_TCP" }, { 17, "IPPROTO_UDP" },
	{ 41, "IPPROTO_IPV6" }, { 47, "IPPROTO_GRE" }, { 50, "IPPROTO_ESP" },
	{ 58, "IPPROTO_ICMPV6" }, { 132, "IPPROTO_SCTP" },
	{ 136, "IPPROTO_UDPLITE" }, { 255, "IPPROTO_RAW" },
	{ 262, "IPPROTO_MPTCP" },
};
static const struct dxl nlprotos[] = {
	{ 0, "NETLINK_ROUTE" }, { 2, "NETLINK_USERSOCK" },
	{ 4, "NETLINK_SOCK_DIAG" }, { 6, "NETLINK_XFRM" },
	{ 7, "NETLINK_SELINUX" }, { 9, "NETLINK_AUDIT" },
	{ 11, "NETLINK_FIB_LOOKUP" }, { 12, "NETLINK_NETFILTER" },
	{ 15, "NETLINK_KOBJECT_UEVENT" }, { 16, "NETLINK_GENERIC" },
	{ 18, "NETLINK_SCSITRANSPORT" }, { 20, "NETLINK_CRYPTO" },
};

static void sock_type(struct limen_sb *sb, uint64_t v)
{
	uint64_t t = v & 0xf, rest = v & ~0xfULL & 0xffffffff;
	const char *n = dl_lookup(sock_types, ARRAY_LEN(sock_types), t);

	if (n)
		limen_sb_puts(sb, n);
	else
		rest |= t;
	if (rest & 0x80000)
		limen_sb_printf(sb, "%s%s", n ? "|" : "", "SOCK_CLOEXEC"), n = "";
	if (rest & 0x800)
		limen_sb_printf(sb, "%s%s", n ? "|" : "", "SOCK_NONBLOCK"), n = "";
	rest &= ~0x80800ULL;
	if (rest || !n)
		limen_sb_printf(sb, "%s%#llx", n ? "|" : "",
				(unsigned long long)rest);
}

static void sock_proto(struct limen_sb *sb, uint64_t dom, uint64_t p)
{
	if (dom == 2 || dom == 10)
		dl_enum(sb, ipprotos, ARRAY_LEN(ipprotos), p, "%llu");
	else if (dom == 16)
		dl_enum(sb, nlprotos, ARRAY_LEN(nlprotos), p, "%llu");
	else
		limen_sb_printf(sb, "%d", (int)p);
}

/* ------------------------------------------------------------ clone */

#define CLONE_PARENT_SETTID_ 0x00100000ULL
#define CLONE_CHILD_CLEARTID_ 0x00200000ULL
#define CLONE_CHILD_SETTID_ 0x01000000ULL
#define CLONE_SETTLS_ 0x00080000ULL
#define CLONE_PIDFD_ 0x1000ULL
#define CLONE_INTO_CGROUP_ 0x200000000ULL

static const struct dxl clone_fl[] = {
	{ 0x100, "CLONE_VM" }, { 0x200, "CLONE_FS" }, { 0x400, "CLONE_FILES" },
	{ 0x800, "CLONE_SIGHAND" }, { 0x1000, "CLONE_PIDFD" },
	{ 0x2000, "CLONE_PTRACE" }, { 0x4000, "CLONE_VFORK" },
	{ 0x8000, "CLONE_PARENT" }, { 0x10000, "CLONE_THREAD" },
	{ 0x20000, "CLONE_NEWNS" }, { 0x40000, "CLONE_SYSVSEM" },
	{ 0x80000, "CLONE_SETTLS" }, { 0x100000, "CLONE_PARENT_SETTID" },
	{ 0x200000, "CLONE_CHILD_CLEARTID" }, { 0x400000, "CLONE_DETACHED" },
	{ 0x800000, "CLONE_UNTRACED" }, { 0x1000000, "CLONE_CHILD_SETTID" },
	{ 0x2000000, "CLONE_NEWCGROUP" }, { 0x4000000, "CLONE_NEWUTS" },
	{ 0x8000000, "CLONE_NEWIPC" }, { 0x10000000, "CLONE_NEWUSER" },
	{ 0x20000000, "CLONE_NEWPID" }, { 0x40000000, "CLONE_NEWNET" },
	{ 0x80000000, "CLONE_IO" }, { 0x100000000, "CLONE_CLEAR_SIGHAND" },
	{ 0x200000000, "CLONE_INTO_CGROUP" }, { 0x400000000, "CLONE_NEWTIME" },
};

/* flags and the exit signal in the low byte: "CLONE_VM|SIGCHLD" */
static void clone_flags(struct limen_sb *sb, uint64_t fl, int with_sig)
{
	int first = 1;
	uint64_t sig = with_sig ? (fl & 0xff) : 0, left;

	left = fl & ~(with_sig ? 0xffULL : 0);
	left &= ~dl_bits(sb, clone_fl, ARRAY_LEN(clone_fl), left, &first);
	if (sig) {
		if (!first)
			limen_sb_putc(sb, '|');
		first = 0;
		dn_sig(sb, (int)sig);
	}
	if (left) {
		limen_sb_printf(sb, "%s%#llx", first ? "" : "|",
				(unsigned long long)left);
		first = 0;
	}
	if (first)
		limen_sb_putc(sb, '0');
}

/* x86_64 clone(flags, stack, parent_tid, child_tid, tls) shown as
   child_stack=, flags=, [parent_tid=,] [tls=,] [child_tidptr=] */
static int clone_field(uint64_t fl, unsigned i)
{
	int f[5], n = 0;

	f[n++] = 1;
	f[n++] = 0;
	if (fl & CLONE_PARENT_SETTID_)
		f[n++] = 2;
	if (fl & CLONE_SETTLS_)
		f[n++] = 4;
	if (fl & (CLONE_CHILD_SETTID_ | CLONE_CHILD_CLEARTID_))
		f[n++] = 3;
	return (int)i < n ? f[i] : -1;
}

static unsigned clone_nargs(uint64_t fl)
{
	unsigned n = 0;

	while (clone_field(fl, n) >= 0)
		n++;
	return n;
}

static void clone_arg(const struct dctx *d, unsigned i)
{
	struct limen_sb *sb = d->sb;
	uint64_t fl = d->c->args[0];

	switch (clone_field(fl, i)) {
	case 1:
		limen_sb_puts(sb, "child_stack=");
		dx_ptr(sb, d->c->args[1]);
		break;
	case 0:
		limen_sb_puts(sb, "flags=");
		clone_flags(sb, fl, 1);
		break;
	case 2:
		limen_sb_puts(sb, "parent_tid=");
		if (d->c->has_ret && d->c->ret > 0)
			limen_sb_printf(sb, "[%lld]", (long long)d->c->ret);
		else
			dx_ptr(sb, d->c->args[2]);
		break;
	case 4:
		limen_sb_puts(sb, "tls=");
		dx_ptr(sb, d->c->args[4]);
		break;
	case 3:
		limen_sb_puts(sb, "child_tidptr=");
		dx_ptr(sb, d->c->args[3]);
		break;
	}
}

static void clone3_arg(const struct dctx *d)
{
	struct limen_sb *sb = d->sb;
	const struct limen_blob *b = blob_min(d, 0, 0, 64);
	uint64_t a[11] = { 0 }, fl;

	if (!d->c->args[0]) {
		limen_sb_puts(sb, "NULL");
		return;
	}
	if (!b) {
		dx_ptr(sb, d->c->args[0]);
		return;
	}
	memcpy(a, b->data, b->len < 88 ? b->len : 88);
	fl = a[0];
	limen_sb_puts(sb, "{flags=");
	clone_flags(sb, fl, 0);
	if (fl & CLONE_PIDFD_)
		limen_sb_printf(sb, ", pidfd=%#llx", (unsigned long long)a[1]);
	if (fl & (CLONE_CHILD_SETTID_ | CLONE_CHILD_CLEARTID_))
		limen_sb_printf(sb, ", child_tid=%#llx", (unsigned long long)a[2]);
	if (fl & CLONE_PARENT_SETTID_)
		limen_sb_printf(sb, ", parent_tid=%#llx", (unsigned long long)a[3]);
	limen_sb_puts(sb, ", exit_signal=");
	if (a[4])
		dn_sig(sb, (int)a[4]);
	else
		limen_sb_putc(sb, '0');
	limen_sb_puts(sb, ", stack=");
	dx_ptr(sb, a[5]);
	limen_sb_printf(sb, ", stack_size=%#llx", (unsigned long long)a[6]);
	if (fl & CLONE_SETTLS_)
		limen_sb_printf(sb, ", tls=%#llx", (unsigned long long)a[7]);
	if (b->len >= 80 && (a[8] || a[9])) {
		limen_sb_puts(sb, ", set_tid=");
		dx_ptr(sb, a[8]);
		limen_sb_printf(sb, ", set_tid_size=%llu", (unsigned long long)a[9]);
	}
	if (b->len >= 88 && (fl & CLONE_INTO_CGROUP_))
		limen_sb_printf(sb, ", cgroup=%llu", (unsigned long long)a[10]);
	limen_sb_putc(sb, '}');
	if (d->c->has_ret && d->c->ret > 0 &&
	    (fl & (CLONE_PARENT_SETTID_ | CLONE_PIDFD_))) {
		limen_sb_puts(sb, " => {");
		if (fl & CLONE_PIDFD_)
			limen_sb_puts(sb, "pidfd=[?]");
		if (fl & CLONE_PARENT_SETTID_)
			limen_sb_printf(sb, "%sparent_tid=[%lld]",
					(fl & CLONE_PIDFD_) ? ", " : "",
					(long long)d->c->ret);
		limen_sb_putc(sb, '}');
	}
}

/* ------------------------------------------------------------ misc */

static void getdents_arg(const struct dctx *d)
{
	struct limen_sb *sb = d->sb;
	uint64_t v = d->c->args[1];
	const struct limen_blob *b;
	size_t off = 0, n = 0, len;

	if (!d->c->has_ret || d->failed || !v) {
		dx_ptr(sb, v);
		return;
	}
	b = dd_blob(d, 1, 1);
	len = (size_t)d->c->ret;
	if (!b || (b->len < len && d->c->ret > 0)) {
		dx_ptr(sb, v);
		return;
	}
	while (off + 18 <= len) {
		uint16_t rl;

		memcpy(&rl, b->data + off + 16, 2);
		if (!rl)
			break;
		n++;
		off += rl;
	}
	limen_sb_printf(sb, "%#llx /* %zu entries */", (unsigned long long)v, n);
}

static void statx_flags(struct limen_sb *sb, uint64_t v)
{
	static const char *const sync[] = { "AT_STATX_SYNC_AS_STAT",
		"AT_STATX_FORCE_SYNC", "AT_STATX_DONT_SYNC", "0x6000" };
	static const struct dxl at[] = {
		{ 0x100, "AT_SYMLINK_NOFOLLOW" }, { 0x200, "AT_REMOVEDIR" },
		{ 0x400, "AT_SYMLINK_FOLLOW" }, { 0x800, "AT_NO_AUTOMOUNT" },
		{ 0x1000, "AT_EMPTY_PATH" }, { 0x8000, "AT_RECURSIVE" },
	};
	int first = 0;
	uint64_t left;

	limen_sb_puts(sb, sync[(v >> 13) & 3]);
	left = v & ~0x6000ULL;
	left &= ~dl_bits(sb, at, ARRAY_LEN(at), left, &first);
	if (left)
		limen_sb_printf(sb, "|%#llx", (unsigned long long)left);
}

static void getrandom_arg(const struct dctx *d)
{
	const struct limen_blob *b;
	uint64_t v = d->c->args[0];
	size_t n;

	if (!v || d->failed || !(b = dd_blob(d, 0, 1))) {
		dx_ptr(d->sb, v);
		return;
	}
	n = b->len;
	if (d->c->has_ret && (uint64_t)d->c->ret < n)
		n = (size_t)d->c->ret;
	if (n > d->strsize) {
		dq_bytes(d->sb, b->data, d->strsize, 1, 1);
		return;
	}
	dq_bytes(d->sb, b->data, n, (b->flags & LIMEN_BLOB_TRUNC) != 0, 1);
}

/* ------------------------------------------------------------ memory */

/* mincore's vector: one byte per page, shown as the low bit */
static void mincore_arg(const struct dctx *d)
{
	struct limen_sb *sb = d->sb;
	uint64_t v = d->c->args[2];
	uint64_t pages = (d->c->args[1] + 4095) / 4096, k;
	const struct limen_blob *b;

	if (!v || d->failed || !d->c->has_ret || !(b = dd_blob(d, 2, 1))) {
		dx_ptr(sb, v);
		return;
	}
	limen_sb_putc(sb, '[');
	for (k = 0; k < pages && k < b->len && k < d->strsize; k++)
		limen_sb_printf(sb, "%s%u", k ? ", " : "", b->data[k] & 1);
	if (k < pages || (b->flags & LIMEN_BLOB_TRUNC))
		limen_sb_puts(sb, k ? ", ..." : "...");
	limen_sb_putc(sb, ']');
}

/* ------------------------------------------------------------ personality */

static const struct dxl per_types[] = {
	{ 0x00, "PER_LINUX" }, { 0x06, "PER_BSD" }, { 0x08, "PER_LINUX32" },
	{ 0x0c, "PER_RISCOS" }, { 0x0f, "PER_OSF4" }, { 0x10, "PER_HPUX" },
};

/* "PER_LINUX32|ADDR_NO_RANDOMIZE": the type in the low byte, then flags */
static void personality_p(struct limen_sb *sb, uint32_t v)
{
	const struct limen_xlat *x =
		&limen_xlats[LIMEN_XLAT_personality_flags];
	uint32_t fl = v & ~0xffu;
	unsigned k;

	dl_enum(sb, per_types, ARRAY_LEN(per_types), v & 0xff, NULL);
	for (k = 0; k < x->n; k++) {
		uint32_t bit = (uint32_t)x->items[k].val;

		if (bit && (fl & bit) == bit) {
			limen_sb_printf(sb, "|%s", x->items[k].name);
			fl &= ~bit;
		}
	}
	if (fl)
		limen_sb_printf(sb, "|%#x", fl);
}

/* ------------------------------------------------------------ arch_prctl */

#define ARCH_GET_FS_ 0x1003
#define ARCH_GET_GS_ 0x1004
#define ARCH_GET_CPUID_ 0x1011

static void arch_prctl_arg(const struct dctx *d)
{
	struct limen_sb *sb = d->sb;
	uint64_t op = d->c->args[0] & 0xffffffff, v = d->c->args[1];
	const struct limen_blob *b;
	uint64_t x;

	if (op != ARCH_GET_FS_ && op != ARCH_GET_GS_) {
		limen_sb_printf(sb, "%#llx", (unsigned long long)v);
		return;
	}
	if (!v || d->failed || !d->c->has_ret ||
	    !(b = blob_min(d, 1, 1, 8)) ||
	    !(d->c->cap_out[1].flags & LIMEN_BLOB_PRESENT)) {
		dx_ptr(sb, v);
		return;
	}
	memcpy(&x, b->data, 8);
	limen_sb_putc(sb, '[');
	dx_ptr(sb, x);
	limen_sb_putc(sb, ']');
}

/* ------------------------------------------------------------ time */

/* "2026-11-22T02:30:33+0000", in local time as strace shows it */
static void iso_time(struct limen_sb *sb, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char buf[64];

	if (!localtime_r(&tt, &tm) ||
	    !strftime(buf, sizeof(buf), "%FT%T%z", &tm)) {
		limen_sb_printf(sb, "%lld", (long long)t);
		return;
	}
	limen_sb_puts(sb, buf);
}

static void time_arg(const struct dctx *d)
{
	struct limen_sb *sb = d->sb;
	uint64_t v = d->c->args[0];
	const struct limen_blob *b;
	int64_t t;

	if (!v || d->failed || !d->c->has_ret || !(b = blob_min(d, 0, 1, 8))) {
		dx_ptr(sb, v);
		return;
	}
	memcpy(&t, b->data, 8);
	limen_sb_printf(sb, "[%lld /* ", (long long)t);
	iso_time(sb, t);
	limen_sb_puts(sb, " */]");
}

/* ------------------------------------------------------------ select */

/* Captured at exit, readable, at least min bytes; NULL otherwise. */
static const struct limen_blob *exit_blob(const struct dctx *d, unsigned i,
					  size_t min)
{
	const struct limen_blob *b = &d->c->cap_out[i];

	if (!d->c->args[i] || !(b->flags & LIMEN_BLOB_PRESENT) ||
	    (b->flags & LIMEN_BLOB_FAULT) || b->len < min ||
	    (!b->data && b->len))
		return NULL;
	return b;
}

/*
 * " (in [3], out [4], left {tv_sec=0, tv_usec=5})": the ready descriptors
 * of each set as the kernel left them, counting down the return value;
 * strace closes a set's list with "]" whenever something was written
 * before it, which this keeps.
 */
static void select_aux(const struct dctx *d, int ts)
{
	static const char *const set_names[] = { "in", "out", "except" };
	struct limen_sb *sb = d->sb;
	int64_t ready = d->c->ret;
	uint64_t nfds = (uint64_t)(int)d->c->args[0];
	const struct limen_blob *b;
	const char *sep = "";
	size_t start;
	unsigned i;

	if (ready == 0) {
		limen_sb_puts(sb, " (Timeout)");
		return;
	}
	limen_sb_puts(sb, " (");
	start = sb->len;
	if ((int)d->c->args[0] < 0)
		nfds = 0;
	for (i = 0; i < 3 && ready > 0; i++) {
		uint64_t bits, j;
		int first = 1;

		b = exit_blob(d, i + 1, 0);
		if (!b)
			continue;
		bits = (uint64_t)b->len * 8;
		if (nfds < bits)
			bits = nfds;
		for (j = 0; j < bits; j++) {
			if (!(b->data[j / 8] & (1u << (j % 8))))
				continue;
			if (first) {
				limen_sb_printf(sb, "%s%s [%llu", sep,
						set_names[i],
						(unsigned long long)j);
				first = 0;
				sep = ", ";
			} else {
				limen_sb_printf(sb, " %llu",
						(unsigned long long)j);
			}
			if (--ready == 0)
				break;
		}
		if (sb->len != start)
			limen_sb_putc(sb, ']');
	}
	b = exit_blob(d, 4, 16);
	if (b) {
		limen_sb_printf(sb, "%sleft ", sep);
		if (ts)
			ds_timespec(sb, b->data);
		else
			ds_timeval(sb, b->data);
	}
	limen_sb_putc(sb, ')');
}

/* ------------------------------------------------------------ entry points */

unsigned dsp_nargs(const struct limen_call *c, unsigned n)
{
	const char *s = sysname(c);

	if (!*s)
		return n;
	if (is(s, "open") || is(s, "openat"))
		return (c->args[n - 2] & 020000100) ? n : n - 1;
	if (is(s, "rt_sigreturn"))
		return (c->cap_in[0].flags & LIMEN_BLOB_PRESENT) ? 1 : 0;
	if (is(s, "fcntl"))
		return fcntl_noarg(c->args[1] & 0xffffffff) ? 2 : 3;
	if (is(s, "ioctl"))
		return ioctl_noarg(c->args[1] & 0xffffffff) ? 2 : 3;
	if (is(s, "prctl"))
		return prctl_nargs(c->args[0] & 0xffffffff);
	if (is(s, "futex"))
		return futex_nargs(c->args[1] & 0xffffffff);
	if (is(s, "clone"))
		return clone_nargs(c->args[0]);
	if (is(s, "mremap")) /* new_address only with MREMAP_MAYMOVE|FIXED */
		return (c->args[3] & 3) == 3 ? 5 : 4;
	if (is(s, "arch_prctl"))
		return (c->args[0] & 0xffffffff) == ARCH_GET_CPUID_ ? 1 : n;
	return n;
}

int dsp_arg(const struct dctx *d, unsigned i)
{
	const char *s;

	if (!d->se || !d->se->decoded)
		return 0;
	if (dsp_ipc_arg(d, i))
		return 1;
	s = d->se->name;
	if (is(s, "fcntl")) {
		if (i == 1)
			dl_enum(d->sb, fcntl_cmds, ARRAY_LEN(fcntl_cmds),
				d->c->args[1] & 0xffffffff, NULL);
		else if (i == 2)
			fcntl_arg(d);
		else
			return 0;
		return 1;
	}
	if (is(s, "ioctl")) {
		if (i == 1)
			ioctl_cmd(d);
		else if (i == 2)
			ioctl_arg(d);
		else
			return 0;
		return 1;
	}
	if (is(s, "prctl") && i >= 1) {
		prctl_arg(d, i);
		return 1;
	}
	if (is(s, "futex")) {
		futex_arg(d, i);
		return 1;
	}
	if (is(s, "clone")) {
		clone_arg(d, i);
		return 1;
	}
	if (is(s, "clone3") && i == 0) {
		clone3_arg(d);
		return 1;
	}
	if ((is(s, "socket") || is(s, "socketpair")) && (i == 1 || i == 2)) {
		if (i == 1)
			sock_type(d->sb, d->c->args[1]);
		else
			sock_proto(d->sb, d->c->args[0] & 0xffffffff,
				   d->c->args[2] & 0xffffffff);
		return 1;
	}
	if ((is(s, "getdents64") || is(s, "getdents")) && i == 1) {
		getdents_arg(d);
		return 1;
	}
	if (is(s, "getrandom") && i == 0) {
		getrandom_arg(d);
		return 1;
	}
	if ((is(s, "nanosleep") && i == 1) ||
	    (is(s, "clock_nanosleep") && i == 3)) {
		/* the time left is written only when a signal cut the sleep */
		const struct limen_blob *b = dd_blob(d, i, 1);

		if (d->c->has_ret && d->c->ret == -4 && b && b->len >= 16)
			ds_timespec(d->sb, b->data);
		else if (!d->c->args[i])
			limen_sb_puts(d->sb, "NULL");
		else
			limen_sb_printf(d->sb, "%#llx",
					(unsigned long long)d->c->args[i]);
		return 1;
	}
	if (is(s, "rt_sigreturn") && i == 0) {
		/* the runtime captures the mask being restored */
		limen_sb_puts(d->sb, "{mask=");
		dn_sigset(d->sb, d->c->cap_in[0].data, d->c->cap_in[0].len);
		limen_sb_putc(d->sb, '}');
		return 1;
	}
	if (is(s, "mincore") && i == 2) {
		mincore_arg(d);
		return 1;
	}
	if (is(s, "personality") && i == 0) {
		if ((uint32_t)d->c->args[0] == UINT32_MAX)
			limen_sb_puts(d->sb, "0xffffffff");
		else
			personality_p(d->sb, (uint32_t)d->c->args[0]);
		return 1;
	}
	if (is(s, "arch_prctl") && i == 1) {
		arch_prctl_arg(d);
		return 1;
	}
	if ((is(s, "setsockopt") || is(s, "getsockopt")) && i >= 1 &&
	    i <= 3) {
		if (i == 1)
			dnet_sockopt_level(d->sb, d->c->args[1] & 0xffffffff);
		else if (i == 2)
			dnet_sockopt_name(d->sb, d->c->args[1] & 0xffffffff,
					  d->c->args[2] & 0xffffffff);
		else
			dnet_sockopt_val(d);
		return 1;
	}
	if (is(s, "time") && i == 0) {
		time_arg(d);
		return 1;
	}
	if (is(s, "statx") && (i == 2 || i == 3)) {
		if (i == 2)
			statx_flags(d->sb, d->c->args[2] & 0xffffffff);
		else
			ds_statx_mask(d->sb, d->c->args[3] & 0xffffffff);
		return 1;
	}
	return 0;
}

int dsp_ret_style(const struct dctx *d)
{
	const char *s = sysname(d->c);
	uint64_t cmd = d->c->args[1] & 0xffffffff;

	if (is(s, "umask"))
		return 'o';
	if (is(s, "personality"))
		return 'x';
	if (is(s, "fcntl") && d->c->ret &&
	    (cmd == F_GETFD_ || cmd == F_GETFL_ || cmd == F_GETLEASE_ ||
	     cmd == F_GET_SEALS_))
		return 'x';
	return 0;
}

static const struct dxl sched_policies[] = {
	{ 0, "SCHED_OTHER" }, { 1, "SCHED_FIFO" }, { 2, "SCHED_RR" },
	{ 3, "SCHED_BATCH" }, { 4, "SCHED_ISO" }, { 5, "SCHED_IDLE" },
	{ 6, "SCHED_DEADLINE" },
};

static void poll_aux(const struct dctx *d)
{
	struct limen_sb *sb = d->sb;
	const struct limen_blob *b;
	uint64_t n = d->c->args[1], k;
	int first = 1;

	if (d->c->ret == 0) {
		limen_sb_puts(sb, " (Timeout)");
		return;
	}
	b = dd_blob(d, 0, 1);
	if (!b || !(d->c->cap_out[0].flags & LIMEN_BLOB_PRESENT))
		return;
	limen_sb_puts(sb, " ([");
	for (k = 0; k < n && (k + 1) * 8 <= b->len; k++) {
		int fd;
		uint16_t rev;

		memcpy(&fd, b->data + k * 8, 4);
		memcpy(&rev, b->data + k * 8 + 6, 2);
		if (!rev)
			continue;
		limen_sb_printf(sb, "%s{fd=%d, revents=", first ? "" : ", ", fd);
		ds_pollev(sb, rev);
		limen_sb_putc(sb, '}');
		first = 0;
	}
	limen_sb_putc(sb, ']');
	if (!strcmp(d->se->name, "ppoll") && (b = exit_blob(d, 2, 16))) {
		limen_sb_puts(sb, ", left ");
		ds_timespec(sb, b->data);
	}
	limen_sb_putc(sb, ')');
}

void dsp_ret_aux(const struct dctx *d)
{
	const char *s = sysname(d->c);
	struct limen_sb *sb = d->sb;
	uint64_t r = (uint64_t)d->c->ret, cmd = d->c->args[1] & 0xffffffff;

	if (is(s, "poll") || is(s, "ppoll")) {
		poll_aux(d);
		return;
	}
	if (is(s, "select") || is(s, "pselect6")) {
		select_aux(d, is(s, "pselect6"));
		return;
	}
	if (is(s, "sched_getscheduler")) {
		const char *n = dl_lookup(sched_policies,
					  ARRAY_LEN(sched_policies), r);

		if (n)
			limen_sb_printf(sb, " (%s)", n);
		return;
	}
	if (is(s, "rt_sigtimedwait") && d->c->ret > 0) {
		limen_sb_puts(sb, " (");
		dn_sig(sb, (int)d->c->ret);
		limen_sb_putc(sb, ')');
		return;
	}
	if (is(s, "personality")) {
		limen_sb_puts(sb, " (");
		personality_p(sb, (uint32_t)r);
		limen_sb_putc(sb, ')');
		return;
	}
	if (is(s, "time")) {
		limen_sb_puts(sb, " (");
		iso_time(sb, d->c->ret);
		limen_sb_putc(sb, ')');
		return;
	}
	if (is(s, "fcntl") && r) {
		if (cmd == F_GETFL_) {
			limen_sb_puts(sb, " (flags ");
			dd_open_flags(sb, r);
			limen_sb_putc(sb, ')');
		} else if (cmd == F_GETFD_) {
			limen_sb_puts(sb, " (flags ");
			dl_flags(sb, fd_flags, ARRAY_LEN(fd_flags), r, "0");
			limen_sb_putc(sb, ')');
		} else if (cmd == F_GETLEASE_) {
			limen_sb_puts(sb, " (");
			dl_enum(sb, lease_types, ARRAY_LEN(lease_types), r, "%#llx");
			limen_sb_putc(sb, ')');
		} else if (cmd == F_GET_SEALS_) {
			limen_sb_puts(sb, " (seals ");
			dl_flags(sb, seals, ARRAY_LEN(seals), r, "0");
			limen_sb_putc(sb, ')');
		}
		return;
	}
	if (is(s, "fcntl") && cmd == F_GETLEASE_) {
		limen_sb_puts(sb, " (F_RDLCK)");
		return;
	}
	if (is(s, "prctl") && (d->c->args[0] & 0xffffffff) == 3) {
		const char *n = dl_lookup(dumpable, ARRAY_LEN(dumpable), r);

		if (n)
			limen_sb_printf(sb, " (%s)", n);
	}
}
