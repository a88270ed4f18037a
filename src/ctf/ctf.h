/* SPDX-License-Identifier: MIT */
/*
 * Binary recording as CTF 1.8 (read by babeltrace2 and Trace Compass), and
 * reading it back.
 *
 * A recording is a directory: `metadata` (TSDL text, written at close) and
 * one stream file, `stream`, holding the events in the order the collector
 * emitted them (one channel: the drain has already merged the threads in
 * time order, so one sequential file is the fastest to write, costs one
 * descriptor whatever the number of threads, and replays in exactly the
 * order `limen trace` printed; each event says its thread in its context).
 *
 * Every ring record is stored whole, its fields named and typed as LTTng
 * names its kernel syscall events (syscall_entry_openat: dfd, filename,
 * flags, mode; syscall_exit_openat: ret, ...), so that the reader rebuilds
 * the record byte for byte. A record that does not have the shape the
 * runtime writes (a program can write anything into its ring) is stored
 * as `limen_record`, its bytes as a sequence: it too comes back unchanged.
 * LOST records also raise the packets' events_discarded count.
 */
#ifndef LIMEN_CTF_H
#define LIMEN_CTF_H

#include <stddef.h>
#include <stdint.h>

#include "cli/cli.h"

/*
 * Events the collector makes itself, besides LIMEN_EV_NOTE (cli.h), so that
 * a report can replay what the text sink was told outside the rings.
 */
#define LIMEN_EV_REAPED 0x8001 /* rec: struct limen_ctf_reaped */
#define LIMEN_EV_TICK   0x8002 /* the collector's clock at a drain (tsc);
				  rec NULL, size 0 (limen_text_tick) */
#define LIMEN_EV_COMMAND 0x8003 /* the command was started: rec is an
				   int32_t, its pid (limen_text_set_child) */
#define LIMEN_EV_LINE   0x8004 /* a line of the collector's own, printed as
				  it is (limen_text_note): rec is the
				  NUL-terminated text */

struct limen_ctf_reaped {
	int32_t pid;
	int32_t status;  /* wait status */
	uint32_t child;  /* 1: the command itself (limen_text_child_status),
			    0: an orphan reaped as subreaper,
			    2: gone after exit_group (limen_collector_gone,
			    status unused),
			    3: killed with its pid namespace, whose init
			    is status's pid (limen_collector_zap),
			    4: the ends 3 asked for, if not told yet
			    (limen_collector_zapped, pid unused) */
	uint32_t pad;
};

/* The TSC to wall-clock line (clock.c's two samples). */
struct limen_ctf_clock {
	uint64_t tsc0, ns0, tsc1, ns1;
};

struct limen_ctf_opts {
	size_t sz;               /* sizeof(struct limen_ctf_opts) */
	uint32_t packet_bytes;   /* bound of a packet; 0: 64 KiB. A larger
				    event gets a packet of its own */
};

struct limen_ctf;

/*
 * Create dir (if needed) and its stream file. Returns NULL with errno set.
 */
struct limen_ctf *limen_ctf_open(const char *dir,
				 const struct limen_ctf_opts *o);
/*
 * Append one event as the drain emits it (ring records, LIMEN_EV_NOTE,
 * LIMEN_EV_REAPED, LIMEN_EV_TICK). Does not take ownership of e->rec.
 * 0, or -errno (a write error: the recording is incomplete).
 */
int limen_ctf_write(struct limen_ctf *w, const struct limen_event *e);
/* The clock the metadata describes; call before close (clock.c's
   limen_clock_params gives it). */
void limen_ctf_set_clock(struct limen_ctf *w, const struct limen_ctf_clock *c);
/* Events written so far and bytes of the stream file. */
void limen_ctf_stats(const struct limen_ctf *w, uint64_t *events,
		     uint64_t *bytes);
/* Flush the last packet, write the metadata, free w. 0 or -errno. */
int limen_ctf_close(struct limen_ctf *w);

/* Reading a recording back (reader.c). */
struct limen_ctf_reader;

/*
 * Open dir. NULL with errno set, and a message in why (if not NULL) when
 * the directory is not a limen recording this build can read.
 */
struct limen_ctf_reader *limen_ctf_reader_open(const char *dir, char *why,
					       size_t whylen);
/* The clock line the recording was made with. */
void limen_ctf_reader_clock(const struct limen_ctf_reader *r,
			    struct limen_ctf_clock *c);
/*
 * The next event, in the order it was written: 1 (e filled, e->rec
 * malloc'd and owned by the caller), 0 at the end, -1 if the file is
 * damaged (why says where; nothing after it is returned).
 */
int limen_ctf_read(struct limen_ctf_reader *r, struct limen_event *e,
		   char *why, size_t whylen);
/* Discarded events the packets counted (LOST records). */
uint64_t limen_ctf_reader_discarded(const struct limen_ctf_reader *r);
void limen_ctf_reader_close(struct limen_ctf_reader *r);

#endif
