/* SPDX-License-Identifier: MIT */
/*
 * Copying the user memory a system call covers into its record, as the
 * syscall table describes it: inputs at entry, outputs at exit (only when the
 * call succeeded, since a failed call wrote nothing). Every read of program
 * memory goes through limen_safe_read, so a bad pointer costs the program
 * nothing but the kernel's own EFAULT.
 *
 * Contract with the ring: a capture never leaves bytes beyond the size it
 * returns (they would be read as record headers later).
 */
#include <errno.h>

#include "raw.h"
#include "rt.h"

#define PATH_BOUND 4096u
#define STR_PAGE 4096u   /* the smallest page: reads stop at its ends */
#define STRUCT_BOUND 4096u
/* Directory entries: the whole buffer the kernel filled, so that they can be
   counted (strace shows "12 entries") and listed with -v. */
#define DIRENT_BOUND (64u << 10)
#define SOCKADDR_BOUND 128u
#define STR_FIRST 64u /* a string's first read (cap_string) */
/* execve's argv/envp pointers read at a time (on the signal path's stack) */
#define ARGV_CHUNK 64u
#define IOV_MAX_CAP 32u /* iovecs captured (strace shows 32 with its default -s),
			    -s bytes of each */

enum { CAP_TRUNC = 2, CAP_FAULT = 4 };
/* ARGV's total count with this bit: the array has no NULL, its word at
   index total & ~ARGV_UNTERMINATED is unreadable (LIMEN_ARGV_UNTERMINATED
   in decode/decode.h) */
#define ARGV_UNTERMINATED 0x80000000u

/*
 * A failed call wrote nothing, with one exception strace shows: the sleeps
 * interrupted by a signal write the time left.
 */
static int skip_exit(const struct limen_sysent *se, long ret)
{
	if (!limen_is_err(ret))
		return 0;
	/* name_to_handle_at's EOVERFLOW writes the handle size needed */
	if (ret == -75 && se == &limen_sysent[LIMEN_NR_name_to_handle_at])
		return 0;
	return !(ret == -4 /* EINTR */ &&
		 (se == &limen_sysent[LIMEN_NR_nanosleep] ||
		  se == &limen_sysent[LIMEN_NR_clock_nanosleep]));
}

/*
 * What a failed call's exit keeps all the same: strace shows a failed
 * readv's (preadv's, process_vm_readv's) iovec array, read at exit, with
 * the bases as addresses: the array is captured without its data.
 */
static int kept_on_failure(const struct limen_argdesc *d)
{
	return d->type == LIMEN_AT_IOV && (d->dir & LIMEN_DIR_OUT);
}

static uint64_t min64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

#define IOCTL_BOUND 256u
#define FILE_HANDLE_BOUND (8u + 128u) /* header + MAX_HANDLE_SZ */
#define ARRAY_BYTES 65536u /* mmsghdr/iocb arrays: elements kept within */
#define ARRAY_MAX_CAP 32u
#define SPECIAL_BOUND 4096u
#define MSG_NAME_BOUND 128u
/* the head of a msghdr the call only writes (recvmsg), captured at entry:
   msg_name and msg_namelen, which the decoder shows before and after */
#define MSG_HEAD 16u
#define MSG_CTL_BOUND 256u

/* Direction of ioctl's argument for a command (1 in, 2 out, 3 both) and
 * its size, from tables/ioctl.tbl or the _IOC encoding; at most IOCTL_BOUND. */
static int ioctl_dir(uint64_t cmd, uint32_t *size)
{
	int dir = limen_ioctl_dir((uint32_t)cmd, size);

	if (*size > IOCTL_BOUND)
		*size = IOCTL_BOUND;
	return dir;
}

static int wants(const struct limen_sysent *se, const struct limen_argdesc *d,
		 const long *a, int at_exit)
{
	uint32_t size;

	if (d->type < LIMEN_AT_PATH)
		return 0;
	if (d->type == LIMEN_AT_IOCTL)
		return ioctl_dir((uint64_t)a[1], &size) &
		       (at_exit ? 2 : 1);
	/* no capture at all for the commands that take no struct: as the
	   quick records (quickrec.c) have none */
	if (se == &limen_sysent[LIMEN_NR_fcntl])
		return limen_fcntl_bytes(a, at_exit) != 0;
	/* recvmsg's msghdr at entry too: its name's length before the call
	   (cap_arg: MSG_HEAD bytes), which strace shows with the one after,
	   msg_namelen=28 => 0 */
	if (d->type == LIMEN_AT_MSGHDR && !at_exit)
		return 1;
	return at_exit ? (d->dir & LIMEN_DIR_OUT) : (d->dir & LIMEN_DIR_IN);
}

/* Bytes one captured msghdr may take (see cap_msghdr). */
static uint32_t msghdr_bound(void)
{
	return 56 + 8 + MSG_NAME_BOUND + 8 +
	       IOV_MAX_CAP * (24 + limen_rt.strsize + 8) + 8 + MSG_CTL_BOUND;
}

