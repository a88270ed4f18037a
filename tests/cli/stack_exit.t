#!/bin/bash
# SPDX-License-Identifier: MIT
#
# -k at exit and exit_group, against strace -k (tests/progs/stack_exit.c).
# strace captures these calls' stacks at their entry and prints them when
# it forgets the thread: under its "+++ exited" line, in its own file with
# -ff. And it formats such a stack (execve's too) into a queue where a
# frame with no symbol is "(+0x0)", not the "()" of other calls' frames.
# limen printed exit_group's stack under its line, before "+++ exited";
# lost an exiting thread's (its stack record came after the entry that
# ended the thread, and brought the thread back: a second "+++ exited" at
# the process's end); and printed "()" for a stripped program's frames.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin stack_exit)
[ -x "$prog" ] || skip_all "tests/progs/stack_exit not built"
if run_limen trace -k -- true 2>&1 | grep -q 'built without'; then
	skip_all "limen was built without libdw (Debian: libdw-dev, libelf-dev)"
fi
sel=-e\ trace=exit,exit_group,getppid

# shellcheck disable=SC2086
run_limen trace -f -k $sel -- "$prog" 2>"$tmp/l"
is "$?" 3 "limen's status is the program's"
# the lines after exit_group's: the end, then frames only
is "$(awk '/^exit_group\(3\)/ { on = 1; next } on && !/^ > / { print }' "$tmp/l")" \
	"+++ exited with 3 +++" "the_exit_group_stack_comes_after_the_end_line"
ok_if "the_exit_group_stack_is_there (main's frame last but libc's)" \
	grep -q '^ > .*stack_exit(main+0x[0-9a-f]*) \[0x' "$tmp/l"
tail1=$(tail -1 "$tmp/l")
ok_if "the_trace_ends_with_a_frame ($tail1)" test "${tail1# > }" != "$tail1"
is "$(awk '/\] exit\(0\)/ { on = 1; next } on && !/^ > / { print; n++ } n == 2 { exit }' "$tmp/l" |
	sed -E 's/[0-9]+/N/g; s/  +/ /g')" \
	"[pid N] +++ exited with N +++
getppid() = N" \
	"the_thread_s_exit_stack_comes_after_its_end_line"
ok_if "the_thread_s_exit_stack_names_its_function" \
	grep -q '^ > .*stack_exit(thread_exits+0x' "$tmp/l"
is "$(grep -c 'exited with' "$tmp/l")" 2 \
	"each_thread_ends_once (the exited thread not brought back)"

# -qq: no end lines, the stacks are still told (strace prints them when
# it forgets the thread), under the calls' lines then
# shellcheck disable=SC2086
run_limen trace -qq -f -k $sel -- "$prog" 2>"$tmp/q"
n=$(awk '/exit_group\(3\)/ { on = 1; next } on && /^ > / { n++ } END { print n + 0 }' "$tmp/q")
ok_if "with_-qq_the_exit_group_stack_is_told ($n frames)" test "$n" -gt 0
ok_if "with_-qq_the_thread_s_exit_stack_is_told" \
	grep -q '^ > .*stack_exit(thread_exits+0x' "$tmp/q"

# -ff: the stack last in the thread's own file
rm -f "$tmp/ff".*
# shellcheck disable=SC2086
run_limen trace -ff -k $sel -o "$tmp/ff" -- "$prog"
f=$(grep -l '^exit(0)' "$tmp/ff".* | head -1)
is "$(sed -n 2p "${f:-/dev/null}")" "+++ exited with 0 +++" \
	"with_-ff_the_thread_s_end_line_then_its_stack (${f:-no file has the exit})"
ok_if "with_-ff_the_thread_s_file_ends_with_its_stack" \
	grep -q '^ > .*(thread_exits+0x' <(tail -n +3 "${f:-/dev/null}")

# a stripped copy: no symbol for the program's frames
if command -v strip >/dev/null; then
	strip -o "$tmp/stripped" "$prog"
	# shellcheck disable=SC2086
	run_limen trace -k $sel -- "$tmp/stripped" 2>"$tmp/st"
	prog_frames() { grep -o "^ > $tmp/stripped([^)]*)" "$1" | sed 's/.*(/(/' | sort | uniq -c |
		sed -E 's/^ +//'; }
	got=$(awk '/^exit_group/ { on = 1 } on' "$tmp/st")
	ok_if "a_stripped_frame_under_exit_group_is_plus_0x0" \
		grep -q "^ > $tmp/stripped(+0x0) \\[0x[0-9a-f]*\\]\$" <<<"$got"
	got=$(awk '/^getppid/ { on = 1; next } on && !/^ > / { exit } on' "$tmp/st")
	ok_if "a_stripped_frame_under_getppid_is_empty_parens" \
		grep -q "^ > $tmp/stripped() \\[0x[0-9a-f]*\\]\$" <<<"$got"
else
	skip "a_stripped_frame_under_exit_group_is_plus_0x0" "no strip"
	skip "a_stripped_frame_under_getppid_is_empty_parens" "no strip"
fi

# against strace -k, ids aside
if command -v strace >/dev/null && strace -k -o /dev/null true 2>/dev/null; then
	norm() {
		grep -v '^strace: Process' "$1" |
			sed -E 's/\[pid +[0-9]+\]/[pid N]/; s/= [0-9]+$/= N/; s/  +/ /g'
	}
	for p in "$prog" "$tmp/stripped"; do
		[ -x "$p" ] || continue
		# shellcheck disable=SC2086
		strace -f -k $sel "$p" 2>"$tmp/s"
		# shellcheck disable=SC2086
		run_limen trace -f -k $sel -- "$p" 2>"$tmp/l2"
		is "$(norm "$tmp/l2")" "$(norm "$tmp/s")" \
			"the_trace_as_strace_k_s (${p##*/})"
	done
else
	skip "the_trace_as_strace_k_s" "strace -k cannot run here"
fi
done_testing
