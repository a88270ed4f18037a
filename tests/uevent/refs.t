#!/bin/bash
# SPDX-License-Identifier: MIT
#
# DIAG_IOCSDEL is EBUSY while ANY process of the tree has the event
# registered, as the kernel's refcount (tests/progs/uevent_refs.c, uapi
# only): another process's registration holds it; an unregister, an exit
# (killed or not) and an exec let it go; a fork child's copy holds it;
# one holder of two ending lets go of its own references only.
# Once the last reference is gone the event is gone by itself, as on
# Linux 6.5 and later (kernel/trace/trace_events_user.c: user_event_put
# of the last reference of an event registered without
# USER_EVENT_REG_PERSIST schedules delayed_destroy_user_event): the
# delete that used to succeed there is ENOENT, nothing left to delete.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin uevent_refs)

need_emulated_user_events

limen_trace "$tmp/t" -e trace=none -- "$prog" >"$tmp/out" 2>"$tmp/err" \
	</dev/null
want='del_while_other_process_holds=EBUSY
del_after_other_unregisters=ENOENT
del_while_held=EBUSY
del_after_holder_killed=ENOENT
del_after_holder_exited=ENOENT
reg_before_fork=0
del_while_fork_child_has_copy=EBUSY
del_after_fork_child_exits=ENOENT
reg_before_exec=0
del_after_child_exec=ENOENT
reg_two_holders=0
del_after_one_of_two_exits=EBUSY
del_after_one_of_two_execs=EBUSY
del_after_last_holder_lets_go=ENOENT'
while IFS= read -r w; do
	step=${w%%=*}
	is "$(grep -m1 "^$step=" "$tmp/out")" "$w" "user_events refcount: $step"
done <<<"$want"
"$prog" >"$tmp/bare" 2>&1
is "$(cat "$tmp/bare")" "open=ENOENT" "without limen the kernel's ENOENT is seen"
done_testing
