/* SPDX-License-Identifier: MIT */
/* The collector: internal interfaces between its parts. */
#ifndef LIMEN_CLI_H
#define LIMEN_CLI_H

#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "session/session.h"

struct limen_filter;

struct limen_opts {
	const char *outfile;     /* -o */
	unsigned strsize;        /* -s */
	int show_time;           /* -T */
	int timestamps;          /* -t: 0 none, 1 the time of day, 2
				    seconds since the epoch (-ttt) */
	int ts_digits;           /* -t: digits after the second: 0 (s),
				    3 (ms), 6 (us: -tt, -ttt), 9 (ns) */
	int quiet;               /* -qq, -e quiet=exit */
	int quiet_superseded;    /* -qqq, -e quiet=superseded */
	int verbose;             /* -v */
	int summary;             /* 1: -c (table only), 2: -C (both) */
	const char *json;        /* --json FILE */
	const char *perfetto;    /* --perfetto FILE */
	int latency;             /* --latency */
	int record;              /* limen record: -o is the directory */
	int report;              /* limen report: cmd[0] is the directory */
	int decode_threads;      /* text sink's formatting threads; 0:
				    inline (LIMEN_DECODE_THREADS) */
	int trace_all;
	uint32_t ring_bytes;     /* --ring-size */
	int no_loss;             /* 1 unless --lossy: full rings wait */
	int run;                 /* limen run: the runtime, no trace */
	int uaccess;             /* --uaccess: the ranges under each call */
	int append;              /* -A: -o appends */
	int relative;            /* -r: time since the line before */
	int rel_digits;          /* -r's digits after the second (6) */
	int dur_digits;          /* -T's (6) */
	unsigned column;         /* -a: where a result's "=" goes (0) */
	int syscall_numbers;     /* -n: [NR] before each call's name */
	int hex;                 /* -x: 1, -xx: 2, --strings-in-hex=
				    non-ascii-chars: 3 (strings in \x hex) */
	uint8_t trace_mask[LIMEN_TRACE_BITS / 8];
	const char *uevent_want; /* -e uevent=a,b: names to enable */
	int uevent_all;          /* -e uevent=all */
	size_t flight_bytes;     /* record --flight SIZE (flight.h) */
	const char **triggers;   /* --trigger SPEC, each */
	unsigned ntriggers;
	int64_t flight_after_ns; /* --flight-after */
	unsigned flight_max;     /* --flight-max (0: 100) */
	char **cmd;              /* after -- */
	/* strace's output and summary options (stropts.c) */
	int sort_by;             /* -S: enum limen_sort_by */
	uint8_t cols[8];         /* -U: enum limen_sum_col, ncols of them */
	int ncols;
	uint64_t overhead_ns;    /* -O: taken off each call's time */
	uint64_t syscall_limit;  /* --syscall-limit: calls shown, then none */
	int separately;          /* -ff: one file per thread, -o FILE.TID */
	int xstyle;              /* -X: enum limen_xstyle */
	int show_ip;             /* -i: the call's address before its name */
	int detach_exec;         /* -b execve: new images run untraced */
	int stack;               /* -k: each call's user stack under it */
	struct limen_filter *filter; /* -e status=, -P, --filter, -e inject=...:
					the runtime's program, or NULL */
	int no_rewrite;          /* --no-rewrite, LIMEN_NO_REWRITE: every
				    call through SUD, no site rewritten */
	unsigned decode_fds;     /* -y, -yy, --decode-fds: limen_decode_fds */
	uint8_t dump_fds[2][LIMEN_DUMP_FDS / 8]; /* -e read=, -e write= */
	struct limen_bt *bt;     /* limen bt: the program (src/bt/) */
	const char *flight_dir;  /* limen bt --flight-dir: snapshot()'s */
	int decode_pids;         /* -Y, --decode-pids=comm: pid<comm> */
	uint8_t pids_added[LIMEN_TRACE_BITS / 8]; /* -Y: recorded to follow
						     names, not shown */
	uint8_t raw_mask[LIMEN_TRACE_BITS / 8]; /* -e raw=SET */
	int raw_any;
	/* -e abbrev=SET: the calls abbreviated (every call without it,
	   none with -v); -e verbose=SET: the calls whose structures are
	   shown (every call without it), the others' as their addresses */
	uint8_t abbrev_mask[LIMEN_TRACE_BITS / 8];
	int abbrev_set;
	uint8_t deref_mask[LIMEN_TRACE_BITS / 8];
	int deref_set;
	unsigned exec_status;    /* -e status=: the execve results shown
				    (LIMEN_FST_* bits), 0: all (collector) */
	int decode_when_behind;  /* with decode_threads 0: the formatting
				    threads to start once formatting inline
				    falls behind (0: never) */
	int no_lean;             /* --no-lean, LIMEN_LEAN=0: no rewritten
				    site's call skips the runtime (lean.c) */
};

