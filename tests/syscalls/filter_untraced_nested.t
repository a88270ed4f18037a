#!/bin/bash
# SPDX-License-Identifier: MIT
#
# A thread that found the pool empty under the program's filter runs
# untraced, and so do the threads it starts, whose clones are not in the
# trace: the untraced count (21) is said as it is. It was checked against
# the threads and images the trace shows (19), and the honest program was
# said to have corrupted the session. tests/progs/filter_untraced_nested.c.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin filter_untraced_nested)
[ -x "$prog" ] || skip_all "tests/progs/filter_untraced_nested not built ($prog)"

run_limen trace -f -o "$tmp/t.trace" -- "$prog" >"$tmp/out" 2>"$tmp/err"
is "$(cat "$tmp/out")" done "the program runs to its end"
is "$(grep -c 'the session was corrupted' "$tmp/t.trace")" 0 \
	"an_untraced_thread's_own_threads_do_not_make_the_count_doubted"
is "$(grep -c '^+++ limen: 21 threads untraced: no ring' "$tmp/t.trace")" 1 \
	"the 21 untraced threads said as such"
done_testing
