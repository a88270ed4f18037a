#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# A block device's ioctls print as strace prints them: the integer each
# reads or writes ([512], the kernel's int for BLKBSZGET, not the size_t of
# its _IOC encoding; BLKSECTGET's unsigned short), a byte range ([0, 0]),
# BLKRASET's value (256), an address for a bad pointer
# (tests/progs/blk_ioctls.c). The first block device this user can open is
# used (an unbound loop device will do); none: skipped.
. "$(dirname "$0")/../lib.sh"
need_limen
command -v strace >/dev/null || skip_all "strace is not installed"
strace -f -o /dev/null true 2>/dev/null || skip_all "strace cannot trace here"
prog=$(testbin blk_ioctls)
[ -x "$prog" ] || skip_all "tests/progs/blk_ioctls not built ($prog)"

dev=
for d in /dev/loop[0-9]* /dev/vd[a-z] /dev/sd[a-z] /dev/nvme[0-9]n[0-9]; do
	[ -b "$d" ] || continue
	"$prog" "$d" >/dev/null 2>&1
	[ $? = 0 ] && dev=$d && break
done
[ -n "$dev" ] || skip_all "no block device this user can open"

# the block ioctls of a trace, the padding before " = " dropped
lines() { sed -n -E -e 's/^[0-9]+ +//' -e 's/ +(= )/ \1/' -e '/^ioctl\([0-9]+, BLK/p' "$1"; }

strace -f -o "$tmp/s" -- "$prog" "$dev" >/dev/null 2>&1
run_limen trace -o "$tmp/l" -- "$prog" "$dev" >"$tmp/out" 2>&1
is "$(cat "$tmp/out")" "blk_ioctls: done" "the program runs as bare ($dev)"
lines "$tmp/s" >"$tmp/s.ioctl"
lines "$tmp/l" >"$tmp/l.ioctl"
ok_if "strace shows the program's 27 ioctls" test "$(grep -c BLK "$tmp/s.ioctl")" = 27
same_file "$tmp/l.ioctl" "$tmp/s.ioctl" \
	"a_block_device_s_ioctls_print_their_integers_and_ranges_as_strace ($dev)"
done_testing
