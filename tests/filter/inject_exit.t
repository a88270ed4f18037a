#!/bin/bash
# SPDX-License-Identifier: MIT
#
# An exit_group whose result -e inject= gives is not made: the program goes
# on, and the trace must not end its process (nor its other threads) at
# that call's entry, as it does for an exit_group that is made. strace -f
# shows it as a call that returned: "exit_group(4) = -1 EPERM (Operation
# not permitted) (INJECTED)", then the process's calls after it and one end
# of each thread. tests/progs/exitinject.c: exit_group(4), then (when it
# returns) wakes a thread blocked in read, joins it and returns 0.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin exitinject)
[ -x "$prog" ] || skip_all "tests/progs/exitinject.c not built"

inj=inject=exit_group:error=EPERM:when=1
run_limen trace -f -o "$tmp/tr" -e "$inj" -- "$prog" >"$tmp/out" 2>"$tmp/err"
is "$?" 0 "the program goes on after the injected exit_group and ends with 0"
is "$(cat "$tmp/out")" "exit_group returned -1" "the call returned -EPERM"
trace_body "$tmp/tr" >"$tmp/body"
ok_if "the injected exit_group is shown with its result" \
	grep -qx 'exit_group(4) = -1 EPERM (Operation not permitted) (INJECTED)' \
	"$tmp/body"
is "$(grep -c 'exited with 4' "$tmp/tr")" 0 \
	"no thread is said to end with the injected call's status"
is "$(grep -c '+++ exited with 0 +++' "$tmp/tr")" 2 \
	"each of the two threads ends once, with the status it really has"
is "$(grep -o '^exit_group([04])\|^read([0-9]*, "x"' "$tmp/body" | sed 's/^read([0-9]*/read(N/' | tr '\n' ' ')" \
	'exit_group(4) read(N, "x" exit_group(0) ' \
	"the calls after the injected one are shown"

# not selected (-e trace=none): its bookkeeping record does not end it
run_limen trace -f -o "$tmp/tr2" -e trace=none -e "$inj" -- "$prog" \
	>/dev/null 2>&1
is "$(grep -c 'exited with 4' "$tmp/tr2")" 0 \
	"-e trace=none: the process does not end at the injected exit_group"
is "$(grep -c '+++ exited with 0 +++' "$tmp/tr2")" 2 \
	"-e trace=none: each thread ends once, with its real status"
done_testing
