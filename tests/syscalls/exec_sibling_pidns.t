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
# its calls went to another thread's lines, or it waited for room in its
# ring for ever). An execve now tells the new image which slots were its
# threads' (LIMEN_PREV, runtime/ring.c limen_ring_prev_note), and a slot
# says its namespace's inode (session.h, pidns), by which the collector
# tells the twins apart. The twin runs bare-like however its namespace is
# learnt: read at its start; carried across an exec under a seccomp
# filter it inherited (not read there); unknown (no /proc mounted).
# tests/progs/ns_twin.c, tests/progs/filter_exits.c.
. "$(dirname "$0")/../lib.sh"
need_limen
need_pidns
prog=$(testbin ns_twin)
[ -x "$prog" ] || skip_all "tests/progs/ns_twin not built ($prog)"
filt=$(testbin filter_exits)
[ -x "$filt" ] || skip_all "tests/progs/filter_exits not built ($filt)"

noproc="sh -c 'umount -l /proc && exec $prog 400'"
unshare -pf -m --propagation private sh -c 'umount -l /proc' 2>/dev/null ||
	noproc=""

LIMEN_TEST_TIMEOUT=60
for round in read filtered noproc moved; do
	case $round in
	read) twin="unshare -pf $prog 400" ;;
	# ns_twin under the allow-all filter it inherits through exec
	filtered) twin="unshare -pf $filt exec $prog 400" ;;
	noproc)
		[ -n "$noproc" ] || {
			skip 5 "cannot unmount /proc in a mount namespace here"
			continue
		}
		twin="unshare -pf -m --propagation private $noproc" ;;
	# the namespace made by unshare(CLONE_NEWPID) of an image that
	# then execs the shell that forks ns_twin
	moved) twin="unshare -p sh -c '$prog 400; true'" ;;
	esac
	# the twin execs (sh, pid 1 in its namespace, becomes sleep) while
	# ns_twin, pid 1 in its own, waits; then ns_twin's children claim.
	# The twin first: when limen first looks at ns_twin's slot, two
	# processes have its local ids
	run_limen trace -f -e trace=getppid,execve -o "$tmp/t" -- sh -c \
		"unshare -pf sh -c 'sleep 0.3; exec sleep 0.1' & sleep 0.1; $twin & wait" \
		>"$tmp/out" 2>"$tmp/err"
	is "$(grep -c 'done pid=' "$tmp/out")" 1 "round $round: the twin ran"
	is "$(grep -c 'SIGSEGV' "$tmp/t")" 0 "round $round: no SIGSEGV"
	# its own five (its parent is outside its namespace: 0) and the
	# twin's sh's one at its start (0 too; and noproc's sh's), its
	# children's four (1)
	own=6
	[ $round = noproc ] && own=7
	is "$(grep -cE 'getppid\(\) += 0$' "$tmp/t")" $own \
		"round $round: exec_in_sibling_pidns_keeps_twin_traced (own calls)"
	is "$(grep -cE 'getppid\(\) += 1$' "$tmp/t")" 4 \
		"round $round: exec_in_sibling_pidns_keeps_twin_traced (children)"
	is "$(grep -c 'was overwritten' "$tmp/t")" 0 \
		"round $round: no slot taken over"
done
done_testing
