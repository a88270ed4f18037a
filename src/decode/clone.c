// SPDX-License-Identifier: MIT
/*
 * clone and clone3: named arguments, flags with the exit signal.
 * Each call's decoder is named in tables/syscalls.tbl's DECODER column.
 */
#include <string.h>

#include "decode/dec_int.h"

/* named constants of tables/xlat.tbl (build/gen/systab_gen.h) */
#define CLONE_PARENT_SETTID_ LIMEN_XV_clone_flags_CLONE_PARENT_SETTID
#define CLONE_CHILD_CLEARTID_ LIMEN_XV_clone_flags_CLONE_CHILD_CLEARTID
#define CLONE_CHILD_SETTID_ LIMEN_XV_clone_flags_CLONE_CHILD_SETTID
#define CLONE_SETTLS_ LIMEN_XV_clone_flags_CLONE_SETTLS
#define CLONE_PIDFD_ LIMEN_XV_clone_flags_CLONE_PIDFD
#define CLONE_INTO_CGROUP_ LIMEN_XV_clone_flags_CLONE_INTO_CGROUP


/* flags and the exit signal in the low byte: "CLONE_VM|SIGCHLD"; as
   strace 6.1, bits without a name right after the names
   ("CLONE_VM|0x400000|SIGCHLD"), alone with its comment */
static void clone_flags(struct limen_sb *sb, uint64_t fl, int with_sig)
{
	int first = 1;
	uint64_t sig = with_sig ? (fl & 0xff) : 0, left;

	left = fl & ~(with_sig ? 0xffULL : 0);
	left &= ~dx_bits(sb, &limen_xlats[LIMEN_XLAT_clone_flags], left, &first);
	if (left) {
		limen_sb_printf(sb, "%s%#llx%s", first ? "" : "|",
				(unsigned long long)left,
				first ? " /* CLONE_??? */" : "");
		first = 0;
	}
	if (sig) {
		if (!first)
			limen_sb_putc(sb, '|');
		first = 0;
		dn_signame(sb, (int)sig);
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
		if (d->c->has_ret && d->c->ret > 0 && !d->noderef)
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

/* what clone3 wrote back, " => {parent_tid=[N]}", once it returned */
static void clone3_out(const struct dctx *d, uint64_t fl)
{
	struct limen_sb *sb = d->sb;

	if (!d->c->has_ret || d->c->ret <= 0 ||
	    !(fl & (CLONE_PARENT_SETTID_ | CLONE_PIDFD_)))
		return;
	limen_sb_puts(sb, " => {");
	if (fl & CLONE_PIDFD_)
		limen_sb_puts(sb, "pidfd=[?]");
	if (fl & CLONE_PARENT_SETTID_)
		limen_sb_printf(sb, "%sparent_tid=[%lld]",
				(fl & CLONE_PIDFD_) ? ", " : "",
				(long long)d->c->ret);
	limen_sb_putc(sb, '}');
}

static void clone3_arg(const struct dctx *d)
{
	struct limen_sb *sb = d->sb;
	const struct limen_blob *b = dd_blob_min(d, 0, 0, 64);
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
	clone3_out(d, fl);
}

static unsigned clone_dec_nargs(const struct limen_call *c, unsigned n)
{
	return clone_nargs(c->args[0]);
}

static int clone_dec_arg(const struct dctx *d, unsigned i)
{
	clone_arg(d, i);
	return 1;
}

/*
 * Split by other lines, as strace splits them: clone's child_stack and
 * flags at entry, the rest at exit ("<... clone resumed>, parent_tid=[N],
 * tls=...) = N"); clone3's struct at entry, what it wrote back and the
 * size at exit ("<... clone3 resumed> => {parent_tid=[N]}, 88) = N").
 */
static unsigned clone_entry_args(const struct limen_call *c)
{
	return 2;
}

static void clone_exit_part(const struct dctx *d)
{
	unsigned n = clone_nargs(d->c->args[0]);

	for (unsigned i = 2; i < n; i++) {
		limen_sb_puts(d->sb, ", ");
		clone_arg(d, i);
	}
}

const struct dsys dsys_clone = { .nargs = clone_dec_nargs,
				 .arg = clone_dec_arg,
				 .entry_args = clone_entry_args,
				 .exit_part = clone_exit_part };

static int clone3_dec_arg(const struct dctx *d, unsigned i)
{
	if (i != 0)
		return 0;
	clone3_arg(d);
	return 1;
}

/* The flags of clone3's struct, if read whole enough; 0 otherwise */
static uint64_t clone3_flags(const struct limen_call *c)
{
	const struct limen_blob *b = &c->cap_in[0];
	uint64_t fl = 0;

	if (c->args[0] && (b->flags & LIMEN_BLOB_PRESENT) &&
	    !(b->flags & LIMEN_BLOB_FAULT) && b->data && b->len >= 8)
		memcpy(&fl, b->data, 8);
	return fl;
}

/* Its struct at entry; its size too unless the kernel writes something
   back (parent_tid, pidfd), as strace: a vfork-style clone3 (posix_spawn's)
   split in two reads "clone3({...}, 88 <unfinished ...>" */
static unsigned clone3_entry_args(const struct limen_call *c)
{
	return clone3_flags(c) & (CLONE_PARENT_SETTID_ | CLONE_PIDFD_) ? 1 : 2;
}

static void clone3_exit_part(const struct dctx *d)
{
	uint64_t fl = clone3_flags(d->c);

	if (!(fl & (CLONE_PARENT_SETTID_ | CLONE_PIDFD_)))
		return;	/* all at entry */
	if (dd_blob_min(d, 0, 0, 8))
		clone3_out(d, fl);
	limen_sb_printf(d->sb, ", %llu", (unsigned long long)d->c->args[1]);
}

const struct dsys dsys_clone3 = { .arg = clone3_dec_arg,
				  .entry_args = clone3_entry_args,
				  .exit_part = clone3_exit_part };
