/* SPDX-License-Identifier: MIT */
/*
 * The session: one shared-memory region (a memfd created by the collector,
 * mapped by every process of the traced tree). Used by both sides, so only
 * layouts and lock-free helpers live here: no libc calls.
 *
 *   [ctl page][slot table][ring 0][ring 1]...[ring nslots-1]
 *
 * The memfd is sized once for LIMEN_NSLOTS_MAX rings and sealed against
 * shrinking and growing: it stays sparse (a ring costs memory only once its
 * thread writes to it), nobody can truncate it under the collector (SIGBUS),
 * and no process maps it whole: each maps the ctl page and slot table, and
 * the ring of each of its own threads (see limen_geom).
 *
 * Every traced thread owns one slot and its ring. A ring is a byte stream of
 * 8-byte aligned records; the producer reserves space with a CAS on `head`
 * (so a signal handler nested in the producer, or a second thread sharing the
 * slot, cannot tear a record), fills it, and publishes it by storing its type
 * last. The consumer reads from `tail`, stops at a record whose type is still
 * 0, zeroes what it consumed and then advances `tail`.
 */
#ifndef LIMEN_SESSION_H
#define LIMEN_SESSION_H

#include <stdint.h>

#define LIMEN_SESSION_MAGIC 0x4e454d494cull /* "LIMEN" */
#define LIMEN_SESSION_VERSION 2
#define LIMEN_SESSION_ENV "LIMEN_SESSION"   /* "collector_pid:fd" */
/* "LIMEN_WHEN=...": a thread's when= counts, across its execve (the
   runtime's own note: the CLI strips one from the user's environment) */
#define LIMEN_WHEN_ENV "LIMEN_WHEN"
/* "LIMEN_PREV=NS.MOVED,SLOT.GEN,...": across an execve, what the new image
   needs of the one before (runtime/ring.c, limen_ring_prev_note): the
   inode of its pid namespace (0: unknown), 1 if unshare or setns may have
   put its children in another, and the slots of its threads. The
   runtime's own note: the CLI strips one from the user's environment */
#define LIMEN_PREV_ENV "LIMEN_PREV"

/* The ctl page, then the filter program (filter_abi.h,
   LIMEN_FILTER_OFF), then the user events' area (session/uevent_area.h,
   LIMEN_UEV_AREA_OFF) */
#define LIMEN_CTL_BYTES ((320u << 10) + 20480u)
/* Threads alive at once. Slots are claimed from the start of the table and
   the table is only read up to its high-water mark (slots_used), so an
   unused slot costs neither side anything but address space: 64 bytes. */
#define LIMEN_NSLOTS_MAX 32768u
#define LIMEN_RING_BYTES_DEFAULT (4u << 20)
#define LIMEN_TRACE_BITS 1024u /* syscall numbers the filter can name */
#define LIMEN_UEVENT_MAX 256u   /* user events registered at once */
#define LIMEN_UEVENT_ARGS 512u  /* bytes of "name field; field" with NUL:
				   the kernel's MAX_EVENT_DESC */
#define LIMEN_DUMP_FDS 1024u   /* -e read=/write= descriptors */
#define LIMEN_DUMP_BOUND (256u << 10) /* bytes of one call's data dumped */

enum limen_uevent_state {
	LIMEN_UEVENT_FREE = 0,
	LIMEN_UEVENT_CLAIMED,    /* being written by its registrant */
	LIMEN_UEVENT_READY,
};

enum limen_ctl_flags {
	LIMEN_CTL_TRACE_ALL = 1, /* ignore trace_mask */
	LIMEN_CTL_NO_LOSS = 2,   /* pause a thread whose ring is nearly full */
	LIMEN_CTL_UACCESS = 4,   /* --uaccess: the ranges of each call */
	LIMEN_CTL_UACCESS_ABI = 8, /* prctl(63) works (limen run, --uaccess);
				      otherwise EINVAL, as bare */
	LIMEN_CTL_IP = 16,       /* -i: an ENTER record's ret is the call's
				    address (the instruction after it) */
	LIMEN_CTL_DETACH_EXEC = 32, /* -b execve: a new image runs without
				       the runtime */
	LIMEN_CTL_STACK = 64,    /* -k: STACK (and MAPS) records */
	LIMEN_CTL_NO_REWRITE = 128, /* --no-rewrite: every call through SUD */
	LIMEN_CTL_LOADER_ALL = 1u << 20, /* every image through limen's
					    loader, dynamic ones too
					    (LIMEN_LOADER=all, spawn.c) */
	LIMEN_CTL_NETLINK = 0x100, /* netlink messages captured whole, with
				      their socket's protocol (dump.c) */
	LIMEN_CTL_DUMP = 0x200,    /* -e read=, -e write=: dump_fds has a
				      descriptor (dump.c) */
	LIMEN_CTL_NO_LEAN = 1u << 21, /* --no-lean: a rewritten site's
					 calls always enter the runtime
					 (lean.c) */
	LIMEN_CTL_NO_TIME = 1u << 24, /* no output shows or counts time:
					 a thread alone in the session may
					 stamp its records with a counter
					 (runtime/lone.c) */
};

