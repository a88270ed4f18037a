#!/usr/bin/env bash
# Programs in a PID namespace (containers, bubblewrap, browser sandboxes):
# the collector ends when the tree ends, and shows thread ids as its own
# namespace sees them (as strace does), not the namespace-local ones.
. "$(dirname "$0")/../lib.sh"
need_limen
command -v unshare >/dev/null || skip_all "no unshare"
unshare -pf --mount-proc true 2>/dev/null ||
	skip_all "cannot create a PID namespace here (needs root or user namespaces)"
plan 4

LIMEN_TEST_TIMEOUT=20
_timeout=(timeout -k 5 20)
limen_trace "$tmp/mp" -- unshare -pf --mount-proc /bin/true </dev/null >/dev/null 2>&1
is "$?" 0 "pid_namespace_with_mount_proc_ends_the_trace (no wait forever)"
limen_trace "$tmp/plain" -- unshare -pf /bin/true </dev/null >/dev/null 2>&1
is "$?" 0 "pid_namespace_ends_the_trace"

# a program that lives long enough to be looked up: its lines carry the id
# unshare's clone returned (ours), not 1
limen_trace "$tmp/ids" -- unshare -pf "$(testbin sysloop)" 3000 0 </dev/null >/dev/null 2>&1
is "$?" 0 "pid_namespace: the traced program exits 0"
child=$(trace_join "$tmp/ids" | sed -n -E 's/^[0-9]+ +clone\(.*\) = ([0-9]+)$/\1/p' | head -n 1)
loop=$(awk '$2 ~ /^getppid\(/ {print $1; exit}' "$tmp/ids")
if [ -n "$child" ] && [ "$loop" = "$child" ]; then
	pass "pid_namespace_ids_shown_as_the_collector_sees_them ($loop)"
else
	fail "pid_namespace_ids_shown_as_the_collector_sees_them" \
		"clone returned '$child', the loop's lines show '$loop'"
	diag "$(grep -E "clone|getppid" "$tmp/ids" | head -n 5)"
fi
