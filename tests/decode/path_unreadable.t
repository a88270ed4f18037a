#!/bin/bash
# SPDX-License-Identifier: MIT
#
# A path that turns unreadable before its NUL (a few bytes at the end of a
# page whose next page is unmapped) is shown by its address, as strace
# shows it (its read of the path fails), not as the readable bytes
# truncated ("x"...): the kernel answers EFAULT, and strace never shows a
# path it could not read whole. A path whose NUL is the page's last byte
# is shown as the string. Both ways in (SUD, the rewritten site's), both
# runtimes. tests/progs/path_unreadable.c.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin path_unreadable)
[ -x "$prog" ] || skip_all "tests/progs/path_unreadable.c not built"

for ld in loader preload; do
	if [ $ld = preload ]; then
		export LIMEN_LOADER=preload
	else
		unset LIMEN_LOADER
	fi
	run_limen trace -o "$tmp/tr.$ld" -e trace=openat -- "$prog" \
		>"$tmp/out.$ld" 2>&1
	is "$(cat "$tmp/out.$ld")" "$(printf 'efault 63\nok 3')" \
		"$ld: the calls' results are the kernel's"
	trace_body "$tmp/tr.$ld" >"$tmp/body.$ld"
	is "$(grep -c '^openat(AT_FDCWD, 0x[0-9a-f]*, O_RDONLY) = -1 EFAULT (Bad address)$' "$tmp/body.$ld")" 63 \
		"$ld: each path unreadable before its NUL is shown by its address"
	is "$(grep -c '^openat(AT_FDCWD, "x' "$tmp/body.$ld")" 0 \
		"$ld: none is shown as its readable bytes"
	is "$(grep -c '^openat(AT_FDCWD, "/etc/hostname", O_RDONLY) = [0-9]' "$tmp/body.$ld")" 3 \
		"$ld: a path ending on the page's last byte is shown whole"
done
done_testing
