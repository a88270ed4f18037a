#!/usr/bin/env bash
# A full ring never blocks the program and never loses a record silently:
# with a ring far too small for the collector to keep up, the trace says how
# many events were lost, on which thread and where, and every call is either
# shown or accounted for by a lost event.
. "$(dirname "$0")/../lib.sh"
need_limen
plan 8

calls=200000
out=$tmp/trace
"$LIMEN" trace -o "$out" --ring-size 16K -- "$(testbin sysloop)" $calls 0
is "$?" 0 "the program exits normally with a tiny ring"

shown=$(grep -c -E '^[0-9]+ +getppid\(\) = [0-9]+$' "$out")
lost=$(awk '/\+\+\+ limen: [0-9]+ events? lost on thread [0-9]+ \+\+\+/ {s += $4} END {print s + 0}' "$out")
tid=$(awk '/getppid/ {print $1; exit}' "$out")
diag "shown $shown, lost $lost"
ok_if "events were lost with a 16 KiB ring (lost $lost)" test "$lost" -gt 0
ok_if "each loss line names the thread that lost ($tid)" \
	bash -c "! grep 'events\\? lost on thread' '$out' | grep -v -q 'lost on thread $tid +++'"
# each missing call line is explained by at least one lost event
ok_if "shown ($shown) + lost ($lost) covers all $calls calls" \
	test $((shown + lost)) -ge $calls
ok_if "no more calls shown than made ($shown <= $calls)" test "$shown" -le $calls

# --no-loss: the same run, slowed instead of losing anything
out=$tmp/noloss
"$LIMEN" trace -o "$out" --ring-size 16K --no-loss -- "$(testbin sysloop)" 20000 0
is "$?" 0 "--no-loss: the program exits normally"
shown=$(grep -c -E '^[0-9]+ +getppid\(\) = [0-9]+$' "$out")
is "$shown" 20000 "--no-loss: every call is shown"
ok_if "--no-loss: no loss line" bash -c "! grep -q 'lost on thread' '$out'"
