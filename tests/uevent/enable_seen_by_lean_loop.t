#!/bin/bash
# SPDX-License-Identifier: MIT
#
# read, write, close, dup and fcntl take the lean path while the process
# holds no emulated user_events or tracefs descriptor (src/runtime/lean.c,
# uev_fd): a site made hot (lean) before the enable file was opened must
# write to it through the emulation once it is (the lean bits go before
# the descriptor reaches the program); without, the write went to the
# descriptor limen holds for the file and the event stayed off.
#
# An event enabled through its tracefs enable file by one process is seen
# by another that makes only lean calls (a rewritten site's unselected
# calls, src/runtime/lean.c): the lean path leaves to the runtime any call
# made while the session's user_events generation (ctl->uevent_gen) is
# newer than this process has seen, and the runtime brings the process's
# enable bits in line first. Without that check the child loops on a bit
# nobody updates (tests/progs/lean.c uevent bounds the loop; the preloaded
# runtime's limen_uevent_on reads the session's bits itself, so only
# limen's loader shows it).
. "$(dirname "$0")/../lib.sh"
need_limen
need_emulated_user_events
prog=$(testbin lean)
[ -x "$prog" ] || skip_all "tests/progs/lean not built ($prog)"

for L in loader preload; do
	LIMEN_LOADER=$L limen_trace "$tmp/t$L" -e trace=none -- "$prog" uevent \
		>"$tmp/o$L" 2>&1 </dev/null
	is "$(head -1 "$tmp/o$L")" "written through the hot site: 1, on=1" \
		"a_write_to_an_emulated_file_through_a_site_hot_before_it_was_opened_is_emulated ($L)"
	is "$(tail -n +2 "$tmp/o$L")" "the looping child saw the event on" \
		"an_event_enabled_while_a_process_loops_on_lean_calls_is_seen_by_it ($L)"
done
done_testing
