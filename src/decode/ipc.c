/* SPDX-License-Identifier: MIT */
/*
 * System V IPC: shm*, sem*, msg* arguments and their structs, as strace 6.1
 * prints them. Every argument of these calls is printed here; the captures
 * are described in runtime/special_ipc.c (msgbuf, *ctl buffers) and in the
 * table (sembuf arrays, semtimedop's timeout).
 *
 *   shmget(IPC_PRIVATE, 4096, IPC_CREAT|0600) = 3
 *   shmctl(3, IPC_STAT, {shm_perm={uid=0, gid=0, mode=0600, key=0, ...}, ...})
 *   semop(3, [{sem_num=0, sem_op=1, sem_flg=SEM_UNDO}], 1) = 0
 *   msgsnd(3, {mtype=1, mtext="hello"}, 5, IPC_NOWAIT) = 0
 */
#include <string.h>

#include "dec_int.h"
#include "sysv_ipc.h"

#define SHM_HUGE_SHIFT_ 26
#define SHM_HUGE_MASK_ (0x3fu << SHM_HUGE_SHIFT_)

/*
 * strace's printflags: names in table order, left-over bits in hex; with
 * no name at all the hex value is followed by a C comment holding tag
 * (strace's "SEM_???") when tag is given; 0 prints "0". Returns the number
 * of names printed.
 */
static int dipc_flags(struct limen_sb *sb, unsigned list, uint64_t v,
	       const char *tag)
{
	const struct limen_xlat *x = &limen_xlats[list];
	uint64_t left = v;
	int n = 0;
	unsigned k;
	size_t at;

	/* -X raw: the number; verbose: the names after it, in a comment */
	if (dx_style_pre(sb, v, &at))
		return 0;
	if (!v) {
		limen_sb_putc(sb, '0');
		dx_style_post(sb, v, at);
		return 0;
	}
	for (k = 0; k < x->n; k++) {
		uint64_t b = limen_xlat_items_of(x)[k].val;

		if (!b || (left & b) != b)
			continue;
		limen_sb_printf(sb, "%s%s", n ? "|" : "",
				limen_str(limen_xlat_items_of(x)[k].name));
		left &= ~b;
		n++;
	}
	if (left) {
		limen_sb_printf(sb, "%s%#llx", n ? "|" : "",
				(unsigned long long)left);
		if (!n && tag)
			limen_sb_printf(sb, " /* %s */", tag);
	}
	dx_style_post(sb, v, at);
	return n;
}

/*
 * shmget, semget, msgget flags: names, then the mode in octal:
 * IPC_CREAT|IPC_EXCL|0600, 000, IPC_CREAT|SHM_HUGETLB|21<<SHM_HUGE_SHIFT|0600
 */
static void res_flags(struct limen_sb *sb, unsigned list, uint32_t v,
		      int shm)
{
	uint32_t f = v & ~0777u, huge = shm ? f & SHM_HUGE_MASK_ : 0;
	int n = 0;

	f &= ~huge;
	if (f)
		n = dipc_flags(sb, list, f, NULL);
	if (huge)
		limen_sb_printf(sb, sb->xstyle == 1 ? "%s%u<<26" :
				sb->xstyle ? "%s%u<<26 /* SHM_HUGE_SHIFT */" :
					     "%s%u<<SHM_HUGE_SHIFT",
				f ? "|" : "", huge >> SHM_HUGE_SHIFT_);
	/* the mode after the flags: shmget's after flags with no name too
	   (0x2000|000), semget's and msgget's not (strace 6.1:
	   0x40000000000), but under -X raw */
	if (n || huge || (f && (shm || sb->xstyle == 1)))
		limen_sb_putc(sb, '|');
	limen_sb_printf(sb, "%#03o", v & 0777);
}

static void ipc_key(struct limen_sb *sb, uint64_t v)
{
	if ((uint32_t)v)
		limen_sb_printf(sb, "%#x", (uint32_t)v);
	else
		limen_sb_puts(sb, "IPC_PRIVATE");
}

