#!/bin/bash
# SPDX-License-Identifier: MIT
#
# -c counts each call the program made once, with its real result: a call
# that a signal kept from being made (the signal came while limen recorded
# its entry; the program takes its handler first and makes the call after
# it, as if the signal had come just before its `syscall`) is neither a
# call nor an error of its own. tests/progs/unmade.c: 8 threads of getppid
# under per-thread 10 kHz timers, whose handler makes 2 getppid more; it
# prints how many it made. Run 3 times: the window is narrow.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin unmade)
[ -x "$prog" ] || skip_all "tests/progs/unmade.c not built"

for run in 1 2 3; do
	run_limen trace -c -o "$tmp/sum" -- "$prog" 20000 >"$tmp/out" 2>&1
	made=$(sed -n 's/^getppid //p' "$tmp/out")
	row=$(awk '$NF == "getppid"' "$tmp/sum")
	# % time, seconds, usecs/call, calls, [errors,] syscall
	calls=$(awk '{ print $4 }' <<<"$row")
	fields=$(awk '{ print NF }' <<<"$row")
	is "$calls" "$made" "run $run: -c counts the getppid calls made ($made)"
	is "$fields" 5 "run $run: -c shows no getppid error"
done
done_testing
