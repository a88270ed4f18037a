#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# A process killed by a signal while its threads block in calls
# (tests/progs/killthreads.c): as strace -f shows it, each thread's call
# ends without a result and each thread is told killed, not only the one
# whose pid is the process's (src/collector/collector.c, killed_line), as
# for an exit_group from one of them.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin killthreads)
[ -x "$prog" ] || skip_all "tests/progs/killthreads not built"
plan 6
_timeout=(timeout -k 5 30)

"${_timeout[@]}" "$LIMEN" trace -f -o "$tmp/k" -- "$prog" 4 kill </dev/null >/dev/null 2>&1
is "$?" 137 "killthreads kill: killed by SIGKILL under limen, as bare"
is "$(grep -c -E '^[0-9]+ +\+\+\+ killed by SIGKILL \+\+\+$' "$tmp/k")" 5 \
	"every_thread_of_a_process_killed_by_a_signal_is_told_killed (4 + main)"
is "$(grep -c -E '^[0-9]+ +<\.\.\. pause resumed>\) += \?$' "$tmp/k")" 4 \
	"the_calls_its_threads_blocked_in_end_without_a_result"
ok_if "the process's own line is the last" \
	bash -c "tail -1 '$tmp/k' | grep -q -E '^[0-9]+ +\+\+\+ killed by SIGKILL \+\+\+$'"

"${_timeout[@]}" "$LIMEN" trace -f -o "$tmp/e" -- "$prog" 4 exit </dev/null >/dev/null 2>&1
is "$?" 3 "killthreads exit: exit status 3 under limen, as bare"
is "$(grep -c -E '^[0-9]+ +\+\+\+ exited with 3 \+\+\+$' "$tmp/e")" 5 \
	"every_thread_of_a_process_ended_by_exit_group_is_told_exited (4 + main)"
