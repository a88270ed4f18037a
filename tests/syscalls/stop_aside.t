#!/bin/bash
# SPDX-License-Identifier: MIT
#
# A process stopped by SIGSTOP is reported stopped to its parent while
# its threads make the runtime work in a helper thread (aside.c: here the
# mappings read for -k after each change, the /proc reads for signals a
# thread sends its own process). The helper
# used to be made with CLONE_VFORK, whose wait takes no part in a group
# stop: the helper stopped, the thread waiting for it never did, and the
# parent's waitpid(WUNTRACED) never saw the stop (17 of 30 in a review's
# run; a shell's ^Z seemed to hang). The thread now waits on a futex the
# helper's exit clears, which a stop stops. tests/progs/stop_aside.c.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin stop_aside)
[ -x "$prog" ] || skip_all "tests/progs/stop_aside not built ($prog)"

for L in loader preload; do
	export LIMEN_LOADER=$L
	if [ -n "$(no_stacks)" ]; then
		skip "a_process_is_reported_stopped_while_a_helper_runs ($L)" \
			"$(no_stacks)"
		continue
	fi
	bare_and_traced stop -k -- 30
	as_bare stop "a_process_is_reported_stopped_while_a_helper_runs ($L)"
done
done_testing
