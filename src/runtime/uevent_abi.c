/* SPDX-License-Identifier: MIT */
/*
 * Linux's user_events ABI (include/uapi/linux/user_events.h, 6.4) on a
 * kernel built without it. A program opens user_events_data under
 * /sys/kernel/tracing/ or /sys/kernel/debug/tracing/; when the kernel
 * answers ENOENT, the runtime opens a memfd of its own in its place (the
 * file's name in the session, uevent_files.c) and remembers
 * the descriptor (and its dups) as a user_events file. On such a file:
 *
 *   ioctl(DIAG_IOCSREG, struct user_reg *)   registers an event (uevent.c)
 *	and sets or clears the program's enable bit as the collector wants
 *	the event; returns its write_index for this file
 *   write/writev(write_index, payload...)    records the payload as the
 *	event (when enabled), returns the bytes written, as the kernel
 *   ioctl(DIAG_IOCSUNREG, struct user_unreg *) clears the bit, ends the enabler
 *   ioctl(DIAG_IOCSDEL, name)                 deletes an event not in use
 *
 * with the kernel's checks and errors. Lifetimes are the kernel's
 * (kernel/trace/trace_events_user.c):
 *
 *   - a file holds each event registered through it (user_events_ref_add)
 *     until the file is released, its last descriptor closed
 *     (user_events_release): its write_index stays that event's, on that
 *     file, after DIAG_IOCSUNREG too, and DIAG_IOCSDEL of it is EBUSY
 *     meanwhile; the same event registered again on the file gets the same
 *     index, another event the next one (indexes are never reused while
 *     the file is open), even a registration whose enable bit could not be
 *     written (EFAULT) took its index;
 *   - a registration (an enabler of the mm, user_event_enabler_create)
 *     holds the event until DIAG_IOCSUNREG, exec or exit; a fork child has
 *     copies of the parent's (user_event_mm_dup) and of its descriptors.
 *
 *   - an event registered without USER_EVENT_REG_PERSIST goes with its
 *     last reference (6.5 on: user_event_put, delayed_destroy_user_event),
 *     a tracer's included; one made through dynamic_events persists
 *     (user_event_create) and DIAG_IOCSDEL of it is EPERM
 *     (user_event_capable).
 *
 * Both are counted in the session (uevent_refs.c), which deletes. A
 * file's references and indexes are the session's too (uevent_files.c):
 * the file is one for every process that has a descriptor of it, the
 * parent and child of a fork, the image after an exec; the enablers are
 * this process's (regs below).
 * The tracefs files are uevent_tracefs.c's and uevent_tfs_path.c's.
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
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
#define CLONE_VM_ 0x100u  /* linux/sched.h */
#define CLONE_PIDFD_ 0x1000u /* linux/sched.h */
#define CLOSE_RANGE_CLOEXEC_ 4u /* linux/close_range.h */
#define API_FILE 0x7fffu /* a registration of the C API (uevent.h) */
#define UE_REGS 1024u /* registrations per process */

/* per descriptor: its user_events_data file (its slot in the session +
   1), a tracefs file (LIMEN_TFS_FILE | kind), 0: not one */
static uint16_t fd_file[UE_FDS] LIMEN_COLD_BSS;
/* the generation of each session file slot this process knows */
static uint32_t fgen[LIMEN_UEV_FILES];
/* a user_events file was ever opened here (quickpath.c reads it too) */
int limen_uev_any LIMEN_HIDDEN;
/* a fork is under way in this thread (limen_uev_fork_pre): the child to
   come is counted a holder of the files in counted */
static int forking;
static uint8_t counted[LIMEN_UEV_FILES];

/* the enablers: a bit of the program's memory kept in line with an
   event */
static struct reg {
	uint16_t file;       /* 0: a free entry; the file may be closed */
	uint8_t bit, size;
	int32_t id;          /* the session's event id */
	uint64_t addr;
} regs[UE_REGS] LIMEN_COLD_BSS;
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
	if (!limen_uev_any || fd < 0 || (unsigned long)fd >= UE_FDS)
		return 0;
	return __atomic_load_n(&fd_file[fd], __ATOMIC_ACQUIRE);
}

