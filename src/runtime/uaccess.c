/* SPDX-License-Identifier: MIT */
/*
 * uaccess logging: the ABI of the Linux series "kernel: introduce uaccess
 * logging" (v4, never merged; include/limen/uaccess.h) in user space. A
 * thread registers a slot with prctl(63, &slot, 0, 0, 0); when the slot
 * holds the address of a descriptor at a system call's entry, the slot is
 * cleared and, at the call's exit, one entry per range of user memory the
 * kernel read or wrote is written to the descriptor's buffer.
 *
 * The ranges come from the syscall table's memory-effect rules (the same
 * rules capture.c copies by), made exact where capture bounds them, plus
 * the accesses the table does not describe as arguments: the socklen a
 * sockaddr's length comes from, the fields of a msghdr the kernel reads and
 * writes one by one, futex words, the strings behind execve's vectors.
 * Reads are listed first, in argument order, then writes: the kernel copies
 * its inputs in before it works and its results out after.
 *
 * Speed: the slot, the descriptor and the entry buffer are read and written
 * with plain loads and stores once a process_vm_readv/writev has proven
 * their pages readable or writable; any call that may change the address
 * space (munmap, mprotect, mremap, mmap, shmdt, brk, ...) makes every thread
 * prove them again (ua_gen), so a bad pointer is an error for the program,
 * never a SIGSEGV in limen. A proof holds for the program's PKRU it was
 * made with (ua_pkru): a `wrpkru` (no call) that write-disables the key
 * of the log's pages made limen's plain stores fault (pkey_key0.t).
 */
#include <errno.h>
#include <signal.h>
#include <sys/syscall.h>

#include "raw.h"
#include "rt.h"
#include "pkru.h"
#include "limen/uaccess.h"

#define PAGE 4096ull
#define PAGE_DOWN(x) ((x) & ~(PAGE - 1))
#define PAGE_UP(x) (((x) + PAGE - 1) & ~(PAGE - 1))
#define PATH_MAX_ 4096u
#define ARG_MAX_ENTRIES 4096u  /* execve vector strings logged at most */
#define TASK_SIZE_MAX 0x00007ffffffff000ull

/* bumped whenever the address space may have changed */
static uint32_t ua_gen = 1;

/* This thread's proofs hold: the address space and the program's PKRU
   are those they were made with. */
static int proofs_hold(uint32_t g)
{
	return limen_tls.ua_gen == g && limen_tls.ua_pkru == limen_pkru_prog();
}

/* Proven-writable pages of this thread (desc, entries), valid at gen. */
static int proven(uint64_t p, uint64_t n, int which)
{
	return p >= limen_tls.ua_lo[which] && p + n <= limen_tls.ua_hi[which] &&
	       p + n >= p &&
	       proofs_hold(__atomic_load_n(&ua_gen, __ATOMIC_RELAXED));
}

static void prove(uint64_t p, uint64_t n, int which)
{
	uint32_t g = __atomic_load_n(&ua_gen, __ATOMIC_RELAXED);

	if (!proofs_hold(g)) {
		limen_tls.ua_gen = g;
		limen_tls.ua_pkru = limen_pkru_prog();
		for (int i = 0; i < 2; i++)
			limen_tls.ua_lo[i] = limen_tls.ua_hi[i] = 0;
		limen_tls.ua_slot_ok = 0;
	}
	/* grow a range that touches the one proven: an entry buffer is
	   proven batch by batch */
	if (limen_tls.ua_hi[which] > limen_tls.ua_lo[which] &&
	    p <= limen_tls.ua_hi[which] && p + n >= limen_tls.ua_lo[which]) {
		if (PAGE_DOWN(p) < limen_tls.ua_lo[which])
			limen_tls.ua_lo[which] = PAGE_DOWN(p);
		if (PAGE_UP(p + n) > limen_tls.ua_hi[which])
			limen_tls.ua_hi[which] = PAGE_UP(p + n);
		return;
	}
	limen_tls.ua_lo[which] = PAGE_DOWN(p);
	limen_tls.ua_hi[which] = PAGE_UP(p + n);
}

/* Write n bytes of the program's memory; returns bytes written. */
static uint64_t ua_write(uint64_t dst, const void *src, uint64_t n, int which)
{
	long r;

	if (proven(dst, n, which)) {
		memcpy((void *)(uintptr_t)dst, src, n);
		return n;
	}
	r = limen_put_user(dst, src, n);
	if (r == (long)n)
		prove(dst, n, which);
	return r < 0 ? 0 : (uint64_t)r;
}

/*
 * The slot: read it and, when armed, clear it. 0 when not armed or not
 * readable (the series: a slot that cannot be read disables the log).
 */
static uint64_t slot_take(void)
{
	uint64_t s = limen_tls.ua_slot, v = 0, zero = 0;
	uint32_t g = __atomic_load_n(&ua_gen, __ATOMIC_RELAXED);

	if (limen_tls.ua_slot_ok && proofs_hold(g)) {
		v = *(volatile uint64_t *)(uintptr_t)s;
		if (!v)
			return 0;
		if (limen_tls.ua_slot_ok == 2) {
			*(volatile uint64_t *)(uintptr_t)s = 0;
			return v;
		}
	} else {
		if (limen_safe_read(&v, s, 8) != 8)
			return 0;
		if (!proofs_hold(g))
			prove(0, 0, 0);
		limen_tls.ua_slot_ok = 1;
		if (!v)
			return 0;
	}
	if (limen_put_user(s, &zero, 8) != 8)
		return 0;
	limen_tls.ua_slot_ok = 2;
	return v;
}

long limen_ua_prctl(const long *a)
{
	uint64_t p = (uint64_t)a[1];

	/* plain limen trace is transparent: EINVAL, as a stock kernel */
	if (!limen_rt.ctl || !(limen_rt.ctl->flags & LIMEN_CTL_UACCESS_ABI))
		return -EINVAL;
	if (a[2] || a[3] || a[4])
		return -EINVAL;
	/* access_ok: the kernel refuses what can never be user memory */
	if (p >= TASK_SIZE_MAX)
		return p ? -EFAULT : (limen_tls.ua_slot = 0, 0);
	limen_tls.ua_slot = p;
	limen_tls.ua_slot_ok = 0;
	return 0;
}

/* The address space's generation, for nested_sud.c's selector. */
uint32_t limen_map_gen(void)
{
	return __atomic_load_n(&ua_gen, __ATOMIC_RELAXED);
}

/* Calls after which a pointer proven good may no longer be. */
static int changes_maps(long nr)
{
	switch (nr) {
	case SYS_munmap: case SYS_mprotect: case SYS_mremap: case SYS_mmap:
	case SYS_brk: case SYS_shmdt: case SYS_shmat: case SYS_pkey_mprotect:
	case SYS_madvise: case SYS_remap_file_pages: case SYS_io_destroy:
	case SYS_process_madvise: case SYS_userfaultfd: case SYS_ioctl:
		return 1;
	}
	return 0;
}

