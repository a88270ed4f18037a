#!/bin/bash
# SPDX-License-Identifier: MIT
#
# A signal that reaches a process while it calls execve is taken by its
# handler, or kills the new image (its handler reset to SIG_DFL): it is
# never lost. Under limen the execve is prepared in limen's code, where a
# signal is held for the program; the call is made only if none is held
# (src/runtime/arch/x86_64/exec_stub.S), else put off until it has been
# delivered. tests/progs/execsig.c.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin execsig)
[ -x "$prog" ] || skip_all "tests/progs/execsig not built ($prog)"
plan 3

same_as_bare "a_signal_sent_during_execve_is_handled_or_kills_never_lost" \
	"$prog" 20
LIMEN_NO_REWRITE=1 same_as_bare \
	"a_signal_sent_during_execve_is_handled_or_kills_never_lost_with_--no-rewrite" \
	"$prog" 20
LIMEN_LOADER=preload same_as_bare \
	"a_signal_sent_during_execve_is_handled_or_kills_never_lost_with_LD_PRELOAD" \
	"$prog" 20
done_testing