/* IPC_64|IPC_STAT, SHM_LOCK, or the number and a comment naming tag */
static void ipc_cmd(struct limen_sb *sb, unsigned list, uint64_t v,
		    const char *tag)
{
	uint32_t c = (uint32_t)v;
	const char *n;

	if (c & LIMEN_IPC_64) {
		dx_named(sb, LIMEN_IPC_64, "IPC_64");
		limen_sb_putc(sb, '|');
		c &= ~LIMEN_IPC_64;
	}
	n = dx_lookup(&limen_xlats[list], c);
	if (n)
		dx_named(sb, c, n);
	else if (sb->xstyle == 1)
		limen_sb_printf(sb, "%#x", c);
	else
		limen_sb_printf(sb, "%#x /* %s */", c, tag);
}

static void ipc_id(struct limen_sb *sb, const char *name, uint32_t v)
{
	if (v == UINT32_MAX)
		limen_sb_printf(sb, "%s=-1", name);
	else
		limen_sb_printf(sb, "%s=%u", name, v);
}

/* struct ipc64_perm (48 bytes); set: the fields IPC_SET uses */
static void ipc_perm(struct limen_sb *sb, const char *name, const uint8_t *p,
		     int set)
{
	limen_sb_printf(sb, "%s={", name);
	ipc_id(sb, "uid", r32(p, 4));
	ipc_id(sb, ", gid", r32(p, 8));
	limen_sb_printf(sb, ", mode=%#03o", r32(p, 20));
	if (!set) {
		limen_sb_printf(sb, ", key=%d", (int32_t)r32(p, 0));
		ipc_id(sb, ", cuid", r32(p, 12));
		ipc_id(sb, ", cgid", r32(p, 16));
	}
	limen_sb_putc(sb, '}');
}

#define PERM_SIZE 48u

static void shmid_ds(struct limen_sb *sb, const uint8_t *p, int set)
{
	limen_sb_putc(sb, '{');
	ipc_perm(sb, "shm_perm", p, set);
	if (!set)
		limen_sb_printf(sb, ", shm_segsz=%llu, shm_cpid=%d, "
				"shm_lpid=%d, shm_nattch=%llu, shm_atime=%lld, "
				"shm_dtime=%lld, shm_ctime=%lld",
				(unsigned long long)r64(p, 48),
				(int32_t)r32(p, 80), (int32_t)r32(p, 84),
				(unsigned long long)r64(p, 88),
				(long long)r64(p, 56), (long long)r64(p, 64),
				(long long)r64(p, 72));
	limen_sb_putc(sb, '}');
}

static void msqid_ds(struct limen_sb *sb, const uint8_t *p, int set)
{
	limen_sb_putc(sb, '{');
	ipc_perm(sb, "msg_perm", p, set);
	if (!set)
		limen_sb_printf(sb, ", msg_stime=%lld, msg_rtime=%lld, "
				"msg_ctime=%lld, msg_qnum=%llu",
				(long long)r64(p, 48), (long long)r64(p, 56),
				(long long)r64(p, 64),
				(unsigned long long)r64(p, 80));
	limen_sb_printf(sb, ", msg_qbytes=%llu",
			(unsigned long long)r64(p, 88));
	if (!set)
		limen_sb_printf(sb, ", msg_lspid=%d, msg_lrpid=%d",
				(int32_t)r32(p, 96), (int32_t)r32(p, 100));
	limen_sb_putc(sb, '}');
}

static void semid_ds(struct limen_sb *sb, const uint8_t *p, int set)
{
	limen_sb_putc(sb, '{');
	ipc_perm(sb, "sem_perm", p, set);
	if (!set)
		limen_sb_printf(sb, ", sem_otime=%lld, sem_ctime=%lld, "
				"sem_nsems=%llu",
				(long long)r64(p, 48), (long long)r64(p, 64),
				(unsigned long long)r64(p, 80));
	limen_sb_putc(sb, '}');
}

/* struct shminfo64: five unsigned longs shown */
static void shminfo(struct limen_sb *sb, const uint8_t *p)
{
	limen_sb_printf(sb, "{shmmax=%llu, shmmin=%llu, shmmni=%llu, "
			"shmseg=%llu, shmall=%llu}",
			(unsigned long long)r64(p, 0),
			(unsigned long long)r64(p, 8),
			(unsigned long long)r64(p, 16),
			(unsigned long long)r64(p, 24),
			(unsigned long long)r64(p, 32));
}