/* lean.c: such calls always enter the runtime */
int limen_ua_changes_maps(long nr)
{
	return changes_maps(nr);
}

void limen_ua_mapped(long nr, long ret)
{
	if (!limen_is_err(ret) && changes_maps(nr))
		__atomic_add_fetch(&ua_gen, 1, __ATOMIC_RELAXED);
}

/* ---- the ranges of one call ---------------------------------------- */

struct walk {
	struct limen_ua_call *c;
	void (*emit)(struct walk *w, uint64_t addr, uint64_t size, int wr);
	void *ctx;
};

static void out(struct walk *w, uint64_t addr, uint64_t size, int wr)
{
	if (addr && size)
		w->emit(w, addr, size, wr);
}

/* strlen + 1 of a string the kernel copies whole (strncpy_from_user):
   up to max bytes; what could be read when it runs into unmapped memory */
static uint64_t ustrlen(uint64_t p, uint64_t max)
{
	char b[256];
	uint64_t n = 0;

	while (n < max) {
		uint64_t want = PAGE - ((p + n) & (PAGE - 1));
		long r;

		if (want > sizeof(b))
			want = sizeof(b);
		if (want > max - n)
			want = max - n;
		r = limen_safe_read(b, p + n, want);
		if (r <= 0)
			return n;
		for (long i = 0; i < r; i++)
			if (!b[i])
				return n + (uint64_t)i + 1;
		n += (uint64_t)r;
	}
	return max;
}

static uint64_t rd64(uint64_t p)
{
	uint64_t v = 0;

	limen_safe_read(&v, p, 8);
	return v;
}

static uint32_t rd32(uint64_t p)
{
	uint32_t v = 0;

	limen_safe_read(&v, p, 4);
	return v;
}

/*
 * iovec array and the data it covers, `left` bytes of it. The kernel takes
 * the whole array in before it moves any data: once the call succeeded,
 * and nothing changed the address space since its entry (ua_gen), the array
 * is readable and read in place; otherwise by process_vm_readv, 64 iovecs
 * at a time.
 */
static void iov(struct walk *w, uint64_t p, uint64_t cnt, uint64_t left,
		int wr, int array)
{
	uint64_t v[2 * 64];
	const uint64_t *src;

	if (array)
		out(w, p, cnt * 16, 0);
	for (uint64_t i = 0; i < cnt && left; i += 64) {
		uint64_t k = cnt - i < 64 ? cnt - i : 64;

		if (w->c->inplace &&
		    w->c->gen == __atomic_load_n(&ua_gen, __ATOMIC_RELAXED)) {
			src = (const uint64_t *)(uintptr_t)(p + 16 * i);
		} else {
			long got = limen_safe_read(v, p + 16 * i, k * 16);

			if (got <= 0)
				return;
			if ((uint64_t)got < k * 16)
				cnt = i + (uint64_t)got / 16;
			k = (uint64_t)got / 16;
			src = v;
		}
		for (uint64_t j = 0; j < k && left; j++) {
			uint64_t len = src[2 * j + 1] < left ? src[2 * j + 1] :
							       left;

			out(w, src[2 * j], len, wr);
			left -= len;
		}
	}
}

/* A string argument the call read: in place when it succeeded (it read
   the string through its NUL) and the address space is as it was. */
static uint64_t wstrlen(struct walk *w, uint64_t p)
{
	const char *s = (const char *)(uintptr_t)p;
	uint64_t n = 0;

	if (!w->c->inplace ||
	    w->c->gen != __atomic_load_n(&ua_gen, __ATOMIC_RELAXED))
		return ustrlen(p, PATH_MAX_);
	while (n < PATH_MAX_ && s[n])
		n++;
	return n < PATH_MAX_ ? n + 1 : n;
}

/* execve's argv/envp: the pointers up to NULL, each string */
static void argv(struct walk *w, uint64_t p)
{
	uint64_t i;

	for (i = 0; i < ARG_MAX_ENTRIES; i++) {
		uint64_t s = 0;

		if (limen_safe_read(&s, p + 8 * i, 8) != 8)
			break;
		out(w, p + 8 * i, 8, 0);
		if (!s)
			break;
		out(w, s, ustrlen(s, 32u << 10), 0);
	}
}

/* struct user_msghdr: the kernel reads it whole, then its parts */
static void msghdr_rd(struct walk *w, uint64_t p, long ret, int out_data)
{
	uint64_t iovp = rd64(p + 16), iovlen = rd64(p + 24);

	out(w, p, 56, 0);
	out(w, iovp, iovlen * 16, 0);
	if (!out_data) {
		out(w, rd64(p), rd32(p + 8), 0);
		iov(w, iovp, iovlen, ret < 0 ? 0 : (uint64_t)ret, 0, 0);
		out(w, rd64(p + 32), rd64(p + 40), 0);
	}
}

/* recvmsg's writes, in the kernel's order: the data and the control
   messages as they arrive, then the name and msg_namelen (when there is a
   name), msg_flags and msg_controllen (always: ____sys_recvmsg) */
static void msghdr_wr(struct walk *w, uint64_t p, long ret, uint32_t namelen)
{
	uint32_t got = rd32(p + 8);

	iov(w, rd64(p + 16), rd64(p + 24), (uint64_t)ret, 1, 0);
	if (rd64(p + 32))
		out(w, rd64(p + 32), rd64(p + 40), 1);
	if (rd64(p)) {
		out(w, rd64(p), got < namelen ? got : namelen, 1);
		out(w, p + 8, 4, 1);
	}
	out(w, p + 48, 4, 1);
	out(w, p + 40, 8, 1);
}

/*
 * getdents64, getdents: the kernel writes each record's fields and name
 * with its NUL, not the padding up to d_reclen (getdents: d_type is the
 * record's last byte, after the padding).
 */
static void dirents(struct walk *w, uint64_t p, long ret, int old)
{
	uint64_t off = 0, hdr = old ? 18 : 19;

	while (ret > 0 && off + hdr <= (uint64_t)ret) {
		uint16_t reclen = 0;

		if (limen_safe_read(&reclen, p + off + 16, 2) != 2 || !reclen)
			break;
		out(w, p + off, hdr + ustrlen(p + off + hdr, reclen - hdr), 1);
		if (old)
			out(w, p + off + reclen - 1, 1, 1);
		off += reclen;
	}
}

/* The timeout of select, pselect6 and ppoll, by argument index. */
static int timeout_arg(const struct limen_sysent *se, unsigned i)
{
	return (i == 4 && (se == &limen_sysent[LIMEN_NR_select] ||
			   se == &limen_sysent[LIMEN_NR_pselect6])) ||
	       (i == 2 && se == &limen_sysent[LIMEN_NR_ppoll]);
}

/*
 * siginfo: the kernel takes in only its own struct kernel_siginfo (48
 * bytes, the rest of the 128 is padding it does not read for the layouts
 * it knows); waitid writes six fields one by one (unsafe_put_user).
 * Returns 1 when handled here.
 */
