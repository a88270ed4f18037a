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
done_testing
