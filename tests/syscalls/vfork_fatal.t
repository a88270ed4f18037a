#!/bin/bash
# SPDX-License-Identifier: MIT
#
# A process sleeping in vfork (limen blocks the signals that have a handler
# while its child sets up: src/runtime/clone.c, block_vfork) still dies at
# once of a fatal signal: tests/progs/vfork_fatal.c. The child's line is
# waited for through a pipe (cat), the parent's status is SIGTERM's.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin vfork_fatal)
[ -x "$prog" ] || skip_all "tests/progs/vfork_fatal not built ($prog)"

for L in loader preload; do
	bare=$( ("$prog"; echo "status $?") 2>/dev/null | cat)
	case $bare in
	*"no pidfd"*) skip "a_fatal_signal_kills_a_parent_sleeping_in_vfork_at_once ($L)" "no pidfd_open"; continue ;;
	esac
	traced=$( (LIMEN_LOADER=$L "$LIMEN" trace -e trace=none -o /dev/null -- "$prog"; echo "status $?") 2>/dev/null | cat)
	is "$(sort <<<"$bare")" "$(printf 'status 143\nthe parent died first')" "bare: the parent dies of SIGTERM before its vfork child is done ($L)"
	is "$(sort <<<"$traced")" "$(sort <<<"$bare")" "a_fatal_signal_kills_a_parent_sleeping_in_vfork_at_once ($L)"
done
done_testing
