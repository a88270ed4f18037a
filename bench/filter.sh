#!/usr/bin/env bash
# What a filter costs a call it rejects (issue 12: within 10 ns of a call
# that is not recorded at all), measured in the traced program itself
# (tests/progs/filt.c "time": clock_gettime is the vDSO's, no system call):
# ns per call, median of RUNS runs of N calls, the configurations
# interleaved so that the machine's noise falls on all of them alike.
# Not a test: it asserts nothing.
# Usage: bench/filter.sh [RUNS] [N]   (default 9 runs of 200000 calls)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-9}
N=${2:-200000}
P=build/tests/filt
L=build/limen
declare -A t
names=(
	"close bare"
	"close unselected (-e trace=none)"
	"close rejected (--filter 'fd == 3')"
	"close rejected at its exit (-z)"
	"openat unselected (-e trace=none)"
	"openat rejected (--filter 'filename ~ \"/etc/*\"')"
	"openat rejected, --no-stable-inputs"
)
run() {
	case $1 in
	0) $P time "$N" close ;;
	1) $L trace -o /dev/null -e trace=none -- $P time "$N" close ;;
	2) $L trace -o /dev/null -e trace=close --filter 'fd == 3' -- $P time "$N" close ;;
	3) $L trace -o /dev/null -e trace=close -z -- $P time "$N" close ;;
	4) $L trace -o /dev/null -e trace=none -- $P time "$N" openat ;;
	5) $L trace -o /dev/null -e trace=openat --filter 'filename ~ "/etc/*"' -- $P time "$N" openat ;;
	6) $L trace -o /dev/null -e trace=openat --no-stable-inputs --filter 'filename ~ "/etc/*"' -- $P time "$N" openat ;;
	esac
}
for ((r = 0; r < RUNS; r++)); do
	for i in "${!names[@]}"; do
		t[$i]+="$(run "$i") "
	done
done
for i in "${!names[@]}"; do
	printf '%-48s %8s ns/call\n' "${names[$i]}" \
		"$(printf '%s\n' ${t[$i]} | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')"
done
