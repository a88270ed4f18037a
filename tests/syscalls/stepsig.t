#!/bin/bash
# SPDX-License-Identifier: MIT
#
# A signal at each instruction a rewritten call runs in its stub and in
# limen_fast_entry (src/runtime/arch/x86_64/fast.S), one at a time and on
# purpose (tests/progs/stepsig.c: ptrace learns the instructions by
# single steps, then stops the program at each with an int3 and sends
# SIGUSR1 there), where tests/syscalls/fastsig.t's timer lands by chance:
# a getppid (lean, recorded, --no-lean) and an access(2) of a plain path
# (the lean path's check of a path call, limen_lean_path_lo to _hi); then
# at every instruction of limen's runtime such a call runs, rewritten or
# on Syscall User Dispatch's signal (--no-rewrite).
# limen_app_syscall's are signalled too. Each must reach the program's handler with rip in the program's own
# code, and each call must return the parent's pid with every register
# the kernel's `syscall` keeps, rsp and DF as bare: limen_lean_settle
# (lean.c) and limen_fast_settle (rewrite.c) for every state of the way.
# The program scribbles below its stack before each call, so that a
# settle reading a word of limen's before it was written sees garbage.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin stepsig)
[ -x "$prog" ] || skip_all "tests/progs/stepsig not built ($prog)"
command -v nm >/dev/null || skip_all "no nm to find limen_fast_entry's size"
rtdir=$(dirname "$LIMEN")
# stepsig's ranges in runtime FILE: the size of limen_fast_entry (all of
# fast.S), then limen_app_syscall's (stubs.S: the recorded way's own
# `syscall`) offset from it and size
ranges() {
	local fa fs aa as
	read -r fa fs < <(nm -S "$1" 2>/dev/null | awk '/ limen_fast_entry$/ {print $1, $2; exit}')
	read -r aa as < <(nm -S "$1" 2>/dev/null | awk '/ limen_app_syscall$/ {print $1, $2; exit}')
	[ -n "$fs" ] && [ -n "$as" ] && echo "0x$fs,$((0x$aa - 0x$fa)):0x$as"
}

# check NAME DESC MIN: every signal sent delivered and handled once, no
# call wrong, no handler outside the program, at least MIN instructions
# signalled (of those learnt: one that ran then may not run again)
check() {
	local out=$tmp/$1.out k l
	if grep -q 'stepsig: attach' "$tmp/$1.err"; then
		skip "$2: ptrace refused here ($(head -1 "$tmp/$1.err"))"
		return
	fi
	read -r k l < <(sed -n 's/^injected \([0-9]*\) of \([0-9]*\) instructions, delivered \1$/\1 \2/p' "$out")
	if [ -n "$k" ] && [ "$k" -ge "$3" ] &&
		grep -qx "signals $k, bad calls 0, elsewhere 0" "$out" &&
		[ "$(cat "$tmp/$1.st")" = 0 ]; then
		pass "$2"
	else
		fail "$2" "status $(cat "$tmp/$1.st"), want at least $3 instructions" \
			"$(cat "$out")" "$(head -5 "$tmp/$1.err")"
	fi
}

