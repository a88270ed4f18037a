#!/bin/bash
# SPDX-License-Identifier: MIT
#
# The user_events files reached through /proc (tests/progs/uevent_reopen.c,
# uapi only), as on a kernel with user_events: readlink of
# /proc/self/fd/N, /dev/fd/N, /proc/PID/fd/N and /proc/PID/cwd gives the
# tracefs path; stat through them says the tracefs file's; open() of
# them is a new open of the file (user_events_data: a new file, its own
# write_indexes from 0, releasing its events when closed; a tracefs
# file: its content as of now, its writes the file's); a path past a
# directory's link goes on from the directory. The bare machine has no
# user_events, so the expectations are the kernel's, not a bare run's.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin uevent_reopen)

need_emulated_user_events
if [ -e /sys/kernel/tracing ] && ! [ -x /sys/kernel/tracing ]; then
	skip_all "the tracefs mounted here is not this user's (EACCES, as with user_events)"
fi

limen_trace "$tmp/t" -f -e uevent=ro_a,ro_b -e trace=none -- "$prog" \
	>"$tmp/out" 2>"$tmp/err" </dev/null
T=/sys/kernel/tracing
want="reg_a=0 index=0
readlink_self_fd=$T/user_events_data
readlink_dev_fd=$T/user_events_data
readlink_pid_fd=$T/user_events_data
readlink_thread_self_fd=$T/user_events_data
readlink_short=10 /sys/kerne
stat_self_fd=f0640 s0 same=1
reopen=new_fd
reopen_same_path=1
reopen_write_index_of_other=ENOENT
reopen_reg_b=0 index=0
reopen_write_b=8
first_write_a=8
first_write_index_1=ENOENT
reopen_dev_fd_reg_c=0 index=0
del_c_while_held=EBUSY
del_c_after_close=ENOENT
readlink_child_fd=$T/user_events_data
reopen_child_fd_write_its_index=ENOENT
child_write_own_index=8
readlink_enable=$T/events/user_events/ro_a/enable
stat_enable_fd=f0640 s0
reopen_enable_write=2
reopen_enable_read=1
enable_now=1
reopen_status_lists_new_event=1
readlink_dynamic_events_wronly=$T/dynamic_events
readlink_dir=$T/events/user_events/ro_a
stat_dir_fd=d0755 s0
through_dir_fd_id_same=1
reopen_dir_lists=enable,filter,format,id
chdir_sys=0
getcwd_sys=$T/events/user_events
readlink_cwd_sys=$T/events/user_events
readlink_pid_cwd_sys=$T/events/user_events
cwd_relative_id_same=1
proc_cwd_id_same=1
chdir_top=0
getcwd_top=$T
readlink_cwd_top=$T
cwd_top_data_reg_a=0 index=0
cwd_top_enable=0
cwd_top_proc_cwd_data=data"
while IFS= read -r w; do
	step=${w%%=*}
	is "$(grep -m1 "^$step=" "$tmp/out")" "$w" "user_events files through /proc: $step"
done <<<"$want"
is "$(cat "$tmp/err")" "" "nothing on stderr"
body=$(trace_body "$tmp/t")
is "$(grep -c '^ro_b(v=2)' <<<"$body")" 1 \
	"a write on the reopened file with its own index is its event"
is "$(grep -c '^ro_a(v=3)' <<<"$body")" 1 \
	"the first file's index still writes its event"
is "$(grep -c '^ro_a(v=1)' <<<"$body")" 0 \
	"the first file's index does not write through the reopened file"
is "$(grep -c '^ro_b(v=21)' <<<"$body")" 1 \
	"the child's file is its own after the parent reopened it"
is "$(grep -c '^ro_b(v=20)' <<<"$body")" 0 \
	"the reopened child's file has none of its indexes"
# the same without a tracefs mounted: in a mount namespace of its own
# (private: the machine's mounts stay), where the emulated files are the
# only ones and /sys/kernel/tracing is sysfs's empty directory
st=1
if [ "$(id -u)" = 0 ] && unshare -m --propagation private true 2>/dev/null; then
	unshare -m --propagation private sh -c '
		umount /sys/kernel/debug/tracing 2>/dev/null
		umount /sys/kernel/tracing 2>/dev/null
		[ -e /sys/kernel/tracing/trace ] && exit 3
		"$LIMEN" trace -o "$1/t2" -e uevent=ro_a,ro_b -e trace=none -- "$2"' \
		sh "$tmp" "$prog" >"$tmp/out2" 2>"$tmp/err2" </dev/null
	st=$?
fi
if [ "$st" = 0 ]; then
	is "$(cat "$tmp/out2")" "$want" "without a tracefs: the same, every step"
	is "$(cat "$tmp/err2")" "" "without a tracefs: nothing on stderr"
else
	skip "without a tracefs mounted" "needs root and unshare -m to unmount it privately (status $st)"
fi
"$prog" >"$tmp/bare" 2>&1 </dev/null
is "$(cat "$tmp/bare")" "open=ENOENT" "without limen the kernel's ENOENT is seen"
done_testing