/* Bytes one io_submit iocb may take (see cap_iocbs). */
static uint32_t iocb_bound(void)
{
	uint32_t s = limen_rt.strsize, iov = 8 + IOV_MAX_CAP * (24 + s + 8);

	return 16 + 64 + 8 + (uint32_t)LIMEN_ALIGN8(s > iov ? s : iov);
}

/* Elements of an array of variable-size captures kept: bounded in count
   and in total bytes. */
static uint32_t array_cap(uint64_t n, uint32_t each)
{
	uint32_t m = ARRAY_BYTES / each;

	if (!m)
		m = 1;
	if (m > ARRAY_MAX_CAP)
		m = ARRAY_MAX_CAP;
	return (uint32_t)min64(n, m);
}

/*
 * The end of a pointer array capture (mmsghdr, iocb): its header (u32
 * captured, u32 total), FAULT when not even the first element could be
 * read, TRUNC when fewer than cnt were taken. Returns the capture size.
 */
static uint32_t array_end(uint8_t *dst, uint32_t got, uint32_t want,
			  uint64_t cnt, uint32_t off, uint8_t *flags)
{
	uint32_t total = (uint32_t)min64(cnt, UINT32_MAX);

	if (!got && want) {
		*flags |= CAP_FAULT;
		return 0;
	}
	if (got < cnt)
		*flags |= CAP_TRUNC;
	memcpy(dst, &got, 4);
	memcpy(dst + 4, &total, 4);
	return off;
}

/*
 * pselect6's sixth argument and io_pgetevents' struct __aio_sigset: the
 * signal mask's pointer and its size, which strace shows with the mask
 * ({sigmask=[INT USR1], sigsetsize=8}): captured as the 16 bytes, then
 * the 8 bytes of the mask when the pointer is not NULL and the size is
 * 8 (the one size the kernel takes, and strace prints) and they could be
 * read. A mask that could not be read is shown by its pointer.
 */
#define SIGPACK_BOUND 24u

int limen_is_sigpack(const struct limen_sysent *se)
{
	return se == &limen_sysent[LIMEN_NR_pselect6] ||
	       se == &limen_sysent[LIMEN_NR_io_pgetevents];
}

static uint32_t cap_sigpack(uint8_t *dst, uint64_t p, uint8_t *flags)
{
	uint64_t pack[2];

	if (limen_safe_read(pack, p, 16) != 16) {
		*flags |= CAP_FAULT;
		return 0;
	}
	memcpy(dst, pack, 16);
	if (pack[0] && pack[1] == 8 &&
	    limen_safe_read(dst + 16, pack[0], 8) == 8)
		return SIGPACK_BOUND;
	return 16;
}

/*
 * The irregular arguments (type special), by syscall: how many bytes the
 * kernel reads (at entry) or writes (at exit), exactly, or 0. One home for
 * both capture (which bounds it, special_len) and uaccess logging.
 *  mincore's vector: one byte per page of the range;
 *  prctl: see limen_prctl_special_bytes (special_prctl.c);
 *  seccomp: see limen_seccomp_special_bytes (special_prctl.c);
 *  arch_prctl ARCH_GET_FS / ARCH_GET_GS: the 8-byte base written;
 *  sched_setaffinity: the CPU mask, len bytes; sched_getaffinity: the
 *    return value (the kernel's mask size);
 *  set_mempolicy, get_mempolicy, mbind: the node mask of maxnode - 1 bits;
 *  io_submit: its array of iocb pointers (the iocbs: see uaccess.c);
 *  pselect6, io_pgetevents: the struct of the signal mask's pointer and
 *    size (the mask behind it: see limen_is_sigpack);
 *  fcntl: see limen_fcntl_bytes (rt.h);
 *  System V IPC: see special_ipc.c.
 */
