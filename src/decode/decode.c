// SPDX-License-Identifier: MIT
/*
 * Argument dispatch by type, return values, whole lines. Syscalls strace
 * renders irregularly are in special.c.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "decode/dec_int.h"

#define DEF_STRSIZE 32

/* The access mode (open_accmode), then the other bits (open_flags). */
void dd_open_flags(struct limen_sb *sb, uint64_t v)
{
	int first = 0;
	uint64_t left;

	limen_sb_puts(sb, dx_lookup(&limen_xlats[LIMEN_XLAT_open_accmode],
				    v & 3));
	left = v & ~3ULL;
	left &= ~dx_bits(sb, &limen_xlats[LIMEN_XLAT_open_flags], left, &first);
	if (left)
		limen_sb_printf(sb, "|%#llx", (unsigned long long)left);
}

/*
 * mmap's and remap_file_pages' flags as strace's print_mmap_flags shows
 * them: the type (the low four bits: MAP_FILE for 0, "0xf /" "* MAP_??? *" "/"
 * unknown), the other flags (bits left as |0x..., no comment), then the
 * huge page size's bits (26 to 31) as |21<<MAP_HUGE_SHIFT, never names.
 */
#define MAP_TYPE_ 0xfULL
#define MAP_HUGE_SHIFT_ 26
#define MAP_HUGE_MASK_ (0x3fULL << MAP_HUGE_SHIFT_)

static void dd_mmap_flags(struct limen_sb *sb, uint64_t v)
{
	const struct limen_xlat *x = &limen_xlats[LIMEN_XLAT_mmap_flags];
	const char *type = dx_lookup(x, v & MAP_TYPE_);
	uint64_t huge = v & MAP_HUGE_MASK_;
	uint64_t left = v & ~MAP_TYPE_ & ~MAP_HUGE_MASK_;
	int first = 0;

	if (type)
		limen_sb_puts(sb, type);
	else
		limen_sb_printf(sb, "%#llx /* MAP_??? */",
				(unsigned long long)(v & MAP_TYPE_));
	left &= ~dx_bits(sb, x, left, &first);
	if (left)
		limen_sb_printf(sb, "|%#llx", (unsigned long long)left);
	if (huge)
		limen_sb_printf(sb, "|%llu<<MAP_HUGE_SHIFT",
				(unsigned long long)(huge >> MAP_HUGE_SHIFT_));
}

int dd_is_err(const struct limen_call *c)
{
	return c->has_ret && c->ret < 0 && c->ret >= -4095;
}

static const struct limen_argdesc *argdesc(const struct dctx *d, unsigned i)
{
	if (!d->se || !d->se->decoded || i >= d->se->nargs)
		return NULL;
	return &d->se->args[i];
}

/* Whether argument i is one strace prints as text whatever -e verbose=
   says (printstr, printpath): a string, a path, a buffer */
static int text_arg(const struct dctx *d, unsigned i)
{
	uint8_t t = d->se && i < 6 ? d->se->args[i].type : LIMEN_AT_NONE;

	return t == LIMEN_AT_PATH || t == LIMEN_AT_STR || t == LIMEN_AT_BUF;
}

/*
 * What the call's argument i pointed to, as captured. For a call
 * -e verbose= leaves out, nothing but text: strace reads every structure
 * it shows through one function that prints the address instead when the
 * call is not verbose (umoven_or_printaddr), the way a read that fails
 * does; a decoder here prints the address when there is no capture.
 */
const struct limen_blob *dd_blob(const struct dctx *d, unsigned i, int out)
{
	if (d->noderef && !text_arg(d, i))
		return NULL;
	return dd_blob_any(d, i, out);
}

/* The blob for argument i: the exit capture if asked and present,
   whatever -e verbose= says (what strace prints as text in a structure's
   place, prctl's names, or reads without a check, select's sets) */
const struct limen_blob *dd_blob_any(const struct dctx *d, unsigned i,
				     int out)
{
	const struct limen_blob *b = NULL;

	if (i >= 6)
		return NULL;
	if (out && (d->c->cap_out[i].flags & LIMEN_BLOB_PRESENT))
		b = &d->c->cap_out[i];
	else if (d->c->cap_in[i].flags & LIMEN_BLOB_PRESENT)
		b = &d->c->cap_in[i];
	if (!b || (b->flags & LIMEN_BLOB_FAULT) || (!b->data && b->len))
		return NULL;
	return b;
}

/* c's bit in a map of call numbers (a number past the map: not in it) */
static int call_in(const uint8_t *map, const struct limen_call *c)
{
	return c->nr < LIMEN_DECODE_RAW_BITS &&
	       (map[c->nr / 8] >> (c->nr % 8) & 1);
}

