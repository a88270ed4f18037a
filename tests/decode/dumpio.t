#!/bin/bash
# SPDX-License-Identifier: MIT
#
# -e read=SET, -e write=SET: strace's hex and ASCII dumps of the data read
# from and written to those descriptors, byte for byte against strace on
# tests/progs/dumpio.c (writev with an empty buffer, readv returning less
# than its buffers hold, sendmsg/recvmsg, sendmmsg/recvmmsg, pwrite, a
# write that fails, a
# 70000-byte write: dumped whole, whatever -s says). Compared from the
# program's first writev (ld.so's calls before are not limen's to see);
# limen does not see a signal the program ignores (SIGPIPE).
. "$(dirname "$0")/../lib.sh"
need_limen
command -v strace >/dev/null || skip_all "strace is not installed"
strace -o /dev/null true 2>/dev/null || skip_all "strace cannot trace here (no ptrace)"
prog=$(testbin dumpio)
[ -x "$prog" ] || skip_all "tests/progs/dumpio.c not built"
calls=writev,readv,sendmsg,recvmsg,sendmmsg,recvmmsg,write,pwrite64

body() { awk 'f || /^writev\(/ { f = 1; print }' | grep -v '^--- SIG'; }

compare() {
	local desc=$1
	shift
	strace -a40 -e trace=$calls "$@" "$prog" 2>&1 >/dev/null | body >"$tmp/s"
	run_limen trace -a40 -e trace=$calls "$@" "$prog" 2>&1 >/dev/null | body >"$tmp/l"
	if [ -s "$tmp/s" ] && cmp -s "$tmp/s" "$tmp/l"; then
		pass "$desc"
	else
		fail "$desc" "strace (-) and limen (+) differ:" \
			"$(diff -u "$tmp/s" "$tmp/l" | head -n 40)"
	fi
}

compare "-e read=all -e write=all: every dump as strace's" -e read=all -e write=all
compare "-e write=1: only descriptor 1's writes" -e write=1
compare "-e read=4 -s 4: reads of 4 only, dumps not bounded by -s" -e read=4 -s 4
compare "-e write=!1,2: every descriptor but 1 and 2" -e 'write=!1,2'
ok_if "the 70000-byte write is dumped whole (4375 lines)" \
	bash -c "[ \$(grep -c '^ | ' '$tmp/l') -ge 4375 ]"
done_testing
