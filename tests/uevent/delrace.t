#!/bin/bash
# SPDX-License-Identifier: MIT
#
# A delete racing a registration of the same event in another process
# (tests/progs/uevent_delrace.c: registering through the uapi, then
# through limen's API), thousands of rounds, deleting by DIAG_IOCSDEL and
# by "!u:NAME" to dynamic_events: as the kernel's
# (find_user_event takes the reference under the lock delete_user_event
# holds), a delete succeeds only when no registration exists, else EBUSY;
# never a process left registered to a deleted event. The event does not
# persist (no USER_EVENT_REG_PERSIST): with its last reference it goes by
# itself (user_event_put -> delayed_destroy_user_event, 6.5 on), so a
# delete never succeeds (user_event_last_ref is false while it exists)
# and after the unregister it finds nothing, ENOENT.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin uevent_delrace)

need_emulated_user_events

for how in uapi api; do
	limen_trace "$tmp/t" -e trace=none -- "$prog" $how >"$tmp/out" \
		2>"$tmp/err" </dev/null
	diag "$how: $(cat "$tmp/err")"
	is "$(grep -m1 '^slipped=' "$tmp/out")" "slipped=0" \
		"delete racing another process's registration ($how): never succeeds while a registration exists"
	is "$(grep -m1 '^leaked=' "$tmp/out")" "leaked=0" \
		"delete after the other process unregistered ($how): ENOENT, the event went with its last reference (no count left behind)"
	is "$(grep -m1 '^reg_failed=' "$tmp/out")" "reg_failed=0" \
		"registration racing a delete ($how): always succeeds (an event found is not deleted under it)"
done
"$prog" >"$tmp/bare" 2>&1 </dev/null
is "$(cat "$tmp/bare")" "open=ENOENT" "without limen the kernel's ENOENT is seen"
done_testing
