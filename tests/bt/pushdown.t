#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# limen bt's predicates are evaluated in the traced process where they can
# be (src/bt/push.c): a call no probe can fire on is not recorded (fewer
# records drained, LIMEN_STATS), and the results are those of the
# collector evaluating every predicate alone (LIMEN_BT_PUSH=0), for
# predicates mixing what the runtime knows (arguments, path strings, pid,
# tid, the return value) with what it does not (comm, maps), under ! too.
# And the same as bpftrace's where bpftrace runs (root, tracefs).
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin bt_paths)
[ -x "$prog" ] || skip_all "tests/progs/bt_paths.c not built"
plan 28
records() { sed -n 's/^limen: stats: \([0-9]*\) records.*/\1/p' "$1"; }
# the openat calls made before the program's own (ld.so's, traced from its
# first instruction by default; none under LIMEN_LOADER=preload)
run_limen trace -o "$tmp/base" -e trace=openat -- "$prog" 0 >/dev/null 2>&1
ldo=$(grep -c 'openat(' "$tmp/base")

# bt_paths 300: 1200 openat, 300 write, 600 close, getppid, exit_group.
# check NAME MAXRECORDS PROGRAM: pushed, at most MAXRECORDS records;
# without push-down more; the same output both ways.
check() {
	local name=$1 max=$2 p=$3 n0 n1
	LIMEN_STATS=1 run_limen bt -e "$p" -- "$prog" 300 >"$tmp/on" 2>"$tmp/eon"
	LIMEN_BT_PUSH=0 LIMEN_STATS=1 run_limen bt -e "$p" -- "$prog" 300 >"$tmp/off" 2>"$tmp/eoff"
	n1=$(records "$tmp/eon")
	n0=$(records "$tmp/eoff")
	ok_if "${name}_not_recorded ($n1 records, $n0 without push-down)" \
		test "${n1:-99999}" -le "$max" -a "${n0:-0}" -gt "$max"
	same_file "$tmp/on" "$tmp/off" "${name}_same_maps_as_the_collector_alone"
}

check path_equal 610 'tracepoint:syscalls:sys_enter_openat /str(args.filename) == "/dev/zero"/ { @ = count(); }'
grep -qx '@: 300' "$tmp/on"; is $? 0 "the_matching_calls_are_all_counted"
check failed_calls_by_retval 1210 't:syscalls:sys_exit_openat /args.ret < 0/ { @[retval] = count(); }'
check typed_int_arguments 610 't:syscalls:sys_enter_openat /args.dfd == -100 && args->flags == 1/ { @ = count(); }'
check strncmp_prefix 610 't:syscalls:sys_enter_openat /strncmp(str(args.filename), "/dev/null/a-path", 16) == 0/ { @ = count(); }'
check not_and_or 1210 't:syscalls:sys_enter_openat /!(str(args.filename) == "/dev/null" || args.flags != 0)/ { @[str(args.filename)] = count(); }'
check write_count 250 't:syscalls:sys_enter_write /args.count == 3 || (args.count > 4) == 1/ { @[args.count] = count(); }'
check unknown_parts_kept 610 't:syscalls:sys_enter_openat /comm == "bt_paths" && str(args.filename) == "/dev/zero" && @x == 0/ { @ = count(); }
t:syscalls:sys_enter_getppid { @x = 1; }'
check raw_syscalls_id 610 't:raw_syscalls:sys_enter /args.id == 1/ { @[args.id] = count(); }'
check pid_tid 10 't:syscalls:sys_enter_openat /pid == 1 || tid == 1/ { @ = count(); }'
check two_probes_either 1210 't:syscalls:sys_enter_openat /str(args.filename) == "/dev/null"/ { @n = count(); }
t:syscalls:sys_enter_openat /args.flags == 1/ { @e = count(); }'
grep -qx '@e: 300' "$tmp/on" && grep -qx '@n: 300' "$tmp/on"; is $? 0 "both_probes_count_all_their_calls"

