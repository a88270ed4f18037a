#!/bin/bash
# SPDX-License-Identifier: MIT
#
# SA_RESETHAND puts back SIG_DFL and nothing else: sigaction then reads
# sa_flags 0x84000004 (SA_SIGINFO kept), where limen cleared SA_SIGINFO.
# A handler's uc_stack.ss_flags holds the thread's sigaltstack flags as
# last set (__save_altstack), not sigaltstack()'s answer: 0 in the main
# thread that never set one, where limen gave SS_DISABLE; 2 in a new
# thread (tests/progs/resethand_flags.c). Dynamic (both loaders), static,
# musl static; each mode.
. "$(dirname "$0")/../lib.sh"
need_limen
src=$_lib_dir/progs/resethand_flags.c
progs=$(testbin resethand_flags)
[ -x "$progs" ] || skip_all "tests/progs/resethand_flags not built"
cc -static -O1 -o "$tmp/rh_static" "$src" -lpthread 2>/dev/null &&
	progs="$progs $tmp/rh_static"
command -v musl-gcc >/dev/null &&
	musl-gcc -static -O1 -o "$tmp/rh_musl" "$src" -lpthread 2>/dev/null &&
	progs="$progs $tmp/rh_musl"

for prog in $progs; do
	kind=${prog##*/}
	for L in loader preload; do
		export LIMEN_LOADER=$L
		[ "$L" = preload ] && [ "$kind" != resethand_flags ] && continue
		for mode in "rw" "sud --no-rewrite" "none -e trace=none"; do
			set -- $mode
			name=$1
			shift
			bare_and_traced $kind$name$L "$@" --
			as_bare $kind$name$L "sa_resethand_keeps_sa_siginfo_and_uc_stack_shows_the_threads_flags ($kind, $L, $name)"
		done
	done
done
done_testing
