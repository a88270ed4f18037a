#!/bin/bash
# SPDX-License-Identifier: MIT
#
# A user_events_data file shared by a fork child and its parent is one
# file, as the kernel's struct file is (tests/progs/uevent_fork_file.c,
# uapi only): an event either process registers on it, before or after
# the fork, has one write_index that both write through; the enable bits
# are each process's own (user_event_mm_dup); the file, and the events
# it holds, go when the last descriptor of either process is closed or
# the last process that has one ends.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin uevent_fork_file)

need_emulated_user_events

limen_trace "$tmp/t" -f -e uevent=fs_b,fs_c -e trace=none -- "$prog" \
	>"$tmp/out" 2>"$tmp/err" </dev/null
want='reg_a_before_fork=0 index=0
child_write_a_before_fork=EBADF
child_reg_b=0 index=1 bit=1
parent_write_b_of_child=8
parent_bit_b_not_its_own=0
parent_reg_c=0 index=2
parent_reg_b_child_index=0 index=1
parent_reg_e=0 index=3
child_write_c_of_parent=8
child_bit_c_not_its_own=0
child_write_e_of_parent=EBADF
child_write_b_after_parent_close=8
del_e_child_has_file=EBUSY
del_a_child_has_file=EBUSY
del_e_after_last_close=ENOENT
del_a_after_last_close=ENOENT
reg_f=0 index=0
reg_b_new_file=0 index=1
del_f_child_has_file=EBUSY
child_write_parent_closed_at_once=8
del_f_child_ended_without_close=ENOENT'
is "$(cat "$tmp/out")" "$want" "the whole run, in order"
while IFS= read -r w; do
	step=${w%%=*}
	is "$(grep -m1 "^$step=" "$tmp/out")" "$w" "user_events file shared across fork: $step"
done <<<"$want"
body=$(trace_body "$tmp/t")
is "$(grep -c '^fs_b(v=2)' <<<"$body")" 1 \
	"the parent's write with the child's index is recorded as the child's event"
is "$(grep -c '^fs_c(v=3)' <<<"$body")" 1 \
	"the child's write with the parent's later index is recorded"
is "$(grep -c '^fs_b(v=5)' <<<"$body")" 1 \
	"the child's write after the parent closed its descriptor is recorded"
is "$(grep -c '^fs_b(v=6)' <<<"$body")" 1 \
	"the child's write on a file the parent closed right after the fork is recorded"
"$prog" >"$tmp/bare" 2>&1 </dev/null
is "$(cat "$tmp/bare")" "open=ENOENT" "without limen the kernel's ENOENT is seen"
done_testing