uint64_t limen_special_bytes(const struct limen_sysent *se, unsigned i,
			     const long *a, long ret, int at_exit)
{
	if (se == &limen_sysent[LIMEN_NR_fcntl])
		return limen_fcntl_bytes(a, at_exit);
	if (se == &limen_sysent[LIMEN_NR_mincore])
		return at_exit ? ((uint64_t)a[1] + 4095) / 4096 : 0;
	if (se == &limen_sysent[LIMEN_NR_prctl])
		return limen_prctl_special_bytes(i, a, at_exit);
	if (se == &limen_sysent[LIMEN_NR_seccomp])
		return limen_seccomp_special_bytes(a, at_exit);
	if (se == &limen_sysent[LIMEN_NR_arch_prctl])
		return at_exit && (a[0] == 0x1003 || a[0] == 0x1004) ? 8 : 0;
	if (se == &limen_sysent[LIMEN_NR_sched_setaffinity])
		return at_exit ? 0 : (uint64_t)(uint32_t)a[1];
	if (se == &limen_sysent[LIMEN_NR_sched_getaffinity])
		return at_exit && ret > 0 ? (uint64_t)ret : 0;
	/* NUMA node masks: maxnode - 1 bits in unsigned longs */
	if (se == &limen_sysent[LIMEN_NR_set_mempolicy] ||
	    se == &limen_sysent[LIMEN_NR_get_mempolicy])
		return a[2] > 1 ? ((uint64_t)a[2] + 62) / 64 * 8 : 0;
	if (se == &limen_sysent[LIMEN_NR_mbind])
		return a[4] > 1 ? ((uint64_t)a[4] + 62) / 64 * 8 : 0;
	if (se == &limen_sysent[LIMEN_NR_io_submit])
		return at_exit || a[1] <= 0 ? 0 : 8 * (uint64_t)a[1];
	if (limen_is_sigpack(se))
		return at_exit ? 0 : 16;
	return limen_special_ipc_len(se, a, ret, at_exit);
}

/* What capture keeps of a special argument: bounded. */
static uint32_t special_len(const struct limen_sysent *se, unsigned i,
			    const long *a, long ret, int at_exit)
{
	uint64_t n = limen_special_bytes(se, i, a, ret, at_exit);

	if (se == &limen_sysent[LIMEN_NR_mincore])
		return (uint32_t)min64(n, limen_rt.strsize);
	/* CPU and node masks, whole (strace lists them, not the bytes) */
	if (se == &limen_sysent[LIMEN_NR_sched_setaffinity] ||
	    se == &limen_sysent[LIMEN_NR_sched_getaffinity] ||
	    se == &limen_sysent[LIMEN_NR_set_mempolicy] ||
	    se == &limen_sysent[LIMEN_NR_get_mempolicy] ||
	    se == &limen_sysent[LIMEN_NR_mbind])
		return (uint32_t)min64(n, 128);
	if (se == &limen_sysent[LIMEN_NR_io_submit])
		return at_exit || a[1] <= 0 ? 0 :
		       8 + array_cap((uint64_t)a[1], iocb_bound()) * iocb_bound();
	if (limen_is_sigpack(se))
		return n ? SIGPACK_BOUND : 0;
	return (uint32_t)min64(n, SPECIAL_BOUND);
}

/* Element count of an array argument, bounded. */
static uint64_t count_of(const struct limen_sysent *se,
			 const struct limen_argdesc *d, const long *a,
			 long ret, int at_exit)
{
	if (d->len_ret && at_exit)
		return ret < 0 ? 0 : (uint64_t)ret;
	if (d->len_arg >= 0) {
		uint32_t l32 = 0;

		/* getsockopt: the length is what *optlen says at exit */
		if (se->args[d->len_arg].type == LIMEN_AT_SOCKLEN)
			return limen_safe_read(&l32, (uint64_t)a[d->len_arg],
					       4) == 4 ? l32 : 0;
		return (uint64_t)a[d->len_arg];
	}
	return 1;
}

static uint32_t struct_bound(const struct limen_argdesc *d)
{
	if (d->xlat == LIMEN_ST_linux_dirent64 || d->xlat == LIMEN_ST_linux_dirent)
		return DIRENT_BOUND;
	return STRUCT_BOUND;
}

/*
 * The bytes one of execve's arrays (argv or envp) may take in the record.
 * A record must fit in half the ring (ring.c drops a larger one), which
 * the path (PATH_BOUND), execveat's -y descriptor (fdinfo.c, a sixteenth
 * of the ring at most) and the headers share: each array gets half of
 * the rest, about 900 KiB in the default 4 MiB ring, enough for every
 * string of the kernel's own limit (a quarter of the stack limit, 2 MiB
 * by default, for argv and envp together) at -s 32 in all but arrays of
 * tens of thousands of strings. An array that does not fit ends with
 * strace's "...".
 */
static uint32_t argv_budget(void)
{
	uint32_t r = limen_rt.geom.ring_bytes;
	uint32_t fixed = PATH_BOUND + r / 16 + 1024;

	return r / 2 > fixed + 16 ? (r / 2 - fixed) / 2 : 8;
}

/*
 * execve's argv or envp (argument i at p): the bytes the record is sized
 * for, every string up to -s bytes (s + 16 with its header and padding),
 * as many as the array holds, within argv_budget. The array is only
 * counted here: a string's real length is known once captured. cap_argv
 * writes no more than this, whatever the array holds by then.
 */
