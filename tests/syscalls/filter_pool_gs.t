#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Threads started under a seccomp filter of the program's once ring.c's
# pool has no ring left run untraced; under limen's loader each still has
# a %gs block of its own (the pool's spare pages, mapped before the filter
# went on). Without one, it shared its parent's: a signal one of them held
# went to the other, and a handler saw the other's view of the blocked
# signals (unarmed_thread_signals.t, pool, failed one run in six or so).
# As bare: no two live threads share a %gs base. tests/progs/filter_pool_gs.c.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin filter_pool_gs)
[ -x "$prog" ] || skip_all "tests/progs/filter_pool_gs not built ($prog)"

for L in loader preload; do
	export LIMEN_LOADER=$L
	run_limen trace -o "$tmp/t.trace" -- "$prog" >"$tmp/out" 2>"$tmp/err"
	is "$?:$(cat "$tmp/out")" "0:distinct" \
		"$L: 40 threads past the pool: no two share a %gs block"
	ok_if "$L: the threads past the pool are said untraced" \
		grep -q 'threads untraced' "$tmp/t.trace"
done
done_testing