enum limen_sort_by {
	LIMEN_SORT_TIME, LIMEN_SORT_MIN, LIMEN_SORT_MAX, LIMEN_SORT_AVG,
	LIMEN_SORT_CALLS, LIMEN_SORT_ERRORS, LIMEN_SORT_NAME, LIMEN_SORT_NOTHING,
};
enum limen_sum_col {
	LIMEN_COL_PCT, LIMEN_COL_TOTAL, LIMEN_COL_MIN, LIMEN_COL_MAX,
	LIMEN_COL_AVG, LIMEN_COL_CALLS, LIMEN_COL_ERRORS, LIMEN_COL_NAME,
};
enum limen_xstyle { LIMEN_X_ABBREV, LIMEN_X_RAW, LIMEN_X_VERBOSE };

/* stropts.c: strace's options that need more than a flag (they die with
   strace's message on a bad value) */
void limen_parse_sort_by(struct limen_opts *o, const char *v);
void limen_parse_columns(struct limen_opts *o, const char *v);
void limen_parse_overhead(struct limen_opts *o, const char *v);
void limen_parse_xstyle(struct limen_opts *o, const char *v);
void limen_parse_syscall_limit(struct limen_opts *o, const char *v);
/* -ff, --output-separately: checked against the other options */
void limen_output_separately(struct limen_opts *o);

/* fdopts.c: -y, -yy, --decode-fds=SET, -e decode-fds=, -e read=, -e
   write=; limen_opt_fdexpr returns 0 for another -e qualifier */
void limen_opt_y(struct limen_opts *o);
void limen_opt_decode_fds(struct limen_opts *o, const char *set);
int limen_opt_fdexpr(struct limen_opts *o, const char *name, size_t n,
		     const char *set);

/* pidopts.c: -Y's long forms --decode-pids=SET, -e decode-pids=SET */
void limen_opt_decode_pids(struct limen_opts *o, const char *set);
int limen_opt_pidexpr(struct limen_opts *o, const char *name, size_t n,
		      const char *set);

/* src/bt/cli.c: limen bt's arguments (argv[0] is "bt") */
void limen_bt_args(struct limen_opts *o, int argc, char **argv);

/* One record taken out of a ring, with the slot's identity. */
struct limen_event {
	uint16_t type, flags;
	int32_t tid, pid;
	uint8_t nested;          /* the writer's own ids are not ours (a PID
				    namespace below ours): the ids in its
				    records are its namespace's */
	uint64_t tsc;
	uint8_t *rec;            /* borrowed: valid while it is emitted;
				    whoever keeps it copies it */
	uint32_t size;
	uint64_t off;            /* where the session keeps it (session.c) */
	uint64_t seq;            /* drain order, to keep sorting stable */
	uint64_t seen;           /* our clock when a drain took it (session.c,
				    drain_at): how long a call has been open
				    when its stamp is a counter's (lone.c) */
};

/*
 * Events the collector makes itself (never read from a ring): a note about
 * a thread's ring (rec is the NUL-terminated text).
 */
#define LIMEN_EV_NOTE 0x8000

/*
 * What the collector knows of a slot, in its own memory: the traced program
 * can write anything into the shared slot table, so once a slot is claimed
 * its identity, its consumer position and the session's geometry are taken
 * from here, never again from shared memory.
 */
struct limen_slotview {
	int known;               /* claimed and identified */
	uint32_t gen;            /* the claim we identified */
	int32_t ltid, lpid;      /* as the runtime gave them (its namespace) */
	uint64_t pidns;          /* ... and its namespace's inode, 0: unknown */
	int32_t tid, pid;        /* as shown: our namespace's ids if resolved */
	int resolved;            /* tid/pid verified in our namespace */
	int retire;              /* its process ended: free once it is dead */
	int pooled;              /* identified LIMEN_SLOT_POOLED: a thread
				    of its process may take it (new gen) */
	int look;                /* claimed anew when a drain looked: to be
				    identified (session.c, identify_new) */
	uint64_t tail;           /* bytes consumed (the shared copy is ours to
				    write, never to read) */
	uint64_t last_tsc;       /* of its last good record: places notes */
	uint64_t corrupt;        /* bad records seen */
	uint64_t stop;           /* its head when the drain began: a drain
				    taken in slices ends there */
	int cut;                 /* the last slice ended before the stop, */
	uint64_t next;           /* at a record of this time (0: unknown); */
	uint64_t span;           /* the time that slice spanned */
	uint64_t pop_start;      /* populate_ahead (session.c): where the
				    thread's first lap began, */
	uint64_t pop_end;        /* how far its pages are made present, */
	uint64_t pop_seen;       /* and its head at the last drain */
};

