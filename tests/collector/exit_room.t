#!/usr/bin/env bash
# A call whose exit will have nothing to capture keeps the room of its EXIT
# record behind its ENTER, reserved together (ring.c, limen_rec_sys_pair):
# the trace must be the one two reservations gave. Signals come at any
# point of such calls and their handlers make such calls too: every call
# told once, complete, each handler's call right after its signal, nothing
# lost, under the default ring and under a 16 KiB one that makes the
# program wait for the collector. And the ENTER is published before the
# call, so that a call that blocks is seen while it blocks.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin pair_signals)
[ -x "$prog" ] || skip_all "tests/progs/pair_signals not built"
plan 13
_timeout=(timeout -k 5 60)

check() { # NAME TRACE OUT
	local t=$2 main n k
	read -r _ n _ k <"$3"
	main=$(grep -m1 -o -E '^[0-9]+ +execve\(' "$t" | grep -o -E '^[0-9]+')
	trace_join "$t" | grep -E "^$main " | sed -E "s/^$main +//" >"$tmp/main"
	is "$(grep -c -E '^getppid\(\) += [0-9]+$' "$tmp/main")" "$n" \
		"$1: signals_at_any_point_of_calls_with_their_exit's_room_lose_none ($n getppid)"
	# a call the signal came before (made again after the handler): told
	# as strace tells it, right before the signal
	is "$(awk '/^getppid\(/ && !/^getppid\(\) += [0-9]+$/ {
			if ($0 ~ /^getppid\(\) += \? ERESTARTNOINTR \(To be restarted\)$/) { u = 1; next }
			bad++ }
		u { if (!/^--- SIGUSR1 /) bad++; u = 0 }
		END { print bad + 0 }' "$tmp/main")" 0 \
		"$1: every other getppid is one the signal came before"
	is "$(grep -c -E '^--- SIGUSR1 ' "$tmp/main")" "$k" "$1: every signal told once ($k)"
	# the handler's first call, told right after its signal
	is "$(awk '/^--- SIGUSR1 /{s=1; next} s{if (/^getpid\(\) += [0-9]+$/) c++; s=0} END{print c+0}' "$tmp/main")" \
		"$k" "$1: a_handler's_call_comes_right_after_its_signal"
	ok_if "$1: no call of the main process left unfinished, nothing lost" \
		bash -c "! grep -q -E 'unfinished|resumed|lost' '$tmp/main'"
}

limen_trace "$tmp/t1" -f -- "$prog" </dev/null >"$tmp/o1" 2>"$tmp/e1"
is "$?" 0 "pair_signals: exit status 0 under limen"
check "4 MiB rings" "$tmp/t1" "$tmp/o1"
limen_trace "$tmp/t2" -f --ring-size 16K -- "$prog" </dev/null >"$tmp/o2" 2>"$tmp/e2"
is "$?" 0 "pair_signals: exit status 0 under limen, 16 KiB rings"
check "16 KiB rings" "$tmp/t2" "$tmp/o2"

# pause(): its ENTER is in the trace while it blocks (the collector tells a
# call blocked for 200 ms as unfinished); then SIGUSR1 ends it
"${_timeout[@]}" "$LIMEN" trace -o "$tmp/t3" -- "$prog" "$tmp/pid" </dev/null \
	>/dev/null 2>&1 &
lim=$!
seen=no
for _ in $(seq 200); do
	if [ -s "$tmp/pid" ] && grep -q -E '^[0-9]* *pause\( <unfinished \.\.\.>$' "$tmp/t3" 2>/dev/null; then
		seen=yes
		break
	fi
	sleep 0.05
done
[ -s "$tmp/pid" ] && kill -USR1 "$(cat "$tmp/pid")" 2>/dev/null
wait $lim
ok_if "a_blocked_call_whose_exit_room_is_kept_is_seen_while_it_blocks" test "$seen" = yes