for L in loader preload; do
	export LIMEN_LOADER=$L
	if [ $L = loader ]; then rt=$rtdir/limen-loader; else rt=$rtdir/liblimen.so; fi
	sz=$(ranges "$rt")
	if [ -z "$sz" ]; then
		skip "no limen_fast_entry or limen_app_syscall in $rt's symbols ($L)"
		continue
	fi
	for m in plain df; do
		_run_to "$tmp/lean$m" "$prog" "$sz" 3 $m "$LIMEN" trace -e trace=none -o "$tmp/t" --
		check lean$m "signals_at_each_instruction_of_a_lean_call_find_the_program_s_state ($L, $m)" 40
		_run_to "$tmp/rec$m" "$prog" "$sz" 3 $m "$LIMEN" trace -o "$tmp/t" --
		check rec$m "signals_at_each_instruction_of_a_recorded_call_s_way_in_and_out_find_the_program_s_state ($L, $m)" 110
		# access(2) of a plain path: not lean by its number, lean once
		# limen_lean_path finds the path plain (DF set: the full way)
		_run_to "$tmp/path$m" "$prog" "$sz" 3 path$m "$LIMEN" trace -e trace=none -o "$tmp/t" --
		check path$m "signals_at_each_instruction_of_a_path_call_s_lean_check_find_the_program_s_state ($L, $m)" 90
	done
	# a site with copied instructions between its mov and its
	# `syscall`: a signal on a copy in the stub finds the program at the
	# same instruction in place (4 handlers found a stub address before)
	_run_to "$tmp/copy" "$prog" all 2 copy "$LIMEN" trace -e trace=none -o "$tmp/t" --
	check copy "signals_at_each_instruction_from_a_site_with_copied_instructions_find_the_program_s_state ($L)" 40
	# a site of the pad form: the slot's jmp and the stub's way in
	# put the program back at the site's `syscall`, as bare
	_run_to "$tmp/pad" "$prog" all 2 pad "$LIMEN" trace -e trace=none -o "$tmp/t" --
	check pad "signals_at_each_instruction_from_a_pad_form_site_find_the_program_s_state ($L)" 40
	_run_to "$tmp/padrec" "$prog" all 2 pad "$LIMEN" trace -o "$tmp/t" --
	check padrec "signals_at_each_instruction_of_a_recorded_call_from_a_pad_form_site_find_the_program_s_state ($L)" 300
	# a call that needs SUD's frame from that site (sigaltstack): handed
	# back from the stub to the stub's own `syscall`, trapped there
	_run_to "$tmp/padback" "$prog" all 2 padback "$LIMEN" trace -e trace=none -o "$tmp/t" --
	check padback "signals_at_each_instruction_of_a_call_handed_back_from_a_pad_form_site_find_the_program_s_state ($L)" 300
	_run_to "$tmp/nolean" "$prog" "$sz" 3 plain "$LIMEN" trace --no-lean -e trace=none -o "$tmp/t" --
	check nolean "signals_at_each_instruction_of_an_unrecorded_call_with_--no-lean_find_the_program_s_state ($L)" 110
	# every instruction of limen's runtime the call runs: the C of a
	# recorded call (a signal there is held until the way out), and
	# the way through Syscall User Dispatch's SIGSYS, not rewritten
	_run_to "$tmp/allrec" "$prog" all 2 plain "$LIMEN" trace -o "$tmp/t" --
	check allrec "signals_at_each_instruction_of_limen_s_runtime_in_a_recorded_call_find_the_program_s_state ($L)" 300
	_run_to "$tmp/allpath" "$prog" all 2 path "$LIMEN" trace -e trace=none -o "$tmp/t" --
	check allpath "signals_at_each_instruction_of_limen_s_runtime_in_a_path_call_s_lean_check_find_the_program_s_state ($L)" 150
	_run_to "$tmp/sudnone" "$prog" all 2 plain "$LIMEN" trace --no-rewrite -e trace=none -o "$tmp/t" --
	check sudnone "signals_at_each_instruction_of_limen_s_runtime_on_SUD_s_way_find_the_program_s_state ($L)" 300
	_run_to "$tmp/sudrec" "$prog" all 2 plain "$LIMEN" trace --no-rewrite -o "$tmp/t" --
	check sudrec "signals_at_each_instruction_of_limen_s_runtime_on_SUD_s_way_recorded_find_the_program_s_state ($L)" 500
	# libc's calls limen keeps signal state for: sigprocmask blocking
	# and unblocking SIGUSR1 (its handler never runs in between), and
	# raise(SIGUSR2) with its handler and rt_sigreturn
	_run_to "$tmp/mask" "$prog" all 2 mask "$LIMEN" trace -e trace=none -o "$tmp/t" --
	check mask "signals_at_each_instruction_of_limen_s_runtime_in_sigprocmask_wait_for_the_unblock ($L)" 300
	# the same recorded, and through SUD's frame (--no-rewrite)
	_run_to "$tmp/maskrec" "$prog" all 2 mask "$LIMEN" trace -o "$tmp/t" --
	check maskrec "signals_at_each_instruction_of_limen_s_runtime_in_a_recorded_sigprocmask_wait_for_the_unblock ($L)" 300
	_run_to "$tmp/masksud" "$prog" all 2 mask "$LIMEN" trace --no-rewrite -e trace=none -o "$tmp/t" --
	check masksud "signals_at_each_instruction_of_limen_s_runtime_in_sigprocmask_through_SUD_wait_for_the_unblock ($L)" 300
	_run_to "$tmp/raise" "$prog" all 2 raise "$LIMEN" trace -e trace=none -o "$tmp/t" --
	check raise "signals_at_each_instruction_of_limen_s_runtime_in_a_raise_and_its_handler_s_return_are_each_handled_once ($L)" 500
	# uaccess logging armed before each call (its handler makes a call
	# of its own): each call logs the ranges a call with no signal logs
	_run_to "$tmp/ua" "$prog" all 2 uapath "$LIMEN" trace --uaccess -e trace=none -o "$tmp/t" --
	check ua "signals_at_each_instruction_of_limen_s_runtime_leave_a_call_s_uaccess_log_as_it_was ($L)" 500
	_run_to "$tmp/uasud" "$prog" all 2 uapath "$LIMEN" trace --uaccess --no-rewrite -e trace=none -o "$tmp/t" --
	check uasud "signals_at_each_instruction_of_limen_s_runtime_on_SUD_s_way_leave_a_call_s_uaccess_log_as_it_was ($L)" 1000
	# fork: the parent's signals are the parent's (the child, which
	# the tracer gives its text back and lets go, must not run the
	# handler)
	_run_to "$tmp/fork" "$prog" all 2 fork "$LIMEN" trace -f -o "$tmp/t" --
	check fork "signals_at_each_instruction_of_limen_s_runtime_in_a_fork_are_the_parent_s_alone ($L)" 1000
	# limen's answer in place of the kernel's (-e inject=), and each
	# call's stack read for -k (where limen has libdw)
	STEPSIG_WANT=-1 _run_to "$tmp/inject" "$prog" all 2 plain "$LIMEN" trace -e inject=getppid:error=EPERM -e trace=none -o "$tmp/t" --
	check inject "signals_at_each_instruction_of_limen_s_runtime_leave_an_injected_error_as_the_call_s_answer ($L)" 300
	_run_to "$tmp/stack" "$prog" all 2 plain "$LIMEN" trace -k -o "$tmp/t" --
	if grep -q 'without elfutils' "$tmp/stack.err"; then
		skip "limen built without libdw: no -k ($L)"
	else
		check stack "signals_at_each_instruction_of_limen_s_runtime_with_-k_find_the_program_s_state ($L)" 500
	fi
	# a user event written each turn through the kernel's user_events
	# ABI, which limen emulates (a kernel that has it keeps it): each
	# in the trace once, in order
	if [ -e /sys/kernel/tracing/user_events_data ] ||
		[ -e /sys/kernel/debug/tracing/user_events_data ]; then
		for w in 1 2 3 4; do
			skip "this kernel has user_events: limen leaves them to it ($L)"
		done
	else
		for w in rewritten no-rewrite; do
			o=(-e trace=none)
			[ $w = no-rewrite ] && o=(--no-rewrite)
			_run_to "$tmp/uev$w" "$prog" all 2 uevent "$LIMEN" trace -e uevent=stepsig_ev "${o[@]}" -o "$tmp/uev$w.trace" --
			check uev$w "signals_at_each_instruction_of_limen_s_runtime_in_user_events_writes_find_the_program_s_state ($L, $w)" 500
			n=$(sed -n 's/^events \([0-9]*\)$/\1/p' "$tmp/uev$w.out")
			got=$(trace_body "$tmp/uev$w.trace" | awk '/stepsig_ev\(v=/ {
				if (!match($0, /v=[0-9]+/)) { bad++; next }
				if (substr($0, RSTART + 2, RLENGTH - 2) + 0 != n) bad++
				n++ } END { print n + 0, bad + 0 }')
			is "$got" "${n:-?} 0" "each_user_event_written_under_a_signal_at_each_instruction_is_in_the_trace_once_in_order ($L, $w)"
		done
	fi
done
done_testing
