#!/bin/bash
# SPDX-License-Identifier: MIT
#
# The program's flags across a rewritten call site (tests/progs/
# fastflags.c): arithmetic flags, DF, ID and AC (alignment checking) set
# at the call come back as they went in, on the lean path and on the
# recorded way out, for a call that succeeds and one that fails. With AC
# set, any misaligned load limen makes on the way through the stub faults
# (SIGBUS) where the bare `syscall` reads nothing: the stub's data word,
# read with the program's flags, is 8-aligned (src/runtime/rewrite.c,
# stub_pad), and limen's signal handlers, which the kernel enters with
# the program's AC, clear it (src/runtime/acflag.h): the sites are made
# hot, and rewritten, with AC set; an openat and a read with AC set and
# a path and a buffer at odd addresses are recorded.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin fastflags)
[ -x "$prog" ] || skip_all "tests/progs/fastflags not built ($prog)"

for L in loader preload; do
	export LIMEN_LOADER=$L
	bare_and_traced lean -e trace=none -- 20
	as_bare lean "flags_AC_and_DF_set_at_a_lean_rewritten_call_come_back_unchanged_without_SIGBUS ($L)"
	is "$(site lean ppid)" e9 "the getppid site is rewritten ($L)"
	is "$(site lean close)" e9 "the close site is rewritten ($L)"
	bare_and_traced rec -s 64 -e trace=getppid,close,openat,read -- 20
	as_bare rec "flags_AC_and_DF_set_at_a_recorded_rewritten_call_come_back_unchanged_without_SIGBUS ($L)"
	bare_and_traced norw --no-rewrite -- 20
	as_bare norw "flags_set_at_a_call_through_SUD_come_back_unchanged ($L)"
	# the hooks and the filter on the quick way with AC set: a missing
	# file's openat died of SIGBUS there (fast.S clears AC now)
	for o in -f -y -z; do
		bare_and_traced missing$o $o -- 20
		as_bare missing$o "a_missing_files_openat_with_AC_set_comes_back_with_AC_without_SIGBUS ($L, $o)"
	done
done
done_testing
