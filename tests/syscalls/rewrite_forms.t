#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Call sites whose 5-byte instruction is followed by other instructions
# before the `syscall` (glibc's futex, rwlock, epoll_pwait and
# sched_getaffinity forms; src/runtime/rewrite_forms.c): the 5-byte
# instruction becomes a jmp, the stub runs a copy of the others, and
# results, errors, the registers they set and the flags after the call are
# as bare, through the stub and through a branch that lands on a copied
# instruction (which runs in place and reaches SUD). tests/progs/
# rewrite_forms.c prints "site MODE-NAME XX": b8 as built, e9 rewritten.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin rewrite_forms)
[ -x "$prog" ] || skip_all "tests/progs/rewrite_forms not built ($prog)"

bare_and_traced hot hot 1000
is "$(cat "$tmp/hot.bare.out")" "hot: 1000 rounds, 0 wrong
branch: 1000 rounds, 0 wrong" "the program's own checks pass bare"
as_bare hot "copied_instructions: results, errors, registers and flags as bare"
is "$(site hot.bare hot-xor)$(site hot.bare hot-rw)" b8b8 "the sites as built start with mov \$nr,%eax"
is "$(site hot hot-xor)" e9 "futex_form_mov_then_xor_0x80_sil_is_rewritten"
is "$(site hot hot-close)" e9 "a_copied_register_move_is_rewritten_and_its_error_returned"
is "$(site hot hot-stack)" e9 "a_copied_load_from_the_stack_is_rewritten"
is "$(site hot hot-cmov)" e9 "copied_cmp_and_cmovbe_are_rewritten_flags_as_bare"
is "$(site hot hot-rw)" e9 "rwlock_form_test_setne_shl_xor_is_rewritten"
is "$(site hot hot-load)" e9 "a_stack_load_replaced_with_copied_register_move_and_load_is_rewritten"
# main's getppid; xor, rw, cmov 1000 each; xor and rw through the branch
is "$(count_calls "$tmp/hot.trace" getppid)" $((1 + 3 * 1000 + 2 * 1000)) \
	"every_call_through_a_stub_or_a_branch_into_copied_code_is_recorded_once"
is "$(grep -c 'close(-[12]) *= -1 EBADF' "$tmp/hot.trace")" $((2 * 1000)) "every failing close recorded"
is "$(grep -c 'close(-1) *= -1 EBADF' "$tmp/hot.trace")" $((1000 / 2 + 1000)) \
	"a_failing_call_through_copied_instructions_shows_its_errno"
is "$(count_calls "$tmp/hot.trace" kill)" $((4 * 1000)) "every kill through the stack-load sites recorded"

# threads calling the futex-form and stack-load sites from the start:
# patched int3 first while they run them; a thread that meets the int3
# does the replaced mov and goes on at the first copied instruction.
# Several rounds, so that some thread meets it.
bad=
# (traced, the threads go on until both sites are patched: "late extra
# K" more rounds, each a getppid and a kill)
for r in 1 2 3 4 5; do
	bare_and_traced late late 3000
	x=$(sed -n 's/^late extra //p' "$tmp/late.err")
	cmp -s "$tmp/late.bare.out" "$tmp/late.out" &&
		cmp -s "$tmp/late.bare.st" "$tmp/late.st" &&
		[ "$(site late late-xor)$(site late late-load)" = e9e9 ] &&
		[ "$(count_calls "$tmp/late.trace" getppid)" = $((5 * 3000 + 1 + ${x:-0})) ] &&
		[ "$(count_calls "$tmp/late.trace" kill)" = $((5 * 3000 + ${x:-0})) ] ||
		bad="$bad round $r: status $(cat "$tmp/late.st"), sites $(site late late-xor) $(site late late-load), $(count_calls "$tmp/late.trace" getppid) getppid, $(count_calls "$tmp/late.trace" kill) kill, $(cat "$tmp/late.out");"
done
is "$(cat "$tmp/late.bare.out")" "late: 5 threads, 3000 calls each, 0 wrong" "late: right bare"
is "$bad" "" "sites_with_copied_instructions_patched_while_threads_run_them: results as bare, every call once"

# a signal during a rewritten read with a copied instruction: restarted
# at the `syscall` (not the copied instruction), or EINTR
bare_and_traced restart restart
is "$(cat "$tmp/restart.bare.out")" "restart: SA_RESTART read 1 y
restart: plain handler read -4" "restart: as expected bare"
as_bare restart "signal_during_a_call_with_copied_instructions_restarts_or_fails_with_EINTR_as_bare"
is "$(site restart restart-read)" e9 "restart: the read site was rewritten"

# a thread that meets limen's int3 at a site being patched: the program's
# own int3 over the patched jmp stands for it (limen's handler cannot tell
# them apart, and need not: the site's int3 always means the mov). Traced
# only: bare, the int3 kills the program.
_run_to "$tmp/int3" "$LIMEN" trace -o "$tmp/int3.trace" -- "$prog" int3 500
is "$(cat "$tmp/int3.st") $(sed -n 's/^int3: //p' "$tmp/int3.out")" \
	"0 500 rounds through the int3, 0 wrong" \
	"the_int3_handler_does_the_replaced_mov_and_goes_on_at_the_first_copied_instruction"
# late's 5 x 500 getppid and kill (and its extra rounds), main's getppid,
# then 500 getppid and 1000 kill
x=$(sed -n 's/^late extra //p' "$tmp/int3.err")
is "$(count_calls "$tmp/int3.trace" getppid) $(count_calls "$tmp/int3.trace" kill)" \
	"$((5 * 500 + ${x:-0} + 1 + 500)) $((5 * 500 + ${x:-0} + 2 * 500))" \
	"calls through the int3 reach SUD: each recorded once"

done_testing