#define KERNEL_SIGINFO 48
static int siginfo(struct walk *w, uint64_t p, int in, int outd,
		   const struct limen_sysent *se, int phase)
{
	static const uint8_t waitid_fields[] = { 0, 4, 8, 16, 20, 24 };

	if (in && !outd) {
		if (!phase)
			out(w, p, KERNEL_SIGINFO, 0);
		return 1;
	}
	if (se == &limen_sysent[LIMEN_NR_waitid]) {
		if (phase)
			for (unsigned i = 0; i < sizeof(waitid_fields); i++)
				out(w, p + waitid_fields[i], 4, 1);
		return 1;
	}
	return 0;
}

/* futex words: which commands touch uaddr, uaddr2 and the timeout */
static void futex(struct walk *w, const long *a, int phase)
{
	int cmd = (int)(a[1] & 0x7f);

	if (phase)
		return;
	switch (cmd) {
	case 0: case 9: /* WAIT, WAIT_BITSET */
	case 11:        /* WAIT_REQUEUE_PI */
		out(w, (uint64_t)a[0], 4, 0);
		out(w, (uint64_t)a[3], 16, 0);
		break;
	case 4: case 12: /* CMP_REQUEUE, CMP_REQUEUE_PI */
		out(w, (uint64_t)a[0], 4, 0);
		break;
	case 5: /* WAKE_OP: an atomic read-modify-write of uaddr2 */
		out(w, (uint64_t)a[4], 4, 0);
		out(w, (uint64_t)a[4], 4, 1);
		break;
	case 6: case 13: /* LOCK_PI, LOCK_PI2 */
		out(w, (uint64_t)a[0], 4, 0);
		out(w, (uint64_t)a[3], 16, 0);
		break;
	case 7: case 8: /* UNLOCK_PI, TRYLOCK_PI */
		out(w, (uint64_t)a[0], 4, 0);
		break;
	}
}

static uint64_t count_of(const struct limen_sysent *se,
			 const struct limen_argdesc *d, const long *a, long ret,
			 int at_exit)
{
	if (d->len_ret && at_exit)
		return ret < 0 ? 0 : (uint64_t)ret;
	if (d->len_arg >= 0)
		return (uint64_t)a[d->len_arg];
	return 1;
}

static int failed(const struct limen_sysent *se, long ret)
{
	if (!limen_is_err(ret))
		return 0;
	/* the sleeps interrupted by a signal write the time left;
	   name_to_handle_at's EOVERFLOW writes the size it needs */
	if (ret == -EINTR && (se == &limen_sysent[LIMEN_NR_nanosleep] ||
			      se == &limen_sysent[LIMEN_NR_clock_nanosleep]))
		return 0;
	if (ret == -EINVAL && se == &limen_sysent[LIMEN_NR_capget])
		return 0;
	return !(ret == -EOVERFLOW &&
		 se == &limen_sysent[LIMEN_NR_name_to_handle_at]);
}

/*
 * io_submit: each iocb pointer, then the iocb (64 bytes), into which the
 * kernel writes its aio_key back (put_user, 4 bytes at +8); then the data
 * of an IOCB_CMD_PREAD or PWRITE that completed during the call (a
 * buffered file, a pipe: the kernel runs them inline), as many bytes as
 * its completion event says, found in the context's ring (mapped in the
 * program's memory at ctx_id). One still in flight at the call's exit
 * touches its buffer later, outside any call: nothing is logged for it.
 * The iocbs submitted are the first ret.
 */
#define IOCB_CMD_PREAD_ 0
#define IOCB_CMD_PWRITE_ 1
#define AIO_RING_MAGIC_ 0xa10a10a1u
#define AIO_RING_SCAN 4096u

/* The result of the event for iocb cbp in the ring at ctx, or 0. */
static int64_t aio_res(uint64_t ctx, uint64_t cbp)
{
	uint32_t h[8];
	uint64_t ev[4];

	if (limen_safe_read(h, ctx, 32) != 32 || h[4] != AIO_RING_MAGIC_ ||
	    !h[1])
		return 0;
	/* head to tail, the events not yet reaped */
	for (uint32_t k = h[2] % h[1], n = 0; k != h[3] % h[1] &&
	     n < AIO_RING_SCAN; k = (k + 1) % h[1], n++) {
		if (limen_safe_read(ev, ctx + 32 + 32 * (uint64_t)k, 32) != 32)
			return 0;
		if (ev[1] == cbp)
			return (int64_t)ev[2];
	}
	return 0;
}

static void iocbs(struct walk *w, uint64_t p, const long *a, long ret,
		  int phase)
{
	long n = phase ? ret : a[1];

	for (long j = 0; j < n && j < 1024; j++) {
		uint64_t cbp = rd64(p + 8 * (uint64_t)j), cb[8];
		uint16_t op;
		int64_t res;

		if (!phase) {
			out(w, p + 8 * (uint64_t)j, 8, 0);
			out(w, cbp, 64, 0);
		}
		if (j >= ret || limen_safe_read(cb, cbp, 64) != 64)
			continue;
		op = (uint16_t)cb[2];
		if (op != IOCB_CMD_PREAD_ && op != IOCB_CMD_PWRITE_)
			res = 0;
		else
			res = aio_res((uint64_t)a[0], cbp);
		if (!phase && op == IOCB_CMD_PWRITE_ && res > 0)
			out(w, cb[3], (uint64_t)res, 0);
		if (phase) {
			out(w, cbp + 8, 4, 1);
			if (op == IOCB_CMD_PREAD_ && res > 0)
				out(w, cb[3], (uint64_t)res, 1);
		}
	}
}

/* One argument's accesses: phase 0 the reads, 1 the writes. */
/*
 * mount's data, which the table shows as a string: the kernel copies a
 * page's worth whatever it holds (copy_mount_options), stopping at the
 * first byte it cannot read, and fails only when it read none. The oracle
 * cannot prove this range (a copy cut short still succeeds): it is the
 * kernel's code, read.
 */
static uint64_t mount_data(uint64_t p)
{
	uint64_t next = (p | 4095) + 1;
	char c;

	if (limen_safe_read(&c, p, 1) != 1)
		return 0;
	if (next - p >= 4096 || limen_safe_read(&c, next, 1) != 1)
		return next - p;
	return 4096;
}