static uint32_t argv_size(long i, uint64_t p)
{
	uint64_t ptrs[ARGV_CHUNK];
	uint64_t each = limen_rt.strsize + 16, budget = argv_budget(), n = 0;

	for (;;) {
		long r = limen_safe_read(ptrs, p + 8 * n, sizeof(ptrs));
		uint32_t k, got = r > 0 ? (uint32_t)r / 8 : 0;

		for (k = 0; k < got && ptrs[k]; k++)
			;
		n += k;
		if (k < got || got < ARGV_CHUNK || 8 + n * each >= budget)
			break;
	}
	budget = min64(8 + n * each, budget);
	if (i >= 0 && i < 6)
		limen_tls.argv_sized[i] = (uint32_t)budget;
	return (uint32_t)budget;
}

static uint32_t bound_of(const struct limen_sysent *se,
			 const struct limen_argdesc *d, const long *a, long ret,
			 int at_exit)
{
	uint32_t s = limen_rt.strsize;

	switch (d->type) {
	case LIMEN_AT_PATH:
		return PATH_BOUND;
	case LIMEN_AT_STR:
		return s + 1;
	case LIMEN_AT_BUF:
		return (uint32_t)min64(count_of(se, d, a, ret, at_exit), s);
	case LIMEN_AT_STRUCT: {
		uint64_t n = count_of(se, d, a, ret, at_exit) * d->size;

		if (d->xlat == LIMEN_ST_mmsghdr) {
			n = count_of(se, d, a, ret, at_exit);
			return 8 + array_cap(n, 8 + msghdr_bound()) *
				   (8 + msghdr_bound());
		}
		if (d->xlat == LIMEN_ST_file_handle)
			return FILE_HANDLE_BOUND;
		return (uint32_t)min64(n, struct_bound(d));
	}
	case LIMEN_AT_SIGSET:
		return (uint32_t)min64((uint64_t)a[d->len_arg], 128);
	case LIMEN_AT_SOCKADDR:
	case LIMEN_AT_FDSET:
		return SOCKADDR_BOUND;
	case LIMEN_AT_SOCKLEN:
		return 4;
	case LIMEN_AT_ARGV:
		return argv_size(d - se->args, (uint64_t)a[d - se->args]);
	case LIMEN_AT_IOV:
		return 8 + IOV_MAX_CAP * (24 + s + 8);
	case LIMEN_AT_MSGHDR:
		return msghdr_bound();
	case LIMEN_AT_IOCTL:
		return IOCTL_BOUND;
	case LIMEN_AT_SPECIAL:
		return special_len(se, (unsigned)(d - se->args), a, ret,
				   at_exit);
	}
	return 0;
}

uint32_t limen_capture_bound(const struct limen_sysent *se, const long *a,
			     long ret, int at_exit)
{
	uint32_t sum = 0;
	unsigned i;
	int failed = at_exit && skip_exit(se, ret);

	for (i = 0; i < se->nargs; i++) {
		const struct limen_argdesc *d = &se->args[i];

		if (!wants(se, d, a, at_exit) || !a[i] ||
		    (failed && !kept_on_failure(d)))
			continue;
		sum += sizeof(struct limen_cap) + bound_of(se, d, a, ret, at_exit) +
		       8;
	}
	return sum;
}

static uint32_t cap_string_at(uint8_t *dst, uint64_t src, uint32_t max,
			      uint8_t *flags, int *unreadable);

/*
 * An argument that is one string (a path, -s's strings): one that turns
 * unreadable before its NUL, within the max + 1 bytes read, is shown by
 * its address, as strace shows it (its umovestr of that many bytes
 * fails), and as one unreadable from its first byte; the kernel gives
 * EFAULT for such a path.
 */
static uint32_t cap_arg_string(uint8_t *dst, uint64_t src, uint32_t max,
			       uint8_t *flags)
{
	int unreadable = 0;
	uint8_t f = 0;
	uint32_t n = cap_string_at(dst, src, max, &f, &unreadable);

	if (unreadable) {
		memset(dst, 0, n);
		n = 0;
		f = CAP_FAULT;
	}
	*flags |= f;
	return n;
}

static uint32_t cap_string_at(uint8_t *dst, uint64_t src, uint32_t max,
			      uint8_t *flags, int *unreadable)
{
	uint32_t got = 0, want;
	long r;

	/* Most strings are short: read a little first, then four times as
	   much each time the NUL is not there yet. Whatever is read past the
	   NUL is zeroed again (the ring's contract, above), so a first read
	   of 256 bytes for a 14-byte path cost a copy and a clear of 240
	   bytes per call; 64 holds most paths. */
	want = max + 1 < STR_FIRST ? max + 1 : STR_FIRST;
	while (got < max + 1) {
		uint32_t i, n = want - got;
		uint64_t to_page = STR_PAGE - ((src + got) & (STR_PAGE - 1));

		/* no read across a page boundary: a string that ends just
		   before an unmapped page (the environment and the exec's
		   path end at the top of the stack, read at every start) is
		   read without a fault and its SIGSEGV round trip */
		if (n > to_page)
			n = (uint32_t)to_page;
		r = limen_safe_read(dst + got, src + got, n);
		if (r <= 0) {
			*flags |= got ? CAP_TRUNC : CAP_FAULT;
			*unreadable = 1;
			break;
		}
		for (i = got; i < got + (uint32_t)r; i++) {
			if (!dst[i]) {
				memset(dst + i, 0, got + r - i);
				return i;
			}
		}
		got += (uint32_t)r;
		if ((uint32_t)r < n) {
			*flags |= CAP_TRUNC; /* the rest is unmapped */
			*unreadable = 1;
			break;
		}
		if (got == want)
			want = want * 4 < max + 1 ? want * 4 : max + 1;
	}
	if (got > max) {
		memset(dst + max, 0, got - max);
		got = max;
		*flags |= CAP_TRUNC;
	}
	return got;
}

