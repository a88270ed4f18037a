#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# The system-call one-liners of bpftrace's tutorial
# (docs/tutorial_one_liners.md in bpftrace's repository) under limen bt,
# as written there; where the tutorial uses kernel probes on vfs_read
# (lessons 6, 7) the probe is the read system call's tracepoint, and
# lesson 5's pid filter names the command by comm (its pid is not known
# before it starts). Each result is checked against what limen trace
# counts on the same deterministic program.
. "$(dirname "$0")/../lib.sh"
need_limen
loop=$(testbin bt_loop)
[ -x "$loop" ] || skip_all "tests/progs/bt_loop.c not built"
plan 13

# lesson 2
out=$(run_limen bt -e 'BEGIN { printf("hello world\n"); }' -- true)
is "$?" 0 "hello_world_status"
is "$out" "hello world" "hello_world_prints_and_the_end_prints_no_map"

# lesson 3: comm and str(args->filename)
out=$(run_limen bt -e 'tracepoint:syscalls:sys_enter_openat { printf("%s %s\n", comm, str(args->filename)); }' -- "$loop" 3)
n=$(grep -c '^bt_loop /dev/null$' <<<"$out")
is "$n" 4 "openat_lines_name_the_command_and_the_path (4 opens of /dev/null)"

# lesson 4: raw_syscalls counted by comm, against limen trace's lines
out=$(run_limen bt -e 'tracepoint:raw_syscalls:sys_enter { @[comm] = count(); }' -- "$loop" 50)
run_limen trace -o "$tmp/trace" -- "$loop" 50 2>/dev/null
# (the command's own execve is entered under its caller's comm, limen's,
# as bpftrace -c counts it under bpftrace's)
want=$(grep -vc '^[0-9]* *+++ ' "$tmp/trace")
me=$(basename "$LIMEN" | cut -c1-15)
got=$(sed -n 's/^@\[bt_loop\]: //p' <<<"$out")+$(sed -n "s/^@\[$me\]: //p" <<<"$out")
is "$got" "$((want - 1))+1" "raw_syscalls_count_by_comm_equals_the_calls_limen_trace_shows"

# lesson 5: hist of read sizes (the writes here: bt_loop reads nothing)
out=$(run_limen bt -e 'tracepoint:syscalls:sys_exit_write /comm == "bt_loop"/ { @bytes = hist(args->ret); }' -- "$loop" 1)
is "$(grep -c '^\[' <<<"$out")" 7 "hist_prints_the_buckets_from_first_to_last_non_empty"
is "$(grep '^\[1K, 2K)' <<<"$out")" "[1K, 2K)              13 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|" \
	"hist_bar_of_the_largest_bucket_is_full (5x1332 + 6x1813 + 2 of 925..: 13)"
is "$(grep '^\[32, 64)' <<<"$out")" "[32, 64)               1 |@@@@                                                |" \
	"hist_bar_scales_as_bpftrace (1/13 of 52: 4)"

# lesson 6: lhist(retval, ...) at the exit of write
out=$(run_limen bt -e 'tracepoint:syscalls:sys_exit_write { @bytes = lhist(retval, 0, 2000, 200); }' -- "$loop" 1)
is "$(grep '^\[2000, ...)' <<<"$out")" "[2000, ...)            8 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|" \
	"lhist_last_bucket_holds_what_is_over_max (8 writes of 2368)"
is "$(grep -c '^\[' <<<"$out")" 11 "lhist_prints_every_bucket_between_first_and_last"

# lesson 7: the latency pattern, read -> getppid (bt_loop's own calls)
out=$(run_limen bt -e 'tracepoint:syscalls:sys_enter_getppid { @start[tid] = nsecs; } tracepoint:syscalls:sys_exit_getppid /@start[tid]/ { @ns[comm] = hist(nsecs - @start[tid]); delete(@start[tid]); }' -- "$loop" 40)
total=$(awk -F'|' '/^\[/ { k = split($1, f, " "); n += f[k] } END { print n }' <<<"$out")
is "$total" 80 "latency_hist_counts_every_call (80 getppid)"
ok_if "latency_map_keyed_by_comm" grep -q '^@ns\[bt_loop\]: $' <<<"$out"
is "$(grep -c '^@start' <<<"$out")" 0 "every_start_deleted_none_printed"

# lesson 8's shape on system calls: @[probe] with a wildcard, interval
# then exit(): the command (a long sleep) is ended, limen exits 0. The
# interval ends it once the sleep's call is seen (@seen), not at a time
# by which a busy machine may not have started it (the cleared @seen
# prints as an empty line, as with bpftrace 0.17; $() drops it)
out=$(run_limen bt -e 'tracepoint:syscalls:sys_enter_clock_nano* { @[probe] = count(); @seen = 1; } interval:ms:100 /@seen/ { clear(@seen); exit(); }' -- sleep 30)
is "$?:$out" "0:

@[tracepoint:syscalls:sys_enter_clock_nanosleep]: 1" "probe_names_the_tracepoint_and_interval_exit_ends_the_command"