static void arg(struct walk *w, const struct limen_sysent *se, unsigned i,
		const long *a, long ret, int phase)
{
	const struct limen_argdesc *d = &se->args[i];
	uint64_t p = (uint64_t)a[i], n;
	int in = d->dir & LIMEN_DIR_IN, outd = d->dir & LIMEN_DIR_OUT;
	uint32_t sz;

	if (!p)
		return;
	switch (d->type) {
	case LIMEN_AT_PATH:
		if (outd) { /* getcwd: the length written, with its NUL */
			if (phase)
				out(w, p, ret > 0 ? (uint64_t)ret : 0, 1);
		} else if (!phase) {
			out(w, p, wstrlen(w, p), 0);
		}
		return;
	case LIMEN_AT_STR:
		if (phase)
			return;
		if (se == &limen_sysent[LIMEN_NR_mount] && i == 4)
			out(w, p, mount_data(p), 0);
		else
			out(w, p, wstrlen(w, p), 0);
		return;
	case LIMEN_AT_BUF:
		if (d->len_arg >= 0 &&
		    se->args[d->len_arg].type == LIMEN_AT_SOCKLEN) {
			/* getsockopt: *optlen at exit bytes */
			if (phase)
				out(w, p, rd32((uint64_t)a[d->len_arg]), 1);
			return;
		}
		if (in && !phase)
			out(w, p, count_of(se, d, a, ret, 0), 0);
		if (outd && phase)
			out(w, p, count_of(se, d, a, ret, 1), 1);
		return;
	case LIMEN_AT_STRUCT:
		if (d->xlat == LIMEN_ST_mmsghdr) {
			uint64_t k = phase ? (uint64_t)(ret < 0 ? 0 : ret) :
					     (uint64_t)a[d->len_arg];

			int recv = se == &limen_sysent[LIMEN_NR_recvmmsg];

			/* sendmmsg: the messages sent, each with the bytes
			   it took (msg_len) */
			if (!phase && !recv && ret >= 0)
				k = (uint64_t)ret;
			for (uint64_t j = 0; j < k; j++) {
				uint64_t e = p + 64 * j;

				if (!phase)
					msghdr_rd(w, e, recv ? -1 :
						  (long)rd32(e + 56), recv);
				else if (se == &limen_sysent[LIMEN_NR_recvmmsg])
					msghdr_wr(w, e, rd32(e + 56),
						  w->c->namelen[j < 8 ? j : 7]);
				if (phase)
					out(w, e + 56, 4, 1); /* msg_len */
			}
			return;
		}
		if (d->xlat == LIMEN_ST_file_handle) {
			if (!phase) {
				out(w, p, 4, 0); /* handle_bytes first */
				if (in)
					out(w, p, 8 + (uint64_t)rd32(p), 0);
			} else if (outd) {
				out(w, p, 8 + (uint64_t)rd32(p), 1);
			}
			return;
		}
		if (d->xlat == LIMEN_ST_linux_dirent64 ||
		    d->xlat == LIMEN_ST_linux_dirent) {
			if (phase)
				dirents(w, p, ret, d->xlat == LIMEN_ST_linux_dirent);
			return;
		}
		if (d->xlat == LIMEN_ST_pollfd) {
			/* poll reads the array, writes each revents alone */
			n = count_of(se, d, a, ret, 0);
			if (!phase)
				out(w, p, n * 8, 0);
			else
				for (uint64_t j = 0; j < n; j++)
					out(w, p + 8 * j + 6, 2, 1);
			return;
		}
		if (d->xlat == LIMEN_ST_siginfo && siginfo(w, p, in, outd, se,
							    phase))
			return;
		if ((d->xlat == LIMEN_ST_sched_attr ||
		     d->xlat == LIMEN_ST_mnt_id_req) && in && !outd) {
			/* the struct's own size, then that many bytes
			   (copy_struct_from_user) */
			if (!phase) {
				uint32_t own = rd32(p);

				out(w, p, 4, 0);
				out(w, p, own ? own : d->size, 0);
			}
			return;
		}
		if (d->xlat == LIMEN_ST_perf_event_attr) {
			if (!phase) {
				uint32_t s = rd32(p + 4);

				out(w, p + 4, 4, 0);
				out(w, p, s ? s : 64, 0);
			}
			return;
		}
		if (in && !phase)
			out(w, p, count_of(se, d, a, ret, 0) * d->size, 0);
		/* a poll or select timeout is written back only when it
		   was not zero (poll_select_finish) */
		if (in && outd && phase && timeout_arg(se, i) &&
		    !w->c->timeout_set)
			return;
		if (outd && phase)
			out(w, p, count_of(se, d, a, ret, 1) * d->size, 1);
		return;
	case LIMEN_AT_SIGSET:
		/* the kernel checks sigsetsize first */
		if ((uint64_t)a[d->len_arg] != 8)
			return;
		if (in && !phase)
			out(w, p, 8, 0);
		if (outd && phase)
			out(w, p, 8, 1);
		return;
	case LIMEN_AT_ARGV:
		if (!phase)
			argv(w, p);
		return;
	case LIMEN_AT_IOV:
		n = ret < 0 ? 0 : (uint64_t)ret;
		if (!phase)
			iov(w, p, (uint64_t)a[d->len_arg], in ? n : 0, 0, 1);
		else if (outd)
			iov(w, p, (uint64_t)a[d->len_arg], n, 1, 0);
		return;
	case LIMEN_AT_SOCKADDR:
		if (in && !phase) {
			out(w, p, (uint64_t)(uint32_t)a[d->len_arg], 0);
		} else if (outd && phase && a[d->len_arg]) {
			uint32_t got = rd32((uint64_t)a[d->len_arg]);
			uint32_t cap = w->c->in_len[d->len_arg];

			out(w, p, got < cap ? got : cap, 1);
		}
		return;
	case LIMEN_AT_SOCKLEN:
		out(w, p, 4, phase);
		return;
	case LIMEN_AT_FDSET:
		/* whole unsigned longs: FDS_BYTES(n) */
		out(w, p, ((uint64_t)(uint32_t)a[d->len_arg] + 63) / 64 * 8,
		    phase);
		return;
	case LIMEN_AT_IOCTL: {
		int dir = limen_ioctl_dir((uint32_t)a[1], &sz);

		if ((dir & 1) && !phase)
			out(w, p, sz, 0);
		if ((dir & 2) && phase)
			out(w, p, sz, 1);
		return;
	}
	case LIMEN_AT_MSGHDR:
		if (!phase)
			msghdr_rd(w, p, ret, outd);
		else if (outd)
			msghdr_wr(w, p, ret, w->c->namelen[0]);
		return;
	case LIMEN_AT_SPECIAL:
		if (se == &limen_sysent[LIMEN_NR_msgsnd]) {
			if (!phase) {
				out(w, p, 8, 0); /* mtype, then mtext */
				out(w, p + 8, (uint64_t)a[2], 0);
			}
			return;
		}
		if (se == &limen_sysent[LIMEN_NR_msgrcv]) {
			if (phase) {
				out(w, p, 8, 1);
				out(w, p + 8, (uint64_t)ret, 1);
			}
			return;
		}
		if (se == &limen_sysent[LIMEN_NR_io_submit]) {
			iocbs(w, p, a, ret, phase);
			return;
		}
		if (limen_is_sigpack(se)) {
			/* the mask's pointer and size, then the mask when
			   the size is the one the kernel takes
			   (set_user_sigmask) */
			if (!phase) {
				uint64_t m = rd64(p), size = rd64(p + 8);

				out(w, p, 16, 0);
				if (m && size == 8)
					out(w, m, 8, 0);
			}
			return;
		}
		n = limen_special_bytes(se, i, a, ret, phase);
		if ((phase ? outd : in) && n)
			out(w, p, n, phase);
		return;
	}
}