static uint32_t cap_bytes(uint8_t *dst, uint64_t src, uint64_t n, uint32_t max,
			  uint8_t *flags)
{
	uint32_t want = (uint32_t)min64(n, max);
	long r;

	if (n > max)
		*flags |= CAP_TRUNC;
	if (!want)
		return 0;
	r = limen_safe_read(dst, src, want);
	if (r < 0) {
		*flags |= CAP_FAULT;
		return 0;
	}
	if ((uint32_t)r < want)
		*flags |= CAP_TRUNC;
	return (uint32_t)r;
}

/* execve's argv/envp: see the ARGV encoding in decode/decode.h. */
/*
 * The strings of argv and envp lie one after the other (the kernel puts
 * them so, and so do most programs that build an environment): they are
 * read a block at a time, each string taken from the block when it holds
 * the string's end (or max + 1 of its bytes), as cap_string would have
 * read it; else read alone. In a vfork child every read of the program's
 * memory is a process_vm_readv (safe.c): an execve of a shell's command
 * read each of its 40-odd variables with one.
 */
#define ARGV_BLOCK 512u

struct argv_block {
	uint64_t at;      /* the program's address of b[0] */
	uint32_t len;     /* bytes read there */
	uint8_t b[ARGV_BLOCK];
};

/* src's string from k, as cap_string gives it; 0 with *done 0: not
   there whole */
static uint32_t from_block(const struct argv_block *k, uint8_t *dst,
			   uint64_t src, uint32_t max, uint8_t *flags,
			   int *done)
{
	uint64_t from = src - k->at, avail;

	*done = 0;
	if (src < k->at || from >= k->len)
		return 0;
	avail = k->len - from;
	for (uint64_t i = 0; i < avail && i <= max; i++)
		if (!k->b[from + i]) {
			memcpy(dst, k->b + from, i);
			dst[i] = 0;
			*done = 1;
			return (uint32_t)i;
		}
	if (avail < (uint64_t)max + 1)
		return 0;
	memcpy(dst, k->b + from, max); /* no NUL in max + 1 bytes */
	dst[max] = 0;
	*flags |= CAP_TRUNC;
	*done = 1;
	return max;
}

/*
 * One string of argv or envp. One that turns unreadable before its NUL,
 * within the max + 1 bytes read, is kept as its pointer (8 bytes,
 * CAP_FAULT), as strace shows it: its umovestr of that many bytes fails.
 */
static uint32_t cap_argv_string(uint8_t *dst, uint64_t src, uint32_t max,
				uint8_t *flags, struct argv_block *k)
{
	uint32_t len;
	uint64_t to_page;
	long r;
	int done, unreadable = 0;

	len = from_block(k, dst, src, max, flags, &done);
	if (done)
		return len;
	/* a block from src, to its page's end at most (as cap_string_at) */
	to_page = STR_PAGE - (src & (STR_PAGE - 1));
	r = src ? limen_safe_read(k->b, src,
				  to_page < ARGV_BLOCK ? to_page : ARGV_BLOCK) :
		  -EFAULT;
	k->at = src;
	k->len = r > 0 ? (uint32_t)r : 0;
	len = from_block(k, dst, src, max, flags, &done);
	if (done)
		return len;
	len = cap_string_at(dst, src, max, flags, &unreadable);
	if (!unreadable)
		return len;
	memset(dst, 0, len);
	memcpy(dst, &src, 8);
	*flags = CAP_FAULT;
	return 8;
}

/*
 * The entries of the array at src from index `from` on, up to its NULL or
 * its first unreadable word (then | ARGV_UNTERMINATED), as strace counts
 * them for its "N vars" comment, however many there are.
 */
static uint32_t argv_count(uint64_t src, uint32_t from, uint64_t *ptrs,
			   uint32_t room)
{
	for (uint32_t n = from;;) {
		long r = limen_safe_read(ptrs, src + n * 8ull, room * 8);
		uint32_t i, got = r > 0 ? (uint32_t)r / 8 : 0;

		for (i = 0; i < got && ptrs[i]; i++)
			;
		n += i;
		if (i < got)
			return n;
		if (got < room || n >= ARGV_UNTERMINATED - room)
			return n | ARGV_UNTERMINATED;
	}
}

