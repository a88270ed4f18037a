/* SPDX-License-Identifier: MIT */
/*
 * The user events' part of the session, right after the ctl page: the
 * event table (ids shared by every process of the tree) and the state of
 * the tracefs files the runtime emulates inside the tree where the kernel
 * has no user_events (src/runtime/uevent_tracefs.c): which events the
 * enable files turned on, tracing_on, and the text `trace` and
 * `trace_pipe` show. Every traced process can write all of it: readers
 * bound every index and length they take from here, copy strings out and
 * end them before use, and parse formats again.
 */
#ifndef LIMEN_UEVENT_AREA_H
#define LIMEN_UEVENT_AREA_H

#include <stdint.h>

#include "session/filter_abi.h"
#include "session/session.h"

/* after the ctl page and the filter program (filter_abi.h) */
#define LIMEN_UEV_AREA_OFF (LIMEN_FILTER_OFF + LIMEN_FILTER_BYTES)
#define LIMEN_TFS_TEXT (64u << 10) /* bytes of ftrace text kept (power of 2) */
#define LIMEN_UEV_WORDS (LIMEN_UEVENT_MAX / 64)
#define LIMEN_UEV_HOLDS 512u /* (process, event) pairs with registrations */
#define LIMEN_UEV_REF_MAX 0xffffffffu /* a count here stays: saturated */

#define LIMEN_TFS_CWDS 16u /* emulated working directories remembered */
#define LIMEN_TFS_DIRS 64u /* emulated directories' descriptors, too */
#define LIMEN_UEV_FILES 64u  /* user_events_data files open at once */
#define LIMEN_UEV_FREFS 512u /* (file, event) references, all files */
#define LIMEN_UEV_FHOLDS 256u /* (process, file) pairs */

/* A working directory inside the emulated tracefs
   (src/runtime/uevent_tfs_path.c): the kernel's working directory of
   such a process is an empty directory removed at once, (dev, ino), that
   stands for the emulated one, kind; an exec finds it here. */
struct limen_tfs_cwd {
	uint64_t dev, ino;
	uint32_t kind; /* 0: a free entry */
	uint32_t pad;
};

/* The registrations one process has of one event (uevent_refs.c): what
   the kernel's enablers of that process's mm count in the event's
   refcount. start (its start time) tells a reused pid apart. */
struct limen_uev_hold {
	uint32_t tgid;  /* 0: a free entry */
	int32_t id;
	uint32_t n;
	uint32_t pad;
	uint64_t start;
};

/* limen_uevent_ent.gen: the generation of the entry's id, bumped at each
   claim (an id handed out carries it: LIMEN_UEV_TAG), and whether the
   event persists, made through dynamic_events (the kernel's
   USER_EVENT_REG_PERSIST): the others are deleted with their last
   reference (uevent_refs.c) */
#define LIMEN_UEV_GEN_MASK 0x7fffu
#define LIMEN_UEV_PERSIST 0x10000u
/* An event's id as the API and the records carry it: the table index in
   the low 16 bits, the entry's generation above, so that a record made
   for an id deleted and claimed again meanwhile is not taken for the new
   event's (bit 31 stays clear: a tagged id is never negative). */
#define LIMEN_UEV_TAG(slot, gen) \
	((int32_t)((slot) | ((gen) & LIMEN_UEV_GEN_MASK) << 16))
#define LIMEN_UEV_SLOT(id) ((uint32_t)(id) & 0xffffu)

/*
 * A user_events_data file, the kernel's struct file with its
 * user_event_file_info (src/runtime/uevent_files.c): one per open, shared
 * by every descriptor dup'ed or inherited from it, in any process of the
 * tree, across fork and exec. The stand-in descriptor is a memfd of its
 * own: its (dev, ino) names the file to any process that has it.
 */
struct limen_uev_file {
	uint64_t dev, ino;
	uint32_t gen;     /* bumped at each claim: a stale slot is told apart */
	uint32_t holders; /* processes with a descriptor of it (and forks on
			     their way); 0: a free entry; saturating */
};

/* The file's reference on an event (user_events_ref_add): its
   write_index. A file's indexes count from 0, one per event. */
struct limen_uev_fref {
	uint16_t file;    /* its slot + 1; 0: a free entry */
	uint8_t has_loc;  /* __data_loc/__rel_loc fields to check */
	uint8_t pad;
	uint32_t index;
	int32_t tag;      /* the event's id with its generation */
	uint32_t fixed;   /* bytes a payload has at least */
};

/* A process that has descriptors of a file: its holder, subtracted when
   the process ended without closing them (start tells a reused pid). Or,
   with flight, a descriptor tgid sent over a unix socket (SCM_RIGHTS)
   and nobody received yet: the message holds the file, as the kernel's
   socket queue holds the struct file, until a receiver takes it over. */
struct limen_uev_fhold {
	uint32_t tgid;    /* 0: a free entry */
	uint16_t file;    /* slot + 1 */
	uint16_t flight;  /* in flight, sent by tgid (not its holder) */
	uint64_t start;
};

/* An event's filter file (src/runtime/uevent_tfs_filter.c): the string
   last written to it, as the kernel keeps it, for one event (tag: its id
   with its generation, so that an event deleted takes its filter along) */
