/* SPDX-License-Identifier: MIT */
/*
 * Filters and fault injection in the runtime (filter.c): the hooks the
 * SIGSYS handler (dispatch.c) and the signal recorder (signals.c) call.
 */
#ifndef LIMEN_RT_FILTER_H
#define LIMEN_RT_FILTER_H

#include "rt.h"

/* The private copies of the path arguments a decision reads: the call is
   made on them (stable inputs). PATH_MAX: a longer path fails anyway. */
#define LIMEN_FSTR_BYTES 4096u

/* One call's filtering state, in the SIGSYS handler's frame. */
struct limen_fcall {
	uint8_t sel;         /* selected by -e trace= */
	uint8_t defer;       /* decided at exit: nothing written at entry */
	uint8_t inject;      /* rule + 1 being applied, 0: none */
	uint8_t entered;     /* the filter wrote the ENTER (injection) */
	uint8_t replaced;    /* the call was not made: result injected */
	uint8_t loaded;      /* bit i: args[i]'s string is in buf */
	uint8_t pmatch;      /* an open of a -P path (fd tracking) */
	uint8_t pad;
	uint16_t off[6], len[6];
	/* what an ENTER written here carries: the call site for -i, the
	   registers and stack for -k (limen_sigsys sets them) */
	long site;
	const ucontext_t *uc;
	char buf[LIMEN_FSTR_BYTES];
	/* the when= counter this call counted (-1: none) and its state
	   before, put back if the call is not made (a signal came first) */
	int16_t cnt_idx;
	uint32_t cnt_seen;
};

/* 1 once a valid filter program was loaded for this image */
extern int limen_filter_on LIMEN_HIDDEN;

/* when= counts as counted() folds them stay below this (FIRST, LAST and
   STEP are at most 65535); a larger one (the counters are in the program's
   memory, which it may write) is taken as this */
#define LIMEN_WHEN_SEEN_MAX (2u * 65536 - 1)
/* "LIMEN_WHEN=" and, per call number counted, "1023.131071," (pages not
   touched cost nothing) */
#define LIMEN_WHEN_NOTE_MAX (sizeof(LIMEN_WHEN_ENV) + 1 + \
			     LIMEN_NSYSENT * 12)

/* The note for counts seen[0..nseen) into out (cap bytes, the NUL
   included): each value read once and clamped, an entry that does not
   fit left out, nothing written past cap. Its length, 0: none. */
static inline size_t limen_when_note_write(char *out, size_t cap,
					   const uint32_t *seen,
					   uint32_t nseen)
{
	static const char name[] = LIMEN_WHEN_ENV "=";
	size_t n = 0, start;

	if (cap < sizeof(name) + 1)
		return 0;
	for (; n < sizeof(name) - 1; n++)
		out[n] = name[n];
	start = n;
	for (uint32_t c = 0; c < nseen; c++) {
		uint32_t v[2] = { c, __atomic_load_n(&seen[c],
						     __ATOMIC_RELAXED) };
		char e[24];
		int m = 0;

		if (!v[1])
			continue;
		if (v[1] > LIMEN_WHEN_SEEN_MAX)
			v[1] = LIMEN_WHEN_SEEN_MAX;
		for (int i = 1; i >= 0; i--) {
			e[m++] = i ? ',' : '.';
			do {
				e[m++] = (char)('0' + v[i] % 10);
				v[i] /= 10;
			} while (v[i]);
		}
		/* e is the entry backwards; one byte kept for the NUL */
		if ((size_t)m >= cap - n)
			continue;
		while (m)
			out[n++] = e[--m];
	}
	if (n == start)
		return 0;
	out[n] = 0;
	return n;
}
/* exec.c: the note for an execve into out (cap bytes); its length, 0:
   none. init.c: the counts a new image's first thread goes on with. */
size_t limen_filter_when_note(char *out, size_t cap) LIMEN_HIDDEN;
void limen_filter_when_restore(const char *v) LIMEN_HIDDEN;
/* dispatch.c: the exiting thread's when= counters unmapped */
void limen_filter_thread_end(void) LIMEN_HIDDEN;
/* init.c: copy the program out of the session, validate it */
void limen_filter_load(const void *area) LIMEN_HIDDEN;
/* Before the entry is recorded: whether to record it now (sel: -e trace=
   says so). May replace string arguments in a[] by private copies. */
int limen_filter_enter(struct limen_fcall *fc, long nr, long *a, int sel)
	LIMEN_HIDDEN;
/* 1: the call is not made, *ret is its injected result */
int limen_filter_replaces(const struct limen_fcall *fc);
int limen_filter_tamper(struct limen_fcall *fc, long nr, long *ret)
	LIMEN_HIDDEN;
/* After the call (or the injection): what was decided at exit, -P's fd
   table, delay_exit=, signal= */
void limen_filter_exit(struct limen_fcall *fc, long nr, const long *a,
		       long ret) LIMEN_HIDDEN;
/* The exit of the call in flight, once: after the call, or where a signal
   ends it (dispatch.c, limen_inflight_*) */
static inline void limen_filter_inflight(struct limen_inflight *fl, long ret)
{
	struct limen_fcall *fc = fl->fc;

	if (fc) {
		fl->fc = 0;
		limen_filter_exit(fc, fl->nr, fl->a, ret);
	}
}
/* A call recorded outside the handler (rt_sigreturn, signals.c): 1 if
   the filter keeps it */
int limen_filter_plain(long nr, const long *a, long ret) LIMEN_HIDDEN;
/* -e signal=: 1 if a signal delivery is recorded */
int limen_filter_signal(int sig) LIMEN_HIDDEN;
/* 1: the filter must see a call nr even unselected (lean.c) */
int limen_filter_needs(long nr) LIMEN_HIDDEN;

#endif
