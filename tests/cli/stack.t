#!/bin/bash
# SPDX-License-Identifier: MIT
#
# -k / --stack-trace(s): each call followed by its user stack, as strace -k
# prints it, unwound in the collector (libdw, with the executables' CFI)
# from the registers and the copy of the stack the runtime took at the
# call. Against strace -k on the same program (tests/progs/stackcalls.c,
# built without frame pointers): the same frames, modules and offsets;
# the same names, libc's too: strace's libunwind names a pc by the closest
# function symbol below it in the file's own .dynsym/.symtab, the first of
# aliases (__open64, not open or __open; __libc_init_first+0x8a where a
# debug file would say __libc_start_call_main), and limen picks the same.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin stackcalls)
if run_limen trace -k -- true 2>&1 | grep -q 'built without'; then
	skip_all "limen was built without libdw (Debian: libdw-dev, libelf-dev)"
fi

# frames FILE: the frames under the write of "stack-test", as
# "module(symbol+off) [offset]"
frames() {
	awk '/^write\(1, "stack-test/ { on = 1; next } on && /^ > / { print; next } on { exit }' "$1" |
		perl -ne 'm{^ > (\S+?)\((.*?)\) \[(0x[0-9a-f]+)\]$} or next;
			print "$1($2) [$3]\n"'
}

for opt in -k --stack-trace --stack-traces; do
	run_limen trace $opt -e trace=write -- "$prog" 2>"$tmp/l" >/dev/null
	frames "$tmp/l" >"$tmp/l.f"
	is "$(sed -n -E 's/.*\((limen_k_inner|limen_k_outer|main)\+0x[0-9a-f]+\) .*/\1/p' "$tmp/l.f" | tr '\n' ' ')" \
		"limen_k_inner limen_k_outer main " \
		"$opt: the write's frames through limen_k_inner, limen_k_outer, main"
done
ok_if "-k: the first frame is libc's write, at its call site" \
	sh -c "head -n 1 '$tmp/l' | grep -q '^write' && sed -n 2p '$tmp/l' | grep -q -E '^ > /.*libc\.so\.6\(.*\) \[0x[0-9a-f]+\]$'"

if command -v strace >/dev/null && strace -o /dev/null true 2>/dev/null &&
	strace -k -o /dev/null true 2>/dev/null; then
	strace -k -e trace=write -- "$prog" 2>"$tmp/s" >/dev/null
	frames "$tmp/s" >"$tmp/s.f"
	ok_if "strace -k shows frames" test -s "$tmp/s.f"
	same_file "$tmp/l.f" "$tmp/s.f" "-k: strace -k's frames (modules, names, offsets)"
	# cat: libc's frames (names too) and cat's (no symbols), from its
	# openat on
	printf 'x\n' >"$tmp/in"
	strace -k -e trace=openat,read,write,close -- cat "$tmp/in" 2>&1 >/dev/null |
		sed -n "\\|\"$tmp/in\"|,\$p" >"$tmp/s.cat"
	run_limen trace -k -e trace=openat,read,write,close -- cat "$tmp/in" 2>&1 >/dev/null |
		sed -n "\\|\"$tmp/in\"|,\$p" >"$tmp/l.cat"
	ok_if "cat -k: stacks there" grep -q '^ > ' "$tmp/l.cat"
	same_file "$tmp/l.cat" "$tmp/s.cat" "cat -k: every call's frames as strace -k's"
else
	skip "strace -k" "strace -k cannot run here"
fi
out=$(run_limen record -k -o "$tmp/rec" -- true 2>&1)
is "$?" 1 "record -k: refused, saying why ($out)"
done_testing
