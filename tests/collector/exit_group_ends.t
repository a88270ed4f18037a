#!/bin/bash
# SPDX-License-Identifier: MIT
#
# A process ends in the trace when it is gone, not at the entry of one of
# its threads' exit_group:
# * its other threads go on making calls until the kernel kills them
#   (tests/progs/exitbusy.c: 4 threads looping on getppid and nanosleep
#   while main calls exit(6), and one that surely makes 10 calls after
#   exit_group's entry: the program's seccomp filter hands the call to it
#   before it goes on): under -f no line of a thread comes after its
#   "+++ exited with 6 +++", and each of the 6 ends exactly once. How many
#   calls the busy ones make in between depends on the machine: several
#   runs, each checked whole, nothing timed;
# * an exit_group the program's own seccomp filter refuses returns -EPERM
#   and the program goes on (tests/progs/exitrefused.c): strace -f shows
#   "exit_group(4) = -1 EPERM (Operation not permitted)", the calls after
#   it and the real end, "+++ exited with 5 +++".
. "$(dirname "$0")/../lib.sh"
need_limen
busy=$(testbin exitbusy)
refused=$(testbin exitrefused)
[ -x "$busy" ] && [ -x "$refused" ] || skip_all "test programs not built"
"$busy"
[ $? = 77 ] && skip_all "no seccomp user notification (Linux >= 5.5) here"

# each thread's lines, then its end, then nothing: "ok" or what is wrong
ends_last() {
	awk '
	$2 == "+++" && $3 == "exited" {
		if ($1 in ended) { print "tid " $1 " ended twice"; bad = 1 }
		ended[$1] = $0; next
	}
	$1 in ended { print "after the end of " $1 ": " $0; bad = 1 }
	{ seen[$1] = 1 }
	END {
		for (t in seen) if (!(t in ended)) { print "tid " t " never ended"; bad = 1 }
		n = 0; for (t in ended) { n++; if (ended[t] !~ /exited with 6 \+\+\+$/) { print "tid " t ": " ended[t]; bad = 1 } }
		if (n != 6) { print n " threads ended, not 6"; bad = 1 }
		if (!bad) print "ok"
	}' "$1"
}

runs=6
for i in $(seq $runs); do
	run_limen trace -f -o "$tmp/busy$i" -- "$busy" >/dev/null 2>&1
	is "$?" 6 "exit_group_with_busy_threads: run $i exits 6"
	r=$(ends_last "$tmp/busy$i")
	is "$r" ok "exit_group_with_busy_threads: run $i: no line of a thread after its end, each of the 6 ends once"
	if [ "$r" != ok ]; then
		tail -n 40 "$tmp/busy$i" >"$tmp/tail$i"
		diag_file "$tmp/tail$i"
	fi
done

# its parent's wait4 not traced (-e trace=write): the SIGCHLD its parent
# gets tells it gone, its ends come before that signal, as strace shows
run_limen trace -f -e trace=write -o "$tmp/sh" -- \
	sh -c "'$busy'; echo done" >/dev/null 2>&1
is "$(grep -v 'getppid\|nanosleep' "$tmp/sh" | sed -E 's/^[0-9]+ +//' |
	sed -E 's/^--- SIGCHLD .*/SIGCHLD/; s/^write\(1.*/write/' | uniq -c |
	awk '{ $1 = $1; print }' | tr '\n' '|')" \
	'6 +++ exited with 6 +++|1 SIGCHLD|1 write|1 +++ exited with 0 +++|' \
	"exit_group_wait_untraced: each thread's end before its parent's SIGCHLD"

run_limen trace -f -o "$tmp/ref" -- "$refused" >"$tmp/out" 2>"$tmp/err"
is "$?" 5 "exit_group_refused_by_seccomp: the program goes on and ends with 5"
is "$(cat "$tmp/out")" "exit_group refused" "exit_group_refused_by_seccomp: the call returned -EPERM"
trace_body "$tmp/ref" >"$tmp/body"
ok_if "exit_group_refused_by_seccomp: shown as a call that returned" \
	grep -qx 'exit_group(4) = -1 EPERM (Operation not permitted)' "$tmp/body"
is "$(grep -o '^exit_group(4)\|^write(1, "exit_group refused\\n", 19) = 19\|^exit(5)\|^+++ .* +++$' "$tmp/body" | tr '\n' '|')" \
	'exit_group(4)|write(1, "exit_group refused\n", 19) = 19|exit(5)|+++ exited with 5 +++|' \
	"exit_group_refused_by_seccomp: the calls after it, then its one real end"
# the same without -f
run_limen trace -o "$tmp/ref1" -- "$refused" >/dev/null 2>&1
trace_body "$tmp/ref1" >"$tmp/body1"
is "$(grep -c '^+++ exited' "$tmp/body1")" 1 \
	"exit_group_refused_by_seccomp: without -f, one end line"
ok_if "exit_group_refused_by_seccomp: without -f, the real end" \
	grep -qx '+++ exited with 5 +++' "$tmp/body1"
done_testing
