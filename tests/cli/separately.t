#!/bin/bash
# SPDX-License-Identifier: MIT
#
# -ff / --output-separately with -o FILE: one file per thread, FILE.TID,
# as strace writes them (no thread column; a call is never split by
# another thread's line, since none is in the file), compared with
# strace -ff on the same programs.
. "$(dirname "$0")/../lib.sh"
need_limen
command -v strace >/dev/null || skip_all "strace is not installed"
strace -o /dev/null true 2>/dev/null || skip_all "strace cannot trace here (no ptrace)"

# norm: ids and addresses that differ from run to run
norm() { sed -E 's/(child_tidptr=)0x[0-9a-f]+/\1A/; s/(si_pid=|= )[0-9]+/\1P/g' "$@"; }

# a shell and its subshell: two processes, two files
mkdir "$tmp/s" "$tmp/l"
sh_cmd=(sh -c 'echo a; (echo b)')
strace -ff -o "$tmp/s/ff" -e trace=write,exit_group,clone,clone3 -- "${sh_cmd[@]}" >/dev/null 2>&1
run_limen trace -ff -o "$tmp/l/ff" -e trace=write,exit_group,clone,clone3 -- "${sh_cmd[@]}" >/dev/null 2>&1
is "$(ls "$tmp/l" | wc -l)" 2 "sh -c 'echo a; (echo b)': two files, FILE.PID"
for i in 1 2; do
	s=$(ls "$tmp/s" | sort -t. -k2n | sed -n ${i}p)
	l=$(ls "$tmp/l" | sort -t. -k2n | sed -n ${i}p)
	same_file <(norm "$tmp/l/$l") <(norm "$tmp/s/$s") \
		"process $i: its file has strace's lines, byte for byte"
done

# threads: a file each, calls never split
rm -f "$tmp"/s/* "$tmp"/l/*
prog=$(testbin threads)
strace -ff -o "$tmp/s/t" -e trace=read,close -- "$prog" >/dev/null 2>&1
run_limen trace --output-separately -f -o "$tmp/l/t" -e trace=read,close -- "$prog" >/dev/null 2>&1
is "$(ls "$tmp/l" | wc -l)" "$(ls "$tmp/s" | wc -l)" "8 threads: a file per thread, as many as strace's"
ok_if "8 threads: no call split in any file" \
	sh -c "! grep -l -E 'unfinished|resumed' '$tmp'/l/*"
# each worker's file: 100 reads and closes, as under strace (fds vary)
counts() { for f in "$1"/*; do grep -c -E '^(read|close)\(' "$f"; done | sort -n | tail -n 8 | tr '\n' ' '; }
is "$(counts "$tmp/l")" "$(counts "$tmp/s")" "8 threads: each worker's file has its calls"
ok_if "8 threads: no thread column" sh -c "! grep -l -E '^(\[pid|[0-9]+ )' '$tmp'/l/*"

# without -o: as strace, -ff is -f, everything on stderr
run_limen trace -ff -e trace=write -- sh -c 'echo a' 2>"$tmp/err" >/dev/null
ok_if "-ff without -o: the trace on stderr" grep -q -E '^write\(1, "a\\n", 2\) += 2$' "$tmp/err"

# what strace refuses with -ff, limen refuses with its words
for a in "-o |cat" "-c -o $tmp/x" "-C -o $tmp/x"; do
	s=$(strace -ff $a true 2>&1 | head -n 1 | sed 's/^strace: //; s|-C/--summary)|-C/--summary or --latency)|; s|(-c/--summary-only or|(-c/--summary-only,|')
	l=$(run_limen trace -ff $a -- true 2>&1)
	is "$?:$l" "1:limen: $s" "-ff $a: refused as strace refuses it"
done
out=$(run_limen trace -ff -o /nonexistent-limen/dir/f -- true 2>&1)
is "$?" 1 "-ff -o into a missing directory: status 1 ($out)"
done_testing
