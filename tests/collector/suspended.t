#!/usr/bin/env bash
# A call still in progress after 200 ms is told as suspended
# ("<unfinished ...>", then "<... resumed>"), as strace shows a call that
# blocks; a call that is only long, its thread running in the kernel (or
# waiting for a CPU on a busy machine), is not split: its line stays whole.
. "$(dirname "$0")/../lib.sh"
need_limen
command -v dd >/dev/null || skip_all "dd is not installed"
plan 4
_timeout=(timeout -k 5 60)

# 1 GiB from /dev/zero: one read of about a second, all of it running
limen_trace "$tmp/long" -e trace=read -- dd if=/dev/zero of=/dev/null bs=1G count=1 \
	</dev/null >/dev/null 2>&1
is "$?" 0 "dd exits 0"
ok_if "a_running_call_is_not_told_as_suspended" \
	grep -q -E '^[0-9]* *read\(0, ".*\.\.\., 1073741824\) *= 1073741824$' "$tmp/long"

# a sleep blocks: told while it sleeps, ended later
limen_trace "$tmp/sleep" -e trace=clock_nanosleep,nanosleep -- sleep 0.5 \
	</dev/null >/dev/null 2>&1
ok_if "a_blocked_call_is_told_as_suspended" \
	grep -q -E '^[0-9]* *(clock_)?nanosleep\(.* <unfinished \.\.\.>$' "$tmp/sleep"
ok_if "the blocked call's end is told resumed" \
	grep -q -E '^[0-9]* *<\.\.\. (clock_)?nanosleep resumed>.* *= 0$' "$tmp/sleep"
done_testing
