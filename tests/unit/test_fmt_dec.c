/* SPDX-License-Identifier: MIT */
/*
 * The runtime's decimal formatting (src/runtime/rt.h, limen_fmt_dec),
 * against literal expected text (TAP): fmt_dec.t.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "runtime/rt.h"

static int ntest, nfail;

static void check(int64_t v, const char *want)
{
	char buf[32];
	uint32_t n;

	memset(buf, 'x', sizeof(buf));
	n = limen_fmt_dec(buf + 1, v);
	ntest++;
	if (n > 21) {
		nfail++;
		printf("not ok %d - %s: %u bytes\n", ntest, want, n);
		return;
	}
	if (n == strlen(want) && !memcmp(buf + 1, want, n + 1) &&
	    buf[0] == 'x' && buf[n + 2] == 'x') {
		printf("ok %d - %s\n", ntest, want);
		return;
	}
	nfail++;
	printf("not ok %d - %s: got %u bytes \"%.*s\"%s\n", ntest, want, n,
	       (int)n, buf + 1,
	       buf[n + 1] ? " not NUL-terminated" : " or wrote outside them");
}

int main(void)
{
	check(0, "0");
	check(7, "7");
	check(10, "10");
	check(2147483647, "2147483647");
	check(4294967295ll, "4294967295");
	check(INT64_MAX, "9223372036854775807");
	check(-1, "-1");
	check(-100, "-100");
	check(INT64_MIN, "-9223372036854775808");
	printf("1..%d\n", ntest);
	return nfail != 0;
}
