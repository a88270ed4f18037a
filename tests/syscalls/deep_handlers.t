#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Handlers nested on the main stack until it reaches RLIMIT_STACK: the
# kernel forces SIGSEGV when it cannot grow the stack for the next frame,
# and the program's handler takes it on its alternate stack. limen grows
# the stack for a frame below its mapping with a store of its own
# (stack.c, limen_grow_stack), within the limit counted from where the
# stack started, not from the top of its mapping as the kernel counts:
# the store of a frame in between faulted in limen's code and killed the
# program (SIGSEGV, no handler). This is what ended the SA_NODEFER storm
# of tests/progs/nodefer_storm.c under load (README, "Signals").
# tests/progs/deep_handlers.c; a large environment widens the gap.
# Under a seccomp filter of the program's that kills at one call limen's
# check made (ioctl 16, open 2, close 3, prlimit64 302) the check is not
# made: it killed the program. And a thread's handlers nested into its
# guard page with RLIMIT_STACK unlimited: the check took any address
# below the main stack's start for the main stack, and its store into
# the guard page killed the program (tests/progs/thread_deep_handlers.c).
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin deep_handlers)
[ -x "$prog" ] || skip_all "tests/progs/deep_handlers not built ($prog)"

big=$(head -c 100000 /dev/zero | tr '\0' x)
for env in small large; do
	if [ $env = large ]; then
		export LIMEN_TEST_BIG1=$big LIMEN_TEST_BIG2=$big
	fi
	for L in loader preload; do
		export LIMEN_LOADER=$L
		for mode in "rw" "sud --no-rewrite" "none -e trace=none"; do
			set -- $mode
			name=$1
			shift
			bare_and_traced $env$L$name "$@" --
			as_bare $env$L$name "handlers_nested_to_the_stack_limit_get_the_forced_sigsegv_as_bare ($env environment, $L, $name)"
		done
	done
done
unset LIMEN_TEST_BIG1 LIMEN_TEST_BIG2
for L in loader preload; do
	export LIMEN_LOADER=$L
	for nr in 16 2 3 302; do
		export LIMEN_TEST_KILLNR=$nr
		bare_and_traced f$nr$L --
		as_bare f$nr$L "handlers_nested_to_the_stack_limit_under_a_filter_killing_$nr: as bare ($L)"
	done
done
unset LIMEN_TEST_KILLNR
prog=$(testbin thread_deep_handlers)
for L in loader preload; do
	export LIMEN_LOADER=$L
	for lim in 8192 unlimited; do
		(ulimit -s $lim && bare_and_traced th$lim$L --)
		as_bare th$lim$L "a_thread_s_handlers_nested_into_its_guard_page_get_the_forced_sigsegv (stack limit $lim, $L)"
	done
done
done_testing
