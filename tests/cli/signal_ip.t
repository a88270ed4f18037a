#!/bin/bash
# SPDX-License-Identifier: MIT
#
# -i on signal lines: where the signal found the program, as strace -i
# prints it ("[00007f...] --- SIGUSR1 {...} ---"): for a signal delivered
# as a call returns, the instruction after that call's syscall (the call's
# own -i address); for a fault, the faulting instruction. Compared with
# strace -i on the same program within their page (the libraries load
# elsewhere under limen, its runtime being one more mapping).
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin sigip)

run_limen trace -i -o "$tmp/l" -e trace=kill -- "$prog"
k=$(sed -nE 's/^[0-9]+ +\[([0-9a-f]{16})\] kill\(.*/\1/p' "$tmp/l")
ok_if "-i: SIGUSR1 at kill's return, where kill's line says ($k)" \
	grep -qE "^[0-9]+ +\[$k\] --- SIGUSR1 " "$tmp/l"
ok_if "-i: SIGSEGV at an address, not strace's placeholder" \
	grep -qE '^[0-9]+ +\[[0-9a-f]{16}\] --- SIGSEGV ' "$tmp/l"
if command -v strace >/dev/null && strace -o /dev/null true 2>/dev/null; then
	strace -i -o "$tmp/s" -e trace=kill -- "$prog"
	# the signal lines, addresses within their page, siginfo's pid out
	sig_lines() {
		grep -E -- '--- SIG' "$1" | sed -E 's/^[0-9]+ +//;
			s/^\[[0-9a-f]{13}/[/; s/si_pid=[0-9]+/si_pid=P/'
	}
	sig_lines "$tmp/s" >"$tmp/s.sig"
	sig_lines "$tmp/l" >"$tmp/l.sig"
	ok_if "strace -i: two signal lines" test "$(wc -l <"$tmp/s.sig")" -eq 2
	same_file "$tmp/l.sig" "$tmp/s.sig" "-i: signal lines as strace's, addresses alike within their page"
else
	skip "strace -i: the same addresses" "strace cannot run here"
fi
done_testing
