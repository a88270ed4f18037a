#!/bin/bash
# SPDX-License-Identifier: MIT
#
# When no output shows or counts time, a thread alone in the session
# stamps its records with a counter instead of the clock (runtime/lone.c).
# The trace must stay the one the real clock gives: each mode of
# tests/progs/lone_order.c fixes the order of its marks across threads
# and processes with pipes (a thread or child that still lives while the
# main thread goes on, a fork, fork+exec, vfork+exec, a thread that ended,
# two threads in turn, a parent waiting for one child while another
# lives on), and the marks must come in that order, as with
# LIMEN_REAL_CLOCK=1.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin lone_order)

rounds='BsMgBsMgBsMgBsMgBsMg'
# the marks in the order of the calls' entries (a call's line, or its
# "<unfinished ...>" line)
marks() { grep -o 'write([0-9]*, "[A-Za-z]", 1' "$1" | sed 's/.*"\(.\)".*/\1/' | tr -d '\n'; }

for mode in thread fork forkexec vfork exitfirst twice waitpark; do
	case $mode in
	waitpark) want=AXsBMgNCD ;;
	exitfirst) want=ABCD ;;
	twice) want=ABMNCD ;;
	*) want=A${rounds}CD ;;
	esac
	run_limen trace -f -e trace=write -o "$tmp/$mode.lone" -- "$prog" $mode
	is "$?" 0 "$mode: exit status"
	is "$(marks "$tmp/$mode.lone")" "$want" \
		"$mode: the records of the threads and processes in the order they happened"
	LIMEN_REAL_CLOCK=1 run_limen trace -f -e trace=write -o "$tmp/$mode.real" -- "$prog" $mode
	is "$(marks "$tmp/$mode.real")" "$want" "$mode: the same order with the real clock"
done

# one thread: the whole trace as with the real clock (the calls whose
# lines do not change from run to run)
sl=$(testbin sysloop)
run_limen trace -e trace=openat,close,exit_group -o "$tmp/one.lone" -- "$sl" 200 50
LIMEN_REAL_CLOCK=1 run_limen trace -e trace=openat,close,exit_group -o "$tmp/one.real" -- "$sl" 200 50
trace_body "$tmp/one.lone" >"$tmp/one.lone.b"
trace_body "$tmp/one.real" >"$tmp/one.real.b"
ok_if "one thread: its calls there" grep -q -c 'openat(AT_FDCWD, "/etc/hostname"' "$tmp/one.lone.b"
same_file "$tmp/one.lone.b" "$tmp/one.real.b" "one thread: the trace the real clock gives"

# threads.c: 8 threads at once, each 100 open/read/close
th=$(testbin threads)
run_limen trace -f -e trace=openat,read,close -o "$tmp/th.lone" -- "$th" >/dev/null
is "$?" 0 "threads: exit status"
busy=0
for t in $(tids_of "$tmp/th.lone" openat); do
	n=$(grep -c "^$t .*openat(AT_FDCWD, \"/etc/hostname\"" "$tmp/th.lone")
	[ "$n" -ge 100 ] && busy=$((busy + 1))
done
is "$busy" 8 "threads: 8 threads, each with its 100 opens"
# each thread's calls in its own order: open, read, close
bad=$(awk '{ t = $1; if ($2 ~ /^openat\(/) s[t] = "o"; else if ($2 ~ /^read\(/ && s[t] == "o") s[t] = "r"; else if ($2 ~ /^close\(/ && (s[t] == "r" || s[t] == "o")) s[t] = "c" }
	$2 ~ /^read\(/ && $0 !~ /resumed/ && s[t] != "r" && s[t] != "o" { b++ } END { print b + 0 }' "$tmp/th.lone")
is "$bad" 0 "threads: each thread's reads come after its open"

# a call told as suspended once it has been open 200 ms: a counter's
# stamp lags the clock, the collector then counts from when it took the
# entry. 400 ms alone, then a call that blocks 100 ms: told whole.
run_limen trace -e trace=nanosleep,clock_nanosleep -o "$tmp/lag" -- "$prog" lag
is "$(grep -c nanosleep "$tmp/lag")" 1 \
	"a call blocked 100 ms after 400 ms alone is one line, not unfinished and resumed"
: its trace is still whole
out=$(run_limen trace -f -e trace=getppid -o "$tmp/scr" -- "$(testbin lone_scribble)")
is "$?" 0 "scribbled count: limen and the program end well"
is "$out" "scribbled, then 3000 calls" "scribbled count: the program's output"
is "$(count_calls "$tmp/scr" getppid)" 3000 "scribbled count: each call recorded"
done_testing
