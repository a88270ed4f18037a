#!/bin/bash
# SPDX-License-Identifier: MIT
#
# The tracefs files of user_events, as seen from inside the traced tree
# where the kernel has none (tests/progs/uevent_tracefs.c, written for a
# kernel with CONFIG_USER_EVENTS): user_events_status, an event's format,
# id and enable, the system's enable, dynamic_events, tracing_on, trace and
# trace_pipe (read by another process of the tree) in ftrace's formats.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin uevent_tracefs)

need_emulated_user_events

limen_trace "$tmp/t" -e trace=none -- "$prog" >"$tmp/raw" 2>"$tmp/err" </dev/null
# the parts of a trace line that vary: comm's padding, tid, cpu, time
sed -E 's/ *uevent_tracefs-[0-9]+ +\[[0-9]{3}\] \.\.\.\.\. +[0-9]+\.[0-9]{6}: /CTX: /;
	s/#P:[0-9]+$/#P:N/' "$tmp/raw" >"$tmp/out"
# the lines of section NAME: from "NAME:" to the next step's line
section() {
	awk -v s="$1:" '$0 == s {on = 1; next}
		on && (/^[a-z_]+=/ || /^(status_before|format_file|status_enabled|trace|trace_again|trace_cleared|dynamic_events|dyn_listed):$/) {exit}
		on {print}' "$tmp/out"
}
val() { grep -m1 "^$1=" "$tmp/out" | cut -d= -f2-; }
hdr='# tracer: nop
#
# entries-in-buffer/entries-written: %s   #P:N
#
#                                _-----=> irqs-off/BH-disabled
#                               / _----=> need-resched
#                              | / _---=> hardirq/softirq
#                              || / _--=> preempt-depth
#                              ||| / _-=> migrate-disable
#                              |||| /     delay
#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION
#              | |         |   |||||     |         |'

is "$(section status_before)" "tfs

Active: 1
Busy: 0" "user_events_status lists the event, Active and Busy as the kernel"
is "$(section format_file)" "$(printf '%s\n' 'name: tfs' 'ID: 2000' 'format:' \
	'	field:unsigned short common_type;	offset:0;	size:2;	signed:0;' \
	'	field:unsigned char common_flags;	offset:2;	size:1;	signed:0;' \
	'	field:unsigned char common_preempt_count;	offset:3;	size:1;	signed:0;' \
	'	field:int common_pid;	offset:4;	size:4;	signed:1;' \
	'' \
	'	field:u32 count;	offset:8;	size:4;	signed:0;' \
	'	field:char msg[8];	offset:12;	size:8;	signed:1;' \
	'	field:__rel_loc char path[];	offset:20;	size:4;	signed:1;' \
	'' \
	'print fmt: "count=%u msg=%s path=%s", REC->count, REC->msg, __get_rel_str(path)')" \
	"events/user_events/NAME/format: the fields and the print fmt the kernel generates"
is "$(val id)" "2000" "events/user_events/NAME/id reads the format's ID"
is "$(val enable_before)" "0" "an event's enable file reads 0 before anyone enables it"
is "$(val no_such_event)" "ERR ENOENT" "an event not registered has no files"
is "$(val write_while_off)" "-1 EBADF" "a write while no tracer listens fails with EBADF, as the kernel"
is "$(val enable1)" "ok bit=1" "writing 1 to enable sets the program's bit before the write returns"
is "$(val enable_after)" "1" "the enable file reads back 1"
is "$(val system_enable)" "1" "events/user_events/enable reads 1 when all its events are"
is "$(section status_enabled)" "tfs # Used by ftrace

Active: 1
Busy: 1" "user_events_status says who uses an enabled event"
is "$(val write)" "27" "the write returns its bytes"
is "$(val write_loc_past_the_end)" "EFAULT" "a __rel_loc reaching past the payload: EFAULT, as the kernel's validator"
is "$(val write_loc_no_nul)" "EFAULT" "a __rel_loc char[] string without its NUL: EFAULT"
is "$(val pipe_read)" "CTX: tfs: count=0x5 (5) msg=hello path=/tmp/x" \
	"trace_pipe, waiting in another process, gets the event's line in ftrace's format"