/* struct limen_ctl's path_wanted */
enum { LIMEN_PATH_IDLE, LIMEN_PATH_WANTED, LIMEN_PATH_BOUND, LIMEN_PATH_NONE };

struct limen_ctl {
	uint32_t size;          /* sizeof(struct limen_ctl) */
	uint32_t version;
	uint64_t magic;
	uint64_t total_bytes;   /* size of the whole mapping */
	uint32_t nslots;
	uint32_t ring_bytes;    /* power of two */
	uint64_t slots_off;     /* offset of the slot table */
	uint64_t rings_off;     /* offset of ring 0 */
	uint32_t strsize;       /* -s: bytes of strings and buffers captured */
	uint32_t flags;         /* enum limen_ctl_flags */
	uint64_t threads_untraced; /* threads left without a ring: no free
				      slot, or no room to map its ring */
	uint32_t slots_used;    /* high-water mark: slots [0, slots_used) have
				   been claimed at least once */
	uint32_t pad;
	uint8_t trace_mask[LIMEN_TRACE_BITS / 8]; /* syscalls to record */
	/*
	 * A robust, process-shared mutex the collector locks at start and
	 * holds while it lives. Its first word is the futex word: when the
	 * collector is gone (exit, kill), the kernel sets
	 * LIMEN_COLLECTOR_DIED in it. A producer waiting for room in a full
	 * ring stops waiting then. 0: no collector ever locked it.
	 */
	uint64_t collector_lock[8];
	/*
	 * User events (include/limen/uevent.h). The collector writes
	 * uevent_want (-e uevent=a,b: NUL-terminated, comma-separated names)
	 * and uevent_all before the program starts; a registering program
	 * claims an entry of the event table (struct limen_uev_area, past
	 * the ctl page; its index is the event's id) with a CAS on state,
	 * writes its name_args and publishes it READY. The collector never
	 * trusts the table: it decodes events from the LIMEN_REC_UEVDEF
	 * record the registering thread writes to its ring.
	 */
	uint32_t uevent_all;    /* -e uevent=all */
	uint32_t uevent_gen;    /* bumped when an event's on bit changes
				   (uevent_area.h): every process brings
				   its enable bits in line at its next
				   system call; and when an event is
				   registered (its entry READY) */
	uint32_t outer_filters; /* the seccomp filters limen itself runs
				   under (a container's): /proc/self/status's
				   Seccomp_filters of the collector, 0 for
				   none (runtime/rewrite.c) */
	char uevent_want[240];
	/* -y, -yy, --decode-fds: enum limen_decode_fds; the runtime resolves
	   each descriptor of a call at the call (struct limen_fdinfo) */
	uint32_t decode_fds;
	/*
	 * The pathname socket LIMEN_SESSION names (cli/rendezvous.c) is
	 * bound only when a process of the tree makes or enters a network
	 * namespace, where the abstract one cannot be reached: until then
	 * no file of limen's is in the program's filesystem. The runtime
	 * (reach.c, limen_rendezvous_want) sets LIMEN_PATH_WANTED before
	 * such a call and waits for the collector's answer, BOUND or NONE
	 * (which it also writes at start when it has no path).
	 */
	uint32_t path_wanted;
	/* -e read=SET, -e write=SET: a bit per descriptor below
	   LIMEN_DUMP_FDS whose data the runtime captures whole (up to
	   LIMEN_DUMP_BOUND bytes a call) for strace's hex dumps */
	uint8_t dump_fds[2][LIMEN_DUMP_FDS / 8];
	/*
	 * Threads of the session alive (runtime/lone.c): bits 0-31 the
	 * count, bits 32-63 bumped at every increment, so that a thread
	 * that saw the word once can tell whether any thread was added
	 * since. Starts at 0: each image's runtime counts its thread.
	 */
	uint64_t live;
	/* written by nothing and read by nothing: PKRU's place in a signal
	   frame was told here once, and any traced process could change it
	   for every image after it (tests/syscalls/session_pkru_off.t
	   scribbles here); each runtime asks the CPU (runtime/pkru.c) */
	uint32_t pkru_off;
	/*
	 * Set, never cleared, before a process first takes a hold of a user
	 * event, a user_events_data file, opens a tracefs stand-in or makes
	 * an emulated tracefs directory its working directory
	 * (runtime/uevent_refs.c, uevent_files.c, uevent_tracefs.c,
	 * uevent_tfs_path.c): while 0, an exec has none of them to look
	 * for, and reads neither the holds, the files nor the working
	 * directories (six pages of the session: six page faults at every
	 * exec, 11 us each on a VM that keeps its guests' page tables). A
	 * process that clears it skips only its own: each process's holds
	 * are its own, and the collector's reconcile finds the holders
	 * gone.
	 */
	uint32_t uev_used;
};
#define LIMEN_COLLECTOR_DIED 0x40000000u /* FUTEX_OWNER_DIED */
_Static_assert(sizeof(struct limen_ctl) <= 4096u, "ctl page");