/* For uevent_tfs_path.c: what descriptor fd stands for (0: nothing). */
uint16_t limen_uev_file_of(long fd)
{
	return file_of(fd);
}

static int is_data_path(uint64_t path)
{
	static const char a[] = "/sys/kernel/tracing/user_events_data";
	static const char b[] = "/sys/kernel/debug/tracing/user_events_data";
	char p[sizeof(b) + 1];
	long n = limen_peek_read(p, path, sizeof(p) - 1); /* peek.c */

	if (n <= 0)
		return 0;
	p[n] = 0;
	return !limen_strncmp(p, a, sizeof(a)) ||
	       !limen_strncmp(p, b, sizeof(b));
}

/* f stands for a user_events_data file: its slot in the session */
static int is_data(uint16_t f)
{
	return f && f <= LIMEN_UEV_FILES;
}

/*
 * Descriptor fd is now file f (0: none). When no descriptor of this
 * process is the file it was any more, this process holds it no more:
 * the last holder releases it (uevent_files.c), its events losing its
 * references, as in user_events_release. Lock held.
 */
static void set_fd(long fd, uint16_t f)
{
	uint16_t was;

	/* a vfork child's descriptors are its own, its memory is its
	   parent's: the parent's table stays as it is (an exec of the child
	   finds the files it kept, uevent_files.c) */
	if (fd < 0 || (unsigned long)fd >= UE_FDS || limen_tls.vfork_child)
		return;
	was = fd_file[fd];
	if (f && !limen_uev_any) {
		/* the first: descriptor calls go through the hook from
		   now on, before the program can use it (lean.c) */
		limen_uev_any = 1;
		limen_lean_fd_off();
	}
	__atomic_store_n(&fd_file[fd], f, __ATOMIC_RELEASE);
	if (!is_data(was) || was == f)
		return;
	for (uint32_t i = 0; i < UE_FDS; i++)
		if (fd_file[i] == was)
			return;
	limen_uevf_drop(was - 1u, fgen[was - 1]);
}

/*
 * The kernel has no user_events: a descriptor of ours stands in, a new
 * memfd, whose inode names the new file in the session for every process
 * that will have a descriptor of it (inherited, or kept across exec).
 */
static long open_data(long flags, uint16_t kind)
{
	struct stat st;
	uint32_t gen = 0;
	/* named by its path (which prefix): /proc's link shows it
	   (uevent_tfs_proc.c) */
	long fd = limen_tfs_memfd(kind, flags);
	long slot;

	if (fd < 0)
		return fd;
	if ((unsigned long)fd >= UE_FDS) {
		limen_sys1(SYS_close, fd);
		return -EMFILE;
	}
	slot = limen_sys2(SYS_fstat, fd, &st);
	if (slot == 0)
		slot = limen_uevf_open((uint64_t)st.st_dev,
				       (uint64_t)st.st_ino, &gen);
	if (slot < 0) {
		limen_sys1(SYS_close, fd);
		return slot;
	}
	uint64_t old = take();
	if (!limen_tls.vfork_child) /* the parent's memory (set_fd) */
		fgen[slot] = gen;
	set_fd(fd, (uint16_t)(slot + 1));
	limen_uev_any = 1;
	limen_lean_fd_off(); /* its calls go through the hook from now on */
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
	set_fd(fd, what);
	limen_uev_any = 1;
	limen_lean_fd_off();
	give(old);
	return fd;
}

/*
 * The kernel's checks of an open of a file that exists, in its order
 * (fs/namei.c, do_open), before anything of the emulated file is opened
 * or changed (O_TRUNC): O_CREAT with O_EXCL is EEXIST, O_CREAT of a
 * directory EISDIR, O_DIRECTORY of anything else ENOTDIR (of
 * user_events_data too, which limen_tfs_open never sees). O_PATH keeps
 * none of O_CREAT and O_EXCL (build_open_flags). 0: open it.
 */
