/* SPDX-License-Identifier: MIT */
/*
 * Linux's user_events ABI (include/uapi/linux/user_events.h, 6.4) on a
 * kernel built without it. A program opens user_events_data under
 * /sys/kernel/tracing/ or /sys/kernel/debug/tracing/; when the kernel
 * answers ENOENT, the runtime opens /dev/null in its place and remembers
 * the descriptor (and its dups) as a user_events file. On such a file:
 *
 *   ioctl(DIAG_IOCSREG, struct user_reg *)   registers an event (uevent.c)
 *	and sets or clears the program's enable bit as the collector wants
 *	the event; returns its write_index for this file
 *   write/writev(write_index, payload...)    records the payload as the
 *	event (when enabled), returns the bytes written, as the kernel
 *   ioctl(DIAG_IOCSUNREG, struct user_unreg *) clears the bit, forgets it
 *   ioctl(DIAG_IOCSDEL, name)                 deletes an event not in use
 *
 * with the kernel's checks and errors. The registrations live in the
 * process's memory: a fork child keeps them (its copy of the enable word
 * was copied with the rest), an exec drops them (the runtime starts anew).
 * Not emulated: the tracefs files (user_events_status, events/, ...); a
 * descriptor that survives an exec is /dev/null to the new image.
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/syscall.h>

#include "raw.h"
#include "rt.h"
#include "session/uevent_area.h"
#include "session/uevent_fmt.h"

#define DIAG_IOCSREG 0xC0082A00ul   /* _IOWR('*', 0, struct user_reg *) */
#define DIAG_IOCSDEL 0x40082A01ul   /* _IOW('*', 1, char *) */
#define DIAG_IOCSUNREG 0x40082A02ul /* _IOW('*', 2, struct user_unreg *) */
#define USER_EVENT_REG_PERSIST 1u
#define USER_EVENT_REG_MULTI_FORMAT 2u
#define MAX_EVENT_DESC 512u         /* the kernel's bound on name_args */
#define PAGE 4096u

struct user_reg {
	uint32_t size;
	uint8_t enable_bit;
	uint8_t enable_size;
	uint16_t flags;
	uint64_t enable_addr;
	uint64_t name_args;
	uint32_t write_index;
} __attribute__((packed));

struct user_unreg {
	uint32_t size;
	uint8_t disable_bit;
	uint8_t reserved;
	uint16_t reserved2;
	uint64_t disable_addr;
} __attribute__((packed));

#define UE_FDS 1024u  /* descriptors above are not emulated */
#define API_FILE 0x7fffu /* a registration of the C API (uevent.h) */
#define UE_REGS 1024u /* registrations per process */

/* per descriptor: its user_events file (1..), 0: not one */
static uint16_t fd_file[UE_FDS];
static uint16_t next_file;
static int any; /* a user_events file was ever opened here */

static struct reg {
	uint16_t file;       /* 0: a free entry; the file may be closed */
	uint8_t bit, size;
	int32_t id;          /* the session's event id */
	uint32_t fixed;      /* bytes a payload has at least */
	uint32_t has_loc;    /* __data_loc/__rel_loc fields to check */
	uint32_t index;      /* write_index on its file */
	uint64_t addr;
} regs[UE_REGS];
uint32_t limen_uev_gen_seen;
static int lock;

/*
 * The registrations' lock. Signals are blocked while it is held: the C API
 * takes it in the program's own context (registration), where a signal
 * handler's system call could otherwise reach limen_uev_sync and spin on
 * the lock its own thread holds.
 */
static uint64_t take(void)
{
	uint64_t all = ~0ull, old = 0;

	limen_tls.fault_block++; /* until give (safe.c) */
	limen_sys4(SYS_rt_sigprocmask, SIG_SETMASK, &all, &old, 8);
	while (__atomic_exchange_n(&lock, 1, __ATOMIC_ACQUIRE))
		__builtin_ia32_pause();
	return old;
}

static void give(uint64_t old)
{
	__atomic_store_n(&lock, 0, __ATOMIC_RELEASE);
	limen_sys4(SYS_rt_sigprocmask, SIG_SETMASK, &old, 0, 8);
	limen_tls.fault_block--;
}

static uint16_t file_of(long fd)
{
	if (!any || fd < 0 || (unsigned long)fd >= UE_FDS)
		return 0;
	return __atomic_load_n(&fd_file[fd], __ATOMIC_ACQUIRE);
}

