#!/bin/bash
# SPDX-License-Identifier: MIT
#
# -i / --instruction-pointer: each call's address (the instruction after
# its syscall instruction, recorded by the runtime from the SIGSYS frame)
# before its name, as strace -i prints it; lines without a call get
# strace's "[????????????????]".
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin callsite)

for opt in -i --instruction-pointer; do
	addr=$(run_limen trace $opt -o "$tmp/t" -e trace=getppid -- "$prog")
	want=$(printf '[%s] getppid()' "$addr")
	ok_if "$opt: the getppid line starts with its call site $addr" \
		grep -q -F "$want" "$tmp/t"
done
ok_if "-i: the exit line has strace's placeholder" \
	grep -q -E '^[0-9]+ +\[\?{16}\] \+\+\+ exited with 0 \+\+\+$' "$tmp/t"
if command -v strace >/dev/null && strace -o /dev/null true 2>/dev/null; then
	addr=$(strace -i -o "$tmp/s" -e trace=getppid -- "$prog")
	ok_if "strace -i shows the same address for the same call" \
		grep -q -F "$(printf '[%s] getppid()' "$addr")" "$tmp/s"
	# the calls of cat: the same addresses within their pages (the
	# libraries are loaded elsewhere, limen's runtime being one more)
	printf 'hello\n' >"$tmp/in"
	strace -i -e trace=read,write,close -- cat "$tmp/in" 2>&1 >/dev/null |
		sed -n '/^\[[0-9a-f]*\] read(3, "hello/,$p' |
		sed -E 's/^\[[0-9a-f]{13}/[/' >"$tmp/s"
	run_limen trace -i -e trace=read,write,close -- cat "$tmp/in" 2>&1 >/dev/null |
		sed -n '/^\[[0-9a-f]*\] read(3, "hello/,$p' |
		sed -E 's/^\[[0-9a-f]{13}/[/' >"$tmp/l"
	ok_if "cat -i: lines there" test -s "$tmp/l"
	same_file "$tmp/l" "$tmp/s" "cat -i: strace's lines, addresses alike within their page"
else
	skip "strace -i: the same address" "strace cannot run here"
fi
out=$(run_limen record -i -o "$tmp/rec" -- true 2>&1)
is "$?" 1 "record -i: refused, saying why ($out)"
done_testing
