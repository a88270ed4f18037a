#!/usr/bin/env bash
# While the collector keeps up, a thread's writer goes back to its ring's
# start once past the hot start (ring.c, pad_for): the pages it writes are
# the same few, not a new one every 4 KiB for a whole lap of the ring (a
# first touch of a page is a fault: 11 us on a VM that keeps its guests'
# page tables). The program counts its own page faults across bursts of
# calls with pauses the collector drains in: some 30 MiB of records in a
# 64 MiB ring took 8000 faults before, and take a few dozen. Nothing is
# lost on the way: every call is in the trace, under both sizes of ring.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin ring_window)
[ -x "$prog" ] || skip_all "tests/progs/ring_window not built"
plan 4
_timeout=(timeout -k 5 120)

rounds=60 n=2000
for rs in 64M 4M; do
	"${_timeout[@]}" "$LIMEN" trace --ring-size $rs -o "$tmp/t.$rs" -- \
		"$prog" $rounds $n 3000 >"$tmp/out.$rs" 2>&1
	calls=$(grep -c -E 'getppid\(\) += [0-9]+$' "$tmp/t.$rs")
	is "$calls" $(((rounds + 1) * n)) \
		"ring_$rs:_every_call_of_the_bursts_is_in_the_trace"
done
f64=$(sed -n 's/^faults //p' "$tmp/out.64M")
f4=$(sed -n 's/^faults //p' "$tmp/out.4M")
# 8000 pages of records: an eighth of them is far more than the window
ok_if "a_writer_the_collector_keeps_up_with_stays_in_its_ring's_first_pages ($f64 faults, 64 MiB ring)" \
	test -n "$f64" -a "${f64:-99999}" -lt 1000
ok_if "the_same_in_a_4_MiB_ring ($f4 faults; a lap is 1024 pages)" \
	test -n "$f4" -a "${f4:-99999}" -lt 500