const uint8_t *limen_decode_raw;

/* strace -e raw=SET: the call's arguments and result as numbers */
static int raw_call(const struct limen_call *c)
{
	return limen_decode_raw && call_in(limen_decode_raw, c);
}

unsigned limen_decode_nargs(const struct limen_call *c)
{
	const struct limen_sysent *se = limen_sysent_get(c->nr);
	const struct dsys *ds = dsys_of(se);

	/* -e raw=: the table's count, as strace prints its table's
	   (openat's mode always, rt_sigreturn none) */
	if (se && raw_call(c))
		return ds && ds->raw_nargs ? ds->raw_nargs(c, se->nargs)
					   : se->nargs;
	if (ds && ds->nargs)
		return ds->nargs(c, se->nargs);
	return se ? se->nargs : 6;
}

int limen_decode_arg_is_out(const struct limen_call *c, unsigned i)
{
	const struct limen_sysent *se = limen_sysent_get(c->nr);
	const struct limen_argdesc *a;
	const struct dsys *ds;

	if (raw_call(c))
		return 0;	/* numbers, known at entry */
	if (!se || !se->decoded || i >= se->nargs)
		return 0;
	a = &se->args[i];
	if (a->dir == LIMEN_DIR_OUT)
		return 1;
	if (a->dir != LIMEN_DIR_INOUT)
		return 0;
	ds = dsys_of(se);
	if (ds && ds->arg_is_out) {
		int r = ds->arg_is_out(c, i);

		if (r >= 0)
			return r;
	}
	switch (a->type) {
	case LIMEN_AT_SOCKLEN:
	case LIMEN_AT_SOCKADDR:
	case LIMEN_AT_BUF:
	case LIMEN_AT_IOV:
	case LIMEN_AT_SIGSET:
		return 1;
	case LIMEN_AT_STRUCT:
		/* shown at entry: poll's events (revents follow the return
		   value), timeouts, capget's header, sendfile's offset */
		switch (a->xlat) {
		case LIMEN_ST_pollfd:
		case LIMEN_ST_timespec:
		case LIMEN_ST_timeval:
		case LIMEN_ST_cap_header:
		case LIMEN_ST_u64:
			return 0;
		}
		return 1;
	default:
		return 0;
	}
}

static size_t buf_want(const struct dctx *d, const struct limen_argdesc *a,
		       int out)
{
	uint64_t n = a->len_arg >= 0 ? d->c->args[a->len_arg] : UINT64_MAX;

	if (out && a->len_ret && d->c->has_ret && d->c->ret >= 0 &&
	    (uint64_t)d->c->ret < n)
		n = (uint64_t)d->c->ret;
	return n > SIZE_MAX ? SIZE_MAX : (size_t)n;
}

void dd_argv(const struct dctx *d, const struct limen_blob *b, uint64_t ptr,
	     int envp)
{
	struct limen_sb *sb = d->sb;
	const uint8_t *p = b->data, *end = b->data + b->len;
	uint32_t cnt, total, i;
	int unterminated = 0;

	if (b->len < 8) {
		dx_ptr(sb, ptr);
		return;
	}
	memcpy(&cnt, p, 4);
	memcpy(&total, p + 4, 4);
	if (total != UINT32_MAX && (total & LIMEN_ARGV_UNTERMINATED)) {
		unterminated = 1;
		total &= ~LIMEN_ARGV_UNTERMINATED;
	}
	if (total == UINT32_MAX || total < cnt)
		total = cnt;
	if (envp && !d->verbose) {	/* -v lists them, as strace */
		limen_sb_printf(sb, "%#llx /* %u var%s%s */",
				(unsigned long long)ptr, total,
				total == 1 ? "" : "s",
				unterminated ? ", unterminated" : "");
		return;
	}
	p += 8;
	limen_sb_putc(sb, '[');
	for (i = 0; i < cnt; i++) {
		uint32_t len, fl;
		size_t n;

		if (end - p < 8)
			break;
		memcpy(&len, p, 4);
		memcpy(&fl, p + 4, 4);
		p += 8;
		if ((size_t)(end - p) < len)
			len = (uint32_t)(end - p);
		if (i)
			limen_sb_puts(sb, ", ");
		/* -v lists them all, as strace (its abbrev() rule) */
		if (i >= d->strsize && !d->verbose) {
			limen_sb_puts(sb, "...");
			break;
		}
		if ((fl & LIMEN_BLOB_FAULT) && len == 8) {
			/* unreadable: its pointer, as strace shows it */
			uint64_t sp;

			memcpy(&sp, p, 8);
			dx_ptr(sb, sp);
		} else {
			n = len;
			if (n > d->strsize)
				n = d->strsize;
			dq_bytes(sb, p, n, n < len || (fl & LIMEN_BLOB_TRUNC),
				 0);
		}
		p += (len + 3) & ~3u;
	}
	/* strace reads a word more than it shows (up to -s): an unreadable
	   one ends the list with its address */
	if (i == cnt && unterminated && cnt == total &&
	    (cnt <= d->strsize || d->verbose))
		limen_sb_printf(sb, "%s... /* %#llx */", cnt ? ", " : "",
				(unsigned long long)(ptr + 8ull * cnt));
	else if (i == cnt && cnt < total)
		limen_sb_puts(sb, cnt ? ", ..." : "...");
	limen_sb_putc(sb, ']');
}