enum limen_slot_state {
	LIMEN_SLOT_FREE = 0,
	LIMEN_SLOT_CLAIMED,  /* being set up by its thread */
	LIMEN_SLOT_ACTIVE,   /* owned by a live thread */
	LIMEN_SLOT_DONE,     /* thread gone; collector frees it when drained */
	LIMEN_SLOT_POOLED,   /* claimed for a process's pool (runtime/ring.c),
				tid = pid = its process's: no thread yet, no
				record; freed once the process is gone */
};

/*
 * head (the producer's) and tail (the collector's) share this line: the
 * collector reads head and writes tail once per slice of a drain
 * (cli/session.c), never per record, so the line changes cores some
 * hundreds of times where issue 11's loop writes 600,000 records. The
 * tail on a line of its own, 64 or 128 bytes from the head, made no
 * difference to the program's time (README: Speed), and would double or
 * quadruple the slot table every process maps.
 */
struct limen_slot {
	uint32_t state;      /* enum limen_slot_state */
	int32_t tid;
	int32_t pid;         /* thread group id */
	uint32_t gen;        /* bumped on every claim */
	uint64_t head;       /* bytes reserved by producers (monotonic) */
	uint64_t tail;       /* bytes consumed by the collector (monotonic) */
	uint64_t lost;       /* records dropped since the last LOST record */
	uint64_t lost_total;
	/* the inode of the thread's pid namespace (its /proc/PID/ns/pid),
	   0: unknown. Two processes in sibling namespaces may have the same
	   local ids: the runtime's own slots (init.c, retire_old_slots) and
	   the collector's lookup of the thread (cli/session.c, resolve) are
	   told apart by it. Written by the program too: the collector
	   only picks among its own descendants with it */
	uint64_t pidns;
	uint64_t pad;
};
_Static_assert(sizeof(struct limen_slot) == 64, "slot is one cache line");

enum limen_rec_type {
	LIMEN_REC_NONE = 0,  /* not yet published */
	LIMEN_REC_PAD,       /* skip to the end of the ring */
	LIMEN_REC_ENTER,     /* syscall entry: struct limen_rec_sys */
	LIMEN_REC_EXIT,      /* syscall exit: struct limen_rec_sys */
	LIMEN_REC_SIGNAL,    /* signal delivered to a handler */
	LIMEN_REC_START,     /* thread/process start: struct limen_rec_start */
	LIMEN_REC_LOST,      /* records dropped here: struct limen_rec_lost */
	LIMEN_REC_NOTE,      /* runtime message: struct limen_rec_note */
	LIMEN_REC_UACCESS,   /* after a call's exit: struct limen_rec_uaccess */
	LIMEN_REC_UEVDEF,    /* a user event registered: struct limen_rec_uev,
				then its name_args (len bytes, no NUL) */
	LIMEN_REC_UEVENT,    /* a user event emitted: struct limen_rec_uev,
				then its payload (len bytes) */
	LIMEN_REC_STACK,     /* -k, after a call's ENTER: struct
				limen_rec_stack, then the stack's bytes */
	LIMEN_REC_MAPS,      /* -k, before a STACK when the process's
				mappings may have changed: struct
				limen_rec_maps, then /proc/self/maps's text */
};

