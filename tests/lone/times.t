#!/bin/bash
# SPDX-License-Identifier: MIT
#
# The outputs that show or count time keep the real clock (the counter of
# a thread alone in the session, runtime/lone.c, is for the order only):
# a 20 ms nanosleep takes at least 0.02 s under -T, -r, -tt, -c and
# --latency, and in limen record's recording.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin lone_order)
sleeps=clock_nanosleep,nanosleep

# at_least X Y: X >= Y (decimal numbers)
at_least() { awk -v x="$1" -v y="$2" 'BEGIN { exit !(x + 0 >= y + 0) }'; }

run_limen trace -T -e trace=$sleeps -o "$tmp/T" -- "$prog" sleep
d=$(sed -n 's/.*nanosleep(.* <\([0-9.]*\)>$/\1/p' "$tmp/T" | head -1)
ok_if "-T: the nanosleep took its 20 ms (<$d>)" at_least "${d:-0}" 0.02

run_limen trace -r -e trace=write,$sleeps -o "$tmp/r" -- "$prog" sleep
d=$(sed -n 's/^[0-9]* *\([0-9.]*\) write(3, "C".*/\1/p' "$tmp/r")
ok_if "-r: the write after the nanosleep came 20 ms after it ($d)" at_least "${d:-0}" 0.02

run_limen trace -tt -e trace=write -o "$tmp/tt" -- "$prog" sleep
a=$(sed -n 's/^[0-9]* *[0-9]*:[0-9]*:\([0-9.]*\) write(3, "A".*/\1/p' "$tmp/tt")
c=$(sed -n 's/^[0-9]* *[0-9]*:[0-9]*:\([0-9.]*\) write(3, "C".*/\1/p' "$tmp/tt")
ok_if "-tt: 20 ms between the marks around the nanosleep ($a, $c)" \
	at_least "$(awk -v a="${a:-0}" -v c="${c:-0}" 'BEGIN { d = c - a; if (d < 0) d += 60; print d }')" 0.02

run_limen trace -c -e trace=$sleeps -o "$tmp/c" -- "$prog" sleep
d=$(awk '$NF ~ /nanosleep$/ { print $2; exit }' "$tmp/c")
ok_if "-c: the nanosleep's seconds ($d)" at_least "${d:-0}" 0.02

run_limen trace --latency -e trace=$sleeps -o "$tmp/l" -- "$prog" sleep
d=$(awk '$1 ~ /nanosleep$/ && $2 == 1 { print $NF; exit }' "$tmp/l")
ok_if "--latency: the nanosleep's microseconds ($d)" at_least "${d:-0}" 20000

if run_limen record -o "$tmp/rec" -e trace=$sleeps -- "$prog" sleep >/dev/null 2>&1; then
	run_limen report -T "$tmp/rec" >"$tmp/rep" 2>&1
	d=$(sed -n 's/.*nanosleep(.* <\([0-9.]*\)>$/\1/p' "$tmp/rep" | head -1)
	ok_if "record, report -T: the nanosleep took its 20 ms (<$d>)" at_least "${d:-0}" 0.02
else
	fail "record: the recording"
fi
done_testing