/*
 * Accesses behind arguments the table types as plain pointers:
 *  clone: CLONE_PARENT_SETTID writes the child's tid at parent_tid;
 *  clone3: likewise at clone_args.parent_tid (in the parent);
 *  seccomp SECCOMP_GET_ACTION_AVAIL reads the action, GET_NOTIF_SIZES
 *    writes the three sizes;
 *  io_setup: *ctxp is read (it must be 0) before it is written;
 *  futex_waitv: each waiter's futex word;
 *  lsm_list_modules: the ids written, as many as it returns;
 *  modify_ldt: the entry read, or the table written, by function;
 *  futex_requeue: its two waiters and the first one's word;
 *  process_madvise: the iovec array of ranges it advises on;
 *  fsconfig FSCONFIG_SET_STRING: the value string;
 *  setxattrat, getxattrat: struct xattr_args, then the value;
 *  file_getattr, file_setattr: struct file_attr, usize bytes;
 *  io_uring_setup: struct io_uring_params in and out;
 *  bpf: the attr in (what commands write back: not yet);
 *  keyctl: the strings and buffers of its common operations.
 */
#define CLONE_PARENT_SETTID_ 0x00100000

/* keyctl by operation: JOIN_SESSION_KEYRING (1) reads a name; UPDATE (2)
   a payload of arg4 bytes; SEARCH (10) the type and description;
   DESCRIBE (6), READ (11), GET_SECURITY (17) write what they return, at
   most the buffer's length (the result is the length needed). */
static void keyctl(struct walk *w, const long *a, long ret, int phase)
{
	uint64_t n;

	switch (a[0]) {
	case 1:
		if (!phase)
			out(w, (uint64_t)a[1], wstrlen(w, (uint64_t)a[1]), 0);
		break;
	case 2:
		if (!phase)
			out(w, (uint64_t)a[2], (uint64_t)a[3], 0);
		break;
	case 10:
		if (!phase) {
			out(w, (uint64_t)a[2], wstrlen(w, (uint64_t)a[2]), 0);
			out(w, (uint64_t)a[3], wstrlen(w, (uint64_t)a[3]), 0);
		}
		break;
	case 6: case 11: case 17:
		n = ret > 0 ? (uint64_t)ret : 0;
		if (n > (uint64_t)a[3])
			n = (uint64_t)a[3];
		if (phase && a[2])
			out(w, (uint64_t)a[2], n, 1);
		break;
	}
}

/* statmount: the strings after the 512-byte struct statmount, then the
   struct itself, as much of it as the buffer holds; its first word is
   the size of all that was written */
#define STATMOUNT_SIZE 512u

static void statmount(struct walk *w, const long *a, int phase)
{
	uint64_t buf = (uint64_t)a[1], cap = (uint64_t)a[2], hdr, all;

	if (!phase)
		return;
	hdr = cap < STATMOUNT_SIZE ? cap : STATMOUNT_SIZE;
	all = rd32(buf);
	if (all > hdr && cap > STATMOUNT_SIZE)
		out(w, buf + STATMOUNT_SIZE, all - hdr, 1);
	out(w, buf, hdr, 1);
}

/* ptrace's data argument in the tracer's memory, by request: a word for
   PEEKTEXT/PEEKDATA/PEEKUSER (put_user), struct user_regs_struct (216
   bytes) and user_fpregs_struct (512), the tracee's siginfo (128), the
   event message (8) */
static void ptrace_arg(struct walk *w, const long *a, int phase)
{
	uint64_t p = (uint64_t)a[3];

	switch (a[0]) {
	case 1: case 2: case 3: /* PTRACE_PEEK* */
	case 0x4201:            /* PTRACE_GETEVENTMSG */
		if (phase)
			out(w, p, 8, 1);
		break;
	case 12: /* PTRACE_GETREGS */
		if (phase)
			out(w, p, 216, 1);
		break;
	case 13: /* PTRACE_SETREGS */
		if (!phase)
			out(w, p, 216, 0);
		break;
	case 14: /* PTRACE_GETFPREGS */
		if (phase)
			out(w, p, 512, 1);
		break;
	case 15: /* PTRACE_SETFPREGS */
		if (!phase)
			out(w, p, 512, 0);
		break;
	case 0x4202: /* PTRACE_GETSIGINFO */
		if (phase)
			out(w, p, 128, 1);
		break;
	case 0x4203: /* PTRACE_SETSIGINFO */
		if (!phase)
			out(w, p, 128, 0);
		break;
	}
}

/*
 * io_uring_enter's argument when it waits for completions (GETEVENTS): with
 * IORING_ENTER_EXT_ARG, struct io_uring_getevents_arg (24 bytes, read
 * field by field), then its timeout; the signal mask (of sigmask_sz bytes;
 * without EXT_ARG, argp itself, argsz bytes) is read only when the call
 * has to wait: taken to be when min_complete is not 0 (the completions
 * already there are in the ring, which limen does not know). The
 * submission queue entries are in the ring the kernel shares with the
 * program, not copied; the memory an entry points at (a write's data) is
 * read when the kernel runs that operation: not logged.
 */
#define IORING_ENTER_GETEVENTS_ 1u
#define IORING_ENTER_EXT_ARG_ 8u
#define IORING_ENTER_EXT_ARG_REG_ 0x40u

static void uring_enter(struct walk *w, const long *a, int phase)
{
	uint64_t argp = (uint64_t)a[4], sz = (uint64_t)a[5], ga[3];
	uint32_t fl = (uint32_t)a[3];
	int wait = (uint32_t)a[2] != 0;

	if (phase || !argp || !(fl & IORING_ENTER_GETEVENTS_) ||
	    (fl & IORING_ENTER_EXT_ARG_REG_))
		return;
	if (!(fl & IORING_ENTER_EXT_ARG_)) {
		if (wait)
			out(w, argp, sz, 0);
		return;
	}
	if (sz != 24 || limen_safe_read(ga, argp, 24) != 24)
		return;
	out(w, argp, 24, 0);
	if (ga[2])
		out(w, ga[2], 16, 0);
	if (wait && ga[0])
		out(w, ga[0], (uint32_t)ga[1], 0);
}

/* io_uring_register by opcode: IORING_REGISTER_FILES (and its update)
   read nr ints; IORING_REGISTER_PROBE reads struct io_uring_probe and its
   ops (16 + 8 * nr bytes, nr at most the number of opcodes the kernel
   knows) and writes them back; the eventfd commands read an int.
   IORING_REGISTER_BUFFERS reads the iovec array (the buffers themselves
   are pinned, not copied). */
#define IORING_OP_LAST_ 64u /* more than the kernel's: clamped by it */

