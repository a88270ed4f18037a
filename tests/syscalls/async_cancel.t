#!/bin/bash
# SPDX-License-Identifier: MIT
#
# A signal that arrives while limen's code runs for a call of a rewritten
# site is held and delivered on the way out (src/runtime/rewrite.c: the
# gate). It must find the program's registers there (rip after the
# call's `syscall`, the result, the program's stack pointer): glibc's
# asynchronous cancellation and backtrace() in a handler unwind from the
# context the signal interrupted (tests/progs/async_cancel.c). Before, the
# gate's own registers were handed to the handler and the unwinder
# crashed the process. The same on the lean path, with nothing selected.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin async_cancel)
[ -x "$prog" ] || skip_all "tests/progs/async_cancel not built ($prog)"

for w in 0:getppid 1:read 3:getpid; do
	same_as_bare "async_pthread_cancel_of_a_thread_looping_on_a_rewritten_${w#*:}_site" \
		"$prog" cancel "${w%%:*}" 300
done
LIMEN_LOADER=preload same_as_bare \
	"async_pthread_cancel_on_a_rewritten_site_with_LD_PRELOAD" \
	"$prog" cancel 0 300
same_as_bare "backtrace_in_a_handler_that_interrupts_a_rewritten_site" \
	"$prog" bt 300
# unselected, the loop's calls take the lean path (src/runtime/lean.c): a
# signal there must find the program's frame as well
for L in loader preload; do
	for w in 0:getppid 2:sched_yield; do
		LIMEN_LOADER=$L bare_and_traced lean$w -e trace=openat -- cancel "${w%%:*}" 200
		as_bare lean$w "async_pthread_cancel_of_a_thread_looping_on_a_lean_${w#*:}_site ($L)"
	done
	LIMEN_LOADER=$L bare_and_traced leanbt -e trace=openat -- bt 200
	as_bare leanbt "backtrace_in_a_handler_that_interrupts_a_lean_loop ($L)"
done
done_testing
