#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# limen out of memory (a tight ulimit -v) says so and ends with a status,
# never abort()'s SIGABRT with no word (src/decode/oom.c): from 9500 to
# 10500 KiB here limen died of SIGABRT (134) and the command never ran.
# Each limit from 8000 to 14000 KiB: a status of the command's (3), or 1
# with limen's word on stderr.
. "$(dirname "$0")/../lib.sh"
need_limen
cat >"$tmp/hello.c" <<'C'
#include <stdio.h>
int main(void) { puts("hi"); return 3; }
C
cc -O2 -o "$tmp/hello" "$tmp/hello.c" || skip_all "cc cannot build"
bad=""
for n in $(seq 8000 250 14000); do
	(ulimit -v "$n"; "$LIMEN" trace -o "$tmp/t" -- "$tmp/hello" >"$tmp/out" 2>"$tmp/err")
	st=$?
	if [ "$st" = 3 ] && [ "$(cat "$tmp/out")" = hi ]; then
		continue
	fi
	if [ "$st" = 1 ] && [ -s "$tmp/err" ]; then
		continue
	fi
	bad="$bad $n:$st"
done
is "$bad" "" "out_of_memory_says_so_and_never_aborts (limit:status)"
done_testing
