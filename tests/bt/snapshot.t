#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# limen bt's snapshot(): with --flight SIZE --flight-dir DIR the collector
# keeps the last SIZE bytes of every call in memory (flight.c), and
# snapshot() in a probe writes them to DIR/snapshot-N, a recording limen
# report reads, ending with the triggering call's fields (its strace line)
# and the probe that fired: LTTng's snapshot trigger, from a program.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin bt_paths)
[ -x "$prog" ] || skip_all "tests/progs/bt_paths.c not built"
plan 12

# bt_paths 10: each round opens /dev/null, /dev/zero, a missing file
# (ENOENT), a path under /dev/null (ENOTDIR), writes, closes
third='t:syscalls:sys_exit_openat /args.ret == -2/ { @n = count(); if (@n == 3) { snapshot("third ENOENT"); } }'
run_limen bt --flight 256K --flight-dir "$tmp/d" -e "$third" -- "$prog" 10 >"$tmp/out" 2>"$tmp/err"
is "$?" 0 "bt_with_flight_status"
ok_if "the_program_still_runs (@n: 10)" grep -qx '@n: 10' "$tmp/out"
ok_if "one_snapshot_written" test -d "$tmp/d/snapshot-1" -a ! -e "$tmp/d/snapshot-2"
run_limen report "$tmp/d/snapshot-1" >"$tmp/rep" 2>&1
ok_if "the_snapshot_ends_with_the_triggering_call_s_fields" \
	grep -q '^+++ limen: snapshot 1: snapshot("third ENOENT") in tracepoint:syscalls:sys_exit_openat: \[pid [0-9]*\] openat(AT_FDCWD, "/nonexistent/limen-bt", O_RDONLY) = -1 ENOENT (No such file or directory) +++$' "$tmp/rep"
is "$(grep -c '^openat.*ENOENT' "$tmp/rep")" 3 "the_window_stops_at_the_trigger"
ok_if "the_window_holds_calls_no_probe_names" grep -q '^write(4, ' "$tmp/rep"
ok_if "stderr_says_where" grep -q "flight recorder: 1 snapshot in $tmp/d" "$tmp/err"

# never called: nothing written, no snapshot at the end
run_limen bt --flight 256K --flight-dir "$tmp/e" -e 't:syscalls:sys_exit_openat /args.ret == -99/ { snapshot(); }' -- "$prog" 3 >/dev/null 2>&1
ok_if "no_snapshot_unless_snapshot_is_called" test ! -e "$tmp/e/snapshot-1"

# every ENOENT, at most 2 snapshots
run_limen bt --flight=256K --flight-dir="$tmp/f" --flight-max 2 -e 't:syscalls:sys_exit_openat /args.ret == -2/ { snapshot(); }' -- "$prog" 10 >/dev/null 2>"$tmp/err2"
ok_if "flight_max_bounds_the_snapshots" test -d "$tmp/f/snapshot-2" -a ! -e "$tmp/f/snapshot-3"
ok_if "the_snapshots_not_saved_are_counted" grep -q '8 more triggers' "$tmp/err2"

run_limen bt -e 'BEGIN { snapshot(); }' -- true >/dev/null 2>"$tmp/err3"
ok_if "snapshot_without_flight_is_refused" grep -q "snapshot() saves the flight recorder's window: give --flight SIZE --flight-dir DIR" "$tmp/err3"
run_limen bt --flight 1M -e 'BEGIN { snapshot(); }' -- true >/dev/null 2>"$tmp/err4"
ok_if "flight_without_a_dir_is_refused" grep -q -- "--flight-dir DIR" "$tmp/err4"
