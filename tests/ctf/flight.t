#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# limen record --flight SIZE: the last SIZE bytes of events in memory,
# saved as a recording of their own (DIR/snapshot-N) when a trigger fires,
# on SIGUSR1, or at the end when no trigger is given.
. "$(dirname "$0")/../lib.sh"
need_limen

# many calls (each cat is a few dozen), then the one that triggers
busy='cat /nonexistent-first 2>/dev/null; for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do cat /etc/hostname >/dev/null; done; cat /nonexistent-trigger 2>/dev/null; cat /nonexistent-after 2>/dev/null; echo out; exit 3'

run_limen record -o "$tmp/a" --flight 64K --trigger 'openat:failed:match=trigger' \
	-- sh -c "$busy" >"$tmp/a.out" 2>"$tmp/a.err"
st=$?
ok_if "flight_program_runs_as_bare (status $st)" \
	test "$st" -eq 3 -a "$(cat "$tmp/a.out")" = out || diag_file "$tmp/a.err"
ok_if "flight_trigger_writes_one_snapshot" \
	test -d "$tmp/a/snapshot-1" -a ! -e "$tmp/a/snapshot-2" || diag_file "$tmp/a.err"
run_limen report "$tmp/a/snapshot-1" >"$tmp/a.txt" 2>&1
ok_if "flight_snapshot_holds_the_trigger_call" \
	grep -q '^\[pid *[0-9]*\] openat(AT_FDCWD, "/nonexistent-trigger", O_RDONLY) = -1 ENOENT' "$tmp/a.txt" || diag_file "$tmp/a.txt"
ok_if "flight_snapshot_says_which_trigger_fired_and_on_what" \
	grep -q "^+++ limen: snapshot 1: trigger 'openat:failed:match=trigger' fired: \[pid [0-9]*\] openat(AT_FDCWD, \"/nonexistent-trigger\", O_RDONLY) = -1 ENOENT (No such file or directory) <[0-9.]*> +++\$" "$tmp/a.txt" || diag_file "$tmp/a.txt"
ok_if "flight_window_drops_the_oldest_events" \
	eval '! grep -q nonexistent-first "$tmp/a.txt"'
ok_if "flight_snapshot_counts_what_the_window_lost" \
	grep -qE '^\+\+\+ limen: flight recorder: [1-9][0-9]* earlier events are not in this window \(65536 bytes\) \+\+\+$' "$tmp/a.txt" || diag_file "$tmp/a.txt"
ok_if "flight_snapshot_stops_at_the_trigger" \
	eval '! grep -q nonexistent-after "$tmp/a.txt"'
ok_if "flight_snapshot_keeps_process_starts_it_lost" \
	eval '! grep -q "not traced" "$tmp/a.txt"' || diag_file "$tmp/a.txt"

# --flight-after: what follows the trigger goes into its snapshot too
run_limen record -o "$tmp/b" --flight 1M --flight-after 10s \
	--trigger 'openat:failed:match=trigger' -- sh -c "$busy" >/dev/null 2>"$tmp/b.err"
run_limen report "$tmp/b/snapshot-1" >"$tmp/b.txt" 2>&1
ok_if "flight_after_window_takes_the_calls_after_the_trigger" \
	grep -q 'openat(AT_FDCWD, "/nonexistent-after"' "$tmp/b.txt" || diag_file "$tmp/b.txt"
ok_if "flight_window_large_enough_keeps_everything" \
	eval 'grep -q nonexistent-first "$tmp/b.txt" && ! grep -q "earlier events" "$tmp/b.txt"' || diag_file "$tmp/b.txt"

# no trigger: one snapshot at the end, the last events
run_limen record -o "$tmp/c" --flight 64K -- sh -c "$busy" >/dev/null 2>"$tmp/c.err"
run_limen report "$tmp/c/snapshot-1" >"$tmp/c.txt" 2>&1
ok_if "flight_without_trigger_saves_the_end" \
	eval 'grep -q "exit_group(3)" "$tmp/c.txt" && grep -q "snapshot 1: the end of the trace" "$tmp/c.txt"' || diag_file "$tmp/c.txt"

# a slow call
run_limen record -o "$tmp/d" --flight 1M --trigger 'clock_nanosleep,nanosleep:slow=150ms' \
	-- sh -c 'cat /etc/hostname >/dev/null; sleep 0.3; exit 0' >/dev/null 2>"$tmp/d.err"
run_limen report "$tmp/d/snapshot-1" >"$tmp/d.txt" 2>&1
ok_if "flight_slow_trigger_fires_on_the_slow_call" \
	grep -qE "trigger 'clock_nanosleep,nanosleep:slow=150ms' fired: \[pid [0-9]+\] (clock_)?nanosleep\(.* <(0\.[3-9]|[1-9][0-9]*\.)[0-9]*> \+\+\+" "$tmp/d.txt" || diag_file "$tmp/d.txt"
