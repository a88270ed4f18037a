/* SPDX-License-Identifier: MIT */
/*
 * Decoder internals shared by the files of src/decode/. Not part of the API.
 */
#ifndef LIMEN_DEC_INT_H
#define LIMEN_DEC_INT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "decode/decode.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Everything a printer needs to know about the argument being printed. */
struct dctx {
	struct limen_sb *sb;
	const struct limen_call *c;
	const struct limen_sysent *se; /* NULL for unknown numbers */
	unsigned strsize;
	int verbose;                   /* -v */
	int noderef;                   /* -e verbose= leaves the call out:
					  structures as their addresses */
	int failed;                    /* has_ret and ret is an error */
};

/* A local flag/enum list (for lists the tables do not carry). */
struct dxl {
	uint64_t val;
	const char *name;
};
#define DXL(x) { (uint64_t)(x), #x }

/* Unaligned little-endian reads of captured bytes. */
static inline uint16_t r16(const uint8_t *p, size_t off)
{
	uint16_t v;

	memcpy(&v, p + off, 2);
	return v;
}

static inline uint32_t r32(const uint8_t *p, size_t off)
{
	uint32_t v;

	memcpy(&v, p + off, 4);
	return v;
}

static inline uint64_t r64(const uint8_t *p, size_t off)
{
	uint64_t v;

	memcpy(&v, p + off, 8);
	return v;
}

/* sb.c (limen_sb_putn: decode.h) */
/* Decimal, as "%llu" / "%lld" print it. */
void limen_sb_putu(struct limen_sb *sb, uint64_t v);
void limen_sb_putd(struct limen_sb *sb, int64_t v);

/* quote.c */
/* Quote n bytes; hex: every byte as \xNN (getrandom). */
void dq_bytes(struct limen_sb *sb, const uint8_t *s, size_t n, int trunc,
	      int hex);
/* A captured string/buffer blob: shows up to max bytes (0: no limit). */
void dq_blob(struct limen_sb *sb, const struct limen_blob *b, size_t want,
	     size_t max);

/* xlat.c */
void dx_ptr(struct limen_sb *sb, uint64_t v);
const char *dx_lookup(const struct limen_xlat *x, uint64_t v);
/* Bit set from a generated list; dflt printed for 0 when no 0 name. */
void dx_flags(struct limen_sb *sb, const struct limen_xlat *x, uint64_t v,
	      const char *dflt);
void dx_enum(struct limen_sb *sb, const struct limen_xlat *x, uint64_t v,
	     const char *fmt);
/* Same from local lists. Return the number of names printed. */
int dl_flags(struct limen_sb *sb, const struct dxl *l, size_t n, uint64_t v,
	     const char *dflt);
const char *dl_lookup(const struct dxl *l, size_t n, uint64_t v);
void dl_enum(struct limen_sb *sb, const struct dxl *l, size_t n, uint64_t v,
	     const char *fmt);
/* A flags list's comment for a value none of whose bits has a name
   ("MLOCK_???"; tables/xlat.tbl's list line), or NULL. */
const char *dx_unknown(const struct limen_xlat *x);
/* Bits of a list only (no leftover printing); returns the bits used. */
uint64_t dx_bits(struct limen_sb *sb, const struct limen_xlat *x, uint64_t v,
		 int *first);
uint64_t dl_bits(struct limen_sb *sb, const struct dxl *l, size_t n,
		 uint64_t v, int *first);

/* signal.c: pselect6's and io_pgetevents' {sigmask=..., sigsetsize=...}
   of argument i; returns 1 */
int dd_sigpack(const struct dctx *d, unsigned i);

/* names.c */
const char *dn_errdesc(int err, char buf[64]);
void dn_sigset(struct limen_sb *sb, const uint8_t *p, size_t n);
/* a signal as an argument or a field shows it (-X: its number); the
   name always (a wait status, clone's flags, as strace) */
void dn_sig(struct limen_sb *sb, int sig);
void dn_signame(struct limen_sb *sb, int sig);

/* structs.c */
/* Print one struct object of struct id sid from len bytes at p. Returns 0
   if the id has no printer or len is too short (caller prints pointer). */
