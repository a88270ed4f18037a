#!/bin/bash
# SPDX-License-Identifier: MIT
#
# An exec in one pid namespace never ends the slots of a process in a
# sibling namespace that has the same local pid (both the first of their
# own, pid 1). An image's start retires its previous image's slots
# (runtime/init.c, retire_old_slots), found by the local pid alone: the
# twin's live thread's slot was taken for done, the collector freed it,
# and the next claim in the twin's tree wrote into the ring its thread
# still wrote, or unmapped it under it (the program died of SIGSEGV, or
# its calls went to another thread's lines). A slot says its namespace's
# inode too (session.h, pidns), and the collector tells the twins apart
# by it. tests/progs/ns_twin.c.
. "$(dirname "$0")/../lib.sh"
need_limen
command -v unshare >/dev/null || skip_all "no unshare"
unshare -pf true 2>/dev/null || skip_all "no pid namespaces here (unshare -pf)"
prog=$(testbin ns_twin)
[ -x "$prog" ] || skip_all "tests/progs/ns_twin not built ($prog)"

for round in 1 2 3 4; do
	# the twin execs (sh, pid 1 in its namespace, becomes sleep) while
	# ns_twin, pid 1 in its own, waits; then ns_twin's children claim
	run_limen trace -f -e trace=getppid,execve -o "$tmp/t" -- sh -c \
		"unshare -pf $prog 400 & unshare -pf sh -c 'exec sleep 0.1' & wait" \
		>"$tmp/out" 2>"$tmp/err"
	is "$(grep -c 'done pid=1' "$tmp/out")" 1 "round $round: the twin ran"
	is "$(grep -c 'SIGSEGV' "$tmp/t")" 0 "round $round: no SIGSEGV"
	# its own five (its parent is outside its namespace: 0) and the
	# twin's sh's one at its start (0 too), its children's four (1)
	is "$(grep -cE 'getppid\(\) += 0$' "$tmp/t")" 6 \
		"round $round: exec_in_sibling_pidns_keeps_twin_traced (own calls)"
	is "$(grep -cE 'getppid\(\) += 1$' "$tmp/t")" 4 \
		"round $round: exec_in_sibling_pidns_keeps_twin_traced (children)"
	is "$(grep -c 'was overwritten' "$tmp/t")" 0 \
		"round $round: no slot taken over"
done
done_testing
