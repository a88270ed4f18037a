#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# bpftrace 0.17 as the oracle: the same program on the same deterministic
# command (tests/progs/bt_loop.c, filtered by comm; its calls are ones the
# dynamic loader never makes, so a tracer attached from exec and limen's
# runtime see the same) gives the same counts, sums, stats, min, max, avg,
# histogram and linear histogram buckets, key for key, byte for byte.
# Needs root, bpftrace and tracefs (mounted here if it is not, unmounted
# after); skips saying which is missing.
. "$(dirname "$0")/../lib.sh"
need_limen
loop=$(testbin bt_loop)
[ -x "$loop" ] || skip_all "tests/progs/bt_loop.c not built"
command -v bpftrace >/dev/null || skip_all "bpftrace is not installed (Debian: bpftrace)"
[ "$(id -u)" = 0 ] || skip_all "bpftrace needs root"
if [ ! -d /sys/kernel/tracing/events/syscalls ]; then
	mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null &&
		at_exit 'umount /sys/kernel/tracing'
	[ -d /sys/kernel/tracing/events/syscalls ] ||
		skip_all "no syscall tracepoints (tracefs cannot be mounted, or the kernel has no CONFIG_FTRACE_SYSCALLS)"
fi
prog='tracepoint:syscalls:sys_enter_getppid /comm == "bt_loop"/ { @calls = count(); @pids[pid == tid] = count(); }
tracepoint:syscalls:sys_exit_write /comm == "bt_loop"/ {
	@bytes = hist(args->ret); @lin = lhist(args->ret, 0, 2000, 250);
	@sum = sum(args->ret); @st = stats(args->ret); @mn = min(args->ret);
	@mx = max(args->ret); @av = avg(args->ret);
}
tracepoint:syscalls:sys_enter_write /comm == "bt_loop"/ {
	@byfd[args->fd, comm] = count(); @bysize[args->count] = sum(args->count);
	$k = args->count > 1000 ? 1 : 0; @big[$k] = count();
	if (args->count == 37) { @small = count(); } else { @other = sum(args->__syscall_nr); }
	@h2[args->count / 100] = hist(args->count);
}'
# bpftrace sees every process on the machine: the command runs under a
# name of this test's own, so that no other bt_loop (another test under
# prove -j, another checkout's suite) adds its calls to the oracle's
# maps. (Not pid == cpid: bpftrace 0.17's pid is the root namespace's,
# its cpid the one it runs in, and they differ in a container.)
name=btl_${tmp##*.}
cp "$loop" "$tmp/$name"
loop=$tmp/$name
prog=$(sed "s/comm == \"bt_loop\"/comm == \"$name\"/" <<<"$prog")
timeout 60 bpftrace -e "$prog" -c "$loop 300" >"$tmp/bpf.raw" 2>"$tmp/bpf.err"
st=$?
if [ $st != 0 ] || ! grep -q '^@calls' "$tmp/bpf.raw"; then
	skip_all "bpftrace could not run here (status $st: $(grep -m1 ERROR "$tmp/bpf.err" | grep -v RLIMIT))"
fi
plan 4
grep -v '^Attaching ' "$tmp/bpf.raw" >"$tmp/bpf.out"
run_limen bt -e "$prog" -- "$loop" 300 >"$tmp/limen.out"
is "$?" 0 "limen_bt_status"
same_file "$tmp/limen.out" "$tmp/bpf.out" "maps_at_the_end_byte_for_byte_as_bpftrace_prints_them"
is "$(grep '^@calls' "$tmp/limen.out")" "@calls: 600" "the_count_is_the_calls_made"
ok_if "histograms_with_keys_sorted_by_total_as_bpftrace" \
	grep -q '^@h2\[23\]: $' "$tmp/limen.out"
