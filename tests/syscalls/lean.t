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
	bare_and_traced regs -e trace=none -- regs 27
	as_bare regs "an_unselected_call_on_a_rewritten_site_keeps_every_register_and_each_flag_alone ($L)"
	is "$(site regs regs)" e9 "the register test's site is rewritten ($L)"
	# a path call made on the lean path (a plain path), or the full way
	# (DF set, every third call; a path spelled with "/."), a missing
	# file (the kernel's ENOENT stands), a path ending at the end of a
	# readable page (lean) and one running into an unreadable page
	# (EFAULT, the full way's)
	for p in /etc/passwd /etc/./passwd /etc/no-such-file \
		pageend:/etc/passwd pageover:/etc/passwd; do
		bare_and_traced pregs -e trace=none -- pregs 27 "$p"
		as_bare pregs "an_unselected_path_call_on_a_rewritten_site_keeps_every_register_and_each_flag_alone ($p, $L)"
		is "$(site pregs pregs)" e9 "the path call's site is rewritten ($p, $L)"
	done
	bare_and_traced regs2 -e trace=lseek -- regs 27
	as_bare regs2 "the_recorded_way_out_restores_each_arithmetic_flag_DF_and_ID_alone_as_bare ($L)"

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

	# read on a pipe: lean while the process holds no emulated
	# user_events or tracefs descriptor
	bare_and_traced rwhere -e trace=openat -- readwhere
	is "$(head -1 "$tmp/rwhere.out")" "blocked near" \
		"an_unselected_read_on_a_rewritten_site_is_made_on_the_program_s_stack ($L)"
	as_bare rwhere "the lean read: result as bare ($L)"
	for r in 1 0; do
		bare_and_traced sigread$r -e trace=getuid -- sigread $r
		as_bare sigread$r "a_signal_interrupting_a_blocking_lean_read_on_a_pipe_runs_its_handler_before_it_returns (SA_RESTART $r, $L)"
		is "$(site sigread$r read)" e9 "the blocking read's site is rewritten (SA_RESTART $r, $L)"
		is "$(count_calls "$tmp/sigread$r.trace" getuid)" 1 \
			"the handler's own call is traced (read, SA_RESTART $r, $L)"
	done
	# openat of a plain path: lean too (quickpath.c, limen_lean_path),
	# unless selected or spelled so that the emulation looks at it
	# after the kernel's ENOENT (an empty or "." name: the full way)
	rm -f "$tmp/fifo"
	mkfifo "$tmp/fifo"
	mkdir -p "$tmp/d"
	bare_and_traced owhere -e trace=getuid -- openwhere "$tmp/fifo"
	is "$(head -1 "$tmp/owhere.out")" "blocked near" \
		"an_unselected_open_of_a_plain_path_on_a_rewritten_site_is_made_on_the_program_s_stack ($L)"
	as_bare owhere "the lean open: result as bare ($L)"
	is "$(site owhere openat)" e9 "the open's site is rewritten ($L)"
	bare_and_traced owhere2 -e trace=openat -- openwhere "$tmp/fifo"
	is "$(head -1 "$tmp/owhere2.out")" "blocked far" \
		"a_selected_open_is_recorded_not_lean ($L)"
	# a "/." across the path's first 8 bytes and the next (the test
	# reads a word at a time): the directory's name padded so that its
	# slash is the 8th byte or the 16th
	n=$(( (7 - (${#tmp} + 1) % 8 + 8) % 8 ))
	[ $n = 0 ] && n=8
	w=$(printf '%*s' $n '' | tr ' ' w)
	mkdir -p "$tmp/$w"
	for p in "$tmp/d/../fifo" "$tmp//fifo" "$tmp/./fifo" "$tmp/$w/../fifo"; do
		bare_and_traced owhere3 -e trace=getuid -- openwhere "$p"
		is "$(head -1 "$tmp/owhere3.out")" "blocked far" \
			"an_open_of_a_path_the_emulation_looks_at_after_ENOENT_is_not_lean ($p, $L)"
		is "$(sed -n 2p "$tmp/owhere3.out")" "$(sed -n 2p "$tmp/owhere3.bare.out")" \
			"the full way's open: result as bare ($p, $L)"
	done
	for r in 1 0; do
		bare_and_traced sigopen$r -e trace=getuid -- sigopen $r "$tmp/fifo"
		as_bare sigopen$r "a_signal_interrupting_a_blocking_lean_open_runs_its_handler_before_it_returns (SA_RESTART $r, $L)"
		is "$(head -1 "$tmp/sigopen$r.out")" \
			"result $([ $r = 1 ] && echo 0 || echo -4) handled 1 (1 when the call returned)" \
			"the interrupted open's result (SA_RESTART $r, $L)"
		is "$(count_calls "$tmp/sigopen$r.trace" getuid)" 1 \
			"the handler's own call is traced (open, SA_RESTART $r, $L)"
	done
	for r in 1 0; do
		bare_and_traced sig$r -e trace=getuid -- sig $r
		as_bare sig$r "a_signal_interrupting_a_blocking_lean_call_runs_its_handler_before_the_call_returns (SA_RESTART $r, $L)"
		is "$(site sig$r futex)" e9 "the blocking call's site is rewritten (SA_RESTART $r, $L)"
		is "$(count_calls "$tmp/sig$r.trace" getuid)" 1 \
			"the handler's own call is traced (SA_RESTART $r, $L)"
	done
	bare_and_traced sigctx -e trace=none -- sigctx
	is "$(head -1 "$tmp/sigctx.out")" "rip on the syscall, rax the number, rcx after the syscall" \
		"a_lean_call_rewound_for_its_restart_shows_the_handler_rcx_after_the_site_s_syscall ($L)"
	as_bare sigctx "the handler sees the context bare shows ($L)"
	is "$(site sigctx futex)" e9 "the interrupted call's site is rewritten (sigctx, $L)"
	bare_and_traced sleep -e trace=none -- sleep
	as_bare sleep "nanosleep_at_a_lean_site_interrupted_by_a_handler_EINTR_and_the_time_left ($L)"
	bare_and_traced stop -e trace=none -- stopcont
	as_bare stop "nanosleep_at_a_lean_site_stopped_and_continued_restarts ($L)"
done
unset LIMEN_LOADER

LIMEN_LEAN=0 _run_to "$tmp/envlean" "$LIMEN" trace -e trace=openat -o "$tmp/envlean.trace" -- "$prog" where
is "$(head -1 "$tmp/envlean.out")" "blocked far" "LIMEN_LEAN=0 in limen's environment: no lean path"

# gdb's backtrace of a thread blocked in a lean call: limen_fast_entry's
# CFI leads to the site's function and main (liblimen.so preloaded: gdb
# knows the program's symbols)
# descendant PID NAME: a process named NAME below PID
descendant() {
	local c
	for c in $(pgrep -P "$1"); do
		if [ "$(cat "/proc/$c/comm" 2>/dev/null)" = "$2" ]; then
			echo "$c"
			return
		fi
		descendant "$c" "$2"
	done
}
if ! command -v gdb >/dev/null; then
	skip "gdb_backtrace_through_a_lean_call" "no gdb (apt-get install gdb)"
else
	LIMEN_LOADER=preload run_limen trace -e trace=none -o "$tmp/gdb.trace" -- \
		"$prog" block 2>"$tmp/gdb.err" &
	lim=$!
	child=
	for ((i = 0; i < 500; i++)); do
		child=$(descendant "$lim" lean)
		[ -n "$child" ] && grep -q '^202 ' "/proc/$child/syscall" 2>/dev/null &&
			grep -q "site block" "$tmp/gdb.err" && break
		sleep 0.01
	done
	bt=
	if [ -n "$child" ]; then
		bt=$(gdb -q -batch -p "$child" -ex bt </dev/null 2>/dev/null |
			sed -n -E 's/^#[0-9]+ +(0x[0-9a-f]+ in )?([^ ]+) .*/\2/p' | tr '\n' ' ')
		kill "$child" 2>/dev/null
	fi
	wait "$lim" 2>/dev/null
	if [ -z "$bt" ]; then
		skip "gdb_backtrace_through_a_lean_call" "gdb cannot attach here"
	else
		is "$bt" "limen_fast_entry site_futex_mov block main " \
			"gdb_backtrace_through_a_lean_call: the site's function and main"
	fi
fi

# every number dispatch.c's run() looks at (and, under limen's loader,
# limen_exe_hook) is one lean.c keeps off the lean path (or, for the
# descriptor calls of the user_events emulation, until an emulated file is
# opened)
src=$(dirname "$0")/../../src/runtime
run_cases=$( (sed -n '/^static long run(/,/^}/p' "$src/dispatch.c"
	sed -n '/^int limen_exe_hook(/,/^}/p' "$src/../loader/exe_view.c") |
	grep -o 'case SYS_[a-z0-9_]*' | sort -u)
# hooked() and uev_fd() name theirs, rt.h's user_events lists (run()'s
# too), and rewrite.c's needs_frame(), which hooked() asks
lean_cases=$( (sed -n '/^static int hooked(/,/^}/p; /^static int uev_fd(/,/^}/p' "$src/lean.c"
	sed -n '/^static int needs_frame(/,/^}/p' "$src/rewrite.c"
	sed -n '/^#define LIMEN_UEV_[A-Z]*_CALLS/,/[^\\]$/p' "$src/rt.h" |
		grep -o 'X(SYS_[a-z0-9_]*' | sed 's/^X(/case /') |
	grep -o 'case SYS_[a-z0-9_]*' | sort -u)
missing=$(comm -23 <(echo "$run_cases") <(echo "$lean_cases") | tr '\n' ' ')
[ -n "$run_cases" ] || missing="(no case found in run())"
is "$missing" "" "every_number_run_hooks_stays_off_the_lean_path (missing in lean.c's hooked())"
done_testing