/* A thread of a nested PID namespace among our descendants. */
struct limen_nsent {
	int32_t ltid, lpid;          /* its ids in its own namespace */
	int32_t tid, pid;            /* in ours */
	uint64_t pidns;              /* its namespace's inode, 0: unknown */
};

/* session.c */
/* Thread tid's state letter in /proc (R, S, D, Z...; of process pid, or
   0: tid looked up alone): 0 when /proc has it no more, -1 when it cannot
   be read for another reason (errno), '?' when the line cannot be read. */
int limen_task_state(pid_t pid, pid_t tid);
/* 1: the thread makes no more records: gone from /proc, a zombie or dead */
int limen_task_dead(pid_t pid, pid_t tid);
/* 1: every thread of pid is dead (a zombie, or no longer listed); 0: one
   lives; -1: cannot tell */
int limen_proc_gone(pid_t pid);
#define LIMEN_ZAPPED_KEEP 16
struct limen_session {
	struct limen_ctl *ctl;      /* mapped with the slot table only */
	struct limen_slot *slots;
	struct limen_geom geom;     /* private: never read back from ctl */
	uint8_t **rings;            /* each slot's ring, mapped while in use */
	uint8_t *kept;              /* the slot is free, its ring still
				       mapped (session.c, free_slot) */
	uint32_t nkept;
	uint8_t *no_room;           /* 1: the last try to map the slot's
				       ring failed (no room: ulimit -v);
				       2: and reading it through the
				       descriptor failed too */
	uint32_t nscan;             /* slots to scan: the largest high-water
				       mark seen, bounded by geom.nslots */
	int fd;
	uint64_t seq;
	struct limen_event *held;   /* drained, not yet emitted */
	size_t nheld, capheld;
	uint8_t *arena, *arena2;    /* the held records' bytes; the spare
				       one for compaction */
	size_t narena, caparena, caparena2;
	struct limen_slotview *view; /* geom.nslots entries */
	pid_t self, child;           /* ourselves, the command */
	int all_gone;                /* no traced thread can be alive */
	int pressure;                /* a ring was over half full at the
					last drain: drain again soon */
	struct limen_nsent *nsidx;   /* built once per drain, on demand */
	size_t nns, capns;
	int nsidx_built;
	int pidns_ours;             /* 1: pidns names our PID namespace,
				       /proc's; -1: cannot tell; 0: not
				       looked yet (session.c, same_pidns) */
	char pidns[64];
	struct limen_nsent *peers;   /* processes that came by the socket:
					their ids there and here, oldest
					first, each taken once (rendezvous.c) */
	size_t npeers, cappeers;
	struct limen_waiter {        /* connected, its ids not read yet */
		int fd;
		int32_t pid;         /* SO_PEERCRED, in our namespace */
		int64_t since;       /* CLOCK_MONOTONIC ns */
	} waiting[16];
	int nwaiting;                /* rendezvous.c */
	int no_resolve;              /* ids as the rings say, no /proc
					lookups (the fuzz harness) */
	int no_populate;             /* populate_ahead: the kernel cannot,
					or no thread is left to write */
	uint64_t drain_at;           /* the clock as the last drain began:
					each record's `seen` */
	struct {                     /* pid namespaces whose init was seen */
		uint64_t pidns;      /* dead (limen_session_zapped), the */
		int32_t init;        /* last LIMEN_ZAPPED_KEEP of them */
	} zapped[LIMEN_ZAPPED_KEEP];
	unsigned nzapped;
	uint64_t pidns_ino;          /* our own namespace's inode (its link
					is pidns), 0: not read, or cannot
					be (session.c, our_pidns) */
};
/* Before a drain: the pid namespaces whose init (a traced process, local
   pid 1) is dead, each looked at once. The kernel killed their other
   processes with SIGKILL and reaped them itself: no wait says how they
   ended. Their pids as the collector knows them go to pid, their init's
   to init (up to max); their count. */
size_t limen_session_zapped(struct limen_session *s, int32_t *init,
			    int32_t *pid, size_t max);
int limen_session_create(struct limen_session *s, const struct limen_opts *o);
/* Drain every ring; emit (in time order) what is older than `upto`.
   Returns the number of records taken out of the rings. */
typedef void (*limen_emit_fn)(void *ctx, struct limen_event *e);
size_t limen_session_drain(struct limen_session *s, uint64_t upto,
			 limen_emit_fn emit, void *ctx);
