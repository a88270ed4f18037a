// SPDX-License-Identifier: MIT
/*
 * Fuzz harness (libFuzzer) for user events in the collector: the
 * name_args parser (src/session/uevent_fmt.h, which the runtime runs too)
 * and the payload renderer (src/collector/uevent.c), with what a program
 * can put in its ring. Input: byte 0 = n, then n bytes of name_args (the
 * UEVDEF record's text, no NUL), then the UEVENT record's payload.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "collector/uevent.h"
#include "session/uevent_fmt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct limen_uev_defs *t;
	struct limen_rec_uev *r;
	struct limen_sb sb = { 0 };
	size_t n, plen, rsize;
	uint8_t *rec;

	if (!size)
		return 0;
	if (!t)
		t = limen_uev_defs_new();
	n = data[0];
	if (n > size - 1)
		n = size - 1;
	plen = size - 1 - n;
	/* exact sizes, so that ASan sees any read past the record */
	rsize = sizeof(*r) + n;
	rec = malloc(rsize);
	r = (void *)rec;
	memset(r, 0, sizeof(*r));
	r->h.size = (uint32_t)rsize;
	r->h.type = LIMEN_REC_UEVDEF;
	r->id = data[0] % LIMEN_UEVENT_MAX;
	r->len = (uint32_t)n;
	memcpy(rec + sizeof(*r), data + 1, n);
	limen_uev_define(t, rec, (uint32_t)rsize);
	free(rec);

	rsize = sizeof(*r) + plen;
	rec = malloc(rsize);
	r = (void *)rec;
	memset(r, 0, sizeof(*r));
	r->h.type = LIMEN_REC_UEVENT;
	r->id = data[0] % LIMEN_UEVENT_MAX;
	r->len = (uint32_t)plen;
	memcpy(rec + sizeof(*r), data + 1 + n, plen);
	limen_uev_render(t, rec, (uint32_t)rsize, &sb);
	free(rec);
	limen_sb_free(&sb);
	return 0;
}
