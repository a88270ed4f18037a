#!/bin/bash
# SPDX-License-Identifier: MIT
#
# A tracefs file of user_events opened by a shell for a program it execs
# (a redirection: "/bin/echo 1 > enable", a descriptor inherited by a
# child shell) is the file in the new image, as on a kernel with
# user_events: its writes register, enable, disable and delete events;
# "dd < trace_pipe" reads the trace's lines, and another process's
# /proc/PID/fd/N of it names trace_pipe; an event's directory kept
# across exec lists its files through /proc/self/fd/N/, and another
# process's link to it names it.
# The bare machine has no user_events, so the expectations are the
# kernel's, not a bare run's.
. "$(dirname "$0")/../lib.sh"
need_limen
need_emulated_user_events
if [ -e /sys/kernel/tracing ] && ! [ -x /sys/kernel/tracing ]; then
	skip_all "the tracefs mounted here is not this user's (EACCES, as with user_events)"
fi
[ -x /bin/echo ] && [ -x /bin/cat ] || skip_all "no /bin/echo or /bin/cat"

cat >"$tmp/sh" <<'SH'
T=/sys/kernel/tracing
/bin/echo 'u:ke u32 count' > $T/dynamic_events
echo "dyn_after_exec_echo=$(/bin/cat $T/dynamic_events)"
/bin/echo 1 > $T/events/user_events/ke/enable
echo "enable_after_exec_echo=$(/bin/cat $T/events/user_events/ke/enable)"
exec 3>$T/events/user_events/ke/enable
sh -c 'echo 0 >&3'
echo "enable_after_child_shell=$(/bin/cat $T/events/user_events/ke/enable)"
/bin/sh -c 'exec /bin/echo 1' >&3
echo "enable_after_exec_of_exec=$(/bin/cat $T/events/user_events/ke/enable)"
/bin/echo 0 >&3
exec 3>&-
/bin/echo 1 > $T/events/user_events/ke/enable
"$EMIT" 'ke u32 count' 5 6
/bin/sh -c 'echo "pipe_readlink_other=$(/bin/readlink /proc/$$/fd/4)"' 4<$T/trace_pipe
echo "pipe_read_by_exec=$(timeout 10 /bin/dd bs=4096 count=1 status=none < $T/trace_pipe | /bin/grep -o ' ke: .*' | tr '\n' ,)"
/bin/echo 0 > $T/events/user_events/ke/enable
exec 5< $T/events/user_events/ke
echo "dir_listed_by_exec=$(/bin/ls /proc/self/fd/5/ | tr '\n' ,)"
echo "dir_readlink_other=$(/bin/readlink /proc/$$/fd/5)"
exec 5<&-
/bin/echo '!u:ke' >> $T/dynamic_events
echo "dyn_after_delete=[$(/bin/cat $T/dynamic_events)]"
echo "status=$(/bin/cat < $T/user_events_status | tr '\n' ,)"
SH
EMIT=$(testbin uevent_emit) limen_trace "$tmp/t" -f -e trace=none -- bash "$tmp/sh" \
	>"$tmp/out" 2>"$tmp/err" </dev/null
want="dyn_after_exec_echo=u:ke u32 count
enable_after_exec_echo=1
enable_after_child_shell=0
enable_after_exec_of_exec=1
pipe_readlink_other=/sys/kernel/tracing/trace_pipe
pipe_read_by_exec= ke: count=0x5 (5), ke: count=0x6 (6),
dir_listed_by_exec=enable,filter,format,id,
dir_readlink_other=/sys/kernel/tracing/events/user_events/ke
dyn_after_delete=[]
status=,Active: 0,Busy: 0,"
is "$(cat "$tmp/out")" "$want" "the whole run"
while IFS= read -r w; do
	step=${w%%=*}
	[ "$step" = "$w" ] && continue
	is "$(grep -m1 "^$step=" "$tmp/out")" "$w" "tracefs file kept across exec: $step"
done <<<"$want"
is "$(cat "$tmp/err")" "" "nothing on stderr"
done_testing