int ds_print(struct limen_sb *sb, unsigned sid, const uint8_t *p, size_t len,
	     const struct dctx *d);
/* struct iocb as io_submit's capture has it (the 64 bytes, then the data) */
int ds_iocb_submit(struct limen_sb *sb, const uint8_t *p, size_t len,
		   const struct dctx *d);
/* strace-style printers usable directly */
void ds_timespec(struct limen_sb *sb, const uint8_t *p);
void ds_timeval(struct limen_sb *sb, const uint8_t *p);
void ds_stat(struct limen_sb *sb, const uint8_t *p);
void ds_mode(struct limen_sb *sb, uint32_t mode);
/* a dev_t as strace shows it: makedev(0x1, 0x3) */
void ds_makedev(struct limen_sb *sb, unsigned long long dev);
void ds_sockaddr(struct limen_sb *sb, const uint8_t *p, size_t len);
/* a field of an address in network order as -X says: name=text, its n
   bytes in hex (raw), or both (verbose; tail: the rest of an abbreviated
   text that names the field itself, ", &sin6_addr)") */
void ds_sa_field(struct limen_sb *sb, const char *name, const uint8_t *p,
		 size_t n, const char *text, const char *tail);
void ds_wstatus(struct limen_sb *sb, int st);
void ds_termios(struct limen_sb *sb, const uint8_t *p, int verbose);

/* decode.c */
const struct limen_blob *dd_blob(const struct dctx *d, unsigned i, int out);
/* Any captured blob of argument i, entry or exit, at least min bytes. */
const struct limen_blob *dd_blob_min(const struct dctx *d, unsigned i,
				     int out, size_t min);
/* The entry blob of pointer argument i, at least min bytes; when there is
   none, print the pointer (NULL or hex) as strace does and return NULL. */
const struct limen_blob *dd_in_or_ptr(const struct dctx *d, unsigned i,
				      size_t min);
/* Captured at exit, readable, at least min bytes; NULL otherwise. */
const struct limen_blob *dd_exit_blob(const struct dctx *d, unsigned i,
				      size_t min);
const struct limen_blob *dd_exit_blob_any(const struct dctx *d, unsigned i,
					  size_t min);
const struct limen_blob *dd_blob_any(const struct dctx *d, unsigned i,
				     int out);
int dd_is_err(const struct limen_call *c);
void dd_default_arg(const struct dctx *d, unsigned i);
/* an enum argument's value, cut to the kernel's int where it is one */
uint64_t dd_enum_value(const struct limen_call *c, unsigned i);
/* xstyle.c: -X around a flag set's or an enum's names: pre prints the
   number and returns 1 (raw), or notes where the names start (verbose);
   post puts the number before them and the names in a comment */
/* one named value, as -X says: the name, the number, or both */
void dx_named(struct limen_sb *sb, uint64_t v, const char *name);
/* the same with the number in decimal (signals, limits, interface
   indexes: strace's 10, 8388608, 1) */
void dx_named_dec(struct limen_sb *sb, uint64_t v, const char *name);
int dx_style_pre(struct limen_sb *sb, uint64_t v, size_t *at);
void dx_style_post(struct limen_sb *sb, uint64_t v, size_t at);
/* xstyle.c: -X raw/verbose for a flag, enum or dirfd argument; 0: not
   one, or -X abbrev (the caller prints it) */
int dd_xstyle_arg(const struct dctx *d, unsigned i,
		  const struct limen_argdesc *a);
void dd_int_arg(const struct dctx *d, unsigned i);
void dd_open_flags(struct limen_sb *sb, uint64_t v);
/* An ARGV blob: ["a", "b"], or for envp "0x... /" "* 3 vars *" "/". */
void dd_argv(const struct dctx *d, const struct limen_blob *b, uint64_t ptr,
	     int envp);
/* An IOV blob: "[{iov_base=..., iov_len=...}, ...]"; out: data limited by
   the return value, or the bases as addresses when the call failed. */
void dd_iov(const struct dctx *d, const struct limen_blob *b, uint64_t ptr,
	    int out);
