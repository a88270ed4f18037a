#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Linux's user_events ABI emulated where the kernel has none
# (tests/progs/uevent_kabi.c, written against the uapi only): the data
# file opens, DIAG_IOCSREG sets the enable bit as the collector wants the
# event and returns write_index, writev records the event, and every
# error the kernel gives, each checked by the program's own output.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin uevent_kabi)

need_emulated_user_events

limen_trace "$tmp/t" -e uevent=test -e trace=none -- "$prog" \
	>"$tmp/out" 2>"$tmp/err" </dev/null
want='open=ok
reg=0 index=0 enabled=0x80000000
reg2=0 index=1 word=0xfe
reg_same_event_again=0 index=0 wide=0x8000000000000000
write=16
child_write=16 enabled=0x80000000
write_disabled=EBADF
write_short=EINVAL
write_index_only_3_bytes=EFAULT
write_bad_index=ENOENT
write_bad_buffer=EFAULT
reg_bad_format=EINVAL
reg_bad_size=EINVAL
reg_bad_bit=EINVAL
reg_misaligned=EINVAL
reg_bad_name_args=EFAULT
reg_bad_enable_addr=EFAULT
reg_same_bit_twice=EADDRINUSE
reg_conflicting_format=EADDRINUSE
reg_multi_format=0
reg_nonzero_tail=E2BIG
reg_size_over_page=E2BIG
del_in_use=EBUSY
del_unknown=ENOENT
write_on_dup=16
write_closed=EBADF
unreg=0 enabled=0x8
unreg_again=ENOENT
del_while_file_holds=EBUSY
del_unused=EBUSY
enable_file=ok write1=1 word=0xff write_enabled=12 write0=2 word=0xfe
reg_511_bytes=0
reg_512_bytes=EINVAL
reg_past_the_limit=EMFILE after_200_or_more=yes'
# one test per line: the step's name says which behaviour
while IFS= read -r w; do
	step=${w%%=*}
	g=$(grep -m1 "^$step=" "$tmp/out")
	is "$g" "$w" "user_events ABI: $step"
done <<<"$want"
is "$(trace_body "$tmp/t")" '+++ limen: user_events: emulated by limen (this kernel has none) +++
test(count=5, msg="kabi")
test(count=6, msg="child")
+++ exited with 0 +++
test(count=5, msg="kabi")
other(v=77)
+++ exited with 0 +++' "the trace says user_events is limen's; the writes of an enabled event are recorded (a fork child's too), a disabled one's are not"

limen_trace "$tmp/t2" -e trace=none -- "$prog" >"$tmp/out2" 2>&1 </dev/null
is "$(sed -n 2p "$tmp/out2")" "reg=0 index=0 enabled=0" \
	"an event not asked for: its enable bit stays clear"
# with -e uevent=test the collector is a tracer of the event: deleting it
# is EBUSY (above), as the kernel refuses while a tracer holds it
is "$(grep -m1 '^del_while_file_holds=' "$tmp/out2")" \
	"del_while_file_holds=EBUSY" \
	"DIAG_IOCSDEL is EBUSY while the file that registered the event is open, its enablers gone"
# no tracer, its file closed and enablers gone: the event went with its
# last reference (user_event_put -> delayed_destroy_user_event, 6.5 on)
is "$(grep -m1 '^del_unused=' "$tmp/out2")" "del_unused=ENOENT" \
	"an event no one registers or traces, its file closed, is gone by itself: DIAG_IOCSDEL is ENOENT"
is "$(trace_body "$tmp/t2")" "+++ limen: user_events: emulated by limen (this kernel has none) +++
+++ exited with 0 +++
other(v=77)
+++ exited with 0 +++" \
	"an event not asked for: nothing recorded until its enable file says 1"

"$prog" >"$tmp/bare" 2>&1 </dev/null
is "$(cat "$tmp/bare")" "open=ENOENT" "without limen the kernel's ENOENT is seen"
done_testing
