#!/bin/bash
# SPDX-License-Identifier: MIT
#
# A user_events_data file passed to another process of the tree over a
# unix socket (SCM_RIGHTS; tests/progs/uevent_pass_fd.c, uapi only) is
# the sender's file, as the kernel's struct file is: the receiver writes
# through the indexes the sender registered, its DIAG_IOCSREG takes the
# file's next index (which the sender writes through), the file stays
# open while the receiver has it, and while the message is in flight
# after the sender closed its own; a message that could not be sent
# holds nothing. recvmsg and recvmmsg both; an event's enable file
# passed the same way writes the event's state, its directory is the
# directory. The bare machine has no
# user_events, so the expectations are the kernel's.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin uevent_pass_fd)

need_emulated_user_events
if [ -e /sys/kernel/tracing ] && ! [ -x /sys/kernel/tracing ]; then
	skip_all "the tracefs mounted here is not this user's (EACCES, as with user_events)"
fi

limen_trace "$tmp/t" -f -e uevent=pf_a,pf_b -e trace=none -- "$prog" \
	>"$tmp/out" 2>"$tmp/err" </dev/null
T=/sys/kernel/tracing
want="reg_a=0 index=0
reg_u=0 index=1
child_received=fd
child_readlink=$T/user_events_data
child_write_a_of_sender=8
child_write_untraced_of_sender=EBADF
child_write_unknown_index=ENOENT
child_reg_b=0 index=2
parent_write_b_of_receiver=8
child_write_a_after_sender_closed=8
del_u_receiver_has_file=EBUSY
child_reg_c_own_file=0 index=0
del_u_receiver_closed=ENOENT
parent_received_readlink=$T/user_events_data
parent_reg_c_on_received=0 index=0
del_c_parent_has_received=EBUSY
del_c_received_closed=ENOENT
reg_u_again=0
parent_received_enable_readlink=$T/events/user_events/pf_u/enable
write_received_enable=2
bit_after_enable=1
enable_reads=1
parent_received_dir_readlink=$T/events/user_events/pf_u
received_dir_enable_reads=1
reg_f=0 index=1
del_f_in_flight=EBUSY
child_write_a_sender_closed_in_flight=8
del_f_received_closed=ENOENT
send_to_closed_peer=EPIPE
del_g_not_sent=ENOENT"
while IFS= read -r w; do
	step=${w%%=*}
	is "$(grep -m1 "^$step=" "$tmp/out")" "$w" "user_events file passed over a unix socket: $step"
done <<<"$want"
is "$(cat "$tmp/err")" "" "nothing on stderr"
body=$(trace_body "$tmp/t")
for v in 7 9 11; do
	is "$(grep -c "^pf_a(v=$v)" <<<"$body")" 1 \
		"the receiver's write with the sender's index is the sender's event (v=$v)"
done
is "$(grep -c '^pf_b(v=8)' <<<"$body")" 1 \
	"the sender's write with the receiver's index is the receiver's event"
"$prog" >"$tmp/bare" 2>&1 </dev/null
is "$(sort "$tmp/bare" | tr "\n" " ")" "child_received=none open=ENOENT " "without limen the kernel's ENOENT is seen"
done_testing