void dd_iov(const struct dctx *d, const struct limen_blob *b, uint64_t ptr,
	    int out)
{
	struct limen_sb *sb = d->sb;
	const uint8_t *p = b->data, *end = b->data + b->len;
	uint64_t left = UINT64_MAX;
	uint32_t cnt, i;
	/* a failed readv: strace reads the array at exit and shows the
	   bases as addresses (IOV_DECODE_ADDR) */
	int addr = out && d->failed;

	if (b->len < 8) {
		dx_ptr(sb, ptr);
		return;
	}
	memcpy(&cnt, p, 4);
	p += 8;
	if (out && d->c->has_ret && d->c->ret >= 0)
		left = (uint64_t)d->c->ret;
	limen_sb_putc(sb, '[');
	for (i = 0; i < cnt; i++) {
		uint64_t base, len, show;
		uint32_t caplen;

		if (end - p < 24)
			break;
		memcpy(&base, p, 8);
		memcpy(&len, p + 8, 8);
		memcpy(&caplen, p + 16, 4);
		p += 24;
		if (i)
			limen_sb_puts(sb, ", ");
		if (i >= d->strsize) {
			limen_sb_puts(sb, "...");
			break;
		}
		if ((size_t)(end - p) < caplen)
			caplen = (uint32_t)(end - p);
		show = len < left ? len : left;
		limen_sb_puts(sb, "{iov_base=");
		if (addr) {
			dx_ptr(sb, base);
		} else if (!base && !len) {
			limen_sb_puts(sb, "NULL");
		} else {
			size_t n = show < caplen ? (size_t)show : caplen;
			int tr = show > n;

			if (n > d->strsize) {
				n = d->strsize;
				tr = 1;
			}
			if (!dnl_iov(d, i))	/* a netlink message */
				dq_bytes(sb, p, n, tr, 0);
		}
		limen_sb_printf(sb, ", iov_len=%llu}", (unsigned long long)len);
		if (left != UINT64_MAX)
			left -= show;
		p += ((size_t)caplen + 7) & ~(size_t)7;
	}
	/* more iovecs than the runtime captured */
	if (i == cnt && (b->flags & LIMEN_BLOB_TRUNC))
		limen_sb_puts(sb, cnt ? ", ..." : "...");
	limen_sb_putc(sb, ']');
}

size_t dd_iov_size(const uint8_t *p, size_t n)
{
	size_t off = 8;
	uint32_t cnt, i, caplen;

	if (n < 8)
		return n;
	memcpy(&cnt, p, 4);
	for (i = 0; i < cnt && off + 24 <= n; i++) {
		memcpy(&caplen, p + off + 16, 4);
		off += 24 + (((size_t)caplen + 7) & ~(size_t)7);
	}
	return off < n ? off : n;
}

/* Set bits of an fd_set blob below nfds. */
static unsigned fdset_count(const struct limen_blob *b, uint64_t nfds)
{
	uint64_t i, bits = (uint64_t)b->len * 8;
	unsigned n = 0;

	for (i = 0; i < bits && i < nfds; i++)
		n += !!(b->data[i / 8] & (1u << (i % 8)));
	return n;
}

/* arg: the fd_set's argument (select's 1, 2, 3): -y numbers the
   descriptors across the three sets */
