#!/bin/bash
# SPDX-License-Identifier: MIT
#
# A handler's frame that would run off the bottom of the program's
# sigaltstack (entering it, or nested on it): the kernel's get_sigframe
# writes nothing and forces SIGSEGV (force_sigsegv: the program's SIGSEGV
# handler takes it, SI_KERNEL, unless that overflows too). limen built the
# frame anyway, below ss_sp: the handler ran on a 2048-byte stack and
# 1512 bytes below it were written over (tests/progs/altstack_overflow.c).
# The boundary case finds, for four stack tops, the smallest size where
# the handler runs: limen's frame must need exactly the kernel's room.
# After the forced SIGSEGV its handler runs with the mask the failed
# delivery found (signal_setup_done changes nothing on failure): limen's
# held the failed handler's sa_mask and signal too (segvmask).
# Dynamic (both loaders), static, musl static; each mode.
. "$(dirname "$0")/../lib.sh"
need_limen
src=$_lib_dir/progs/altstack_overflow.c
progs=$(testbin altstack_overflow)
[ -x "$progs" ] || skip_all "tests/progs/altstack_overflow not built"
cc -static -O1 -D_GNU_SOURCE -o "$tmp/ao_static" "$src" 2>/dev/null &&
	progs="$progs $tmp/ao_static"
command -v musl-gcc >/dev/null &&
	musl-gcc -static -O1 -D_GNU_SOURCE -o "$tmp/ao_musl" "$src" 2>/dev/null &&
	progs="$progs $tmp/ao_musl"

for prog in $progs; do
	kind=${prog##*/}
	for L in loader preload; do
		export LIMEN_LOADER=$L
		[ "$L" = preload ] && [ "$kind" != altstack_overflow ] && continue
		for mode in "rw" "sud --no-rewrite" "none -e trace=none"; do
			set -- $mode
			name=$1
			shift
			for c in segvhandler nested nested-segv boundary norestorer; do
				bare_and_traced $kind$c$name$L "$@" -- $c
				as_bare $kind$c$name$L "a_frame_that_overflows_the_sigaltstack_forces_sigsegv_as_bare: $c ($kind, $L, $name)"
			done
			bare_and_traced $kind-mask$name$L "$@" -- segvmask
			as_bare $kind-mask$name$L "the_forced_sigsegv_handler_runs_with_the_mask_before_the_failed_delivery ($kind, $L, $name)"
		done
	done
done
done_testing
