#!/bin/bash
# SPDX-License-Identifier: MIT
#
# The lean path of a rewritten call site (src/runtime/lean.c, fast.S): a
# call nothing selects and no hook needs is made in limen_fast_entry
# itself, on the program's stack. It must be the call the program made
# (result, errno, every register the kernel's `syscall` keeps, the flags),
# be taken only when nothing needs it (the live selection, --no-lean), and
# leave signals arriving around it as bare: a handler runs before the call
# returns, SA_RESTART restarts it, EINTR without, nanosleep's time left,
# restart_syscall after a stop. tests/progs/lean.c.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin lean)
[ -x "$prog" ] || skip_all "tests/progs/lean not built ($prog)"

# both runtimes: limen's loader (%gs) and liblimen.so preloaded (%fs)
for L in loader preload; do
	export LIMEN_LOADER=$L
	bare_and_traced regs -e trace=none -- regs 8
	as_bare regs "an_unselected_call_on_a_rewritten_site_keeps_every_register_and_the_flags ($L)"
	is "$(site regs regs)" e9 "the register test's site is rewritten ($L)"
	bare_and_traced regs2 -e trace=lseek -- regs 8
	as_bare regs2 "the same calls selected: registers and flags as bare ($L)"

	bare_and_traced where -e trace=openat -- where
	is "$(head -1 "$tmp/where.out")" "blocked near" \
		"an_unselected_call_on_a_rewritten_site_is_made_on_the_program_s_stack ($L)"
	as_bare where "the lean call: result as bare ($L)"
	bare_and_traced where2 --no-lean -e trace=openat -- where
	is "$(head -1 "$tmp/where2.out")" "blocked far" "--no-lean: the call goes through limen's stack ($L)"
	bare_and_traced where3 -e trace=futex -- where
	is "$(head -1 "$tmp/where3.out")" "blocked far" \
		"a_selected_number_on_a_rewritten_site_is_recorded_not_lean ($L)"
	is "$(trace_body "$tmp/where3.trace" | grep -c '^futex(0x[0-9a-f]*, FUTEX_WAIT_PRIVATE')" 4 \
		"-e trace=futex: every call of the rewritten site recorded ($L)"

	for r in 1 0; do
		bare_and_traced sig$r -e trace=getuid -- sig $r
		as_bare sig$r "a_signal_interrupting_a_blocking_lean_call_runs_its_handler_before_the_call_returns (SA_RESTART $r, $L)"
		is "$(site sig$r futex)" e9 "the blocking call's site is rewritten (SA_RESTART $r, $L)"
		is "$(count_calls "$tmp/sig$r.trace" getuid)" 1 \
			"the handler's own call is traced (SA_RESTART $r, $L)"
	done
	bare_and_traced sleep -e trace=none -- sleep
	as_bare sleep "nanosleep_at_a_lean_site_interrupted_by_a_handler_EINTR_and_the_time_left ($L)"
	bare_and_traced stop -e trace=none -- stopcont
	as_bare stop "nanosleep_at_a_lean_site_stopped_and_continued_restarts ($L)"
done
unset LIMEN_LOADER

LIMEN_LEAN=0 _run_to "$tmp/envlean" "$LIMEN" trace -e trace=openat -o "$tmp/envlean.trace" -- "$prog" where
is "$(head -1 "$tmp/envlean.out")" "blocked far" "LIMEN_LEAN=0 in limen's environment: no lean path"

# every number dispatch.c's run() looks at is one lean.c keeps off the
# lean path
src=$(dirname "$0")/../../src/runtime
run_cases=$(sed -n '/^static long run(/,/^}/p' "$src/dispatch.c" | grep -o 'case SYS_[a-z0-9_]*' | sort -u)
lean_cases=$(sed -n '/^static int hooked(/,/^}/p' "$src/lean.c" | grep -o 'case SYS_[a-z0-9_]*' | sort -u)
missing=$(comm -23 <(echo "$run_cases") <(echo "$lean_cases") | tr '\n' ' ')
[ -n "$run_cases" ] || missing="(no case found in run())"
is "$missing" "" "every_number_run_hooks_stays_off_the_lean_path (missing in lean.c's hooked())"
done_testing
