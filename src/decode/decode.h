/* SPDX-License-Identifier: MIT */
/*
 * Turning one system call (numbers plus the bytes the runtime captured) into
 * strace-style text. Collector side only: ordinary C, may allocate.
 */
#ifndef LIMEN_DECODE_H
#define LIMEN_DECODE_H

#include <stddef.h>
#include <stdint.h>

#include "systab.h"

/* Growable string; all decoders append to one. */
struct limen_sb {
	char *p;
	size_t len, cap;
	size_t line;        /* where the line being written starts */
	unsigned align;     /* strace -a: the column of a result's "=" (0:
			       none, one space before it) */
	int hex;            /* strace -x (1): strings with a non-printable
			       byte in \x hex; -xx (2): every string;
			       non-ascii-chars (3): escapes in \x hex */
	int xstyle;         /* strace -X: 0 abbrev (names), 1 raw (numbers),
			       2 verbose (numbers, names in a comment) */
};
/* Room for add more bytes and the NUL (sb.c); the appends below check
   inline and call it only when the buffer must grow: they run for every
   piece of every line */
void limen_sb_reserve(struct limen_sb *sb, size_t add);

static inline void limen_sb_putn(struct limen_sb *sb, const char *s,
				 size_t n)
{
	if (sb->len + n + 1 > sb->cap)
		limen_sb_reserve(sb, n);
	__builtin_memcpy(sb->p + sb->len, s, n);
	sb->len += n;
	sb->p[sb->len] = 0;
}

/*
 * n (at most LIMEN_SB_BLOCK) bytes of s, which has LIMEN_SB_BLOCK bytes
 * to read (a padded table): copied as one fixed-size block, inline, of
 * which n count. A copy of unknown length is a call, for a few bytes.
 */
#define LIMEN_SB_BLOCK 32

static inline void limen_sb_putblock(struct limen_sb *sb, const char *s,
				     size_t n)
{
	if (sb->len + LIMEN_SB_BLOCK + 1 > sb->cap)
		limen_sb_reserve(sb, LIMEN_SB_BLOCK);
	__builtin_memcpy(sb->p + sb->len, s, LIMEN_SB_BLOCK);
	sb->len += n;
	sb->p[sb->len] = 0;
}

static inline void limen_sb_putc(struct limen_sb *sb, char c)
{
	if (sb->len + 2 > sb->cap)
		limen_sb_reserve(sb, 1);
	sb->p[sb->len++] = c;
	sb->p[sb->len] = 0;
}