/*
 * Retire the slots of threads that are gone. all_gone: the collector has
 * no child left, so (as the tree's subreaper) no traced thread can be
 * alive. Returns the slots still owned by a live (or unknown) thread.
 */
int limen_session_reap_slots(struct limen_session *s, int all_gone);
/* The slots claimed since the last drain, identified (before a reap). */
void limen_session_identify(struct limen_session *s);
/* The process shown as pid ended (exit_group, killed): retire its slots
   once its threads are gone. */
void limen_session_retire_pid(struct limen_session *s, int32_t pid);
/* Slot i's ring, mapped while its slot is in use (NULL: no room now). */
uint8_t *limen_session_ring(struct limen_session *s, uint32_t i);
/* After the last drain: threads whose records are left in their rings
   because the last try to map the ring found no room (ulimit -v); not
   those of a ring never looked at (limen bt's exit() ends the run with
   the command still going). */
uint32_t limen_session_unread(struct limen_session *s);

/* rendezvous.c: the session for images that cannot reach it through
   /proc (they changed user ID, or are in other namespaces). Returns the
   listening socket or -errno. */
int limen_rendezvous_open(const struct limen_session *s);
/* The same at a path (limen_rendezvous_path names it, "" when there is
   none), for images in another network namespace: chosen at start
   (limen_rendezvous_choose_path), bound when the runtime asks for it
   (limen_rendezvous_wanted, each drain-loop turn: *fd the socket once
   bound), removed at exit or by limen_rendezvous_remove */
void limen_rendezvous_choose_path(void);
int limen_rendezvous_open_path(void);
void limen_rendezvous_wanted(struct limen_ctl *c, int *fd);
const char *limen_rendezvous_path(void);
void limen_rendezvous_remove(void);
/* hand the session to every waiting process of the traced tree, from
   the listening sockets lfd[0..n) (2 at most; -1: none) */
void limen_rendezvous_serve(const int *lfd, int n, struct limen_session *s);

/* clock.c: TSC to wall time */
void limen_clock_init(void);
/* wake.c: the drain loop's nap, ended early by a signal's poke */
struct timespec;
void limen_wake_init(void);
void limen_wake_poke(void);
void limen_wake_nap(const struct timespec *d);
void limen_clock_sample(void);
/* nanoseconds since the epoch (CLOCK_REALTIME) for a TSC value */
uint64_t limen_clock_ns(uint64_t tsc);
/* nanoseconds between two TSC values */
uint64_t limen_clock_delta_ns(uint64_t a, uint64_t b);
/* the two samples of the line (a recording keeps them), and setting them
   back (a report prints the times the recording's end would have) */
void limen_clock_params(uint64_t *tsc0, uint64_t *ns0, uint64_t *tsc1,
			uint64_t *ns1);
void limen_clock_set(uint64_t tsc0, uint64_t ns0, uint64_t tsc1,
		     uint64_t ns1);

/* tree_signals.c: a signal the traced tree sent (its kill(0) of the
   group limen shares, or of its parent, which limen is): 1; -1 when its
   sender is gone from /proc (limen_collector_seen tells); 0 else. For
   handlers (async-signal-safe) */
int limen_from_the_tree(const siginfo_t *si);
/* handlers for the other signals that end a process at their default:
   from the tree ignored, from elsewhere passed on to the command by
   limen_relay_take (the drain loop); SIGUSR1 left out with skip_usr1 */
void limen_relay_catch(int skip_usr1);
void limen_relay_take(pid_t child);

/* spawn.c */
int limen_resolve(const char *cmd, char *out, size_t n);
/* 0: can be traced (asan: the ASan runtime to preload first, or ""),
   -1: cannot (the reason was printed) */
int limen_check_static(const char *path, char **argv, char *asan, size_t n);
/* limen's loader next to the runtime rt, linked into dir too (a runtime
   reached through a link there, main.c) */
void limen_loader_link(const char *rt, const char *dir);
void limen_loader_unlink(const char *dir);
/* A handler of ours is set for sig: the command's child resets it before
   its exec (every sigaction that sets a handler in limen says so) */
void limen_spawn_caught(int sig);
/* -u USER: the command runs as USER (limen must be root) */
void limen_spawn_as(const char *name, uid_t uid, gid_t gid);
/* The child's pid; -1 (errno) if fork failed; -2 (errno: the exec's
   error) if the exec failed, the child reaped. */
pid_t limen_spawn(const char *path, char **argv, const struct limen_session *s,
		  const char *preload, const char *asan);

/* The collector layer and the sinks: collector/collector.h */

/* msg.c: "limen: ..." on stderr; limen_die then exits with code */
void limen_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void limen_die(int code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3), noreturn));

#endif
