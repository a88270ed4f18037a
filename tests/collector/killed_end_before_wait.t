#!/bin/bash
# SPDX-License-Identifier: MIT
#
# A child killed by a signal ends in the trace before its parent's wait
# that reaped it, as strace -f shows it ("PID +++ killed by SIGTERM +++",
# then "wait4(PID, [{WIFSIGNALED(s) && ...}], 0, NULL) = PID"), whether
# the wait gives a status word or not: with one, the end line came after
# the wait's line (src/collector/collector.c, on_exit_rec says the end
# before telling the wait, as it did for a wait that throws the status
# away). tests/progs/killed_children.c.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin killed_children)
[ -x "$prog" ] || skip_all "tests/progs/killed_children not built ($prog)"

for opts in "" "--no-rewrite" "-e trace=wait4,waitid"; do
	for mode in wait4 waitid early wait4null waitidnull; do
		out=$("$LIMEN" trace $opts -o "$tmp/trace" -- "$prog" $mode)
		read -r _ pid sig <<<"$out"
		trace_join "$tmp/trace" >"$tmp/joined"
		end=$(grep -n "^$pid  *+++ killed by $sig +++\$" "$tmp/joined" | cut -d: -f1)
		wait=$(grep -nE " (wait4|waitid)\\((P_PID, )?$pid, .*[^,] += (0|$pid)\$" "$tmp/joined" | tail -1 | cut -d: -f1)
		ok_if "a_killed_child_ends_before_the_wait_that_reaps_it_${mode} (${opts:-full trace}; end line ${end:-none}, wait line ${wait:-none})" \
			test -n "$end" -a -n "$wait" -a "${end:-0}" -lt "${wait:-0}"
	done
done
done_testing
