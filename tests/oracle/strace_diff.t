#!/bin/bash
# SPDX-License-Identifier: MIT
#
# strace as the oracle: the same command traced by strace and by limen must
# show the same system calls with the same results.
#
# Why only the TAIL is compared: limen cannot see what the dynamic loader
# does before the runtime is armed (execve, the mmaps of the libraries,
# mprotect of RELRO, ...), strace sees all of it, and how far into start-up
# limen begins is an implementation detail. But every call after the
# runtime is armed must match, so the last calls of a run, the program's
# own work far from loader activity, must be the same sequence. The
# comparison takes the last min(20, number limen shows) calls of each trace
# as (name, return value), with addresses (mmap, brk: differ from run to run
# under ASLR) replaced by 0xADDR, and errors as "-1 ERRNO".
# Needs limen working and a usable strace (ptrace allowed).
. "$(dirname "$0")/../lib.sh"
need_limen
command -v strace >/dev/null || skip_all "strace not installed"
strace -f -o "$tmp/probe" true >/dev/null 2>&1 && [ -s "$tmp/probe" ] ||
	skip_all "strace cannot trace here (ptrace not permitted?)"

TAIL=20
MIN=10

# name<TAB>return for every call line of a trace (strace -f -o or limen -o),
# by tests/traceparse.py (the parser every test uses): an unfinished call is
# joined to its resumed line, signal and exit lines are not calls.
calls() { "$_py" -S "$_trace_py" calls "$1"; }

compare_tail() { # DESC CMD...
	local desc=$1
	shift
	strace -f -o "$tmp/s.trace" "$@" >"$tmp/s.out" 2>"$tmp/s.err" </dev/null
	run_limen trace -o "$tmp/l.trace" -- "$@" >"$tmp/l.out" 2>"$tmp/l.err" </dev/null
	calls "$tmp/s.trace" >"$tmp/s.calls"
	calls "$tmp/l.trace" >"$tmp/l.calls"
	local nl n
	nl=$(wc -l <"$tmp/l.calls")
	if [ "$nl" -lt "$MIN" ]; then
		fail "$desc: limen shows at least $MIN calls" "it shows $nl" \
			"$(head -n 20 "$tmp/l.trace")"
		return
	fi
	pass "$desc: limen shows at least $MIN calls ($nl)"
	n=$((nl < TAIL ? nl : TAIL))
	tail -n "$n" "$tmp/s.calls" >"$tmp/s.tail"
	tail -n "$n" "$tmp/l.calls" >"$tmp/l.tail"
	same_file "$tmp/l.tail" "$tmp/s.tail" \
		"$desc: the last $n calls (name, result) are strace's"
}

# /proc left out: its link count (the number of processes) could change the
# width of the listing, and with it the size of the final write.
compare_tail "ls -l /" ls -l -I proc /
compare_tail "cat /etc/passwd" cat /etc/passwd

done_testing
