#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# The probes choose what is recorded: a program probing getppid only makes
# the runtime record getppid (and what the collector needs to follow
# processes), not the thousands of other calls; raw_syscalls records all.
# Counted by the collector (LIMEN_STATS: records drained).
. "$(dirname "$0")/../lib.sh"
need_limen
loop=$(testbin bt_loop)
[ -x "$loop" ] || skip_all "tests/progs/bt_loop.c not built"
plan 3
records() { sed -n 's/^limen: stats: \([0-9]*\) records.*/\1/p' "$1"; }

# bt_loop 1000: 2000 getppid, 1001 openat, 1001 close, 36 write, exit_group
LIMEN_STATS=1 run_limen bt -e 't:syscalls:sys_enter_getppid { @ = count(); }' -- "$loop" 1000 >"$tmp/o1" 2>"$tmp/e1"
n1=$(records "$tmp/e1")
ok_if "unprobed_calls_are_not_recorded ($n1 records for 2000 getppid)" \
	test "${n1:-0}" -ge 4000 -a "${n1:-99999}" -le 4020
ok_if "the_probed_calls_are_counted" grep -qx '@: 2000' "$tmp/o1"
LIMEN_STATS=1 run_limen bt -e 't:raw_syscalls:sys_enter { @ = count(); }' -- "$loop" 1000 >"$tmp/o2" 2>"$tmp/e2"
n2=$(records "$tmp/e2")
ok_if "raw_syscalls_records_every_call ($n2 records)" test "${n2:-0}" -ge 8076
