#!/bin/bash
# SPDX-License-Identifier: MIT
#
# A signal sent to a new process at once (kill right after fork) must reach
# it, as without limen. The child first sets itself up in limen's code
# (src/runtime/clone.c, child_setup), which resets the signals held there
# (they were its parent's): it does so with every signal blocked, and the
# kernel delivers what came meanwhile afterwards. tests/progs/newtasksig.c
# (a signal that is lost ends it after 5 s).
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin newtasksig)
[ -x "$prog" ] || skip_all "tests/progs/newtasksig not built ($prog)"
plan 3

same_as_bare "a_signal_sent_to_a_child_right_after_fork_reaches_its_handler" \
	"$prog" 30
LIMEN_NO_REWRITE=1 same_as_bare \
	"a_signal_sent_to_a_child_right_after_fork_reaches_its_handler_with_--no-rewrite" \
	"$prog" 30
LIMEN_LOADER=preload same_as_bare \
	"a_signal_sent_to_a_child_right_after_fork_reaches_its_handler_with_LD_PRELOAD" \
	"$prog" 30
done_testing
