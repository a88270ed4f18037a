#!/bin/bash
# SPDX-License-Identifier: MIT
#
# The lifetimes of user_events as the kernel has them
# (kernel/trace/trace_events_user.c; tests/progs/uevent_lifetimes.c, uapi
# only): a file's references and write_index (user_events_ref_add,
# user_events_write_core, user_events_release), the enablers of the
# process (user_event_enabler_create, user_events_ioctl_unreg), their
# copies in a fork child (user_event_mm_dup), their end at exec
# (user_events_execve), and unregistering while a thread writes. An event
# whose last reference went is deleted by the kernel itself (6.5 on:
# user_event_put -> delayed_destroy_user_event, unless registered with
# USER_EVENT_REG_PERSIST): a DIAG_IOCSDEL after that is ENOENT.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin uevent_lifetimes)

need_emulated_user_events

limen_trace "$tmp/t" -e uevent=lt_b -e trace=none -- "$prog" \
	>"$tmp/out" 2>"$tmp/err" </dev/null
want='reg_a=0 index=0
reg_b=0 index=1 bit=1
unreg_b=0 bit=0
write_after_unreg=8
unreg_a=0
write_after_unreg_untraced=EBADF
del_after_unreg_file_open=EBUSY
reg_b_again=0 index=1
reg_c=0 index=2
reg_d_unwritable_bit=EFAULT
reg_d=0 index=3
reg_e=0 index=4
reg_same_bit_other_file=EADDRINUSE
reg_c_other_file=0 index=0
write_index_of_other_file=ENOENT
del_enabler_outlives_file=EBUSY
unreg_through_other_file=0
del_after_unreg_and_close=ENOENT
del_released_by_close=ENOENT
write_index_of_deleted_event=ENOENT
reg_a_new_file=0 index=0
reg_b_fd2=0 index=1
child_write=8
child_reg_same_bit=EADDRINUSE
child_unreg=0
parent_unreg_after_child_unreg=0
del_while_fork_child_has_file=EBUSY
del_after_fork_child_closed=ENOENT
reg_before_exec=0
exec_unreg=ENOENT
emits_during_unreg=2000 other=0
del_after_close_range=ENOENT
new_files_count_from_0=500 bad=0'
# one test per line: the step's name says which behaviour
while IFS= read -r w; do
	step=${w%%=*}
	is "$(grep -m1 "^$step=" "$tmp/out")" "$w" "user_events lifetime: $step"
done <<<"$want"
# every write that returned its bytes is in the trace: the one after
# DIAG_IOCSUNREG, the fork child's, and the thread's 2000
is "$(trace_body "$tmp/t" | grep -c '^lt_b(')" 2002 \
	"user_events lifetime: each write that returned its bytes is recorded, during unregistering too"
"$prog" >"$tmp/bare" 2>&1 </dev/null
is "$(cat "$tmp/bare")" "open=ENOENT" "without limen the kernel's ENOENT is seen"
done_testing
