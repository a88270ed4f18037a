#!/bin/bash
# SPDX-License-Identifier: MIT
#
# A new thread or child starts with its parent's floating-point state, as
# bare: MXCSR (flush-to-zero, denormals-are-zero, rounding: -ffast-math's
# start files set them), the x87 control word, xmm0-15 and ymm0-15
# (tests/progs/clone_fpu.c). limen's SIGSYS handler, where a clone is
# made, starts with every component in its initial state: a thread began
# with MXCSR 0x1f80 for the program's 0xbfc0 (src/runtime/pkru.c,
# limen_fpu_inherit). Both loaders; Syscall User Dispatch alone and with
# rewritten sites.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin clone_fpu)
[ -x "$prog" ] || skip_all "tests/progs/clone_fpu not built ($prog)"

for L in loader preload; do
	export LIMEN_LOADER=$L
	for mode in "sud --no-rewrite" "rw" "none -e trace=none"; do
		set -- $mode
		name=$1
		shift
		for what in pthread raw raw-avx vfork fork; do
			bare_and_traced $what$name$L "$@" -- $what
			as_bare $what$name$L "a_${what}_child_starts_with_the_parents_mxcsr_x87_and_vector_registers ($L, $name)"
		done
	done
done
done_testing