/*
 * Every string of the array, as strace reads them (-s bytes and its NUL
 * each), in the max bytes the record was sized for (argv_size): from the
 * first string that does not fit whole (to -s) on, the rest are only
 * counted, and the decoder ends the list with strace's "...". The
 * pointers are read ARGV_CHUNK at a time.
 */
static uint32_t cap_argv(uint8_t *dst, uint64_t src, uint32_t max,
			 uint8_t *flags)
{
	struct argv_block blk = { .at = 0, .len = 0 };
	uint64_t ptrs[ARGV_CHUNK];
	uint32_t n = 0, total, off = 8, base, k, got;
	uint32_t s = limen_rt.strsize;

	for (base = 0;; base += got) {
		long r = limen_safe_read(ptrs, src + 8ull * base, sizeof(ptrs));

		got = r > 0 ? (uint32_t)r / 8 : 0;
		if (!got && !base) {
			*flags |= CAP_FAULT;
			return 0;
		}
		for (k = 0; k < got && ptrs[k]; k++) {
			uint8_t f = 0;
			uint32_t len, room;

			if (off + 17 > max)
				break;
			/* the string's bytes that fit, -s at most, with the
			   byte past them its read touches; 8 at least (an
			   unreadable one's pointer) */
			room = (max - off - 9) & ~3u;
			len = cap_argv_string(dst + off + 8, ptrs[k],
					      room < s ? room : s, &f, &blk);
			if ((f & CAP_TRUNC) && len < s && room < s) {
				/* cut by the room left, not by -s: not
				   kept, the rest only counted */
				memset(dst + off + 8, 0, len);
				break;
			}
			memcpy(dst + off, &len, 4);
			memcpy(dst + off + 4,
			       &(uint32_t){ f & (CAP_TRUNC | CAP_FAULT) }, 4);
			off += 8 + ((len + 3) & ~3u);
			n++;
		}
		if (k < got && ptrs[k]) {
			/* no room for more: the rest counted (ptrs is
			   free now) */
			total = argv_count(src, base + k, ptrs, ARGV_CHUNK);
			break;
		}
		if (k < got) {
			total = base + k;
			break;
		}
		if (got < ARGV_CHUNK || base + got >= ARGV_UNTERMINATED - got) {
			/* no NULL before an unreadable word */
			total = (base + got) | ARGV_UNTERMINATED;
			break;
		}
	}
	memcpy(dst, &n, 4);
	memcpy(dst + 4, &total, 4);
	return off;
}

static uint32_t cap_iov(uint8_t *dst, uint64_t src, uint64_t cnt, long ret,
			int at_exit, uint8_t *flags)
{
	uint64_t iov[2 * IOV_MAX_CAP];
	/* at exit the data the call moved: none when it failed */
	uint64_t data_left = !at_exit ? UINT64_MAX : ret < 0 ? 0 : (uint64_t)ret;
	uint32_t n = (uint32_t)min64(cnt, IOV_MAX_CAP), off = 8;

	if (n && limen_safe_read(iov, src, n * 16) != (long)n * 16) {
		*flags |= CAP_FAULT;
		return 0;
	}
	for (uint32_t i = 0; i < n; i++) {
		uint64_t l = min64(iov[2 * i + 1], data_left);
		uint8_t f = 0;
		uint32_t c = cap_bytes(dst + off + 24, iov[2 * i], l,
				       limen_rt.strsize, &f);

		memcpy(dst + off, &iov[2 * i], 16);
		memcpy(dst + off + 16, &c, 4);
		memset(dst + off + 20, 0, 4);
		memset(dst + off + 24 + c, 0, LIMEN_ALIGN8(c) - c);
		off += 24 + (uint32_t)LIMEN_ALIGN8(c);
		data_left -= l;
	}
	memcpy(dst, &n, 4);
	memset(dst + 4, 0, 4);
	if (cnt > n)
		*flags |= CAP_TRUNC;
	return off;
}

/* struct user_msghdr: see the MSGHDR encoding in decode/decode.h */
static uint32_t cap_msghdr(uint8_t *dst, uint64_t p, long ret, int at_exit,
			   uint8_t *flags)
{
	struct {
		uint64_t name;
		uint32_t namelen, pad;
		uint64_t iov, iovlen, control, controllen;
		uint32_t mflags, pad2;
	} m;
	uint32_t off = 56, len;
	uint8_t f = 0;

	if (limen_safe_read(&m, p, sizeof(m)) != sizeof(m)) {
		*flags |= CAP_FAULT;
		return 0;
	}
	memcpy(dst, &m, 56);
	len = m.name ? cap_bytes(dst + off + 8, m.name, m.namelen,
				 MSG_NAME_BOUND, &f) : 0;
	memcpy(dst + off, &len, 4);
	memset(dst + off + 4, 0, 4);
	memset(dst + off + 8 + len, 0, LIMEN_ALIGN8(len) - len);
	off += 8 + (uint32_t)LIMEN_ALIGN8(len);
	off += cap_iov(dst + off, m.iov, m.iovlen, ret, at_exit, flags);
	f = 0;
	len = m.control ? cap_bytes(dst + off + 8, m.control, m.controllen,
				    MSG_CTL_BOUND, &f) : 0;
	memcpy(dst + off, &len, 4);
	memset(dst + off + 4, 0, 4);
	memset(dst + off + 8 + len, 0, LIMEN_ALIGN8(len) - len);
	off += 8 + (uint32_t)LIMEN_ALIGN8(len);
	return off;
}

