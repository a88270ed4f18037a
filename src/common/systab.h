/* SPDX-License-Identifier: MIT */
/*
 * The syscall table as C sees it: the contract between tables/ (the source of
 * truth, turned into build/gen/systab.c by tables/gen.awk), the runtime (what
 * bytes to capture at entry and exit) and the decoder (how to print them).
 *
 * Nothing here may depend on libc beyond <stdint.h>: the runtime includes it.
 */
#ifndef LIMEN_SYSTAB_H
#define LIMEN_SYSTAB_H

#include <stdint.h>

/* Argument types. The runtime looks only at the capture-relevant ones. */
enum limen_argtype {
	LIMEN_AT_NONE = 0,
	LIMEN_AT_INT,     /* signed 32-bit, decimal */
	LIMEN_AT_UINT,    /* unsigned 32-bit, decimal */
	LIMEN_AT_LONG,    /* signed 64-bit, decimal */
	LIMEN_AT_ULONG,   /* unsigned 64-bit, decimal (sizes, counts) */
	LIMEN_AT_HEX,     /* 64-bit, 0x... (raw, undecoded) */
	LIMEN_AT_PTR,     /* pointer not followed: NULL or 0x... */
	LIMEN_AT_OCT,     /* mode bits: 0644 */
	LIMEN_AT_FD,      /* file descriptor, decimal */
	LIMEN_AT_DIRFD,   /* AT_FDCWD or decimal */
	LIMEN_AT_PID,
	LIMEN_AT_SIG,     /* signal number: SIGTERM */
	LIMEN_AT_FLAGS,   /* bit set, names from xlat `xlat` */
	LIMEN_AT_ENUM,    /* one value, name from xlat `xlat` */
	/* pointer types: the runtime captures the memory they point to */
	LIMEN_AT_PATH,    /* NUL-terminated file name, printed whole */
	LIMEN_AT_STR,     /* NUL-terminated string, printed up to -s */
	LIMEN_AT_BUF,     /* bytes; length: arg len_arg (in) or the return
			     value bounded by arg len_arg (out) */
	LIMEN_AT_STRUCT,  /* struct id `xlat`, `size` bytes; with len_arg >= 0
			     an array of args[len_arg] of them */
	LIMEN_AT_SIGSET,  /* sigset, args[len_arg] bytes (8 on x86_64) */
	LIMEN_AT_ARGV,    /* NULL-terminated array of strings (execve) */
	LIMEN_AT_IOV,     /* struct iovec[args[len_arg]]; data in or out */
	LIMEN_AT_SOCKADDR,/* in: args[len_arg] bytes; out: length is the
			     socklen_t that args[len_arg] points to */
	LIMEN_AT_SOCKLEN, /* socklen_t * (in-out), printed [16] */
	LIMEN_AT_FDSET,   /* fd_set of args[len_arg] (nfds) bits, in-out */
	LIMEN_AT_IOCTL,   /* ioctl's third argument, meaning from the command */
	LIMEN_AT_MSGHDR,  /* struct user_msghdr with its name, iovecs, control */
	LIMEN_AT_SPECIAL, /* depends on another argument: a named rule per
			     syscall in the runtime (runtime/capture.c) */
	LIMEN_AT_NTYPES
};

/* Direction of a pointer argument; by-value arguments have 0. */
enum limen_dir { LIMEN_DIR_IN = 1, LIMEN_DIR_OUT = 2, LIMEN_DIR_INOUT = 3 };

/* How the return value prints. */
enum limen_rettype {
	LIMEN_RET_INT = 0, /* decimal, -1 ERRNO (message) on error */
	LIMEN_RET_FD,
	LIMEN_RET_HEX,     /* mmap, brk: 0x7f... */
	LIMEN_RET_PID,
	LIMEN_RET_NONE,    /* exit, exit_group: " = ?" */
};

/* Classes for -e trace=%file etc. (strace's TRACE_* categories). */
enum limen_class {
	LIMEN_CLASS_FILE    = 1u << 0,
	LIMEN_CLASS_PROCESS = 1u << 1,
	LIMEN_CLASS_NETWORK = 1u << 2,
	LIMEN_CLASS_MEMORY  = 1u << 3,
	LIMEN_CLASS_SIGNAL  = 1u << 4,
	LIMEN_CLASS_DESC    = 1u << 5,
	LIMEN_CLASS_IPC     = 1u << 6,
	LIMEN_CLASS_CREDS   = 1u << 7,
	LIMEN_CLASS_CLOCK   = 1u << 8,
	LIMEN_CLASS_STAT    = 1u << 9,   /* %stat: stat family */
	LIMEN_CLASS_PURE    = 1u << 10,  /* %pure: getpid, gettid, ... */
};

struct limen_argdesc {
	uint8_t type;    /* enum limen_argtype */
	uint8_t dir;     /* enum limen_dir, 0 for by-value */
	int8_t len_arg;  /* index of the argument giving a length/count, -1 */
	uint8_t len_ret; /* 1: bytes covered = return value (out buffers) */
	uint16_t xlat;   /* xlat id (FLAGS/ENUM) or struct id (STRUCT) */
	uint16_t size;   /* element size in bytes (STRUCT) */
	uint32_t name;   /* limen_str(name) */
};

