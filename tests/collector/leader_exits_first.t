#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# A leader that calls exit (pthread_exit in main) while another thread
# lives stays a zombie until the whole group ends: strace -f prints its
# "+++ exited with N +++" then, last, with the process's status (the other
# thread's exit_group code, or the last thread's own exit code). limen
# printed "+++ exited with 0 +++" at the leader's exit and no line with
# the process's status for it (torture D7). tests/progs/leader_exits_first.c.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin leader_exits_first)
[ -x "$prog" ] || skip_all "tests/progs/leader_exits_first not built"

# stderr: strace -f's own form, the [pid N] prefix while others live
norm() {
	# the +++ lines: strace cuts the exit calls' lines with the other
	# thread's calls ("exit(0 <unfinished ...>") as the machine's timing
	# has it
	grep -E '\+\+\+' "$1" | grep -v '^strace:' |
		sed -E 's/\[pid +[0-9]+\]/[pid N]/; s/  +/ /g'
}
for mode in group last; do
	code=6; [ $mode = last ] && code=5
	run_limen trace -f -- "$prog" $mode 2>"$tmp/l.$mode"
	is "$?" $code "limen's status is the program's ($mode)"
	is "$(tail -1 "$tmp/l.$mode")" "+++ exited with $code +++" \
		"the_leader_s_line_comes_last_with_the_process_status ($mode)"
	is "$(grep -c 'exited with 0' "$tmp/l.$mode")" 0 \
		"no_exited_line_at_the_leader_s_exit ($mode)"
	lead=$(sed -nE 's/^\[pid +([0-9]+)\] exit\(0\).*/\1/p' "$tmp/l.$mode")
	other=$(sed -nE 's/^\[pid +([0-9]+)\] \+\+\+ exited.*/\1/p' "$tmp/l.$mode")
	ok_if "the_other_thread_s_line_comes_before_prefixed ($mode: $lead, $other)" \
		test -n "$lead" -a -n "$other" -a "$lead" != "$other"
	if command -v strace >/dev/null; then
		strace -f "$prog" $mode 2>"$tmp/s.$mode"
		is "$(norm "$tmp/l.$mode")" "$(norm "$tmp/s.$mode")" \
			"the_ends_as_strace_shows_them ($mode)"
	else
		skip "the_ends_as_strace_shows_them ($mode)" "no strace"
	fi
done
# -o: every line names its thread; the leader's is the last
limen_trace "$tmp/o" -f -- "$prog" group
lead=$(awk '$2 ~ /^exit\(0\)/ {print $1}' "$tmp/o")
is "$(tail -1 "$tmp/o" | sed -E 's/ +/ /g')" "$lead +++ exited with 6 +++" \
	"with_-o_the_leader_s_line_names_the_leader"
# -e trace=none, trace=exit_group: the same ends, the thread known from
# the bookkeeping records of calls nothing selected
ends_as_strace "$prog" group
ends_as_strace "$prog" last
done_testing