static int is_data_path(uint64_t path)
{
	static const char a[] = "/sys/kernel/tracing/user_events_data";
	static const char b[] = "/sys/kernel/debug/tracing/user_events_data";
	char p[sizeof(b) + 1];
	long n = limen_safe_read(p, path, sizeof(p) - 1);

	if (n <= 0)
		return 0;
	p[n] = 0;
	return !limen_strncmp(p, a, sizeof(a)) ||
	       !limen_strncmp(p, b, sizeof(b));
}

/* The kernel has no user_events: a descriptor of ours stands in. */
static long open_as(long flags, uint16_t what)
{
	long fd = limen_sys3(SYS_open, "/dev/null",
			     O_RDWR | (flags & O_CLOEXEC), 0);

	if (fd < 0)
		return fd;
	if ((unsigned long)fd >= UE_FDS) {
		limen_sys1(SYS_close, fd);
		return -EMFILE;
	}
	uint64_t old = take();
	if (!what) {
		next_file = (uint16_t)(next_file % (API_FILE - 1) + 1);
		what = next_file;
	}
	fd_file[fd] = what;
	any = 1;
	give(old);
	return fd;
}

/*
 * Say once per process which user_events it uses. Where the kernel has
 * its own, limen leaves every call on it to the kernel (the descriptor is
 * the kernel's: the ioctls and writes go through as any call, recorded in
 * the trace) so that the kernel's tracers keep receiving the events.
 */
static void tell_which(int kernel)
{
	static int told;

	if (__atomic_exchange_n(&told, 1, __ATOMIC_RELAXED))
		return;
	limen_note(LIMEN_NOTE_UEVENTS, 0,
		   kernel ? "+++ limen: user_events: the kernel's (its calls "
			    "go to the kernel, its tracers get the events) +++"
			  : "+++ limen: user_events: emulated by limen (this "
			    "kernel has none) +++");
}

/* A tracefs file of user_events (uevent_tracefs.c), followed as ours. */
static long open_tfs(long flags, uint16_t what)
{
	long fd = limen_tfs_open(what, flags);

	if (fd < 0)
		return fd;
	if ((unsigned long)fd >= UE_FDS) {
		limen_sys1(SYS_close, fd);
		return -EMFILE;
	}
	uint64_t old = take();
	fd_file[fd] = what;
	any = 1;
	give(old);
	return fd;
}

static uint32_t loc_fields(int32_t id);

static int on_now(int32_t id)
{
	return limen_uev_bit(limen_uev_area(limen_rt.ctl)->on, (uint32_t)id);
}

/* Set or clear the program's bit: EFAULT if it is not writable. */
static int set_bit(uint64_t addr, uint8_t size, uint8_t bit, int on)
{
	uint64_t v = 0;

	if (limen_safe_read(&v, addr, size) != size ||
	    limen_safe_write(addr, &v, size) != size)
		return -EFAULT;
	if (size == 4) {
		uint32_t m = 1u << bit;

		if (on)
			__atomic_fetch_or((uint32_t *)addr, m, __ATOMIC_RELAXED);
		else
			__atomic_fetch_and((uint32_t *)addr, ~m,
					   __ATOMIC_RELAXED);
	} else {
		uint64_t m = 1ull << bit;

		if (on)
			__atomic_fetch_or((uint64_t *)addr, m, __ATOMIC_RELAXED);
		else
			__atomic_fetch_and((uint64_t *)addr, ~m,
					   __ATOMIC_RELAXED);
	}
	return 0;
}

/* Copy a size-prefixed struct as copy_struct_from_user does: a larger
   size is fine if the bytes we do not know are zero (E2BIG if not). */
static long get_struct(void *dst, uint32_t known, uint64_t src)
{
	uint32_t size;
	uint8_t extra[64];

	if (limen_safe_read(&size, src, 4) != 4)
		return -EFAULT;
	if (size > PAGE)
		return -E2BIG;
	if (size < known)
		return -EINVAL;
	if (limen_safe_read(dst, src, known) != known)
		return -EFAULT;
	for (uint32_t o = known; o < size; o += sizeof(extra)) {
		uint32_t n = size - o < sizeof(extra) ? size - o
						      : (uint32_t)sizeof(extra);

		if (limen_safe_read(extra, src + o, n) != n)
			return -EFAULT;
		for (uint32_t i = 0; i < n; i++)
			if (extra[i])
				return -E2BIG;
	}
	return 0;
}

