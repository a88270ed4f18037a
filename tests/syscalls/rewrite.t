#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Rewritten call sites (src/runtime/rewrite.c): a hot `mov $nr,%eax;
# syscall` site becomes a jmp to limen's fast path, every call is still
# counted exactly, and the hazards of rewriting code behave as bare:
# threads on a rewritten site, pthread_cancel of a thread blocked in one,
# fork and vfork children, execve (a fresh image starts unpatched), signals
# delivered during a rewritten call, the program's own mprotect of the
# patched page, a debugger's backtrace through the fast path.
# tests/progs/rewrite.c prints "site MODE XX" on stderr, XX the first byte
# of its site: b8 as built, e9 once rewritten.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin rewrite)
[ -x "$prog" ] || skip_all "tests/progs/rewrite not built ($prog)"

# --- a hot site -----------------------------------------------------------
bare_and_traced hot hot 5000
as_bare hot "a hot site: output and status as bare"
is "$(site hot.bare hot)" b8 "the site as built starts with mov \$nr,%eax (b8)"
is "$(site hot hot)" e9 "a_hot_site_is_rewritten_to_a_jmp"
# main's own getppid() (glibc) and 5000 through the site
is "$(count_calls "$tmp/hot.trace" getppid)" 5001 \
	"every_call_of_a_rewritten_site_is_recorded_once"

bare_and_traced norw --no-rewrite -- hot 5000
is "$(site norw hot)" b8 "--no-rewrite leaves every site on SUD"
is "$(count_calls "$tmp/norw.trace" getppid)" 5001 "--no-rewrite: every call recorded"
LIMEN_NO_REWRITE=1 _run_to "$tmp/envrw" "$LIMEN" trace -o "$tmp/envrw.trace" -- "$prog" hot 100
is "$(site envrw hot)" b8 "LIMEN_NO_REWRITE=1 in limen's environment: no site rewritten"

bare_and_traced none -e trace=none -- hot 5000
as_bare none "-e trace=none: output and status as bare"
is "$(site none hot)" e9 "-e trace=none: unselected calls take the fast path too"
is "$(count_calls "$tmp/none.trace" getppid)" 0 "-e trace=none: nothing recorded"

# --- the other 5-byte forms ------------------------------------------------------
bare_and_traced forms forms 2000
as_bare forms "other_forms_before_a_syscall: results and arguments as bare"
is "$(site forms.bare sys6)$(site forms.bare esi)$(site forms.bare r12)" 4cbe49 \
	"the forms as built: mov 0x8(%rsp),%r9; mov \$imm,%esi; mov 0x8(%r12),%rax"
is "$(site forms sys6)" e9 "glibc_syscall_function_form_mov_8_rsp_r9_is_rewritten"
is "$(site forms libc-syscall)" "$([ "$(site forms.bare libc-syscall)" = 4c ] && echo e9 ||
	site forms.bare libc-syscall)" "libc's own syscall() is rewritten (where it has that form)"
is "$(site forms esi)" e9 "a_mov_imm_to_another_register_after_the_number_is_rewritten"
is "$(site forms r12)" 49 "an_r12_based_load_before_a_syscall_stays_on_SUD"
is "$(site forms seg)" e9 "a_mov_after_a_segment_override_prefix_is_rewritten"
is "$(site forms jcc)" e9 "a_mov_after_a_jcc_displacement_that_reads_as_a_prefix_is_rewritten"
# main's getppid, then 6 x 2000 through the six sites
is "$(count_calls "$tmp/forms.trace" getppid)" $((1 + 6 * 2000)) \
	"every_call_of_the_other_forms_is_recorded_once"
is "$(grep -c 'process_vm_readv(.*, 1, 0) = 8$' "$tmp/forms.trace")" 1 \
	"the sixth argument through a relocated mov reaches the call and the trace"

# --- threads ----------------------------------------------------------------
bare_and_traced thr threads 3000
as_bare thr "threads_share_a_rewritten_site: results as bare"
is "$(site thr threads)" e9 "threads_share_a_rewritten_site: rewritten before they start"
is "$(count_calls "$tmp/thr.trace" getppid)" $((3 + 5 * 3000 + 1)) \
	"threads_share_a_rewritten_site: every call of every thread recorded"
