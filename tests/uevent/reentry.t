#!/bin/bash
# SPDX-License-Identifier: MIT
#
# limen_uevent_emit fills a chunk of the thread's ring with no atomic
# instruction (src/runtime/uevent.c): a signal handler that emits, and
# makes a system call, while the program is in the middle of an emit must
# lose nothing and tear nothing (tests/progs/uevent_reentry.c).
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin uevent_reentry)

limen_trace "$tmp/t" -e uevent=tick -e trace=none -- "$prog" 200000 \
	>"$tmp/out" 2>"$tmp/err" </dev/null
read -r main handler < <(sed -n 's/^main=\([0-9]*\) handler=\([0-9]*\)$/\1 \2/p' "$tmp/out")
trace_body "$tmp/t" >"$tmp/body"
ok_if "the program ran to its end" [ "${main:-0}" = 200000 ]
ok_if "signal handlers ran during the emits (${handler:-0})" [ "${handler:-0}" -gt 0 ]
# each source's events: seq 0, 1, 2, ... with its own tag, nothing else
check() {
	awk -v who="$1" -v tag="$2" '
		/^tick\(/ {
			if (!match($0, /who=[0-9]+/)) { bad++; next }
			w = substr($0, RSTART + 4, RLENGTH - 4)
			if (w != who) next
			if ($0 != "tick(seq=" n + 0 ", who=" who ", tag=\"" tag "\")") { bad++; if (bad < 4) print "bad: " $0 > "/dev/stderr" }
			n++
		}
		END { print n + 0, bad + 0 }' "$tmp/body"
}
is "$(check 0 main)" "$main 0" "every event of the main loop, in order, whole"
is "$(check 1 handler)" "$handler 0" "every event of the signal handlers, in order, whole"
ok_if "no event reported lost" sh -c "! grep -q lost $tmp/body"

# a loop of emits with no system call in it stops when its SIGUSR1
# handler runs: a signal limen held until the program's next system call
# would never arrive (the loop gives up after a second or two)
limen_trace "$tmp/w" -e uevent=tick -e trace=none -- "$prog" wait \
	>"$tmp/wout" 2>&1 </dev/null
is "$(cat "$tmp/wout")" "signal taken in the loop" \
	"a signal arriving during emits reaches the program's handler then"
# a handler that forks while the program is inside an emit: the child
# resumes that emit, then exits
limen_trace "$tmp/f" -e uevent=tick -e trace=none -- "$prog" fork \
	>"$tmp/fout" 2>&1 </dev/null
is "$(sed 's/forks=[0-9]*/forks=N/' "$tmp/fout")" "forks=N crashed=0" \
	"children forked by a handler during an emit finish it and exit cleanly"
ok_if "the handler forked" grep -q 'forks=1[0-9]' "$tmp/fout"
# handlers that siglongjmp out of the emits they interrupt: the emits
# after that all reach the trace
limen_trace "$tmp/j" -e uevent=tick -e trace=none -- "$prog" jump \
	>"$tmp/jout" 2>&1 </dev/null
# (20, or more: on a loaded machine the timer may fire again before it
# is stopped; what matters is below, that the emits after all reach the
# trace)
ok_if "the handler jumped out at least 20 times ($(cat "$tmp/jout"))" \
	grep -qE '^jumps=([2-9][0-9]|[1-9][0-9][0-9]+)$' "$tmp/jout"
trace_body "$tmp/j" >"$tmp/jbody"
is "$(grep -c 'who=6, tag="after"' "$tmp/jbody")" 1000 \
	"every event emitted after a handler jumped out of an emit is in the trace"
done_testing
