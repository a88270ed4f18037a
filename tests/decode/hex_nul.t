#!/bin/bash
# SPDX-License-Identifier: MIT
#
# -x shows a string in hex when one of its bytes would otherwise be an
# escape other than \t \n \v \f \r: a NUL ("\0") is one, as strace 6.1
# has it ("ab\0cd\0" with -x is "\x61\x62\x00\x63\x64\x00"). Without -x,
# the same bytes keep their short escapes. Checked against strace too
# when it can run here.
. "$(dirname "$0")/../lib.sh"
need_limen
plan 4

printf 'ab\0cd\0' >"$tmp/nul"
printf 'ab\tc\n' >"$tmp/tab"
line() { trace_body "$1" | grep -E '^read\(3, "(ab|\\x61)' | head -1; }

run_limen trace -x -e trace=read -o "$tmp/x" -- cat "$tmp/nul" >/dev/null
is "$(line "$tmp/x")" 'read(3, "\x61\x62\x00\x63\x64\x00", 131072) = 6' \
	"-x: NULs as the only escapes: the string in hex"
run_limen trace -e trace=read -o "$tmp/p" -- cat "$tmp/nul" >/dev/null
is "$(line "$tmp/p")" 'read(3, "ab\0cd\0", 131072) = 6' \
	"without -x: NULs as \\0"
run_limen trace -x -e trace=read -o "$tmp/t" -- cat "$tmp/tab" >/dev/null
is "$(line "$tmp/t")" 'read(3, "ab\tc\n", 131072) = 5' \
	"-x: a tab and a newline alone keep their escapes"
if command -v strace >/dev/null && strace -o /dev/null true 2>/dev/null; then
	strace -x -e trace=read -o "$tmp/s" cat "$tmp/nul" >/dev/null
	is "$(line "$tmp/x")" "$(line "$tmp/s")" "-x: strace's line"
else
	skip "strace cannot run here"
fi
