#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Issue 11's loop (build/tests/sysloop 200000 50000) bare and under one or
# two builds of limen, alternating, ROUNDS rounds; prints the medians of
# the traced program's own CPU time (bench/childcpu: what its wait4
# reports, without limen's start-up, collector or end) and of the whole
# command's wall time, as ratios to bare.
# Then the fixed cost of a run, what limen adds whatever the program does:
# `limen trace -o /dev/null -- /bin/true` against bare /bin/true, wall
# time from fork to reap (bench/childcpu), FIXED runs of each per round,
# alternating, medians; and what each exec of a traced tree costs: sh
# running /bin/true 50 times, bare and traced, EXECS runs of each per
# round, the difference per exec. With BASE, the two builds take turns at
# running first. Freshly linked files cost more to map than copies (about
# 0.1 ms a run of `limen trace -- true` here, the page cache's folios):
# BASE should be a copy, and so should this build (cp -p each of limen,
# limen-loader and liblimen.so away and back) for figures within 0.1 ms.
# Usage: bench/compare.sh [ROUNDS]     (default 9)
#        BASE=path/to/other/limen bench/compare.sh [ROUNDS]: both builds
#        FIXED=N: fixed-cost runs per round (default 20; 0: none)
#        EXECS=N: runs of the 50 execs per round (default 3; 0: none)
#        FIXED_ONLY=1: only the fixed cost
set -u
cd "$(dirname "$0")/.." || exit 1
rounds=${1:-9}
B=build
make -s "$B/bench/childcpu" "$B/tests/sysloop" >/dev/null || exit 1
loop=("$B/tests/sysloop" 200000 50000)
builds=("$B/limen")
[ -n "${BASE:-}" ] && builds=("$BASE" "$B/limen")
modes=(none openat full)
out=$(mktemp)

now() { date +%s%N; }
cpu() { sed -n 's/^child wall .* cpu \([0-9.]*\) ms$/\1/p'; }

fixed=${FIXED:-20}
execs=${EXECS:-3}
fout=$(mktemp)
eout=$(mktemp)
trap 'rm -f "$out" "$fout" "$eout"' EXIT
fifty=(/bin/sh -c 'i=0; while [ $i -lt 50 ]; do /bin/true; i=$((i + 1)); done')
# wall ms of one run of "$@", from fork to reap
wall() { "$B/bench/childcpu" "$@" 2>&1 >/dev/null | sed -n 's/^child wall \([0-9.]*\) cpu .*/\1/p'; }

# one run of each build (in the order given, or reversed: the builds
# take turns at going first), the columns in the order given
each() {
	local -a got=() idx=("${!builds[@]}")
	local i

	[ $(($1 % 2)) = 1 ] && [ ${#builds[@]} = 2 ] && idx=(1 0)
	shift
	for i in "${idx[@]}"; do
		got[i]=$(wall "${builds[i]}" trace -o /dev/null -- "$@")
	done
	echo "${got[*]}"
}

for r in $(seq "$rounds"); do
	for ((k = 0; k < fixed; k++)); do
		echo "$(wall /bin/true) $(each $((r + k)) /bin/true)" >>"$fout"
	done
	for ((k = 0; k < execs; k++)); do
		echo "$(wall "${fifty[@]}") $(each $((r + k)) "${fifty[@]}")" >>"$eout"
	done
	[ -n "${FIXED_ONLY:-}" ] && continue
	t=$(now); "${loop[@]}"; w=$(( ($(now) - t) / 1000 ))
	c=$("$B/bench/childcpu" "${loop[@]}" 2>&1 | cpu)
	line="bare $c $w"
	for l in "${builds[@]}"; do
		for m in "${modes[@]}"; do
			e=(-e "trace=$m")
			[ "$m" = full ] && e=()
			c=$("$l" trace "${e[@]}" -o /dev/null -- \
				"$B/bench/childcpu" "${loop[@]}" 2>&1 | cpu)
			t=$(now)
			"$l" trace "${e[@]}" -o /dev/null -- "${loop[@]}"
			w=$(( ($(now) - t) / 1000 ))
			line="$line $c $w"
		done
	done
	echo "$line" >>"$out"
done

# the median of column col over every line read (gawk's asort)
med='
function med(col,   n, i, a) {
	n = 0
	for (i = 1; i <= NR; i++) a[++n] = val[i, col]
	asort(a)
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}'

[ -s "$out" ] && awk -v nb="${#builds[@]}" -v base="${BASE:-}" "$med"'
{ for (i = 2; i <= NF; i++) val[NR, i] = $i }
END {
	bc = med(2); bw = med(3) / 1000
	printf "bare: program CPU %.2f ms, wall %.2f ms (medians of %d)\n", bc, bw, NR
	split("none openat full", m, " ")
	for (b = 0; b < nb; b++) {
		name = nb == 2 && b == 0 ? "BASE" : "this build"
		for (k = 1; k <= 3; k++) {
			col = 4 + b * 6 + (k - 1) * 2
			c = med(col); w = med(col + 1) / 1000
			printf "%-10s trace=%-7s program CPU %6.2f ms %.3fx | wall %6.2f ms %.3fx\n", \
				name, m[k], c, c / bc, w, w / bw
		}
	}
}' "$out"

# the fixed cost: medians of the fork-to-reap wall times
[ -s "$fout" ] && awk -v nb="${#builds[@]}" "$med"'
{ for (i = 1; i <= NF; i++) val[NR, i] = $i }
END {
	b = med(1)
	printf "fixed cost, /bin/true (medians of %d): bare %.3f ms\n", NR, b
	for (k = 0; k < nb; k++) {
		name = nb == 2 && k == 0 ? "BASE" : "this build"
		l = med(2 + k)
		printf "%-10s limen trace -- true %.3f ms: +%.3f ms, %.2fx bare\n", \
			name, l, l - b, l / b
	}
}' "$fout"
[ -s "$eout" ] && awk -v nb="${#builds[@]}" "$med"'
{ for (i = 1; i <= NF; i++) val[NR, i] = $i }
END {
	b = med(1)
	printf "per exec, sh running /bin/true 50 times (medians of %d): bare %.3f ms an exec\n", NR, b / 50
	for (k = 0; k < nb; k++) {
		name = nb == 2 && k == 0 ? "BASE" : "this build"
		l = med(2 + k)
		printf "%-10s traced: %.3f ms an exec, +%.3f ms\n", name, l / 50, (l - b) / 50
	}
}' "$eout"
