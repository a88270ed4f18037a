#!/bin/bash
# SPDX-License-Identifier: MIT
#
# The user_events_data files' state lives in the session, which the
# program can write (tests/unit/uevent_scribble.c writes garbage over it,
# then writes, registers, dups, closes, forks and execs): the runtime
# bounds what it reads there, so the program runs to its end, and once
# the garbage is cleared a new file works as on Linux.
. "$(dirname "$0")/../lib.sh"
need_limen
prog="$LIMEN_TESTBIN/unit/uevent_scribble"
[ -x "$prog" ] || skip_all "$prog not built"

need_emulated_user_events

limen_trace "$tmp/t" -f -e uevent=sc_a -e trace=none -- "$prog" \
	>"$tmp/out" 2>"$tmp/err" </dev/null
st=$?
is "$st" 0 "limen and the program exit 0 after the files' state was scribbled"
is "$(cat "$tmp/out")" "after_clear_reg=0 index=0
after_clear_write=8
survived" "the program ran to its end; a new file works once the garbage is cleared"
is "$(grep -c '^sc_a(v=7)' <<<"$(trace_body "$tmp/t")")" 1 \
	"the write on the new file is recorded"
is "$(trace_body "$tmp/t" | grep -c 'killed by')" 0 \
	"no process of the tree was killed by a signal"
"$prog" >"$tmp/bare" 2>&1 </dev/null
is "$(cat "$tmp/bare")" "open=ENOENT" "without limen the kernel's ENOENT is seen"
done_testing
