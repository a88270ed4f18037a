#!/bin/bash
# SPDX-License-Identifier: MIT
#
# A process killed by a signal ends in the trace ("PID +++ killed by SIGTERM
# +++", as strace -f shows it) whatever -e trace= selects: its end leaves
# no record of its own, and its reaper's wait4 or waitid, which says how
# it ended, was not recorded unless selected (strace -f -e trace=execve
# of a build showed no crash of a compiler). Unselected, a wait that
# reaped a child and a clone that made one write a hidden EXIT
# (src/runtime/dispatch.c, limen_end_note), with a SIGCHLD handler
# interrupting the wait too; a child killed before its runtime started,
# which wrote nothing at all, is told from its parent's fork and reaper
# (src/collector/collector.c, born_add). tests/progs/killed_children.c.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin killed_children)
[ -x "$prog" ] || skip_all "tests/progs/killed_children not built ($prog)"

for opts in "-e trace=execve" "-e trace=none" "-e trace=openat --filter fd==99" \
	"--no-rewrite -e trace=execve" ""; do
	for mode in wait4 waitid early; do
		out=$("$LIMEN" trace $opts -o "$tmp/trace" -- "$prog" $mode)
		read -r _ pid sig <<<"$out"
		n=$(grep -c "^$pid  *+++ killed by $sig +++\$" "$tmp/trace")
		is "$n" 1 "a_child_killed_by_${sig}_reaped_by_${mode}_ends_in_the_trace_once (${opts:-full trace})"
	done
done
done_testing
