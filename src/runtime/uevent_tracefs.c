/* SPDX-License-Identifier: MIT */
/*
 * The tracefs files that go with user_events, as seen from inside the
 * traced tree where the kernel has no user_events and no tracefs is
 * mounted (uevent_abi.c opens them when the kernel answers ENOENT):
 *
 *   user_events_status               the events, "Active:", "Busy:"
 *   events/user_events/NAME/format   fields and print fmt, as the kernel
 *   events/user_events/NAME/id       the event's number
 *   events/user_events/NAME/enable   0/1: ftrace's interest in NAME
 *   events/user_events/enable        0/1/X for all of them
 *   dynamic_events                   u:NAME fields (write u:..., !u:NAME)
 *   tracing_on                       0/1
 *   trace, trace_pipe                the lines of the writes made while
 *                                    enabled, in ftrace's text format
 *   available_events                 user_events:NAME, then the kernel's
 *   set_event                        user_events:NAME enabled (write
 *                                    [!]user_events:NAME)
 *
 * (stat, access, relative paths and the working directory:
 * uevent_tfs_path.c)
 *
 * The state is the session's (session/uevent_area.h), shared by every
 * process of the tree. A file whose content is fixed at open (all but
 * trace_pipe) is a memfd filled with it, so that read, lseek, pread and
 * mmap are the kernel's own; trace_pipe reads are answered here. The
 * formats follow Linux's kernel/trace/trace_events_user.c (the print fmt,
 * dynamic_events and user_events_status) and trace_output.c (the trace
 * line of an event printed by its fields).
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "raw.h"
#include "rt.h"
#include "session/uevent_area.h"
#include "session/uevent_fmt.h"
#include "uevent_filter.h"

#define ID_BASE 2000u  /* event ids: after the kernel's static events */
#define TFS_LINE_MAX 2048u /* one trace line at most (longer is cut) */
#define MFD_CLOEXEC_ 1u
#define FUTEX_WAIT_ 0
#define FUTEX_WAKE_ 1
#define PR_GET_NAME_ 16
#define LOCK_SPINS (1u << 20)

/* ---- output: a bounded buffer, flushed to fd when it is one ---- */

struct out {
	long fd;       /* <0: a memory buffer only */
	uint32_t n, cap;
	int err;
	char *b;
};

static void flush(struct out *o)
{
	uint32_t done = 0;

	if (o->fd < 0)
		return;
	while (done < o->n) {
		long r = limen_sys3(SYS_write, o->fd, o->b + done,
				    o->n - done);

		if (r <= 0) {
			o->err = r ? (int)r : -EIO;
			break;
		}
		done += (uint32_t)r;
	}
	o->n = 0;
}

static void put(struct out *o, const char *s, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		if (o->n == o->cap) {
			if (o->fd < 0)
				return; /* cut */
			flush(o);
		}
		o->b[o->n++] = s[i];
	}
}

static void puts_(struct out *o, const char *s)
{
	put(o, s, (uint32_t)limen_strlen(s));
}

static void putc_(struct out *o, char c)
{
	put(o, &c, 1);
}

/* v in decimal, right-aligned in width with pad; left-aligned (padded
   with blanks after it) if left */
