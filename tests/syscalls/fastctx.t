#!/bin/bash
# SPDX-License-Identifier: MIT
#
# A handler reads and changes the context a signal interrupted around a
# rewritten call site (tests/progs/fastctx.c): right after the call it
# finds rax the result, rcx the address after the `syscall` and r11 the
# flags, as the kernel's `syscall` leaves them (a signal delivered while
# the call runs on the recorded path gets its context from limen's
# frame, which src/runtime/arch/x86_64/fast.S fills: the loop alternates
# two sites, so that an rcx left from the call before, at the same place
# on limen's stack, is the other site's), and its changes of rax, r12
# and CF all reach the program.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin fastctx)
[ -x "$prog" ] || skip_all "tests/progs/fastctx not built ($prog)"

for L in loader preload; do
	export LIMEN_LOADER=$L
	bare_and_traced lean -e trace=none -- 1500
	as_bare lean "a_handler_finds_and_changes_the_program_s_context_around_a_lean_call ($L)"
	is "$(site lean ppid)" e9 "the loop's site is rewritten ($L)"
	is "$(site lean ppid2)" e9 "the loop's second site is rewritten ($L)"
	bare_and_traced rec -e trace=getppid -- 1500
	as_bare rec "a_handler_finds_rcx_and_r11_as_syscall_leaves_them_after_a_recorded_rewritten_call ($L)"
	bare_and_traced nolean --no-lean -e trace=none -- 1500
	as_bare nolean "a_handler_finds_rcx_and_r11_as_syscall_leaves_them_after_an_unrecorded_rewritten_call ($L)"
done
done_testing