static long do_reg(uint16_t file, uint64_t arg)
{
	struct user_reg r;
	struct reg *free = 0;
	uint32_t index = 0;
	int32_t id = -1;
	int on = 0;
	uint32_t fixed = 0;
	long e;

	e = get_struct(&r, sizeof(r), arg);
	if (e < 0)
		return e;
	if (r.flags & ~(USER_EVENT_REG_PERSIST | USER_EVENT_REG_MULTI_FORMAT))
		return -EINVAL;
	if (r.flags & USER_EVENT_REG_PERSIST)
		return -EPERM; /* needs CAP_PERFMON in the kernel: not ours */
	if ((r.enable_size != 4 && r.enable_size != 8) ||
	    r.enable_bit >= r.enable_size * 8 ||
	    (r.enable_addr & (r.enable_size - 1)))
		return -EINVAL;
	e = limen_uev_register(r.name_args, MAX_EVENT_DESC,
			       !!(r.flags & USER_EVENT_REG_MULTI_FORMAT), &id,
			       &on, &fixed);
	if (e == -ENOSPC)
		return -EMFILE; /* the kernel's answer past user_events_max */
	if (e < 0)
		return e;
	if (id < 0)
		return -ENOENT; /* no session (cannot happen while traced) */
	uint64_t old = take();
	/* write_index: the event's index on this file if it has one (the
	   kernel's refs), else the next one */
	for (uint32_t i = 0; i < UE_REGS; i++) {
		struct reg *g = &regs[i];

		if (!g->file) {
			if (!free)
				free = g;
			continue;
		}
		/* the same bit of the same word twice */
		if (g->addr == r.enable_addr && g->bit == r.enable_bit) {
			give(old);
			return -EADDRINUSE;
		}
		if (g->file == file && g->id != id && g->index >= index)
			index = g->index + 1;
	}
	for (uint32_t i = 0; i < UE_REGS; i++)
		if (regs[i].file == file && regs[i].id == id)
			index = regs[i].index;
	if (!free) {
		give(old);
		return -ENOMEM;
	}
	e = set_bit(r.enable_addr, r.enable_size, r.enable_bit, on);
	if (!e)
		e = limen_safe_write(arg + offsetof(struct user_reg,
						    write_index),
				     &index, 4) == 4 ? 0 : -EFAULT;
	if (!e)
		*free = (struct reg){ .file = file, .bit = r.enable_bit,
				      .size = r.enable_size, .id = id,
				      .index = index, .fixed = fixed,
				      .has_loc = loc_fields(id),
				      .addr = r.enable_addr };
	if (!e)
		limen_uev_ref(id, 1); /* the tree's count (uevent_refs.c) */
	give(old);
	return e;
}

static long do_unreg(uint64_t arg)
{
	struct user_unreg u;
	long e = get_struct(&u, sizeof(u), arg);

	if (e < 0)
		return e;
	if (u.reserved || u.reserved2)
		return -EINVAL;
	uint64_t old = take();
	e = -ENOENT;
	for (uint32_t i = 0; i < UE_REGS; i++) {
		struct reg *g = &regs[i];

		if (g->file && g->addr == u.disable_addr &&
		    g->bit == u.disable_bit) {
			set_bit(g->addr, g->size, g->bit, 0);
			g->file = 0;
			limen_uev_ref(g->id, -1);
			e = 0;
			break;
		}
	}
	give(old);
	return e;
}

/* An event some registration of any process of the tree uses, or a
   tracer has (an enable file, the collector): the kernel's refcount. */
static int in_use(uint32_t id)
{
	if (limen_uev_bit(limen_uev_area(limen_rt.ctl)->on, id))
		return 1;
	return limen_uev_refs(id) > 0;
}

/* The event table entry i is called name (len bytes). */
static int named(const struct limen_uevent_ent *u, const char *name,
		 uint32_t len)
{
	return __atomic_load_n(&u->state, __ATOMIC_ACQUIRE) ==
		       LIMEN_UEVENT_READY &&
	       !limen_strncmp(u->name_args, name, len) &&
	       (u->name_args[len] == ' ' || !u->name_args[len]);
}

/* DIAG_IOCSDEL (and !u:NAME): only an event nobody here has registered.
   Every format of the name goes, as the kernel deletes them all. */