# With an entry probe on the call, a retval predicate is not pushed: the
# runtime would write the entry at the exit (nsecs, memory after the call)
lat='t:syscalls:sys_enter_openat /args.flags == 1/ { @s[tid] = nsecs; }
t:syscalls:sys_exit_openat /retval == -2/ { @n = count(); }'
LIMEN_BT_PUSH=show LIMEN_STATS=1 run_limen bt -e "$lat" -- "$prog" 300 >"$tmp/lat" 2>"$tmp/elat"
ok_if "an_entry_probe_keeps_ret_in_the_collector ($(records "$tmp/elat") records)" \
	test "$(records "$tmp/elat")" = $((2402 + 2 * ldo))
ok_if "the_entry_probe_s_calls_are_counted" grep -qx '@n: 300' "$tmp/lat"

# A string str() cuts (64 bytes) is not pushed: the collector's cut
# comparison would differ from the runtime's whole one
long=/dev/null/a-path-longer-than-the-sixty-three-bytes-bpftrace-kee
LIMEN_STATS=1 run_limen bt -e "t:syscalls:sys_enter_openat /str(args.filename) == \"$long\"/ { @ = count(); }" -- "$prog" 300 >"$tmp/cut" 2>"$tmp/ecut"
ok_if "a_string_str_cuts_is_matched_cut" grep -qx '@: 300' "$tmp/cut"
# negation of what cannot be pushed keeps the calls
LIMEN_STATS=1 run_limen bt -e 't:syscalls:sys_enter_openat /!(comm == "nothing" && str(args.filename) == "/dev/zero")/ { @ = count(); }' -- "$prog" 300 >"$tmp/neg" 2>"$tmp/eneg"
ok_if "not_of_an_unknown_keeps_every_call" grep -qx "@: $((1200 + ldo))" "$tmp/neg"

# bpftrace as the oracle
oracle='t:syscalls:sys_enter_close /comm == "bt_paths" && args->fd == 4/ { @z = count(); }
t:syscalls:sys_exit_openat /comm == "bt_paths" && args->ret < 0/ { @f[args->ret] = count(); }
t:syscalls:sys_enter_write /comm == "bt_paths" && args->count >= 4/ { @w[args->count] = count(); }'
why=
if ! command -v bpftrace >/dev/null; then
	why="bpftrace is not installed"
elif [ "$(id -u)" != 0 ]; then
	why="bpftrace needs root"
else
	if [ ! -d /sys/kernel/tracing/events/syscalls ]; then
		mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null &&
			at_exit 'umount /sys/kernel/tracing'
	fi
	if [ ! -d /sys/kernel/tracing/events/syscalls ]; then
		why="no syscall tracepoints"
	else
		# bpftrace sees every process: the command runs under a name
		# of this test's own, so that no other bt_paths adds its
		# calls to the oracle's maps (oracle.t says why not cpid)
		name=btp_${tmp##*.}
		cp "$prog" "$tmp/$name"
		prog=$tmp/$name
		oracle=$(sed "s/comm == \"bt_paths\"/comm == \"$name\"/" <<<"$oracle")
		timeout 60 bpftrace -e "$oracle" -c "$prog 300" >"$tmp/bpf.raw" 2>"$tmp/bpf.err"
		grep -q '^@z' "$tmp/bpf.raw" || why="bpftrace could not run here"
	fi
fi
if [ -n "$why" ]; then
	skip pushed_predicates_give_bpftrace_s_maps "$why"
	skip pushed_predicates_record_less "$why"
else
	# equal counts: bpftrace's order among them is its hash's
	grep -v '^Attaching ' "$tmp/bpf.raw" | sort >"$tmp/bpf.out"
	LIMEN_STATS=1 run_limen bt -e "$oracle" -- "$prog" 300 2>"$tmp/elimen" |
		sort >"$tmp/limen.out"
	same_file "$tmp/limen.out" "$tmp/bpf.out" "pushed_predicates_give_bpftrace_s_maps"
	n=$(records "$tmp/elimen")
	ok_if "pushed_predicates_record_less ($n records)" test "${n:-99999}" -le 2100
fi