static void print_fdset(const struct dctx *d, const struct limen_blob *b,
			uint64_t nfds, unsigned arg)
{
	struct limen_sb *sb = d->sb;
	uint64_t i, bits = (uint64_t)b->len * 8;
	int first = 1, entry = b == &d->c->cap_in[arg];
	unsigned k = 0;

	for (unsigned j = 1; entry && j < arg; j++)
		if (d->c->args[j] && (d->c->cap_in[j].flags & LIMEN_BLOB_PRESENT))
			k += fdset_count(&d->c->cap_in[j], nfds);
	if (nfds < bits)
		bits = nfds;
	limen_sb_putc(sb, '[');
	for (i = 0; i < bits; i++) {
		if (!(b->data[i / 8] & (1u << (i % 8))))
			continue;
		limen_sb_printf(sb, "%s%llu", first ? "" : " ",
				(unsigned long long)i);
		if (entry)
			dfd_right(d, k++);	/* -y */
		first = 0;
	}
	limen_sb_putc(sb, ']');
}

static void print_struct(const struct dctx *d, const struct limen_argdesc *a,
			 unsigned i, const struct limen_blob *b, int out)
{
	struct limen_sb *sb = d->sb;
	uint64_t v = d->c->args[i];
	size_t sz = a->size ? a->size : 1, have, n, k;

	if (a->len_arg < 0 && !a->len_ret) {
		if (a->xlat == LIMEN_ST_fdpair && dfd_pair(d, b))
			return;	/* -y */
		if (!ds_print(sb, a->xlat, b->data, b->len, d))
			dx_ptr(sb, v);
		return;
	}
	/* array */
	n = a->len_arg >= 0 ? (size_t)d->c->args[a->len_arg] : SIZE_MAX;
	if (out && a->len_ret && d->c->has_ret && d->c->ret >= 0 &&
	    (uint64_t)d->c->ret < n)
		n = (size_t)d->c->ret;
	have = b->len / sz;
	limen_sb_putc(sb, '[');
	for (k = 0; k < n && k < have; k++) {
		if (k)
			limen_sb_puts(sb, ", ");
		if (k >= d->strsize) {
			limen_sb_puts(sb, "...");
			break;
		}
		if (a->xlat == LIMEN_ST_pollfd && !out &&
		    dfd_pollfd(d, b->data + k * sz, (unsigned)k))
			continue;	/* -y: {fd=3</path>, ...} */
		if (!ds_print(sb, a->xlat, b->data + k * sz, sz, d))
			dx_ptr(sb, v + k * sz);
	}
	if (k == have && k < n && n != SIZE_MAX &&
	    (b->flags & LIMEN_BLOB_TRUNC))
		limen_sb_puts(sb, k ? ", ..." : "...");
	limen_sb_putc(sb, ']');
}

void dd_int_arg(const struct dctx *d, unsigned i)
{
	limen_sb_printf(d->sb, "%d", (int)d->c->args[i]);
}

/* Raw hex, as for undecoded syscalls. */
const char *(*limen_decode_pid_name)(int32_t pid);

/* -Y: "<comm>" after a pid that names a process (strace: not 0, not a
   process group -PGID, not a pid gone) */
static void pid_suffix(struct limen_sb *sb, int pid)
{
	const char *s;

	if (limen_decode_pid_name && pid > 0 &&
	    (s = limen_decode_pid_name(pid)))
		limen_sb_printf(sb, "<%s>", s);
}

static void hex_arg(const struct dctx *d, unsigned i)
{
	limen_sb_printf(d->sb, "%#llx", (unsigned long long)d->c->args[i]);
}

/* An enum argument's value: the kernel's int, but for ptrace's request,
   a long, as strace prints them: 0xffffffff /" "* SEEK_??? *" "/ for
   lseek(fd, 0, -1) (mbind's mode, a long too, is its decoder's: mm.c) */
uint64_t dd_enum_value(const struct limen_call *c, unsigned i)
{
	if (c->nr == LIMEN_NR_ptrace)
		return c->args[i];
	return (uint32_t)c->args[i];
}