is "$(section trace)" "$(printf "$hdr" 0/1)" \
	"trace_pipe consumed the line: trace shows it no more, its count stays"
is "$(val pipe_empty)" "-1 EAGAIN" "an empty trace_pipe opened O_NONBLOCK: EAGAIN"
is "$(val poll_empty)" "0" "poll on an empty trace_pipe: not readable"
is "$(val epoll_empty)" "0" "epoll on an empty trace_pipe: not readable"
is "$(val poll_line)" "1 POLLIN" "poll on trace_pipe with a line: POLLIN"
is "$(val select_line)" "1" "select on trace_pipe with a line: readable"
is "$(val epoll_line)" "1" "epoll on trace_pipe with a line: EPOLLIN"
is "$(val read_line)" "ok" "the line is read"
is "$(val poll_consumed)" "0" "poll on trace_pipe once its lines are read: not readable"
is "$(val epoll_consumed)" "0" "epoll on trace_pipe once its lines are read: not readable"
is "$(val ls_system)" "../ ./ dyn/ enable tfs/" \
	"getdents64 on events/user_events/ lists enable and a directory per event"
is "$(val ls_event)" "../ ./ enable filter format id" \
	"getdents64 on events/user_events/NAME/ lists its files"
is "$(val ls_no_such_event)" "ERR ENOENT" "an event not registered has no directory"
is "$(val read_dir)" "-1 EISDIR" "read on an event's directory: EISDIR"
is "$(val open_file_as_dir)" "-1 ENOTDIR" "a file opened O_DIRECTORY: ENOTDIR"
is "$(val tracing_on)" "1" "tracing_on reads 1"
is "$(val write_tracing_off)" "25" "with tracing_on 0 the write still succeeds"
is "$(val tracing_on_now)" "0" "tracing_on reads back 0"
is "$(section trace_again)" "$(printf "$hdr" 1/2)
CTX: tfs: count=0x7 (7) msg=again path=/again" \
	"trace has the writes made while tracing_on was 1 only"
is "$(section trace_cleared)" "$(printf "$hdr" 0/0)" "opening trace with O_TRUNC empties it"
is "$(section dynamic_events)" "u:tfs u32 count; char[8] msg; __rel_loc char[] path" \
	"dynamic_events lists the event as u:NAME FIELDS"
is "$(val dyn_add)" "ok" "writing u:NAME FIELDS to dynamic_events registers an event"
is "$(section dyn_listed)" "u:tfs u32 count; char[8] msg; __rel_loc char[] path
u:dyn u64 v; u8 w" "dynamic_events lists it, its fields as the kernel normalises them"
is "$(val dyn_format_print)" 'print fmt: "v=%llu w=%u", REC->v, REC->w' \
	"the event made through dynamic_events has its format file"
is "$(val dyn_del_busy)" "EBUSY" "!u:NAME of an event registered is EBUSY"
is "$(val dyn_del)" "ok" "!u:NAME deletes an unused event"
is "$(val dyn_gone)" "ERR ENOENT" "a deleted event's files are gone"
is "$(val dyn_del_again)" "ENOENT" "!u:NAME of no event is ENOENT"
is "$(val disable)" "ok bit=0" "writing 0 to events/user_events/enable clears the bit"
is "$(trace_body "$tmp/t" | grep -v '^+++ exited')" '+++ limen: user_events: emulated by limen (this kernel has none) +++
tfs(count=5, msg="hello", path="/tmp/x")
tfs(count=6, msg="off", path="/off")
tfs(count=7, msg="again", path="/again")
tfs(count=8, msg="poll", path="/p")' "the collector records the events the enable file turned on, tracing_on or not"
done_testing
