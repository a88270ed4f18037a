#!/bin/bash
# SPDX-License-Identifier: MIT
#
# -e raw=SET, --raw=SET: the calls of SET with their arguments and result
# as numbers, as strace 6.1 prints them ("read(0x3, 0x7f..., 0x20000) =
# 0x2", 0 as 0, errors as -1 ERRNO), the other calls decoded as usual.
# Compared with strace on the same cat, from its first read after ld.so's
# (pointers masked: the two runs map memory elsewhere).
. "$(dirname "$0")/../lib.sh"
need_limen
command -v strace >/dev/null || skip_all "strace is not installed"
strace -o /dev/null true 2>/dev/null || skip_all "strace cannot trace here (no ptrace)"
printf 'hello\n' >"$tmp/in"

body() {
	sed -E 's/^[0-9]+ +//' "$1" | sed -n '/^read(0x3, 0x[0-9a-f]*, 0x1000)/,$p' |
		sed -E 's/0x[0-9a-f]{6,}/0xP/g; s/ +=/ =/'
}
for opt in "-e raw=read,close" "--raw=read,close"; do
	# cat's output through a pipe: to a file, cat copies without read
	strace $opt -e trace=read,write,close -o "$tmp/s" cat "$tmp/in" | cat >/dev/null
	run_limen trace $opt -e trace=read,write,close -o "$tmp/l" -- cat "$tmp/in" | cat >/dev/null
	body "$tmp/s" >"$tmp/s.b"
	body "$tmp/l" >"$tmp/l.b"
	ok_if "$opt: raw lines there" grep -q '^read(0x3, 0xP, 0x[0-9a-f]*) = 0x6$' "$tmp/l.b"
	ok_if "$opt: the calls not in SET decoded" grep -q '^write(1, "hello\\n", 6) = 6$' "$tmp/l.b"
	same_file "$tmp/l.b" "$tmp/s.b" "$opt: strace's lines"
done
run_limen trace -e raw=openat -e trace=openat -o "$tmp/l" -- cat /nonexistent 2>/dev/null
ok_if "-e raw=openat: an error as -1 ERRNO, the table's four arguments" \
	grep -q 'openat(0xffffff9c, 0x[0-9a-f]*, 0, 0) *= -1 ENOENT (No such file or directory)' "$tmp/l"
# as many arguments as strace's table gives the call, whatever its
# decoder shows otherwise (openat's mode, rt_sigreturn's none)
sig='trap "echo" USR1; kill -USR1 $$'
strace -e raw=openat,rt_sigreturn -e trace=openat,rt_sigreturn -e signal=none \
	-o "$tmp/s" sh -c "$sig" >/dev/null
run_limen trace -e raw=openat,rt_sigreturn -e trace=openat,rt_sigreturn \
	-e signal=none -o "$tmp/l" -- sh -c "$sig" >/dev/null
for f in s l; do
	sed -E 's/^[0-9]+ +//; s/0x[0-9a-f]{6,}/0xP/g; s/ +=/ =/' "$tmp/$f" |
		grep -E '^(openat|rt_sigreturn)\(' >"$tmp/$f.b"
done
ok_if "-e raw=openat,rt_sigreturn: lines there" grep -q '^rt_sigreturn() = 0$' "$tmp/l.b"
same_file "$tmp/l.b" "$tmp/s.b" "-e raw=openat,rt_sigreturn: strace's lines"
# ... and where strace's table counts otherwise than limen's: preadv and
# pwritev with one offset (four), their v2 calls with six
fam=$(testbin fam_fs)
for t in s l; do
	rm -rf "$tmp/fw"
	if [ $t = s ]; then
		strace -e raw=preadv,preadv2 -e trace=preadv,preadv2 -o "$tmp/$t" \
			"$fam" "$tmp/fw" "$tmp/fexp" >/dev/null 2>&1
	else
		run_limen trace -e raw=preadv,preadv2 -e trace=preadv,preadv2 \
			-o "$tmp/$t" -- "$fam" "$tmp/fw" "$tmp/fexp" >/dev/null 2>&1
	fi
	sed -E 's/^[0-9]+ +//; s/0x[0-9a-f]{6,}/0xP/g; s/ +=/ =/' "$tmp/$t" |
		grep -E '^preadv2?\(' >"$tmp/$t.b"
done
ok_if "-e raw=preadv,preadv2: lines there" grep -q '^preadv2(' "$tmp/l.b"
same_file "$tmp/l.b" "$tmp/s.b" "-e raw=preadv,preadv2: strace's argument counts"
done_testing
