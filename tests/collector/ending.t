#!/usr/bin/env bash
# How a trace ends when it does not end with the program: a write error
# is reported and never exits 0; SIGTERM or SIGHUP to limen finish the trace
# with a marker, pass the signal on to the command and end limen by it.
. "$(dirname "$0")/../lib.sh"
need_limen
plan 8

if [ -w /dev/full ]; then
	run_limen trace -o /dev/full -- true </dev/null >/dev/null 2>"$tmp/full.err"
	st=$?
	ok_if "write_error_exits_nonzero (status $st)" test "$st" -ne 0
	ok_if "write_error_is_reported" grep -q -x 'limen: /dev/full: No space left on device' "$tmp/full.err"
else
	skip "write_error_exits_nonzero" "no writable /dev/full"
	skip "write_error_is_reported" "no writable /dev/full"
fi

# wait_for FILE PATTERN: up to 10 s for PATTERN to show up in FILE
wait_for() {
	for _ in $(seq 100); do
		grep -q -E "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

for sig in TERM HUP; do
	out=$tmp/$sig
	"$LIMEN" trace -o "$out" -- sleep 30 </dev/null >/dev/null 2>&1 &
	lpid=$!
	wait_for "$out" 'clock_nanosleep|nanosleep' || diag "sleep never showed"
	kill -$sig $lpid
	{ wait $lpid; } 2>/dev/null
	st=$?
	want=$((128 + $(kill -l $sig)))
	is "$st" "$want" "SIG$sig: limen ends by the signal"
	ok_if "SIG${sig}_finishes_the_trace_with_a_marker" \
		bash -c "tail -n 1 '$out' | grep -q -x '+++ limen: stopped by SIG$sig +++'"
	cmdpid=$(awk '{print $1; exit}' "$out")
	gone=no
	for _ in $(seq 50); do
		if ! kill -0 "$cmdpid" 2>/dev/null ||
			grep -q '^State:.*Z' "/proc/$cmdpid/status" 2>/dev/null; then
			gone=yes
			break
		fi
		sleep 0.1
	done
	is "$gone" yes "SIG${sig}_is_passed_on_to_the_command"
	kill -KILL "$cmdpid" 2>/dev/null
done
