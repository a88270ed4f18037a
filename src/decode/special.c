// SPDX-License-Identifier: MIT
/*
 * Syscalls strace renders irregularly: the shown argument list depends on
 * a command argument (fcntl, ioctl, prctl, futex), arguments are named
 * (clone), or the return value carries extra text (poll, fcntl F_GETFL).
 */
#include <string.h>
#include <time.h>

#include "decode/dec_int.h"

/* Any captured blob of argument i, entry or exit, at least min bytes. */
static const struct limen_blob *blob_min(const struct dctx *d, unsigned i,
					 int out, size_t min)
{
	const struct limen_blob *b = dd_blob(d, i, out);

	return b && b->len >= min ? b : NULL;
}

/* The entry blob of pointer argument i, at least min bytes; when there is
   none, print the pointer (NULL or hex) as strace does and return NULL. */
static const struct limen_blob *in_or_ptr(const struct dctx *d, unsigned i,
					  size_t min)
{
	const struct limen_blob *b = d->c->args[i] ? blob_min(d, i, 0, min)
						    : NULL;

	if (!b)
		dx_ptr(d->sb, d->c->args[i]);
	return b;
}

/* ------------------------------------------------------------ fcntl */

enum { F_DUPFD_ = 0, F_GETFD_ = 1, F_SETFD_ = 2, F_GETFL_ = 3, F_SETFL_ = 4,
	F_GETLK_ = 5, F_SETLK_ = 6, F_SETLKW_ = 7, F_SETOWN_ = 8,
	F_GETOWN_ = 9, F_SETSIG_ = 10, F_GETSIG_ = 11, F_OFD_GETLK_ = 36,
	F_OFD_SETLK_ = 37, F_OFD_SETLKW_ = 38, F_SETLEASE_ = 1024,
	F_GETLEASE_ = 1025, F_NOTIFY_ = 1026, F_DUPFD_CLOEXEC_ = 1030,
	F_SETPIPE_SZ_ = 1031, F_GETPIPE_SZ_ = 1032, F_ADD_SEALS_ = 1033,
	F_GET_SEALS_ = 1034 };

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
		dx_flags(sb, &limen_xlats[LIMEN_XLAT_fd_flags], v, "0");
		return;
	case F_SETFL_:
		dd_open_flags(sb, v);
		return;
	case F_SETSIG_:
		dn_sig(sb, (int)v);
		return;
	case F_SETLEASE_:
		dx_enum(sb, &limen_xlats[LIMEN_XLAT_lease_type], v, NULL);
		return;
	case F_NOTIFY_:
		dx_flags(sb, &limen_xlats[LIMEN_XLAT_dnotify_flags], v, "0");
		return;
	case F_ADD_SEALS_:
		dx_flags(sb, &limen_xlats[LIMEN_XLAT_seal_flags], v, "0");
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

static int ioctl_is_out(uint64_t cmd)
{
	switch (cmd & 0xffffffff) {
	case 0x5401: /* TCGETS */
	case 0x5413: /* TIOCGWINSZ */
	case 0x541B: /* FIONREAD */
	case 0x540F: /* TIOCGPGRP */
	case 0x5429: /* TIOCGSID */
	case 0x80045430: /* TIOCGPTN */
		return 1;
	}
	return 0;
}


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

	if (!n)
		n = dx_lookup(&limen_xlats[LIMEN_XLAT_ioctl_cmd], cmd);
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

