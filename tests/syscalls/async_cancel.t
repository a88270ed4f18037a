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
# crashed the process.
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
done_testing
