#!/usr/bin/env bash
# limen's own start-up and shut-down do no work a short trace does not need:
# the collector waits for nothing before it starts the command (the clock's
# line needs no nap: every drain samples it first), a trace of a few lines
# is formatted inline (no decode thread started, joined, its batches
# allocated), libdw is loaded only for -k, and the times it prints still
# lie within the run.
. "$(dirname "$0")/../lib.sh"
need_limen
plan 6

if command -v strace >/dev/null; then
	# limen's own calls (its thread only: -f would follow the command)
	LIMEN_DECODE_THREADS=3 strace -o "$tmp/st" "$LIMEN" trace -o /dev/null \
		-- true </dev/null >/dev/null 2>&1
	sed -n '1,/^\(clone\|vfork\)/p' "$tmp/st" >"$tmp/before"
	ok_if "the_collector_sleeps_before_nothing_it_starts" \
		test "$(grep -c -E '^(clock_)?nanosleep\(' "$tmp/before")" -eq 0
	diag_file "$tmp/before"
	ok_if "a_short_trace_starts_no_decode_thread" \
		test "$(grep -c -E '^clone3?\(.*CLONE_THREAD' "$tmp/st")" -eq 0
else
	skip "the_collector_sleeps_before_nothing_it_starts" "strace is not installed"
	skip "a_short_trace_starts_no_decode_thread" "strace is not installed"
fi

# -ttt: every time printed lies between the clock read before limen
# started and the one after it ended (the line through its samples,
# however close they were, is not extrapolated outside them)
t0=$(date +%s.%N)
"$LIMEN" trace -ttt -o "$tmp/t" -- cat /etc/hostname </dev/null >/dev/null 2>&1
t1=$(date +%s.%N)
n=$(awk -v a="$t0" -v b="$t1" '
	$2 ~ /^[0-9]+\.[0-9]+$/ { n++; if ($2 + 0 < a - 0.000001 || $2 + 0 > b + 0.000001) bad++ }
	END { print (n > 5 && !bad) ? "ok" : "bad " n " " bad }' "$tmp/t")
is "$n" "ok" "times_printed_lie_within_the_run"
diag_file "$tmp/t"

# -T: a call that lasts 200 ms is told as lasting at least that (the
# line's slope comes from samples taken around it, not from a nap before)
"$LIMEN" trace -T -e trace=clock_nanosleep,nanosleep -o "$tmp/T" -- sleep 0.2 </dev/null >/dev/null 2>&1
d=$(sed -n 's/.*<\([0-9.]*\)>$/\1/p' "$tmp/T" | head -1)
ok_if "a_200_ms_sleep_is_told_lasting_200_ms_or_more ($d)" \
	awk -v d="${d:-0}" 'BEGIN { exit !(d >= 0.199) }'
diag_file "$tmp/T"

# libdw (and libelf, libz, liblzma, libbz2) only when -k unwinds: the
# command's parent is limen, whose mappings it reads
n=$("$LIMEN" trace -o /dev/null -- sh -c 'grep -c libdw /proc/$PPID/maps' </dev/null 2>/dev/null)
is "$n" "0" "limen_maps_no_libdw_without_-k"
if "$LIMEN" trace -k -o /dev/null -- true </dev/null >/dev/null 2>&1; then
	n=$("$LIMEN" trace -k -o /dev/null -- sh -c 'grep -c libdw /proc/$PPID/maps' </dev/null 2>/dev/null)
	ok_if "-k_loads_libdw ($n mappings)" test "${n:-0}" -gt 0
else
	skip "-k_loads_libdw" "this limen was built without libdw"
fi
