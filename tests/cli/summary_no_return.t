#!/bin/bash
# SPDX-License-Identifier: MIT
#
# -c counts a call when it returns, as strace does: exit and exit_group
# never return, so they show in the trace and not in the table (strace -c
# lists neither). The calls each program makes, with their counts, against
# strace -c on the same run's set of calls.
. "$(dirname "$0")/../lib.sh"
need_limen
command -v strace >/dev/null || skip_all "strace is not installed"
strace -o /dev/null true 2>/dev/null || skip_all "strace cannot trace here (no ptrace)"
threads=$(testbin threads)

# name and calls of each row, sorted by name, without the total
rows() {
	awk '$1 ~ /^[a-z_0-9]+$/ && $1 != "total" && $1 != "syscall" { print $1, $2 }' "$1" | sort
}

run_limen trace -c -U name,calls -o "$tmp/l" -- true
strace -c -U name,calls -o "$tmp/s" true
is "$(rows "$tmp/l")" "$(rows "$tmp/s")" "true: strace's calls and counts, exit_group not among them"
ok_if "true: the trace shows exit_group" \
	run_limen trace -e trace=exit_group -o "$tmp/t" -- true
ok_if "... as a call that never returns" grep -q '^[0-9]* *exit_group(0) *= ?$' "$tmp/t"

set=clone3,exit,exit_group,openat
run_limen trace -f -c -U name,calls -e trace=$set -o "$tmp/l" -- "$threads" >/dev/null
strace -f -c -U name,calls -e trace=$set -o "$tmp/s" "$threads" >/dev/null
is "$(rows "$tmp/l")" "$(rows "$tmp/s")" "8 threads: clone3 and openat counted, the threads' exit and exit_group not"
ok_if "limen counts the opens" grep -q '^openat ' <(rows "$tmp/l")
done_testing