void dd_default_arg(const struct dctx *d, unsigned i)
{
	const struct limen_argdesc *a = argdesc(d, i);
	struct limen_sb *sb = d->sb;
	uint64_t v;
	const struct limen_blob *b;
	int out;

	if (i >= 6)
		return;
	v = d->c->args[i];
	if (!a) {
		hex_arg(d, i);
		return;
	}
	if (sb->xstyle && dd_xstyle_arg(d, i, a))
		return;
	switch (a->type) {
	case LIMEN_AT_INT:
	case LIMEN_AT_FD:
		limen_sb_putd(sb, (int)v);
		return;
	case LIMEN_AT_PID:
		limen_sb_putd(sb, (int)v);
		pid_suffix(sb, (int)v);
		return;
	case LIMEN_AT_UINT:
		limen_sb_putu(sb, (unsigned)v);
		return;
	case LIMEN_AT_LONG:
		limen_sb_putd(sb, (int64_t)v);
		return;
	case LIMEN_AT_ULONG:
		limen_sb_putu(sb, v);
		return;
	case LIMEN_AT_HEX:
		hex_arg(d, i);
		return;
	case LIMEN_AT_PTR:
		dx_ptr(sb, v);
		return;
	case LIMEN_AT_OCT:
		limen_sb_printf(sb, "%#03llo", (unsigned long long)v);
		return;
	case LIMEN_AT_DIRFD:
		if ((int)v == -100)
			limen_sb_puts(sb, "AT_FDCWD");
		else
			limen_sb_printf(sb, "%d", (int)v);
		return;
	case LIMEN_AT_SIG:
		dn_sig(sb, (int)v);
		return;
	case LIMEN_AT_FLAGS:
		if (a->xlat == LIMEN_XLAT_open_flags)
			dd_open_flags(sb, v);
		else if (a->xlat == LIMEN_XLAT_mmap_flags)
			dd_mmap_flags(sb, v);
		else
			dx_flags(sb, a->xlat < LIMEN_NXLAT ?
				 &limen_xlats[a->xlat] : NULL, v, NULL);
		return;
	case LIMEN_AT_ENUM:
		dx_enum(sb, a->xlat < LIMEN_NXLAT ? &limen_xlats[a->xlat] :
			NULL, dd_enum_value(d->c, i), NULL);
		return;
	default:
		break;
	}

	/* pointers */
	if (!v) {
		limen_sb_puts(sb, "NULL");
		return;
	}
	out = limen_decode_arg_is_out(d->c, i);
	if (out && d->failed && a->type != LIMEN_AT_SOCKLEN &&
	    a->type != LIMEN_AT_IOV) {
		dx_ptr(sb, v);
		return;
	}
	b = dd_blob(d, i, out);
	if (!b) {
		dx_ptr(sb, v);
		return;
	}
	switch (a->type) {
	case LIMEN_AT_PATH:
		dq_blob(sb, b, SIZE_MAX, 0);
		return;
	case LIMEN_AT_STR:
		dq_blob(sb, b, SIZE_MAX, d->strsize);
		return;
	case LIMEN_AT_BUF:
		dq_blob(sb, b, buf_want(d, a, out), d->strsize);
		return;
	case LIMEN_AT_STRUCT:
		print_struct(d, a, i, b, out);
		return;
	case LIMEN_AT_SIGSET:
		if (a->len_arg >= 0 && d->c->args[a->len_arg] != 8) {
			dx_ptr(sb, v);
			return;
		}
		dn_sigset(sb, b->data, b->len < 8 ? b->len : 8);
		return;
	case LIMEN_AT_ARGV:
		dd_argv(d, b, v, 0);
		return;
	case LIMEN_AT_IOV:
		dd_iov(d, b, v, out);
		return;
	case LIMEN_AT_SOCKADDR: {
		size_t n = b->len;

		if (a->dir == LIMEN_DIR_IN && a->len_arg >= 0 &&
		    d->c->args[a->len_arg] < n)
			n = (size_t)d->c->args[a->len_arg];
		/* out: the kernel wrote the smaller of the room given (the
		   length at entry) and the address's length (at exit): as
		   strace, only that */
		for (int k = 0; a->dir != LIMEN_DIR_IN && a->len_arg >= 0 &&
				k < 2; k++) {
			const struct limen_blob *lb =
				dd_blob(d, (unsigned)a->len_arg, k);
			uint32_t l;

			if (lb && lb->len >= 4) {
				memcpy(&l, lb->data, 4);
				if (l < n)
					n = l;
			}
		}
		/* too short for the family: the pointer, as strace */
		if (n < 2) {
			dx_ptr(sb, v);
			return;
		}
		ds_sockaddr(sb, b->data, n);
		return;
	}
	case LIMEN_AT_SOCKLEN: {
		const struct limen_blob *bi = dd_blob(d, i, 0);
		const struct limen_blob *bo = d->failed ? NULL : dd_blob(d, i, 1);
		uint32_t li, lo;

		if (!bi || bi->len < 4) {
			bi = bo;
			bo = NULL;
		}
		if (!bi || bi->len < 4) {
			dx_ptr(sb, v);
			return;
		}
		memcpy(&li, bi->data, 4);
		if (bo && bo != bi && bo->len >= 4) {
			memcpy(&lo, bo->data, 4);
			if (lo != li) {
				limen_sb_printf(sb, "[%u => %u]", li, lo);
				return;
			}
		}
		limen_sb_printf(sb, "[%u]", li);
		return;
	}
	case LIMEN_AT_FDSET:
		print_fdset(d, b, a->len_arg >= 0 ? d->c->args[a->len_arg] : 0,
			    i);
		return;
	case LIMEN_AT_MSGHDR:
		if (!dnet_msghdr(d, b, out))
			dx_ptr(sb, v);
		return;
	default:
		dx_ptr(sb, v);
		return;
	}
}