static long open_exists(long flags, uint16_t kind)
{
	int dir = limen_tfs_is_dir(kind);

	if (flags & O_PATH)
		flags &= O_DIRECTORY;
	if ((flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL))
		return -EEXIST;
	if ((flags & O_CREAT) && dir)
		return -EISDIR;
	if ((flags & O_DIRECTORY) && !dir)
		return -ENOTDIR;
	return 0;
}

/* Open emulated file kind: user_events_data or a tracefs file. */
static long open_kind(long flags, uint16_t kind)
{
	long e = open_exists(flags, kind);

	if (e)
		return e;
	if (limen_tfs_is_data(kind)) {
		tell_which(0);
		return open_data(flags, kind);
	}
	return open_tfs(flags, kind);
}

static uint32_t loc_fields(int32_t id);

/*
 * The emulated file at path (rel: relative to dirfd too, as
 * limen_tfs_after_enoent looks; else absolute only, limen_tfs_path), 0:
 * none. When it is one, the events whose last holder ended unseen are
 * deleted first (the kernel did at the holder's exit), so that neither
 * the path nor what the file lists shows them.
 */
static uint16_t tfs_lookup(long dirfd, uint64_t path, int rel)
{
	return rel ? limen_tfs_after_enoent(dirfd, path) :
		     limen_tfs_path(path);
}

static uint16_t tfs_path(long dirfd, uint64_t path, int rel)
{
	uint16_t f = tfs_lookup(dirfd, path, rel);

	if (f) {
		uint32_t *lk = &limen_uev_area(limen_rt.ctl)->reg_lock;
		uint64_t old = limen_area_lock(lk);

		limen_uev_reap();
		limen_area_unlock(lk, old);
		f = tfs_lookup(dirfd, path, rel);
	}
	return f;
}

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

/* This process has an enabler at bit of the word at addr (lock held):
   the kernel's user_event_enabler_exists, per mm. */
static int enabler_at(uint64_t addr, uint8_t bit)
{
	for (uint32_t i = 0; i < UE_REGS; i++)
		if (regs[i].file && regs[i].addr == addr && regs[i].bit == bit)
			return 1;
	return 0;
}

/*
 * The index of event tag on file, adding the file's reference when it
 * has none (user_events_ref_add, uevent_files.c): the next index, since
 * a file's indexes are never given back while it is open. -ENOMEM when
 * the table is full, as the kernel's allocation failing.
 */
static long file_ref(uint16_t file, int32_t tag, uint32_t fixed,
		     uint32_t has_loc)
{
	if (!is_data(file))
		return -ENOENT;
	return limen_uevf_ref(file - 1u, fgen[file - 1], tag, fixed, has_loc);
}

/*
 * DIAG_IOCSREG, in the order of the kernel's user_events_ioctl_reg: the
 * struct, the address and bit not registered yet in this process, the
 * name parsed and the event found or created (holding it), the file's
 * reference (its index), then the enabler, which writes the bit.
 */
