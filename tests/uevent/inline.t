#!/bin/bash
# SPDX-License-Identifier: MIT
#
# include/limen/uevent.h emits inline: the program writes the record in
# the thread's chunk of its ring itself, through a per-thread pointer it
# asked limen for once (tests/progs/uevent_inline.c). It must agree with
# limen's own emit (limen_uevent_emit) on the same chunk, and a thread
# that shares another's TLS (so also that pointer) must not write in the
# other's place: every event of each source, in order, none torn. Under
# limen's loader and under LD_PRELOAD (two ways to reach the runtime).
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin uevent_inline)

# each source's events: n=0, 1, 2, ... with its tag, nothing else
check() {
	awk -v who="$2" -v tag="$3" '
		/^seq\(/ {
			if (!match($0, /who=[0-9]+/)) { bad++; next }
			w = substr($0, RSTART + 4, RLENGTH - 4)
			if (w != who) next
			if ($0 != "seq(n=" n + 0 ", who=" who ", tag=\"" tag "\")") { bad++; if (bad < 4) print "bad: " $0 > "/dev/stderr" }
			n++
		}
		END { print n + 0, bad + 0 }' "$1"
}

for mode in all preload; do
	LIMEN_LOADER=$mode limen_trace "$tmp/m" -e uevent=seq -e trace=none -- \
		"$prog" mix >"$tmp/mout" 2>&1 </dev/null
	trace_body "$tmp/m" >"$tmp/mbody"
	is "$(cat "$tmp/mout")" "mix=20000" "$mode: the program ran to its end"
	is "$(check "$tmp/mbody" 0 mix)" "20000 0" \
		"$mode: inline emits and limen_uevent_emit's, closed chunks between: every event, in order, whole"

	LIMEN_LOADER=$mode limen_trace "$tmp/s" -e uevent=seq -e trace=none -- \
		"$prog" shared >"$tmp/sout" 2>&1 </dev/null
	trace_body "$tmp/s" >"$tmp/sbody"
	is "$(cat "$tmp/sout")" "main=20000 shared=20000" \
		"$mode: both threads ran to their end"
	is "$(check "$tmp/sbody" 0 main)" "20000 0" \
		"$mode: a thread sharing the emitter's TLS leaves its events whole (the emitter's)"
	is "$(check "$tmp/sbody" 1 shared)" "20000 0" \
		"$mode: a thread sharing the emitter's TLS leaves its events whole (its own)"
	ok_if "$mode: no event reported lost" sh -c "! grep -q lost $tmp/sbody"
done
done_testing
