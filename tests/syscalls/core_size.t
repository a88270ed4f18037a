#!/bin/bash
# SPDX-License-Identifier: MIT
#
# A core dumped under limen holds what the bare core holds, not limen's
# own image: limen's loader's (or liblimen's) ELF header, data and bss
# (404 KiB of the loader's: a core of a program that raises SIGSEGV at
# once was 745 KiB where bare it is 315 KiB). The runtime marks its own
# segments do-not-dump at start (src/runtime/init.c), as it does its
# rings, stacks and stub pages. Compared: the bytes of the cores'
# dumped segments, within two pages.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin crash)
[ -x "$prog" ] || skip_all "tests/progs/crash not built ($prog)"
need_cores_here
command -v readelf >/dev/null || skip_all "no readelf to read the cores"

# the bytes of the segments a core holds
dumped() {
	local s=0 f

	# the sizes are hex (0x...): bash's arithmetic reads them (mawk has
	# no strtonum)
	for f in $(readelf -lW "$1" | awk '$1 == "LOAD" { print $5 }'); do
		s=$((s + f))
	done
	echo "$s"
}

core_of() {
	local d=$tmp/$1
	shift
	mkdir -p "$d" && (cd "$d" && ulimit -c unlimited && "$@" >/dev/null 2>&1)
	ls "$d"/core* 2>/dev/null | head -1
}

bare=$(core_of bare "$prog")
[ -n "$bare" ] || skip_all "no core written bare (core_pattern '$pat')"
for L in loader preload; do
	got=$(LIMEN_LOADER=$L core_of "$L" "$LIMEN" trace -o "$tmp/$L.trace" -- "$prog")
	if [ -z "$got" ]; then
		fail "a_core_holds_none_of_limens_own_image ($L)" "no core under limen"
		continue
	fi
	b=$(dumped "$bare") l=$(dumped "$got")
	ok_if "a_core_holds_none_of_limens_own_image ($L)" [ "$l" -le $((b + 8192)) ]
	[ "$l" -le $((b + 8192)) ] || diag "dumped: bare $b bytes, under limen $l"
done
done_testing
