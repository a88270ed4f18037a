#!/bin/bash
# SPDX-License-Identifier: MIT
#
# A pid namespace's init that ends takes its namespace's other processes
# with it: the kernel kills them with SIGKILL and reaps them itself
# (zap_pid_ns_processes), so no wait of limen's or of a traced parent says
# how they ended. Their calls stayed "<unfinished ...>" for ever, and they
# never ended in the trace. As strace -f shows it, each call they were
# in ends "= ?", each thread is "+++ killed by SIGKILL +++", before the
# init's own "+++ exited" line (its exit_group line whole before them, or
# cut off by them and resumed after: the drain that took its entry may
# come before the kill is seen; 2 runs in 40 before either was accepted).
# tests/progs/ns_blocked.c: 3 threads blocked in pause() in the namespace
# of an init (sh) that ends.
. "$(dirname "$0")/../lib.sh"
need_limen
need_pidns --mount-proc
prog=$(testbin ns_blocked)
[ -x "$prog" ] || skip_all "tests/progs/ns_blocked not built ($prog)"

LIMEN_TEST_TIMEOUT=60
# the init waits until every thread is blocked, then ends
cmd=(unshare -pf --mount-proc sh -c "$prog 2 >'$tmp/rdy' &
	while ! grep -q ready '$tmp/rdy' 2>/dev/null; do sleep 0.05; done")

check() { # trace, what
	local tr=$1 what=$2 init pauses killed
	pauses=$(grep -E '^[0-9]+ +pause\(' "$tr" | awk '{ print $1 }' | sort -n | tr '\n' ' ')
	killed=$(grep -E '^[0-9]+ +\+\+\+ killed by SIGKILL \+\+\+$' "$tr" | awk '{ print $1 }' | sort -n | tr '\n' ' ')
	gone=$(grep -E '^[0-9]+ +(<\.\.\. pause resumed>|pause\().*\) += \?$' "$tr" | awk '{ print $1 }' | sort -n | tr '\n' ' ')
	is "$(echo "$pauses" | wc -w)" 3 "$what: three threads in pause()"
	is "$gone" "$pauses" "$what: each one's pause() ends = ?"
	is "$killed" "$pauses" "$what: each thread is killed by SIGKILL"
	# the init: the exit_group before the first ended pause(), whole,
	# or cut off by them when the drain that took its entry came before
	# the kill was seen (as strace shows a call another line comes
	# into); then resumed, = ?
	init=$(grep -E -B1 -m1 '^[0-9]+ +(<\.\.\. pause resumed>|pause\().*\) += \?$' "$tr" |
		sed -n -E '1s/^([0-9]+) +exit_group\(0(\) += \?| <unfinished \.\.\.>)$/\1/p')
	ok_if "$what: the init's exit_group(0) comes before the ends ($init)" test -n "$init"
	ok_if "$what: the init's exit_group(0) ends = ?" \
		grep -q -E "^$init +(exit_group\(0\)|<\.\.\. exit_group resumed>\)) += \?\$" "$tr"
	ok_if "$what: the init's end comes after them" \
		awk -v i="$init" '/killed by SIGKILL/ { k = NR } $1 == i && /\+\+\+ exited with 0 \+\+\+/ { e = NR } END { exit !(k && e > k) }' "$tr"
}

rm -f "$tmp/rdy"
run_limen trace -f -o "$tmp/tr" -e trace=pause,exit_group -- "${cmd[@]}" >/dev/null 2>&1
is "$?" 0 "the command's status"
check "$tmp/tr" "trace"

# a recording says the same when read back
rm -f "$tmp/rdy"
run_limen record -o "$tmp/rec" -- "${cmd[@]}" >/dev/null 2>&1
run_limen report -e trace=pause,exit_group -o "$tmp/rep" "$tmp/rec" >/dev/null 2>&1
check "$tmp/rep" "record, report"
done_testing