/*
 * sendmmsg/recvmmsg at exit: the first `ret` struct mmsghdr, each as its
 * msg_len and a MSGHDR capture whose data is bounded by msg_len (see the
 * mmsghdr encoding in decode/decode.h).
 */
static uint32_t cap_mmsg(uint8_t *dst, uint64_t p, uint64_t cnt,
			 uint8_t *flags)
{
	uint32_t n = array_cap(cnt, 8 + msghdr_bound()), off = 8, i;

	for (i = 0; i < n; i++) {
		uint64_t e = p + 64 * (uint64_t)i;
		uint32_t mlen, len;
		uint8_t f = 0;

		if (limen_safe_read(&mlen, e + 56, 4) != 4)
			break;
		len = cap_msghdr(dst + off + 8, e, (long)mlen, 1, &f);
		if (f & CAP_FAULT)
			break;
		memcpy(dst + off, &mlen, 4);
		memcpy(dst + off + 4, &len, 4);
		memset(dst + off + 8 + len, 0, LIMEN_ALIGN8(len) - len);
		off += 8 + (uint32_t)LIMEN_ALIGN8(len);
	}
	return array_end(dst, i, n, cnt, off, flags);
}

/*
 * io_submit's array of iocb pointers, each iocb with what its buffer
 * holds at entry (see the io_submit encoding in decode/decode.h).
 */
static uint32_t cap_iocbs(uint8_t *dst, uint64_t p, uint64_t cnt,
			  uint8_t *flags)
{
	uint32_t n = array_cap(cnt, iocb_bound()), off = 8, i;

	for (i = 0; i < n; i++) {
		uint64_t ptr, buf, nbytes;
		uint16_t op;
		uint32_t fl = 0, len = 0, dl = 0;
		uint8_t *e = dst + off;
		uint8_t f = 0;

		if (limen_safe_read(&ptr, p + 8 * (uint64_t)i, 8) != 8)
			break;
		memcpy(e, &ptr, 8);
		if (limen_safe_read(e + 16, ptr, 64) != 64) {
			fl = CAP_FAULT;
		} else {
			len = 64;
			memcpy(&op, e + 16 + 16, 2);
			memcpy(&buf, e + 16 + 24, 8);
			memcpy(&nbytes, e + 16 + 32, 8);
			if (op == 1) /* IOCB_CMD_PWRITE */
				dl = cap_bytes(e + 16 + 72, buf, nbytes,
					       limen_rt.strsize, &f);
			else if (op == 7 || op == 8) /* PREADV, PWRITEV */
				dl = cap_iov(e + 16 + 72, buf, nbytes, 0, 0, &f);
			memcpy(e + 16 + 64, &dl, 4);
			memcpy(e + 16 + 68, &(uint32_t){ f }, 4);
			memset(e + 16 + 72 + dl, 0, LIMEN_ALIGN8(dl) - dl);
			len = 72 + (uint32_t)LIMEN_ALIGN8(dl);
		}
		memcpy(e + 8, &len, 4);
		memcpy(e + 12, &fl, 4);
		off += 16 + len;
	}
	return array_end(dst, i, n, cnt, off, flags);
}

/* struct file_handle: the header, then handle_bytes (bounded) of f_handle */
static uint32_t cap_file_handle(uint8_t *dst, uint64_t p, uint8_t *flags)
{
	uint32_t hb;

	if (limen_safe_read(&hb, p, 4) != 4) {
		*flags |= CAP_FAULT;
		return 0;
	}
	return cap_bytes(dst, p, 8 + (uint64_t)hb, FILE_HANDLE_BOUND, flags);
}

/* perf_event_attr: its own size field says how much the kernel reads
   (0: PERF_ATTR_SIZE_VER0, 64) */
static uint32_t cap_perf_attr(uint8_t *dst, uint64_t p, uint32_t max,
			      uint8_t *flags)
{
	uint32_t size;

	if (limen_safe_read(&size, p + 4, 4) != 4) {
		*flags |= CAP_FAULT;
		return 0;
	}
	if (size < 64)
		size = 64;
	return cap_bytes(dst, p, size, max, flags);
}

