#!/bin/bash
# SPDX-License-Identifier: MIT
#
# A thread's stack overflow, with a SIGSEGV handler and no sigaltstack:
# the kernel cannot write the handler's frame below the thread's guard
# page and kills with SIGSEGV, as bare. limen maps each thread's signal
# stack when the thread starts, which puts it right below the thread's
# stack; an inaccessible gap above it (src/runtime/rt.h,
# LIMEN_STACK_GAP_BYTES) keeps the program's frame and the program's
# overflow off limen's stack. tests/progs/overflow.c.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin overflow)
[ -x "$prog" ] || skip_all "tests/progs/overflow not built ($prog)"
plan 6

same_as_bare "a_fault_at_the_bottom_of_a_threads_guard_page_kills_without_its_handler" \
	"$prog" guard
# as strace shows it: the fault, then the SIGSEGV the kernel forces when
# it cannot write the handler's frame (force_sigsegv), and nothing after
n=$(grep -- '--- SIGSEGV' "$tmp/trace" | sed 's/.*si_code=\([A-Z_]*\).*/\1/' | tr '\n' ' ')
is "$n" "SEGV_ACCERR SI_KERNEL " "the_trace_shows_the_fault_and_the_kernels_forced_SIGSEGV_and_nothing_run_after_them"
same_as_bare "a_thread_recursing_with_4KiB_frames_dies_of_SIGSEGV_without_its_handler" \
	"$prog" deep
LIMEN_LOADER=preload same_as_bare "the_fault_in_the_guard_kills_as_bare_with_LD_PRELOAD" \
	"$prog" guard
LIMEN_NO_REWRITE=1 same_as_bare "the_fault_in_the_guard_kills_as_bare_with_--no-rewrite" \
	"$prog" guard

# the case it was found with: Python's faulthandler (its handler prints
# the Python stack when it can run) and a stack overflow in a thread
if py=$(python_with faulthandler); then
	same_as_bare "pythons_faulthandler_stack_overflow_in_a_thread_as_bare" \
		"$py" -c 'import faulthandler, threading
faulthandler.enable()
t = threading.Thread(target=faulthandler._stack_overflow)
t.start(); t.join()'
else
	skip "pythons_faulthandler_stack_overflow_in_a_thread_as_bare" "no python3"
fi
done_testing
