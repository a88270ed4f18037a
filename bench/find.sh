#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# bench/run --rewrite's find column alone, for one or two builds: `find
# DIR` (default /usr/include) bare and under `limen trace -e trace=none`
# and `-e trace=openat` (-o /dev/null), every way once a round, ROUNDS
# rounds (default 9); prints the median wall time of each way and the
# median over the rounds of its ratio to bare within the round. With
# BASE=path/to/other/limen, that build's two ways too, before this one's
# in odd rounds and after it in even ones (copies of both builds, as
# bench/compare.sh says: cp -p limen, limen-loader and liblimen.so away).
# Usage: [BASE=...] [LIMEN=...] bench/find.sh [ROUNDS] [DIR]
set -u
cd "$(dirname "$0")/.." || exit 1
rounds=${1:-9}
dir=${2:-/usr/include}
builds=("${LIMEN:-build/limen}")
[ -n "${BASE:-}" ] && builds=("$BASE" "${builds[0]}")
modes=(none openat)
out=$(mktemp)
trap 'rm -f "$out"' EXIT

once() {
	if [ "${CPU:-}" = 1 ]; then
		local TIMEFORMAT='%3U %3S' u
		u=$( { time "$@" >/dev/null 2>&1; } 2>&1)
		awk -v t="$u" 'BEGIN {split(t, a, " "); printf "%d\n", (a[1] + a[2]) * 1e9}'
		return
	fi
	local t0 t1
	t0=$(date +%s%N)
	"$@" >/dev/null 2>&1
	t1=$(date +%s%N)
	echo $((t1 - t0))
}

for ((r = 0; r < rounds; r++)); do
	order=("${!builds[@]}")
	[ $((r % 2)) = 1 ] && [ ${#builds[@]} = 2 ] && order=(1 0)
	declare -A t=()
	t[bare]=$(once find "$dir")
	for b in "${order[@]}"; do
		for m in "${modes[@]}"; do
			t[$b.$m]=$(once "${builds[$b]}" trace -e trace=$m -o /dev/null -- find "$dir")
		done
	done
	line=${t[bare]}
	for b in "${!builds[@]}"; do
		for m in "${modes[@]}"; do
			line+=" ${t[$b.$m]}"
		done
	done
	echo "$line" >>"$out"
	unset t
done

med() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
col=2
printf 'find %s, %d rounds, %s: bare %.1f ms\n' "$dir" "$rounds" \
	"$([ "${CPU:-}" = 1 ] && echo "CPU time" || echo "wall time")" \
	"$(awk '{print $1 / 1e6}' "$out" | med)"
for b in "${!builds[@]}"; do
	for m in "${modes[@]}"; do
		printf '  %-40s trace=%-6s %7.1f ms  %5.3fx bare\n' "${builds[$b]}" "$m" \
			"$(awk -v k=$col '{print $k / 1e6}' "$out" | med)" \
			"$(awk -v k=$col '{print $k / $1}' "$out" | med)"
		col=$((col + 1))
	done
done
