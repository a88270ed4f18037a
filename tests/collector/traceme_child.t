#!/bin/bash
# SPDX-License-Identifier: MIT
#
# A child that calls PTRACE_TRACEME at once (limen steps aside for it)
# writes its note before its parent's clone exit reaches the collector,
# which then took the new child for a detached process whose id the
# clone gave again (id_given) and dropped it: its end line was lost
# (10 of 10 with vfork). A process is the old holder of the id only if
# limen stepped aside for it before the clone was entered
# (src/collector/collector.c, on_exit_rec). tests/progs/traceme_child.c.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin traceme_child)
[ -x "$prog" ] || skip_all "tests/progs/traceme_child not built ($prog)"

for opts in "" "-e trace=none" "-e trace=getppid"; do
	for mode in v f vx fx; do
		bad=0
		for round in 1 2 3 4 5; do
			out=$("$LIMEN" trace -f $opts -o "$tmp/trace" -- "$prog" $mode)
			read -r _ pid st <<<"$out"
			grep -q "^$pid  *+++ exited with $st +++\$" "$tmp/trace" ||
				bad=$((bad + 1))
		done
		is "$bad" 0 "a_child_that_calls_PTRACE_TRACEME_ends_in_the_trace_$mode (${opts:-full trace})"
	done
done
done_testing
