#!/bin/bash
# SPDX-License-Identifier: MIT
#
# A process killed by a signal ends in the trace ("PID +++ killed by SIGTERM
# +++", as strace -f shows it) whatever -e trace= selects: its end leaves
# no record of its own, and its reaper's wait4 or waitid, which says how
# it ended, was not recorded unless selected (strace -f -e trace=execve
# of a build showed no crash of a compiler). Unselected, a wait that
# reaped a child and a clone that made one write a hidden EXIT
# (src/runtime/dispatch.c, limen_end_note), with a SIGCHLD handler
# interrupting the wait too; a child killed before its runtime started,
# which wrote nothing at all, is told from its parent's fork and reaper
# (src/collector/collector.c, born_add), also when a wait saw it stopped
# and continued first (a stop forgot it: no end line, 5 runs in 10). A wait that throws the status
# away (wait4(pid, NULL, ...), waitid with a NULL infop) is given limen's
# own word by the runtime (limen_wait_args), still shown as NULL; so is
# one whose pointer faults (read-only memory, no memory), which the kernel
# reaps before its copy fails with EFAULT: limen copies the answer to the
# program's memory as the kernel would have (limen_wait_out), EFAULT and
# all, and the program sees what it sees bare.
# tests/progs/killed_children.c.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin killed_children)
[ -x "$prog" ] || skip_all "tests/progs/killed_children not built ($prog)"

for opts in "-e trace=execve" "-e trace=none" "-e trace=openat --filter fd==99" \
	"--no-rewrite -e trace=execve" "" \
	"-e inject=wait4:delay_exit=1000 -e inject=waitid:delay_exit=1000"; do
	for mode in wait4 waitid early stopped4 stoppedid wait4null waitidnull \
		wait4ro wait4bad waitidro waitidbad wait4ru waitidru; do
		out=$("$LIMEN" trace $opts -o "$tmp/trace" -- "$prog" $mode)
		read -r _ pid sig <<<"$out"
		n=$(grep -c "^$pid  *+++ killed by $sig +++\$" "$tmp/trace")
		is "$n" 1 "a_child_killed_by_${sig}_reaped_by_${mode}_ends_in_the_trace_once (${opts:-full trace})"
	done
done

# the wait still shows what the program passed: NULL, as strace shows it
# (told whole, or split around the end when it blocked)
out=$("$LIMEN" trace -o "$tmp/trace" -- "$prog" wait4null)
read -r _ pid _ <<<"$out"
ok_if a_wait4_throwing_its_status_away_shows_NULL \
	grep -Eq "wait4\\($pid, NULL, 0, NULL\\) += $pid\$" <(trace_join "$tmp/trace")
out=$("$LIMEN" trace -o "$tmp/trace" -- "$prog" waitidnull)
read -r _ pid _ <<<"$out"
ok_if a_waitid_throwing_its_siginfo_away_shows_NULL \
	grep -Eq "waitid\\(P_PID, $pid, NULL, WEXITED, NULL\\) += 0\$" <(trace_join "$tmp/trace")

# the faulting copy: EFAULT, the child gone, the read-only page untouched,
# and across a page's end what the kernel wrote before its fault (waitid's
# si_signo, si_errno, si_code), under every way a wait can be traced
for opts in "-e trace=none" "-e trace=openat" "" "--no-rewrite" \
	"--no-rewrite -e trace=none" "-e trace=waitid,wait4"; do
	for mode in wait4ro wait4bad waitidro waitidbad waitidsplit untouched \
		wait4ru waitidru; do
		bare=$("$prog" $mode 2>&1 | sed -E 's/[0-9]+ SIGTERM/N SIGTERM/')
		traced=$("$LIMEN" trace $opts -o /dev/null -- "$prog" $mode 2>&1 |
			sed -E 's/[0-9]+ SIGTERM/N SIGTERM/')
		is "$traced" "$bare" "a_wait_whose_copy_faults_gives_the_program_what_bare_does_${mode} (${opts:-full trace})"
	done
done
done_testing