long limen_uev_del(uint64_t arg)
{
	char name[LIMEN_UEV_NAME + 1];
	struct limen_ctl *c = limen_rt.ctl;
	long n = limen_safe_read(name, arg, sizeof(name) - 1);
	uint32_t len = 0;
	long e = -ENOENT;

	if (n <= 0)
		return -EFAULT;
	name[n] = 0;
	while (name[len])
		len++;
	if (len >= LIMEN_UEV_NAME || !c)
		return -ENOENT;
	uint64_t old = take();
	uint64_t aold = limen_area_lock(&limen_uev_area(c)->reg_lock);
	for (uint32_t i = 0; i < LIMEN_UEVENT_MAX && e != -EBUSY; i++) {
		struct limen_uevent_ent *u = &limen_uev_area(c)->uevents[i];

		if (!named(u, name, len))
			continue;
		if (in_use(i)) {
			e = -EBUSY;
			break;
		}
		limen_uev_forget(i);
		__atomic_store_n(&u->state, LIMEN_UEVENT_FREE,
				 __ATOMIC_RELEASE);
		e = 0;
	}
	limen_area_unlock(&limen_uev_area(c)->reg_lock, aold);
	give(old);
	return e;
}

/* "> dynamic_events": every event goes, unless one is in use (EBUSY,
   and then none goes, as the kernel's dyn_events_release_all). */
long limen_uev_del_all(void)
{
	struct limen_ctl *c = limen_rt.ctl;

	if (!c)
		return 0;
	uint64_t old = take();
	for (uint32_t i = 0; i < LIMEN_UEVENT_MAX; i++)
		if (__atomic_load_n(&limen_uev_area(c)->uevents[i].state,
				    __ATOMIC_ACQUIRE) == LIMEN_UEVENT_READY &&
		    in_use(i)) {
			give(old);
			return -EBUSY;
		}
	for (uint32_t i = 0; i < LIMEN_UEVENT_MAX; i++) {
		struct limen_uevent_ent *u = &limen_uev_area(c)->uevents[i];

		if (__atomic_load_n(&u->state, __ATOMIC_ACQUIRE) ==
		    LIMEN_UEVENT_READY) {
			limen_uev_forget(i);
			__atomic_store_n(&u->state, LIMEN_UEVENT_FREE,
					 __ATOMIC_RELEASE);
		}
	}
	give(old);
	return 0;
}

/* The payload (past the write_index) to the emulated trace file, when
   an enable file asked for the event: at most TFS_PAYLOAD bytes of it. */
#define TFS_PAYLOAD 4096u
static void tfs_emit(int32_t id, const long *iovp, long niov)
{
	uint8_t p[TFS_PAYLOAD];
	uint64_t off = 0, skip = 4;
	uint32_t used = 0;
	struct limen_uev_area *a = limen_uev_area(limen_rt.ctl);

	if (!limen_uev_bit(a->ftrace_on, (uint32_t)id))
		return;
	for (long i = 0; i < niov && used < sizeof(p); i++) {
		long iov[2];
		uint64_t s = 0, len;

		if (limen_safe_read(iov, (uint64_t)(iovp + 2 * i), 16) != 16)
			return;
		len = (uint64_t)iov[1];
		if (off < skip)
			s = skip - off < len ? skip - off : len;
		off += len;
		len -= s;
		if (len > sizeof(p) - used)
			len = sizeof(p) - used;
		if (len && limen_safe_read(p + used, (uint64_t)iov[0] + s,
					   len) != (long)len)
			return;
		used += (uint32_t)len;
	}
	limen_tfs_emit(id, p, used);
}

/* n bytes at offset off of the payload (past skip bytes of the iovec
   array): 0, or -1 if the iovecs end first or cannot be read */
static int iov_at(const long *iovp, long niov, uint64_t skip, uint64_t off,
		  void *dst, uint32_t n)
{
	uint64_t pos = 0, want = skip + off;
	uint32_t got = 0;

	for (long i = 0; i < niov && got < n; i++) {
		long iov[2];
		uint64_t len, s;

		if (limen_safe_read(iov, (uint64_t)(iovp + 2 * i), 16) != 16)
			return -1;
		len = (uint64_t)iov[1];
		if (pos + len <= want + got) {
			pos += len;
			continue;
		}
		s = want + got - pos;
		len -= s;
		if (len > n - got)
			len = n - got;
		if (limen_safe_read((uint8_t *)dst + got, (uint64_t)iov[0] + s,
				    len) != (long)len)
			return -1;
		got += (uint32_t)len;
		pos = want + got;
	}
	return got == n ? 0 : -1;
}

