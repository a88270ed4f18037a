#!/bin/bash
# SPDX-License-Identifier: MIT
#
# The quick way (src/runtime/quickrec.c, dispatch_quick) asks of every
# call it records whether it is one the collector follows processes by
# (limen_bookkeeping: exec, exit); the test is inline (rt.h), not a call:
# the call and the registers the quick way kept across it were 14
# instructions of a recorded getppid's, the test 3 (bench/stepcount's
# single steps, exact, and bench/riphist's count by function). Told by
# where a recorded getppid's instructions go: none in a function of that
# name. LIMEN_STEPCOUNT: another build's bench/stepcount.
. "$(dirname "$0")/../lib.sh"
need_limen
sc=${LIMEN_STEPCOUNT:-$(dirname "$LIMEN")/bench/stepcount}
[ -x "$sc" ] || skip_all "build/bench/stepcount not built ($sc)"
command -v python3 >/dev/null || skip_all "no python3 for bench/riphist"
hist=$(dirname "$0")/../../bench/riphist

for sel in all getppid; do
	e=()
	[ "$sel" = all ] || e=(-e "trace=$sel")
	STEPCOUNT_RIPS=$tmp/rips.$sel "$sc" 50 getppid "$LIMEN" trace \
		"${e[@]+"${e[@]}"}" -o /dev/null -- >"$tmp/sc.$sel" 2>&1
	"$hist" "$tmp/rips.$sel" 50 >"$tmp/hist.$sel" 2>&1
	if ! grep -q 'limen_fast_run$' "$tmp/hist.$sel"; then
		fail "a recorded getppid takes the quick way ($sel)" \
			"$(cat "$tmp/sc.$sel" "$tmp/hist.$sel")"
		continue
	fi
	is "$(awk '$2 == "limen_bookkeeping"' "$tmp/hist.$sel")" "" \
		"the_quick_way_tests_a_recorded_call_for_bookkeeping_inline ($sel)"
done
done_testing
