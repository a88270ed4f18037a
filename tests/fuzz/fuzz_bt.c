/* SPDX-License-Identifier: MIT */
/*
 * limen bt's parser and checker under libFuzzer, ASan and UBSan: any
 * bytes as a program; one that compiles runs its BEGIN, interval and END
 * probes (no trace) and prints its maps into a memory stream.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bt/bt.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t n);
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t n)
{
	char err[512];
	struct limen_bt *b;
	char *buf = NULL;
	size_t len = 0;
	FILE *out;

	b = limen_bt_compile((const char *)data, n, err, sizeof(err));
	if (!b)
		return 0;
	out = open_memstream(&buf, &len);
	if (!out) {
		limen_bt_free(b);
		return 0;
	}
	limen_bt_run_static(b, out);
	fclose(out);
	free(buf);
	return 0;
}
