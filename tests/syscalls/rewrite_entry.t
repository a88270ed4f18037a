#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Call sites whose only instruction of 5 bytes or more before the `syscall`
# is a rip-relative cmp at the function's entry (glibc 2.36's read:
# cmpb $0,__libc_single_threaded(%rip); je; xor %eax,%eax; syscall). The
# cmp's boundary is proved from the function's FDE (src/runtime/
# rewrite_entry.c); it becomes a jmp, its stub runs the cmp re-aimed and
# the je as a jcc to the original target. Results, errors, flags, the
# state the je's target finds are as bare, each call recorded once; and
# this machine's glibc read, in a loop, is rewritten under -e trace=none.
# tests/progs/rewrite_entry.c prints "site NAME XX": 80 as built, e9
# rewritten.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin rewrite_entry)
[ -x "$prog" ] || skip_all "tests/progs/rewrite_entry not built ($prog)"

# the reads of one byte of /dev/zero in a trace (threads' lines joined)
zero_reads() { trace_body "$1" | grep -c '^read([0-9]*, "\\0", 1) = 1$'; }

bare_and_traced hot hot 1000
is "$(head -3 "$tmp/hot.bare.out")" "flag 1: 1000 rounds, 0 wrong
flag 0 and 1: 1000 rounds, 0 wrong
EBADF: 1000 rounds, 0 wrong" "the program's own checks pass bare"
is "$(site hot.bare entry)" 80 "the site as built starts with the rip-relative cmp"
is "$(site hot entry)" e9 "a_site_with_only_a_rip_relative_cmp_at_the_function_entry_is_rewritten"
if cmp -s "$tmp/hot.bare.out" "$tmp/hot.out" && cmp -s "$tmp/hot.bare.st" "$tmp/hot.st"; then
	pass "rip_cmp_site_results_errno_flags_and_the_je_targets_state_as_bare_for_flag_0_and_1"
else
	fail "rip_cmp_site_results_errno_flags_and_the_je_targets_state_as_bare_for_flag_0_and_1" \
		"$(diff -u "$tmp/hot.bare.out" "$tmp/hot.out")" "stderr: $(head -5 "$tmp/hot.err")"
fi
# 2000 reads of /dev/zero through either path and the last one; 1000 of fd -1
is "$(grep -c 'read([0-9]*, "\\0", 1) *= 1$' "$tmp/hot.trace") $(grep -c 'read(-1, .*= -1 EBADF' "$tmp/hot.trace")" \
	"2001 1000" "every_read_through_the_rip_cmp_stub_or_its_je_target_is_recorded_once"

# glibc's own read: rewritten where it has this shape (2.36's); its
# first byte read from the program's memory
bare_and_traced libc -e trace=none -- libc 1000
bare=$(site libc.bare read)
if [ "$bare" != 80 ]; then
	skip "glibc_read_in_a_loop_is_rewritten_under_trace_none" "this glibc's read starts with $bare, not a cmpb"
else
	is "$(cat "$tmp/libc.out") $(cat "$tmp/libc.st") $(site libc read)" \
		"libc read: 1000 calls, 0 wrong 0 e9" "glibc_read_in_a_loop_is_rewritten_under_trace_none"
fi
bare_and_traced libcfull libc 1000
is "$(cat "$tmp/libcfull.out") $(grep -c 'read([0-9]*, "\\0", 1) *= 1$' "$tmp/libcfull.trace")" \
	"libc read: 1000 calls, 0 wrong 1000" "glibc_read_fully_traced_each_call_recorded_once"

# threads calling the site from the start: patched int3 first while they
# run it; a thread that meets the int3 goes to the stub, which runs the
# cmp re-aimed. Several rounds, so that some thread meets it.
bad=
for r in 1 2 3 4 5; do
	bare_and_traced late late 3000
	cmp -s "$tmp/late.bare.out" "$tmp/late.out" &&
		cmp -s "$tmp/late.bare.st" "$tmp/late.st" &&
		[ "$(site late late)" = e9 ] &&
		[ "$(zero_reads "$tmp/late.trace")" = $((5 * 3000)) ] ||
		bad="$bad round $r: status $(cat "$tmp/late.st"), site $(site late late), $(zero_reads "$tmp/late.trace") reads, $(cat "$tmp/late.out");"
done
is "$(cat "$tmp/late.bare.out")" "late: 5 threads, 3000 calls each, 0 wrong" "late: right bare"
is "$bad" "" "a_rip_cmp_site_patched_while_threads_run_it_results_as_bare_every_read_once"

# a thread that meets limen's int3 while the site is patched: the
# program's own int3 over the patched jmp stands for it. Traced only:
# bare, the int3 kills the program.
_run_to "$tmp/int3" "$LIMEN" trace -o "$tmp/int3.trace" -- "$prog" int3 500
is "$(cat "$tmp/int3.st") $(sed -n 's/^int3: //p' "$tmp/int3.out")" \
	"0 500 rounds through the int3, 0 wrong" \
	"the_int3_handler_sends_a_thread_at_a_rip_cmp_site_to_its_stub_flag_0_and_1"
# late's 5 x 500, then 500 of fd 0 and 500 of fd -1
is "$(zero_reads "$tmp/int3.trace") $(grep -c 'read(-1, .*= -1 EBADF' "$tmp/int3.trace")" \
	"$((5 * 500 + 500)) 500" "calls_through_the_int3_are_each_recorded_once"
done_testing
