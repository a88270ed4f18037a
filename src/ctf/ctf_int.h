/* SPDX-License-Identifier: MIT */
/* Internal to src/ctf/: what the writer, the reader and the metadata share. */
#ifndef LIMEN_CTF_INT_H
#define LIMEN_CTF_INT_H

#include "ctf/ctf.h"
#include "systab.h"

/* The layout every part agrees on (layout.c). */
enum limen_ctf_fk {
	LIMEN_CTF_F_S32,     /* 32-bit argument: s32 low half, u32 high */
	LIMEN_CTF_F_U32,
	LIMEN_CTF_F_O32,     /* mode bits, octal */
	LIMEN_CTF_F_S64,
	LIMEN_CTF_F_U64,
	LIMEN_CTF_F_X64,     /* hex: pointers, flags, raw values */
	LIMEN_CTF_F_TEXT,    /* pointer + capture shown as a string */
	LIMEN_CTF_F_BYTES,   /* pointer + capture shown as bytes */
};

struct limen_ctf_arg {
	uint8_t kind;        /* enum limen_ctf_fk */
	const char *name;    /* the table's argument name, or "regN" */
};

/* The first event ids after the syscalls' (2 * nr entry, 2 * nr + 1 exit) */
enum {
	LIMEN_CTF_ID_RECORD = 2 * LIMEN_NSYSENT,
	LIMEN_CTF_ID_SIGNAL,
	LIMEN_CTF_ID_START,
	LIMEN_CTF_ID_LOST,
	LIMEN_CTF_ID_NOTE,
	LIMEN_CTF_ID_CNOTE,
	LIMEN_CTF_ID_REAPED,
	LIMEN_CTF_ID_TICK,
	LIMEN_CTF_ID_COMMAND,
	LIMEN_CTF_ID_LINE,
	LIMEN_CTF_NIDS
};

/* The six register slots of syscall nr as stored (NULL: no such call). */
const struct limen_ctf_arg *limen_ctf_args(uint32_t nr);
/* A value that changes when the syscall table's shape does: a recording
   is read only by a build with the same table. */
uint64_t limen_ctf_table_hash(void);

#define LIMEN_CTF_MAGIC 0xC1FC1FC1u
#define LIMEN_CTF_FORMAT 1
/* packet header + context bytes (see metadata.c) */
#define LIMEN_CTF_PKT_HDR 72u
/* a capture flag byte: present, plus the runtime's own flags (< 0x80) */
#define LIMEN_CTF_CAP_PRESENT 0x80u
/* the largest record either side accepts: half the largest ring */
#define LIMEN_CTF_REC_MAX (128u << 20)


/* event header (id, timestamp) + stream event context (tid, pid, flags,
   tsc), byte-packed */
#define LIMEN_CTF_EV_HDR (2u + 8u + 4u + 4u + 2u + 8u)

/* A syscall record's captures, by register slot (NULL: none). */
struct limen_ctf_sys {
	const struct limen_cap *cap[6];
};

struct limen_ctf_shape {
	uint16_t id;      /* event class */
	size_t payload;   /* bytes of its payload */
};

/*
 * Whether e has exactly the shape its event class stores (the record the
 * runtime writes: captures in slot order, each on a slot that stores one,
 * zero padding, sizes that add up). 0 and *sh filled, or -1: e must be
 * stored as limen_record, whole.
 */
int limen_ctf_shape(const struct limen_event *e, struct limen_ctf_shape *sh,
		    struct limen_ctf_sys *sys);

/* Write dirfd/metadata (metadata.c). 0 or -errno. */
int limen_ctf_write_metadata(int dirfd, const uint8_t uuid[16],
			     const struct limen_ctf_clock *c);

/* The clock line as CTF says it: frequency, and offset in seconds and
   cycles from the epoch; 0, or -1 if the samples give no line. */
int limen_ctf_clock_ctf(const struct limen_ctf_clock *c, uint64_t *freq,
			int64_t *off_s, int64_t *off_cycles);

#endif
