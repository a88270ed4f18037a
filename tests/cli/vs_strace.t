#!/bin/bash
# SPDX-License-Identifier: MIT
#
# The same strace options, the same program, under strace and under limen:
# the lines compared (after trace_body's normalisation of the thread id,
# timestamps and strace's column-40 padding) from the program's own first
# call on: ld.so's calls before the runtime is loaded are not limen's to
# see (README, How it works).
. "$(dirname "$0")/../lib.sh"
need_limen
command -v strace >/dev/null || skip_all "strace is not installed"
strace -o /dev/null true 2>/dev/null || skip_all "strace cannot trace here (no ptrace)"
tmp=$(mktemp -d)
at_exit "rm -rf '$tmp'"
printf 'hello, limen and strace\n' >"$tmp/in"

# from_mark FILE REGEX: trace_body of FILE from the first line matching REGEX
# (free blocks and inodes, which change between the runs, as X)
from_mark() {
	# the regex through the environment: awk -v would process its
	# backslashes first (gawk then rejects "^write(1")
	trace_body "$1" | MARK=$2 awk 'f || $0 ~ ENVIRON["MARK"] { f = 1; print }' |
		sed -E 's/(f_bfree|f_bavail|f_ffree)=[0-9]+/\1=X/g'
}

# compare DESC MARK OPTIONS... -- CMD...: both traces, with OPTIONS, from MARK
compare() {
	local desc=$1 mark=$2
	shift 2
	strace -o "$tmp/s" "$@" >/dev/null 2>&1
	run_limen trace -o "$tmp/l" "$@" >/dev/null 2>&1
	from_mark "$tmp/s" "$mark" >"$tmp/s.body"
	from_mark "$tmp/l" "$mark" >"$tmp/l.body"
	if [ -s "$tmp/s.body" ] && cmp -s "$tmp/s.body" "$tmp/l.body"; then
		pass "$desc"
	else
		fail "$desc" "strace (-) and limen (+) differ:" \
			"$(diff -u "$tmp/s.body" "$tmp/l.body" | head -n 30)"
	fi
}
in=$tmp/in
compare "-e trace=openat,read,write,close -s5" '/in"' \
	-e trace=openat,read,write,close -s5 -- cat "$in"
compare "-qq -e trace=read,write (bundled -qqs100)" 'hello' \
	-qqs100 -e trace=read,write -- cat "$in"
compare "--trace=%fstat (strace's meaning)" 'st_size=24,' \
	--trace=%fstat -- cat "$in"
compare "-e trace=%%stat" '/in"' -e trace=%%stat -- stat -c %s "$in"
compare "-e trace=%stat: nothing (stat(1) calls statx)" '.' \
	-e trace=%stat,exit_group -- stat -c %s "$in"
compare "-e trace=/^(.*_)?statv?fs" '^statfs\("\/"' \
	-e 'trace=/^(.*_)?statv?fs' -- stat -f -c %t /
compare "-e quiet=exit --string-limit=3" '^write\(1' \
	-e quiet=exit --string-limit=3 -e trace=write -- cat "$in"
compare "-E VAR=VAL" '^write\(1' -E LIMEN_X=abcdef -e trace=write -- \
	sh -c 'echo $LIMEN_X'
# the default alignment is strace's (the " = " padded to column 40 when the
# call is shorter, one space when it is longer), byte for byte: no -o, no
# pid column, the lines as both print them on stderr, from cat's own openat
# (the loader's calls before it are strace's alone)
strace -e trace=openat,read,write,close,exit_group -- cat "$in" 2>&1 >/dev/null |
	sed -n '/\/in"/,$p' >"$tmp/s"
run_limen trace -e trace=openat,read,write,close,exit_group -- cat "$in" 2>&1 >/dev/null |
	sed -n '/\/in"/,$p' >"$tmp/l"
ok_if "default alignment: short and long lines as strace pads them" \
	grep -q -E '^close\(3\) {32}= 0$' "$tmp/l"
same_file "$tmp/l" "$tmp/s" "no -a: the same bytes as strace (column 40)"
# -a N: strace's alignment at N
for a in -a40 "-a 30" --columns=50; do
	strace $a -e trace=write,exit_group -- cat "$in" 2>"$tmp/s" >/dev/null
	run_limen trace $a -e trace=write,exit_group -- cat "$in" 2>"$tmp/l" >/dev/null
	same_file "$tmp/l" "$tmp/s" "$a: the same bytes as strace $a"
done
# -x, -xx: strings in hex as strace chooses them
printf 'a\001b\n' >"$tmp/bin"
for a in -x -xx --strings-in-hex=non-ascii --strings-in-hex; do
	for f in "$in" "$tmp/bin"; do
		strace $a -e trace=write,exit_group -- cat "$f" 2>"$tmp/s" >/dev/null
		run_limen trace $a -e trace=write,exit_group -- cat "$f" 2>"$tmp/l" >/dev/null
		same_file "$tmp/l" "$tmp/s" "$a on '$(head -c 5 "$f" | od -An -c | tr -s ' ')': the bytes strace $a prints"
	done
done

# -n: the same numbers (strace also puts the process's last call's number
# before "+++ exited": limen does not, README)
for a in -n --syscall-number; do
	strace $a -e trace=write,exit_group -- cat "$in" 2>&1 >/dev/null | grep -v '+++' >"$tmp/s"
	run_limen trace $a -e trace=write,exit_group -- cat "$in" 2>&1 >/dev/null | grep -v '+++' >"$tmp/l"
	same_file "$tmp/l" "$tmp/s" "$a: the call lines strace $a prints"
done
done_testing
