#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# A leader that leaves (SYS_exit, or pthread_exit) right after
# pthread_create, before the new thread has written any record: the
# thread sleeps, then exit(6)s. strace -f shows the group's end last, with
# the process's status, as for a thread that had made calls
# (leader_exits_first.t). limen counted a thread from its first record, so
# it ended the process at the leader's exit with "+++ exited with 0 +++",
# then told the thread's calls as another process's. It counts one now
# from its parent's CLONE_THREAD clone (its result), or its first record,
# whichever comes first. tests/progs/leader_exits_early.c.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin leader_exits_early)
[ -x "$prog" ] || skip_all "tests/progs/leader_exits_early not built"

# without the [pid N] prefixes: strace's on the leader's exit line
# depends on whether it has attached the new thread by then; nor strace's
# own messages, which may come inside a line ("exit(0strace: Process N
# attached\n) = ?")
norm() {
	sed -zE 's/strace: Process [0-9]+ attached\n//g' "$1" |
		grep -v '^strace:' | sed -E 's/^\[pid +[0-9]+\] //; s/  +/ /g'
}
for mode in raw pthread; do
	# status=: the runtime's filter writes the clone's record, and the
	# runtime its note of the result after it: one thread, counted once
	for opts in "-e trace=exit,exit_group" "-e trace=exit,exit_group,clone,clone3" "--no-rewrite -e trace=exit,exit_group" "-e status=successful"; do
		# shellcheck disable=SC2086
		run_limen trace -f $opts -- "$prog" $mode 2>"$tmp/l"
		is "$?" 6 "limen's status is the program's ($mode, $opts)"
		is "$(tail -1 "$tmp/l")" "+++ exited with 6 +++" \
			"the_leader_s_line_comes_last_with_the_process_status ($mode, $opts)"
		is "$(grep -c 'exited with 0' "$tmp/l")" 0 \
			"no_exited_line_at_the_leader_s_exit ($mode, $opts)"
		is "$(grep -c '^exit_group' "$tmp/l")" 0 \
			"the_thread_s_lines_are_prefixed ($mode, $opts)"
	done
	if command -v strace >/dev/null; then
		strace -f -e trace=exit,exit_group "$prog" $mode 2>"$tmp/s"
		run_limen trace -f -e trace=exit,exit_group -- "$prog" $mode 2>"$tmp/l"
		is "$(norm "$tmp/l")" "$(norm "$tmp/s")" \
			"the_lines_as_strace_shows_them ($mode)"
	else
		skip "the_lines_as_strace_shows_them ($mode)" "no strace"
	fi
done
# an injected clone3 result made no thread: the leader's exit ends the
# process (its records: the filter's, then the runtime's note)
run_limen trace -f -e trace=clone3,exit -e inject=clone3:retval=4242 -- \
	"$prog" raw 2>"$tmp/inj"
is "$(tail -1 "$tmp/inj")" "+++ exited with 0 +++" \
	"an_injected_clone_result_counts_no_thread"
# the whole trace: the process's end last, with its status
run_limen trace -f -- "$prog" raw 2>"$tmp/full"
is "$(tail -1 "$tmp/full")" "+++ exited with 6 +++" \
	"the_whole_trace_ends_with_the_process_status"
# -o: the leader's line is the last and names the leader
limen_trace "$tmp/o" -f -e trace=exit,exit_group -- "$prog" raw
lead=$(awk '$2 ~ /^exit\(0\)/ {print $1}' "$tmp/o")
is "$(tail -1 "$tmp/o" | sed -E 's/ +/ /g')" "$lead +++ exited with 6 +++" \
	"with_-o_the_leader_s_line_names_the_leader ($lead)"
ends_as_strace "$prog" raw
ends_as_strace "$prog" pthread
done_testing
