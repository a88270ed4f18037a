#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# A number no table knows prints as strace 6.1 prints it: syscall_ and the
# number as the kernel takes it, its low 32 bits as an int, sign-extended
# (what a tracer reads in orig_rax): 500 is syscall_0x1f4, 0xffffffff and
# -1 are syscall_0xffffffffffffffff, 0x80000000 is
# syscall_0xffffffff80000000. limen printed syscall_0xffffffff and
# syscall_0x80000000. tests/progs/unknown_nr.c.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin unknown_nr)
[ -x "$prog" ] || skip_all "tests/progs/unknown_nr not built"

names() {
	sed -E 's/^[0-9]+ +//' "$1" |
		grep -o '^syscall_0x[0-9a-f]*(0x1, 0x2, 0x3, 0x4, [^)]*) *= -1 ENOSYS' |
		sed -E 's/\(.*//'
}
want='syscall_0x1f4
syscall_0xffffffffffffffff
syscall_0xffffffffffffffff
syscall_0xffffffff80000000
syscall_0xffffffffffffffff'
for opts in "" "--no-rewrite"; do
	# shellcheck disable=SC2086
	bare_and_traced unk $opts --
	as_bare unk "output and status as bare (${opts:-default})"
	is "$(names "$tmp/unk.trace")" "$want" \
		"an_unknown_number_is_named_sign_extended_as_strace (${opts:-default})"
done
if command -v strace >/dev/null; then
	strace -o "$tmp/s" "$prog" >/dev/null
	is "$(names "$tmp/unk.trace")" "$(names "$tmp/s")" \
		"the_unknown_calls_lines_as_strace_s"
else
	skip "the_unknown_calls_lines_as_strace_s" "no strace"
fi
done_testing