static uint32_t cap_one(uint8_t *dst, const struct limen_sysent *se,
			const struct limen_argdesc *d, const long *a, long ret,
			int at_exit, uint64_t p, uint8_t *flags)
{
	uint32_t s = limen_rt.strsize;

	switch (d->type) {
	case LIMEN_AT_PATH: {
		uint32_t n = cap_arg_string(dst, p, PATH_BOUND - 1, flags);

		/* the call's hooks read it from here (peek.c) */
		if (!at_exit)
			limen_peek_note(p, (const char *)dst, n,
					!!(*flags & CAP_TRUNC),
					!!(*flags & CAP_FAULT));
		return n;
	}
	case LIMEN_AT_STR:
		return cap_arg_string(dst, p, s, flags);
	case LIMEN_AT_BUF:
		return cap_bytes(dst, p, count_of(se, d, a, ret, at_exit), s,
				 flags);
	case LIMEN_AT_STRUCT:
		if (d->xlat == LIMEN_ST_mmsghdr)
			return cap_mmsg(dst, p, count_of(se, d, a, ret, at_exit),
					flags);
		if (d->xlat == LIMEN_ST_file_handle)
			return cap_file_handle(dst, p, flags);
		if (d->xlat == LIMEN_ST_perf_event_attr)
			return cap_perf_attr(dst, p, d->size, flags);
		return cap_bytes(dst, p, count_of(se, d, a, ret, at_exit) * d->size,
				 struct_bound(d), flags);
	case LIMEN_AT_SIGSET:
		return cap_bytes(dst, p, (uint64_t)a[d->len_arg], 128, flags);
	case LIMEN_AT_SOCKADDR: {
		uint64_t len = (uint64_t)a[d->len_arg];

		if (d->dir == LIMEN_DIR_OUT) {
			uint32_t l32 = 0;

			if (!len || limen_safe_read(&l32, len, 4) != 4)
				return 0;
			len = l32;
		}
		return cap_bytes(dst, p, len, SOCKADDR_BOUND, flags);
	}
	case LIMEN_AT_SOCKLEN:
		return cap_bytes(dst, p, 4, 4, flags);
	case LIMEN_AT_FDSET:
		return cap_bytes(dst, p, ((uint64_t)a[d->len_arg] + 7) / 8,
				 SOCKADDR_BOUND, flags);
	case LIMEN_AT_ARGV:
		return cap_argv(dst, p, limen_tls.argv_sized[d - se->args],
				flags);
	case LIMEN_AT_IOV:
		return cap_iov(dst, p, (uint64_t)a[d->len_arg], ret, at_exit,
			       flags);
	case LIMEN_AT_MSGHDR:
		if (!at_exit && !(d->dir & LIMEN_DIR_IN))
			return cap_bytes(dst, p, MSG_HEAD, MSG_HEAD, flags);
		return cap_msghdr(dst, p, ret, at_exit, flags);
	case LIMEN_AT_IOCTL: {
		uint32_t size;

		ioctl_dir((uint64_t)a[1], &size);
		return cap_bytes(dst, p, size, IOCTL_BOUND, flags);
	}
	case LIMEN_AT_SPECIAL:
		if (se == &limen_sysent[LIMEN_NR_io_submit])
			return at_exit || a[1] <= 0 ? 0 :
			       cap_iocbs(dst, p, (uint64_t)a[1], flags);
		if (limen_is_sigpack(se))
			return at_exit ? 0 : cap_sigpack(dst, p, flags);
		return cap_bytes(dst, p, special_len(se,
						     (unsigned)(d - se->args),
						     a, ret, at_exit),
				 SPECIAL_BOUND, flags);
	}
	return 0;
}

uint32_t limen_capture(uint8_t *dst, const struct limen_sysent *se,
		       const long *a, long ret, int at_exit, uint32_t *ncap)
{
	uint32_t off = 0;
	unsigned i;
	int failed = at_exit && skip_exit(se, ret);

	*ncap = 0;
	for (i = 0; i < se->nargs; i++) {
		const struct limen_argdesc *d = &se->args[i];
		struct limen_cap *c = (struct limen_cap *)(dst + off);
		uint8_t flags = 0;
		uint32_t len;

		if (!wants(se, d, a, at_exit) || !a[i] ||
		    (failed && !kept_on_failure(d)))
			continue;
		len = cap_one(dst + off + sizeof(*c), se, d, a, ret, at_exit,
			      (uint64_t)a[i], &flags);
		c->arg = (uint8_t)i;
		c->flags = flags;
		c->pad = 0;
		c->len = len;
		/* zero the alignment padding: it is part of the record */
		memset(dst + off + sizeof(*c) + len, 0,
		       LIMEN_ALIGN8(len) - len);
		off += sizeof(*c) + (uint32_t)LIMEN_ALIGN8(len);
		(*ncap)++;
	}
	return off;
}
