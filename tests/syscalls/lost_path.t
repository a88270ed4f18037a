#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# A path call's records on the quick way (quickpath.c, ring.c's
# limen_rec_enter_path) are lost and counted as any other's: with --lossy
# and a 16 KiB ring, between two markers the events shown plus those the
# trace says were lost equal exactly the events the program issued, for
# access (its EXIT written into room its ENTER kept) and stat (its ENTER
# alone) alike, and after a loss each ENTER is reserved the slow way,
# behind the LOST record. By default (a full ring waits) every one is
# shown. tests/progs/lossmark_path.c.
. "$(dirname "$0")/../lib.sh"
need_limen
plan 7

pairs=20000
want=$((4 * pairs + 2))
prog=$(testbin lossmark_path)

# as lost.t's: events between the first and the last "getpid() = N"
# line; a whole call is 2, an unfinished or resumed line 1; LOST lines
# add to lost
count_events() { count_marked_events "$1"; }

out=$tmp/lossy
"$LIMEN" trace -o "$out" --lossy --ring-size 16K -e trace=getpid,access,stat,newfstatat,clock_nanosleep \
	-- "$prog" $pairs /etc/passwd
is "$?" 0 "--lossy: the program exits normally with a tiny ring"
read -r shown lost < <(count_events "$out")
diag "--lossy: shown $shown, lost $lost events of $want"
ok_if "--lossy: path calls' events were lost with a 16 KiB ring (lost $lost)" test "$lost" -gt 0
is "$((shown + lost))" "$want" "lossy_path_calls_shown_plus_lost_equals_issued_exactly"
ok_if "the shown path calls carry their path" \
	grep -q -E '^[0-9]+ +access\("/etc/passwd", F_OK\) += 0$' "$out"

out=$tmp/default
"$LIMEN" trace -o "$out" --ring-size 16K -e trace=getpid,access,stat,newfstatat,clock_nanosleep \
	-- "$prog" $pairs /etc/passwd
is "$?" 0 "default: the program exits normally"
read -r shown lost < <(count_events "$out")
is "$shown" "$want" "path_calls_in_a_full_ring_wait_by_default: every event is shown"
is "$(grep -c -E '^[0-9]+ +access\("/etc/passwd", F_OK\) += 0$' "$out")" "$((pairs + 3))" \
	"every access is shown with its path"
