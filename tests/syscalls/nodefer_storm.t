#!/bin/bash
# SPDX-License-Identifier: MIT
#
# A handler with SA_NODEFER: limen's wrapper of the program's handler
# (signals.c, sigwrap) ran with the signal unblocked, as the program asked
# for its handler, so under a storm of the signal each new one nested
# another wrapper on limen's own signal stack until it overflowed and the
# program died of SIGSEGV. The wrapper now runs with its signal blocked,
# and the program's handler with the mask SA_NODEFER gives it. A storm
# itself is no test here: bare, a loaded machine lets the handlers nest
# deep enough to die too (tests/progs/nodefer_storm.c is the reproduction,
# to run by hand); what is checked is the mask the handler runs with.
. "$(dirname "$0")/../lib.sh"
need_limen

# the mask the program's SA_NODEFER handler reads, as bare: unblocked
# inside a sigsuspend or pselect whose saved mask blocks it (the first
# version of the fix above took the saved mask for the one it was
# delivered under), blocked when sa_mask names it
mask=$(testbin nodefer_mask)
[ -x "$mask" ] || skip_all "tests/progs/nodefer_mask not built ($mask)"
_run_to "$tmp/mbare" "$mask"
for opts in "-e trace=none" "--no-rewrite" ""; do
	# shellcheck disable=SC2086
	_run_to "$tmp/m" "$LIMEN" trace $opts -o /dev/null -- "$mask"
	same_file "$tmp/m.out" "$tmp/mbare.out" \
		"a_nodefer_handler_runs_with_the_mask_it_would_bare (${opts:-full trace})"
done
done_testing
