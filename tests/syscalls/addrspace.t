#!/usr/bin/env bash
# What a traced process pays for being traced, in address space and in its
# core dump: it maps only the control data and its own threads' rings, none
# of which is dumped, so a program under `ulimit -v` runs as it does bare,
# a crash dumps a core of the bare size, and any number of threads or
# processes alive at once are all traced.
. "$(dirname "$0")/../lib.sh"
need_limen
plan 14

# A shell that lowers its address-space limit to ~1 GB still forks and execs.
echo "limited but traced" >"$tmp/f"
same_as_bare "ulimit -v 1000000: sh forks and cat reads its file as bare" \
	/bin/sh -c "ulimit -v 1000000; cat '$tmp/f'; /bin/sh -c 'cat $tmp/f' | cat"
# joined: with two cats at once the read may be split unfinished/resumed
cat_read_traced() {
	trace_body "$tmp/trace" | grep -q 'read(3, "limited but traced\\n"'
}
ok_if "ulimit -v 1000000: cat is traced (its read is in the trace)" \
	cat_read_traced

# Every mapping of the session in a traced process is excluded from core
# dumps ("dd" in VmFlags), whatever the core pattern of this machine.
run_limen trace -o "$tmp/smaps.trace" -- /bin/sh -c \
	'cat /proc/self/smaps; (cat /proc/self/smaps)' >"$tmp/smaps" 2>&1
n=$(grep -c 'memfd:limen-session' "$tmp/smaps")
nodd=$(awk '/^[0-9a-f]+-[0-9a-f]+ / {s = /memfd:limen-session/}
	s && /^VmFlags:/ && !/ dd( |$)/ {n++} END {print n + 0}' "$tmp/smaps")
ok_if "the session is mapped in the traced cat ($n mappings)" test "$n" -gt 0
is "$nodd" 0 "every session mapping is marked do-not-dump (dd)"

# A real core dump: as small as bare. Needs a core pattern that writes a
# file in the current directory.
pat=$(cat /proc/sys/kernel/core_pattern 2>/dev/null)
if [ -n "$pat" ] && [ "${pat#|}" = "$pat" ] && [ "${pat#/}" = "$pat" ] &&
	[ "$(ulimit -H -c)" != 0 ]; then
	mkdir "$tmp/bare" "$tmp/traced"
	# (the outer redirection silences bash's "Aborted (core dumped)")
	{ (cd "$tmp/bare" && "$(testbin crash)") >/dev/null 2>&1; } 2>/dev/null
	(cd "$tmp/traced" && run_limen trace -o "$tmp/crash.trace" -- \
		"$(testbin crash)") >/dev/null 2>&1
	bare=$(stat -c %s "$tmp"/bare/core* 2>/dev/null | head -n1)
	traced=$(stat -c %s "$tmp"/traced/core* 2>/dev/null | head -n1)
	diag "core of a crash: bare ${bare:-none} bytes, traced ${traced:-none} bytes"
	ok_if "a traced crash writes a core (bare: ${bare:-none})" \
		test -n "$traced" -a -n "$bare"
	# the runtime's own code, data and stacks are small: 1 MiB of slack
	ok_if "the traced core ($traced) is as small as bare ($bare) + 1 MiB" \
		test "${traced:-999999999999}" -le $((${bare:-0} + (1 << 20)))
else
	skip "a traced crash writes a core" "core_pattern '$pat' or ulimit -H -c 0: no core file to measure"
	skip "the traced core is as small as bare" "no core file to measure"
fi

# More threads, and more processes, alive at once than the first slot table
# holds: every one is traced.
n=600
run_limen trace -o "$tmp/threads" -e trace=getppid -- \
	"$(testbin manylive)" threads $n >"$tmp/threads.out" 2>&1
is "$(count_calls "$tmp/threads" getppid)" $n \
	"$n threads alive at once: each one's getppid is in the trace"
ok_if "$n threads: no thread untraced" \
	bash -c "! grep -q 'untraced' '$tmp/threads'"
n=550
run_limen trace -o "$tmp/procs" -e trace=getppid -- \
	"$(testbin manylive)" procs $n >"$tmp/procs.out" 2>&1
is "$(count_calls "$tmp/procs" getppid)" $n \
	"$n processes alive at once: each one's getppid is in the trace"

# No descriptor left to reopen the session with: the new thread and child
# get their rings all the same.
same_as_bare "every descriptor in use: the program runs as bare" \
	"$(testbin fdfull)"
is "$(count_calls "$tmp/trace" getppid)" 2 \
	"every descriptor in use: the new thread's and the child's getppid are traced"
ok_if "every descriptor in use: no thread untraced" \
	bash -c "! grep -q 'untraced' '$tmp/trace'"

# A process that changed its user id can no longer reopen the session
# through the collector's /proc entry: its new thread and child still get
# rings.
if [ "$(id -u)" = 0 ]; then
	run_limen trace -o "$tmp/drop" -e trace=getppid -- \
		"$(testbin dropuid)" >"$tmp/drop.out" 2>&1
	is "$(count_calls "$tmp/drop" getppid)" 2 \
		"after setuid: the new thread's and the child's getppid are traced"
	ok_if "after setuid: no thread untraced" \
		bash -c "! grep -q 'untraced' '$tmp/drop'"
else
	skip "after setuid: the new thread and child are traced" "needs root to change user id"
	skip "after setuid: no thread untraced" "needs root to change user id"
fi
