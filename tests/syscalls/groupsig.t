#!/bin/bash
# SPDX-License-Identifier: MIT
#
# A signal sent to the process (kill) while the thread the kernel hands it
# to blocks it must reach another thread, as without limen: one that does
# not block it, or the sigwaitinfo of any thread. SIGSEGV, SIGBUS and
# SIGTRAP are limen's, never really blocked (src/runtime/owned.c), so the
# kernel may give one to the main thread whose view blocks it; limen puts
# it back in the process's queue. tests/progs/groupsig.c (alarm(5) ends a
# signal that is lost).
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin groupsig)
[ -x "$prog" ] || skip_all "tests/progs/groupsig not built ($prog)"
plan 11

for s in SEGV BUS TRAP; do
	n=$(kill -l "$s")
	same_as_bare "a_kill_SIG${s}_all_threads_block_is_taken_by_another_threads_sigwaitinfo" \
		"$prog" sigwait "$n"
	same_as_bare "a_kill_SIG${s}_the_main_thread_blocks_is_handled_by_the_thread_that_does_not" \
		"$prog" other "$n"
	same_as_bare "a_kill_SIG${s}_while_all_threads_block_it_comes_to_the_main_thread_when_it_unblocks" \
		"$prog" late "$n"
done
# the same without rewritten sites and with ld.so's preload
LIMEN_NO_REWRITE=1 same_as_bare "a_kill_SIGSEGV_reaches_sigwaitinfo_with_--no-rewrite" \
	"$prog" sigwait "$(kill -l SEGV)"
LIMEN_LOADER=preload same_as_bare "a_kill_SIGSEGV_reaches_the_other_threads_handler_with_LD_PRELOAD" \
	"$prog" other "$(kill -l SEGV)"
done_testing