# a site first hot while 5 threads call it: patched int3 first while the
# others run it (those that meet the int3 go on through SUD); several
# rounds, so that some thread meets the int3 in some round
bad=
for r in 1 2 3 4 5; do
	bare_and_traced late late 3000
	cmp -s "$tmp/late.bare.out" "$tmp/late.out" &&
		cmp -s "$tmp/late.bare.st" "$tmp/late.st" &&
		[ "$(site late threads)" = e9 ] &&
		[ "$(count_calls "$tmp/late.trace" getppid)" = $((5 * 3000 + 1)) ] ||
		bad="$bad round $r: status $(cat "$tmp/late.st"), site $(site late threads), $(count_calls "$tmp/late.trace" getppid) calls;"
done
is "$bad" "" "threads_calling_a_site_while_it_is_patched: results as bare, every call recorded once"
# a debugger would stop a thread at limen's int3 and resume it after it,
# in the middle of the mov: a traced process patches no site live
if command -v strace >/dev/null; then
	_run_to "$tmp/dbg" strace -f -o /dev/null "$LIMEN" trace -o "$tmp/dbg.trace" -- \
		"$prog" late 3000
	is "$(cat "$tmp/dbg.st") $(site dbg threads)" "0 b8" \
		"a_traced_program_gets_no_int3_of_limens: no site patched while threads run"
	is "$(count_calls "$tmp/dbg.trace" getppid)" $((5 * 3000 + 1)) \
		"a traced program with threads: every call recorded"
else
	skip "a_traced_program_gets_no_int3_of_limens" "strace not installed"
	skip "a traced program with threads: every call recorded" "strace not installed"
fi
as_bare late "a site first hot with threads running: results as bare"
is "$(site late threads)" e9 "a_site_first_hot_with_threads_running_is_rewritten_live"
is "$(count_calls "$tmp/late.trace" getppid)" $((5 * 3000 + 1)) \
	"a site rewritten with threads running: every call recorded"

# --- pthread_cancel -----------------------------------------------------------
bare_and_traced cancel cancel
as_bare cancel "pthread_cancel_of_a_thread_blocked_in_a_rewritten_read"
is "$(site cancel cancel)" e9 "pthread_cancel: the read site was rewritten"

# --- fork, vfork ----------------------------------------------------------------
bare_and_traced fork fork 2000
as_bare fork "fork_and_vfork_children_run_rewritten_sites: results as bare"
is "$(site fork fork)" e9 "fork and vfork: the site was rewritten before"
is "$(count_calls "$tmp/fork.trace" getppid)" $((3 + 2000 + 2000 + 1)) \
	"fork_and_vfork_children: every child's call recorded"
ntids=$(tids_of "$tmp/fork.trace" getppid | wc -l)
is "$ntids" 3 "fork and vfork: calls attributed to parent, fork child, vfork child"

# --- execve -------------------------------------------------------------------
bare_and_traced exec exec
as_bare exec "execve after rewriting: output as bare"
is "$(site exec before-exec)" e9 "execve: the old image's site was rewritten"
is "$(site exec after-exec)" b8 "execve_starts_unpatched: the new image's site as built"
is "$(site exec after-exec-calls)" e9 "execve: the new image's hot site is rewritten again"

# --- signals ----------------------------------------------------------------
bare_and_traced sig signals 100000
as_bare sig "signals_delivered_during_rewritten_calls: output as bare"
is "$(site sig signals)" e9 "signals: the read site was rewritten"
h=$(sed -n 's/^handlers //p' "$tmp/sig.err")
if [ -z "$h" ]; then
	fail "signals: the program counted its handlers" "$(head -5 "$tmp/sig.err")"
else
	# the SIGALRMs of the timer and the one of alarm(1)
	is "$(grep -c -- '--- SIGALRM' "$tmp/sig.trace")" $((h + 1)) \
		"signals_delivered_during_rewritten_calls: each delivery recorded once"
	# main's getppid, 3 + 100000 in the loop, one per handler
	is "$(count_calls "$tmp/sig.trace" getppid)" $((1 + 3 + 100000 + h)) \
		"signals: the handlers' calls are recorded too"
fi

# --- mprotect -----------------------------------------------------------------
bare_and_traced mp mprotect 1000
as_bare mp "the_programs_own_mprotect_of_a_patched_page: output as bare"
is "$(site mp mprotect)" e9 "mprotect: the site was rewritten before"
is "$(count_calls "$tmp/mp.trace" getppid)" $((1 + 3 + 1000)) \
	"mprotect: every call after RW and RX again recorded"

