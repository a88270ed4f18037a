#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Threads a traced clone made that never ran an instruction of their own
# (their process ended first: exit or a fatal signal right after
# pthread_create) write no record, not even their start; strace -f shows
# each of them end with the group all the same. Before, their clone's
# result was the only word of them, and no end line came (a torture run:
# 6 runs in 10). Threads that did start must still end once, not twice.
# tests/progs/unstarted_threads.c.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin unstarted_threads)
[ -x "$prog" ] || skip_all "tests/progs/unstarted_threads not built ($prog)"
ulimit -c 0 # abort

for how in exit abort; do
	case $how in
	exit) want="exited with 6" ;;
	abort) want="killed by SIGABRT" ;;
	esac
	for opts in "" "-e trace=none" "--no-rewrite"; do
		bad=
		for round in 1 2 3 4 5; do
			# shellcheck disable=SC2086
			run_limen trace -f $opts -o "$tmp/t" -- "$prog" $how \
				</dev/null >/dev/null 2>&1
			# the process and the 4 threads its clones made: each
			# ends once, with the group's status
			ends=$(grep -E "^[0-9]+ +\+\+\+ $want \+\+\+\$" "$tmp/t" |
				awk '{print $1}' | sort)
			[ "$(echo "$ends" | wc -w)" = 5 ] &&
				[ "$(echo "$ends" | uniq | wc -w)" = 5 ] ||
				bad="$bad round $round: ends of $(echo $ends);"
			for tid in $(trace_join "$tmp/t" |
				sed -n -E 's/.*clone3?\(.*= ([0-9]+)$/\1/p'); do
				echo "$ends" | grep -qx "$tid" ||
					bad="$bad round $round: $tid made, no end;"
			done
		done
		ok_if "every_thread_made_ends_once_with_its_group ($how, ${opts:-full trace})${bad:+:$bad}" \
			test -z "$bad"
	done
done
done_testing