/* struct shm_info */
static void shm_info(struct limen_sb *sb, const uint8_t *p)
{
	limen_sb_printf(sb, "{used_ids=%d, shm_tot=%llu, shm_rss=%llu, "
			"shm_swp=%llu, swap_attempts=%llu, swap_successes=%llu}",
			(int32_t)r32(p, 0),
			(unsigned long long)r64(p, 8),
			(unsigned long long)r64(p, 16),
			(unsigned long long)r64(p, 24),
			(unsigned long long)r64(p, 32),
			(unsigned long long)r64(p, 40));
}

/* struct msginfo: seven ints and an unsigned short */
static void msginfo(struct limen_sb *sb, const uint8_t *p)
{
	limen_sb_printf(sb, "{msgpool=%d, msgmap=%d, msgmax=%d, msgmnb=%d, "
			"msgmni=%d, msgssz=%d, msgtql=%d, msgseg=%u}",
			(int32_t)r32(p, 0), (int32_t)r32(p, 4),
			(int32_t)r32(p, 8), (int32_t)r32(p, 12),
			(int32_t)r32(p, 16), (int32_t)r32(p, 20),
			(int32_t)r32(p, 24), r16(p, 28));
}

/* struct seminfo: ten ints */
static void seminfo(struct limen_sb *sb, const uint8_t *p)
{
	static const char *const f[] = { "semmap", "semmni", "semmns",
		"semmnu", "semmsl", "semopm", "semume", "semusz", "semvmx",
		"semaem" };
	unsigned k;

	limen_sb_putc(sb, '{');
	for (k = 0; k < ARRAY_LEN(f); k++)
		limen_sb_printf(sb, "%s%s=%d", k ? ", " : "", f[k],
				(int32_t)r32(p, 4 * k));
	limen_sb_putc(sb, '}');
}

/*
 * The buffer of shmctl/msgctl/semctl (argument i) by command, as
 * sysv_ipc.h says (the runtime captured by the same rule): IPC_SET at entry,
 * the STAT and INFO commands at exit (only if the call succeeded), the
 * pointer otherwise. IPC_64 is ignored, as strace does.
 */
static void ctl_buf(const struct dctx *d, unsigned i, uint64_t cmd,
		    enum limen_ipc_fam fam)
{
	struct limen_sb *sb = d->sb;
	uint64_t v = d->c->args[i];
	struct limen_ipc_ctl k = limen_ipc_ctl(fam, (uint32_t)cmd);
	const struct limen_blob *b = NULL;
	uint32_t need = k.size;
	int set = k.dir == LIMEN_DIR_IN;

	if (!v || k.buf == LIMEN_IPCB_NONE) {
		dx_ptr(sb, v);
		return;
	}
	if (set) {
		if (d->c->cap_in[i].flags & LIMEN_BLOB_PRESENT)
			b = dd_blob(d, i, 0);
		/* IPC_SET reads only shm_perm of a shmid_ds */
		if (fam == LIMEN_IPC_SHM)
			need = PERM_SIZE;
	} else if (d->c->has_ret && !d->failed &&
		   (d->c->cap_out[i].flags & LIMEN_BLOB_PRESENT)) {
		b = dd_blob(d, i, 1);
	}
	if (!b || b->len < need) {
		dx_ptr(sb, v);
		return;
	}
	switch (k.buf) {
	case LIMEN_IPCB_DS:
		if (fam == LIMEN_IPC_SHM)
			shmid_ds(sb, b->data, set);
		else if (fam == LIMEN_IPC_MSG)
			msqid_ds(sb, b->data, set);
		else
			semid_ds(sb, b->data, set);
		return;
	case LIMEN_IPCB_SHM_INFO:
		shm_info(sb, b->data);
		return;
	default:
		if (fam == LIMEN_IPC_SHM)
			shminfo(sb, b->data);
		else if (fam == LIMEN_IPC_MSG)
			msginfo(sb, b->data);
		else
			seminfo(sb, b->data);
		return;
	}
}

