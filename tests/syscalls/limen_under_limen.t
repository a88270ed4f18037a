#!/bin/bash
# SPDX-License-Identifier: MIT
#
# limen run under limen (a test suite that uses limen, traced): the inner
# limen traces its command as it would alone, and the outer one steps
# aside at the execve that starts it, with a word. Before, the outer
# runtime took the inner session's variables for its own: the inner
# command died at its start (limen-loader: "run by limen only", 127).
. "$(dirname "$0")/../lib.sh"
need_limen

for loader in default preload; do
	if [ $loader = preload ]; then
		export LIMEN_LOADER=preload
	fi
	same_as_bare "$loader loader: limen under limen runs its command as alone" \
		"$LIMEN" trace -o "$tmp/inner.$loader" -- /bin/sh -c 'echo hi; exit 3'
	stepped_aside "$loader loader: the outer limen" "started by another limen"
	ok_if "$loader loader: the inner limen's own calls are in the outer trace" \
		grep -q -E '^[0-9]+ +memfd_create\(' "$tmp/trace"
	# the inner trace of a run under limen alone (the bare run above
	# wrote one too)
	run_limen trace -o "$tmp/outer" -- "$LIMEN" trace -o "$tmp/inner2.$loader" \
		-- /bin/sh -c 'echo hi' >/dev/null 2>&1
	ok_if "$loader loader: the inner limen traced its command" \
		grep -q -E '^[0-9]+ +write\(1, "hi\\n", 3\) += 3$' "$tmp/inner2.$loader"
	unset LIMEN_LOADER
done

# the command of another limen starts with the mask its spawner set,
# limen's own signals included (the runtime blocks them for real across
# the exec it leaves as it is)
same_as_bare "a foreign session's exec keeps the signals the program blocked" \
	"$(testbin foreign_exec)" /bin/grep SigBlk /proc/self/status
untraced_note "started by another limen" &&
	pass "a foreign session's exec: stepped aside, with the note" ||
	fail "a foreign session's exec: stepped aside, with the note" "$(grep limen "$tmp/trace")"
# a LIMEN_SESSION that is not of the process's own spawner is the
# program's value (dropped, README): the image is traced
same_as_bare "a LIMEN_SESSION of nobody's: the image runs" \
	env LIMEN_SESSION=1:2:/x /bin/sh -c 'echo hi'
untraced_note "" && fail "a LIMEN_SESSION of nobody's: traced" "$(grep limen "$tmp/trace")" ||
	pass "a LIMEN_SESSION of nobody's: traced"

done_testing
