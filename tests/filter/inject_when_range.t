#!/bin/bash
# SPDX-License-Identifier: MIT
#
# -e inject=...:when= takes strace 6.1's whole grammar,
# FIRST[..LAST][+[STEP]] (FIRST, STEP in 1..65535, LAST in FIRST..65534,
# each number as strtol reads it), and injects into the same calls
# (tests/progs/purecalls.c: 45 getuid, their results printed); what strace
# refuses, limen refuses. And `all` with a when= counts every call number
# (no cap on how many calls are counted).
. "$(dirname "$0")/../lib.sh"
need_limen
command -v strace >/dev/null || skip_all "strace is not installed"
strace -o /dev/null true 2>/dev/null || skip_all "strace cannot trace here (no ptrace)"
prog=$(testbin purecalls)
[ -x "$prog" ] || skip_all "tests/progs/purecalls.c not built"

for w in 2 2+ 2+3 2..3 2..3+ 2..9+3 1..30+7 5..20 2..2 +2 " 2" 02 2..03 \
	 2..+2 2++3 "2+ 3" "2.. 3" 2..3++1 1..65534+65535 1..65534 2+65535 \
	 65535 40; do
	strace -o /dev/null -e inject=getuid:retval=7:when="$w" -- "$prog" 45 \
		>"$tmp/s" 2>&1
	run_limen trace -o /dev/null -e inject=getuid:retval=7:when="$w" \
		-- "$prog" 45 >"$tmp/l" 2>&1
	same_file "$tmp/l" "$tmp/s" "when='$w' injects into the calls strace does"
done

for w in 0 2+0 2..3+0 0x2 65536 2.3 2... "2..3 " -2 2+-1 2++ 2..3++ \
	 2..-3 "2+3 " 2..0 3..2 1..65535 2+65536 "2..3+ " "+ 2" "2 " ""; do
	strace -o /dev/null -e inject=getuid:retval=7:when="$w" -- "$prog" 1 \
		>/dev/null 2>&1
	s=$?
	run_limen trace -o /dev/null -e inject=getuid:retval=7:when="$w" \
		-- "$prog" 1 >/dev/null 2>"$tmp/err"
	l=$?
	ok_if "when='$w' is refused as strace refuses it" \
		[ "$s/$l/$(grep -c 'invalid inject argument' "$tmp/err")" = 1/1/1 ]
done

strace -o /dev/null -e inject=all:error=ENOSYS:when=100 -- "$prog" 3 \
	>"$tmp/s" 2>&1
run_limen trace -o /dev/null -e inject=all:error=ENOSYS:when=100 \
	-- "$prog" 3 >"$tmp/l" 2>&1
same_file "$tmp/l" "$tmp/s" "inject=all:...:when=100 counts every call number, as strace"
done_testing
