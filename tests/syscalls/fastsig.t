#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Signals landing on a thread that loops on a rewritten getppid site
# (tests/progs/fastsig.c): most find it in or just after the call, on the
# lean path (src/runtime/lean.c, limen_lean_settle) or on the recorded
# way in and out (fast.S, rewrite.c limen_fast_settle). After each, the
# call must have returned the parent's pid with every register the
# kernel's `syscall` keeps, the stack pointer and the direction flag as
# they were.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin fastsig)
[ -x "$prog" ] || skip_all "tests/progs/fastsig not built ($prog)"

for L in loader preload; do
	export LIMEN_LOADER=$L
	bare_and_traced lean -e trace=openat -- 1500
	as_bare lean "signals_on_a_lean_rewritten_call_find_the_program_s_registers_and_result ($L)"
	is "$(site lean ppid)" e9 "the loop's site is rewritten ($L)"
	bare_and_traced rec -- 1500
	as_bare rec "signals_on_a_recorded_rewritten_call_find_the_program_s_registers_and_result ($L)"
	bare_and_traced nolean --no-lean -e trace=openat -- 1500
	as_bare nolean "signals_on_an_unrecorded_call_with_--no-lean_find_the_program_s_registers ($L)"
	# DF set around each call: the way out sets it back with std, and a
	# signal there sends the way out back to its check with DF set
	bare_and_traced leandf -e trace=openat -- 1500 df
	as_bare leandf "signals_on_a_lean_call_made_with_DF_set_keep_DF_and_the_registers ($L)"
	bare_and_traced recdf -- 1500 df
	as_bare recdf "signals_on_a_recorded_call_made_with_DF_set_keep_DF_and_the_registers ($L)"
done
done_testing
