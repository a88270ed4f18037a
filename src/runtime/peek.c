/* SPDX-License-Identifier: MIT */
/*
 * One read of a call's path. Before an openat runs, up to three parts of
 * limen look at its path: the capture of a recorded call (capture.c), the
 * view of /proc/self/exe under limen's loader (exe_view.c) and user
 * events' tracefs files (uevent_abi.c, uevent_tracefs.c). Each read of the
 * program's memory costs (limen_safe_read), so the first one, made through
 * here or noted here by the capture, serves the others for the rest of the
 * call's way in: limen_dispatch opens the window before the call's hooks
 * and closes it once the call has been made.
 *
 * What is held answers a later read exactly as a read of the memory would
 * for its string: the bytes, as many as asked, or as many as there were
 * before a fault, or the whole string with its NUL (the readers compare
 * strings, never the bytes after a NUL). Memory that another thread
 * changes meanwhile is read a little earlier than it would have been,
 * still before the call: as racy for the program as it was.
 */
#include <errno.h>

#include "raw.h"
#include "rt.h"

void limen_peek_begin(void)
{
	struct limen_peek *k = &limen_tls.peek;

	k->src = 0;
	k->n = -1;
	/* threads that share one TLS (clone.c) would share the bytes too */
	k->on = !limen_rt.shared_tls;
}

void limen_peek_end(void)
{
	limen_tls.peek.on = 0;
}

/* The capture read the string at src into s: len bytes, then a NUL unless
 * it was cut short (a fault after len bytes, fault: none at all, or a
 * string longer than the capture keeps). */
void limen_peek_note(uint64_t src, const char *s, uint32_t len, int cut,
		     int fault)
{
	struct limen_peek *k = &limen_tls.peek;
	uint32_t keep = len + !cut;

	if (!k->on || !src)
		return;
	k->src = src;
	if (fault) {
		k->n = -EFAULT;
		return;
	}
	if (keep > LIMEN_PEEK_BYTES)
		keep = LIMEN_PEEK_BYTES;
	/* cut short by a fault within what would be held: let the next
	   reader read for itself */
	if (cut && keep < LIMEN_PEEK_BYTES) {
		k->src = 0;
		k->n = -1;
		return;
	}
	memcpy(k->b, s, keep);
	if (!cut && keep == len + 1)
		k->b[len] = 0;
	k->n = (int32_t)keep;
}

long limen_peek_read(void *dst, uint64_t src, size_t n)
{
	struct limen_peek *k = &limen_tls.peek;
	long have;

	if (!k->on || !src || n > LIMEN_PEEK_BYTES)
		return limen_safe_read(dst, src, n);
	if (k->src != src || k->n == -1) {
		/* as much as any reader wants: the rest serves the next */
		have = limen_safe_read(k->b, src, LIMEN_PEEK_BYTES);
		k->src = src;
		k->n = (int32_t)have;
	}
	if (k->n < 0)
		return k->n;
	/* held: the bytes asked for, or all there were before a fault, or
	   the whole string */
	have = (size_t)k->n < n ? k->n : (long)n;
	memcpy(dst, k->b, (size_t)have);
	return have;
}