ok_if "flight_slow_trigger_ignores_fast_calls" test ! -e "$tmp/d/snapshot-2"

# a signal
run_limen record -o "$tmp/e" --flight 1M --trigger 'signal=USR2' \
	-- sh -c 'trap "echo got" USR2; kill -USR2 $$; echo done' >"$tmp/e.out" 2>"$tmp/e.err"
run_limen report "$tmp/e/snapshot-1" >"$tmp/e.txt" 2>&1
ok_if "flight_signal_trigger_fires" \
	grep -q "trigger 'signal=USR2' fired: \[pid [0-9]*\] --- SIGUSR2 ---" "$tmp/e.txt" || diag_file "$tmp/e.txt"
is "$(cat "$tmp/e.out")" "$(printf 'got\ndone')" "flight_signal_program_output_as_bare"

# SIGUSR1 to limen takes a snapshot now
# (limen itself, not run_limen's timeout, gets the signal). The program
# says it runs (limen's handler is set before it starts), then waits on a
# fifo the test opens only once the signal is sent: limen sees the
# signal before the program's end, however slow the machine
rm -f "$tmp/ready"
mkfifo "$tmp/go"
"$LIMEN" record -o "$tmp/f" --flight 1M --trigger 'openat:match=never-opened' \
	-- sh -c ": >$tmp/ready; read x <$tmp/go" >/dev/null 2>"$tmp/f.err" &
lp=$!
while [ ! -e "$tmp/ready" ] && kill -0 "$lp" 2>/dev/null; do sleep 0.05; done
kill -USR1 "$lp"
: >"$tmp/go"
wait "$lp"
st=$?
run_limen report "$tmp/f/snapshot-1" >"$tmp/f.txt" 2>&1
ok_if "flight_sigusr1_takes_a_snapshot (limen status $st)" \
	grep -q "snapshot 1: taken on SIGUSR1" "$tmp/f.txt" || diag_file "$tmp/f.err"

# --flight-max: later triggers are counted, and said
run_limen record -o "$tmp/g" --flight 64K --flight-max 1 --trigger 'openat:failed' \
	-- sh -c 'cat /no1 /no2 /no3 2>/dev/null; exit 0' >/dev/null 2>"$tmp/g.err"
ok_if "flight_max_bounds_the_snapshots" \
	eval 'test -d "$tmp/g/snapshot-1" -a ! -e "$tmp/g/snapshot-2" && grep -q "limen: flight recorder: [1-9][0-9]* more triggers fired after the last of 1 snapshots; not saved" "$tmp/g.err"' || diag_file "$tmp/g.err"

if command -v babeltrace2 >/dev/null; then
	babeltrace2 "$tmp/a/snapshot-1" >"$tmp/bt.out" 2>"$tmp/bt.err"
	st=$?
	ok_if "babeltrace2_reads_a_flight_snapshot (status $st)" \
		test "$st" -eq 0 -a ! -s "$tmp/bt.err" -a -s "$tmp/bt.out" || diag_file "$tmp/bt.err"
else
	skip "babeltrace2_reads_a_flight_snapshot" "no babeltrace2 (Debian: babeltrace2)"
fi

# bad options: one line, status 1
bad() {
	local name=$1 want=$2; shift 2
	run_limen "$@" -- true >/dev/null 2>"$tmp/bad.err"
	local st=$?
	ok_if "$name (status $st)" eval 'test $st -eq 1 && grep -q -- "$want" "$tmp/bad.err" && test $(wc -l <"$tmp/bad.err") -eq 1' || diag_file "$tmp/bad.err"
}
bad flight_is_for_record "are options of limen record" trace --flight 1M
bad trigger_needs_flight "need --flight SIZE" record -o "$tmp/z" --trigger openat
bad flight_size_checked "invalid --flight '12'" record -o "$tmp/z" --flight 12
bad trigger_condition_checked "unknown condition 'fialed'" record -o "$tmp/z" --flight 1M --trigger openat:fialed
bad trigger_duration_checked "invalid duration 'soon'" record -o "$tmp/z" --flight 1M --trigger openat:slow=soon
bad trigger_regex_checked "invalid regular expression" record -o "$tmp/z" --flight 1M --trigger 'openat:match=(('
bad trigger_set_checked "invalid system call 'nosuch'" record -o "$tmp/z" --flight 1M --trigger nosuch:failed
bad trigger_signal_checked "invalid signal 'NOPE'" record -o "$tmp/z" --flight 1M --trigger signal=NOPE
done_testing
