#!/bin/bash
# SPDX-License-Identifier: MIT
#
# A user_events_data descriptor that survives an exec is the same file in
# the new image, as the kernel's (tests/progs/uevent_exec_file.c, uapi
# only): a write_index of the old image writes its event and is recorded,
# a new registration takes the file's next index, the old image's
# enablers are gone (user_events_execve), and the file holds its events
# until the new image closes it; a file whose descriptor was O_CLOEXEC is
# released by the exec.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin uevent_exec_file)

need_emulated_user_events

limen_trace "$tmp/t" -e uevent=ek_b,ek_c -e trace=none -- "$prog" \
	>"$tmp/out" 2>"$tmp/err" </dev/null
want='reg_a=0 index=0
reg_b=0 index=1
reg_d_cloexec=0 index=0
exec_write_b=8
exec_write_a=EBADF
exec_write_unknown_index=ENOENT
exec_unreg_old_enabler=ENOENT
exec_reg_c_next_index=0 index=2
exec_write_c=8
exec_del_d_cloexec_file_released=ENOENT
exec_del_a_file_open=EBUSY
exec_del_a_after_close=ENOENT'
is "$(cat "$tmp/out")" "$want" "the whole run, in order"
while IFS= read -r w; do
	step=${w%%=*}
	is "$(grep -m1 "^$step=" "$tmp/out")" "$w" "user_events file kept across exec: $step"
done <<<"$want"
body=$(trace_body "$tmp/t")
is "$(grep -c '^ek_b(v=42)' <<<"$body")" 1 \
	"a write with the old image's index after the exec is recorded"
is "$(grep -c '^ek_c(v=43)' <<<"$body")" 1 \
	"an event registered on the kept file after the exec is recorded"
"$prog" >"$tmp/bare" 2>&1 </dev/null
is "$(cat "$tmp/bare")" "open=ENOENT" "without limen the kernel's ENOENT is seen"
done_testing