/*
 * The kernel's check of a payload's __data_loc/__rel_loc fields when a
 * tracer takes the event (user_event_validate): the data they locate
 * lies within the payload, and a string's last byte is its NUL; EFAULT
 * otherwise. Offsets count as the kernel's do, in the entry, which has 8
 * bytes of common fields before the payload: a __data_loc's from the
 * entry's start, a __rel_loc's from the end of its field.
 */
static long validate(int32_t id, const long *iovp, long niov, uint64_t total)
{
	struct limen_uev_fmt fmt;
	uint64_t ent = 8 + total - 4;

	if (limen_uev_fmt_of((uint32_t)id, &fmt) < 0)
		return 0;
	for (uint32_t i = 0; i < fmt.nfields; i++) {
		const struct limen_uev_field *f = &fmt.f[i];
		uint32_t loc;
		uint64_t pos;
		uint8_t last;

		if (f->kind != LIMEN_UEV_DATA_LOC &&
		    f->kind != LIMEN_UEV_REL_LOC)
			continue;
		if (iov_at(iovp, niov, 4, f->off, &loc, 4) < 0)
			return -EFAULT;
		pos = loc & 0xffff;
		if (f->kind == LIMEN_UEV_REL_LOC)
			pos += 8u + f->off + 4u;
		pos += loc >> 16;
		if (pos > ent)
			return -EFAULT;
		/* char[]: a string ends with its NUL (u8[] need not) */
		if (!f->is_signed)
			continue;
		if (pos < 9 || iov_at(iovp, niov, 4, pos - 9, &last, 1) < 0 ||
		    last)
			return -EFAULT;
	}
	return 0;
}

/* Event id has fields whose payload the kernel checks (validate). */
static uint32_t loc_fields(int32_t id)
{
	struct limen_uev_fmt fmt;

	if (limen_uev_fmt_of((uint32_t)id, &fmt) < 0)
		return 0;
	for (uint32_t i = 0; i < fmt.nfields; i++)
		if (fmt.f[i].kind == LIMEN_UEV_DATA_LOC ||
		    fmt.f[i].kind == LIMEN_UEV_REL_LOC)
			return 1;
	return 0;
}

/* write/writev on a user_events file: iov as the kernel reads it. */
static long do_write(uint16_t file, const long *iovp, long niov)
{
	long r;
	uint32_t index;
	int32_t id = -1;
	int on = 0;
	uint32_t fixed = 0, has_loc = 0;

	if (niov < 0 || niov > 1024)
		return -EINVAL;
	/* the first 4 bytes: the write_index */
	{
		long iov[2];
		uint32_t got = 0;

		for (long i = 0; i < niov && got < 4; i++) {
			uint64_t base, len;

			if (limen_safe_read(iov, (uint64_t)(iovp + 2 * i),
					    16) != 16)
				return -EFAULT;
			base = (uint64_t)iov[0];
			len = (uint64_t)iov[1];
			if (len > 4 - got)
				len = 4 - got;
			if (len && limen_safe_read((uint8_t *)&index + got,
						   base, len) != (long)len)
				return -EFAULT;
			got += (uint32_t)len;
		}
		if (got < 4) /* copy_from_iter fell short, as the kernel */
			return -EFAULT;
	}
	uint64_t old = take();
	for (uint32_t i = 0; i < UE_REGS; i++)
		if (regs[i].file == file && regs[i].index == index) {
			id = regs[i].id;
			on = on_now(id);
			fixed = regs[i].fixed;
			has_loc = regs[i].has_loc;
		}
	give(old);
	if ((int32_t)index < 0)
		return -EINVAL; /* the kernel's index is an int */
	if (id < 0)
		return -ENOENT;
	if (on && has_loc) {
		/* the sizes first (EINVAL), then where the fields point */
		r = limen_uev_record(-1, iovp, niov, 4, fixed);
		if (r >= 0) {
			long v = validate(id, iovp, niov, (uint64_t)r);

			if (v < 0)
				return v;
		}
	}
	r = limen_uev_record(on ? id : -1, iovp, niov, 4, fixed);
	/* no tracer on the event: the kernel's EBADF, once the size is
	   checked */
	if (r >= 0 && !on)
		return -EBADF;
	if (r >= 0)
		tfs_emit(id, iovp, niov);
	return r;
}

