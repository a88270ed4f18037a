#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# An execve by a thread other than the leader: the kernel ends the other
# threads (the leader too) and the thread goes on with the leader's id.
# strace -f shows the others' calls returning ?, the others but the leader
# ending, "+++ superseded by execve in pid OLD +++" under the leader's id
# and the execve's "<... execve resumed>) = 0" under it too. limen printed
# "+++ exited with 0 +++" for the exec'ing thread, which did not exit, and
# its execve's result under the old id; the leader's call stayed pending
# to the end (torture D8). tests/progs/thread_execs.c.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin thread_execs)
[ -x "$prog" ] || skip_all "tests/progs/thread_execs not built"

run_limen trace -f -- "$prog" 2>"$tmp/l"
is "$?" 4 "limen's status is the new image's"
x=$(sed -nE 's/^\[pid +([0-9]+)\] execve\(.*"done".*/\1/p' "$tmp/l" | head -1)
ok_if "the_thread_s_execve_is_told_unfinished_under_its_id ($x)" \
	grep -Eq "^\\[pid +$x\\] execve\\(.*\"done\".*<unfinished \\.\\.\\.>\$" "$tmp/l"
grep -n -E "superseded|execve resumed|\+\+\+" "$tmp/l" >"$tmp/ends"
is "$(grep -c -E "^\\[pid +$x\\] \\+\\+\\+ exited" "$tmp/l")" 0 \
	"the_exec_ing_thread_has_no_exited_line"
is "$(grep -A1 -F '+++ superseded by execve' "$tmp/l")" \
	"+++ superseded by execve in pid $x +++
<... execve resumed>)                   = 0" \
	"superseded_then_the_execve_s_result_under_the_leader"
is "$(grep -c -E '^\[pid +[0-9]+\] \+\+\+ exited with 0 \+\+\+$' "$tmp/l")" 1 \
	"the_waiting_thread_exits_the_leader_does_not"
is "$(grep -c -E 'pause resumed>\) += \?$' "$tmp/l")" 2 \
	"the_leader_s_and_the_other_s_pause_return_?_at_the_exec"
sup=$(grep -n -F '+++ superseded' "$tmp/l" | cut -d: -f1)
last_pause=$(grep -n 'pause resumed' "$tmp/l" | tail -1 | cut -d: -f1)
ok_if "the_pauses_end_before_the_superseded_line ($last_pause < $sup)" \
	test -n "$sup" -a -n "$last_pause" -a "${last_pause:-0}" -lt "${sup:-0}"
# only the execve selected, no other thread to end: nothing comes between
# its entry and the exec, and its line is still told under the id that
# made it, not the leader's it goes on with
run_limen trace -f -e trace=execve -- "$prog" lone 2>"$tmp/lone"
x=$(sed -nE 's/^\[pid +([0-9]+)\] execve\(.*"done".*/\1/p' "$tmp/lone" | head -1)
old=$(sed -nE 's/.*superseded by execve in pid ([0-9]+) .*/\1/p' "$tmp/lone")
ok_if "the_execve_s_line_is_under_the_thread_that_made_it_with_nothing_between (line's $x, superseded's $old)" \
	test -n "$x" -a "$x" = "$old"
# -o: the superseded line names the leader
limen_trace "$tmp/o" -f -- "$prog"
lead=$(awk '$2 ~ /^execve\(/ {print $1; exit}' "$tmp/o")
ok_if "with_-o_the_superseded_line_names_the_leader ($lead)" \
	grep -Eq "^$lead +\\+\\+\\+ superseded by execve in pid [0-9]+ \\+\\+\\+\$" "$tmp/o"
# -qq keeps it (as strace), -qqq and quiet=superseded drop it, not more
for q in -qq -qqq -e\ quiet=superseded -e\ quiet=thread-execve; do
	want=0; [ "$q" = -qq ] && want=1
	# shellcheck disable=SC2086
	run_limen trace $q -f -- "$prog" 2>"$tmp/q"
	is "$(grep -c -F '+++ superseded by execve' "$tmp/q")" $want \
		"quiet_superseded ($q)"
done
is "$(grep -c -F '+++ exited with 4 +++' "$tmp/q")" 1 \
	"quiet=superseded keeps the exited lines"
if command -v strace >/dev/null; then
	strace -f "$prog" 2>"$tmp/s"
	norm() {
		# a pause that ends with nothing between is one line, whole
		grep -E '\+\+\+|execve|pause.*= \?$' "$1" |
			grep -v '^strace:' |
			sed -E 's/0x[0-9a-f]+/P/g; s/[0-9]+/N/g; s/  +/ /g' |
			sed -E 's/^(\[pid N\] )?(<\.\.\. )?pause.*/a pause ends/' | sort
	}
	is "$(norm "$tmp/l")" "$(norm "$tmp/s")" "the_lines_strace_shows (sorted)"
else
	skip "the_lines_strace_shows (sorted)" "no strace"
fi
# -e trace=none, trace=exit_group: the same ends, the thread known from
# the bookkeeping records of calls nothing selected
ends_as_strace "$prog"
done_testing