/* inline: a literal's length is known where it is written */
static inline void limen_sb_puts(struct limen_sb *sb, const char *s)
{
	limen_sb_putn(sb, s, __builtin_strlen(s));
}
void limen_sb_printf(struct limen_sb *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void limen_sb_reset(struct limen_sb *sb);
void limen_sb_free(struct limen_sb *sb);

/* Bytes the runtime captured for one argument. */
enum limen_blob_flags {
	LIMEN_BLOB_PRESENT = 1, /* something was captured (maybe 0 bytes) */
	LIMEN_BLOB_TRUNC = 2,   /* the object was longer than what is here */
	LIMEN_BLOB_FAULT = 4,   /* the pointer could not be read: print it */
};

/* ARGV's total with this bit: the array runs into unreadable memory (the
   runtime's ARGV_UNTERMINATED, capture.c) */
#define LIMEN_ARGV_UNTERMINATED 0x80000000u

struct limen_blob {
	const uint8_t *data;
	uint32_t len;
	uint32_t flags;
};

/*
 * One call. cap_in[i]: captured at entry for argument i; cap_out[i]: at exit.
 * Encodings of blobs by argument type:
 *   PATH, STR      the bytes without the NUL; TRUNC if no NUL within bound
 *   BUF, SIGSET, SOCKADDR, FDSET, STRUCT, IOCTL
 *                  the raw bytes (STRUCT arrays: elements back to back;
 *                  TRUNC if the array had more elements than captured)
 *   SOCKLEN        4 bytes, the socklen_t value
 *   ARGV           u32 count of strings captured, u32 total count (or
 *                  UINT32_MAX when not known; | LIMEN_ARGV_UNTERMINATED:
 *                  no NULL, the word at index total is unreadable), then
 *                  per string: u32 len, u32 flags (LIMEN_BLOB_TRUNC;
 *                  LIMEN_BLOB_FAULT: unreadable, the 8 bytes are its
 *                  pointer), bytes, padded to 4
 *   IOV            u32 iovcnt captured, u32 pad, then per iovec: u64 base,
 *                  u64 len,
 *                  u32 caplen, u32 pad, caplen bytes padded to 8
 *   MSGHDR         the 56-byte struct user_msghdr as the program had it
 *                  (at exit: as the kernel left it), then u32 namecap, u32
 *                  pad, msg_name bytes padded to 8, then an IOV blob for
 *                  msg_iov/msg_iovlen (at exit: data up to the return
 *                  value), then u32 ctlcap, u32 pad, msg_control bytes
 *                  padded to 8
 *   STRUCT exceptions, by struct id:
 *     mmsghdr      (sendmmsg, recvmmsg, at exit) u32 count captured, u32
 *                  count asked (the return value), then per message: u32
 *                  msg_len, u32 n, n bytes of a MSGHDR blob (its iovec data
 *                  bounded by msg_len) padded to 8; TRUNC if fewer captured
 *     file_handle  the 8-byte header, then handle_bytes (at most 128)
 *                  bytes of f_handle, as far as they could be read
 *     perf_event_attr  the attribute's own `size` bytes (64 when smaller),
 *                  at most the table's size
 *   SPECIAL        per syscall: mincore's vector (one byte per page, at
 *                  exit, up to -s), prctl and seccomp: the bytes
 *                  runtime/special_prctl.c lists (PR_SET_NAME's name,
 *                  the int or pointer a PR_GET_* writes, a struct
 *                  sock_fprog ...), arch_prctl ARCH_GET_FS/GS 8 bytes out;
 *                  io_submit (in): u32 count captured, u32 nr, then per
 *                  iocb pointer: u64 pointer, u32 n, u32 flags (FAULT: the
 *                  iocb could not be read, n = 0), n bytes: the 64-byte
 *                  struct iocb, u32 datalen, u32 data flags, then datalen
 *                  bytes padded to 8: aio_buf's bytes for IOCB_CMD_PWRITE (up
 *                  to -s), an IOV blob of aio_buf/aio_nbytes for
 *                  IOCB_CMD_PREADV/PWRITEV, nothing otherwise;
 *                  pselect6, io_pgetevents (in): the 16 bytes of the
 *                  mask's pointer and size, then the 8 bytes of the mask
 *                  when the pointer is not NULL, the size 8 and the mask
 *                  could be read
 *   IOCTL          the bytes of the command's argument: in at entry for
 *                  _IOC_WRITE and TCSETS*, TIOCSWINSZ, TIOCSPGRP, FIONBIO;
 *                  out at exit for _IOC_READ and TCGETS, TIOCGWINSZ,
 *                  FIONREAD, TIOCGPGRP
 */
struct limen_call {
	unsigned long nr;
	uint64_t args[6];
	int64_t ret;      /* raw kernel return: -4095..-1 is -errno */
	int has_ret;      /* 0: the call did not return (yet) */
	struct limen_blob cap_in[6];
	struct limen_blob cap_out[6];
	/* -y: struct limen_fdinfo (session.h) of argument i's descriptor,
	   then LIMEN_FDI_* (session.h's numbering: 17 slots) */
	struct limen_blob fdinfo[17];
	/* -e read=, -e write=: the data to dump (runtime/dump.c) */
	struct limen_blob dump;
	/* a netlink socket's message, whole: u32 nseg, u32 protocol, then
	   segments as dump's (runtime/dump.c) */
	struct limen_blob netlink;
};

struct limen_dopts {
	unsigned strsize;   /* -s: bytes of strings/buffers shown; default 32 */
	int verbose;        /* -v: show what strace shows only with -v
			       (getdents64's entries) */
	/* bitmaps by call number, LIMEN_DECODE_RAW_BITS of them; NULL: every
	   call. abbrev: the calls abbreviated unless verbose (-e abbrev=);
	   deref: the calls whose structures are shown, the others' pointers
	   printed as addresses (-e verbose=) */
	const uint8_t *abbrev, *deref;
};

/* Number of arguments shown (from the table; 6 for unknown numbers). */
unsigned limen_decode_nargs(const struct limen_call *c);

/* 1 if argument i is only known at exit (printed after "resumed>"). */
int limen_decode_arg_is_out(const struct limen_call *c, unsigned i);

/* A call split by other lines: the number of arguments its first line
   shows, and *own 1 when what follows them is limen_decode_exit_part's
   (no ", " after them on the first line: the exit's part starts with
   it); *own 0: the arguments before the first one known only at exit. */
unsigned limen_decode_split(const struct limen_call *c, int *own);

/* The exit's part of a split call whose decoder has its own
   (limen_decode_split): the rest of the line up to its ")". */
void limen_decode_exit_part(struct limen_sb *sb, const struct limen_call *c,
			    const struct limen_dopts *o);

/* Append argument i as strace shows it ("AT_FDCWD", "\"/etc\"", ...). */
void limen_decode_arg(struct limen_sb *sb, const struct limen_call *c,
		      unsigned i, const struct limen_dopts *o);

/* Append " = 3", " = -1 ENOENT (No such file or directory)", " = ?". */
void limen_decode_ret(struct limen_sb *sb, const struct limen_call *c,
		      const struct limen_dopts *o);
/* Pad to the alignment column before a " = " (sb->align). */
void limen_sb_align(struct limen_sb *sb);

/* The whole line without newline: "read(3, \"vm\\n\", 4096) = 3". */
void limen_decode_call(struct limen_sb *sb, const struct limen_call *c,
		       const struct limen_dopts *o);

/* -yy: 1 when the traced programs run now, on this system, so that the
   collector may ask sock_diag for a UNIX socket's peer; 0 (limen report:
   the sockets are long gone, their inode numbers maybe reused) */
extern int limen_fd_diag_live;

/* strace -e raw=SET: a bit per syscall number (NULL: none), set by the
   text sink; those calls' arguments and result print as numbers */
#define LIMEN_DECODE_RAW_BITS 1024u
extern const uint8_t *limen_decode_raw;

/* -Y: the name of a process or thread (pid > 0), NULL for none; set by
   the text sink while it formats (NULL: -Y is off) */
extern const char *(*limen_decode_pid_name)(int32_t pid);

/* -e read=, -e write=: strace's hex dump lines of the call's data, each
   preceded by a newline ("\n | 00000  68 69 ...  hi |"); nothing when the
   call has no dump. */
void limen_decode_dump(struct limen_sb *sb, const struct limen_call *c);

/* Name of a syscall number ("syscall_0x1c3" for unknown ones, strace style:
   the number's low 32 bits, sign-extended). */
const char *limen_syscall_name(unsigned long nr, char buf[32]);
/* A call of the i386 table (an int $0x80 of a 64-bit program: the record's
   LIMEN_RECF_I386), as struct limen_call's nr carries it: its i386 number
   with this bit, never a 64-bit call's (those fit in 32 bits). Named from
   limen_i386_names, its six arguments shown as numbers. */
#define LIMEN_DEC_I386 (1ul << 32)
#define LIMEN_I386_NCALLS 451
extern const char *const limen_i386_names[LIMEN_I386_NCALLS];

/* Signal name ("SIGCHLD"; "SIGRT_3"; "%d" otherwise) into buf. */
const char *limen_signame(int sig, char buf[16]);

/* errno name ("ENOENT"), or NULL if unknown. */
const char *limen_errname(int err);

/* "{si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=..., ...}" from 128 bytes. */
void limen_decode_siginfo(struct limen_sb *sb, const void *si128);

/* Append s[0..n) as a C string literal, strace's escaping, with "..." if
   truncated. */
void limen_decode_quoted(struct limen_sb *sb, const uint8_t *s, size_t n,
			 int truncated);

#endif