static void uring_register(struct walk *w, const long *a, int phase)
{
	uint64_t p = (uint64_t)a[2], nr = (uint32_t)a[3];

	switch ((uint32_t)a[1]) {
	case 0: /* IORING_REGISTER_BUFFERS */
		if (!phase)
			out(w, p, 16 * nr, 0);
		break;
	case 2: /* IORING_REGISTER_FILES */
		if (!phase)
			out(w, p, 4 * nr, 0);
		break;
	case 4: case 7: /* IORING_REGISTER_EVENTFD(_ASYNC) */
		if (!phase)
			out(w, p, 4, 0);
		break;
	case 8: /* IORING_REGISTER_PROBE */
		if (nr > IORING_OP_LAST_)
			break; /* the kernel's own bound: unknown here */
		out(w, p, 16 + 8 * nr, phase);
		break;
	}
}

/* lsm_get_self_attr: *size is read, then written back with the bytes
   needed even when the call fails for want of room (E2BIG) or of an LSM
   that answers (EOPNOTSUPP); the contexts, that many bytes, only when it
   succeeds. All of it in the first phase: the second is for successes. */
static void lsm_get(struct walk *w, const long *a, long ret, int phase)
{
	uint64_t size = (uint64_t)a[2];

	if (phase || ret == -EINVAL || ret == -EFAULT)
		return;
	out(w, size, 4, 0);
	if (ret > 0)
		out(w, (uint64_t)a[1], rd32(size), 1);
	if (ret >= 0 || ret == -E2BIG || ret == -EOPNOTSUPP)
		out(w, size, 4, 1);
}

static void extra(struct walk *w, const struct limen_sysent *se,
		  const long *a, long ret, int phase)
{
	if (se == &limen_sysent[LIMEN_NR_clone]) {
		if (phase && (a[0] & CLONE_PARENT_SETTID_))
			out(w, (uint64_t)a[2], 4, 1);
	} else if (se == &limen_sysent[LIMEN_NR_clone3]) {
		uint64_t ca[4] = { 0, 0, 0, 0 };

		if (phase && limen_safe_read(ca, (uint64_t)a[0], 32) == 32 &&
		    (ca[0] & CLONE_PARENT_SETTID_))
			out(w, ca[3], 4, 1);
	} else if (se == &limen_sysent[LIMEN_NR_io_setup]) {
		/* *ctxp must be 0: read before it is written */
		if (!phase)
			out(w, (uint64_t)a[1], 8, 0);
	} else if (se == &limen_sysent[LIMEN_NR_futex_waitv]) {
		/* each waiter's word, after the array */
		for (long j = 0; !phase && j < a[1] && j < 128; j++) {
			uint64_t wv[3] = { 0, 0, 0 };

			if (limen_safe_read(wv, (uint64_t)a[0] + 24 * (uint64_t)j,
					    24) != 24)
				break;
			out(w, wv[1], 1u << (wv[2] & 3), 0);
		}
	} else if (se == &limen_sysent[LIMEN_NR_lsm_list_modules]) {
		/* the ids, ret of them, after *size */
		if (phase && ret > 0)
			out(w, (uint64_t)a[0], 8 * (uint64_t)ret, 1);
	} else if (se == &limen_sysent[LIMEN_NR_modify_ldt]) {
		/* 1, 0x11 write an entry (read from us); 0, 2 read the
		   table into our buffer (ret bytes) */
		if (!phase && (a[0] == 1 || a[0] == 0x11))
			out(w, (uint64_t)a[1], 16, 0);
		if (phase && (a[0] == 0 || a[0] == 2) && ret > 0)
			out(w, (uint64_t)a[1], (uint64_t)ret, 1);
	} else if (se == &limen_sysent[LIMEN_NR_futex_requeue]) {
		/* two waiters, then the first one's word (compared) */
		uint64_t wv[3] = { 0, 0, 0 };

		if (!phase) {
			out(w, (uint64_t)a[0], 48, 0);
			if (limen_safe_read(wv, (uint64_t)a[0], 24) == 24)
				out(w, wv[1], 1u << (wv[2] & 3), 0);
		}
	} else if (se == &limen_sysent[LIMEN_NR_process_madvise]) {
		/* the iovec array of address ranges (not their memory) */
		if (!phase)
			out(w, (uint64_t)a[1], 16 * (uint64_t)a[2], 0);
	} else if (se == &limen_sysent[LIMEN_NR_fsconfig]) {
		if (!phase && a[1] == 1) /* FSCONFIG_SET_STRING */
			out(w, (uint64_t)a[3], wstrlen(w, (uint64_t)a[3]), 0);
	} else if (se == &limen_sysent[LIMEN_NR_setxattrat] ||
		   se == &limen_sysent[LIMEN_NR_getxattrat]) {
		/* struct xattr_args { value, size, flags }: read whole
		   (copy_struct_from_user of usize), then the value */
		uint64_t xa[2] = { 0, 0 };
		int set = se == &limen_sysent[LIMEN_NR_setxattrat];

		if (limen_safe_read(xa, (uint64_t)a[4], 16) != 16)
			return;
		if (!phase) {
			out(w, (uint64_t)a[4], (uint64_t)a[5], 0);
			if (set)
				out(w, xa[0], (uint32_t)xa[1], 0);
		} else if (!set && ret > 0) {
			out(w, xa[0], (uint64_t)ret, 1);
		}
	} else if (se == &limen_sysent[LIMEN_NR_file_getattr]) {
		if (phase)
			out(w, (uint64_t)a[2], (uint64_t)a[3], 1);
	} else if (se == &limen_sysent[LIMEN_NR_file_setattr]) {
		if (!phase)
			out(w, (uint64_t)a[2], (uint64_t)a[3], 0);
	} else if (se == &limen_sysent[LIMEN_NR_io_uring_setup]) {
		/* struct io_uring_params (120 bytes) in, then out */
		out(w, (uint64_t)a[1], 120, phase);
	} else if (se == &limen_sysent[LIMEN_NR_bpf]) {
		/* every command takes its union bpf_attr in, size bytes;
		   what some write back (info, logs) is not described yet */
		if (!phase)
			out(w, (uint64_t)a[1], (uint32_t)a[2], 0);
	} else if (se == &limen_sysent[LIMEN_NR_keyctl]) {
		keyctl(w, a, ret, phase);
	} else if (se == &limen_sysent[LIMEN_NR_seccomp]) {
		if (a[0] == 2 && !phase) /* SECCOMP_GET_ACTION_AVAIL */
			out(w, (uint64_t)a[2], 4, 0);
		if (a[0] == 3 && phase) /* SECCOMP_GET_NOTIF_SIZES */
			out(w, (uint64_t)a[2], 6, 1);
	} else if (se == &limen_sysent[LIMEN_NR_migrate_pages]) {
		/* two node masks of maxnode - 1 bits, in unsigned longs */
		uint64_t n = a[1] > 1 ? ((uint64_t)a[1] + 62) / 64 * 8 : 0;

		if (!phase) {
			out(w, (uint64_t)a[2], n, 0);
			out(w, (uint64_t)a[3], n, 0);
		}
	} else if (se == &limen_sysent[LIMEN_NR_move_pages]) {
		/* nr page addresses (and target nodes) in, nr statuses out */
		uint64_t n = (uint64_t)a[1];

		if (!phase) {
			out(w, (uint64_t)a[2], 8 * n, 0);
			out(w, (uint64_t)a[3], 4 * n, 0);
		} else {
			out(w, (uint64_t)a[4], 4 * n, 1);
		}
	} else if (se == &limen_sysent[LIMEN_NR_statmount]) {
		statmount(w, a, phase);
	} else if (se == &limen_sysent[LIMEN_NR_landlock_add_rule]) {
		/* struct landlock_path_beneath_attr (packed, 12 bytes),
		   struct landlock_net_port_attr (16) */
		if (!phase && (a[1] == 1 || a[1] == 2))
			out(w, (uint64_t)a[2], a[1] == 1 ? 12 : 16, 0);
	} else if (se == &limen_sysent[LIMEN_NR_ptrace]) {
		ptrace_arg(w, a, phase);
	} else if (se == &limen_sysent[LIMEN_NR_lsm_get_self_attr]) {
		lsm_get(w, a, ret, phase);
	} else if (se == &limen_sysent[LIMEN_NR_lsm_set_self_attr]) {
		/* struct lsm_ctx and its value, size bytes, copied whole
		   once flags and size are accepted */
		if (!phase && !a[3] && (uint64_t)a[2] >= 32 &&
		    (uint64_t)a[2] <= PAGE)
			out(w, (uint64_t)a[1], (uint64_t)a[2], 0);
	} else if (se == &limen_sysent[LIMEN_NR_ustat]) {
		if (phase) /* struct ustat, padding included */
			out(w, (uint64_t)a[1], 32, 1);
	} else if (se == &limen_sysent[LIMEN_NR_io_cancel]) {
		/* only the iocb's aio_key (get_user); the result argument
		   is no longer written (the event goes to the ring) */
		if (!phase)
			out(w, (uint64_t)a[1] + 8, 4, 0);
	} else if (se == &limen_sysent[LIMEN_NR_io_uring_enter]) {
		uring_enter(w, a, phase);
	} else if (se == &limen_sysent[LIMEN_NR_io_uring_register]) {
		uring_register(w, a, phase);
	}
}