static void mkctx(struct dctx *d, struct limen_sb *sb,
		  const struct limen_call *c, const struct limen_dopts *o)
{
	d->sb = sb;
	d->c = c;
	d->se = limen_sysent_get(c->nr);
	d->strsize = o ? o->strsize : DEF_STRSIZE;
	d->verbose = o && (o->verbose || (o->abbrev && !call_in(o->abbrev, c)));
	d->noderef = o && o->deref && !call_in(o->deref, c);
	d->failed = dd_is_err(c);
}

/* A result is read without -s and -v (-e verbose= still drops what it
   shows of a structure: select's time left, adjtimex's state) */
static void result_ctx(struct dctx *d)
{
	d->strsize = DEF_STRSIZE;
	d->verbose = 0;
}

/* The types strace reads into a structure (umoven_or_printaddr, which
   prints the address instead for a call -e verbose= leaves out), as
   opposed to the strings, paths and buffers it prints all the same */
static int deref_type(uint8_t t)
{
	switch (t) {
	case LIMEN_AT_STRUCT:
	case LIMEN_AT_SIGSET:
	case LIMEN_AT_ARGV:
	case LIMEN_AT_IOV:
	case LIMEN_AT_SOCKADDR:
	case LIMEN_AT_SOCKLEN:
	case LIMEN_AT_FDSET:
	case LIMEN_AT_MSGHDR:
		return 1;
	}
	return 0;
}

/* Argument i is an array the call says holds no element: a count of 0
   in its length argument (in), or a result of 0 (out). Not getdents'
   entries, which strace prints as their address under -e verbose=
   whatever their count (it checks before it counts them) */
static int empty_array(const struct dctx *d, unsigned i)
{
	const struct limen_argdesc *a = &d->se->args[i];

	if (a->type != LIMEN_AT_STRUCT || a->len_arg < 0 || !d->c->args[i] ||
	    d->c->nr == LIMEN_NR_getdents || d->c->nr == LIMEN_NR_getdents64)
		return 0;
	if (a->len_ret)
		return d->c->has_ret && d->c->ret == 0;
	return a->dir == LIMEN_DIR_IN && a->len_arg < 6 &&
	       d->c->args[a->len_arg] == 0;
}

/* Argument i, its call's context made (one for all of a line's). */
static void decode_arg(const struct dctx *d, const struct dsys *ds,
		       unsigned i)
{
	const struct limen_call *c = d->c;

	if (raw_call(c)) {
		/* as strace: %#lx of the register, 0 as "0" */
		limen_sb_printf(d->sb, "%#llx", (unsigned long long)c->args[i]);
		return;
	}
	if (d->noderef && i < 6 && d->se && deref_type(d->se->args[i].type)) {
		/* -e verbose= leaves it out: its address, or an array of
		   none as [] (strace prints that without reading it) */
		if (empty_array(d, i))
			limen_sb_puts(d->sb, "[]");
		else
			dx_ptr(d->sb, c->args[i]);
	} else if (dnl_buf(d, i))
		;	/* sendto's, recvfrom's netlink message */
	else if (!ds || !ds->arg || !ds->arg(d, i))
		dd_default_arg(d, i);
	/* -y: what the descriptor was at the call */
	if (i < 6 && d->se && (d->se->args[i].type == LIMEN_AT_FD ||
			       d->se->args[i].type == LIMEN_AT_DIRFD))
		dfd_suffix(d->sb, &c->fdinfo[i]);
}

void limen_decode_arg(struct limen_sb *sb, const struct limen_call *c,
		      unsigned i, const struct limen_dopts *o)
{
	struct dctx d;

	mkctx(&d, sb, c, o);
	decode_arg(&d, dsys_of(d.se), i);
}

unsigned limen_decode_split(const struct limen_call *c, int *own)
{
	const struct dsys *ds = raw_call(c) ? NULL
					    : dsys_of(limen_sysent_get(c->nr));
	unsigned n = limen_decode_nargs(c), i;

	*own = ds && ds->entry_args && ds->exit_part;
	if (*own) {
		i = ds->entry_args(c);
		return i < n ? i : n;
	}
	for (i = 0; i < n; i++)
		if (limen_decode_arg_is_out(c, i))
			break;
	return i;
}