struct limen_rec {
	uint32_t size;       /* whole record, multiple of 8 */
	uint16_t type;       /* written last */
	uint16_t flags;
};

enum limen_rec_flags {
	LIMEN_RECF_HIDDEN = 1, /* recorded for bookkeeping, not selected by -e */
	LIMEN_RECF_NESTED = 0x8000, /* never a ring's (the collector clears
				       it): in a recording, the writer's
				       ids are a pid namespace's below the
				       collector's (limen_event.nested) */
	LIMEN_RECF_UNMADE = 2, /* EXIT of a call never made: a signal came
				  first, the program makes it again after */
	LIMEN_RECF_INJECTED = 4, /* EXIT: its result was injected (-e inject=) */
	LIMEN_RECF_DELAYED = 8,  /* EXIT: delayed by -e inject=...:delay_ */
	LIMEN_RECF_REPLACED = 16, /* ENTER: not made, its result injected:
				     an exit or exit_group that returns */
	LIMEN_RECF_SIGNAL = 32,  /* STACK: the stack the SIGNAL before it
				    found (its stamp), not a call's */
	LIMEN_RECF_AT_ENTRY = 64, /* STACK: of a call strace captures at
				     its entry (execve, execveat, exit,
				     exit_group): a frame with no symbol
				     is "(+0x0)"; exit's and exit_group's
				     come before their ENTER */
	LIMEN_RECF_I386 = 128, /* ENTER/EXIT: a call of the i386 table, made
				  with int $0x80 (nr is its number there:
				  runtime/compat32.c) */
};

/* A capture follows the fixed part: header then data padded to 8. */
struct limen_cap {
	uint8_t arg;
	uint8_t flags;       /* LIMEN_BLOB_TRUNC, LIMEN_BLOB_FAULT */
	uint16_t pad;
	uint32_t len;
};

struct limen_rec_sys {
	struct limen_rec h;
	uint32_t nr;
	uint32_t ncap;
	uint64_t tsc;
	uint64_t args[6];    /* ENTER only meaningful; EXIT repeats them */
	int64_t ret;         /* EXIT */
};

enum limen_start_kind {
	LIMEN_START_INIT = 1, /* the runtime loaded in a new image */
	LIMEN_START_THREAD,
	LIMEN_START_FORK,
};

struct limen_rec_start {
	struct limen_rec h;
	uint32_t kind;
	int32_t ppid;
	uint64_t tsc;
};

struct limen_rec_sig {
	struct limen_rec h;
	uint32_t sig;
	uint32_t pad;
	uint64_t tsc;
	uint8_t siginfo[128];
	uint64_t ip;            /* -i: where the signal found the program's
				   code (0: not known) */
};

/*
 * -k: what the collector needs to unwind the call's user stack. regs in
 * DWARF's x86_64 order (rax rdx rcx rbx rsi rdi rbp rsp r8-r15, then
 * rip: 17), as the SIGSYS frame holds them; len bytes of the stack from
 * regs[7] (rsp) follow, fewer than asked where the stack ends.
 */
#define LIMEN_STACK_REGS 17
#define LIMEN_STACK_COPY 16384u
struct limen_rec_stack {
	struct limen_rec h;
	uint32_t len;
	uint32_t pad;
	uint64_t tsc;
	uint64_t regs[LIMEN_STACK_REGS];
};
#define LIMEN_MAPS_MAX 65536u
struct limen_rec_maps {
	struct limen_rec h;
	uint32_t len;        /* bytes of /proc/self/maps that follow */
	uint32_t pad;
	uint64_t tsc;
};
/*
 * The smallest ring -k takes: a record larger than half the ring is
 * dropped, not waited for (ring.c, reserve: a wrap may need as much again
 * in padding), and the maps record reserves LIMEN_MAPS_MAX, the stack
 * record LIMEN_STACK_COPY; in a smaller ring no-loss mode lost them all.
 */
