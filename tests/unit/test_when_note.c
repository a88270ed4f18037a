/* SPDX-License-Identifier: MIT */
/*
 * The when= note an execve carries (src/runtime/filter.h,
 * limen_when_note_write), on counters the program may have written:
 * nothing past the room it is given, values as counted() folds them
 * (TAP): when_note.t.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/filter.h"

static int ntest, nfail;
static uint32_t seen[LIMEN_NSYSENT];

static void ok(int cond, const char *what, const char *why)
{
	ntest++;
	if (cond) {
		printf("ok %d - %s\n", ntest, what);
		return;
	}
	nfail++;
	printf("not ok %d - %s: %s\n", ntest, what, why);
}

/* the note into exactly cap bytes of a larger buffer: the rest must stay
   as it was, the note NUL-terminated inside, each value <= the fold */
static void note_within(size_t cap, const char *what)
{
	static char buf[LIMEN_WHEN_NOTE_MAX + 8192];
	size_t n, i;
	int clean = 1, folded = 1;
	const char *p;

	memset(buf, 'x', sizeof(buf));
	n = limen_when_note_write(buf, cap, seen, LIMEN_NSYSENT);
	for (i = cap; i < sizeof(buf); i++)
		clean &= buf[i] == 'x';
	ok(clean, what, "wrote past its room");
	if (!n)
		return;
	ok(n < cap && buf[n] == 0 && strlen(buf) == n, what,
	   "not NUL-terminated inside its room");
	for (p = strchr(buf, '.'); p; p = strchr(p + 1, '.'))
		folded &= strtoul(p + 1, 0, 10) <= LIMEN_WHEN_SEEN_MAX;
	ok(folded, what, "a count larger than any counted() keeps");
}

int main(void)
{
	char buf[64];
	size_t n;

	/* the program wrote the largest value into every counter */
	memset(seen, 0xff, sizeof(seen));
	note_within(LIMEN_WHEN_NOTE_MAX, "hostile_counters_fit_the_room");
	note_within(40, "hostile_counters_small_room");
	note_within(sizeof(LIMEN_WHEN_ENV) + 1, "no_room_for_an_entry");

	memset(seen, 0, sizeof(seen));
	seen[3] = 5;
	seen[40] = LIMEN_WHEN_SEEN_MAX - 1;
	seen[41] = 0x80000000u;
	n = limen_when_note_write(buf, sizeof(buf), seen, LIMEN_NSYSENT);
	ok(n && !strcmp(buf, "LIMEN_WHEN=3.5,40.131070,41.131071,"),
	   "counts_written_folded", buf);
	/* the last entry does not fit: left out, not cut */
	n = limen_when_note_write(buf, 27, seen, LIMEN_NSYSENT);
	ok(n && !strcmp(buf, "LIMEN_WHEN=3.5,40.131070,"),
	   "entry_that_does_not_fit_left_out", buf);
	memset(seen, 0, sizeof(seen));
	ok(!limen_when_note_write(buf, sizeof(buf), seen, LIMEN_NSYSENT),
	   "no_counts_no_note", buf);
	printf("1..%d\n", ntest);
	return nfail != 0;
}
