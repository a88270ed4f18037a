#!/bin/bash
# SPDX-License-Identifier: MIT
#
# A signal that reaches a vfork parent while it sleeps is pending when
# vfork returns, and its handler runs then: it is never lost. limen saves
# the parent's per-thread state before the vfork and puts it back after
# (src/runtime/clone.c, restore_parent); a signal held for the program
# in between was overwritten with it. tests/progs/vforksig.c: each vfork
# child sends its parent SIGUSR1 and a queued SIGRTMIN.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin vforksig)
[ -x "$prog" ] || skip_all "tests/progs/vforksig not built ($prog)"
plan 3

same_as_bare "a_signal_sent_to_a_vfork_parent_is_handled_when_vfork_returns" \
	"$prog" 50
LIMEN_NO_REWRITE=1 same_as_bare \
	"a_signal_sent_to_a_vfork_parent_is_handled_when_vfork_returns_with_--no-rewrite" \
	"$prog" 50
LIMEN_LOADER=preload same_as_bare \
	"a_signal_sent_to_a_vfork_parent_is_handled_when_vfork_returns_with_LD_PRELOAD" \
	"$prog" 50
done_testing
