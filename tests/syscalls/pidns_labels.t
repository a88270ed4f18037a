#!/bin/bash
# SPDX-License-Identifier: MIT
#
# The pid namespace a slot says (session.h, pidns) is the one its thread
# is in, whatever made it: the runtime reads it at an image's start even
# under a seccomp filter from outside the trace (a container's: only a
# filter of the program's could refuse the call; the sibling-namespace
# twins of exec_sibling_pidns.t lost their calls under one); an image
# exec'd after unshare(CLONE_NEWPID) knows its children are elsewhere
# (the LIMEN_PREV note: its forked child was shown by its local id, 1);
# and a vfork child in another namespace keeps its own in its TLS, where
# it wrote the process-wide one under the other threads' slot claims
# (SIGSEGV in 10 runs of 15). tests/progs/pidns_forkexec.c,
# pidns_vfork_race.c, ns_twin.c, killcall.c.
. "$(dirname "$0")/../lib.sh"
need_limen
need_pidns
twin=$(testbin ns_twin)
fe=$(testbin pidns_forkexec)
race=$(testbin pidns_vfork_race)
kc=$(testbin killcall)
for p in "$twin" "$fe" "$race" "$kc"; do
	[ -x "$p" ] || skip_all "$p not built"
done
LIMEN_TEST_TIMEOUT=60

# under an outer filter (acct, 163, killed: a call nobody makes here)
for round in 1 2; do
	"$kc" 163 "$LIMEN" trace -f -e trace=getppid -o "$tmp/t" -- sh -c \
		"unshare -pf sh -c 'sleep 0.3; exec sleep 0.1' & sleep 0.1; unshare -pf $twin 400 & wait" \
		>"$tmp/out" 2>"$tmp/err"
	is "$(grep -c 'done pid=1' "$tmp/out")" 1 "outer filter $round: the twin ran"
	is "$(grep -cE 'getppid\(\) += 0$' "$tmp/t")/$(grep -cE 'getppid\(\) += 1$' "$tmp/t")" 6/4 \
		"outer filter $round: pidns_read_under_an_outer_filter (own/children)"
done

# unshare -p execs pidns_forkexec, whose child is in the new namespace
run_limen trace -f -e trace=getppid,execve -o "$tmp/t" -- \
	unshare -p "$fe" "$fe" >"$tmp/out" 2>"$tmp/err"
child=$(sed -n "s/^parent [0-9]* child \([0-9]*\)$/\1/p" "$tmp/out" | tail -1)
is "$(grep -cE "^$child +getppid\(\) += 0$" "$tmp/t")" 3 \
	"moved_namespace_known_after_exec: the child's calls under its id ($child)"
is "$(grep -c 'not traced' "$tmp/t")" 0 "moved: no image said untraced"

for round in 1 2 3; do
	run_limen trace -f -e trace=none -o "$tmp/t" -- unshare -pf "$race" 150 \
		>"$tmp/out" 2>"$tmp/err"
	is "$(cat "$tmp/out")" "done pid=1" \
		"vfork race $round: vfork_child_namespace_is_its_own (ran as bare)"
done
done_testing