#define LIMEN_STACK_RING_MIN (256u << 10)
_Static_assert(sizeof(struct limen_rec_maps) + LIMEN_MAPS_MAX <=
			       LIMEN_STACK_RING_MIN / 2 &&
		       sizeof(struct limen_rec_stack) + LIMEN_STACK_COPY <=
			       LIMEN_STACK_RING_MIN / 2,
	       "-k's records fit half of the smallest ring -k takes");

struct limen_rec_lost {
	struct limen_rec h;
	uint64_t count;
	uint64_t tsc;
};

enum limen_note_kind {
	/* the execve in flight starts an image limen cannot (or must not)
	   trace; the text says why */
	LIMEN_NOTE_UNTRACED = 1,
	/* which user_events the process uses: the kernel's or limen's */
	LIMEN_NOTE_UEVENTS = 2,
	/* written before the thread's execve: if it succeeds, the new
	   image runs untraced; the text says why. Only its outcome says
	   whether it stands: the runtime cannot write once the exec has
	   succeeded, so it withdraws the note when the exec fails */
	LIMEN_NOTE_EXEC_UNTRACED = 3,
	/* the execve after LIMEN_NOTE_EXEC_UNTRACED failed: the note is
	   void, the process goes on traced (no text) */
	LIMEN_NOTE_EXEC_FAILED = 4,
};

struct limen_rec_note {
	struct limen_rec h;
	uint32_t kind;       /* enum limen_note_kind */
	uint32_t len;        /* bytes of text that follow, no NUL */
	uint64_t tsc;
	int32_t pid;         /* the process it is about; 0: the writer's */
	uint32_t pad;
};

struct limen_rec_uev {
	struct limen_rec h;
	uint32_t id;         /* index in the event table (uevent_area.h) */
	uint32_t len;        /* bytes that follow (before padding) */
	uint64_t tsc;
};

/* The user memory a call touched (--uaccess), as uaccess logging reports
 * it: n entries follow, in the order of the log; `total` were found (more
 * than LIMEN_UACCESS_MAX are not kept). */
#define LIMEN_UACCESS_MAX 256u
struct limen_rec_uaccess {
	struct limen_rec h;
	uint32_t nr;
	uint32_t n;
	uint64_t tsc;
	uint32_t total;
	uint32_t pad;
};

struct limen_uaccess_ent {
	uint64_t addr;
	uint64_t size;
	uint64_t flags;          /* 1: written (UACCESS_BUFFER_FLAG_WRITE) */
};

/*
 * The layout, copied out of the ctl page once into private memory: every
 * traced process can write the ctl page, so neither side reads the geometry
 * back from it (a program scribbling over it would make the collector walk
 * off its mappings). The runtime checks the copy with limen_geom_ok first.
 */
struct limen_geom {
	uint64_t total_bytes;
	uint64_t slots_off;
	uint64_t rings_off;
	uint32_t nslots;
	uint32_t ring_bytes;
};

static inline uint64_t limen_geom_rings_off(uint32_t nslots)
{
	uint64_t end = LIMEN_CTL_BYTES +
		       (uint64_t)nslots * sizeof(struct limen_slot);

	return (end + 4095) & ~4095ull;
}

/* The layout the collector builds, and nothing else; file_bytes: the size
   of the memfd as the kernel sees it. */
static inline int limen_geom_ok(const struct limen_geom *g,
				uint64_t file_bytes)
{
	return g->nslots >= 1 && g->nslots <= LIMEN_NSLOTS_MAX &&
	       g->ring_bytes >= 4096 && g->ring_bytes <= (1u << 30) &&
	       !(g->ring_bytes & (g->ring_bytes - 1)) &&
	       g->slots_off == LIMEN_CTL_BYTES &&
	       g->rings_off == limen_geom_rings_off(g->nslots) &&
	       g->total_bytes ==
		       g->rings_off + (uint64_t)g->nslots * g->ring_bytes &&
	       g->total_bytes <= file_bytes;
}

/* Offset of ring i in the memfd (page aligned). */
static inline uint64_t limen_ring_off(const struct limen_geom *g, uint32_t i)
{
	return g->rings_off + (uint64_t)i * g->ring_bytes;
}

/* How many slots to look at: the high-water mark, bounded by the table. */
static inline uint32_t limen_slots_used(const struct limen_ctl *c,
					const struct limen_geom *g)
{
	uint32_t n = __atomic_load_n(&c->slots_used, __ATOMIC_ACQUIRE);

	return n < g->nslots ? n : g->nslots;
}

