#!/usr/bin/env bash
# limen bt against bpftrace, in one run (make bench calls it; not a test):
#  1. a one-liner counting system calls by name, @[probe] = count() on
#     tracepoint:syscalls:sys_enter_*, over the getppid+open loop
#     (tests/progs/sysloop.c): wall time bare, under limen bt, under
#     bpftrace (root; one run: its time includes attaching its ~340
#     tracepoints, shown apart by the same one-liner on /bin/true);
#  2. the cost of a map update per call: the collector's CPU time (its
#     own, LIMEN_STATS) for @[tid] = count() on each getppid, minus that
#     of an empty probe on the same calls, per call.
# Usage: bench/bt.sh [RUNS]   (medians of RUNS, default 5)
set -uo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-5}
LOOP=build/tests/sysloop
LIMEN=build/limen
N=200000 M=50000
ONE='tracepoint:syscalls:sys_enter_* { @[probe] = count(); }'

med() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
wall() {
	local t0 t1 r=() RUNS=${RUNS}
	for ((i = 0; i < RUNS; i++)); do
		t0=$(date +%s%N)
		"$@" >/dev/null 2>&1
		t1=$(date +%s%N)
		r+=($((t1 - t0)))
	done
	printf '%s\n' "${r[@]}" | med
}
ms() { awk -v n="$1" 'BEGIN {printf "%8.1f ms", n / 1e6}'; }

echo "limen bt: '$ONE' over sysloop $N getppid + $M open/close, median of $RUNS"
bare=$(wall $LOOP $N $M)
lbt=$(wall $LIMEN bt -e "$ONE" -- $LOOP $N $M)
lbt0=$(wall $LIMEN bt -e "$ONE" -- /bin/true)
printf '  bare          %s\n' "$(ms $bare)"
printf '  limen bt      %s  (on true: %s)\n' "$(ms $lbt)" "$(ms $lbt0)"
if [ "$(id -u)" = 0 ] && command -v bpftrace >/dev/null &&
	{ [ -d /sys/kernel/tracing/events/syscalls ] ||
	  mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null; } &&
	timeout 60 bpftrace -e 'BEGIN { exit(); }' >/dev/null 2>&1; then
	# one run each: attaching bpftrace's ~340 tracepoints takes long
	bpf=$(RUNS=1 wall bpftrace -e "$ONE" -c "$LOOP $N $M")
	bpf0=$(RUNS=1 wall bpftrace -e "$ONE" -c /bin/true)
	printf '  bpftrace      %s  (on true: %s: attaching its probes; it counts every process)\n' "$(ms $bpf)" "$(ms $bpf0)"
	awk -v l=$lbt -v l0=$lbt0 -v b=$bpf -v b0=$bpf0 -v z=$bare 'BEGIN {
		printf "  the loop alone (minus the run on true): limen bt %.1f ms, bpftrace %.1f ms, bare %.1f ms\n",
			(l - l0) / 1e6, (b - b0) / 1e6, z / 1e6 }'
else
	echo "  bpftrace: cannot run here (root, bpftrace and tracefs are needed)"
fi

# 2. a map update per call, in the collector's CPU
cpu() {
	local r=()
	for ((i = 0; i < RUNS; i++)); do
		r+=("$(LIMEN_STATS=1 $LIMEN bt -e "$1" -- $LOOP 1000000 0 2>&1 >/dev/null |
			sed -n 's/^limen: stats: [0-9]* records, \([0-9.]*\) s collector CPU.*/\1/p')")
	done
	printf '%s\n' "${r[@]}" | med
}
c0=$(cpu 'tracepoint:syscalls:sys_enter_getppid { }')
c1=$(cpu 'tracepoint:syscalls:sys_enter_getppid { @[tid] = count(); }')
c2=$(cpu 'tracepoint:syscalls:sys_enter_getppid { @[comm, tid] = hist(nsecs); }')
awk -v a=$c0 -v b=$c1 -v c=$c2 'BEGIN {
	printf "map update per call (collector CPU over 1M getppid, median of runs): empty probe %.3f s, @[tid] = count() %.3f s (%+.0f ns per call), @[comm, tid] = hist(nsecs) %.3f s (%+.0f ns per call)\n",
		a, b, (b - a) * 1e3, c, (c - a) * 1e3 }'