/* msgsnd/msgrcv's struct msgbuf: {mtype=1, mtext="..."}; strace shows
   msgsz bytes of text (cut at -s), for msgrcv as well. */
static void msgbuf(const struct dctx *d, unsigned i, int out)
{
	struct limen_sb *sb = d->sb;
	uint64_t v = d->c->args[i], msgsz = d->c->args[2];
	const struct limen_blob *b = NULL;
	uint64_t shown = msgsz < d->strsize ? msgsz : d->strsize;

	if (!out && (d->c->cap_in[i].flags & LIMEN_BLOB_PRESENT))
		b = dd_blob(d, i, 0);
	if (out && d->c->has_ret && !d->failed &&
	    (d->c->cap_out[i].flags & LIMEN_BLOB_PRESENT))
		b = dd_blob(d, i, 1);
	if (!v || !b || b->len < 8) {
		dx_ptr(sb, v);
		return;
	}
	limen_sb_printf(sb, "{mtype=%lld, mtext=", (long long)r64(b->data, 0));
	if (b->len - 8 < shown)
		dx_ptr(sb, v + 8);
	else
		dq_bytes(sb, b->data + 8, (size_t)shown, msgsz > shown, 0);
	limen_sb_putc(sb, '}');
}

/* semop/semtimedop's struct sembuf array: at most -s elements shown */
static void sembufs(const struct dctx *d)
{
	struct limen_sb *sb = d->sb;
	uint64_t v = d->c->args[1];
	uint32_t n = (uint32_t)d->c->args[2], k;
	const struct limen_blob *b = NULL;

	if (v && !n) {
		/* as strace: an array of none, not read */
		limen_sb_puts(sb, "[]");
		return;
	}
	if (d->c->cap_in[1].flags & LIMEN_BLOB_PRESENT)
		b = dd_blob(d, 1, 0);
	if (!v || !b || b->len < 6) {
		dx_ptr(sb, v);
		return;
	}
	limen_sb_putc(sb, '[');
	for (k = 0; k < n; k++) {
		const uint8_t *p = b->data + 6 * k;

		if (k)
			limen_sb_puts(sb, ", ");
		if (k >= d->strsize || 6 * (k + 1) > b->len) {
			limen_sb_puts(sb, "...");
			break;
		}
		limen_sb_printf(sb, "{sem_num=%u, sem_op=%d, sem_flg=",
				r16(p, 0), (int16_t)r16(p, 2));
		dipc_flags(sb, LIMEN_XLAT_sem_flags, r16(p, 4), "SEM_???");
		limen_sb_putc(sb, '}');
	}
	limen_sb_putc(sb, ']');
}

static void timeout_arg(const struct dctx *d, unsigned i)
{
	const struct limen_blob *b = NULL;

	if (d->c->cap_in[i].flags & LIMEN_BLOB_PRESENT)
		b = dd_blob(d, i, 0);
	if (!d->c->args[i] || !b || b->len < 16)
		dx_ptr(d->sb, d->c->args[i]);
	else
		ds_timespec(d->sb, b->data);
}

static void dec_int(const struct dctx *d, unsigned i)
{
	limen_sb_printf(d->sb, "%d", (int32_t)d->c->args[i]);
}

static void dec_ulong(const struct dctx *d, unsigned i)
{
	limen_sb_printf(d->sb, "%llu", (unsigned long long)d->c->args[i]);
}

/* A *ctl command whose buffer the kernel fills: the STAT and INFO ones. */
static int ctl_cmd_is_out(uint64_t cmd, enum limen_ipc_fam fam)
{
	return limen_ipc_ctl(fam, (uint32_t)cmd).dir == LIMEN_DIR_OUT;
}

