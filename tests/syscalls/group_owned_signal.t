#!/bin/bash
# SPDX-License-Identifier: MIT
#
# A signal sent to the process (kill) that one thread does not block must
# reach that thread, whatever the others do: here the main thread blocks
# it and sleeps, the sending thread blocks it and ends right after its
# kill(), and the thread that does not block it spins making calls.
# SIGSEGV, SIGBUS and SIGTRAP are limen's, never really blocked
# (src/runtime/owned.c): the kernel may hand one to the main or the ending
# thread, whose view blocks it; limen passes it back to the process
# (src/runtime/signals.c, pin), also when it arrives at the ending thread
# while limen records its exit (src/runtime/thread_end.c). Every trapped
# call of the spinning thread is a signal delivery of its own: with
# --no-rewrite, every one of them. tests/progs/groupspin.c runs the
# scenario ROUNDS times; a lost signal ends it with status 1 after 5 s.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin groupspin)
[ -x "$prog" ] || skip_all "tests/progs/groupspin not built ($prog)"
plan 11

rounds=60
for s in SEGV BUS TRAP; do
	n=$(kill -l "$s")
	same_as_bare "a_kill_SIG${s}_the_sender_and_main_block_reaches_the_thread_making_calls" \
		"$prog" "$n" "$rounds"
	LIMEN_NO_REWRITE=1 same_as_bare \
		"a_kill_SIG${s}_the_sender_and_main_block_reaches_the_thread_making_calls_with_--no-rewrite" \
		"$prog" "$n" "$rounds"
	LIMEN_LOADER=preload same_as_bare \
		"a_kill_SIG${s}_the_sender_and_main_block_reaches_the_thread_making_calls_with_LD_PRELOAD" \
		"$prog" "$n" "$rounds"
done
# an ordinary signal, really blocked where the program blocks it
n=$(kill -l USR1)
same_as_bare "a_kill_SIGUSR1_the_sender_and_main_block_reaches_the_thread_making_calls" \
	"$prog" "$n" "$rounds"
LIMEN_NO_REWRITE=1 same_as_bare \
	"a_kill_SIGUSR1_the_sender_and_main_block_reaches_the_thread_making_calls_with_--no-rewrite" \
	"$prog" "$n" "$rounds"
done_testing
