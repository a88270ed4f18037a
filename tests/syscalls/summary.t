#!/usr/bin/env bash
# -c and -C: strace's summary table (calls, errors, time per system call).
. "$(dirname "$0")/../lib.sh"
need_limen
plan 8

out=$tmp/c
"$LIMEN" trace -c -o "$out" -- "$(testbin sysloop)" 1000 10 >/dev/null
is "$?" 0 "-c: the program's status"
is "$(head -n1 "$out")" "% time     seconds  usecs/call     calls    errors syscall" \
	"-c: strace's header"
ok_if "-c: getppid counted 1000 times" \
	grep -q -E '^ *[0-9.]+ +[0-9.]+ +[0-9]+ +1000 +getppid$' "$out"
# the program's own calls over those before main (ld.so's openat and close
# when the trace starts at its first instruction): a run without the loop's
# opens is the baseline
calls() { # FILE NAME: the calls column (4th) of NAME's row, 0 without one
	awk -v n="$2" '$NF == n { c = $4 } END { print c + 0 }' "$1"
}
"$LIMEN" trace -c -o "$tmp/c0" -- "$(testbin sysloop)" 1000 0 >/dev/null
is "$(calls "$out" openat) $(calls "$out" close)" \
	"$(($(calls "$tmp/c0" openat) + 10)) $(($(calls "$tmp/c0" close) + 10))" \
	"-c: openat and close counted 10 times each (over the baseline)"
is "$(calls "$out" total)" "$(($(calls "$tmp/c0" total) + 20))" \
	"-c: the total row adds them up (the baseline's + 10 + 10)"
ok_if "-c: no trace lines" bash -c "! grep -q 'getppid()' '$out'"

"$LIMEN" trace -c -o "$out" -- /bin/cat /nonexistent-limen-file >/dev/null 2>&1
ok_if "-c: failed calls in the errors column" \
	grep -q -E ' [0-9]+ +[1-9][0-9]* +openat$' "$out"

"$LIMEN" trace -C -o "$out" -- "$(testbin sysloop)" 5 0 >/dev/null
ok_if "-C: the trace and then the table" \
	bash -c "grep -q -E 'getppid\(\) += ' '$out' && grep -q -E ' 5 +getppid\$' '$out'"