void limen_decode_exit_part(struct limen_sb *sb, const struct limen_call *c,
			    const struct limen_dopts *o)
{
	struct dctx d;
	const struct dsys *ds;

	mkctx(&d, sb, c, o);
	ds = dsys_of(d.se);
	if (ds && ds->exit_part)
		ds->exit_part(&d);
}

const char *limen_syscall_name(unsigned long nr, char buf[32])
{
	const struct limen_sysent *se = limen_sysent_get(nr);

	if (se)
		return limen_str(se->name);
	if (nr & LIMEN_DEC_I386) {
		unsigned long n = nr & 0xffffffffu;

		if (n < LIMEN_I386_NCALLS && limen_i386_names[n])
			snprintf(buf, 32, "%s", limen_i386_names[n]);
		else
			snprintf(buf, 32, "syscall_%#lx", n);
		return buf;
	}
	/* The kernel takes the number as an int and its tracers see it so,
	   sign-extended (orig_rax): strace 6.1 names 0xffffffff, -1 and
	   0x80000000 syscall_0xffffffffffffffff, syscall_0xffffffffffffffff
	   and syscall_0xffffffff80000000 */
	snprintf(buf, 32, "syscall_%#lx", (unsigned long)(long)(int32_t)nr);
	return buf;
}

static void ret_err(struct limen_sb *sb, int err)
{
	const char *n;
	char b[64];

	switch (err) {
	case 512:
		limen_sb_puts(sb, " = ? ERESTARTSYS (To be restarted if SA_RESTART is set)");
		return;
	case 513:
		limen_sb_puts(sb, " = ? ERESTARTNOINTR (To be restarted)");
		return;
	case 514:
		limen_sb_puts(sb, " = ? ERESTARTNOHAND (To be restarted if no handler)");
		return;
	case 516:
		limen_sb_puts(sb, " = ? ERESTART_RESTARTBLOCK (Interrupted by signal)");
		return;
	}
	n = limen_errname(err);
	if (n)
		limen_sb_printf(sb, " = -1 %s (%s)", n, dn_errdesc(err, b));
	else
		limen_sb_printf(sb, " = -1 %d (%s)", err, dn_errdesc(err, b));
}

/*
 * As strace does, the " = " of a result starts at its alignment column:
 * the "=" in column align (counted from 0, the line's prefix included)
 * unless the line is already longer.
 */
void limen_sb_align(struct limen_sb *sb)
{
	static const char spaces[LIMEN_SB_BLOCK + 1] = "                "
						      "                ";
	size_t col = sb->len - sb->line + 1;

	/* a run of spaces at a time: most lines pad by tens of columns */
	while (sb->align && col < sb->align) {
		size_t n = sb->align - col;

		if (n > LIMEN_SB_BLOCK)
			n = LIMEN_SB_BLOCK;
		limen_sb_putblock(sb, spaces, n);
		col += n;
	}
}

/* The result, from a context made without options (as strace, -s and -v
   do not change how a result reads); read in place: a copy of a context
   just made stalled on the stores that made it. */
static void decode_ret(const struct dctx *d, const struct dsys *ds)
{
	struct limen_sb *sb = d->sb;
	const struct limen_call *c = d->c;
	int style = 0;

	limen_sb_align(sb);
	/* exit and exit_group (LIMEN_RET_NONE) have a result only when
	   -e inject= gave one: shown, as strace shows it */
	if (!c->has_ret) {
		limen_sb_puts(sb, " = ?");
		return;
	}
	if (d->failed) {
		ret_err(sb, (int)-c->ret);
		return;
	}
	if (raw_call(c)) {
		limen_sb_printf(sb, " = %#llx", (unsigned long long)c->ret);
		return;
	}
	if (ds && ds->ret_style)
		style = ds->ret_style(d);
	if (style == 'x' || (!style && d->se && d->se->ret == LIMEN_RET_HEX)) {
		limen_sb_printf(sb, " = %#llx", (unsigned long long)c->ret);
	} else if (style == 'o') {
		limen_sb_printf(sb, " = %#03llo", (unsigned long long)c->ret);
	} else {
		limen_sb_puts(sb, " = ");
		limen_sb_putd(sb, c->ret);
		if (d->se)	/* -y: present when the call returned one */
			dfd_suffix(sb, &c->fdinfo[6]);
		/* -Y: strace names what getpid, clone... return, not
		   set_tid_address's tid, nor the child wait4 reaped */
		if (limen_decode_pid_name && d->se &&
		    d->se->ret == LIMEN_RET_PID &&
		    strcmp(limen_str(d->se->name), "set_tid_address") &&
		    strcmp(limen_str(d->se->name), "wait4"))
			pid_suffix(sb, (int)c->ret);
	}
	if (ds && ds->ret_aux)
		ds->ret_aux(d);
}

