#!/bin/bash
# SPDX-License-Identifier: MIT
#
# The uaccess oracle (tests/progs/uaccess_oracle.c): limen run logs what
# each case's call touches; the check runs bare, so the kernel itself
# proves every logged range (guard pages, canaries). One test per case,
# named for its call; then docs/uaccess-coverage.md must be what the
# oracle says today.
. "$(dirname "$0")/../lib.sh"
need_limen

prog=$(testbin uaccess_oracle)
repo=$(cd "$(dirname "$0")/../.." && pwd)

# its scratch files under our own directory, not in /tmp itself
export TMPDIR=$tmp
"$LIMEN" run -- "$prog" log >"$tmp/log" 2>"$tmp/log.err"
is "$?" 0 "the logging run under limen run ends well"
ncases=$("$prog" list | wc -l)
is "$(grep -c '^C ' "$tmp/log")" "$ncases" "every case logged"

# a case proves the path its call takes: every call must succeed, but for
# those whose point is an error (a futex word that differs: EAGAIN; a
# sigsuspend ended by the pending signal: EINTR; a time out of range, read
# whole and refused, so that the clock is never changed: EINVAL; an
# io_uring wait of 1 us for a completion that never comes: ETIME; an iocb
# whose key is not the kernel's, read and refused: EINVAL; swapoff of a
# file that is no swap area: EINVAL; the LSM attribute calls, with no LSM
# here that has attributes: EOPNOTSUPP; execve and execveat of a file with
# no format the kernel knows, read whole first: ENOEXEC)
is "$(awk '/^C / && $3 < 0 { printf "%s %s\n", $2, $3 }' "$tmp/log")" \
"futex -11
futex_waitv -11
futex_wait -11
rt_sigsuspend -4
settimeofday -22
clock_settime -22
io_uring_enter_wait -62
io_cancel -22
swapoff -22
lsm_get_self_attr -95
lsm_set_self_attr -95
execve -8
execveat -8" "every case's call succeeds, but those meant to fail"

"$prog" check "$tmp/log" >"$tmp/check" 2>&1
is "$?" 0 "the bare check ends well"
if grep -q '^U direction proven' "$tmp/check"; then
	pass "read versus write proven with userfaultfd"
else
	skip "read versus write proven with userfaultfd" \
		"$(sed -n 's/^U direction //p' "$tmp/check")"
fi
while IFS= read -r line; do
	case $line in
	V\ *) pass "kernel agrees: ${line#V }" ;;
	N\ *) fail "kernel disagrees: ${line#N }" ;;
	esac
done <"$tmp/check"
is "$(grep -c '^[VN] ' "$tmp/check")" "$ncases" "every case checked"

"$repo/tests/uaccess/coverage.sh" "$tmp/check" >"$tmp/coverage.md"
if cmp -s "$tmp/coverage.md" "$repo/docs/uaccess-coverage.md"; then
	pass "docs/uaccess-coverage.md is up to date"
else
	fail "docs/uaccess-coverage.md is up to date" \
		"$(diff "$repo/docs/uaccess-coverage.md" "$tmp/coverage.md" | head -20)" \
		"regenerate: tests/uaccess/coverage.sh CHECK_OUTPUT > docs/uaccess-coverage.md"
fi

done_testing
