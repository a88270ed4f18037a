#!/usr/bin/env bash
# Programs in a PID namespace (containers, bubblewrap, browser sandboxes):
# the collector ends when the tree ends, and shows thread ids as its own
# namespace sees them (as strace does), not the namespace-local ones.
. "$(dirname "$0")/../lib.sh"
need_limen
need_pidns --mount-proc
plan 6

LIMEN_TEST_TIMEOUT=20
_timeout=(timeout -k 5 20)
limen_trace "$tmp/mp" -- unshare -pf --mount-proc /bin/true </dev/null >/dev/null 2>&1
is "$?" 0 "pid_namespace_with_mount_proc_ends_the_trace (no wait forever)"
limen_trace "$tmp/plain" -- unshare -pf /bin/true </dev/null >/dev/null 2>&1
is "$?" 0 "pid_namespace_ends_the_trace"

# a program that lives long enough to be looked up (100,000 calls: some
# 200 ms, so a loaded machine still lets the collector run meanwhile): its
# lines carry the id
# unshare's clone returned (ours), not 1
limen_trace "$tmp/ids" -- unshare -pf "$(testbin sysloop)" 100000 0 </dev/null >/dev/null 2>&1
is "$?" 0 "pid_namespace: the traced program exits 0"
child=$(trace_join "$tmp/ids" | sed -n -E 's/^[0-9]+ +clone\(.*\) += ([0-9]+)$/\1/p' | head -n 1)
loop=$(awk '$2 ~ /^getppid\(/ {print $1; exit}' "$tmp/ids")
if [ -n "$child" ] && [ "$loop" = "$child" ]; then
	pass "pid_namespace_ids_shown_as_the_collector_sees_them ($loop)"
else
	fail "pid_namespace_ids_shown_as_the_collector_sees_them" \
		"clone returned '$child', the loop's lines show '$loop'"
	diag "$(grep -E "clone|getppid" "$tmp/ids" | head -n 5)"
fi

# 2000 short processes inside the namespace: each one's slot is given back
# when it ends, so every one of them is traced (looking them up must not
# hold the collector back until the slot table runs out); 8 s here at a
# load of 2, so a minute, not 20 s, says "never ends" under more load
_timeout=(timeout -k 5 60)
limen_trace "$tmp/many" -- unshare -pf "$(testbin manyprocs)" 2000 </dev/null >/dev/null 2>&1
is "$?" 0 "pid_namespace: 2000 short processes exit 0"
n=$(grep -c -E '^[0-9]+ +\+\+\+ exited with 0 \+\+\+$' "$tmp/many")
ok_if "pid_namespace_short_processes_are_all_traced ($n exited lines, $(grep -c untraced "$tmp/many") untraced notes)" \
	test "$n" -ge 2001 -a "$(grep -c 'untraced' "$tmp/many")" = 0