static long do_reg(uint16_t file, uint64_t arg)
{
	struct user_reg r;
	struct reg *free = 0;
	int32_t id = -1, tag;
	int on = 0;
	uint32_t fixed = 0, has_loc;
	long e, index;
	uint64_t old;

	e = get_struct(&r, sizeof(r), arg);
	if (e < 0)
		return e;
	if (r.flags & ~(USER_EVENT_REG_PERSIST | USER_EVENT_REG_MULTI_FORMAT))
		return -EINVAL;
	if ((r.enable_size != 4 && r.enable_size != 8) ||
	    r.enable_bit >= r.enable_size * 8 ||
	    (r.enable_addr & (r.enable_size - 1)))
		return -EINVAL;
	/* the same bit of the same word twice, before the name is read */
	old = take();
	e = enabler_at(r.enable_addr, r.enable_bit);
	give(old);
	if (e)
		return -EADDRINUSE;
	if (r.flags & USER_EVENT_REG_PERSIST)
		return -EPERM; /* needs CAP_PERFMON in the kernel: not ours */
	e = limen_uev_register(r.name_args, MAX_EVENT_DESC,
			       !!(r.flags & USER_EVENT_REG_MULTI_FORMAT), &id,
			       &on, &fixed, 1);
	if (e == -ENOSPC)
		return -EMFILE; /* the kernel's answer past user_events_max */
	if (e < 0)
		return e;
	if (id < 0)
		return -ENOENT; /* no session (cannot happen while traced) */
	tag = id;
	id = (int32_t)LIMEN_UEV_SLOT(tag);
	has_loc = loc_fields(id);
	old = take();
	if (enabler_at(r.enable_addr, r.enable_bit)) {
		e = -EADDRINUSE; /* another thread got there meanwhile */
		goto out;
	}
	index = file_ref(file, tag, fixed, has_loc);
	if (index < 0) {
		e = index;
		goto out;
	}
	for (uint32_t i = 0; i < UE_REGS && !free; i++)
		if (!regs[i].file)
			free = &regs[i];
	if (!free) {
		e = -ENOMEM;
		goto out;
	}
	/* a bit that cannot be written: EFAULT, the file keeps its
	   reference (user_event_enabler_create fails after ref_add) */
	e = set_bit(r.enable_addr, r.enable_size, r.enable_bit, on);
	if (!e) {
		*free = (struct reg){ .file = file, .bit = r.enable_bit,
				      .size = r.enable_size, .id = id,
				      .addr = r.enable_addr };
		limen_uev_ref(id, 1); /* the enabler's */
	}
out:
	give(old);
	limen_uev_ref(id, -1); /* the lookup's, now counted twice over */
	if (!e) {
		uint32_t w = (uint32_t)index;

		/* the kernel's put_user of it is not checked either */
		limen_put_user(arg + offsetof(struct user_reg, write_index),
			       &w, 4);
	}
	return e;
}

/* DIAG_IOCSUNREG: the enabler goes (not the file's reference: its
   write_index still writes the event) and the bit is cleared, EFAULT if
   it cannot be (user_events_ioctl_unreg, user_event_mm_clear_bit). */
