#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# An open of a plain path on the quick way whose exit will have nothing to
# capture keeps the room of its EXIT record behind its ENTER, reserved
# together (quickpath.c, ring.c's limen_rec_reserve_pair): the trace must
# be the one two reservations gave. Signals come at any point of such
# calls and their handlers open paths too (tests/progs/path_pair_signals):
# every open told once and complete, each handler's open right after its
# signal, nothing lost, whether opens alone are traced or everything,
# under the default ring and under a 16 KiB one that makes the program
# wait for the collector.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin path_pair_signals)
[ -x "$prog" ] || skip_all "tests/progs/path_pair_signals not built"
_timeout=(timeout -k 5 60)

d=$tmp/d
mkdir "$d" && : >"$d/f" && : >"$d/h"

check() { # NAME TRACE OUT
	local t=$2 main n k
	read -r _ n _ k <"$3"
	main=$(grep -m1 -o -E '^[0-9]+ +(execve|openat)\(' "$t" | grep -o -E '^[0-9]+')
	trace_join "$t" | grep -E "^$main " | sed -E "s/^$main +//" >"$tmp/main"
	is "$(grep -c -E '^openat\(AT_FDCWD, "f", O_RDONLY\) += [0-9]+$' "$tmp/main")" "$n" \
		"$1: signals_at_any_point_of_path_calls_with_their_exit's_room_lose_none ($n opens)"
	# an open the signal came before (made again after the handler):
	# told as strace tells it, right before the signal
	is "$(awk '/^openat\(AT_FDCWD, "f"/ && !/^openat\(AT_FDCWD, "f", O_RDONLY\) += [0-9]+$/ {
			if ($0 ~ / += \? ERESTARTNOINTR \(To be restarted\)$/) { u = 1; next }
			bad++ }
		u { if (!/^--- SIGUSR1 /) bad++; u = 0 }
		END { print bad + 0 }' "$tmp/main")" 0 \
		"$1: every other open of f is one the signal came before"
	is "$(grep -c -E '^--- SIGUSR1 ' "$tmp/main")" "$k" "$1: every signal told once ($k)"
	is "$(awk '/^--- SIGUSR1 /{s=1; next} s{if (/^openat\(AT_FDCWD, "h", O_RDONLY\) += [0-9]+$/) c++; s=0} END{print c+0}' "$tmp/main")" \
		"$k" "$1: a_handler's_open_comes_right_after_its_signal"
	ok_if "$1: no call of the main process left unfinished, nothing lost" \
		bash -c "! grep -q -E 'unfinished|resumed|lost' '$tmp/main'"
}

i=0
for ring in 4M 16K; do
	for sel in openat all; do
		e=(-e trace=openat,close)
		[ $sel = all ] && e=()
		i=$((i + 1))
		(cd "$d" && _run_to "$tmp/r$i" "$LIMEN" trace -f --ring-size "$ring" \
			"${e[@]+"${e[@]}"}" -o "$tmp/t$i" -- "$prog")
		is "$(cat "$tmp/r$i.st")" 0 "path_pair_signals: exit status 0 ($ring, $sel)"
		check "$ring rings, $sel" "$tmp/t$i" "$tmp/r$i.out"
	done
done
done_testing
