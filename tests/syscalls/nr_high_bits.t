#!/bin/bash
# SPDX-License-Identifier: MIT
#
# The kernel takes a call's number from rax's low 32 bits, whatever the
# high ones say; limen's hooks do too (dispatch.c's SIGSYS adapter drops
# them, and a rewritten site hands such a number to it: rewrite.c,
# limen_fast). An execve with bit 32 set went past limen's execve: the new
# image ran untraced ("the runtime did not start in the new image"), its
# line undecoded. tests/progs/nr_high_bits.c, in each mode.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin nr_high_bits)
[ -x "$prog" ] || skip_all "tests/progs/nr_high_bits not built ($prog)"

_run_to "$tmp/bare" "$prog"
is "$(cat "$tmp/bare.out")" "getppid same
getppid same" "bare: both images run"
for opts in "" "-e trace=none" "--no-rewrite"; do
	# shellcheck disable=SC2086
	_run_to "$tmp/l" "$LIMEN" trace $opts -o "$tmp/trace" -- "$prog"
	same_file "$tmp/l.out" "$tmp/bare.out" "output as bare (${opts:-full trace})"
	is "$(cat "$tmp/l.st")" 0 "exit status (${opts:-full trace})"
	is "$(grep -c "not traced" "$tmp/trace")" 0 \
		"an_execve_with_high_bits_in_its_number_is_limens_execve: the new image is traced (${opts:-full trace})"
done
"$LIMEN" trace -e trace=execve,getppid -o "$tmp/trace" -- "$prog" >/dev/null
is "$(grep -c '^[0-9]* *execve("[^"]*nr_high_bits", \[.*, "again"\], NULL) = 0' "$tmp/trace")" 1 \
	"the execve decoded as strace decodes it"
is "$(grep -c 'getppid() *= [0-9]' "$tmp/trace")" 4 \
	"each image's getppid calls, the high-bit ones named"
done_testing