/* -v: struct linux_dirent64 entries, as strace -v lists them */
static void dirents64(struct limen_sb *sb, const uint8_t *p, size_t len)
{
	static const char *const types[] = {
		"DT_UNKNOWN", "DT_FIFO", "DT_CHR", NULL, "DT_DIR", NULL,
		"DT_BLK", NULL, "DT_REG", NULL, "DT_LNK", NULL, "DT_SOCK",
		NULL, "DT_WHT"
	};
	size_t off = 0;

	limen_sb_putc(sb, '[');
	while (off + 19 <= len) {
		uint64_t ino;
		int64_t doff;
		uint16_t rl;
		uint8_t type;
		size_t nl = 0, max;

		memcpy(&ino, p + off, 8);
		memcpy(&doff, p + off + 8, 8);
		memcpy(&rl, p + off + 16, 2);
		type = p[off + 18];
		if (rl < 19 || off + rl > len)
			break;
		max = rl - 19;
		while (nl < max && p[off + 19 + nl])
			nl++;
		if (off)
			limen_sb_puts(sb, ", ");
		limen_sb_printf(sb, "{d_ino=%llu, d_off=%lld, d_reclen=%u, d_type=",
				(unsigned long long)ino, (long long)doff, rl);
		if (type < sizeof(types) / sizeof(types[0]) && types[type])
			limen_sb_puts(sb, types[type]);
		else
			limen_sb_printf(sb, "%u", type);
		limen_sb_puts(sb, ", d_name=");
		dq_bytes(sb, p + off + 19, nl, 0, 0);
		limen_sb_putc(sb, '}');
		off += rl;
	}
	limen_sb_putc(sb, ']');
}

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
	/* a negative return that is not an errno (a forged or corrupted
	   record) covers no bytes: never a length past the capture */
	if (!b || d->c->ret < 0 || b->len < len) {
		dx_ptr(sb, v);
		return;
	}
	if (d->verbose && d->c->nr == LIMEN_NR_getdents64) {
		dirents64(sb, b->data, len);
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

/* sched_{get,set}affinity: the CPU numbers set in the mask, "[0 1]" */
static void cpu_mask(const struct dctx *d, unsigned i, int out)
{
	const struct limen_blob *b = dd_blob(d, i, out);
	size_t len;
	int first = 1;

	if (!b || (out && (!d->c->has_ret || d->failed))) {
		dx_ptr(d->sb, d->c->args[i]);
		return;
	}
	len = out ? (size_t)d->c->ret : (size_t)d->c->args[1];
	if (len > b->len)
		len = b->len;
	limen_sb_putc(d->sb, '[');
	for (size_t bit = 0; bit < len * 8; bit++) {
		if (!(b->data[bit / 8] & (1u << (bit % 8))))
			continue;
		limen_sb_printf(d->sb, "%s%zu", first ? "" : " ", bit);
		first = 0;
	}
	if (b->flags & LIMEN_BLOB_TRUNC)
		limen_sb_puts(d->sb, first ? "..." : " ...");
	limen_sb_putc(d->sb, ']');
}

/* NUMA policy mode: MPOL_BIND|MPOL_F_STATIC_NODES */
static void mpol_mode(struct limen_sb *sb, uint64_t v)
{
	const struct limen_xlat *modes = &limen_xlats[LIMEN_XLAT_mpol_mode];
	const struct limen_xlat *fl = &limen_xlats[LIMEN_XLAT_mpol_mode_flags];
	uint64_t f = v & 0xe000;

	dx_enum(sb, modes, v & ~0xe000ull, NULL);
	if (f) {
		limen_sb_putc(sb, '|');
		dx_flags(sb, fl, f, NULL);
	}
}

/* a node mask: unsigned longs as 16 hex digits, "[0000000000000001]" */
static void node_mask(const struct dctx *d, unsigned i, int out)
{
	const struct limen_blob *b = dd_blob(d, i, out);

	if (!d->c->args[i]) {
		limen_sb_puts(d->sb, "NULL");
		return;
	}
	if (!b || b->len < 8 || (out && d->failed)) {
		dx_ptr(d->sb, d->c->args[i]);
		return;
	}
	limen_sb_putc(d->sb, '[');
	for (size_t k = 0; k + 8 <= b->len; k += 8) {
		uint64_t w;

		memcpy(&w, b->data + k, 8);
		limen_sb_printf(d->sb, "%s%016llx", k ? ", " : "",
				(unsigned long long)w);
	}
	limen_sb_putc(d->sb, ']');
}

/* get_mempolicy's mode: [MPOL_...] or, with MPOL_F_NODE, a node number */
static void get_mempolicy_mode(const struct dctx *d)
{
	const struct limen_blob *b = dd_blob(d, 0, 1);
	int32_t mode;

	if (!d->c->args[0]) {
		limen_sb_puts(d->sb, "NULL");
	} else if (!b || b->len < 4 || d->failed) {
		dx_ptr(d->sb, d->c->args[0]);
	} else {
		memcpy(&mode, b->data, 4);
		limen_sb_putc(d->sb, '[');
		if (d->c->args[4] & 1) /* MPOL_F_NODE: a node number */
			limen_sb_printf(d->sb, "%d", mode);
		else
			mpol_mode(d->sb, (uint32_t)mode);
		limen_sb_putc(d->sb, ']');
	}
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

/* ------------------------------------------------------------ more */

/* sendmmsg/recvmmsg: "[{msg_hdr={...}, msg_len=5}, ...]" from the mmsghdr
   encoding (decode/decode.h); each message's data bounded by its msg_len */
static void mmsg_arg(const struct dctx *d)
{
	struct limen_sb *sb = d->sb;
	uint64_t v = d->c->args[1];
	const struct limen_blob *b = NULL;
	const uint8_t *p, *end;
	uint32_t n, total, k;

	if (d->c->has_ret && !d->failed)
		b = dd_blob(d, 1, 1);
	if (!b || b->len < 8 || !(d->c->cap_out[1].flags & LIMEN_BLOB_PRESENT)) {
		dx_ptr(sb, v);
		return;
	}
	memcpy(&n, b->data, 4);
	memcpy(&total, b->data + 4, 4);
	p = b->data + 8;
	end = b->data + b->len;
	limen_sb_putc(sb, '[');
	for (k = 0; k < n && end - p >= 8; k++) {
		struct limen_call c2 = *d->c;
		struct dctx d2 = *d;
		struct limen_blob m;
		uint32_t mlen, len;

		memcpy(&mlen, p, 4);
		memcpy(&len, p + 4, 4);
		if ((size_t)(end - p - 8) < len)
			len = (uint32_t)(end - p - 8);
		if (k)
			limen_sb_puts(sb, ", ");
		if (k >= d->strsize) {
			limen_sb_puts(sb, "...");
			break;
		}
		m.data = p + 8;
		m.len = len;
		m.flags = LIMEN_BLOB_PRESENT;
		c2.ret = mlen;
		c2.has_ret = 1;
		d2.c = &c2;
		limen_sb_puts(sb, "{msg_hdr=");
		if (!dnet_msghdr(&d2, &m, 1))
			dx_ptr(sb, v + 64 * (uint64_t)k);
		limen_sb_printf(sb, ", msg_len=%u}", mlen);
		p += 8 + (((size_t)len + 7) & ~(size_t)7);
	}
	if (k == n && n < total)
		limen_sb_puts(sb, n ? ", ..." : "...");
	limen_sb_putc(sb, ']');
}

/* io_submit's iocb pointer array (the io_submit encoding) */
static void io_submit_arg(const struct dctx *d)
{
	struct limen_sb *sb = d->sb;
	uint64_t v = d->c->args[2];
	const struct limen_blob *b = dd_blob(d, 2, 0);
	const uint8_t *p, *end;
	uint32_t n, total, k;

	if (!v || !b || b->len < 8) {
		dx_ptr(sb, v);
		return;
	}
	memcpy(&n, b->data, 4);
	memcpy(&total, b->data + 4, 4);
	p = b->data + 8;
	end = b->data + b->len;
	limen_sb_putc(sb, '[');
	for (k = 0; k < n && end - p >= 16; k++) {
		uint64_t ptr;
		uint32_t len, fl;

		memcpy(&ptr, p, 8);
		memcpy(&len, p + 8, 4);
		memcpy(&fl, p + 12, 4);
		if ((size_t)(end - p - 16) < len)
			len = (uint32_t)(end - p - 16);
		if (k)
			limen_sb_puts(sb, ", ");
		if (k >= d->strsize) {
			limen_sb_puts(sb, "...");
			break;
		}
		if ((fl & LIMEN_BLOB_FAULT) ||
		    !ds_iocb_submit(sb, p + 16, len, d))
			dx_ptr(sb, ptr);
		p += 16 + len;
	}
	if (k == n && n < total)
		limen_sb_puts(sb, n ? ", ..." : "...");
	limen_sb_putc(sb, ']');
}

static const char *const cap_names[] = { "CHOWN", "DAC_OVERRIDE",
	"DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL", "SETGID", "SETUID",
	"SETPCAP", "LINUX_IMMUTABLE", "NET_BIND_SERVICE", "NET_BROADCAST",
	"NET_ADMIN", "NET_RAW", "IPC_LOCK", "IPC_OWNER", "SYS_MODULE",
	"SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE", "SYS_PACCT", "SYS_ADMIN",
	"SYS_BOOT", "SYS_NICE", "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG",
	"MKNOD", "LEASE", "AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP",
	"MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG", "WAKE_ALARM", "BLOCK_SUSPEND",
	"AUDIT_READ", "PERFMON", "BPF", "CHECKPOINT_RESTORE" };

/* one 32-bit word of capabilities starting at capability `base` */
static void cap_word(struct limen_sb *sb, uint32_t w, unsigned base)
{
	uint32_t left = w;
	int first = 1;
	unsigned k;

	if (!w) {
		limen_sb_putc(sb, '0');
		return;
	}
	for (k = 0; k < 32; k++) {
		if (!(w & (1u << k)) || base + k >= ARRAY_LEN(cap_names))
			continue;
		limen_sb_printf(sb, "%s1<<CAP_%s", first ? "" : "|",
				cap_names[base + k]);
		first = 0;
		left &= ~(1u << k);
	}
	if (left && first)
		limen_sb_printf(sb, "%#x /* CAP_??? */", left);
	else if (left)
		limen_sb_printf(sb, "|%#x", left);
}

static void cap_set(struct limen_sb *sb, uint32_t lo, uint32_t hi)
{
	if (lo || !hi)
		cap_word(sb, lo, 0);
	if (hi) {
		if (lo)
			limen_sb_putc(sb, '|');
		cap_word(sb, hi, 32);
	}
}

/* capget/capset data: one element for _LINUX_CAPABILITY_VERSION_1, two
   for 2 and 3, the pointer for other versions */
static void cap_data_arg(const struct dctx *d, int out)
{
	struct limen_sb *sb = d->sb;
	uint64_t v = d->c->args[1];
	const struct limen_blob *h = blob_min(d, 0, 0, 8), *b;
	uint32_t ver, w[6] = { 0 };
	unsigned nel, k;

	if (!v) {
		limen_sb_puts(sb, "NULL");
		return;
	}
	if (!h || (out && (d->failed || !d->c->has_ret))) {
		dx_ptr(sb, v);
		return;
	}
	memcpy(&ver, h->data, 4);
	nel = ver == 0x19980330 ? 1 :
	      (ver == 0x20071026 || ver == 0x20080522) ? 2 : 0;
	b = nel ? blob_min(d, 1, out, 12 * nel) : NULL;
	if (!b) {
		dx_ptr(sb, v);
		return;
	}
	for (k = 0; k < 3 * nel; k++)
		memcpy(&w[k], b->data + 4 * k, 4);
	limen_sb_puts(sb, "{effective=");
	cap_set(sb, w[0], w[3]);
	limen_sb_puts(sb, ", permitted=");
	cap_set(sb, w[1], w[4]);
	limen_sb_puts(sb, ", inheritable=");
	cap_set(sb, w[2], w[5]);
	limen_sb_putc(sb, '}');
}

/* name_to_handle_at: "{handle_bytes=128 => 8, handle_type=1, f_handle=...}";
   on EOVERFLOW only the size the kernel asks for */
static void name_to_handle_arg(const struct dctx *d)
{
	struct limen_sb *sb = d->sb;
	const struct limen_blob *in = in_or_ptr(d, 2, 8), *out = NULL;
	uint32_t hin, hout;

	if (!in)
		return;
	memcpy(&hin, in->data, 4);
	limen_sb_printf(sb, "{handle_bytes=%u", hin);
	if (d->c->has_ret && (!d->failed || d->c->ret == -75) &&
	    (d->c->cap_out[2].flags & LIMEN_BLOB_PRESENT))
		out = blob_min(d, 2, 1, 8);
	if (out) {
		memcpy(&hout, out->data, 4);
		if (hout != hin)
			limen_sb_printf(sb, " => %u", hout);
		if (!d->failed) {
			size_t n = out->len - 8 < hout ? out->len - 8 : hout;
			int32_t type;

			memcpy(&type, out->data + 4, 4);
			limen_sb_printf(sb, ", handle_type=%d, f_handle=", type);
			dq_bytes(sb, out->data + 8, n, n < hout, 1);
		}
	}
	limen_sb_putc(sb, '}');
}

static void user_desc_rest(struct limen_sb *sb, const uint8_t *p)
{
	uint32_t base, limit, f;

	memcpy(&base, p + 4, 4);
	memcpy(&limit, p + 8, 4);
	memcpy(&f, p + 12, 4);
	limen_sb_printf(sb, ", base_addr=%#08x, limit=%#08x, seg_32bit=%u, "
			"contents=%u, read_exec_only=%u, limit_in_pages=%u, "
			"seg_not_present=%u, useable=%u, lm=%u}", base, limit,
			f & 1, (f >> 1) & 3, (f >> 3) & 1, (f >> 4) & 1,
			(f >> 5) & 1, (f >> 6) & 1, (f >> 7) & 1);
}

/* get_thread_area: entry_number at entry, the rest at exit;
   set_thread_area: all at entry, the entry number the kernel chose */
static void thread_area_arg(const struct dctx *d, int set)
{
	struct limen_sb *sb = d->sb;
	const struct limen_blob *in = in_or_ptr(d, 0, 16), *out = NULL;
	uint32_t ein, eout;

	if (!in)
		return;
	memcpy(&ein, in->data, 4);
	if (d->c->has_ret && !d->failed &&
	    (d->c->cap_out[0].flags & LIMEN_BLOB_PRESENT))
		out = blob_min(d, 0, 1, 16);
	if (out)
		memcpy(&eout, out->data, 4);
	if (set) {
		ds_print(sb, LIMEN_ST_user_desc, in->data, in->len, d);
		if (out && eout != ein)
			limen_sb_printf(sb, " => {entry_number=%u, ...}", eout);
		return;
	}
	limen_sb_printf(sb, "{entry_number=%u", ein);
	if (!out) {
		limen_sb_puts(sb, ", ...}");
		return;
	}
	if (eout != ein)
		limen_sb_printf(sb, " => %u", eout);
	user_desc_rest(sb, out->data);
}

static const char *const syslog_acts[] = { "CLOSE", "OPEN", "READ",
	"READ_ALL", "READ_CLEAR", "CLEAR", "CONSOLE_OFF", "CONSOLE_ON",
	"CONSOLE_LEVEL", "SIZE_UNREAD", "SIZE_BUFFER" };
static const char *const loglevels[] = { "EMERG", "ALERT", "CRIT", "ERR",
	"WARNING", "NOTICE", "INFO", "DEBUG" };

static unsigned syslog_nargs(int type)
{
	switch (type) {
	case 0: case 1: case 5: case 6: case 7: case 9: case 10:
		return 1;
	}
	return 3;
}

static void syslog_arg(const struct dctx *d, unsigned i)
{
	struct limen_sb *sb = d->sb;
	int type = (int)d->c->args[0];

	if (i == 0) {
		limen_sb_printf(sb, "%d /* SYSLOG_ACTION_%s */", type,
				type >= 0 && (size_t)type < ARRAY_LEN(syslog_acts) ?
				syslog_acts[type] : "???");
	} else if (i == 1) {
		if (type >= 2 && type <= 4)
			dd_default_arg(d, 1);
		else
			dx_ptr(sb, d->c->args[1]);
	} else {
		int v = (int)d->c->args[2];

		if (type == 8 && v >= 0 && (size_t)v < ARRAY_LEN(loglevels))
			limen_sb_printf(sb, "%d /* LOGLEVEL_%s */", v,
					loglevels[v]);
		else
			limen_sb_printf(sb, "%d", v);
	}
}

static const struct dxl kexec_arch[] = {
	{ 0, "KEXEC_ARCH_DEFAULT" }, { 3 << 16, "KEXEC_ARCH_386" },
	{ 4 << 16, "KEXEC_ARCH_68K" }, { 8 << 16, "KEXEC_ARCH_MIPS" },
	{ 10 << 16, "KEXEC_ARCH_MIPS_LE" }, { 15 << 16, "KEXEC_ARCH_PARISC" },
	{ 20 << 16, "KEXEC_ARCH_PPC" }, { 21 << 16, "KEXEC_ARCH_PPC64" },
	{ 22 << 16, "KEXEC_ARCH_S390" }, { 40 << 16, "KEXEC_ARCH_ARM" },
	{ 42 << 16, "KEXEC_ARCH_SH" }, { 50 << 16, "KEXEC_ARCH_IA_64" },
	{ 62 << 16, "KEXEC_ARCH_X86_64" }, { 183 << 16, "KEXEC_ARCH_AARCH64" },
	{ 243 << 16, "KEXEC_ARCH_RISCV" }, { 258 << 16, "KEXEC_ARCH_LOONGARCH" },
};

static void kexec_flags(struct limen_sb *sb, uint64_t v)
{
	static const struct dxl fl[] = {
		{ 1, "KEXEC_ON_CRASH" }, { 2, "KEXEC_PRESERVE_CONTEXT" },
	};
	uint64_t rest = v & 0xffff, used;
	int first = 0;

	dl_enum(sb, kexec_arch, ARRAY_LEN(kexec_arch), v & 0xffff0000ULL,
		"%#llx /* KEXEC_ARCH_??? */");
	if (!rest)
		return;
	used = dl_bits(sb, fl, ARRAY_LEN(fl), rest, &first);
	rest &= ~used;
	if (rest && !used)
		limen_sb_printf(sb, "|%#llx /* KEXEC_??? */",
				(unsigned long long)rest);
	else if (rest)
		limen_sb_printf(sb, "|%#llx", (unsigned long long)rest);
}

/* keyctl: the command's arguments; k key serial, i int, u unsigned, x hex,
   U uid/gid, p pointer (strings and buffers are not captured yet) */
static const struct {
	const char *name;
	const char *args;
} keyctl_cmds[] = {
	{ "GET_KEYRING_ID", "ki" }, { "JOIN_SESSION_KEYRING", "p" },
	{ "UPDATE", "kpu" }, { "REVOKE", "k" }, { "CHOWN", "kUU" },
	{ "SETPERM", "kx" }, { "DESCRIBE", "kpu" }, { "CLEAR", "k" },
	{ "LINK", "kk" }, { "UNLINK", "kk" }, { "SEARCH", "kppk" },
	{ "READ", "kpu" }, { "INSTANTIATE", "kpuk" }, { "NEGATE", "kuk" },
	{ "SET_REQKEY_KEYRING", "i" }, { "SET_TIMEOUT", "ku" },
	{ "ASSUME_AUTHORITY", "k" }, { "GET_SECURITY", "kpu" },
	{ "SESSION_TO_PARENT", "" }, { "REJECT", "kuuk" },
	{ "INSTANTIATE_IOV", "kpuk" }, { "INVALIDATE", "k" },
	{ "GET_PERSISTENT", "Uk" }, { "DH_COMPUTE", NULL },
	{ "PKEY_QUERY", NULL }, { "PKEY_ENCRYPT", NULL },
	{ "PKEY_DECRYPT", NULL }, { "PKEY_SIGN", NULL },
	{ "PKEY_VERIFY", NULL }, { "RESTRICT_KEYRING", NULL },
	{ "MOVE", NULL }, { "CAPABILITIES", NULL }, { "WATCH_KEY", NULL },
};
static const char *const key_specs[] = { "THREAD_KEYRING",
	"PROCESS_KEYRING", "SESSION_KEYRING", "USER_KEYRING",
	"USER_SESSION_KEYRING", "GROUP_KEYRING", "REQKEY_AUTH_KEY",
	"REQUESTOR_KEYRING" };

static const char *keyctl_args(uint64_t cmd)
{
	if (cmd < ARRAY_LEN(keyctl_cmds) && keyctl_cmds[cmd].args)
		return keyctl_cmds[cmd].args;
	return NULL;
}

static unsigned keyctl_nargs(uint64_t cmd)
{
	const char *a = keyctl_args(cmd);

	return a ? 1 + (unsigned)strlen(a) : 5;
}

static void keyctl_arg(const struct dctx *d, unsigned i)
{
	struct limen_sb *sb = d->sb;
	uint64_t cmd = d->c->args[0] & 0xffffffff, v = d->c->args[i];
	const char *a = keyctl_args(cmd);
	int k;

	if (i == 0) {
		if (cmd < ARRAY_LEN(keyctl_cmds))
			limen_sb_printf(sb, "KEYCTL_%s", keyctl_cmds[cmd].name);
		else
			limen_sb_printf(sb, "%#llx /* KEYCTL_??? */",
					(unsigned long long)cmd);
		return;
	}
	switch (a ? a[i - 1] : 'x') {
	case 'k':
		k = (int)v;
		if (k < 0 && k >= -(int)ARRAY_LEN(key_specs))
			limen_sb_printf(sb, "KEY_SPEC_%s", key_specs[-k - 1]);
		else
			limen_sb_printf(sb, "%d", k);
		return;
	case 'i':
		limen_sb_printf(sb, "%d", (int)v);
		return;
	case 'u':
		limen_sb_printf(sb, "%u", (unsigned)v);
		return;
	case 'U':
		if ((uint32_t)v == UINT32_MAX)
			limen_sb_puts(sb, "-1");
		else
			limen_sb_printf(sb, "%u", (unsigned)v);
		return;
	case 'p':
		dx_ptr(sb, v);
		return;
	}
	limen_sb_printf(sb, "%#llx", (unsigned long long)v);
}

static const struct dxl time_states[] = {
	{ 0, "TIME_OK" }, { 1, "TIME_INS" }, { 2, "TIME_DEL" },
	{ 3, "TIME_OOP" }, { 4, "TIME_WAIT" }, { 5, "TIME_ERROR" },
};

static void poll_aux(const struct dctx *d)
{
	struct limen_sb *sb = d->sb;
	const struct limen_blob *b;
	uint64_t n = d->c->args[1], k;
	int first = 1;
	unsigned shown = 0;

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
		if (shown == d->strsize) {
			/* strace shows -s entries, then "..." */
			limen_sb_puts(sb, first ? "..." : ", ...");
			break;
		}
		limen_sb_printf(sb, "%s{fd=%d, revents=", first ? "" : ", ", fd);
		ds_pollev(sb, rev);
		limen_sb_putc(sb, '}');
		first = 0;
		shown++;
	}
	limen_sb_putc(sb, ']');
	if (d->c->nr == LIMEN_NR_ppoll && (b = exit_blob(d, 2, 16))) {
		limen_sb_puts(sb, ", left ");
		ds_timespec(sb, b->data);
	}
	limen_sb_putc(sb, ')');
}

/* ------------------------------------------------------------ decoders */
/*
 * One struct dsys per name in the DECODER column of tables/syscalls.tbl;
 * build/gen/decoders.c indexes them by enum limen_decoder_id. A decoder
 * shared by several calls tells them apart by number, never by name.
 */

static unsigned open_nargs(const struct limen_call *c, unsigned n)
{
	/* the mode is shown only with O_CREAT or O_TMPFILE */
	return (c->args[n - 2] & 020000100) ? n : n - 1;
}
const struct dsys dsys_open = { .nargs = open_nargs };

static unsigned rt_sigreturn_nargs(const struct limen_call *c, unsigned n)
{
	return (c->cap_in[0].flags & LIMEN_BLOB_PRESENT) ? 1 : 0;
}

static int rt_sigreturn_arg(const struct dctx *d, unsigned i)
{
	if (i != 0)
		return 0;
	/* the runtime captures the mask being restored */
	limen_sb_puts(d->sb, "{mask=");
	dn_sigset(d->sb, d->c->cap_in[0].data, d->c->cap_in[0].len);
	limen_sb_putc(d->sb, '}');
	return 1;
}
const struct dsys dsys_rt_sigreturn = { .nargs = rt_sigreturn_nargs,
					.arg = rt_sigreturn_arg };

static unsigned fcntl_nargs(const struct limen_call *c, unsigned n)
{
	return fcntl_noarg(c->args[1] & 0xffffffff) ? 2 : 3;
}

static int fcntl_dec_arg(const struct dctx *d, unsigned i)
{
	if (i == 1)
		dx_enum(d->sb, &limen_xlats[LIMEN_XLAT_fcntl_cmd],
			d->c->args[1] & 0xffffffff, NULL);
	else if (i == 2)
		fcntl_arg(d);
	else
		return 0;
	return 1;
}

static int fcntl_ret_style(const struct dctx *d)
{
	uint64_t cmd = d->c->args[1] & 0xffffffff;

	if (d->c->ret && (cmd == F_GETFD_ || cmd == F_GETFL_ ||
			  cmd == F_GETLEASE_ || cmd == F_GET_SEALS_))
		return 'x';
	return 0;
}

static void fcntl_ret_aux(const struct dctx *d)
{
	struct limen_sb *sb = d->sb;
	uint64_t r = (uint64_t)d->c->ret, cmd = d->c->args[1] & 0xffffffff;

	if (!r) {
		if (cmd == F_GETLEASE_)
			limen_sb_puts(sb, " (F_RDLCK)");
		return;
	}
	if (cmd == F_GETFL_) {
		limen_sb_puts(sb, " (flags ");
		dd_open_flags(sb, r);
		limen_sb_putc(sb, ')');
	} else if (cmd == F_GETFD_) {
		limen_sb_puts(sb, " (flags ");
		dx_flags(sb, &limen_xlats[LIMEN_XLAT_fd_flags], r, "0");
		limen_sb_putc(sb, ')');
	} else if (cmd == F_GETLEASE_) {
		limen_sb_puts(sb, " (");
		dx_enum(sb, &limen_xlats[LIMEN_XLAT_lease_type], r, "%#llx");
		limen_sb_putc(sb, ')');
	} else if (cmd == F_GET_SEALS_) {
		limen_sb_puts(sb, " (seals ");
		dx_flags(sb, &limen_xlats[LIMEN_XLAT_seal_flags], r, "0");
		limen_sb_putc(sb, ')');
	}
}
const struct dsys dsys_fcntl = { .nargs = fcntl_nargs, .arg = fcntl_dec_arg,
				 .ret_style = fcntl_ret_style,
				 .ret_aux = fcntl_ret_aux };

static unsigned ioctl_nargs(const struct limen_call *c, unsigned n)
{
	return ioctl_noarg(c->args[1] & 0xffffffff) ? 2 : 3;
}

static int ioctl_dec_arg(const struct dctx *d, unsigned i)
{
	if (i == 1)
		ioctl_cmd(d);
	else if (i == 2)
		ioctl_arg(d);
	else
		return 0;
	return 1;
}

static int ioctl_arg_is_out(const struct limen_call *c, unsigned i)
{
	return i == 2 ? ioctl_is_out(c->args[1]) : -1;
}
const struct dsys dsys_ioctl = { .nargs = ioctl_nargs, .arg = ioctl_dec_arg,
				 .arg_is_out = ioctl_arg_is_out };

static unsigned prctl_dec_nargs(const struct limen_call *c, unsigned n)
{
	return prctl_nargs(c->args[0] & 0xffffffff);
}

static int prctl_dec_arg(const struct dctx *d, unsigned i)
{
	if (i < 1)
		return 0;
	prctl_arg(d, i);
	return 1;
}

static void prctl_ret_aux(const struct dctx *d)
{
	const char *n;

	if ((d->c->args[0] & 0xffffffff) != 3) /* PR_GET_DUMPABLE */
		return;
	n = dl_lookup(dumpable, ARRAY_LEN(dumpable), (uint64_t)d->c->ret);
	if (n)
		limen_sb_printf(d->sb, " (%s)", n);
}
const struct dsys dsys_prctl = { .nargs = prctl_dec_nargs,
				 .arg = prctl_dec_arg,
				 .ret_aux = prctl_ret_aux };

static unsigned futex_dec_nargs(const struct limen_call *c, unsigned n)
{
	return futex_nargs(c->args[1] & 0xffffffff);
}

static int futex_dec_arg(const struct dctx *d, unsigned i)
{
	futex_arg(d, i);
	return 1;
}
const struct dsys dsys_futex = { .nargs = futex_dec_nargs,
				 .arg = futex_dec_arg };

static unsigned clone_dec_nargs(const struct limen_call *c, unsigned n)
{
	return clone_nargs(c->args[0]);
}

static int clone_dec_arg(const struct dctx *d, unsigned i)
{
	clone_arg(d, i);
	return 1;
}
const struct dsys dsys_clone = { .nargs = clone_dec_nargs,
				 .arg = clone_dec_arg };

static int clone3_dec_arg(const struct dctx *d, unsigned i)
{
	if (i != 0)
		return 0;
	clone3_arg(d);
	return 1;
}
const struct dsys dsys_clone3 = { .arg = clone3_dec_arg };

static unsigned mremap_nargs(const struct limen_call *c, unsigned n)
{
	/* new_address only with MREMAP_MAYMOVE|MREMAP_FIXED */
	return (c->args[3] & 3) == 3 ? 5 : 4;
}
const struct dsys dsys_mremap = { .nargs = mremap_nargs };

static unsigned arch_prctl_nargs(const struct limen_call *c, unsigned n)
{
	return (c->args[0] & 0xffffffff) == ARCH_GET_CPUID_ ? 1 : n;
}

static int arch_prctl_dec_arg(const struct dctx *d, unsigned i)
{
	if (i != 1)
		return 0;
	arch_prctl_arg(d);
	return 1;
}
const struct dsys dsys_arch_prctl = { .nargs = arch_prctl_nargs,
				      .arg = arch_prctl_dec_arg };

static unsigned syslog_dec_nargs(const struct limen_call *c, unsigned n)
{
	return syslog_nargs((int)c->args[0]);
}

static int syslog_dec_arg(const struct dctx *d, unsigned i)
{
	syslog_arg(d, i);
	return 1;
}
const struct dsys dsys_syslog = { .nargs = syslog_dec_nargs,
				  .arg = syslog_dec_arg };

static unsigned keyctl_dec_nargs(const struct limen_call *c, unsigned n)
{
	return keyctl_nargs(c->args[0] & 0xffffffff);
}

static int keyctl_dec_arg(const struct dctx *d, unsigned i)
{
	keyctl_arg(d, i);
	return 1;
}
const struct dsys dsys_keyctl = { .nargs = keyctl_dec_nargs,
				  .arg = keyctl_dec_arg };

static int sched_affinity_arg(const struct dctx *d, unsigned i)
{
	if (i != 2)
		return 0;
	cpu_mask(d, 2, d->c->nr == LIMEN_NR_sched_getaffinity);
	return 1;
}
const struct dsys dsys_sched_affinity = { .arg = sched_affinity_arg };

static int mempolicy_arg(const struct dctx *d, unsigned i)
{
	unsigned mode = d->c->nr == LIMEN_NR_mbind ? 2 : 0;

	if (d->c->nr == LIMEN_NR_get_mempolicy) {
		if (i == 1) {
			node_mask(d, 1, 1);
			return 1;
		}
		if (i == 0) {
			get_mempolicy_mode(d);
			return 1;
		}
		return 0;
	}
	if (i == mode) {
		mpol_mode(d->sb, d->c->args[i]);
		return 1;
	}
	if (i == mode + 1) {
		node_mask(d, i, 0);
		return 1;
	}
	return 0;
}
const struct dsys dsys_mempolicy = { .arg = mempolicy_arg };

static int socket_arg(const struct dctx *d, unsigned i)
{
	if (i == 1)
		sock_type(d->sb, d->c->args[1]);
	else if (i == 2)
		sock_proto(d->sb, d->c->args[0] & 0xffffffff,
			   d->c->args[2] & 0xffffffff);
	else
		return 0;
	return 1;
}
const struct dsys dsys_socket = { .arg = socket_arg };

static int getdents_dec_arg(const struct dctx *d, unsigned i)
{
	if (i != 1)
		return 0;
	getdents_arg(d);
	return 1;
}
const struct dsys dsys_getdents = { .arg = getdents_dec_arg };

static int getrandom_dec_arg(const struct dctx *d, unsigned i)
{
	if (i != 0)
		return 0;
	getrandom_arg(d);
	return 1;
}
const struct dsys dsys_getrandom = { .arg = getrandom_dec_arg };

static int nanosleep_arg(const struct dctx *d, unsigned i)
{
	const struct limen_blob *b;

	if (i != (d->c->nr == LIMEN_NR_clock_nanosleep ? 3u : 1u))
		return 0;
	/* the time left is written only when a signal cut the sleep */
	b = dd_blob(d, i, 1);
	if (d->c->has_ret && d->c->ret == -4 && b && b->len >= 16)
		ds_timespec(d->sb, b->data);
	else if (!d->c->args[i])
		limen_sb_puts(d->sb, "NULL");
	else
		limen_sb_printf(d->sb, "%#llx",
				(unsigned long long)d->c->args[i]);
	return 1;
}
const struct dsys dsys_nanosleep = { .arg = nanosleep_arg };

static int mincore_dec_arg(const struct dctx *d, unsigned i)
{
	if (i != 2)
		return 0;
	mincore_arg(d);
	return 1;
}
const struct dsys dsys_mincore = { .arg = mincore_dec_arg };

static int personality_arg(const struct dctx *d, unsigned i)
{
	if (i != 0)
		return 0;
	if ((uint32_t)d->c->args[0] == UINT32_MAX)
		limen_sb_puts(d->sb, "0xffffffff");
	else
		personality_p(d->sb, (uint32_t)d->c->args[0]);
	return 1;
}

static int personality_ret_style(const struct dctx *d)
{
	return 'x';
}

static void personality_ret_aux(const struct dctx *d)
{
	limen_sb_puts(d->sb, " (");
	personality_p(d->sb, (uint32_t)d->c->ret);
	limen_sb_putc(d->sb, ')');
}
const struct dsys dsys_personality = { .arg = personality_arg,
				       .ret_style = personality_ret_style,
				       .ret_aux = personality_ret_aux };

static int sockopt_arg(const struct dctx *d, unsigned i)
{
	if (i == 1)
		dnet_sockopt_level(d->sb, d->c->args[1] & 0xffffffff);
	else if (i == 2)
		dnet_sockopt_name(d->sb, d->c->args[1] & 0xffffffff,
				  d->c->args[2] & 0xffffffff);
	else if (i == 3)
		dnet_sockopt_val(d);
	else
		return 0;
	return 1;
}
const struct dsys dsys_sockopt = { .arg = sockopt_arg };

static int time_dec_arg(const struct dctx *d, unsigned i)
{
	if (i != 0)
		return 0;
	time_arg(d);
	return 1;
}

static void time_ret_aux(const struct dctx *d)
{
	limen_sb_puts(d->sb, " (");
	iso_time(d->sb, d->c->ret);
	limen_sb_putc(d->sb, ')');
}
const struct dsys dsys_time = { .arg = time_dec_arg, .ret_aux = time_ret_aux };

static int mmsg_dec_arg(const struct dctx *d, unsigned i)
{
	if (i != 1)
		return 0;
	mmsg_arg(d);
	return 1;
}

static int mmsg_arg_is_out(const struct limen_call *c, unsigned i)
{
	/* sendmmsg's messages are shown at entry, recvmmsg's at exit */
	if (i != 1)
		return -1;
	return c->nr != LIMEN_NR_sendmmsg;
}

static void mmsg_ret_aux(const struct dctx *d)
{
	const struct limen_blob *b;

	if (d->c->nr != LIMEN_NR_recvmmsg)
		return;
	b = exit_blob(d, 4, 16);
	if (b) {
		limen_sb_puts(d->sb, " (left ");
		ds_timespec(d->sb, b->data);
		limen_sb_putc(d->sb, ')');
	}
}
const struct dsys dsys_mmsg = { .arg = mmsg_dec_arg,
				.arg_is_out = mmsg_arg_is_out,
				.ret_aux = mmsg_ret_aux };

static int listmount_arg(const struct dctx *d, unsigned i)
{
	const struct limen_blob *b;
	uint64_t k, n, x;

	if (i != 1)
		return 0;
	b = exit_blob(d, 1, 0);
	if (!b || d->failed || !d->c->has_ret) {
		dx_ptr(d->sb, d->c->args[1]);
		return 1;
	}
	n = (uint64_t)d->c->ret;
	limen_sb_putc(d->sb, '[');
	for (k = 0; k < n && (k + 1) * 8 <= b->len; k++) {
		if (k)
			limen_sb_puts(d->sb, ", ");
		if (k >= d->strsize) {
			limen_sb_puts(d->sb, "...");
			break;
		}
		memcpy(&x, b->data + 8 * k, 8);
		limen_sb_printf(d->sb, "%llu", (unsigned long long)x);
	}
	limen_sb_putc(d->sb, ']');
	return 1;
}
const struct dsys dsys_listmount = { .arg = listmount_arg };

static int io_submit_dec_arg(const struct dctx *d, unsigned i)
{
	if (i != 2)
		return 0;
	io_submit_arg(d);
	return 1;
}
const struct dsys dsys_io_submit = { .arg = io_submit_dec_arg };

/* io_setup's context, get_robust_list's head: a pointer written at exit */
static int ptr_out_arg(const struct dctx *d, unsigned i)
{
	const struct limen_blob *b;
	uint64_t x;

	if (i != 1)
		return 0;
	b = exit_blob(d, i, 8);
	if (!b || d->failed || !d->c->has_ret) {
		dx_ptr(d->sb, d->c->args[i]);
		return 1;
	}
	memcpy(&x, b->data, 8);
	limen_sb_putc(d->sb, '[');
	dx_ptr(d->sb, x);
	limen_sb_putc(d->sb, ']');
	return 1;
}
const struct dsys dsys_ptr_out = { .arg = ptr_out_arg };

static int cap_arg(const struct dctx *d, unsigned i)
{
	if (i != 1)
		return 0;
	cap_data_arg(d, d->c->nr == LIMEN_NR_capget);
	return 1;
}
const struct dsys dsys_cap = { .arg = cap_arg };

static int name_to_handle_at_arg(const struct dctx *d, unsigned i)
{
	if (i != 2)
		return 0;
	name_to_handle_arg(d);
	return 1;
}
const struct dsys dsys_name_to_handle_at = { .arg = name_to_handle_at_arg };

static int thread_area_dec_arg(const struct dctx *d, unsigned i)
{
	if (i != 0)
		return 0;
	thread_area_arg(d, d->c->nr == LIMEN_NR_set_thread_area);
	return 1;
}
const struct dsys dsys_thread_area = { .arg = thread_area_dec_arg };

static int modify_ldt_arg(const struct dctx *d, unsigned i)
{
	if (i != 1 || d->c->args[2] == 16)
		return 0;
	dx_ptr(d->sb, d->c->args[1]);
	return 1;
}

static void modify_ldt_ret_aux(const struct dctx *d)
{
	uint64_t r = (uint64_t)d->c->ret;
	const char *n;
	char buf[64];

	if (r <= 0xfffff000ULL || r > 0xffffffffULL)
		return;
	/* the kernel returns the int result zero-extended: strace still
	   names the error */
	n = limen_errname((int)(0x100000000ULL - r));
	if (n)
		limen_sb_printf(d->sb, " %s (%s)", n,
				dn_errdesc((int)(0x100000000ULL - r), buf));
}
const struct dsys dsys_modify_ldt = { .arg = modify_ldt_arg,
				      .ret_aux = modify_ldt_ret_aux };

static int kexec_load_arg(const struct dctx *d, unsigned i)
{
	if (i != 3)
		return 0;
	kexec_flags(d->sb, d->c->args[3] & 0xffffffff);
	return 1;
}
const struct dsys dsys_kexec_load = { .arg = kexec_load_arg };

static int perf_event_open_arg(const struct dctx *d, unsigned i)
{
	static const struct dxl pf[] = {
		{ 1, "PERF_FLAG_FD_NO_GROUP" }, { 2, "PERF_FLAG_FD_OUTPUT" },
		{ 4, "PERF_FLAG_PID_CGROUP" }, { 8, "PERF_FLAG_FD_CLOEXEC" },
	};

	if (i != 4)
		return 0;
	dl_flags(d->sb, pf, ARRAY_LEN(pf), d->c->args[4], "0");
	return 1;
}
const struct dsys dsys_perf_event_open = { .arg = perf_event_open_arg };

static int landlock_create_ruleset_arg(const struct dctx *d, unsigned i)
{
	static const struct dxl lf[] = {
		{ 1, "LANDLOCK_CREATE_RULESET_VERSION" },
		{ 2, "LANDLOCK_CREATE_RULESET_ERRATA" },
	};

	if (i == 2)
		dl_flags(d->sb, lf, ARRAY_LEN(lf), d->c->args[2] & 0xffffffff,
			 "0");
	else if (i == 0 && d->c->args[0] && d->c->args[1] < 8)
		dx_ptr(d->sb, d->c->args[0]);
	else
		return 0;
	return 1;
}
const struct dsys dsys_landlock_create_ruleset = {
	.arg = landlock_create_ruleset_arg };

static int mount_setattr_arg(const struct dctx *d, unsigned i)
{
	if (i != 3 || !d->c->args[3] || d->c->args[4] >= 32)
		return 0;
	dx_ptr(d->sb, d->c->args[3]);
	return 1;
}
const struct dsys dsys_mount_setattr = { .arg = mount_setattr_arg };

static int statx_arg(const struct dctx *d, unsigned i)
{
	if (i == 2)
		statx_flags(d->sb, d->c->args[2] & 0xffffffff);
	else if (i == 3)
		ds_statx_mask(d->sb, d->c->args[3] & 0xffffffff);
	else
		return 0;
	return 1;
}
const struct dsys dsys_statx = { .arg = statx_arg };

static int umask_ret_style(const struct dctx *d)
{
	return 'o';
}
const struct dsys dsys_umask = { .ret_style = umask_ret_style };

static void adjtimex_ret_aux(const struct dctx *d)
{
	const char *n = dl_lookup(time_states, ARRAY_LEN(time_states),
				  (uint64_t)d->c->ret);

	if (n)
		limen_sb_printf(d->sb, " (%s)", n);
}
const struct dsys dsys_adjtimex = { .ret_aux = adjtimex_ret_aux };

static void select_ret_aux(const struct dctx *d)
{
	select_aux(d, d->c->nr == LIMEN_NR_pselect6);
}
const struct dsys dsys_select = { .ret_aux = select_ret_aux };

static void sched_getscheduler_ret_aux(const struct dctx *d)
{
	const char *n = dx_lookup(&limen_xlats[LIMEN_XLAT_sched_policy],
				  (uint64_t)d->c->ret);

	if (n)
		limen_sb_printf(d->sb, " (%s)", n);
}
const struct dsys dsys_sched_getscheduler = {
	.ret_aux = sched_getscheduler_ret_aux };

static void rt_sigtimedwait_ret_aux(const struct dctx *d)
{
	if (d->c->ret <= 0)
		return;
	limen_sb_puts(d->sb, " (");
	dn_sig(d->sb, (int)d->c->ret);
	limen_sb_putc(d->sb, ')');
}
const struct dsys dsys_rt_sigtimedwait = { .ret_aux = rt_sigtimedwait_ret_aux };

const struct dsys dsys_poll = { .ret_aux = poll_aux };

static int ipc_arg_is_out(const struct limen_call *c, unsigned i)
{
	return dsp_ipc_arg_is_out(c, i);
}
const struct dsys dsys_ipc = { .arg = dsp_ipc_arg,
			       .arg_is_out = ipc_arg_is_out };

static int execve_arg(const struct dctx *d, unsigned i)
{
	const struct limen_blob *b;

	/* envp is shown as a count of variables */
	if (i != (d->c->nr == LIMEN_NR_execveat ? 3u : 2u) || !d->c->args[i])
		return 0;
	b = dd_blob(d, i, 0);
	if (!b)
		return 0;
	dd_argv(d, b, d->c->args[i], 1);
	return 1;
}
const struct dsys dsys_execve = { .arg = execve_arg };
