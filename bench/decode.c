// SPDX-License-Identifier: MIT
/*
 * make bench-decode: nanoseconds per decoded line, through the public entry
 * point the text sink uses (limen_decode_call), for two lines:
 *   read(3, "hello world", 4096) = 11
 *   openat(AT_FDCWD, "/etc/hostname", O_RDONLY|O_CLOEXEC) = 3
 * Not a test: it asserts nothing but that the lines come out as above.
 * Usage: build/bench/decode [ITERATIONS]   (default 2000000)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "decode/decode.h"

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* Best of 5 runs of n decodes of c: the least disturbed by the neighbours. */
static double ns_per_line(const struct limen_call *c, long n, const char *want)
{
	struct limen_sb sb = { 0 };
	struct limen_dopts o = { .strsize = 32 };
	double best = 0;
	int run;

	limen_decode_call(&sb, c, &o);
	if (strcmp(sb.p, want)) {
		fprintf(stderr, "bench: decoded \"%s\", expected \"%s\"\n",
			sb.p, want);
		exit(1);
	}
	for (run = 0; run < 5; run++) {
		double t0 = now_ns(), t;
		long k;

		for (k = 0; k < n; k++) {
			limen_sb_reset(&sb);
			limen_decode_call(&sb, c, &o);
		}
		t = (now_ns() - t0) / n;
		if (!run || t < best)
			best = t;
	}
	limen_sb_free(&sb);
	return best;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 2000000;
	static const char hello[] = "hello world", path[] = "/etc/hostname";
	struct limen_call rd = {
		.nr = 0, .args = { 3, 0x7ffc1234a000ULL, 4096 },
		.ret = 11, .has_ret = 1,
	};
	struct limen_call op = {
		.nr = 257, .args = { (uint64_t)-100, 0x7ffc1234a000ULL, 02000000 },
		.ret = 3, .has_ret = 1,
	};

	rd.cap_out[1] = (struct limen_blob){ (const uint8_t *)hello, 11,
					     LIMEN_BLOB_PRESENT };
	op.cap_in[1] = (struct limen_blob){ (const uint8_t *)path,
					    sizeof(path) - 1, LIMEN_BLOB_PRESENT };
	printf("read   %7.1f ns/line  read(3, \"hello world\", 4096) = 11\n",
	       ns_per_line(&rd, n, "read(3, \"hello world\", 4096) = 11"));
	printf("openat %7.1f ns/line  openat(AT_FDCWD, \"/etc/hostname\", "
	       "O_RDONLY|O_CLOEXEC) = 3\n",
	       ns_per_line(&op, n, "openat(AT_FDCWD, \"/etc/hostname\", "
			   "O_RDONLY|O_CLOEXEC) = 3"));
	return 0;
}