/*
 * Where a ring's writer goes back to the ring's start (runtime/ring.c,
 * pad_for) at a record that would fit before the end: past the ring's hot
 * start (a quarter of the ring, 256 KiB at most) with at most a quarter
 * of pos (where it stands in the ring) unread (used). The collector asks
 * the same before it makes pages present ahead of the writer (cli/
 * session.c, populate_ahead): pages past a writer that goes back are ones
 * it does not write while the collector keeps up.
 */
#define LIMEN_RING_HOT (256u << 10)

static inline int limen_ring_goes_back(uint64_t pos, uint64_t used,
				       uint32_t rsize)
{
	uint32_t hot = rsize / 4 < LIMEN_RING_HOT ? rsize / 4 : LIMEN_RING_HOT;

	return pos >= hot && 4 * used <= pos;
}

static inline uint64_t limen_rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

#define LIMEN_ALIGN8(x) (((x) + 7u) & ~(uint64_t)7u)

/*
 * -y, -yy, --decode-fds: what a descriptor of a call refers to, resolved in
 * the program at the call (arguments at entry, a returned descriptor at
 * exit), so that a later close, dup2, exec or fork cannot change the
 * answer. A capture whose arg is LIMEN_CAP_FD + i describes argument i's
 * descriptor (AT_FDCWD: the working directory), LIMEN_CAP_FD +
 * LIMEN_FDI_* the others: a struct limen_fdinfo, then linklen bytes of the
 * /proc/thread-self/fd link, namelen of getsockname's address, peerlen of
 * getpeername's.
 */
#define LIMEN_CAP_FD 16u
#define LIMEN_FDI_RET 6u     /* the returned descriptor */
#define LIMEN_FDI_PAIR 7u    /* 7, 8: pipe's, pipe2's, socketpair's int[2] */
#define LIMEN_FDI_RIGHTS 9u  /* 9...: SCM_RIGHTS descriptors of sendmsg
				(entry) or recvmsg (exit), or poll's and
				select's (entry), in order */
#define LIMEN_FDI_NRIGHTS 8u
#define LIMEN_FDI_SLOTS (LIMEN_FDI_RIGHTS + LIMEN_FDI_NRIGHTS)
/* -e read=, -e write=: the whole data of the call (src/runtime/dump.c) */
#define LIMEN_CAP_DUMP (LIMEN_CAP_FD + LIMEN_FDI_SLOTS)
/* a netlink socket's message, whole, and the socket's protocol */
#define LIMEN_CAP_NETLINK (LIMEN_CAP_DUMP + 1)
#define LIMEN_NL_BOUND (64u << 10)

enum limen_decode_fds {
	LIMEN_FDS_PATH = 1,    /* -y: paths, socket:[INODE], AT_FDCWD's cwd */
	LIMEN_FDS_SOCKET = 2,  /* -yy: TCP:[a:p->b:q], UNIX-STREAM:[...] */
	LIMEN_FDS_DEV = 4,     /* /dev/null<char 1:3> */
	LIMEN_FDS_PIDFD = 8,   /* pid:PID */
};

struct limen_fdinfo {
	int32_t fd;
	uint32_t want;         /* enum limen_decode_fds when resolved */
	uint32_t linklen;
	uint16_t namelen, peerlen;
	int32_t domain, type, protocol, listening; /* sockets with
						      LIMEN_FDS_SOCKET; -1:
						      unknown */
	uint32_t mode;         /* st_mode with LIMEN_FDS_DEV; 0: unknown */
	int32_t pid;           /* a pidfd's process; 0: unknown */
	uint64_t rdev;
	/* a UNIX socket's peer inode, asked of sock_diag at the call
	   (src/runtime/unixpeer.c) when flags has LIMEN_FDI_PEER; 0: none */
	uint32_t peer_ino;
	uint32_t flags;
};
#define LIMEN_FDI_PEER 1u
/* not resolved at the call: a seccomp filter of the program's own was on,
   which could refuse or kill the calls that resolve it. The collector
   shows the descriptor without a name: read later from /proc it would be
   whatever the program, running on, put there since (src/runtime/fdinfo.c,
   src/decode/fdpath.c) */
#define LIMEN_FDI_LATE 2u
_Static_assert(sizeof(struct limen_fdinfo) == 56, "fdinfo layout");

#endif