#define LIMEN_UEV_FILTS 16u /* events with a filter at once */
#define LIMEN_UEV_FILT_TEXT 4096u /* a write is below a page */
enum { LIMEN_UEVF_FREE = 0, LIMEN_UEVF_ON, LIMEN_UEVF_BAD };
struct limen_uev_filt {
	uint32_t state;   /* LIMEN_UEVF_ON: in force; _BAD: refused, its
			     error shown, nothing filtered */
	int32_t tag;
	uint32_t len;     /* bytes of text */
	int32_t lasterr;  /* the parse error (uevent_filter.h) */
	int32_t pos;
	uint32_t pad;
	char text[LIMEN_UEV_FILT_TEXT];
};

struct limen_uevent_ent {
	uint32_t state;  /* enum limen_uevent_state */
	uint32_t gen;    /* LIMEN_UEV_GEN_MASK | LIMEN_UEV_PERSIST */
	char name_args[LIMEN_UEVENT_ARGS]; /* normalised, NUL-ended */
};

struct limen_uev_area {
	struct limen_uevent_ent uevents[LIMEN_UEVENT_MAX];
	/* one bit per event id: enabled (for -e uevent= or an enable
	   file); ftrace_on: events/user_events/NAME/enable wrote 1, their
	   writes go to the text below (ftrace's view) */
	uint64_t on[LIMEN_UEV_WORDS];
	uint64_t ftrace_on[LIMEN_UEV_WORDS];
	uint32_t tracing_off; /* tracing_on reads 0: nothing is appended */
	uint32_t lock;        /* the text's writer: its tid, 0: free */
	uint32_t seq;         /* futex word: bumped at each line appended */
	uint32_t reg_lock;    /* the event table's writer: its tid, 0: free */
	uint64_t head;        /* bytes appended, ever */
	uint64_t tail;        /* bytes consumed (trace_pipe) or cleared */
	uint64_t entries;     /* lines appended, ever */
	char text[LIMEN_TFS_TEXT]; /* lines, text[pos & (LIMEN_TFS_TEXT-1)] */
	/* every process's registrations of each event, for DIAG_IOCSDEL's
	   EBUSY: refs[id] counts them (saturating), holds say whose they
	   are so that a process gone without unregistering is subtracted */
	uint32_t hold_lock;
	uint32_t refs[LIMEN_UEVENT_MAX];
	struct limen_uev_hold holds[LIMEN_UEV_HOLDS];
	/* the collector's descriptor of a pipe that holds one byte while
	   the text has lines unread (trace_pipe's poll); 0: none */
	int32_t ready_fd;
	uint32_t cwd_next; /* the entry of cwds to take next */
	struct limen_tfs_cwd cwds[LIMEN_TFS_CWDS];
	/* user_events_data files (src/runtime/uevent_files.c), under
	   reg_lock */
	struct limen_uev_file files[LIMEN_UEV_FILES];
	struct limen_uev_fref frefs[LIMEN_UEV_FREFS];
	struct limen_uev_fhold fholds[LIMEN_UEV_FHOLDS];
	/* events' filter files, under filt_lock; the last one is the
	   scratch a write is read into before it replaces one */
	uint32_t filt_lock;
	uint32_t filt_pad;
	struct limen_uev_filt filts[LIMEN_UEV_FILTS + 1];
	/* a tracefs file's stand-in was opened in the session: an exec
	   looks for those it kept (src/runtime/uevent_files.c) */
	uint32_t tfs_opened;
	uint32_t tfs_pad;
	/* the collector's readiness pipe that trace_pipe's descriptors are
	   (src/runtime/uevent_tracefs.c): known by it in another process
	   or image; 0: none opened yet */
	uint64_t pipe_dev, pipe_ino;
	/* the stand-ins of the emulated directories' descriptors (empty
	   directories removed), by device and inode, so that another
	   process or image that has one knows it (as cwds) */
	uint32_t dir_next;
	uint32_t dir_pad;
	struct limen_tfs_cwd dirs[LIMEN_TFS_DIRS];
};
_Static_assert(LIMEN_UEV_AREA_OFF + sizeof(struct limen_uev_area) <=
		       LIMEN_CTL_BYTES,
	       "user events' area");

/* bit id of a bitmap of the area (id < LIMEN_UEVENT_MAX) */
static inline int limen_uev_bit(const uint64_t *w, uint32_t id)
{
	return (int)(__atomic_load_n(&w[id / 64], __ATOMIC_ACQUIRE) >>
			     (id % 64) & 1);
}

static inline void limen_uev_setbit(uint64_t *w, uint32_t id, int on)
{
	uint64_t m = 1ull << (id % 64);

	if (on)
		__atomic_fetch_or(&w[id / 64], m, __ATOMIC_ACQ_REL);
	else
		__atomic_fetch_and(&w[id / 64], ~m, __ATOMIC_ACQ_REL);
}

static inline struct limen_uev_area *limen_uev_area(void *ctl)
{
	return (struct limen_uev_area *)((char *)ctl + LIMEN_UEV_AREA_OFF);
}

/* ctl->uev_used (session.h): set before the first hold, file, tracefs
   stand-in or working directory of the session; read by an exec before
   it looks for its own */
static inline void limen_uev_mark_used(struct limen_ctl *c)
{
	if (!__atomic_load_n(&c->uev_used, __ATOMIC_RELAXED))
		__atomic_store_n(&c->uev_used, 1, __ATOMIC_SEQ_CST);
}

static inline int limen_uev_used(const struct limen_ctl *c)
{
	return c && __atomic_load_n(&c->uev_used, __ATOMIC_ACQUIRE);
}

#endif
