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

run() {
	local name=$1
	shift
	_run_to "$tmp/$name.bare" "$prog" "$@"
	_run_to "$tmp/$name" "$LIMEN" trace -o "$tmp/$name.trace" "${opts[@]}" -- "$prog" "$@"
}
site() { sed -n "s/^site $2 //p" "$tmp/$1.err" | head -1; }

opts=()
run hot hot 1000
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
opts=(-e trace=none)
run libc libc 1000
bare=$(site libc.bare read)
if [ "$bare" != 80 ]; then
	skip "glibc_read_in_a_loop_is_rewritten_under_trace_none" "this glibc's read starts with $bare, not a cmpb"
else
	is "$(cat "$tmp/libc.out") $(cat "$tmp/libc.st") $(site libc read)" \
		"libc read: 1000 calls, 0 wrong 0 e9" "glibc_read_in_a_loop_is_rewritten_under_trace_none"
fi
opts=()
run libcfull libc 1000
is "$(cat "$tmp/libcfull.out") $(grep -c 'read([0-9]*, "\\0", 1) *= 1$' "$tmp/libcfull.trace")" \
	"libc read: 1000 calls, 0 wrong 1000" "glibc_read_fully_traced_each_call_recorded_once"
done_testing
