#!/bin/bash
# SPDX-License-Identifier: MIT
#
# A thread whose arming is refused by a seccomp filter of the program's
# gives its pool kit back (ring.c, limen_ring_kit_return) without the %gs
# block it already runs on (clone.c): the next thread started took that
# block and zeroed it, and two live threads shared one. As bare: their
# %gs bases differ. tests/progs/filter_unarmed_gs.c.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin filter_unarmed_gs)
[ -x "$prog" ] || skip_all "tests/progs/filter_unarmed_gs not built ($prog)"

for i in 1 2 3; do
	run_limen trace -f -o "$tmp/t.trace" -- "$prog" >"$tmp/out" 2>"$tmp/err"
	is "$(cat "$tmp/out")" distinct \
		"round $i: a thread left unarmed and the next one have distinct %gs blocks"
done
done_testing
