#!/bin/bash
# SPDX-License-Identifier: MIT
#
# A program that single-steps itself over a rewritten call site
# (tests/progs/stepsite.c): each SIGTRAP finds it in its own code, as
# bare, never in limen's stub, which is not the program's and has no
# unwind information (a signal landing there, SIGTRAP after each
# instruction or a profiler's SIGPROF, showed the handler the stub's
# address and cut backtrace() short): src/runtime/rewrite.c, stub_settle
# puts the program at its site's `syscall`, made through SUD after the
# handler. Its traps are counted as bare, and a backtrace from each
# reaches main.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin stepsite)
[ -x "$prog" ] || skip_all "tests/progs/stepsite not built ($prog)"

for L in loader preload; do
	export LIMEN_LOADER=$L
	bare_and_traced lean -e trace=none -- 3
	as_bare lean "single_steps_over_a_lean_rewritten_site_find_the_program_in_its_own_code ($L)"
	is "$(site lean ppid)" e9 "the stepped site is rewritten ($L)"
	bare_and_traced rec -e trace=getppid -- 3
	as_bare rec "single_steps_over_a_recorded_rewritten_site_find_the_program_in_its_own_code ($L)"
done
done_testing
