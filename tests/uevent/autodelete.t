#!/bin/bash
# SPDX-License-Identifier: MIT
#
# An event goes with its last reference, as on Linux 6.5 and later
# (tests/progs/uevent_autodel.c; kernel/trace/trace_events_user.c:
# user_event_put of the last reference of an event registered without
# USER_EVENT_REG_PERSIST -> delayed_destroy_user_event): its enabler,
# its file, a process killed holding it, a tracer's enable file; then
# DIAG_IOCSDEL is ENOENT, its files are gone and the name takes another
# format. While it exists a delete is EBUSY (user_event_last_ref). An
# event made through dynamic_events persists (user_event_create: PERSIST)
# and only "!u:NAME" deletes it (DIAG_IOCSDEL: EPERM, user_event_capable).
# limen's own API follows the same rule.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin uevent_autodel)

need_emulated_user_events

limen_trace "$tmp/t" -e trace=none -- "$prog" >"$tmp/out" 2>"$tmp/err" \
	</dev/null
want='reg=0
del_while_registered=EBUSY
there_while_registered=ok
unreg=0
del_while_file_holds=EBUSY
gone_after_last_reference=ENOENT
del_after_last_reference=ENOENT
status_lists_it=no
dynamic_events_lists_it=no
reg_other_format_after=0
del_while_other_process_holds=EBUSY
gone_after_holder_killed=ENOENT
reg_other_format_after_holder_killed=0
enable=ok
del_while_enable_file_has_it=EBUSY
disable=ok
gone_after_tracer_lets_go=ENOENT
dyn_add=ok
dyn_persists=ok
dyn_del_while_registered=EBUSY
dyn_persists_after_last_reference=ok
dyn_ioctl_del=EPERM
dyn_del=ok
dyn_gone=ENOENT
reg_persist=EPERM
api_init=0
api_there=ok
api_gone_after_fini=ENOENT'
while IFS= read -r w; do
	step=${w%%=*}
	is "$(grep -m1 "^$step=" "$tmp/out")" "$w" "user_events auto-delete: $step"
done <<<"$want"
"$prog" >"$tmp/bare" 2>&1 </dev/null
is "$(cat "$tmp/bare")" "open=ENOENT" "without limen the kernel's ENOENT is seen"
done_testing
