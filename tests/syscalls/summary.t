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
ok_if "-c: openat and close counted 10 times each" \
	bash -c "grep -q -E ' 10 +openat\$' '$out' && grep -q -E ' 10 +close\$' '$out'"
ok_if "-c: the total row adds them up (1021 = 1000 + 10 + 10 + exit_group)" \
	grep -q -E '^100\.00 +[0-9.]+ +[0-9]+ +1021 +total$' "$out"
ok_if "-c: no trace lines" bash -c "! grep -q 'getppid()' '$out'"

"$LIMEN" trace -c -o "$out" -- /bin/cat /nonexistent-limen-file >/dev/null 2>&1
ok_if "-c: failed calls in the errors column" \
	grep -q -E ' [0-9]+ +[1-9][0-9]* +openat$' "$out"

"$LIMEN" trace -C -o "$out" -- "$(testbin sysloop)" 5 0 >/dev/null
ok_if "-C: the trace and then the table" \
	bash -c "grep -q -E 'getppid\(\) += ' '$out' && grep -q -E ' 5 +getppid\$' '$out'"
