#!/bin/bash
# SPDX-License-Identifier: MIT
#
# A handler's frame writes only what the kernel's does: the 16 bytes
# x86-64 leaves between the siginfo and the 64-byte aligned FPU state stay
# as the program had them (tests/progs/sigframe_gap.c, on a sigaltstack
# filled with a pattern). limen wrote its own signal stack's base and size
# there, for a way back of its own that handlers no longer take. Both
# loaders, each mode.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin sigframe_gap)
[ -x "$prog" ] || skip_all "tests/progs/sigframe_gap not built"

for L in loader preload; do
	export LIMEN_LOADER=$L
	for mode in "" --no-rewrite "-e trace=none"; do
		n=gap$L${mode// /}
		bare_and_traced "$n" $mode --
		as_bare "$n" "a_handler_frame_leaves_the_kernel_s_unwritten_bytes_alone ($L, ${mode:-default})"
	done
done
done_testing
