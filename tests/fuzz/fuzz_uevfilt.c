// SPDX-License-Identifier: MIT
/*
 * Fuzz harness (libFuzzer) for an event's filter
 * (src/runtime/uevent_filter.c): the string a program writes to
 * events/user_events/NAME/filter is checked, then evaluated on a payload
 * the program wrote. Input: byte 0 picks the event's format, then the
 * filter up to a NUL (or the end), then the payload. The filter and the
 * payload are copied to buffers of their exact size, without a NUL after
 * the filter, so that any read past either is AddressSanitizer's to see;
 * checking and evaluating must agree on whether the kernel takes it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/uevent_filter.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const fmts[] = {
		"flt u32 count; s32 delta; char[8] msg; __rel_loc char[] path",
		"f2 u8 a; s16 b; u64 c; __data_loc char[] s; u8[3] raw",
		"f3 struct foo st 16; unsigned char[4] uc; long l; char c",
		"f4",
	};
	static char args[4][512];
	static struct limen_uev_fmt fmt[4];
	static int ready;
	struct limen_uevf_ctx x;
	struct limen_uevf_err pe;
	size_t k, n;
	char *f;
	uint8_t *p;
	int which, r1, r2, match = 0;

	if (!ready) {
		for (int i = 0; i < 4; i++) {
			strcpy(args[i], fmts[i]);
			if (limen_uev_parse(args[i], &fmt[i]) < 0)
				abort();
		}
		ready = 1;
	}
	if (!size)
		return 0;
	which = data[0] & 3;
	data++;
	size--;
	for (n = 0; n < size && data[n]; n++)
		;
	if (n >= LIMEN_UEVF_MAX)
		n = LIMEN_UEVF_MAX - 1;
	k = n < size ? size - n - 1 : 0;
	f = malloc(n ? n : 1);
	p = malloc(k ? k : 1);
	memcpy(f, data, n);
	memcpy(p, data + size - k, k);
	r1 = limen_uevf_run(f, (uint32_t)n, args[which], &fmt[which], 0, 0,
			    &pe);
	if (r1 < 0 && pe.lasterr > 0 && !limen_uevf_errtext(pe.lasterr))
		abort();
	memset(&x, 0, sizeof(x));
	x.p = p;
	x.len = (uint32_t)k;
	x.type = 2000;
	x.pid = 1234;
	x.cpu = 1;
	memcpy(x.comm, "fuzz", 4);
	r2 = limen_uevf_run(f, (uint32_t)n, args[which], &fmt[which], &x,
			    &match, &pe);
	if (r1 != r2 || (match != 0 && match != 1))
		abort();
	free(f);
	free(p);
	return 0;
}
