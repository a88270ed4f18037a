#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Memory family: mmap (anonymous, shared, file with offset, fixed, errors),
# mprotect, madvise, msync, mlock, mincore, mremap, munmap, brk.
#
# tests/progs/fam_memory.c makes each call with raw syscall() and known
# arguments, and writes the exact line limen must print for it (strace's
# rendering, checked against strace 6.1) to an expected file. Every expected
# line must appear in the trace, in order (other lines may come between):
# one check per expected line. The program checks the results of its own
# calls and exits non-zero if one did not behave as assumed.
. "$(dirname "$0")/../lib.sh"
need_limen

prog=$(testbin fam_memory)
[ -x "$prog" ] || skip_all "fam_memory not built; run make first"

# in_order EXPECTED TRACE LABEL: one TAP check per line of EXPECTED, which
# must be found in TRACE (trace_body form) after the line the previous
# expected line matched. On failure, the trace line most like the expected
# one (same call name, longest common prefix) is shown.
in_order() {
	local line
	perl -e '
		open my $e, "<", $ARGV[0] or die; open my $t, "<", $ARGV[1] or die;
		my @t = <$t>; chomp @t; my $pos = 0;
		while (my $x = <$e>) {
			chomp $x;
			my $hit;
			for my $i ($pos .. $#t) {
				if ($t[$i] eq $x) { $hit = $i; last }
			}
			if (defined $hit) { print "ok\t$x\n"; $pos = $hit + 1; next }
			my ($n) = $x =~ /^([a-z_0-9]+)\(/; $n //= "";
			my ($best, $bl) = ("(none)", -1);
			for my $i (0 .. $#t) {
				my $c = $t[$i];
				next if $n ne "" && index($c, "$n(") != 0;
				my $l = 0; $l++ while $l < length($x) && $l < length($c)
					&& substr($x, $l, 1) eq substr($c, $l, 1);
				if ($l > $bl) { ($best, $bl) = ($c, $l) }
			}
			$best .= "   (before the previous match)"
				if $best ne "(none)" && !grep { $t[$_] eq $best } $pos .. $#t;
			print "not\t$x\t$best\n";
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
		pass "$label: fam_memory exits 0 under limen"
	else
		fail "$label: fam_memory exits 0 under limen" "status $st" \
			"$(head -n 20 "$d/err")"
	fi
	if [ ! -s "$d/expected" ]; then
		fail "$label: fam_memory wrote its expected lines" "$(head -n 20 "$d/err")"
		return 0
	fi
	trace_body "$d/trace" >"$d/body"
	in_order "$d/expected" "$d/body" "$label"
}

run_fam default
done_testing
