#!/bin/bash
# SPDX-License-Identifier: MIT
#
# An emulated tracefs file opened gets the lowest free descriptor, as an
# open of the kernel's does. One opened read-only or write-only is a
# memfd reopened through /proc/self/fd with the program's access mode:
# the reopened file took the next number and the memfd's was freed, so
# the program got 4 where the kernel gives 3 (and its next open got 3).
# The reopened file now takes the memfd's number (dup3).
# tests/progs/tfs_open_number.c.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin tfs_open_number)
[ -x "$prog" ] || skip_all "tests/progs/tfs_open_number not built ($prog)"
need_emulated_user_events

for L in loader preload; do
	LIMEN_LOADER=$L _run_to "$tmp/t" "$LIMEN" trace -o "$tmp/t.trace" -- "$prog"
	opened=$(grep -c -v -e ' lowest$' -e 'denied$' -e 'Invalid argument$' \
		-e 'directory$' "$tmp/t.out")
	is "$opened" 0 "an_emulated_tracefs_open_gets_the_lowest_free_descriptor ($L)"
	[ "$opened" = 0 ] || diag_file "$tmp/t.out"
	ok_if "the files are emulated: at least eight opens succeed ($L)" \
		[ "$(grep -c -e ' lowest$' -e ' got ' "$tmp/t.out")" -ge 8 ]
done
done_testing
