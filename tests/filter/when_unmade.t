#!/bin/bash
# SPDX-License-Identifier: MIT
#
# -e inject=...:when=K+K counts each call the program made once, as strace
# counts: a call that a signal kept from being made (the signal came while
# limen recorded its entry; the program takes its handler first and makes
# the call after it) does not count as a call of its own. tests/progs/unmade.c:
# 8 threads of getppid under per-thread 10 kHz timers whose handler makes 2
# getppid more; each thread checks that exactly every 7th call returned 42.
# Run 3 times: the window is narrow.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin unmade)
[ -x "$prog" ] || skip_all "tests/progs/unmade.c not built"

for run in 1 2 3; do
	run_limen trace -o /dev/null -e inject=getppid:retval=42:when=7+7 \
		-- "$prog" 20000 7 >"$tmp/out" 2>&1
	is "$(grep '^threads where' "$tmp/out")" \
		"threads where when=7+7 missed: 0" \
		"run $run: when=7+7 injects into every 7th call each thread made"
done
done_testing
