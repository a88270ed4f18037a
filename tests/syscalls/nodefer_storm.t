#!/bin/bash
# SPDX-License-Identifier: MIT
#
# A handler with SA_NODEFER under a storm of its signal: limen's wrapper
# of the program's handler (signals.c, sigwrap) ran with the signal
# unblocked, as the program asked for its handler, so each new signal
# nested another wrapper on limen's own signal stack until it overflowed
# and the program died of SIGSEGV. The wrapper now runs with its signal
# blocked; the program's handler still runs with the program's view of
# SA_NODEFER (deliver). tests/progs/nodefer_storm.c, three runs a mode.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin nodefer_storm)
[ -x "$prog" ] || skip_all "tests/progs/nodefer_storm not built ($prog)"

_run_to "$tmp/bare" "$prog"
# bare, a loaded machine can nest the handlers deep enough to die too:
# then there is nothing to compare with
[ "$(cat "$tmp/bare.out"; cat "$tmp/bare.st")" = "done, handled some
0" ] || skip_all "bare did not survive the storm here ($(cat "$tmp/bare.st"))"
for opts in "-e trace=none" "--no-rewrite" ""; do
	for round in 1 2 3; do
		# shellcheck disable=SC2086
		_run_to "$tmp/l" "$LIMEN" trace $opts -o /dev/null -- "$prog"
		is "$(cat "$tmp/l.out"; cat "$tmp/l.st")" "done, handled some
0" "a_nodefer_handler_survives_a_storm_of_its_signal (${opts:-full trace}, run $round)"
	done
done
# the mask the program's SA_NODEFER handler reads, as bare: unblocked
# inside a sigsuspend or pselect whose saved mask blocks it (the first
# version of the fix above took the saved mask for the one it was
# delivered under), blocked when sa_mask names it
mask=$(testbin nodefer_mask)
_run_to "$tmp/mbare" "$mask"
for opts in "-e trace=none" "--no-rewrite" ""; do
	# shellcheck disable=SC2086
	_run_to "$tmp/m" "$LIMEN" trace $opts -o /dev/null -- "$mask"
	same_file "$tmp/m.out" "$tmp/mbare.out" \
		"a_nodefer_handler_runs_with_the_mask_it_would_bare (${opts:-full trace})"
done
done_testing