static void walk(struct walk *w, long nr, const long *a, long ret)
{
	const struct limen_sysent *se = limen_sysent_get((unsigned long)nr);

	/* a call the kernel does not have touched nothing */
	if (!se || !se->nargs || ret == -ENOSYS)
		return;
	/* a call that took an iovec array in and succeeded read all of it */
	w->c->inplace = !limen_is_err(ret) && ret != LIMEN_RET_DEFERRED;
	for (int phase = 0; phase < 2; phase++) {
		if (phase && failed(se, ret))
			return;
		/* the time left is written only when a signal cut the sleep */
		if (phase && ret != -EINTR &&
		    (se == &limen_sysent[LIMEN_NR_nanosleep] ||
		     se == &limen_sysent[LIMEN_NR_clock_nanosleep]))
			return;
		if (se == &limen_sysent[LIMEN_NR_futex]) {
			futex(w, a, phase);
			continue;
		}
		/* capget writes the header's version only to refuse it */
		if (se == &limen_sysent[LIMEN_NR_capget] && phase) {
			if (ret == -EINVAL)
				out(w, (uint64_t)a[0], 4, 1);
			else
				out(w, (uint64_t)a[1], 24, 1);
			continue;
		}
		if (se == &limen_sysent[LIMEN_NR_futex_wait] && !phase) {
			out(w, (uint64_t)a[0], 1u << (a[3] & 3), 0);
			out(w, (uint64_t)a[4], 16, 0);
			continue;
		}
		/* calls whose table row cannot say it: all in extra() */
		if (se != &limen_sysent[LIMEN_NR_modify_ldt] &&
		    se != &limen_sysent[LIMEN_NR_futex_requeue] &&
		    se != &limen_sysent[LIMEN_NR_io_cancel] &&
		    se != &limen_sysent[LIMEN_NR_lsm_get_self_attr])
			for (unsigned i = 0; i < se->nargs; i++)
				arg(w, se, i, a, ret, phase);
		extra(w, se, a, ret, phase);
	}
}

/* ---- the ABI: descriptor in, entries out --------------------------- */

#define BATCH 16

struct abi_ctx {
	struct uaccess_buffer_entry b[BATCH];
	uint32_t nb;
	uint64_t dst, room, written;
	int full;
};

static void flush(struct abi_ctx *x)
{
	uint64_t bytes = (uint64_t)x->nb * sizeof(x->b[0]), got;

	if (!x->nb)
		return;
	if (!x->full && bytes <= 4 * sizeof(x->b[0]) &&
	    proven(x->dst, bytes, 1)) {
		/* word stores: a few entries cost less than rep movsb's start */
		volatile uint64_t *d = (volatile uint64_t *)(uintptr_t)x->dst;
		const uint64_t *s = (const uint64_t *)x->b;

		for (uint64_t i = 0; i < bytes / 8; i++)
			d[i] = s[i];
		got = bytes;
	} else {
		got = x->full ? 0 : ua_write(x->dst, x->b, bytes, 1);
	}
	if (got != bytes)
		x->full = 1; /* the buffer ends in unwritable memory */
	got /= sizeof(x->b[0]);
	x->dst += got * sizeof(x->b[0]);
	x->room -= got;
	x->written += got;
	x->nb = 0;
}

static void abi_emit(struct walk *w, uint64_t addr, uint64_t size, int wr)
{
	struct abi_ctx *x = w->ctx;

	if (x->full || x->nb >= x->room)
		return; /* dropped: past the end of the buffer */
	x->b[x->nb].addr = addr;
	x->b[x->nb].size = size;
	x->b[x->nb].flags = wr ? UACCESS_BUFFER_FLAG_WRITE : 0;
	if (++x->nb == BATCH || x->nb >= x->room)
		flush(x);
}

void limen_ua_enter(struct limen_ua_call *c, long nr, const long *a)
{
	uint64_t desc = slot_take(), d[2];

	if (!desc)
		return;
	/* the descriptor: both words at entry (the series copies it in) */
	if (proven(desc, 16, 0)) {
		/* two loads: a 16-byte rep movsb costs more than the rest */
		d[0] = ((volatile uint64_t *)(uintptr_t)desc)[0];
		d[1] = ((volatile uint64_t *)(uintptr_t)desc)[1];
	} else if (limen_safe_read(d, desc, 16) != 16) {
		return;
	}
	c->desc = desc;
	c->addr = d[0];
	c->size = d[1];
	limen_ua_snapshot(c, nr, a);
}

