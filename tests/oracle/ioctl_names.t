#!/bin/bash
# SPDX-License-Identifier: MIT
#
# ioctl commands as strace 6.1 names them, and their argument 0 as it shows
# it (none, NULL, 0 or a name) in a failed call on fd -1: every number of
# xlat.tbl's ioctl_cmd list, numbers of no name below and above 0x10000
# (tests/progs/ioctl_probe.c).
# Differences strace 6.1 has and limen has not yet are listed below, each
# with its reason, and skipped.
. "$(dirname "$0")/../lib.sh"
need_limen
command -v strace >/dev/null || skip_all "strace is not installed"
strace -o /dev/null true 2>/dev/null || skip_all "strace cannot trace here (no ptrace)"
prog=$(testbin ioctl_probe)
repo=$(cd "$(dirname "$0")/../.." && pwd)

awk '/^list ioctl_cmd/ { on = 1; next } on && /^$/ { exit } on { print $1 }' \
	"$repo/tables/xlat.tbl" | sort -u >"$tmp/cmds"
printf '0x7777\n0\n0x1234\n0xc0187777\n0x4020aa00\n' >>"$tmp/cmds"
n=$(wc -l <"$tmp/cmds")
ok_if "the list has its commands ($n)" test "$n" -gt 1000

strace -o "$tmp/s" -e trace=ioctl -e signal=none -- "$prog" "$tmp/cmds" ||
	fail "the probe ran under strace"
run_limen trace -o "$tmp/l" -e trace=ioctl -e signal=none -- \
	"$prog" "$tmp/cmds" || fail "the probe ran under limen"
# the lines without limen's thread id and the padding; addresses masked
norm() {
	sed -E 's/^[0-9]+ +//; s/ +=/ =/; s/0x[0-9a-f]{8,}/ADDR/' "$1" |
		grep '^ioctl('
}
norm "$tmp/s" >"$tmp/s.n"
norm "$tmp/l" >"$tmp/l.n"
is "$(wc -l <"$tmp/l.n")" "$(wc -l <"$tmp/s.n")" "as many lines as strace's"
# strace's decoders limen does not have yet: the console's and a few
# other commands' enum arguments, the OSS mixer's names
known='KIOCSOUND|KDMKTONE|KDSETMODE|KDSKBMODE|KDSKBMETA|MTDFILEMODE|KVM_CHECK_EXTENSION|BTRFS_IOC_BALANCE_CTL|MIXER_|HIDIOCGRAWNAME'
paste -d '\n' "$tmp/s.n" "$tmp/l.n" | paste - - | awk -F '\t' '$1 != $2' |
	grep -Ev "$known" >"$tmp/diff" || true
is "$(head -c 2000 "$tmp/diff")" "" "every line as strace's"
done_testing