static void putu(struct out *o, uint64_t v, int width, char pad, int left)
{
	char d[24];
	int n = 0, k;

	do {
		d[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	k = n;
	for (int i = n; !left && i < width; i++)
		putc_(o, pad);
	while (n)
		putc_(o, d[--n]);
	for (int i = k; left && i < width; i++)
		putc_(o, ' ');
}

static void putd(struct out *o, int64_t v)
{
	if (v < 0) {
		putc_(o, '-');
		putu(o, (uint64_t)0 - (uint64_t)v, 0, ' ', 0);
	} else {
		putu(o, (uint64_t)v, 0, ' ', 0);
	}
}

static void putx(struct out *o, uint64_t v, int width)
{
	char d[16];
	int n = 0;

	do {
		d[n++] = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v);
	while (n < width)
		d[n++] = '0';
	while (n)
		putc_(o, d[--n]);
}

/* ---- the event table, read defensively ---- */

struct ev {
	char args[LIMEN_UEVENT_ARGS];
	struct limen_uev_fmt fmt;
};

static struct limen_uev_area *area(void)
{
	return limen_rt.ctl ? limen_uev_area(limen_rt.ctl) : 0;
}

/* Copy event id out of the shared table and parse it again: 0, or -1
   when the entry is not a READY, well-formed event. */
static int ev_get(uint32_t id, struct ev *e)
{
	struct limen_uev_area *a = area();
	const struct limen_uevent_ent *u;

	if (!a || id >= LIMEN_UEVENT_MAX)
		return -1;
	u = &a->uevents[id];
	if (__atomic_load_n(&u->state, __ATOMIC_ACQUIRE) != LIMEN_UEVENT_READY)
		return -1;
	memcpy(e->args, u->name_args, sizeof(e->args));
	e->args[sizeof(e->args) - 1] = 0;
	return limen_uev_parse(e->args, &e->fmt) < 0 ? -1 : 0;
}

/* The format of event id, parsed again from the table: 0, or -1. */
int limen_uev_fmt_of(uint32_t id, struct limen_uev_fmt *f)
{
	struct ev e;

	if (ev_get(id, &e) < 0)
		return -1;
	*f = e.fmt;
	return 0;
}

/* The id of the event called name (len bytes), -1 if none. */
static int ev_find(const char *name, uint32_t len)
{
	struct ev e;

	for (uint32_t i = 0; i < LIMEN_UEVENT_MAX; i++)
		if (ev_get(i, &e) == 0 && e.fmt.name_len == len &&
		    !limen_strncmp(e.args, name, len))
			return (int)i;
	return -1;
}

static int bit(const uint64_t *w, uint32_t id)
{
	return limen_uev_bit(w, id);
}

/* ---- the files' paths ---- */

enum tfs_kind {
	TFS_ENABLE = 0, /* events/user_events/NAME/enable */
	TFS_FORMAT,
	TFS_ID,
	TFS_STATUS,
	TFS_DYN,
	TFS_TRACING_ON,
	TFS_SYS_ENABLE, /* events/user_events/enable */
	TFS_TRACE,
	TFS_PIPE,
	TFS_DIR_SYS,    /* the directory events/user_events/ */
	TFS_DIR_EV,     /* the directory events/user_events/NAME/ */
	TFS_DATA,       /* user_events_data (opened by uevent_abi.c) */
	TFS_AVAIL,      /* available_events */
	TFS_SET_EVENT,  /* set_event */
	TFS_DIR_EVENTS, /* the directory events/, where the kernel has none */
	TFS_RDIR_ROOT,  /* the kernel's /sys/kernel/tracing/ (its listing) */
	TFS_RDIR_EVENTS, /* the kernel's events/ (its listing) */
	TFS_FILTER,     /* events/user_events/NAME/filter (uevent_tfs_filter.c) */
};

/* a kind: LIMEN_TFS_FILE, the file (sub) and the event id; TFS_DEBUG
   when reached under /sys/kernel/debug/tracing/ (where "..", the stat's
   template, the real files of the same name are) */
#define KIND(sub, id) ((uint16_t)(LIMEN_TFS_FILE | (sub) << 8 | (id)))
#define TFS_DEBUG 0x4000u
#define SUB(kind) (((kind) >> 8) & 0x3fu)

static int is(const char *p, const char *s)
{
	size_t n = limen_strlen(s);

	return !limen_strncmp(p, s, n + 1);
}

/* the files at the tracefs's top (n: the name's length, for
   limen_tfs_may_name) */
#define TOP(s, sub) { s, sizeof(s) - 1, sub }
static const struct {
	const char *name;
	uint32_t n;
	uint16_t sub;
} top[] = {
	TOP("user_events_data", TFS_DATA),
	TOP("user_events_status", TFS_STATUS),
	TOP("dynamic_events", TFS_DYN),
	TOP("tracing_on", TFS_TRACING_ON),
	TOP("trace", TFS_TRACE),
	TOP("trace_pipe", TFS_PIPE),
	TOP("available_events", TFS_AVAIL),
	TOP("set_event", TFS_SET_EVENT),
	TOP("events", TFS_DIR_EVENTS),
};
#undef TOP
#define NTOP (sizeof(top) / sizeof(top[0]))

/*
 * Resolve "." and ".." and repeated slashes of the absolute path p, in
 * place, as the kernel's walk would through the emulated directories
 * (none of which is a symbolic link). A path that ended with a slash
 * keeps one.
 */
void limen_tfs_norm(char *p)
{
	char *w = p;
	const char *r = p;
	int slash = 0;

	while (*r) {
		const char *c;
		size_t n;

		while (*r == '/')
			r++;
		if (!*r)
			break;
		c = r;
		while (*r && *r != '/')
			r++;
		n = (size_t)(r - c);
		slash = *r == '/';
		if (n == 1 && c[0] == '.')
			continue;
		if (n == 2 && c[0] == '.' && c[1] == '.') {
			while (w > p && w[-1] != '/')
				w--;
			if (w > p)
				w--;
			continue;
		}
		*w++ = '/';
		for (size_t i = 0; i < n; i++)
			*w++ = c[i];
	}
	if (w == p || slash)
		*w++ = '/';
	*w = 0;
}

/*
 * The emulated file or directory the absolute path p names (p is
 * normalised in place), 0 if none. Files a tracefs has with or without
 * user_events (trace, set_event, ...) are named here as well: whether
 * they stand for the kernel's is the caller's choice.
 */
uint16_t limen_tfs_lookup(char *p)
{
	static const char a[] = "/sys/kernel/tracing/";
	static const char b[] = "/sys/kernel/debug/tracing/";
	uint16_t dbg = 0;
	const char *r, *name;
	uint32_t len = 0;
	size_t n;
	int id, slash;

	if (!limen_rt.ctl)
		return 0;
	limen_tfs_norm(p);
	n = limen_strlen(p);
	slash = n > 1 && p[n - 1] == '/';
	if (slash)
		p[--n] = 0;
	if (!limen_strncmp(p, a, sizeof(a) - 1)) {
		r = p + sizeof(a) - 1;
	} else if (!limen_strncmp(p, b, sizeof(b) - 1)) {
		r = p + sizeof(b) - 1;
		dbg = TFS_DEBUG;
	} else {
		return 0;
	}
	for (uint32_t i = 0; i < NTOP; i++)
		if (is(r, top[i].name))
			return slash && top[i].sub != TFS_DIR_EVENTS ?
				       0 :
				       KIND(top[i].sub, 0) | dbg;
	if (is(r, "events/user_events"))
		return limen_tfs_any() ? KIND(TFS_DIR_SYS, 0) | dbg : 0;
	if (limen_strncmp(r, "events/user_events/",
			  sizeof("events/user_events/") - 1))
		return 0;
	name = r + sizeof("events/user_events/") - 1;
	/* the system's files exist once it has an event */
	if (is(name, "enable"))
		return limen_tfs_any() && !slash ?
			       KIND(TFS_SYS_ENABLE, 0) | dbg : 0;
	while (name[len] && name[len] != '/')
		len++;
	if (!len || len >= LIMEN_UEV_NAME)
		return 0;
	id = ev_find(name, len);
	if (id < 0)
		return 0;
	if (!name[len])
		return KIND(TFS_DIR_EV, id) | dbg;
	if (slash)
		return 0; /* a file named as a directory: not one */
	if (is(name + len, "/enable"))
		return KIND(TFS_ENABLE, id) | dbg;
	if (is(name + len, "/format"))
		return KIND(TFS_FORMAT, id) | dbg;
	if (is(name + len, "/id"))
		return KIND(TFS_ID, id) | dbg;
	if (is(name + len, "/filter"))
		return KIND(TFS_FILTER, id) | dbg;
	return 0;
}

/* The other last names of the emulated files and directories but an
   event's, with their lengths (limen_tfs_may_name) */
#define NM(s) { s, sizeof(s) - 1 }
static const struct {
	const char *s;
	uint32_t n;
} other_names[] = {
	NM("user_events"), NM("enable"), NM("format"), NM("id"),
	NM("filter"), NM("."), NM(".."),
};
#undef NM

/* This process's last look at the event table (limen_tfs_events_named):
   NAMED_SEEN, NAMED_ANY when an event was READY, and the session's
   uevent_gen it was made at in the low 32 bits */
#define NAMED_SEEN (1ull << 32)
#define NAMED_ANY (1ull << 33)
static uint64_t named_seen;

/*
 * 1: an event of the session is registered (READY), so that any name may
 * be its. The table's 256 entries are read again only when uevent_gen
 * moved since the last look: a registration bumps it once its entry is
 * READY (uevent.c, find_or_claim), a deletion once it is going
 * (limen_uev_forget), so a look made at the current generation saw every
 * event registered before it. Threads looking at once store what each
 * saw with the generation it read first: a look older than the current
 * generation is never taken. The table is the program's to write: what
 * it writes there can only make its own emulation find an event or not.
 */
int limen_tfs_events_named(void)
{
	const struct limen_ctl *c = limen_rt.ctl;
	struct limen_uev_area *a = area();
	uint64_t w;
	uint32_t gen;
	int any = 0;

	if (!c || !a)
		return 0;
	gen = __atomic_load_n(&c->uevent_gen, __ATOMIC_ACQUIRE);
	w = __atomic_load_n(&named_seen, __ATOMIC_RELAXED);
	if ((w & NAMED_SEEN) && (uint32_t)w == gen)
		return !!(w & NAMED_ANY);
	for (uint32_t i = 0; i < LIMEN_UEVENT_MAX && !any; i++)
		any = __atomic_load_n(&a->uevents[i].state,
				      __ATOMIC_RELAXED) == LIMEN_UEVENT_READY;
	__atomic_store_n(&named_seen,
			 NAMED_SEEN | (any ? NAMED_ANY : 0) | (uint64_t)gen,
			 __ATOMIC_RELAXED);
	return any;
}

/* The fixed names' lengths and first bytes: bit (c & 63) of
   fixed_first[n] when one of n bytes begins with c, built at the first
   look (each thread that builds it stores the same words). A name of
   FIXED_LONG bytes or more is always looked at (none of them is). */
#define FIXED_LONG 32u
static uint64_t fixed_first[FIXED_LONG];
static uint32_t fixed_first_done;

static void fixed_first_add(const char *s, uint32_t n, uint64_t *w)
{
	if (n < FIXED_LONG)
		w[n] |= 1ull << ((uint8_t)s[0] & 63);
}

static __attribute__((noinline, cold)) void fixed_first_build(void)
{
	uint64_t w[FIXED_LONG] = { 0 };

	for (uint32_t i = 0; i < NTOP; i++)
		fixed_first_add(top[i].name, top[i].n, w);
	for (uint32_t i = 0; i < sizeof(other_names) / sizeof(other_names[0]);
	     i++)
		fixed_first_add(other_names[i].s, other_names[i].n, w);
	for (uint32_t i = 0; i < FIXED_LONG; i++)
		__atomic_store_n(&fixed_first[i], w[i], __ATOMIC_RELAXED);
	__atomic_store_n(&fixed_first_done, 1, __ATOMIC_RELEASE);
}

/* 1: last (n bytes) is the name of an emulated file but an event's */
static int fixed_name(const char *last, uint32_t n)
{
	for (uint32_t i = 0; i < NTOP; i++)
		if (top[i].n == n && !limen_strncmp(last, top[i].name, n))
			return 1;
	for (uint32_t i = 0; i < sizeof(other_names) / sizeof(other_names[0]);
	     i++)
		if (other_names[i].n == n &&
		    !limen_strncmp(last, other_names[i].s, n))
			return 1;
	return 0;
}

static __attribute__((noinline)) int may_name_slow(const char *last,
						   uint32_t n)
{
	return (n && fixed_name(last, n)) || limen_tfs_events_named();
}

/* limen_tfs_may_name's answer without a call, or -1 (its slow way):
   the name's length and first byte none of a fixed name's, and
   limen_tfs_events_named's last look still standing */
static inline __attribute__((always_inline)) int
may_name_quick(const char *last, uint32_t n)
{
	const struct limen_ctl *c = limen_rt.ctl;
	uint64_t w;
	uint32_t gen;

	/* n - 1: the empty name and the long ones at once */
	if (n - 1 >= FIXED_LONG - 1 ||
	    !__atomic_load_n(&fixed_first_done, __ATOMIC_ACQUIRE) ||
	    ((__atomic_load_n(&fixed_first[n], __ATOMIC_RELAXED) >>
	      ((uint8_t)last[0] & 63)) & 1))
		return -1;
	if (!c)
		return 0;
	gen = __atomic_load_n(&c->uevent_gen, __ATOMIC_ACQUIRE);
	w = __atomic_load_n(&named_seen, __ATOMIC_RELAXED);
	if ((w & NAMED_SEEN) && (uint32_t)w == gen)
		return !!(w & NAMED_ANY);
	return -1;
}

/*
 * The relative path rel (its last name, n bytes) could name an emulated
 * file from some directory: one of their names, "." or "..", or, once
 * an event is registered, anything (an event's name). Spares a lookup of
 * the working directory to most relative paths the kernel says ENOENT to,
 * and lets the lean path make most calls of a relative path (uevent_tfs_
 * path.c, limen_tfs_lean_inert).
 */
int limen_tfs_may_name(const char *last, uint32_t n)
{
	int q = may_name_quick(last, n);

	if (__builtin_expect(q >= 0, 1))
		return q;
	if (!__atomic_load_n(&fixed_first_done, __ATOMIC_ACQUIRE))
		fixed_first_build();
	return may_name_slow(last, n);
}

/* !limen_tfs_may_name, for a tail call (limen_tfs_lean_inert, a leaf
   for most names) */
int limen_tfs_no_name(const char *last, uint32_t n)
{
	int q = may_name_quick(last, n);

	if (__builtin_expect(q >= 0, 1))
		return !q;
	return !limen_tfs_may_name(last, n);
}

/* limen_tfs_lookup of the program's path string at path. */
uint16_t limen_tfs_path(uint64_t path)
{
	char p[LIMEN_TFS_PATH];
	long n;

	if (!limen_rt.ctl)
		return 0;
	/* most paths are told apart by their first bytes */
	n = limen_peek_read(p, path, 12);
	if (n < 12 || limen_strncmp(p, "/sys/kernel/", 12))
		return 0;
	n = limen_peek_read(p, path, sizeof(p) - 1);
	if (n <= 0)
		return 0;
	p[n] = 0;
	if (p[0] != '/' || limen_strlen(p) >= sizeof(p) - 1)
		return 0;
	return limen_tfs_lookup(p);
}

/* The path of directory kind in out (LIMEN_TFS_PATH bytes): its length,
   0 if it is none (an event deleted since) */
uint32_t limen_tfs_dir_path(uint16_t kind, char *out)
{
	const char *pre = kind & TFS_DEBUG ? "/sys/kernel/debug/tracing" :
					     "/sys/kernel/tracing";
	uint32_t n = (uint32_t)limen_strlen(pre), sub = SUB(kind);
	struct ev e;

	memcpy(out, pre, n);
	memcpy(out + n, "/events/user_events", 19);
	n += sub == TFS_DIR_EVENTS ? 7 : 19;
	if (sub == TFS_DIR_EV) {
		if (ev_get(kind & 0xff, &e) < 0)
			return 0;
		out[n++] = '/';
		memcpy(out + n, e.args, e.fmt.name_len);
		n += e.fmt.name_len;
	} else if (sub != TFS_DIR_SYS && sub != TFS_DIR_EVENTS) {
		return 0;
	}
	out[n] = 0;
	return n;
}

/*
 * The path of any kind, file or directory, in out (LIMEN_TFS_PATH bytes),
 * as the kernel's /proc/PID/fd/N link shows an open tracefs file: its
 * length, 0 if it names none (an event deleted since).
 */
uint32_t limen_tfs_kind_path(uint16_t kind, char *out)
{
	const char *pre = kind & TFS_DEBUG ? "/sys/kernel/debug/tracing/" :
					     "/sys/kernel/tracing/";
	static const char *const ev_file[] = {
		[TFS_ENABLE] = "/enable", [TFS_FORMAT] = "/format",
		[TFS_ID] = "/id", [TFS_FILTER] = "/filter",
	};
	uint32_t sub = SUB(kind), n, k;
	struct ev e;

	if (!(kind & LIMEN_TFS_FILE))
		return 0;
	if (limen_tfs_is_dir(kind))
		return limen_tfs_dir_path(kind, out);
	n = (uint32_t)limen_strlen(pre);
	memcpy(out, pre, n);
	for (uint32_t i = 0; i < NTOP; i++)
		if (top[i].sub == sub) {
			k = (uint32_t)limen_strlen(top[i].name);
			memcpy(out + n, top[i].name, k + 1);
			return n + k;
		}
	if (sub == TFS_SYS_ENABLE) {
		memcpy(out + n, "events/user_events/enable", 26);
		return n + 25;
	}
	if (sub >= sizeof(ev_file) / sizeof(ev_file[0]) || !ev_file[sub] ||
	    ev_get(kind & 0xff, &e) < 0)
		return 0;
	memcpy(out + n, "events/user_events/", 19);
	n += 19;
	memcpy(out + n, e.args, e.fmt.name_len);
	n += e.fmt.name_len;
	k = (uint32_t)limen_strlen(ev_file[sub]);
	memcpy(out + n, ev_file[sub], k + 1);
	return n + k;
}

/*
 * A memfd standing in for kind, named "limen:PATH" (MEMFD_PREFIX), so
 * that its /proc link names the file it stands for to any process that
 * has it (uevent_tfs_proc.c); flags: O_CLOEXEC or not.
 */
long limen_tfs_memfd(uint16_t kind, long flags)
{
	char name[LIMEN_TFS_MEMFD_NAME];
	char p[LIMEN_TFS_PATH];
	uint32_t n = limen_tfs_kind_path(kind, p), k = sizeof(LIMEN_TFS_MEMFD) - 1;

	memcpy(name, LIMEN_TFS_MEMFD, k);
	/* the longest: the debug prefix, an event's name, "/filter" */
	if (n && n < sizeof(name) - k)
		memcpy(name + k, p, n);
	else
		n = 0;
	name[k + n] = 0;
	return limen_sys2(SYS_memfd_create, name,
			  flags & O_CLOEXEC ? MFD_CLOEXEC_ : 0);
}

/* The kind of the descriptor whose file is (dev, ino) when it is
   trace_pipe's stand-in, the collector's readiness pipe; 0 if not. */
uint16_t limen_tfs_pipe_of(uint64_t dev, uint64_t ino)
{
	struct limen_uev_area *a = area();

	if (!a || !ino ||
	    __atomic_load_n(&a->pipe_ino, __ATOMIC_ACQUIRE) != ino ||
	    a->pipe_dev != dev)
		return 0;
	return KIND(TFS_PIPE, 0);
}

/*
 * What stat says of kind: the modes the kernel creates them with
 * (TRACE_MODE_WRITE 0640, TRACE_MODE_READ 0440; eventfs's directories
 * 0755), and an inode number of its own, the same under both prefixes
 * (one tracefs).
 */
uint32_t limen_tfs_mode(uint16_t kind)
{
	switch (SUB(kind)) {
	case TFS_DIR_SYS:
	case TFS_DIR_EV:
	case TFS_DIR_EVENTS:
		return 0040755;
	case TFS_STATUS:
	case TFS_FORMAT:
	case TFS_ID:
	case TFS_PIPE:
	case TFS_AVAIL:
		return 0100440;
	}
	return 0100640;
}

uint64_t limen_tfs_ino(uint16_t kind)
{
	return 0x7fe00000u + (kind & 0x3fffu);
}

uint16_t limen_tfs_data_kind(void)
{
	return KIND(TFS_DATA, 0);
}

int limen_tfs_is_data(uint16_t kind)
{
	return (kind & LIMEN_TFS_FILE) && SUB(kind) == TFS_DATA;
}

/* Some event is registered. */
int limen_tfs_any(void)
{
	struct ev e;

	for (uint32_t i = 0; i < LIMEN_UEVENT_MAX; i++)
		if (ev_get(i, &e) == 0)
			return 1;
	return 0;
}

/* ---- what the files say ---- */

static void field_type(struct out *o, const struct ev *e,
		       const struct limen_uev_field *f, uint32_t upto)
{
	/* the words before the name, up to `upto` bytes of them */
	uint32_t n = (uint32_t)(f->name_off - f->type_off - 1);

	put(o, e->args + f->type_off, n < upto ? n : upto);
}

static int type_has(const struct ev *e, const struct limen_uev_field *f,
		    const char *w)
{
	uint32_t n = (uint32_t)(f->name_off - f->type_off - 1);
	size_t k = limen_strlen(w);

	for (uint32_t i = 0; i + k <= n; i++)
		if (!limen_strncmp(e->args + f->type_off + i, w, k))
			return 1;
	return 0;
}

static void name(struct out *o, const struct ev *e,
		 const struct limen_uev_field *f)
{
	put(o, e->args + f->name_off, f->name_len);
}

/* user_field_format: the printf conversion the kernel picks by type */
static const char *conv(const struct ev *e, const struct limen_uev_field *f)
{
	static const struct {
		const char *t, *c;
	} tab[] = {
		{ "s64", "%lld" }, { "u64", "%llu" }, { "s32", "%d" },
		{ "u32", "%u" },   { "int", "%d" },   { "unsigned int", "%u" },
		{ "s16", "%d" },   { "u16", "%u" },   { "short", "%d" },
		{ "unsigned short", "%u" }, { "s8", "%d" }, { "u8", "%u" },
		{ "char", "%d" },  { "unsigned char", "%u" },
	};
	uint32_t n = (uint32_t)(f->name_off - f->type_off - 1);

	for (uint32_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (limen_strlen(tab[i].t) == n &&
		    !limen_strncmp(e->args + f->type_off, tab[i].t, n))
			return tab[i].c;
	if (type_has(e, f, "char["))
		return "%s";
	return "%llu";
}

static void gen_format(struct out *o, uint32_t id)
{
	struct ev e;

	if (ev_get(id, &e) < 0)
		return;
	puts_(o, "name: ");
	put(o, e.args, e.fmt.name_len);
	puts_(o, "\nID: ");
	putu(o, ID_BASE + id, 0, ' ', 0);
	puts_(o, "\nformat:\n"
		 "\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
		 "\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
		 "\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
		 "\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n");
	for (uint32_t i = 0; i < e.fmt.nfields; i++) {
		const struct limen_uev_field *f = &e.fmt.f[i];
		uint32_t n = (uint32_t)(f->name_off - f->type_off - 1), br;
		const char *t = e.args + f->type_off;

		/* TYPE[N] shows as TYPE NAME[N], but __data_loc's as is */
		for (br = 0; br < n && t[br] != '['; br++)
			;
		if (!limen_strncmp(t, "__data_loc", 10))
			br = n;
		puts_(o, "\tfield:");
		field_type(o, &e, f, br);
		putc_(o, ' ');
		name(o, &e, f);
		put(o, t + br, n - br);
		puts_(o, ";\toffset:");
		putu(o, 8u + f->off, 0, ' ', 0);
		puts_(o, ";\tsize:");
		putu(o, f->size, 0, ' ', 0);
		puts_(o, ";\tsigned:");
		putc_(o, t[0] != 'u' ? '1' : '0');
		puts_(o, ";\n");
	}
	puts_(o, "\nprint fmt: \"");
	for (uint32_t i = 0; i < e.fmt.nfields; i++) {
		if (i)
			putc_(o, ' ');
		name(o, &e, &e.fmt.f[i]);
		putc_(o, '=');
		puts_(o, conv(&e, &e.fmt.f[i]));
	}
	putc_(o, '"');
	for (uint32_t i = 0; i < e.fmt.nfields; i++) {
		const struct limen_uev_field *f = &e.fmt.f[i];
		int dyn = type_has(&e, f, "char") &&
			  (f->kind == LIMEN_UEV_DATA_LOC ||
			   f->kind == LIMEN_UEV_REL_LOC);

		if (dyn)
			puts_(o, f->kind == LIMEN_UEV_DATA_LOC ?
					 ", __get_str(" : ", __get_rel_str(");
		else
			puts_(o, ", REC->");
		name(o, &e, f);
		if (dyn)
			putc_(o, ')');
	}
	putc_(o, '\n');
}

static void gen_status(struct out *o)
{
	struct limen_uev_area *a = area();
	const uint64_t *ft = a->ftrace_on;
	uint32_t active = 0, busy = 0;
	struct ev e;

	for (uint32_t i = 0; i < LIMEN_UEVENT_MAX; i++) {
		int other;

		if (ev_get(i, &e) < 0)
			continue;
		/* limen's collector is a tracer of its own: "other" */
		other = limen_uev_wanted(limen_rt.ctl, e.args,
					 e.fmt.name_len);
		put(o, e.args, e.fmt.name_len);
		if (bit(ft, i) || other) {
			puts_(o, " # Used by");
			if (bit(ft, i))
				puts_(o, " ftrace");
			if (other)
				puts_(o, " other");
			busy++;
		}
		putc_(o, '\n');
		active++;
	}
	puts_(o, "\nActive: ");
	putu(o, active, 0, ' ', 0);
	puts_(o, "\nBusy: ");
	putu(o, busy, 0, ' ', 0);
	putc_(o, '\n');
}

static void gen_dyn(struct out *o)
{
	struct ev e;

	/* the normalised form is the kernel's: "type name; type name" */
	for (uint32_t i = 0; i < LIMEN_UEVENT_MAX; i++) {
		if (ev_get(i, &e) < 0)
			continue;
		puts_(o, "u:");
		puts_(o, e.args);
		putc_(o, '\n');
	}
}

static void gen_sys_enable(struct out *o)
{
	const uint64_t *ft = area()->ftrace_on;
	int on = 0, off = 0;
	struct ev e;

	for (uint32_t i = 0; i < LIMEN_UEVENT_MAX; i++) {
		if (ev_get(i, &e) < 0)
			continue;
		if (bit(ft, i))
			on = 1;
		else
			off = 1;
	}
	puts_(o, on && off ? "X\n" : on ? "1\n" : off ? "0\n" : "?\n");
}

/*
 * available_events: "user_events:NAME" for each event, then the
 * kernel's own list when it can be read. The kernel adds an event at the
 * head of its list (__register_event, trace_create_new_event): the user
 * events come first, the highest id first here.
 */
/* The kernel's available_events after ours (aside where other threads
   share the descriptors: aside.c; o's memfd is in the helper's copy of
   the table under the same number) */
struct avail_job {
	struct out *o;
	uint16_t kind;
};

static long kernel_avail(void *arg, int helper)
{
	const struct avail_job *j = arg;
	char chunk[512];
	long fd, n;

	(void)helper;
	fd = limen_sys3(SYS_open,
			j->kind & TFS_DEBUG ?
				"/sys/kernel/debug/tracing/available_events" :
				"/sys/kernel/tracing/available_events",
			O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0)
		return 0; /* no tracefs, or not the user's to read */
	while ((n = limen_sys3(SYS_read, fd, chunk, sizeof(chunk))) > 0)
		put(j->o, chunk, (uint32_t)n);
	limen_sys1(SYS_close, fd);
	return 0;
}

static void gen_avail(struct out *o, uint16_t kind)
{
	struct avail_job j = { o, kind };
	struct ev e;
	long r;

	for (uint32_t i = LIMEN_UEVENT_MAX; i-- > 0;) {
		if (ev_get(i, &e) < 0)
			continue;
		puts_(o, "user_events:");
		put(o, e.args, e.fmt.name_len);
		putc_(o, '\n');
	}
	limen_aside(kernel_avail, &j, &r);
}

/* set_event: the events enabled, "system:event", in available_events'
   order (the kernel's s_next walks the same list) */
static void gen_set_event(struct out *o)
{
	const uint64_t *ft = area()->ftrace_on;
	struct ev e;

	for (uint32_t i = LIMEN_UEVENT_MAX; i-- > 0;) {
		if (ev_get(i, &e) < 0 || !bit(ft, i))
			continue;
		puts_(o, "user_events:");
		put(o, e.args, e.fmt.name_len);
		putc_(o, '\n');
	}
}

/* ---- the text buffer (trace, trace_pipe) ---- */

/*
 * A lock of the area (the text's, the event table's), shared by the
 * processes of the tree: a word holding the holder's tid. Signals are
 * blocked while it is held (a handler must not spin on a lock its own
 * thread holds); a holder that died with it (killed in between) is found
 * by kill(tid, 0) and the lock taken over.
 */
uint64_t limen_area_lock(uint32_t *word)
{
	uint64_t all = ~0ull, old = 0;
	uint32_t me = (uint32_t)limen_sys0(SYS_gettid), spins = 0;

	limen_tls.fault_block++; /* until limen_area_unlock (safe.c) */
	limen_sys4(SYS_rt_sigprocmask, SIG_SETMASK, &all, &old, 8);
	for (;;) {
		uint32_t h = 0;

		if (__atomic_compare_exchange_n(word, &h, me, 0,
						__ATOMIC_ACQUIRE,
						__ATOMIC_RELAXED))
			break;
		if (++spins >= LOCK_SPINS) {
			spins = 0;
			if (limen_sys2(SYS_kill, (long)(int32_t)h, 0) ==
				    -ESRCH &&
			    __atomic_compare_exchange_n(word, &h, me, 0,
							__ATOMIC_ACQUIRE,
							__ATOMIC_RELAXED))
				break;
		}
		__builtin_ia32_pause();
	}
	return old;
}

void limen_area_unlock(uint32_t *word, uint64_t old)
{
	__atomic_store_n(word, 0, __ATOMIC_RELEASE);
	limen_sys4(SYS_rt_sigprocmask, SIG_SETMASK, &old, 0, 8);
	limen_tls.fault_block--;
}

static uint64_t text_lock(struct limen_uev_area *a)
{
	return limen_area_lock(&a->lock);
}

static void text_unlock(struct limen_uev_area *a, uint64_t old)
{
	limen_area_unlock(&a->lock, old);
}

/* The text still there: [*from, head), starting at a line (lock held). */
static uint64_t text_span(struct limen_uev_area *a, uint64_t *from)
{
	uint64_t h = a->head, t = a->tail;

	if (t > h)
		t = h; /* scribbled over: show nothing rather than junk */
	if (h - t > LIMEN_TFS_TEXT) {
		/* overwritten: from the first whole line still kept */
		t = h - LIMEN_TFS_TEXT;
		while (t < h && a->text[t & (LIMEN_TFS_TEXT - 1)] != '\n')
			t++;
		if (t < h)
			t++;
	}
	*from = t;
	return h - t;
}

static void text_copy(struct limen_uev_area *a, char *dst, uint64_t from,
		      uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		dst[i] = a->text[(from + i) & (LIMEN_TFS_TEXT - 1)];
}

/*
 * trace_pipe's readiness: the collector's pipe (ready_fd) holds one byte
 * while the text has lines unread, so that poll, select and epoll on a
 * trace_pipe descriptor (that pipe, reopened) say readable only then.
 * Opened here through /proc/<collector>/fd/<n>, as the session is; -errno
 * when the session has none or it cannot be reached.
 */
static long ready_open(long flags)
{
	struct limen_uev_area *a = area();
	int32_t n = __atomic_load_n(&a->ready_fd, __ATOMIC_RELAXED);
	char p[sizeof(limen_rt.session_path) + 12];
	uint32_t len = 0, cut = 0;
	char d[12];
	int k = 0;

	if (n <= 0)
		return -ENOENT;
	while (len < sizeof(limen_rt.session_path) && limen_rt.session_path[len])
		if (limen_rt.session_path[len++] == '/')
			cut = len; /* "/proc/<pid>/fd/" */
	if (!cut)
		return -ENOENT;
	memcpy(p, limen_rt.session_path, cut);
	do
		d[k++] = (char)('0' + n % 10);
	while ((n /= 10));
	while (k)
		p[cut++] = d[--k];
	p[cut] = 0;
	return limen_sys3(SYS_open, p, flags | O_CLOEXEC, 0);
}

static long ready_set_here(void *onp, int helper)
{
	int on = *(const int *)onp;
	long fd = ready_open(on ? O_WRONLY | O_NONBLOCK : O_RDONLY | O_NONBLOCK);
	char b[64] = { 'x' };

	(void)helper;
	if (fd < 0)
		return 0;
	if (on)
		limen_sys3(SYS_write, fd, b, 1);
	else
		while (limen_sys3(SYS_read, fd, b, sizeof(b)) > 0)
			;
	limen_sys1(SYS_close, fd);
	return 0;
}

/* The text went from empty to not (on) or back (text lock held; a helper
   takes no lock): the pipe opened aside where other threads share the
   descriptors (aside.c). */
static void ready_set(int on)
{
	long r;

	limen_aside(ready_set_here, &on, &r);
}

static uint32_t ncpus(void)
{
	uint64_t set[16] = { 0 };
	long r = limen_sys3(SYS_sched_getaffinity, 0, sizeof(set), set);
	uint32_t n = 0;

	for (long i = 0; i < r / 8; i++)
		n += (uint32_t)__builtin_popcountll(set[i]);
	return n ? n : 1;
}

static void gen_trace(struct out *o)
{
	struct limen_uev_area *a = area();
	uint64_t from, n, lines = 0, written, old;
	char chunk[256];

	old = text_lock(a);
	n = text_span(a, &from);
	for (uint64_t i = 0; i < n; i++)
		if (a->text[(from + i) & (LIMEN_TFS_TEXT - 1)] == '\n')
			lines++;
	written = a->entries;
	puts_(o, "# tracer: nop\n#\n# entries-in-buffer/entries-written: ");
	putu(o, lines, 0, ' ', 0);
	putc_(o, '/');
	putu(o, written, 0, ' ', 0);
	puts_(o, "   #P:");
	putu(o, ncpus(), 0, ' ', 0);
	puts_(o, "\n#\n"
		 "#                                _-----=> irqs-off/BH-disabled\n"
		 "#                               / _----=> need-resched\n"
		 "#                              | / _---=> hardirq/softirq\n"
		 "#                              || / _--=> preempt-depth\n"
		 "#                              ||| / _-=> migrate-disable\n"
		 "#                              |||| /     delay\n"
		 "#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION\n"
		 "#              | |         |   |||||     |         |\n");
	while (n) {
		uint32_t k = n < sizeof(chunk) ? (uint32_t)n : sizeof(chunk);

		text_copy(a, chunk, from, k);
		put(o, chunk, k);
		from += k;
		n -= k;
	}
	text_unlock(a, old);
}

/*
 * An event's line, as ftrace prints a user event by its fields
 * (print_event_fields): "COMM-TID [CPU] ..... SECS.USECS: NAME: f=v ...".
 * p: the payload, len bytes (at least the fixed part).
 */
static void line(struct out *o, const struct ev *e, const uint8_t *p,
		 uint32_t len)
{
	char comm[17] = { 0 };
	uint32_t cpu = 0, ent = 8 + len;
	struct {
		long sec, nsec;
	} ts = { 0, 0 };
	uint32_t cl;

	limen_sys2(SYS_prctl, PR_GET_NAME_, comm);
	limen_sys3(SYS_getcpu, &cpu, 0, 0);
	limen_sys2(SYS_clock_gettime, 1 /* CLOCK_MONOTONIC */, &ts);
	cl = (uint32_t)limen_strlen(comm);
	for (uint32_t i = cl; i < 16; i++)
		putc_(o, ' ');
	puts_(o, comm);
	putc_(o, '-');
	putu(o, (uint64_t)limen_sys0(SYS_gettid), 7, ' ', 1); /* %-7d */
	puts_(o, " [");
	putu(o, cpu, 3, '0', 0);
	puts_(o, "] ..... ");
	putu(o, (uint64_t)ts.sec, 5, ' ', 0);
	putc_(o, '.');
	putu(o, (uint64_t)ts.nsec / 1000, 6, '0', 0);
	puts_(o, ": ");
	put(o, e->args, e->fmt.name_len);
	putc_(o, ':');
	for (uint32_t i = 0; i < e->fmt.nfields; i++) {
		const struct limen_uev_field *f = &e->fmt.f[i];
		const uint8_t *v = p + f->off;
		uint64_t x = 0;

		putc_(o, ' ');
		name(o, e, f);
		putc_(o, '=');
		if (f->off + f->size > len) {
			puts_(o, "<OVERFLOW>");
			continue;
		}
		if (f->kind == LIMEN_UEV_CHARS ||
		    (f->kind == LIMEN_UEV_BYTES && type_has(e, f, "char"))) {
			uint32_t k = 0;

			while (k < f->size && v[k])
				k++;
			put(o, (const char *)v, k);
			continue;
		}
		if (f->kind == LIMEN_UEV_DATA_LOC ||
		    f->kind == LIMEN_UEV_REL_LOC) {
			uint32_t loc, off, n;

			memcpy(&loc, v, 4);
			off = loc & 0xffff;
			n = loc >> 16;
			/* offsets count from the entry, common fields and
			   all; a __rel_loc one from the end of its field */
			if (f->kind == LIMEN_UEV_REL_LOC)
				off += 8u + f->off + 4u;
			if (off < 8 || off + n > ent) {
				puts_(o, "<OVERFLOW>");
				continue;
			}
			if (type_has(e, f, "char")) {
				uint32_t k = 0;

				while (k < n && p[off - 8 + k])
					k++;
				put(o, (const char *)p + off - 8, k);
			} else {
				for (uint32_t k = 0; k < n; k++) {
					if (k)
						putc_(o, ',');
					putx(o, p[off - 8 + k], 2);
				}
			}
			continue;
		}
		memcpy(&x, v, f->size <= 8 ? f->size : 0);
		switch (f->size) {
		case 1:
			if (x >= 0x20 && x < 0x7f) {
				putc_(o, '\'');
				putc_(o, (char)x);
				putc_(o, '\'');
			}
			putc_(o, '(');
			putd(o, (int64_t)x);
			putc_(o, ')');
			break;
		case 2:
		case 4:
		case 8:
			/* a 4-byte field's decimal is signed, as the
			   kernel's %d; the others as read */
			puts_(o, "0x");
			putx(o, x, 0);
			puts_(o, " (");
			putd(o, f->size == 4 ? (int32_t)(uint32_t)x :
					       (int64_t)x);
			putc_(o, ')');
			break;
		default:
			puts_(o, "<INVALID-SIZE>");
		}
	}
	putc_(o, '\n');
}

/* A write of event id with payload p (len bytes): its line in the text
   when an enable file turned it on and tracing is on. */
void limen_tfs_emit(int32_t id, const uint8_t *p, uint32_t len)
{
	struct limen_uev_area *a = area();
	char buf[TFS_LINE_MAX];
	struct out o = { -1, 0, sizeof(buf), 0, buf };
	struct ev e;
	uint64_t old;

	if (!a || id < 0 || (uint32_t)id >= LIMEN_UEVENT_MAX ||
	    !bit(a->ftrace_on, (uint32_t)id) ||
	    __atomic_load_n(&a->tracing_off, __ATOMIC_RELAXED) ||
	    ev_get((uint32_t)id, &e) < 0 ||
	    !limen_tfs_filter_pass((uint32_t)id, e.args, &e.fmt, p, len))
		return;
	line(&o, &e, p, len);
	if (o.n == o.cap)
		buf[o.n - 1] = '\n'; /* cut, still a line */
	old = text_lock(a);
	{
		uint64_t h = a->head, from;

		if (!text_span(a, &from))
			ready_set(1);
		for (uint32_t i = 0; i < o.n; i++)
			a->text[(h + i) & (LIMEN_TFS_TEXT - 1)] = buf[i];
		__atomic_store_n(&a->head, h + o.n, __ATOMIC_RELEASE);
		a->entries++;
	}
	__atomic_add_fetch(&a->seq, 1, __ATOMIC_RELEASE);
	text_unlock(a, old);
	limen_sys3(SYS_futex, &a->seq, FUTEX_WAKE_, 0x7fffffff);
}

static void set_event_clear(void);

/* ---- opening, writing, reading ---- */

/* A memfd holding the file's text, positioned at 0. */
static long filled(uint16_t kind, long flags)
{
	uint32_t sub = SUB(kind), id = kind & 0xff;
	long fd = limen_tfs_memfd(kind, flags);
	char buf[1024];
	struct out o = { fd, 0, sizeof(buf), 0, buf };
	const uint64_t *ft;

	if (fd < 0)
		return fd;
	ft = area()->ftrace_on;
	switch (sub) {
	case TFS_ENABLE:
		puts_(&o, bit(ft, id) ? "1\n" : "0\n");
		break;
	case TFS_FORMAT:
		gen_format(&o, id);
		break;
	case TFS_ID:
		putu(&o, ID_BASE + id, 0, ' ', 0);
		putc_(&o, '\n');
		break;
	case TFS_STATUS:
		gen_status(&o);
		break;
	case TFS_DYN:
		gen_dyn(&o);
		break;
	case TFS_TRACING_ON:
		puts_(&o, area()->tracing_off ? "0\n" : "1\n");
		break;
	case TFS_SYS_ENABLE:
		gen_sys_enable(&o);
		break;
	case TFS_TRACE:
		gen_trace(&o);
		break;
	case TFS_AVAIL:
		gen_avail(&o, kind);
		break;
	case TFS_SET_EVENT:
		gen_set_event(&o);
		break;
	case TFS_FILTER:
		o.err = (int)limen_tfs_filter_fill(id, fd);
		break;
	}
	flush(&o);
	if (o.err < 0) {
		limen_sys1(SYS_close, fd);
		return o.err;
	}
	limen_sys3(SYS_lseek, fd, 0, 0 /* SEEK_SET */);
	return fd;
}

/*
 * Open the file `kind` stands for, with the program's flags: a memfd with
 * its text to read, or an empty one to only write to (reopened read-only
 * or write-only as the program opened it, so that the other fails as it
 * would; named as the file, limen_tfs_memfd, so that another process or
 * image that has it knows what it is); for trace_pipe, whose reads are
 * answered by limen_tfs_read, the collector's readiness pipe or
 * /dev/null.
 */
long limen_tfs_open(uint16_t kind, long flags)
{
	uint32_t sub = SUB(kind);
	long acc = flags & O_ACCMODE, fd;
	struct limen_uev_area *a = area();

	/* a file the kernel creates without a write bit (format, id, ...):
	   only root writes it. The emulated tracefs is the user's own, as
	   one mounted with uid= and gid= of the user (limen_tfs_stat) */
	if (acc != O_RDONLY && !(limen_tfs_mode(kind) & 0200) &&
	    limen_sys0(SYS_geteuid) != 0)
		return -EACCES;
	if (sub == TFS_SET_EVENT && acc != O_RDONLY && (flags & O_TRUNC))
		set_event_clear();
	if ((sub == TFS_TRACE || sub == TFS_DYN) && acc != O_RDONLY &&
	    (flags & O_TRUNC)) {
		if (sub == TFS_TRACE) {
			/* "> trace" empties the buffer and its counts */
			uint64_t old = text_lock(a);

			a->tail = a->head;
			a->entries = 0;
			ready_set(0);
			text_unlock(a, old);
		} else {
			long r = limen_uev_del_all();

			if (r < 0)
				return r;
		}
	}
	if (limen_tfs_is_dir(kind)) {
		/* a directory stands in (fstat says one: opendir checks),
		   its entries answered by limen_tfs_getdents, its offset
		   the listing's position (lseek and rewinddir keep
		   working) */
		if (acc != O_RDONLY)
			return -EISDIR;
		/* an empty directory removed (uevent_tfs_path.c): calls
		   relative to it that are not answered here find nothing */
		fd = limen_tfs_empty_dir(flags);
		if (fd < 0) /* no /tmp to make it in: a directory of procfs,
			       where such calls create or remove nothing */
			fd = limen_sys3(SYS_open, "/proc/self/fdinfo",
					O_RDONLY | O_DIRECTORY |
						(flags & O_CLOEXEC),
					0);
		if (fd >= 0 && (flags & O_NONBLOCK))
			limen_sys3(SYS_fcntl, fd, F_SETFL, O_NONBLOCK);
		if (fd >= 0) /* known to the processes it may go to */
			limen_tfs_dir_opened(fd, kind);
		return fd;
	}
	if (flags & O_DIRECTORY)
		return -ENOTDIR;
	/* an exec keeps it: the image after it knows it by its memfd's
	   name, or the pipe's inode (uevent_files.c) */
	limen_uev_mark_used(limen_rt.ctl);
	__atomic_store_n(&a->tfs_opened, 1, __ATOMIC_RELAXED);
	if (sub == TFS_PIPE) {
		/* the readiness pipe: opened without waiting for a writer,
		   then given the program's flags */
		fd = ready_open(O_RDONLY | O_NONBLOCK);
		if (fd >= 0) {
			struct stat st;

			if (!__atomic_load_n(&a->pipe_ino, __ATOMIC_RELAXED) &&
			    limen_sys2(SYS_fstat, fd, &st) == 0) {
				a->pipe_dev = (uint64_t)st.st_dev;
				__atomic_store_n(&a->pipe_ino,
						 (uint64_t)st.st_ino,
						 __ATOMIC_RELEASE);
			}
			if (!(flags & O_CLOEXEC))
				limen_sys3(SYS_fcntl, fd, F_SETFD, 0);
			if (!(flags & O_NONBLOCK))
				limen_sys3(SYS_fcntl, fd, F_SETFL, 0);
			return fd;
		}
	}
	if (sub == TFS_PIPE)
		return limen_sys3(SYS_open, "/dev/null",
				  acc | (flags & (O_CLOEXEC | O_NONBLOCK)), 0);
	/* only to write to: an empty memfd named as the file, reopened
	   write-only below, as the program opened it */
	fd = acc == O_WRONLY ? limen_tfs_memfd(kind, flags) :
			       filled(kind, flags);
	if (fd >= 0 && acc != O_RDWR) {
		char p[32] = "/proc/self/fd/";
		char *q = p + 14;
		char d[12];
		int n = 0;
		long ro;

		for (long v = fd; n == 0 || v; v /= 10)
			d[n++] = (char)('0' + v % 10);
		while (n)
			*q++ = d[--n];
		*q = 0;
		ro = limen_sys3(SYS_open, p,
				acc | (flags & (O_CLOEXEC | O_NONBLOCK)), 0);
		/* under the memfd's number, the one the program's open gets
		   bare (the lowest free): the reopened file in its place */
		if (ro >= 0 && limen_sys3(SYS_dup3, ro, fd,
					  flags & O_CLOEXEC) == fd)
			limen_sys1(SYS_close, ro);
		else if (ro >= 0) {
			limen_sys1(SYS_close, fd);
			fd = ro;
		}
	}
	return fd;
}

/* "0" or "1", a newline after it allowed, as tracefs takes it: 0 or 1,
   -EINVAL, -EFAULT */
static int read_bool(uint64_t buf, long n)
{
	char v[3] = { 0 };

	if (n < 1 || n > 2)
		return -EINVAL;
	if (limen_safe_read(v, buf, (size_t)n) != n)
		return -EFAULT;
	if ((v[0] != '0' && v[0] != '1') || (n == 2 && v[1] != '\n'))
		return -EINVAL;
	return v[0] - '0';
}

/* events/user_events/NAME/enable: ftrace's interest in the event; the
   program's bits follow it, or the collector's wish for the event */
void limen_tfs_enable(int32_t id, int on)
{
	struct limen_uev_area *a = area();
	struct ev e;
	int want = 0;

	limen_uev_setbit(a->ftrace_on, (uint32_t)id, on);
	if (ev_get((uint32_t)id, &e) == 0)
		want = limen_uev_wanted(limen_rt.ctl, e.args, e.fmt.name_len);
	limen_uev_set_on(id, on || want);
}

/* dynamic_events: "u:NAME fields" registers NAME, "!u:NAME [fields]"
   deletes it; one command per write, as echo makes them */
static long write_dyn(uint64_t buf, long n)
{
	char cmd[LIMEN_UEVENT_ARGS + 8];
	long k = n < (long)sizeof(cmd) - 1 ? n : (long)sizeof(cmd) - 1;
	const char *c = cmd;
	int del = 0;

	if (n <= 0)
		return n ? -EINVAL : 0;
	if (n >= (long)sizeof(cmd) - 1)
		return -E2BIG;
	if (limen_safe_read(cmd, buf, (size_t)k) != k)
		return -EFAULT;
	cmd[k] = 0;
	while (*c == ' ' || *c == '\t')
		c++;
	if (*c == '!') {
		del = 1;
		c++;
	}
	if (c[0] != 'u' || c[1] != ':')
		return -EINVAL; /* no other dynamic event type here */
	c += 2;
	if (del) {
		uint32_t len = 0;
		char nm[LIMEN_UEV_NAME];

		while (c[len] && c[len] != ' ' && c[len] != '\n' &&
		       c[len] != '\t')
			len++;
		if (!len || len >= sizeof(nm))
			return -ENOENT;
		memcpy(nm, c, len);
		nm[len] = 0;
		{
			long r = limen_uev_del((uint64_t)(uintptr_t)nm);

			return r < 0 ? r : n;
		}
	}
	{
		/* a trailing newline is not part of the fields */
		char *end = cmd + k;

		while (end > c && (end[-1] == '\n' || end[-1] == ' '))
			*--end = 0;
		int32_t id = -1;
		int on = 0;
		uint32_t fixed;
		long r = limen_uev_register((uint64_t)(uintptr_t)c,
					    LIMEN_UEVENT_ARGS, 0, &id, &on,
					    &fixed, 0);

		return r < 0 ? r : n;
	}
}

/*
 * One command of set_event, as the kernel's ftrace_set_clr_event reads
 * it: "[!][SYSTEM:]EVENT", where "SYSTEM:" or ":EVENT" or "*" match any,
 * and a word without a colon names a system or an event. Only the user
 * events are the session's: a command that matches none of them is
 * EINVAL, the kernel's answer for one that matches no event.
 */
static long set_event_cmd(char *c)
{
	const char *sys = 0, *evn = 0, *match = c;
	int set = 1, hit = 0;
	struct ev e;

	if (*c == '!') {
		set = 0;
		match = ++c;
	}
	for (char *k = c; *k; k++)
		if (*k == ':') {
			*k = 0;
			sys = c;
			evn = k + 1;
			match = 0;
			if (!*sys || is(sys, "*"))
				sys = 0;
			if (!*evn || is(evn, "*"))
				evn = 0;
			break;
		}
	for (uint32_t i = 0; i < LIMEN_UEVENT_MAX; i++) {
		uint32_t n;

		if (ev_get(i, &e) < 0)
			continue;
		n = e.fmt.name_len;
		e.args[n] = 0;
		if (match && !is(match, e.args) && !is(match, "user_events"))
			continue;
		if (sys && !is(sys, "user_events"))
			continue;
		if (evn && !is(evn, e.args))
			continue;
		limen_tfs_enable((int32_t)i, set);
		hit = 1;
	}
	return hit ? 0 : -EINVAL;
}

/* set_event: the commands of one write, separated by blanks */
static long write_set_event(uint64_t buf, long n)
{
	char cmd[LIMEN_UEV_NAME + 32];
	uint64_t pos = 0;

	if (n < 0)
		return -EINVAL;
	while (pos < (uint64_t)n) {
		uint32_t k = 0;
		char ch;

		if (limen_safe_read(&ch, buf + pos, 1) != 1)
			return -EFAULT;
		if (ch == ' ' || ch == '\t' || ch == '\n') {
			pos++;
			continue;
		}
		while (pos < (uint64_t)n) {
			if (limen_safe_read(&ch, buf + pos, 1) != 1)
				return -EFAULT;
			if (ch == ' ' || ch == '\t' || ch == '\n')
				break;
			if (k == sizeof(cmd) - 1)
				return -EINVAL; /* no event's name is longer */
			cmd[k++] = ch;
			pos++;
		}
		cmd[k] = 0;
		{
			long r = set_event_cmd(cmd);

			if (r < 0)
				return r;
		}
	}
	return n;
}

/* No event on, as opening set_event with O_TRUNC leaves it (the
   kernel's ftrace_clear_events) */
static void set_event_clear(void)
{
	struct ev e;

	for (uint32_t i = 0; i < LIMEN_UEVENT_MAX; i++)
		if (ev_get(i, &e) == 0 && bit(area()->ftrace_on, i))
			limen_tfs_enable((int32_t)i, 0);
}

long limen_tfs_write(uint16_t kind, uint64_t buf, long n)
{
	uint32_t sub = SUB(kind), id = kind & 0xff;
	struct ev e;
	int v;

	switch (sub) {
	case TFS_ENABLE:
		v = read_bool(buf, n);
		if (v < 0)
			return n ? v : 0;
		limen_tfs_enable((int32_t)id, v);
		return n;
	case TFS_SYS_ENABLE:
		v = read_bool(buf, n);
		if (v < 0)
			return n ? v : 0;
		for (uint32_t i = 0; i < LIMEN_UEVENT_MAX; i++)
			if (ev_get(i, &e) == 0)
				limen_tfs_enable((int32_t)i, v);
		return n;
	case TFS_TRACING_ON:
		v = read_bool(buf, n);
		if (v < 0)
			return n ? v : 0;
		__atomic_store_n(&area()->tracing_off, !v, __ATOMIC_RELEASE);
		return n;
	case TFS_DYN:
		return write_dyn(buf, n);
	case TFS_SET_EVENT:
		return write_set_event(buf, n);
	case TFS_TRACE:
		return n; /* accepted and dropped, as the kernel's */
	case TFS_FILTER:
		return limen_tfs_filter_write(id, buf, n);
	}
	return -EINVAL;
}

/*
 * trace_pipe: whole lines, consumed; waits for one when there is none
 * (EAGAIN with O_NONBLOCK). The wait is the program's own futex call, so
 * a signal ends it as it would end the kernel's wait (EINTR).
 */
long limen_tfs_read(long fd, uint64_t dst, long n)
{
	struct limen_uev_area *a = area();
	char chunk[512];

	if (n <= 0)
		return n ? -EINVAL : 0;
	for (;;) {
		uint32_t seq = __atomic_load_n(&a->seq, __ATOMIC_ACQUIRE);
		uint64_t from, have, take, old;
		long fl;

		old = text_lock(a);
		have = text_span(a, &from);
		if (have) {
			/* whole lines that fit, or part of one too long */
			take = 0;
			for (uint64_t i = 0; i < have && i < (uint64_t)n; i++)
				if (a->text[(from + i) & (LIMEN_TFS_TEXT - 1)] ==
				    '\n')
					take = i + 1;
			if (!take)
				take = have < (uint64_t)n ? have : (uint64_t)n;
			for (uint64_t done = 0; done < take;) {
				uint32_t k = take - done < sizeof(chunk) ?
						     (uint32_t)(take - done) :
						     sizeof(chunk);

				text_copy(a, chunk, from + done, k);
				if (limen_put_user(dst + done, chunk, k) != k) {
					text_unlock(a, old);
					return done ? (long)done : -EFAULT;
				}
				done += k;
			}
			a->tail = from + take;
			if (a->tail == a->head)
				ready_set(0);
			text_unlock(a, old);
			return (long)take;
		}
		text_unlock(a, old);
		fl = limen_sys2(SYS_fcntl, fd, F_GETFL);
		if (fl >= 0 && (fl & O_NONBLOCK))
			return -EAGAIN;
		{
			long r = limen_app_syscall(SYS_futex,
						   (long)&a->seq, FUTEX_WAIT_,
						   (long)seq, 0, 0, 0);

			if (r == -EINTR)
				return -EINTR;
		}
	}
}

int limen_tfs_is_dir(uint16_t kind)
{
	uint32_t sub = SUB(kind);

	return sub == TFS_DIR_SYS || sub == TFS_DIR_EV || sub == TFS_DIR_EVENTS;
}

/* The name of entry pos of directory kind (d_type in *type, its inode
   number, as stat says it, in *ino): its length, 0 past the last entry,
   -1 for a hole (a free event id). */
static long dir_entry(uint16_t kind, uint64_t pos, char *name,
		      unsigned char *type, uint64_t *ino)
{
	static const uint8_t evsub[] = { TFS_ENABLE, TFS_FILTER, TFS_FORMAT,
					 TFS_ID };
	static const char *const sys[] = { ".", "..", "enable" };
	/* in eventfs's order */
	static const char *const evf[] = { ".", "..", "enable", "filter",
					   "format", "id" };
	static const char *const evs[] = { ".", ".." };
	uint32_t sub = SUB(kind);
	const char *const *fixed = sub == TFS_DIR_SYS ? sys :
				   sub == TFS_DIR_EV  ? evf : evs;
	uint64_t nfixed = sub == TFS_DIR_SYS ? 3 : sub == TFS_DIR_EV ? 6 : 2;
	struct ev e;

	*type = pos < 2 ? 4 /* DT_DIR */ : 8 /* DT_REG */;
	if (pos < nfixed) {
		long n = (long)limen_strlen(fixed[pos]);

		if (pos == 0)
			*ino = limen_tfs_ino(kind);
		else if (pos == 1) /* the parent: ours, or the root's */
			*ino = limen_tfs_ino(sub == TFS_DIR_EV ?
					KIND(TFS_DIR_SYS, 0) :
					KIND(TFS_DIR_EVENTS, 0));
		else if (sub == TFS_DIR_SYS)
			*ino = limen_tfs_ino(KIND(TFS_SYS_ENABLE, 0));
		else
			*ino = limen_tfs_ino(KIND(evsub[pos - 2], kind & 0xff));
		memcpy(name, fixed[pos], (size_t)n);
		return n;
	}
	if (sub == TFS_DIR_EVENTS) {
		/* events/: the user_events system once it has an event */
		if (pos > nfixed || !limen_tfs_any())
			return 0;
		*type = 4;
		*ino = limen_tfs_ino(KIND(TFS_DIR_SYS, 0));
		memcpy(name, "user_events", 11);
		return 11;
	}
	if (sub != TFS_DIR_SYS || pos - nfixed >= LIMEN_UEVENT_MAX)
		return 0;
	if (ev_get((uint32_t)(pos - nfixed), &e) < 0)
		return -1;
	*type = 4;
	*ino = limen_tfs_ino(KIND(TFS_DIR_EV, pos - nfixed));
	memcpy(name, e.args, e.fmt.name_len);
	return e.fmt.name_len;
}

/*
 * One struct linux_dirent64 at dst, its name's n bytes already at rec + 19
 * (rec has room for the padding): its length; 0 if it does not fit in
 * room; -EFAULT if dst cannot be written.
 */
static long put_dirent(char *rec, long n, uint64_t ino, uint64_t next,
		       unsigned char type, uint64_t dst, long room)
{
	uint16_t len = (uint16_t)((19 + n + 1 + 7) & ~7l);

	if (len > room)
		return 0;
	memset(rec + 19 + n, 0, (size_t)(len - 19 - n));
	memcpy(rec, &ino, 8);
	memcpy(rec + 8, &next, 8);
	memcpy(rec + 16, &len, 2);
	rec[18] = (char)type;
	if (limen_put_user(dst, rec, len) != len)
		return -EFAULT;
	return len;
}

/*
 * getdents64 on events/user_events/ (".", "..", enable and a directory
 * per event) or events/user_events/NAME/ (enable, format, id): as many
 * struct linux_dirent64 as fit, from the stand-in memfd's offset on.
 */
long limen_tfs_getdents(uint16_t kind, long fd, uint64_t dst, long count)
{
	long pos = limen_sys3(SYS_lseek, fd, 0, SEEK_CUR), done = 0;
	char rec[24 + LIMEN_UEV_NAME];

	if (pos < 0)
		return pos;
	for (;;) {
		unsigned char type;
		uint64_t ino = 0;
		long n;

		n = dir_entry(kind, (uint64_t)pos, rec + 19, &type, &ino);
		if (n < 0) {
			pos++;
			continue;
		}
		if (!n)
			break;
		long len = put_dirent(rec, n, ino, (uint64_t)pos + 1, type,
				      dst + (uint64_t)done, count - done);

		if (len < 0)
			return done ? done : len;
		if (!len) {
			if (!done)
				return -EINVAL; /* no room for one */
			break;
		}
		done += len;
		pos++;
	}
	limen_sys3(SYS_lseek, fd, pos, SEEK_SET);
	return done;
}

int limen_tfs_is_pipe(uint16_t kind)
{
	return (SUB(kind)) == TFS_PIPE;
}

/* Event id is deleted: a later event reusing the id starts disabled. Not
   limen_uev_set_on: the registrations' lock is held here. */
void limen_uev_forget(uint32_t id)
{
	struct limen_ctl *c = limen_rt.ctl;

	limen_uev_setbit(area()->ftrace_on, id, 0);
	limen_uev_setbit(area()->on, id, 0);
	limen_tfs_filter_forget(id);
	__atomic_add_fetch(&c->uevent_gen, 1, __ATOMIC_ACQ_REL);
}

/* Files the kernel has in any tracefs, user_events or not: inside a
   session that emulates user_events they are the session's, so that its
   events show in them and writing them leaves the machine's tracing
   alone (each session unaware of the others). */
int limen_tfs_is_session_wide(uint16_t kind)
{
	uint32_t sub = SUB(kind);

	return sub == TFS_DYN || sub == TFS_TRACING_ON || sub == TFS_TRACE ||
	       sub == TFS_PIPE || sub == TFS_AVAIL || sub == TFS_SET_EVENT;
}

/*
 * The kernel has user_events (a tracefs mounted shows user_events_data):
 * then limen leaves every call to it. Asked once per process image, and
 * again after the program mounts or unmounts something.
 */
static int kernel_known, shadow_known; /* 0: not asked, 1: no, 2: yes */

/* A mount or umount by the program (the kernel's selftests mount a
   tracefs when none is): ask again. */
void limen_tfs_forget_mounts(void)
{
	__atomic_store_n(&kernel_known, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&shadow_known, 0, __ATOMIC_RELAXED);
}

int limen_tfs_kernel_has(void)
{
	int *knownp = &kernel_known;
	int k = __atomic_load_n(knownp, __ATOMIC_RELAXED);

	if (!k) {
		k = limen_sys4(SYS_faccessat, AT_FDCWD,
			       "/sys/kernel/tracing/user_events_data", F_OK,
			       0) == 0 ||
				    limen_sys4(SYS_faccessat, AT_FDCWD,
					       "/sys/kernel/debug/tracing/"
					       "user_events_data",
					       F_OK, 0) == 0 ?
			    2 :
			    1;
		__atomic_store_n(knownp, k, __ATOMIC_RELAXED);
	}
	return k == 2;
}

/*
 * A tracefs is mounted (its trace exists) and the kernel has no
 * user_events: the session's trace, trace_pipe, tracing_on and
 * dynamic_events stand in front of the kernel's. Asked once per process
 * image.
 */
int limen_tfs_shadowed(void)
{
	int k = __atomic_load_n(&shadow_known, __ATOMIC_RELAXED);

	if (!k) {
		int mounted =
			limen_sys4(SYS_faccessat, AT_FDCWD,
				   "/sys/kernel/tracing/trace", F_OK, 0) == 0 ||
			limen_sys4(SYS_faccessat, AT_FDCWD,
				   "/sys/kernel/debug/tracing/trace", F_OK,
				   0) == 0;

		k = mounted && !limen_tfs_kernel_has() ? 2 : 1;
		__atomic_store_n(&shadow_known, k, __ATOMIC_RELAXED);
	}
	return k == 2;
}

/*
 * The kernel's directory at the absolute, normalised path p is where the
 * emulated files live: a tracefs's top (mounted or not) or its events/.
 * What its listing lacks is added at its end (limen_tfs_real_getdents):
 * the kind standing for it, 0 if it is neither.
 */
uint16_t limen_tfs_real_dir(const char *p)
{
	static const char *const dirs[] = {
		"/sys/kernel/tracing", "/sys/kernel/debug/tracing",
		"/sys/kernel/tracing/events", "/sys/kernel/debug/tracing/events",
	};

	if (!limen_rt.ctl || limen_tfs_kernel_has())
		return 0;
	for (uint32_t i = 0; i < 4; i++)
		if (is(p, dirs[i]))
			return KIND(i < 2 ? TFS_RDIR_ROOT : TFS_RDIR_EVENTS, 0) |
			       (i & 1 ? TFS_DEBUG : 0);
	return 0;
}

/* Entry i of what the listing of kernel's directory kind lacks: its
   length (name, type and inode number filled), -1 for one the kernel
   has (or not there now), 0 past the last. */
static long real_extra(uint16_t kind, uint32_t i, char *name,
		       unsigned char *type, uint64_t *ino)
{
	char p[64];
	const char *nm;
	uint16_t k;
	size_t n;

	if (SUB(kind) == TFS_RDIR_ROOT) {
		if (i >= NTOP)
			return 0;
		nm = top[i].name;
		k = KIND(top[i].sub, 0);
	} else {
		if (i >= 1)
			return 0;
		if (!limen_tfs_any())
			return -1;
		nm = "user_events";
		k = KIND(TFS_DIR_SYS, 0);
	}
	n = limen_strlen(kind & TFS_DEBUG ? "/sys/kernel/debug/tracing/" :
					    "/sys/kernel/tracing/");
	memcpy(p, kind & TFS_DEBUG ? "/sys/kernel/debug/tracing/" :
				     "/sys/kernel/tracing/", n);
	if (SUB(kind) == TFS_RDIR_EVENTS) {
		memcpy(p + n, "events/", 7);
		n += 7;
	}
	memcpy(p + n, nm, limen_strlen(nm) + 1);
	if (limen_sys4(SYS_faccessat, AT_FDCWD, p, F_OK, 0) != -ENOENT)
		return -1; /* the kernel's listing has it */
	*type = limen_tfs_is_dir(k) ? 4 /* DT_DIR */ : 8 /* DT_REG */;
	*ino = limen_tfs_ino(k);
	n = limen_strlen(nm);
	memcpy(name, nm, n);
	return (long)n;
}

/*
 * getdents64 on the kernel's directory kind after the kernel's own
 * entries ended: the emulated ones it lacks, from *cursor on (0: the
 * first), as many as fit.
 */
long limen_tfs_real_getdents(uint16_t kind, uint32_t *cursor, uint64_t dst,
			     long count)
{
	char rec[24 + 32];
	long done = 0;

	for (;;) {
		unsigned char type = 0;
		uint64_t ino = 0;
		long n = real_extra(kind, *cursor, rec + 19, &type, &ino);
		long len;

		if (n < 0) {
			++*cursor;
			continue;
		}
		if (!n)
			break;
		len = put_dirent(rec, n, ino, 0x7fffff00u + *cursor + 1, type,
				 dst + (uint64_t)done, count - done);
		if (len < 0)
			return done ? done : len;
		if (!len) {
			if (!done)
				return -EINVAL; /* no room for one */
			break;
		}
		done += len;
		++*cursor;
	}
	return done;
}