# --- code that changes: JIT, a library unloaded and loaded again ---------------
bare_and_traced jit jit
as_bare jit "jit_code_that_rewrites_and_unmaps_itself: calls as bare"
is "$(site jit jit)" b8 "jit: code in anonymous memory is never rewritten"
is "$(count_calls "$tmp/jit.trace" getppid)" 101 "jit: its getppid calls recorded"
is "$(count_calls "$tmp/jit.trace" getpid)" 101 "jit: its calls after the change recorded"
bare_and_traced reload reload
as_bare reload "a_library_unloaded_and_loaded_again_where_it_was_patched: calls as bare"
is "$(site reload reload-first)" e9 "reload: the first mapping's site was rewritten"
is "$(site reload reload-fresh)" b8 "reload: the new mapping's site is as built"
is "$(site reload reload-again)" e9 "reload: the new mapping's hot site is rewritten again"
is "$(count_calls "$tmp/reload.trace" getppid)" 201 "reload: every call recorded"

# --- patches are private ---------------------------------------------------------
cmp -s "$prog" "$(testbin rewrite)" && cp "$prog" "$tmp/prog.copy"
run_limen trace -o /dev/null -- "$prog" hot 100 >/dev/null 2>&1
if cmp -s "$prog" "$tmp/prog.copy"; then
	pass "patches_are_private: the program's file is unchanged"
else
	fail "patches_are_private: the program's file is unchanged"
fi
_run_to "$tmp/after" "$prog" hot 100
is "$(site after hot)" b8 "patches_are_private: a bare run afterwards sees its site as built"

# --- gdb ----------------------------------------------------------------------
# frames PID: the function of each frame of PID's main thread, one a line.
frames() {
	gdb -q -batch -p "$1" -ex bt </dev/null 2>/dev/null |
		sed -n -E 's/^#[0-9]+ +(0x[0-9a-f]+ in )?([^ ]+) .*/\2/p'
}
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
# gdb_case NAME WHAT [LIMEN OPTIONS]: a backtrace of the program blocked in
# its rewritten read shows site_read and main. Traced, the read is recorded
# (limen_fast_entry's full way, on limen's stack); under -e trace=none it
# blocks on the lean path, in limen's text on the program's stack with the
# stub's data word where the return address was (fast.S)
gdb_case() {
	local name=$1 what=$2 lim child i
	shift 2
	# under LIMEN_LOADER=preload: gdb -p names nothing under the
	# default loader (README, "limen's loader")
	LIMEN_LOADER=preload run_limen trace "$@" -o "$tmp/gdb.trace" -- "$prog" block 2>"$tmp/gdb.err" &
	lim=$!
	child=
	: >"$tmp/gdb.bt"
	for ((i = 0; i < 500; i++)); do
		child=$(descendant "$lim" rewrite)
		[ -n "$child" ] && grep -q '^0 ' "/proc/$child/syscall" 2>/dev/null &&
			grep -q "site block" "$tmp/gdb.err" && break
		sleep 0.01
	done
	if [ -n "$child" ]; then
		frames "$child" >"$tmp/gdb.bt"
		kill "$child" 2>/dev/null
	fi
	wait "$lim" 2>/dev/null
	is "$(site gdb block)" e9 "$name: the read site was rewritten before it blocked"
	if grep -qx site_read "$tmp/gdb.bt" && grep -qx main "$tmp/gdb.bt"; then
		pass "$name: site_read and main ($what)"
		diag "frames: $(tr '\n' ' ' <"$tmp/gdb.bt")"
	elif [ ! -s "$tmp/gdb.bt" ]; then
		skip "$name" "gdb cannot attach here"
	else
		fail "$name: site_read and main ($what)" "$(cat "$tmp/gdb.bt")"
	fi
}
if ! command -v gdb >/dev/null; then
	skip "gdb_backtrace_through_a_rewritten_read" "no gdb (apt-get install gdb)"
else
	gdb_case gdb_backtrace_through_a_rewritten_read "recorded"
	gdb_case gdb_backtrace_through_a_lean_read "lean path" -e trace=none
fi

done_testing
