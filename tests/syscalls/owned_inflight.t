#!/bin/bash
# SPDX-License-Identifier: MIT
#
# A signal the process sends itself (kill) while every thread blocks it is
# pending when kill() returns, for every way of looking: sigpending,
# sigtimedwait, a signalfd's read, an unblock that delivers it at once.
# SIGSEGV, SIGBUS and SIGTRAP are limen's, never really blocked
# (src/runtime/owned.c): the kernel may hand one to a second thread that
# blocks it only in limen's view, which puts it back in the process's
# queue; in between it is in transit and must still count as pending
# (src/runtime/owned_transit.c). tests/progs/owned_inflight.c: many rounds,
# each with a fresh second thread that makes vfork children (limen blocks
# every signal around each, which widens the window); it prints the rounds
# that missed the signal, 0 bare.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin owned_inflight)
[ -x "$prog" ] || skip_all "tests/progs/owned_inflight not built ($prog)"
rounds=100
plan 9

segv=$(kill -l SEGV)
for mode in pending timedwait signalfd unblock; do
	same_as_bare "a_kill_SIGSEGV_all_threads_block_is_seen_at_once_by_${mode}_while_another_thread_passes_it_back" \
		"$prog" "$mode" "$segv" "$rounds"
done
for s in BUS TRAP; do
	for mode in pending unblock; do
		same_as_bare "a_kill_SIG${s}_all_threads_block_is_seen_at_once_by_${mode}_while_another_thread_passes_it_back" \
			"$prog" "$mode" "$(kill -l "$s")" "$rounds"
	done
done
# the same with ld.so's preload instead of limen's loader
LIMEN_LOADER=preload same_as_bare "a_kill_SIGSEGV_is_seen_at_once_by_signalfd_with_LD_PRELOAD" \
	"$prog" signalfd "$segv" "$rounds"
done_testing