void limen_uev_set_on(int32_t id, int on)
{
	struct limen_ctl *c = limen_rt.ctl;

	limen_uev_setbit(limen_uev_area(c)->on, (uint32_t)id, on);
	__atomic_add_fetch(&c->uevent_gen, 1, __ATOMIC_ACQ_REL);
	/* this process's bits before the write returns; the others' at
	   their next system call */
	limen_uev_sync();
}

void limen_uev_sync(void)
{
	struct limen_ctl *c = limen_rt.ctl;
	uint32_t gen;

	/* seccomp strict mode: no rt_sigprocmask (take), no process_vm_*
	   (set_bit); the thread's bits stay as they were */
	if (!c || limen_tls.strict)
		return;
	uint64_t old = take();
	gen = __atomic_load_n(&c->uevent_gen, __ATOMIC_ACQUIRE);
	for (uint32_t i = 0; i < UE_REGS; i++)
		if (regs[i].file)
			set_bit(regs[i].addr, regs[i].size, regs[i].bit,
				on_now(regs[i].id));
	limen_uev_gen_seen = gen;
	give(old);
}

/* A fork child: its mm's copy of every registration holds the event as
   the kernel's duplicated enablers do. Alone in the new process: the
   lock, maybe held by another thread of the parent at the fork, is
   not taken. */
void limen_uev_child(void)
{
	limen_uev_refs_child();
	lock = 0;
	for (uint32_t i = 0; i < UE_REGS; i++)
		if (regs[i].file)
			limen_uev_ref(regs[i].id, 1);
}

int limen_uev_track(uint64_t word, int32_t id, int on)
{
	struct reg *free = 0;
	int e;

	uint64_t old = take();
	for (uint32_t i = 0; i < UE_REGS; i++) {
		if (regs[i].file == API_FILE && regs[i].addr == word) {
			free = &regs[i]; /* registered again: the new id */
			break;
		}
		if (!regs[i].file && !free)
			free = &regs[i];
	}
	if (!free) {
		give(old);
		return -ENOMEM;
	}
	e = set_bit(word, 4, 0, on);
	if (!e && free->file)
		limen_uev_ref(free->id, -1);
	if (!e) {
		*free = (struct reg){ .file = API_FILE, .size = 4, .id = id,
				      .addr = word };
		limen_uev_ref(id, 1);
	}
	give(old);
	return e;
}

int limen_uev_untrack(uint64_t word)
{
	int e = -ENOENT;

	uint64_t old = take();
	for (uint32_t i = 0; i < UE_REGS; i++)
		if (regs[i].file == API_FILE && regs[i].addr == word) {
			set_bit(word, 4, 0, 0);
			regs[i].file = 0;
			limen_uev_ref(regs[i].id, -1);
			e = 0;
		}
	give(old);
	return e;
}

/*
 * The runtime's part in the calls that touch user_events files. Returns 1
 * with *ret set when it answered the call (or made it itself, to follow
 * the descriptors), 0 to let the caller make it.
 */
