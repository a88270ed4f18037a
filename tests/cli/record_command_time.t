#!/bin/bash
# SPDX-License-Identifier: MIT
#
# limen record -o DIR: the first event, limen_command, is stamped with the
# command's start on the clock of every other event, so babeltrace2 shows
# it then (before, clock 0: at boot, and the next event days later), and
# the times babeltrace2 prints never go back.
. "$(dirname "$0")/../lib.sh"
need_limen
command -v babeltrace2 >/dev/null || skip_all "no babeltrace2"

before=$(date +%s)
run_limen record -o "$tmp/r" -- /bin/true >"$tmp/out" 2>&1
after=$(date +%s)
babeltrace2 --clock-seconds "$tmp/r" >"$tmp/bt" 2>"$tmp/bt.err" ||
	diag_file "$tmp/bt.err"
ok_if "the recording's first event is limen_command" \
	grep -q '^[^ ]* [^ ]* limen_command:' <(head -n 1 "$tmp/bt")
t0=$(sed -n '1s/^\[\([0-9]*\)\..*/\1/p' "$tmp/bt")
t1=$(sed -n '2s/^\[\([0-9]*\)\..*/\1/p' "$tmp/bt")
ok_if "limen_command is stamped at the command's start ($t0 in $before..$after)" \
	test "${t0:-0}" -ge "$((before - 1))" -a "${t0:-0}" -le "$((after + 1))"
ok_if "the next event follows it within a second ($t0, $t1)" \
	test -n "$t1" -a "$((t1 - t0))" -le 1
sed 's/^\[\([0-9.]*\)\].*/\1/' "$tmp/bt" >"$tmp/times"
sort -n -c "$tmp/times" 2>"$tmp/sort.err"
ok_if "babeltrace2's times never go back" test $? = 0 || diag_file "$tmp/sort.err"
done_testing
