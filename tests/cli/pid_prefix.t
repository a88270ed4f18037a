#!/bin/bash
# SPDX-License-Identifier: MIT
#
# On standard error, strace -f starts a line with "[pid  N] " while more
# than one of its tracees lives: once the last child has ended, the
# parent's lines go without it again ("+++ exited with 0 +++" at the end
# of every shell's trace). limen kept the prefix once a second thread had
# been seen, and showed a child killed before it ran (no thread of it
# seen) without one, as if the parent had died
# (src/collector/collector.c, at_of). tests/progs/killed_children.c.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin killed_children)
[ -x "$prog" ] || skip_all "tests/progs/killed_children not built ($prog)"

for mode in early wait4; do
	out=$("$LIMEN" trace -f -e trace=wait4,exit_group -- "$prog" $mode 2>"$tmp/err")
	read -r _ pid sig <<<"$out"
	ok_if "the_child_s_end_is_prefixed (${mode})" \
		grep -Eq "^\\[pid +$pid\\] \\+\\+\\+ killed by $sig \\+\\+\\+\$" "$tmp/err"
	ok_if "the_parent_s_exit_group_after_it_is_not (${mode})" \
		grep -Eq '^exit_group\(0\) += \?$' "$tmp/err"
	is "$(tail -1 "$tmp/err")" "+++ exited with 0 +++" \
		"nor_the_parent_s_end (${mode})"
done
# a single process: never a prefix
"$LIMEN" trace -f -e trace=exit_group -- /bin/true 2>"$tmp/err"
is "$(grep -c '^\[pid' "$tmp/err")" 0 "one_process_no_prefix"
# as strace shows it
if command -v strace >/dev/null; then
	strace -f -e trace=exit_group sh -c '/bin/true; true' 2>"$tmp/s"
	"$LIMEN" trace -f -e trace=exit_group -- sh -c '/bin/true; true' 2>"$tmp/l"
	norm() { grep -v '^strace: Process' "$1" | sed -E 's/[0-9]+/N/g; s/  +/ /g'; }
	is "$(norm "$tmp/l")" "$(norm "$tmp/s")" "a_shell_s_trace_prefixes_as_strace_s"
else
	skip "a_shell_s_trace_prefixes_as_strace_s" "no strace"
fi
done_testing