static long do_unreg(uint64_t arg)
{
	struct user_unreg u;
	long e = get_struct(&u, sizeof(u), arg);
	uint8_t size = 0;

	if (e < 0)
		return e;
	if (u.reserved || u.reserved2)
		return -EINVAL;
	uint64_t old = take();
	e = -ENOENT;
	for (uint32_t i = 0; i < UE_REGS; i++) {
		struct reg *g = &regs[i];

		if (g->file && g->addr == u.disable_addr && g->bit == u.disable_bit) {
			g->file = 0;
			size = g->size;
			limen_uev_ref(g->id, -1);
			e = 0;
		}
	}
	if (!e)
		e = set_bit(u.disable_addr, size, u.disable_bit, 0);
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

/*
 * DIAG_IOCSDEL (ioctl) and "!u:NAME": every format of the name goes, as
 * the kernel's delete_user_event and user_event_free, in their order:
 * EBUSY while any reference is left (user_event_last_ref), then EPERM
 * for an event that persists when deleted through the ioctl
 * (user_event_capable: that needs CAP_PERFMON, which the emulation does
 * not grant, as it refuses USER_EVENT_REG_PERSIST; dynamic_events'
 * writer is the one that could make it). An event that does not persist
 * is never there without a reference (user_event_put deletes it with its
 * last one): it is EBUSY, or gone, ENOENT.
 */
static long del_named(uint64_t arg, int ioctl)
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
	limen_uev_reap(); /* those whose last holder ended: gone already */
	for (uint32_t i = 0; i < LIMEN_UEVENT_MAX && e != -EBUSY; i++) {
		struct limen_uevent_ent *u = &limen_uev_area(c)->uevents[i];

		if (!named(u, name, len))
			continue;
		if (in_use(i)) {
			e = -EBUSY;
			break;
		}
		if (ioctl && (u->gen & LIMEN_UEV_PERSIST)) {
			e = -EPERM;
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

long limen_uev_del(uint64_t arg)
{
	return del_named(arg, 0);
}

/* "> dynamic_events": every event goes, unless one is in use (EBUSY,
   and then none goes, as the kernel's dyn_events_release_all). */
long limen_uev_del_all(void)
{
	struct limen_ctl *c = limen_rt.ctl;

	if (!c)
		return 0;
	uint64_t old = take();
	/* the table's lock: no registration finds an event between its
	   check and its removal (as limen_uev_del) */
	uint64_t aold = limen_area_lock(&limen_uev_area(c)->reg_lock);
	limen_uev_reap();
	for (uint32_t i = 0; i < LIMEN_UEVENT_MAX; i++)
		if (__atomic_load_n(&limen_uev_area(c)->uevents[i].state,
				    __ATOMIC_ACQUIRE) == LIMEN_UEVENT_READY &&
		    in_use(i)) {
			limen_area_unlock(&limen_uev_area(c)->reg_lock, aold);
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
	limen_area_unlock(&limen_uev_area(c)->reg_lock, aold);
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
	int32_t id = -1, tag = -1;
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
	if ((int32_t)index < 0)
		return -EINVAL; /* the kernel's index is an int */
	/* the file's reference: its event while the file is open, whatever
	   was unregistered (user_events_write_core), whichever process
	   registered it (uevent_files.c) */
	if (!is_data(file) ||
	    limen_uevf_find(file - 1u, fgen[file - 1], index, &tag, &fixed,
			    &has_loc) < 0)
		return -ENOENT;
	id = (int32_t)LIMEN_UEV_SLOT(tag);
	on = on_now(id);
	if (on && has_loc) {
		/* the sizes first (EINVAL), then where the fields point */
		r = limen_uev_record(-1, iovp, niov, 4, fixed);
		if (r >= 0) {
			long v = validate(id, iovp, niov, (uint64_t)r);

			if (v < 0)
				return v;
		}
	}
	r = limen_uev_record(on ? tag : -1, iovp, niov, 4, fixed);
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
	if (!on)
		limen_uev_untraced((uint32_t)id); /* its last reference? */
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

/*
 * Before a fork (a child without CLONE_VM): the child to come holds the
 * files this process has descriptors of, counted now, so that the
 * parent's closing them at once cannot release what the child has. The
 * lock is held across the fork (*old: the mask to give back), so that
 * the descriptors the child inherits are those counted. Returns 1 when
 * it took the lock.
 */
int limen_uev_fork_pre(uint64_t flags, uint64_t *old)
{
	if ((flags & CLONE_VM_) ||
	    !__atomic_load_n(&limen_uev_any, __ATOMIC_RELAXED))
		return 0;
	*old = take();
	for (uint32_t fd = 0; fd < UE_FDS; fd++) {
		uint16_t f = fd_file[fd];

		if (is_data(f) && !counted[f - 1])
			counted[f - 1] =
				limen_uevf_fork_hold(f - 1u, fgen[f - 1]) == 0;
	}
	forking = 1;
	return 1;
}

/* The parent after the fork (r: its result): a child that was not made
   holds nothing. */
void limen_uev_fork_post(int held, long r, uint64_t old)
{
	if (!held)
		return;
	for (uint32_t s = 0; s < LIMEN_UEV_FILES; s++) {
		if (counted[s] && r < 0)
			limen_uevf_unfork(s, fgen[s]);
		counted[s] = 0;
	}
	forking = 0;
	give(old);
}

/* A fork child: its mm's copy of every registration holds the event as
   the kernel's duplicated enablers do (user_event_mm_dup), and it is a
   holder of the files its parent counted it in (limen_uev_fork_pre).
   Alone in the new process: the lock, held by the forking thread (or
   maybe by another thread of the parent at the fork), is not taken. */
void limen_uev_child(void)
{
	limen_uev_refs_child();
	if (forking) {
		forking = 0;
		limen_tls.fault_block--; /* take's, in the parent */
		for (uint32_t s = 0; s < LIMEN_UEV_FILES; s++)
			if (counted[s]) {
				limen_uevf_child(s, fgen[s]);
				counted[s] = 0;
			}
	}
	lock = 0;
	for (uint32_t i = 0; i < UE_REGS; i++)
		if (regs[i].file)
			limen_uev_ref(regs[i].id, 1);
}

/*
 * Descriptor fd came from another process (uevent_passfd.c): a
 * user_events_data file (its memfd's inode, in the session) or a tracefs
 * file (its memfd's name) is followed as if this process had opened it,
 * the same file as the sender's; anything else is not one of ours, even
 * if a descriptor of that number was.
 */
void limen_uev_adopt_fd(long fd)
{
	uint32_t gen = 0;
	uint16_t k = 0;
	long slot;

	if (fd < 0 || (unsigned long)fd >= UE_FDS)
		return;
	/* no stand-in in the session: nothing to look at */
	slot = limen_uevf_any() ? limen_uevf_adopt(fd, &gen, &k) : -ENOENT;
	if (slot < 0 && !k && !file_of(fd))
		return;
	uint64_t old = take();
	if (slot >= 0) {
		if (!limen_tls.vfork_child) /* the parent's memory (set_fd) */
			fgen[slot] = gen;
		k = (uint16_t)(slot + 1);
	}
	set_fd(fd, k);
	limen_uev_any |= !!k;
	give(old);
}

/* Descriptor fd is being sent to another process (undo: the message was
   not sent): a user_events_data file is held by the message meanwhile
   (uevent_files.c). */
void limen_uev_send_fd(long fd, int undo)
{
	uint16_t f = file_of(fd);

	if (!is_data(f))
		return;
	if (undo)
		limen_uevf_unsend(f - 1u, fgen[f - 1]);
	else
		limen_uevf_send(f - 1u, fgen[f - 1]);
}

/* A new image (exec): the user_events_data descriptors it kept are the
   files they were (uevent_files.c). */
void limen_uev_exec_files(void)
{
	if (limen_uevf_exec(fd_file, UE_FDS, fgen) > 0) {
		limen_uev_any = 1;
		limen_lean_fd_off();
	}
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
/*
 * O_CREAT of an emulated name where a tracefs is mounted: the tracefs
 * creates nothing and says EACCES, where a kernel with user_events opens
 * the file it has (EEXIST with O_EXCL: open_exists). 1: the kernel has
 * nothing at the path (a stat of it, following a last link as the open
 * would, says ENOENT), so the EACCES was the create's; a directory this
 * user may not search (the tracefs's 0700 top, for all but root) says
 * EACCES there too, and that stays the answer, as the kernel's.
 */
static int kernel_has_none(long dirfd, uint64_t path, long flags)
{
	struct stat st;

	return limen_sys4(SYS_newfstatat, (int)dirfd, path, &st,
			  flags & O_NOFOLLOW ? AT_SYMLINK_NOFOLLOW : 0) ==
	       -ENOENT;
}

/*
 * What open and openat do with the kernel's answer r (f: the session's
 * file the path named, found before the call, or 0).
 */
static long open_done(long dirfd, uint64_t path, long flags, uint16_t f,
		      long r)
{
	if (r == -EACCES && (flags & (O_CREAT | O_PATH)) == O_CREAT &&
	    (f || (f = tfs_path(dirfd, path, 1))) &&
	    kernel_has_none(dirfd, path, flags))
		r = -ENOENT; /* as where no tracefs is mounted */
	if (r == -ENOENT && (f || (f = tfs_path(dirfd, path, 1)))) {
		r = open_kind(flags, f);
	} else if (r >= 0 && (unsigned long)r < UE_FDS && limen_uev_any &&
		   fd_file[r]) {
		/* closed where we did not see it (close_range) */
		uint64_t old = take();

		set_fd(r, 0);
		give(old);
	}
	/* the kernel's tracefs top or events/: its listing gets the
	   emulated entries it lacks (uevent_tfs_path.c) */
	if (r >= 0 && (flags & O_DIRECTORY))
		limen_tfs_opened_dir(dirfd, path, r);
	return r;
}

/* The same for a plain path (limen_tfs_plain_path), whose call the quick
   way made (quickpath.c): what limen_uev_hook does after it */
long limen_uev_open_plain_done(long dirfd, uint64_t path, long flags, long r)
{
	return open_done(dirfd, path, flags, 0, r);
}

/* fd is not a file of ours (any more): forgotten, if it was one */
static void forget_fd(long fd)
{
	if (fd >= 0 && (unsigned long)fd < UE_FDS &&
	    __atomic_load_n(&fd_file[fd], __ATOMIC_ACQUIRE)) {
		uint64_t old = take();

		set_fd(fd, 0);
		give(old);
	}
}

/*
 * A call that makes new descriptors (LIMEN_UEV_NEWFD_CALLS: socket,
 * accept, pipe, memfd_create...) once a user_events file was opened
 * here. A number the emulation still takes for its file was closed
 * where it did not see it (by a CLONE_FILES child, or another process
 * sharing the table) when the kernel gives it out again: forgotten, as
 * open_done forgets it for an open, so that the new descriptor's writes
 * and ioctls are the kernel's.
 */
static long new_fds(long nr, const long *a)
{
	long r = limen_app_syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	int two[2];

	if (r < 0)
		return r;
	if (nr == SYS_pipe || nr == SYS_pipe2 || nr == SYS_socketpair) {
		/* the two descriptors are in the program's int[2] */
		if (limen_safe_read(two, (uint64_t)(nr == SYS_socketpair ?
							    a[3] :
							    a[0]),
				    sizeof(two)) == sizeof(two)) {
			forget_fd(two[0]);
			forget_fd(two[1]);
		}
		return r;
	}
	forget_fd(r);
	return r;
}

/* The same for the pidfd a clone or clone3 with CLONE_PIDFD wrote to
   the parent's int (a parent that opened a user_events file; dispatch.c
   calls this after the parent's return) */
void limen_uev_clone_done(long nr, const long *a)
{
	uint64_t flags = (uint64_t)a[0], at = (uint64_t)a[2], args[2];
	int fd;

	if (!__atomic_load_n(&limen_uev_any, __ATOMIC_RELAXED))
		return;
	if (nr == SYS_clone3) {
		/* struct clone_args: flags, then the pidfd's address */
		if ((unsigned long)a[1] < sizeof(args) ||
		    limen_safe_read(args, (uint64_t)a[0], sizeof(args)) !=
			    sizeof(args))
			return;
		flags = args[0];
		at = args[1];
	} else if (nr != SYS_clone) {
		return;
	}
	if ((flags & CLONE_PIDFD_) &&
	    limen_safe_read(&fd, at, sizeof(fd)) == sizeof(fd))
		forget_fd(fd);
}

long limen_uev_hook(long nr, const long *a, long *ret)
{
	uint16_t f;

	switch (nr) {
	LIMEN_UEV_NEWFD_CALLS(LIMEN_CASE)
		if (!limen_uev_any)
			return 0;
		*ret = new_fds(nr, a);
		return 1;
	case SYS_open:
	case SYS_openat: {
		long path = nr == SYS_open ? a[0] : a[1];
		long flags = nr == SYS_open ? a[1] : a[2];
		long dirfd = nr == SYS_open ? AT_FDCWD : (int)a[0];
		char abs[LIMEN_TFS_PATH];
		long r;
		int rel, plain;

		if (!limen_rt.ctl)
			return 0;
		/* most paths: nothing to look at before the kernel has
		   (uevent_tfs_plain.c) */
		plain = limen_tfs_plain_path(dirfd, (uint64_t)path);
		/* relative to an emulated directory (its descriptor, the
		   working directory): resolved here (uevent_tfs_path.c),
		   the kernel's when it leaves the emulated tree */
		rel = plain ? 0 :
			      limen_tfs_rel_file(dirfd, (uint64_t)path, abs, &f);
		/* /proc/PID/fd/N of an emulated file, /proc/PID/cwd/...: a
		   new open of the file it stands for (uevent_tfs_proc.c) */
		if (!rel && !plain)
			rel = limen_tfs_proc_file((uint64_t)path,
						  !!(flags & O_NOFOLLOW), abs,
						  &f);
		if (rel < 0) {
			*ret = rel;
			return 1;
		}
		if (rel) {
			if (f) {
				*ret = open_kind(flags, f);
				return 1;
			}
			r = limen_app_syscall(SYS_openat, AT_FDCWD, (long)abs,
					      flags, nr == SYS_open ? a[2] : a[3],
					      0, 0);
			if (r >= 0 && (unsigned long)r < UE_FDS &&
			    limen_uev_any && fd_file[r]) {
				uint64_t old = take();

				set_fd(r, 0);
				give(old);
			}
			if (r >= 0 && (flags & O_DIRECTORY))
				limen_tfs_opened_dir(AT_FDCWD,
						     (uint64_t)(uintptr_t)abs,
						     r);
			*ret = r;
			return 1;
		}
		/* trace, trace_pipe, tracing_on, dynamic_events: the
		   session's own where the kernel has no user_events, even
		   with a tracefs mounted (uevent_tracefs.c). Reading the
		   path costs a system call: only where a tracefs shadows
		   them, or the kernel said ENOENT */
		f = 0;
		if (!plain && limen_tfs_shadowed()) {
			f = tfs_path(AT_FDCWD, (uint64_t)path, 0);
			if (f && limen_tfs_is_session_wide(f)) {
				*ret = open_kind(flags, f);
				return 1;
			}
		}
		r = limen_app_syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
		if (r >= 0 && !plain && limen_tfs_kernel_has() &&
		    is_data_path((uint64_t)path))
			tell_which(1);
		*ret = open_done(dirfd, (uint64_t)path, flags, f, r);
		return 1;
	}
	case SYS_sendmsg:
	case SYS_sendmmsg:
	case SYS_recvmsg:
	case SYS_recvmmsg:
	case SYS_pidfd_getfd:
		/* a user_events file passed to or by another process */
		return limen_uev_passfd_hook(nr, a, ret);
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
			*ret = del_named((uint64_t)a[2], 1);
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
			return limen_tfs_dir_hook(a, ret);
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
		if (*ret == 0) {
			uint64_t old = take();

			set_fd(a[0], 0);
			give(old);
		}
		return 1;
	case SYS_close_range:
		/* the files it closes are released as by close (not with
		   CLOSE_RANGE_CLOEXEC, which only marks them) */
		if (!limen_uev_any ||
		    ((unsigned long)a[2] & CLOSE_RANGE_CLOEXEC_))
			return 0;
		*ret = limen_app_syscall(nr, a[0], a[1], a[2], 0, 0, 0);
		if (*ret == 0) {
			uint64_t old = take();

			for (unsigned long fd = (unsigned int)a[0];
			     fd <= (unsigned int)a[1] && fd < UE_FDS; fd++)
				if (fd_file[fd])
					set_fd((long)fd, 0);
			give(old);
		}
		return 1;
	case SYS_dup:
	case SYS_dup2:
	case SYS_dup3:
	case SYS_fcntl:
		if (!limen_uev_any)
			return 0;
		if (nr == SYS_fcntl && a[1] != F_DUPFD &&
		    a[1] != F_DUPFD_CLOEXEC)
			return 0;
		f = file_of(a[0]);
		*ret = limen_app_syscall(nr, a[0], a[1], a[2], 0, 0, 0);
		if (*ret >= 0) {
			/* dup2 onto a file of ours closed that one */
			uint64_t old = take();

			set_fd(*ret, f);
			give(old);
		}
		return 1;
	}
	/* stat, access, chdir, getcwd of the emulated files */
	return limen_tfs_path_hook(nr, a, ret);
}
