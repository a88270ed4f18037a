#!/bin/bash
# SPDX-License-Identifier: MIT
#
# A ring retired to the pool (its thread ended under the program's
# filter) whose slot the collector freed and another process (a fork
# child) then claimed is dropped from the pool, not waited for: every
# thread started after found it retired and waited the pool's whole
# timeout (1.5 s) before taking a ready one. Bare: 0.001 s.
# tests/progs/filter_pool_taken.c.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin filter_pool_taken)
[ -x "$prog" ] || skip_all "tests/progs/filter_pool_taken not built ($prog)"

run_limen trace -f -o "$tmp/t.trace" -- "$prog" 1 >"$tmp/out" 2>"$tmp/err"
s=$(sed -n 's/^slowest thread start \([0-9.]*\) s$/\1/p' "$tmp/out")
diag "slowest thread start: ${s:-none} s"
is "$(awk -v s="${s:-9}" 'BEGIN { print (s < 0.5) }')" 1 \
	"no thread start waits for a pooled ring another process took"
done_testing