int dsp_ipc_arg_is_out(const struct limen_call *c, unsigned i)
{
	switch (c->nr) {
	case LIMEN_NR_shmctl:
		return i == 2 ? ctl_cmd_is_out(c->args[1], LIMEN_IPC_SHM) : 0;
	case LIMEN_NR_msgctl:
		return i == 2 ? ctl_cmd_is_out(c->args[1], LIMEN_IPC_MSG) : 0;
	case LIMEN_NR_semctl:
		return i == 3 ? ctl_cmd_is_out(c->args[2], LIMEN_IPC_SEM) : 0;
	case LIMEN_NR_msgrcv:
		return i == 1;
	case LIMEN_NR_shmget: case LIMEN_NR_shmat: case LIMEN_NR_shmdt:
	case LIMEN_NR_semget: case LIMEN_NR_semop: case LIMEN_NR_semtimedop:
	case LIMEN_NR_msgget: case LIMEN_NR_msgsnd:
		return 0;
	}
	return -1;
}

int dsp_ipc_arg(const struct dctx *d, unsigned i)
{
	struct limen_sb *sb = d->sb;
	const uint64_t *a = d->c->args;

	switch (d->c->nr) {
	case LIMEN_NR_shmget:
		if (i == 0)
			ipc_key(sb, a[0]);
		else if (i == 1)
			dec_ulong(d, i);
		else
			res_flags(sb, LIMEN_XLAT_shmget_flags, (uint32_t)a[2], 1);
		return 1;
	case LIMEN_NR_semget:
	case LIMEN_NR_msgget:
		if (i == 0)
			ipc_key(sb, a[0]);
		else if (d->c->nr == LIMEN_NR_semget && i == 1)
			dec_int(d, i);
		else
			res_flags(sb, LIMEN_XLAT_ipc_flags, (uint32_t)a[i], 0);
		return 1;
	case LIMEN_NR_shmat:
		if (i == 0)
			dec_int(d, i);
		else if (i == 1)
			dx_ptr(sb, a[1]);
		else
			dipc_flags(sb, LIMEN_XLAT_shmat_flags, (uint32_t)a[2],
				   "SHM_???");
		return 1;
	case LIMEN_NR_shmdt:
		dx_ptr(sb, a[0]);
		return 1;
	case LIMEN_NR_shmctl:
	case LIMEN_NR_msgctl:
		if (i == 0) {
			dec_int(d, i);
		} else if (i == 1) {
			if (d->c->nr == LIMEN_NR_shmctl)
				ipc_cmd(sb, LIMEN_XLAT_ipc_cmd, a[1], "SHM_???");
			else
				ipc_cmd(sb, LIMEN_XLAT_msgctl_cmd, a[1],
					"MSG_???");
		} else {
			ctl_buf(d, i, a[1], d->c->nr == LIMEN_NR_shmctl ?
						    LIMEN_IPC_SHM : LIMEN_IPC_MSG);
		}
		return 1;
	case LIMEN_NR_semctl:
		if (i <= 1)
			dec_int(d, i);
		else if (i == 2)
			ipc_cmd(sb, LIMEN_XLAT_semctl_cmd, a[2], "SEM_???");
		else
			ctl_buf(d, i, a[2], LIMEN_IPC_SEM);
		return 1;
	case LIMEN_NR_semop:
	case LIMEN_NR_semtimedop:
		if (i == 0)
			dec_int(d, i);
		else if (i == 1)
			sembufs(d);
		else if (i == 2)
			limen_sb_printf(sb, "%u", (uint32_t)a[2]);
		else
			timeout_arg(d, i);
		return 1;
	case LIMEN_NR_msgsnd:
	case LIMEN_NR_msgrcv:
		if (i == 0)
			dec_int(d, i);
		else if (i == 1)
			msgbuf(d, i, d->c->nr == LIMEN_NR_msgrcv);
		else if (i == 2)
			dec_ulong(d, i);
		else if (i == 3 && d->c->nr == LIMEN_NR_msgrcv)
			limen_sb_printf(sb, "%lld", (long long)a[3]);
		else
			dipc_flags(sb, LIMEN_XLAT_ipc_msg_flags,
				   (uint32_t)a[i], "MSG_???");
		return 1;
	}
	return 0;
}

static int ipc_arg_is_out(const struct limen_call *c, unsigned i)
{
	return dsp_ipc_arg_is_out(c, i);
}
const struct dsys dsys_ipc = { .arg = dsp_ipc_arg,
			       .arg_is_out = ipc_arg_is_out };
