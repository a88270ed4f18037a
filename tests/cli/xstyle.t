#!/bin/bash
# SPDX-License-Identifier: MIT
#
# -X raw|abbrev|verbose (--const-print-style): named constants as numbers,
# as names (the default), or both ("0x80000 /* O_RDONLY|O_CLOEXEC */"),
# byte for byte against strace -X on the same program's calls
# (tests/progs/constcalls.c, from its openat of the file on).
. "$(dirname "$0")/../lib.sh"
need_limen
command -v strace >/dev/null || skip_all "strace is not installed"
strace -o /dev/null true 2>/dev/null || skip_all "strace cannot trace here (no ptrace)"
prog=$(testbin constcalls)
f=$tmp/file
printf 'x\n' >"$f"

# the program's lines from its openat on, mmap's address masked (as many
# characters, the alignment of the line kept)
lines() {
	F=$f awk 'index($0, "\"" ENVIRON["F"] "\"") && /^openat\(/ { on = 1 } on' "$1" |
		perl -pe 's/0x[0-9a-f]{8,}/"0x" . ("X" x (length($&) - 2))/ge'
}

for x in raw abbrev verbose; do
	for opt in "-X $x" "--const-print-style=$x"; do
		strace $opt -- "$prog" "$f" 2>"$tmp/s" >/dev/null
		run_limen trace $opt -- "$prog" "$f" 2>"$tmp/l" >/dev/null
		lines "$tmp/s" >"$tmp/s.b"
		lines "$tmp/l" >"$tmp/l.b"
		ok_if "$opt: the program's calls are there" test -s "$tmp/l.b"
		same_file "$tmp/l.b" "$tmp/s.b" "$opt: strace's lines, byte for byte"
	done
done
out=$(run_limen trace -X bogus -- true 2>&1)
is "$?:$out" "1:limen: invalid -X argument: 'bogus'" "-X bogus: strace's message, status 1"
done_testing
