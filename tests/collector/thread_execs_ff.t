#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# An execve by a thread other than the leader (tests/progs/thread_execs.c),
# with -ff -o and with nothing between the execve's entry and the exec.
# strace 6.1 swaps the two threads' files at the exec: the thread's file
# ends with its execve's line cut off by " <pid changed to LEADER ...>"
# and is closed, the leader's goes on with "+++ superseded by execve in
# pid OLD +++" and the execve's result; and in a file of its own, a call
# a thread ended in is one line, "pause() = ?". Without -ff, an execve
# line nothing cut before the exec ends the same way. limen ended the
# thread's file with "<unfinished ...>", and split the others' pause
# into "pause( <unfinished ...>" and "<... pause resumed>) = ?".
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin thread_execs)
[ -x "$prog" ] || skip_all "tests/progs/thread_execs not built"

mkdir -p "$tmp/l"
run_limen trace -ff -o "$tmp/l/t" -- "$prog"
is "$?" 4 "limen's status is the new image's"
lead=$(grep -l '^exit_group(4)' "$tmp/l"/t.* | head -1)
lead=${lead##*.}
x=$(grep -l '^execve(.*"done"' "$tmp/l"/t.* | head -1)
x=${x##*.}
ok_if "the_thread_s_file_ends_with_pid_changed_to_the_leader ($x, $lead)" \
	grep -Eq "^execve\\(.*\"done\".* <pid changed to $lead \\.\\.\\.>\$" \
	<(tail -1 "$tmp/l/t.$x")
is "$(grep -E -A2 '^pause' "$tmp/l/t.$lead" | sed -E 's/  +/ /g')" \
	"pause() = ?
+++ superseded by execve in pid $x +++
<... execve resumed>) = 0" \
	"the_leader_s_file_its_pause_whole_then_superseded"
w=$(grep -L -E '^exit_group\(4\)|"done"' "$tmp/l"/t.* | head -1)
is "$(tail -2 "${w:-/dev/null}" | sed -E 's/  +/ /g')" "pause() = ?
+++ exited with 0 +++" \
	"a_call_its_thread_ended_in_is_whole_in_its_file (${w##*/})"

# -f, only the execve selected: nothing comes between its entry and the
# exec
run_limen trace -f -e trace=execve -- "$prog" lone 2>"$tmp/lone"
ok_if "with_nothing_between_the_execve_line_ends_pid_changed" \
	grep -Eq '^\[pid +[0-9]+\] execve\(.*"done".* <pid changed to [0-9]+ \.\.\.>$' "$tmp/lone"
old=$(sed -nE 's/.*superseded by execve in pid ([0-9]+) .*/\1/p' "$tmp/lone")
xl=$(sed -nE 's/^\[pid +([0-9]+)\] execve\(.*"done".*/\1/p' "$tmp/lone")
ok_if "the_pid_changed_line_is_the_thread_s ($xl, superseded's $old)" \
	test -n "$xl" -a "$xl" = "$old"

if command -v strace >/dev/null; then
	# every file as strace's, ids, addresses and the start-up aside
	files() {
		local f
		for f in $(ls "$1"/t.* | sort -t. -k2 -n); do
			echo "== a file"
			sed -E 's/0x[0-9a-f]+/P/g; s/[0-9]{3,}/N/g; s/  +/ /g' "$f" |
				grep -Ev '^(getrandom|mmap|munmap|brk|mprotect|openat|close|read|newfstatat|pread64|arch_prctl|set_tid_address|access|prlimit64|rseq|set_robust_list|rt_sigprocmask|rt_sigaction|clone3|futex)\('
		done
	}
	for mode in "" lone; do
		rm -rf "$tmp/l" "$tmp/s"
		mkdir -p "$tmp/l" "$tmp/s"
		# shellcheck disable=SC2086
		strace -ff -o "$tmp/s/t" "$prog" $mode
		# shellcheck disable=SC2086
		run_limen trace -ff -o "$tmp/l/t" -- "$prog" $mode
		is "$(files "$tmp/l")" "$(files "$tmp/s")" \
			"the_files_as_strace_ff_s (${mode:-three threads})"
	done
	strace -f -e trace=execve "$prog" lone 2>"$tmp/s.lone"
	norm() { grep -v '^strace:' "$1" | sed -E 's/0x[0-9a-f]+/P/g; s/[0-9]+/N/g; s/  +/ /g'; }
	is "$(norm "$tmp/lone")" "$(norm "$tmp/s.lone")" \
		"the_lone_execve_as_strace_f_s"
else
	skip "the_files_as_strace_ff_s" "no strace"
	skip "the_files_as_strace_ff_s" "no strace"
	skip "the_lone_execve_as_strace_f_s" "no strace"
fi
done_testing