/* What the call overwrites and the exit needs: the sockaddr capacities. */
void limen_ua_snapshot(struct limen_ua_call *c, long nr, const long *a)
{
	const struct limen_sysent *se = limen_sysent_get((unsigned long)nr);

	if (c->snap)
		return;
	c->snap = 1;
	c->gen = __atomic_load_n(&ua_gen, __ATOMIC_RELAXED);
	c->timeout_set = 0;
	if (se && (se == &limen_sysent[LIMEN_NR_select] ||
		   se == &limen_sysent[LIMEN_NR_pselect6] ||
		   se == &limen_sysent[LIMEN_NR_ppoll])) {
		uint64_t t[2] = { 0, 0 };
		unsigned i = se == &limen_sysent[LIMEN_NR_ppoll] ? 2 : 4;

		if (a[i] && limen_safe_read(t, (uint64_t)a[i], 16) == 16)
			c->timeout_set = t[0] || t[1];
	}
	if (!se || !(se->classes & LIMEN_CLASS_NETWORK))
		return;
	for (unsigned i = 0; i < se->nargs; i++) {
		if (se->args[i].type == LIMEN_AT_SOCKLEN && a[i])
			c->in_len[i] = rd32((uint64_t)a[i]);
		if (se->args[i].type == LIMEN_AT_MSGHDR && a[i])
			c->namelen[0] = rd32((uint64_t)a[i] + 8);
		if (se->args[i].xlat == LIMEN_ST_mmsghdr &&
		    se->args[i].type == LIMEN_AT_STRUCT && a[i])
			for (int j = 0; j < 8 && j < a[2]; j++)
				c->namelen[j] = rd32((uint64_t)a[i] + 64 * j + 8);
	}
}

void limen_ua_exit(struct limen_ua_call *c, long nr, const long *a, long ret)
{
	struct abi_ctx x;
	struct walk w = { c, abi_emit, &x };
	uint64_t d[2];

	x.nb = 0;
	x.full = 0;
	x.dst = c->addr;
	x.room = c->size;
	x.written = 0;
	walk(&w, nr, a, ret);
	flush(&x);
	/* nothing written: the descriptor already says so (once its page is
	   proven writable, which the first write back does) */
	if (!x.written && proven(c->desc, 16, 0))
		return;
	d[0] = c->addr + x.written * sizeof(struct uaccess_buffer_entry);
	d[1] = c->size - x.written;
	if (proven(c->desc, 16, 0)) {
		((volatile uint64_t *)(uintptr_t)c->desc)[0] = d[0];
		((volatile uint64_t *)(uintptr_t)c->desc)[1] = d[1];
	} else {
		ua_write(c->desc, d, 16, 0);
	}
}

/* limen trace --uaccess: the same ranges, into a record of the ring. */
struct rec_ctx {
	struct limen_uaccess_ent *e;
	uint32_t n, total;
};

static void rec_emit(struct walk *w, uint64_t addr, uint64_t size, int wr)
{
	struct rec_ctx *x = w->ctx;

	if (x->n < LIMEN_UACCESS_MAX) {
		x->e[x->n].addr = addr;
		x->e[x->n].size = size;
		x->e[x->n].flags = wr ? UACCESS_BUFFER_FLAG_WRITE : 0;
		x->n++;
	}
	x->total++;
}

void limen_ua_record(struct limen_ua_call *c, long nr, const long *a, long ret)
{
	struct limen_rec_uaccess *r;
	struct limen_wr wr;
	struct rec_ctx x;
	struct walk w = { c, rec_emit, &x };

	if (limen_rec_reserve(&wr, sizeof(*r) + LIMEN_UACCESS_MAX *
					   sizeof(struct limen_uaccess_ent)) < 0)
		return;
	r = (struct limen_rec_uaccess *)wr.p;
	x.e = (struct limen_uaccess_ent *)(wr.p + sizeof(*r));
	x.n = x.total = 0;
	walk(&w, nr, a, ret);
	r->nr = (uint32_t)nr;
	r->n = x.n;
	r->total = x.total;
	r->pad = 0;
	r->tsc = limen_now();
	limen_rec_commit(&wr, LIMEN_REC_UACCESS, 0, sizeof(*r) +
			 x.n * (uint32_t)sizeof(struct limen_uaccess_ent));
}

/* ---- signals ------------------------------------------------------- */

/*
 * A signal handler runs while the program's slot is armed (the signal came
 * between the store into the slot and the system call): its own calls must
 * not consume the descriptor meant for the code it interrupted. The series
 * blocks such a signal until the logged call's exit; limen lets the kernel
 * deliver it as usual (so that it can still cut short a blocking call, as
 * it would under the series, where the logged call sees it pending) and
 * clears the slot while the handler runs: the slot is saved with the
 * frame's ucontext and put back when the handler returns through that
 * frame. Then the interrupted code makes its call, which is logged. A call
 * that was about to be made when the signal came (the SIGSYS handler had
 * taken the slot, limen_ua_unmade) gets its descriptor back first. A fault
 * (SIGSEGV...) is handled the same way: its handler cannot wait.
 */
void limen_ua_frame(uint64_t uc)
{
	uint32_t n = limen_tls.ua_nsaved;
	uint64_t v;

	/* a frame goes below the live ones of its stack (on the
	   alternate stack too, once a handler runs there): those at or
	   below it are of handlers that jumped away (longjmp) */
	while (n && limen_tls.ua_saved[n - 1].uc <= uc)
		n--;
	limen_tls.ua_nsaved = n;
	v = slot_take();
	if (!v)
		return;
	/* frames deeper than LIMEN_UA_NEST: the oldest (a handler that
	   jumped away left it) makes room */
	if (n == LIMEN_UA_NEST) {
		for (uint32_t i = 1; i < n; i++)
			limen_tls.ua_saved[i - 1] = limen_tls.ua_saved[i];
		n--;
	}
	limen_tls.ua_saved[n].slot = v;
	limen_tls.ua_saved[n].uc = uc;
	limen_tls.ua_nsaved = n + 1;
}

/* The handler whose frame is uc returned: the slot it found is back. */
void limen_ua_handler_done(const void *uc)
{
	uint32_t n = limen_tls.ua_nsaved;
	uint64_t v;

	/* frames a handler jumped out of (longjmp) lie below this one */
	while (n && limen_tls.ua_saved[n - 1].uc < (uint64_t)(uintptr_t)uc)
		n--;
	limen_tls.ua_nsaved = n;
	if (!n || limen_tls.ua_saved[n - 1].uc != (uint64_t)(uintptr_t)uc)
		return;
	v = limen_tls.ua_saved[n - 1].slot;
	limen_tls.ua_nsaved = n - 1;
	limen_safe_write(limen_tls.ua_slot, &v, 8);
}

/* The logged call was not made (a signal came first): it will be made
   again, with the slot as the program left it. */
void limen_ua_unmade(struct limen_ua_call *c)
{
	uint64_t v = c->desc;

	if (!v)
		return;
	c->desc = 0;
	limen_safe_write(limen_tls.ua_slot, &v, 8);
}

/* A new process or thread: no handler of its own has run yet. */
void limen_ua_child(void)
{
	limen_tls.ua_nsaved = 0;
}
