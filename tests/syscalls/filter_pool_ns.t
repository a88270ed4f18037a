#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Two processes, each the first of its own pid namespace (so both pid 1
# there), each install a seccomp filter (runtime/ring.c fills a pool of
# 16 slots) and then start threads. The collector tells the two pools
# apart by their namespace's inode (session.h, pidns): every thread is
# traced, and both programs run as bare. Neither image's start may retire
# the other's slots (init.c, retire_old_slots: it did, by the local pid,
# and a pool's fill then unmapped the main thread's ring: SIGSEGV about
# one run in two); a pool taken for gone is freed only if no thread took
# its slot meanwhile (cli/session.c, free_pooled).
# tests/progs/filter_ns_pool.c.
. "$(dirname "$0")/../lib.sh"
need_limen
need_pidns --mount-proc
prog=$(testbin filter_ns_pool)
[ -x "$prog" ] || skip_all "tests/progs/filter_ns_pool not built ($prog)"

for round in 1 2 3 4; do
	run_limen trace -f -e trace=getppid -o "$tmp/t$round" -- sh -c \
		"unshare -pf $prog & unshare -pf $prog & wait" \
		>"$tmp/out" 2>"$tmp/err"
	is "$(grep -c 'done pid=1' "$tmp/out")" 2 "round $round: both ran"
	# dash's own getppid, at its start, returns the outer pid
	calls=$(grep -cE '(getppid\(\)|<\.\.\. getppid resumed>\)) *= 0$' \
		"$tmp/t$round")
	untraced=$(sed -n 's/.* \([0-9][0-9]*\) threads untraced.*/\1/p' "$tmp/t$round" "$tmp/err" | head -1)
	is "$calls/${untraced:-0}" 16/0 \
		"round $round: sibling_namespaces_threads_all_traced (calls/untraced)"
	is "$(grep -c 'SIGSEGV' "$tmp/t$round")" 0 "round $round: no SIGSEGV"
done
done_testing
