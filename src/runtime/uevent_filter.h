/* SPDX-License-Identifier: MIT */
/*
 * An event's `filter` file (events/user_events/NAME/filter): the grammar,
 * errors and matching of Linux's kernel/trace/trace_events_filter.c, on
 * the fields of a user event (src/runtime/uevent_filter.c). No libc and no
 * system call: the fuzz harness (tests/fuzz/fuzz_uevfilt.c) links it too.
 */
#ifndef LIMEN_UEVENT_FILTER_H
#define LIMEN_UEVENT_FILTER_H

#include <stdint.h>

#include "session/uevent_fmt.h"

/* bytes a filter file takes in one write: the kernel's is below a page */
#define LIMEN_UEVF_MAX 4096u

/* What the kernel's filter_parse_error holds: lasterr > 0 is an index in
   its err_text (limen_uevf_errtext), otherwise "Error: (lasterr)". */
struct limen_uevf_err {
	int lasterr;
	int pos;
};

/* What a predicate may look at besides the payload. */
struct limen_uevf_ctx {
	const uint8_t *p;  /* the payload (the entry after its 8 bytes) */
	uint32_t len;
	uint16_t type;     /* common_type: the event's id */
	int32_t pid;       /* common_pid: the writer's thread */
	int32_t cpu;
	char comm[16];     /* the writer's thread's name, NUL padded */
};

/*
 * The filter s (n bytes, up to a NUL) on the event args/fmt: 0 when the
 * kernel takes it, else what its write returns (-EINVAL, and -EPERM,
 * -ENOENT, -ESRCH where its parser returns -1, -2, -3) with *pe set.
 * With ctx, *match is whether the event written passes it.
 */
int limen_uevf_run(const char *s, uint32_t n, const char *args,
		   const struct limen_uev_fmt *fmt,
		   const struct limen_uevf_ctx *ctx, int *match,
		   struct limen_uevf_err *pe);

/* err_text[code] of the kernel, 0 for a code it has not */
const char *limen_uevf_errtext(int code);

/* the filter files (uevent_tfs_filter.c, in the runtime only) */
long limen_tfs_filter_write(uint32_t id, uint64_t buf, long n);
long limen_tfs_filter_fill(uint32_t id, long fd);
int limen_tfs_filter_pass(uint32_t id, const char *args,
			  const struct limen_uev_fmt *fmt, const uint8_t *p,
			  uint32_t len);
void limen_tfs_filter_forget(uint32_t id);

#endif
