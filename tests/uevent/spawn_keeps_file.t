#!/bin/bash
# SPDX-License-Identifier: MIT
#
# A user_events_data descriptor and posix_spawn's vfork child
# (tests/progs/uevent_spawn_file.c, uapi only): the child closing its
# copy before its exec leaves the parent's file whole (the child runs in
# the parent's memory, not with its descriptors); a child that keeps it
# has the same file after its exec, and holds its events until it ends;
# a file the spawn's file action opens is the child's own.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin uevent_spawn_file)

need_emulated_user_events

limen_trace "$tmp/t" -f -e uevent=sp_b -e trace=none -- "$prog" \
	>"$tmp/out" 2>"$tmp/err" </dev/null
want='reg_a=0 index=0
reg_b=0 index=1
write_after_child_closed_its_copy=8
spawned_write_b=8
spawned_write_a=EBADF
del_a_spawned_child_has_file=EBUSY
del_a_after_spawned_child_ended=ENOENT
opened_reg_c=0 index=0
opened_reg_b=0 index=1
opened_write_b=8
del_c_after_opening_child_ended=ENOENT'
is "$(cat "$tmp/out")" "$want" "the whole run, in order"
while IFS= read -r w; do
	step=${w%%=*}
	is "$(grep -m1 "^$step=" "$tmp/out")" "$w" "user_events file and posix_spawn: $step"
done <<<"$want"
body=$(trace_body "$tmp/t")
is "$(grep -c '^sp_b(v=50)' <<<"$body")" 1 \
	"the parent's write after a spawned child closed its copy is recorded"
is "$(grep -c '^sp_b(v=51)' <<<"$body")" 1 \
	"the spawned child's write with the parent's index is recorded"
is "$(grep -c '^sp_b(v=53)' <<<"$body")" 1 \
	"a write on the file a spawn's file action opened is recorded"
"$prog" >"$tmp/bare" 2>&1 </dev/null
is "$(cat "$tmp/bare")" "open=ENOENT" "without limen the kernel's ENOENT is seen"
done_testing
