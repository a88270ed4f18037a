#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Live patching (src/runtime/rewrite.c, patch_live) serializes the cores
# with membarrier's PRIVATE_EXPEDITED_SYNC_CORE, which a process must
# register for first. The kernel makes that registration wait for an RCU
# grace period once another thread shares the memory: 8 to 21 ms here,
# taken inside the SIGSYS of the first call rewritten, often in the
# program's own signal handler with its signal blocked, so that a 3 ms
# SIGALRM timer's signals went to another thread and interrupted its
# nanosleep (the README's "Signals" section). Registered while the
# process is still alone in its memory it costs 4 us. So:
#  - limen registers before the program's first clone that shares its
#    memory (seen with strace, under which limen itself patches nothing
#    live: a debugger would stop threads at its int3s);
#  - with --no-rewrite nothing is patched and limen makes no membarrier
#    call at all;
#  - the registration is limen's, not the program's
#    (src/runtime/membarrier.c): a program that has not registered gets
#    EPERM from PRIVATE_EXPEDITED_SYNC_CORE and GET_REGISTRATIONS lists
#    nothing, as bare, before and after a second thread, and what it
#    registers itself it sees (tests/progs/membarrier_view.c).
. "$(dirname "$0")/../lib.sh"
need_limen
command -v strace >/dev/null || skip_all "strace is not installed"
prog=$(testbin threadloop)
[ -x "$prog" ] || skip_all "tests/progs/threadloop not built ($prog)"
plan 6

# calls_of OUT: the program's membarrier and CLONE_VM clone lines, in
# order, each as "PID what"
calls_of() {
	sed -n -e 's/^\([0-9]*\) *membarrier(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE.*/\1 register/p' \
		-e 's/^\([0-9]*\) *membarrier(.*/\1 membarrier/p' \
		-e 's/^\([0-9]*\) *clone3\{0,1\}(.*CLONE_VM.*/\1 clone_vm/p' "$1"
}

# registered_first DESC [ENV...]: the first thing of the program's
# process among those lines is the registration, made once
registered_first() {
	local desc=$1 first pid n
	shift
	env "$@" "${_timeout[@]}" strace -f -qq -e signal=none \
		-e trace=membarrier,clone,clone3 -o "$tmp/st" \
		"$LIMEN" trace -o "$tmp/trace" -- "$prog" 2 300 >"$tmp/out" 2>"$tmp/err"
	calls_of "$tmp/st" >"$tmp/calls"
	first=$(grep -m1 ' clone_vm$' "$tmp/calls")
	pid=${first%% *}
	n=$(grep -c "^$pid register$" "$tmp/calls")
	if [ -n "$pid" ] && [ "$(grep -m1 "^$pid " "$tmp/calls")" = "$pid register" ] &&
		[ "$n" = 1 ] && [ "$(cat "$tmp/out")" = 600 ]; then
		pass "$desc"
	else
		fail "$desc" "program's output: $(cat "$tmp/out")" "$(cat "$tmp/calls")"
	fi
}

view=$(testbin membarrier_view)
if [ "$("$view" | head -1)" = "no SYNC_CORE here" ]; then
	# the kernel offers no SYNC_CORE (CONFIG_MEMBARRIER off): limen
	# patches no site live, and registers nothing
	skip "the_sync_core_registration_comes_before_the_first_thread" \
		"this kernel has no MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE"
	skip "the_sync_core_registration_comes_before_the_first_thread_with_LD_PRELOAD" \
		"this kernel has no MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE"
else
	registered_first "the_sync_core_registration_comes_before_the_first_thread"
	LIMEN_LOADER=preload registered_first \
		"the_sync_core_registration_comes_before_the_first_thread_with_LD_PRELOAD"
fi

"${_timeout[@]}" strace -f -qq -e signal=none -e trace=membarrier -o "$tmp/st" \
	"$LIMEN" trace --no-rewrite -o "$tmp/trace" -- "$prog" 2 300 >"$tmp/out" 2>"$tmp/err"
if [ "$(cat "$tmp/out")" = 600 ] && ! grep -q membarrier "$tmp/st"; then
	pass "no_membarrier_call_with_--no-rewrite"
else
	fail "no_membarrier_call_with_--no-rewrite" "$(cat "$tmp/out")" "$(head -5 "$tmp/st")"
fi

# a program of one thread registers nothing: no thread, no live patch
"${_timeout[@]}" strace -f -qq -e signal=none -e trace=membarrier -o "$tmp/st" \
	"$LIMEN" trace -o "$tmp/trace" -- "$(testbin sysloop)" 2000 200 >"$tmp/out" 2>"$tmp/err"
if ! grep -q membarrier "$tmp/st"; then
	pass "no_membarrier_call_in_a_program_of_one_thread"
else
	fail "no_membarrier_call_in_a_program_of_one_thread" "$(head -5 "$tmp/st")"
fi

same_as_bare "the_program_sees_only_its_own_membarrier_registrations" "$view"
LIMEN_LOADER=preload same_as_bare \
	"the_program_sees_only_its_own_membarrier_registrations_with_LD_PRELOAD" "$view"
