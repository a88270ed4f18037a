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

# 3. a selective predicate pushed into the process: the records drained,
#    the collector's CPU and the wall time with push-down and without it
#    (LIMEN_BT_PUSH=0: the collector evaluates the predicate alone), over
#    tests/progs/bt_paths.c (4 opens per round, one of them /dev/zero)
SEL='tracepoint:syscalls:sys_enter_openat /str(args.filename) == "/dev/zero"/ { @ = count(); }'
P=build/tests/bt_paths K=50000
stats() {
	local r=() c=() w=() t0 t1 out
	for ((i = 0; i < RUNS; i++)); do
		t0=$(date +%s%N)
		out=$(env "$1" LIMEN_STATS=1 $LIMEN bt -e "$SEL" -- $P $K 2>&1 >/dev/null)
		t1=$(date +%s%N)
		r+=("$(sed -n 's/^limen: stats: \([0-9]*\) records.*/\1/p' <<<"$out")")
		c+=("$(sed -n 's/^limen: stats: [0-9]* records, \([0-9.]*\) s collector CPU.*/\1/p' <<<"$out")")
		w+=($((t1 - t0)))
	done
	echo "$(printf '%s\n' "${r[@]}" | med) $(printf '%s\n' "${c[@]}" | med) $(printf '%s\n' "${w[@]}" | med)"
}
read -r r1 c1 w1 <<<"$(stats LIMEN_BT_PUSH=1)"
read -r r0 c0 w0 <<<"$(stats LIMEN_BT_PUSH=0)"
bare=$(wall $P $K)
echo "'$SEL' over bt_paths $K (4 openat per round), median of $RUNS:"
awk -v r1=$r1 -v c1=$c1 -v w1=$w1 -v r0=$r0 -v c0=$c0 -v w0=$w0 -v b=$bare 'BEGIN {
	printf "  pushed into the process: %d records, collector CPU %.3f s, wall %.0f ms\n", r1, c1, w1 / 1e6
	printf "  collector only:          %d records, collector CPU %.3f s, wall %.0f ms\n", r0, c0, w0 / 1e6
	printf "  bare: %.0f ms\n", b / 1e6 }'
