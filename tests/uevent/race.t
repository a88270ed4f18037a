#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Processes registering the same names at the same moment
# (tests/progs/uevent_race.c): one event for one name and format, whoever
# gets there first; of two formats under one name, one wins and the other
# is refused (EADDRINUSE), as the kernel decides under its lock.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin uevent_race)

bad_same=0 bad_conflict=0
for round in 1 2 3 4 5; do
	limen_trace "$tmp/t" -e trace=none -- "$prog" 8 >"$tmp/out" 2>&1 </dev/null
	# the names both kinds register alike: one id everywhere
	same=$(awk '{for (i = 2; i <= 13; i++) print $i}' "$tmp/out" | sort -u | wc -l)
	[ "$same" = 12 ] || { bad_same=$((bad_same + 1)); diag "round $round: $same (name, id) pairs for 12 names"; }
	# the names registered with two formats: one format got ids, the
	# other only EADDRINUSE (-98), in every process
	for i in $(seq 12 23); do
		w=$(awk -v f=$((i + 2)) '{print $f}' "$tmp/out" | sort -u |
			grep -vc ':-98$' || true)
		l=$(awk -v f=$((i + 2)) '{print $f}' "$tmp/out" | sort -u |
			grep -c ':-98$' || true)
		[ "$w" = 1 ] && [ "$l" = 1 ] ||
			{ bad_conflict=$((bad_conflict + 1)); diag "round $round race$i: $w winning, $l refused"; }
	done
done
is "$bad_same" 0 "8 processes registering one name and format at once get one id"
is "$bad_conflict" 0 "of two formats registered at once under one name, exactly one wins"
done_testing
