#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# A network interface's ioctls print their struct ifreq as strace prints
# it: the name at entry, what a get filled in ({ifr_name="lo",
# ifr_mtu=65536}, addresses, hardware address, flags), what a set passed,
# only the name when a get failed, SIOCGIFNAME's index and name
# (tests/progs/ifreq_ioctls.c; glibc's if_nametoindex makes one), in the
# three -X styles.
. "$(dirname "$0")/../lib.sh"
need_limen
command -v strace >/dev/null || skip_all "strace is not installed"
strace -f -o /dev/null true 2>/dev/null || skip_all "strace cannot trace here"
prog=$(testbin ifreq_ioctls)
[ -x "$prog" ] || skip_all "tests/progs/ifreq_ioctls not built ($prog)"
"$prog" >"$tmp/bare" 2>&1
[ $? = 77 ] && skip_all "no AF_INET socket here"

# the interface ioctls of a trace, the padding before " = " dropped
lines() { sed -n -E -e 's/^[0-9]+ +//' -e 's/ +(= )/ \1/' -e '/^ioctl\([0-9]+, (SIOC|0x89)/p' "$1"; }

# -s cuts no ifreq; -X raw and verbose show its addresses' bytes
for o in "" "-s 4" "-X raw" "-X verbose"; do
	strace -f $o -o "$tmp/s" -- "$prog" >/dev/null 2>&1
	run_limen trace $o -o "$tmp/l" -- "$prog" >"$tmp/out" 2>&1
	is "$(cat "$tmp/out")" "$(cat "$tmp/bare")" "the program runs as bare ${o:-(-s 32)}"
	lines "$tmp/s" >"$tmp/s.ioctl"
	lines "$tmp/l" >"$tmp/l.ioctl"
	ok_if "strace shows the program's 32 ioctls ${o:-(-s 32)}" \
		test "$(grep -c -E '^ioctl\([0-9]+, (SIOC|0x89)' "$tmp/s.ioctl")" = 32
	same_file "$tmp/l.ioctl" "$tmp/s.ioctl" \
		"an_interface_s_ifreq_prints_as_strace_prints_it ${o:-(-s 32)}"
done
done_testing