void limen_decode_ret(struct limen_sb *sb, const struct limen_call *c,
		      const struct limen_dopts *o)
{
	struct dctx d;

	mkctx(&d, sb, c, o);
	result_ctx(&d);
	decode_ret(&d, dsys_of(d.se));
}

/*
 * The names of the calls with their "(", each padded to NAME_PAD bytes:
 * a line starts with one, and its strlen and a copy of unknown length
 * were a twentieth of formatting a short line. Made once, before any
 * line (decode threads may format lines at the same time).
 */
#define NAME_PAD LIMEN_SB_BLOCK

static struct callname {
	char s[NAME_PAD];
	uint8_t len;            /* 0: no name here (or too long): the slow way */
} callnames[LIMEN_NSYSENT];
static pthread_once_t callnames_once = PTHREAD_ONCE_INIT;

static void callnames_init(void)
{
	for (unsigned long nr = 0; nr < LIMEN_NSYSENT; nr++) {
		const struct limen_sysent *se = limen_sysent_get(nr);
		size_t n = se ? strlen(limen_str(se->name)) : 0;

		if (!n || n + 1 >= NAME_PAD)
			continue;
		memcpy(callnames[nr].s, limen_str(se->name), n);
		callnames[nr].s[n] = '(';
		callnames[nr].len = (uint8_t)(n + 1);
	}
}

/* "name(" */
static void put_name(struct limen_sb *sb, unsigned long nr)
{
	const struct callname *n;
	char nb[32];

	pthread_once(&callnames_once, callnames_init);
	if (nr >= LIMEN_NSYSENT || !callnames[nr].len) {
		limen_sb_puts(sb, limen_syscall_name(nr, nb));
		limen_sb_putc(sb, '(');
		return;
	}
	n = &callnames[nr];
	limen_sb_putblock(sb, n->s, n->len);
}

void limen_decode_call(struct limen_sb *sb, const struct limen_call *c,
		       const struct limen_dopts *o)
{
	struct dctx d;
	const struct dsys *ds;
	unsigned i, n;

	/* one context for the line: the table's entry, looked up once */
	mkctx(&d, sb, c, o);
	ds = dsys_of(d.se);
	n = limen_decode_nargs(c);
	put_name(sb, c->nr);
	for (i = 0; i < n; i++) {
		if (i)
			limen_sb_putn(sb, ", ", 2);
		decode_arg(&d, ds, i);
	}
	limen_sb_putc(sb, ')');
	result_ctx(&d);	/* as limen_decode_ret reads it */
	decode_ret(&d, ds);
}

/* Any captured blob of argument i, entry or exit, at least min bytes. */
const struct limen_blob *dd_blob_min(const struct dctx *d, unsigned i,
				     int out, size_t min)
{
	const struct limen_blob *b = dd_blob(d, i, out);

	return b && b->len >= min ? b : NULL;
}

/* The entry blob of pointer argument i, at least min bytes; when there is
   none, print the pointer (NULL or hex) as strace does and return NULL. */
const struct limen_blob *dd_in_or_ptr(const struct dctx *d, unsigned i,
				      size_t min)
{
	const struct limen_blob *b = d->c->args[i] ? dd_blob_min(d, i, 0, min)
						   : NULL;

	if (!b)
		dx_ptr(d->sb, d->c->args[i]);
	return b;
}

/* Captured at exit, readable, at least min bytes; NULL otherwise (and
   for a structure of a call -e verbose= leaves out, as dd_blob). */
const struct limen_blob *dd_exit_blob(const struct dctx *d, unsigned i,
				      size_t min)
{
	if (d->noderef && !text_arg(d, i))
		return NULL;
	return dd_exit_blob_any(d, i, min);
}

/* dd_exit_blob whatever -e verbose= says (dd_blob_any) */
const struct limen_blob *dd_exit_blob_any(const struct dctx *d, unsigned i,
					  size_t min)
{
	const struct limen_blob *b = &d->c->cap_out[i];

	if (i >= 6)
		return NULL;
	if (!d->c->args[i] || !(b->flags & LIMEN_BLOB_PRESENT) ||
	    (b->flags & LIMEN_BLOB_FAULT) || b->len < min ||
	    (!b->data && b->len))
		return NULL;
	return b;
}