/* Bytes taken by the IOV blob at p (at most n), for blobs embedding one. */
size_t dd_iov_size(const uint8_t *p, size_t n);

/* net.c */
/* A MSGHDR blob; returns 0 if too short (caller prints the pointer). */
int dnet_msghdr(const struct dctx *d, const struct limen_blob *b, int out);
/* setsockopt/getsockopt optval (argument 3). */
void dnet_sockopt_val(const struct dctx *d);
void dnet_sockopt_level(struct limen_sb *sb, uint64_t level);
/* optname: names from the level's list */
void dnet_sockopt_name(struct limen_sb *sb, uint64_t level, uint64_t name);

/*
 * A decoder of the DECODER column of tables/syscalls.tbl: the parts of a
 * call its argument types do not say. Each is `const struct dsys
 * dsys_NAME` in a family file; build/gen/decoders.c indexes them by
 * enum limen_decoder_id. Any hook may be NULL.
 */
struct dsys {
	/* arguments shown; n: the table's count */
	unsigned (*nargs)(const struct limen_call *c, unsigned n);
	/* under -e raw=, where strace's table counts them otherwise than
	   ours (NULL: n, the table's) */
	unsigned (*raw_nargs)(const struct limen_call *c, unsigned n);
	/* print argument i and return 1; 0: print it by its type */
	int (*arg)(const struct dctx *d, unsigned i);
	/* for an inout argument i: 1 known only at exit, 0 at entry, -1 by
	   its type */
	int (*arg_is_out)(const struct limen_call *c, unsigned i);
	/* 'x': return value in hex, 'o': octal, 0: by the table */
	int (*ret_style)(const struct dctx *d);
	/* text after a successful return value: " (Timeout)" ... */
	void (*ret_aux)(const struct dctx *d);
	/* a call split by other lines (the text sink's <unfinished ...>),
	   where the decoder splits it as strace's own does (clone, clone3):
	   the arguments shown at entry, then at exit the rest of the line
	   up to its ")", its first ", " included; NULL: split where
	   arg_is_out says */
	unsigned (*entry_args)(const struct limen_call *c);
	void (*exit_part)(const struct dctx *d);
};

extern const struct dsys *const dsys_table[LIMEN_NDEC];

/* The decoder of a typed call, or NULL. */
static inline const struct dsys *dsys_of(const struct limen_sysent *se)
{
	if (!se || !se->decoded || !se->decoder || se->decoder >= LIMEN_NDEC)
		return NULL;
	return dsys_table[se->decoder];
}

/* ipc.c: System V IPC arguments; 1 if printed */
int dsp_ipc_arg(const struct dctx *d, unsigned i);
/* ipc.c: 1 if argument i of an IPC call is known only at exit (the *ctl
   buffer of a STAT/INFO command, msgrcv's msgp), 0 if at entry, -1 if not
   an IPC call's argument */
int dsp_ipc_arg_is_out(const struct limen_call *c, unsigned i);

/* fdpath.c: -y's "<...>" after a descriptor, from its limen_fdinfo */
void dfd_suffix(struct limen_sb *sb, const struct limen_blob *b);
/* pipe's, socketpair's [3<...>, 4<...>]: 1 if printed (-y on) */
int dfd_pair(const struct dctx *d, const struct limen_blob *b);
/* after the k-th SCM_RIGHTS descriptor of a message, of a select set */
void dfd_right(const struct dctx *d, unsigned k);
/* poll's k-th pollfd at entry with its descriptor's "<...>": 1 if printed */
int dfd_pollfd(const struct dctx *d, const uint8_t *p, unsigned k);

/* netlink.c: a netlink socket's message whole (limen_call.netlink): the
   k-th buffer of sendmsg/recvmsg's iovec, sendto/recvfrom's argument i;
   1 if printed */
int dnl_iov(const struct dctx *d, unsigned k);
int dnl_buf(const struct dctx *d, unsigned i);

/* structs.c extras */
void ds_statx_mask(struct limen_sb *sb, uint64_t v);
void ds_pollev(struct limen_sb *sb, uint32_t v);
void ds_flock(struct limen_sb *sb, const uint8_t *p, int with_pid);

#endif
