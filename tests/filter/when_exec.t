#!/bin/bash
# SPDX-License-Identifier: MIT
#
# -e inject=...:when=N counts per thread across execve, as strace counts:
# the process that execs is the same tracee in its new image and goes on
# counting where it was (a fork child starts afresh). The counts cross the
# execve in limen's environment (LIMEN_WHEN), which the program never sees.
# tests/progs/when_exec.c: three getppid calls per image of one process.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin when_exec)
[ -x "$prog" ] || skip_all "tests/progs/when_exec.c not built"
have_strace=1
strace -o /dev/null true 2>/dev/null || have_strace=

# expect WHEN INJECTED...: the lines of when_exec 3 that say "injected"
# with -e inject=getppid:retval=42:when=WHEN, under limen (default, and
# through limen's loader) and, when it can run, under strace
expect() {
	local when=$1 want got mode
	shift
	want=$(printf '%s\n' "$@")
	for mode in default loader; do
		if [ $mode = loader ]; then
			LIMEN_LOADER=all run_limen trace -o /dev/null \
				-e inject=getppid:retval=42:when="$when" -- \
				"$prog" 3 >"$tmp/out" 2>&1
		else
			run_limen trace -o /dev/null \
				-e inject=getppid:retval=42:when="$when" -- \
				"$prog" 3 >"$tmp/out" 2>&1
		fi
		got=$(grep -E 'injected|environment: LIMEN_(WHEN|SESSION|STACK)=' "$tmp/out" | sed 's/: injected//')
		is "$got" "$want" "when=$when across two execve ($mode)"
	done
	if [ -n "$have_strace" ]; then
		strace -f -o /dev/null -e inject=getppid:retval=42:when="$when" \
			-- "$prog" 3 >"$tmp/out" 2>&1
		got=$(grep -E 'injected|environment: LIMEN_(WHEN|SESSION|STACK)=' "$tmp/out" | sed 's/: injected//')
		is "$got" "$want" "when=$when: strace agrees"
	else
		skip "when=$when: strace agrees" "strace cannot trace here"
	fi
}

expect 4 "process image 2 call 0"
expect 8 "process image 3 call 1"
# a LIMEN_WHEN in the user's environment seeds nothing: only the runtime's
# own note across an execve is believed (4 calls counted here would inject
# image 1's first)
for mode in all preload; do
	LIMEN_LOADER=$mode \
	LIMEN_WHEN=110.3, run_limen trace -o /dev/null \
		-e inject=getppid:retval=42:when=4 -- "$prog" 3 >"$tmp/out" 2>&1
	got=$(grep -E 'injected|environment: LIMEN_(WHEN|SESSION|STACK)=' "$tmp/out" | sed 's/: injected//')
	is "$got" "process image 2 call 0" "user_limen_when_seeds_no_counts ($mode)"
done
expect 2+2 "process image 1 call 1" "process image 2 call 0" \
	"process image 2 call 2" "process image 3 call 1" "child image 3 call 1"
done_testing
