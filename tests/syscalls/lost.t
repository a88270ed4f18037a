#!/usr/bin/env bash
# Losses are never silent, and by default there are none:
#  - by default a full ring makes its thread wait for limen: every call of a
#    loop far too fast for a 16 KiB ring is shown;
#  - with --lossy a full ring drops and counts: between two markers the
#    events shown (an entry and an exit per call) plus the events the trace
#    says were lost equal exactly the events the program issued.
. "$(dirname "$0")/../lib.sh"
need_limen
plan 12

calls=100000
want=$((2 * calls + 2))
prog=$(testbin lossmark)

# count_events TRACE: lib.sh's count_marked_events
count_events() { count_marked_events "$1"; }

out=$tmp/lossy
"$LIMEN" trace -o "$out" --lossy --ring-size 16K -- "$prog" $calls
is "$?" 0 "--lossy: the program exits normally with a tiny ring"
read -r shown lost < <(count_events "$out")
diag "--lossy: shown $shown, lost $lost events of $want"
ok_if "--lossy: events were lost with a 16 KiB ring (lost $lost)" test "$lost" -gt 0
is "$((shown + lost))" "$want" "lossy_shown_plus_lost_equals_issued_exactly"
tid=$(awk '/getppid/ {print $1; exit}' "$out")
ok_if "each loss line names the thread that lost ($tid)" \
	bash -c "! grep 'events\\? lost on thread' '$out' | grep -v -q 'lost on thread $tid +++'"

# the default: the same run is complete
out=$tmp/default
"$LIMEN" trace -o "$out" --ring-size 16K -- "$prog" $calls
is "$?" 0 "default: the program exits normally"
read -r shown lost < <(count_events "$out")
is "$shown" "$want" "full_ring_waits_by_default: every event is shown"
ok_if "default: no loss line" bash -c "! grep -q 'lost on thread' '$out'"

# --no-loss says the same explicitly
out=$tmp/noloss
"$LIMEN" trace -o "$out" --ring-size 16K --no-loss -- "$prog" 20000
is "$?" 0 "--no-loss: the program exits normally"
is "$(grep -c -E '^[0-9]+ +getppid\(\) += [0-9]+$' "$out")" 20000 "--no-loss: every call is shown"

# a record larger than half the ring (a read of 9000 bytes captured at
# -s 8192 in a 16 KiB ring) can never fit: its loss is counted. (An
# execve's argv no longer makes one: it is captured within the ring's
# room, and ends with "..." when it does not fit, execve_long_argv.t.)
out=$tmp/big
"$LIMEN" trace -o "$out" --ring-size 16K -s 8192 -- \
	dd if=/dev/zero of=/dev/null bs=9000 count=1 2>/dev/null
ok_if "record_larger_than_half_the_ring_is_counted_lost" \
	grep -q -E '\+\+\+ limen: [0-9]+ events? lost on thread' "$out"

# the process ends right after its loop with its ring full (limen is
# stopped meanwhile): what it lost after its last LOST record is reported
# when its slot is freed
out=$tmp/end
"$LIMEN" trace -o "$out" --lossy --ring-size 16K -- "$prog" $calls end "$tmp/go" \
	</dev/null >/dev/null 2>&1 &
lpid=$!
pid=
for _ in $(seq 100); do
	# limen's child, the program (the only process whose parent it is)
	pid=$(awk -v p=$lpid '$4 == p {print $1}' /proc/[0-9]*/stat 2>/dev/null | head -n 1)
	[ -n "$pid" ] && break
	sleep 0.1
done
kill -STOP $lpid
touch "$tmp/go"
for _ in $(seq 200); do
	grep -q '^State:.*Z' "/proc/$pid/status" 2>/dev/null || ! kill -0 "$pid" 2>/dev/null && break
	sleep 0.05
done
kill -CONT $lpid
wait $lpid
read -r shown lost < <(count_events "$out")
diag "loss at the end: shown $shown, lost $lost events of $((2 * calls + 1))"
is "$((shown + lost))" "$((2 * calls + 1))" "loss_at_thread_end_is_reported (shown + lost == issued)"

# after a loss, no exit is paired with an entry whose exit was lost: each
# read asks for a different count and gets it, so a wrong pair shows
out=$tmp/pairs
"$LIMEN" trace -o "$out" --lossy --ring-size 16K -- "$(testbin readloop)" 50000 </dev/null
wrong=$(grep -E '^[0-9]+ +(read\(|<\.\.\. read resumed>)' "$out" |
	sed -n -E 's/.*, ([0-9]+)\) += ([0-9]+)$/\1 \2/p' | awk '$1 != $2' | wc -l)
lost=$(grep -c 'lost on thread' "$out")
ok_if "lost_exits_never_pair_a_later_exit_with_an_earlier_entry ($wrong wrong of $(grep -c read "$out") reads, $lost loss lines)" \
	test "$wrong" = 0 -a "$lost" -gt 0
