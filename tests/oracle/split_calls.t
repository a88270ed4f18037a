#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# A call split by another thread's or process's lines is shown as strace
# shows it: "name(what is known at entry <unfinished ...>", then "<...
# name resumed>the rest) = ret". Where strace's decoder prints an
# argument at exit, limen does too, with the comma on the same side:
# clone's parent_tid, tls and child_tidptr ("<... clone resumed>,
# parent_tid=[N]) = N"), clone3's written-back fields and size ("<...
# clone3 resumed> => {parent_tid=[N]}, 88) = N") (tests/progs/split_clone.c:
# CLONE_VFORK makes the split certain).
. "$(dirname "$0")/../lib.sh"
need_limen
command -v strace >/dev/null || skip_all "strace is not installed"
strace -f -o /dev/null true 2>/dev/null || skip_all "strace cannot trace here"
prog=$(testbin split_clone)
[ -x "$prog" ] || skip_all "tests/progs/split_clone not built ($prog)"

# the clone and clone3 halves of a trace, pids and addresses normalized
halves() {
	sed -E -e 's/^[0-9]+ +//' -e 's/ +(= )/ \1/' "$1" |
		grep -E '^(clone3?\(|<\.\.\. clone3? resumed>)' |
		sed -E -e 's/0x[0-9a-f]+/ADDR/g' -e 's/[0-9]{2,}/N/g'
}

for L in loader preload; do
	LIMEN_LOADER=$L run_limen trace -o "$tmp/l.$L" -- "$prog" >"$tmp/out" 2>&1
	is "$(cat "$tmp/out")" "split_clone: ok" "the program runs as bare ($L)"
	strace -f -o "$tmp/s" -- "$prog" >/dev/null 2>&1
	halves "$tmp/s" >"$tmp/s.h"
	halves "$tmp/l.$L" >"$tmp/l.h"
	ok_if "strace splits both calls" test "$(grep -c 'resumed>' "$tmp/s.h")" = 2
	same_file "$tmp/l.h" "$tmp/s.h" \
		"a_split_clone_and_clone3_show_at_exit_what_strace_shows_there ($L)"
done
done_testing
