#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Time family: clock_gettime/clock_getres, gettimeofday, time, nanosleep,
# clock_nanosleep (relative, absolute), itimers, alarm, POSIX timers, timerfd,
# times, errors. Values the kernel returns are printed as the program got them.
#
# tests/progs/fam_time.c makes each call with raw syscall() and known
# arguments, and writes the exact line limen must print for it (strace's
# rendering, checked against strace 6.1) to an expected file. Every expected
# line must appear in the trace, in order (other lines may come between):
# one check per expected line. The program checks the results of its own
# calls and exits non-zero if one did not behave as assumed.
. "$(dirname "$0")/../lib.sh"
need_limen

prog=$(testbin fam_time)
[ -x "$prog" ] || skip_all "fam_time not built; run make first"

# in_order EXPECTED TRACE LABEL: one TAP check per line of EXPECTED; the
# expected lines must appear in TRACE (trace_body form) in the same order,
# other lines may come between. The longest common subsequence of the two
# decides which expected lines are matched, so that one line out of place
# fails alone. On failure, the trace line most like the expected one (same
# call name, longest common prefix) is shown.
in_order() {
	local st want got
	perl -e '
		open my $e, "<", $ARGV[0] or die; open my $t, "<", $ARGV[1] or die;
		my @x = <$e>; my @t = <$t>; chomp @x; chomp @t;
		my ($n, $m) = (scalar @x, scalar @t);
		my @L; # L[i][j]: LCS of x[i..] and t[j..]
		for (my $i = $n; $i >= 0; $i--) {
			for (my $j = $m; $j >= 0; $j--) {
				$L[$i][$j] = ($i == $n || $j == $m) ? 0
					: $x[$i] eq $t[$j] ? $L[$i + 1][$j + 1] + 1
					: $L[$i + 1][$j] >= $L[$i][$j + 1] ? $L[$i + 1][$j] : $L[$i][$j + 1];
			}
		}
		my ($i, $j, %hit) = (0, 0);
		while ($i < $n && $j < $m) {
			if ($x[$i] eq $t[$j]) { $hit{$i} = 1; $i++; $j++ }
			elsif ($L[$i + 1][$j] >= $L[$i][$j + 1]) { $i++ }
			else { $j++ }
		}
		for my $k (0 .. $n - 1) {
			my $w = $x[$k];
			if ($hit{$k}) { print "ok\t$w\n"; next }
			if (grep { $_ eq $w } @t) { print "not\t$w\t(present, but out of order)\n"; next }
			my ($nm) = $w =~ /^([a-z_0-9]+)\(/; $nm //= "";
			my ($best, $bl) = ("(none)", -1);
			for my $c (@t) {
				next if $nm ne "" && index($c, "$nm(") != 0;
				my $l = 0; $l++ while $l < length($w) && $l < length($c)
					&& substr($w, $l, 1) eq substr($c, $l, 1);
				($best, $bl) = ($c, $l) if $l > $bl;
			}
			print "not\t$w\t$best\n";
		}' "$1" "$2" >"$2.match"
	while IFS=$'\t' read -r st want got; do
		if [ "$st" = ok ]; then
			pass "$3: $want"
		else
			fail "$3: $want" "want: $want" "got:  $got"
		fi
	done <"$2.match"
}

# run_fam LABEL [LIMEN OPTIONS...]: trace the program, check its status and
# its expected lines. The -s value, if any, is passed to the program too.
run_fam() {
	local label=$1 s=
	shift
	[ "${1:-}" = -s ] && s=$2
	local d=$tmp/$label
	mkdir -p "$d"
	limen_trace "$d/trace" "$@" -- "$prog" "$d/work" "$d/expected" $s \
		</dev/null >"$d/out" 2>"$d/err"
	local st=$?
	if [ "$st" = 0 ]; then
		pass "$label: fam_time exits 0 under limen"
	else
		fail "$label: fam_time exits 0 under limen" "status $st" \
			"$(head -n 20 "$d/err")"
	fi
	if [ ! -s "$d/expected" ]; then
		fail "$label: fam_time wrote its expected lines" "$(head -n 20 "$d/err")"
		return 0
	fi
	trace_body "$d/trace" >"$d/body"
	in_order "$d/expected" "$d/body" "$label"
}

run_fam default
done_testing
