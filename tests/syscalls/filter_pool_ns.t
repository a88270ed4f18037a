#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Two processes, each the first of its own pid namespace (so both pid 1
# there), each install a seccomp filter (runtime/ring.c fills a pool of
# 16 slots) and then start threads. The collector cannot tell which
# process a pooled slot with local pid 1 is: it must keep both pools,
# not free them as gone (their threads then ran untraced), and neither
# image's start may retire the other's pool (init.c, retire_old_slots).
# tests/progs/filter_ns_pool.c.
. "$(dirname "$0")/../lib.sh"
need_limen
command -v unshare >/dev/null || skip_all "no unshare"
unshare -pf --mount-proc true 2>/dev/null || skip_all "no pid namespaces here (unshare -pf)"
prog=$(testbin filter_ns_pool)
[ -x "$prog" ] || skip_all "tests/progs/filter_ns_pool not built ($prog)"

for round in 1 2 3 4; do
	run_limen trace -f -e trace=getppid -o "$tmp/t$round" -- sh -c \
		"unshare -pf $prog & unshare -pf $prog & wait" \
		>"$tmp/out" 2>"$tmp/err"
	is "$(grep -c 'done pid=1' "$tmp/out")" 2 "round $round: both ran"
	is "$(grep -c 'getppid() *= 0$' "$tmp/t$round")" 16 \
		"round $round: sibling_namespaces_pools_are_kept: every thread's calls traced"
	is "$(grep -c 'untraced' "$tmp/t$round" "$tmp/err" | awk -F: '{ s += $2 } END { print s }')" 0 \
		"round $round: no thread said untraced"
done
done_testing