struct limen_sysent {
	uint32_t name;        /* limen_str(name); 0: no syscall with this
				 number */
	uint32_t classes;     /* enum limen_class bits */
	uint8_t nargs;
	uint8_t ret;          /* enum limen_rettype */
	uint8_t decoded;      /* 1: arguments typed; 0: printed raw hex */
	uint8_t decoder;      /* enum limen_decoder_id: the DECODER column */
	struct limen_argdesc args[6];
};

/*
 * Names are offsets in one pool of strings (limen_names, generated), not
 * pointers: a table of pointers is relocated in every process that starts,
 * a page copied for each page of it (the collector's tables were some 4,000
 * of its 5,140 relocations, 20 of its 27 pages so copied). The runtime's
 * copy of the tables (built with LIMEN_NAMELESS) holds no names and no flag
 * lists, and the runtime prints none: its names only say that a number
 * exists (non-zero), and must not be read.
 */
#ifdef LIMEN_NAMELESS
#define LIMEN_NAME(off) 1
#else
#define LIMEN_NAME(off) (off)
#endif
extern const char limen_names[];

/* A name of the tables (the collector's: not in the runtime) */
static inline const char *limen_str(uint32_t off)
{
	return limen_names + off;
}

/* Generated from tables/ into build/gen/ (see tables/README.md). */
#include "systab_gen.h"

extern const struct limen_sysent limen_sysent[LIMEN_NSYSENT];

static inline const struct limen_sysent *limen_sysent_get(unsigned long nr)
{
	if (nr >= LIMEN_NSYSENT || !limen_sysent[nr].name)
		return 0;
	return &limen_sysent[nr];
}

/* Flag and enum lists ("xlat", as strace calls them). */
struct limen_xlat_item {
	uint64_t val;
	uint32_t name;      /* limen_str(name) */
};

struct limen_xlat {
	uint32_t name;      /* list name in tables/xlat.tbl: limen_str(name) */
	uint8_t is_flags;   /* 1: bit set; 0: enumeration */
	uint16_t n;
	uint32_t first;     /* its items: limen_xlat_items[first..first+n) */
	uint32_t unknown;   /* flags: strace's comment for a value none of
			       whose bits has a name ("MLOCK_???" in
			       "0x4 /" "* MLOCK_??? *" "/"), limen_str(unknown - 1);
			       0: none */
};

extern const struct limen_xlat limen_xlats[LIMEN_NXLAT];
extern const struct limen_xlat_item limen_xlat_items[];

static inline const struct limen_xlat_item *
limen_xlat_items_of(const struct limen_xlat *x)
{
	return &limen_xlat_items[x->first];
}

/* ioctl commands (tables/ioctl.tbl): how the argument prints, and for a
   pointer what the runtime captures. */
enum limen_ioctl_arg {
	LIMEN_IOA_PTR = 0, /* a pointer strace decodes (NULL when 0); its
			      capture from the _IOC encoding */
	LIMEN_IOA_NONE,    /* no third argument shown */
	LIMEN_IOA_INT,     /* by value, decimal */
	LIMEN_IOA_INTP,    /* a signed integer of size bytes (2, 4, 8): [42] */
	LIMEN_IOA_TERMIOS, /* struct termios */
	LIMEN_IOA_WINSIZE, /* struct winsize */
	LIMEN_IOA_FSFLAGS, /* int *: an inode's flags, [FS_EXTENT_FL] */
	LIMEN_IOA_UINTP,   /* an unsigned one of size bytes: [4096] */
	LIMEN_IOA_RANGE,   /* uint64_t[2], a block device's byte range:
			      [0, 4096] */
	LIMEN_IOA_IFREQ,   /* struct ifreq: {ifr_name="lo", ifr_mtu=65536} */
};

struct limen_ioctl {
	uint32_t cmd;
	uint8_t arg;   /* enum limen_ioctl_arg */
	uint8_t dir;   /* LIMEN_DIR_IN or LIMEN_DIR_OUT; 0 by value */
	uint16_t size; /* bytes captured */
};

extern const struct limen_ioctl limen_ioctls[LIMEN_NIOCTL];

/* The row of command cmd, or NULL (binary search: rows are sorted). */
static inline const struct limen_ioctl *limen_ioctl_get(uint32_t cmd)
{
	unsigned lo = 0, hi = LIMEN_NIOCTL;

	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;

		if (limen_ioctls[mid].cmd == cmd)
			return &limen_ioctls[mid];
		if (limen_ioctls[mid].cmd < cmd)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* Direction of ioctl's argument for cmd (LIMEN_DIR_IN/OUT bits; 0: none
   to capture) and its size: from the table, else from the _IOC encoding,
   whose _IOC_WRITE (1, data in) and _IOC_READ (2, out) are the same bits. */
static inline int limen_ioctl_dir(uint32_t cmd, uint32_t *size)
{
	const struct limen_ioctl *io = limen_ioctl_get(cmd);

	if (io && io->arg != LIMEN_IOA_PTR) {
		*size = io->size;
		return io->size ? io->dir : 0;
	}
	*size = (cmd >> 16) & 0x3fff;
	return *size ? (int)((cmd >> 30) & 3) : 0;
}

#endif