long limen_uev_hook(long nr, const long *a, long *ret)
{
	uint16_t f;

	switch (nr) {
	case SYS_open:
	case SYS_openat: {
		long path = nr == SYS_open ? a[0] : a[1];
		long flags = nr == SYS_open ? a[1] : a[2];
		long r;

		if (!limen_rt.ctl)
			return 0;
		/* trace, trace_pipe, tracing_on, dynamic_events: the
		   session's own where the kernel has no user_events, even
		   with a tracefs mounted (uevent_tracefs.c). Reading the
		   path costs a system call: only where a tracefs shadows
		   them, or the kernel said ENOENT */
		f = 0;
		if (limen_tfs_shadowed()) {
			f = limen_tfs_path((uint64_t)path);
			if (f && limen_tfs_is_session_wide(f)) {
				*ret = open_tfs(flags, f);
				return 1;
			}
		}
		r = limen_app_syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
		if (r >= 0 && limen_tfs_kernel_has() &&
		    is_data_path((uint64_t)path))
			tell_which(1);
		if (r == -ENOENT && is_data_path((uint64_t)path)) {
			tell_which(0);
			r = open_as(flags, 0);
		} else if (r == -ENOENT &&
			   (f || (f = limen_tfs_path((uint64_t)path)))) {
			r = open_tfs(flags, f);
		}
		else if (r >= 0 && (unsigned long)r < UE_FDS && any)
			__atomic_store_n(&fd_file[r], 0, __ATOMIC_RELEASE);
		*ret = r;
		return 1;
	}
	case SYS_ioctl:
		f = file_of(a[0]);
		if (!f)
			return 0;
		if (f & LIMEN_TFS_FILE) {
			*ret = -ENOTTY;
			return 1;
		}
		switch ((unsigned long)a[1]) {
		case DIAG_IOCSREG:
			*ret = do_reg(f, (uint64_t)a[2]);
			break;
		case DIAG_IOCSUNREG:
			*ret = do_unreg((uint64_t)a[2]);
			break;
		case DIAG_IOCSDEL:
			*ret = limen_uev_del((uint64_t)a[2]);
			break;
		default:
			*ret = -ENOTTY;
		}
		return 1;
	case SYS_writev:
		f = file_of(a[0]);
		if (!f)
			return 0;
		if (f & LIMEN_TFS_FILE) {
			long iov[2];

			/* tracefs takes one buffer per write; echo makes one */
			if (a[2] < 1)
				*ret = a[2] ? -EINVAL : 0;
			else if (limen_safe_read(iov, (uint64_t)a[1], 16) != 16)
				*ret = -EFAULT;
			else
				*ret = limen_tfs_write(f, (uint64_t)iov[0],
						       iov[1]);
			return 1;
		}
		*ret = do_write(f, (const long *)a[1], a[2]);
		return 1;
	case SYS_write: {
		long iov[2] = { a[1], a[2] };

		f = file_of(a[0]);
		if (!f)
			return 0;
		if (f & LIMEN_TFS_FILE) {
			*ret = limen_tfs_write(f, (uint64_t)a[1], a[2]);
			return 1;
		}
		/* the iovec is ours: read it as the program's would be */
		*ret = do_write(f, iov, 1);
		return 1;
	}
	case SYS_getdents64:
		f = file_of(a[0]);
		if (!(f & LIMEN_TFS_FILE))
			return 0;
		*ret = limen_tfs_is_dir(f) ?
			       limen_tfs_getdents(f, a[0], (uint64_t)a[1], a[2]) :
			       -ENOTDIR;
		return 1;
	case SYS_read:
	case SYS_readv:
		f = file_of(a[0]);
		if ((f & LIMEN_TFS_FILE) && limen_tfs_is_dir(f)) {
			*ret = -EISDIR;
			return 1;
		}
		if (!(f & LIMEN_TFS_FILE) || !limen_tfs_is_pipe(f))
			return 0;
		if (nr == SYS_read) {
			*ret = limen_tfs_read(a[0], (uint64_t)a[1], a[2]);
		} else {
			long iov[2];

			/* the first buffer that has room, as readv fills */
			*ret = 0;
			for (long i = 0; i < a[2] && !*ret; i++) {
				if (limen_safe_read(iov, (uint64_t)(a[1] +
								    16 * i),
						    16) != 16) {
					*ret = -EFAULT;
					break;
				}
				if (iov[1])
					*ret = limen_tfs_read(a[0],
							      (uint64_t)iov[0],
							      iov[1]);
			}
		}
		return 1;
	case SYS_close:
		if (!file_of(a[0]))
			return 0;
		*ret = limen_app_syscall(nr, a[0], 0, 0, 0, 0, 0);
		if (*ret == 0)
			__atomic_store_n(&fd_file[a[0]], 0, __ATOMIC_RELEASE);
		return 1;
	case SYS_dup:
	case SYS_dup2:
	case SYS_dup3:
	case SYS_fcntl:
		if (!any)
			return 0;
		if (nr == SYS_fcntl && a[1] != F_DUPFD &&
		    a[1] != F_DUPFD_CLOEXEC)
			return 0;
		f = file_of(a[0]);
		*ret = limen_app_syscall(nr, a[0], a[1], a[2], 0, 0, 0);
		if (*ret >= 0 && (unsigned long)*ret < UE_FDS)
			__atomic_store_n(&fd_file[*ret], f, __ATOMIC_RELEASE);
		return 1;
	}
	return 0;
}
