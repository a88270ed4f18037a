#!/usr/bin/env bash
# A program that writes into the session it maps (tests/progs/scribble.c):
# the collector reads nothing past a record, names the thread whose ring is
# corrupted and carries on; a slot table written by the program cannot take
# a live thread's ring away, nor hang the collector. Nor does a count
# the collector prints come from the session unchecked: the control
# page's threads untraced, a slot's count of lost events and a LOST
# record's, each made absurd (8211807017336824331, as D17 saw it), are
# said to be corrupted, with -c too; and a call's time, from stamps the
# program can forge (an entry stamped hours before its exit), is never
# longer than the run (-c's seconds, -T's).
. "$(dirname "$0")/../lib.sh"
need_limen
plan 20
prog=$(testbin scribble)
_timeout=(timeout -k 5 30)

note_re='\+\+\+ limen: the ring of thread [0-9]+ was corrupted'

limen_trace "$tmp/short" -- "$prog" short </dev/null >"$tmp/short.out" 2>&1
is "$?" 0 "short_record: the program runs to its end"
me=$(awk '{print $1; exit}' "$tmp/short")
ok_if "short_record_is_reported_naming_its_thread ($me)" \
	grep -q -E "^$me +\+\+\+ limen: the ring of thread $me was corrupted \(record shorter than its type" "$tmp/short"
ok_if "short_record: the calls after it are still shown" \
	grep -q -E '^[0-9]+ +getppid\(\) += [0-9]+$' "$tmp/short"

limen_trace "$tmp/size" -- "$prog" size </dev/null >"$tmp/size.out" 2>&1
is "$?" 0 "record_size_past_head: the program runs to its end"
ok_if "record_size_past_head_is_reported" grep -q -E "$note_re \(bad record size" "$tmp/size"

limen_trace "$tmp/sib" -- "$prog" sibling </dev/null >"$tmp/sib.out" 2>&1
is "$?" 0 "forged_slot_state: the program runs to its end"
main=$(awk '{print $1; exit}' "$tmp/sib")
sib=$(sed -n -E 's/^([0-9]+) +gettid\(\) += ([0-9]+)$/\2/p' "$tmp/sib" | grep -v -x "$main" | head -n 1)
n=$(count_calls "$tmp/sib" getppid)
is "$n $(tids_of "$tmp/sib" getppid | tr '\n' ' ')" "1000 $sib " \
	"forged_done_and_exit_group_do_not_retire_a_live_sibling (its getppid calls, its id)"
is "$(tids_of "$tmp/sib" write | tr '\n' ' ')" "$main " \
	"forged_exit_group_does_not_retire_the_live_thread_that_wrote_it (its write)"
newc=$(tids_of "$tmp/sib" getpid | tr '\n' ' ')
n=$(count_calls "$tmp/sib" getpid)
ok_if "forged_done: a thread started after it gets a ring of its own ($n getpid calls on '$newc', sibling $sib)" \
	test "$n" = 1000 -a "$(echo $newc | wc -w)" = 1 -a "$newc" != "$sib "

limen_trace "$tmp/head" -- "$prog" head </dev/null >"$tmp/head.out" 2>&1
is "$?" 0 "forged_head: neither the program nor the collector hangs"
ok_if "forged_head_is_reported" grep -q -E "$note_re \(head out of range" "$tmp/head"

absurd=8211807017336824331
limen_trace "$tmp/counts" -- "$prog" counts </dev/null >"$tmp/counts.out" 2>&1
is "$?" 0 "absurd_counts: the program runs to its end"
me=$(awk '{print $1; exit}' "$tmp/counts")
is "$(grep -c -E "^$me +\+\+\+ limen: the ring of thread $me was corrupted \(a count of $absurd lost events, more than it could lose in the run\): how many it lost is unknown \+\+\+$" "$tmp/counts")" 2 \
	"an_absurd_lost_count_is_said_corrupted (the LOST record's and the slot's)"
ok_if "an_absurd_untraced_count_is_said_corrupted" \
	grep -q -E "^\+\+\+ limen: threads untraced: how many is unknown, the session was corrupted \(its count says $absurd, more than the [0-9]+ threads that could start in the run\) \+\+\+$" "$tmp/counts"
is "$(grep -v -e 'count says' -e 'was corrupted (a count of' "$tmp/counts" | grep -c "$absurd" )" 0 \
	"absurd_counts: no other line prints the session's count"
limen_trace "$tmp/countsc" -c -- "$prog" counts </dev/null >"$tmp/countsc.out" 2>&1
ok_if "absurd_counts -c: the summary says the ring was corrupted" \
	grep -q -x "+++ limen: 1 ring corrupted by the program: the counts above may miss or misread its events +++" "$tmp/countsc"
is "$(grep -v 'count says' "$tmp/countsc" | grep -c "$absurd")" 0 \
	"absurd_counts -c: the summary prints no absurd count"
# and a true count is said as it is: one slot (a file size limit that
# leaves the session room for one 16 KiB ring), a second thread
(ulimit -f 360; "$LIMEN" trace --ring-size=16K -o "$tmp/one" -- \
	"$(testbin own_filter)" thread 999 kill </dev/null >/dev/null 2>&1)
ok_if "a_true_untraced_count_is_said_as_it_is" \
	grep -q -x "+++ limen: 1 threads untraced: no ring (none free, no room to map one, or none left of those mapped before a seccomp filter of the program's), or Syscall User Dispatch refused by such a filter +++" "$tmp/one"
limen_trace "$tmp/stamp" -c -- "$prog" stamp </dev/null >/dev/null 2>&1
secs=$(awk '$NF == "getppid" { print int($2) }' "$tmp/stamp")
ok_if "a_forged_stamp_makes_no_call_longer_than_the_run (-c: getppid ${secs:-?} s)" \
	test -n "$secs" -a "${secs:-99}" -lt 10
limen_trace "$tmp/stampT" -T -- "$prog" stamp </dev/null >/dev/null 2>&1
long=$(sed -n -E 's/.*getppid.*<([0-9]+)\.[0-9]+>$/\1/p' "$tmp/stampT" | sort -n | tail -1)
ok_if "a_forged_stamp_makes_no_call_longer_than_the_run (-T: ${long:-?} s)" \
	test -n "$long" -a "${long:-99}" -lt 10
