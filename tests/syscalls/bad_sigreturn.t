#!/bin/bash
# SPDX-License-Identifier: MIT
#
# An rt_sigreturn whose frame cannot be read: the kernel forces a SIGSEGV
# (SI_KERNEL) at the program's own context, which its handler takes or
# which kills. limen had already pointed the return at its own exit
# path (signals.c, limen_hook_sigreturn), so the fault came inside limen
# and the program died of SIGILL with nothing in the trace.
# tests/progs/bad_sigreturn.c.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin bad_sigreturn)
[ -x "$prog" ] || skip_all "tests/progs/bad_sigreturn not built ($prog)"

for how in handler dfl; do
	_run_to "$tmp/bare" "$prog" $how
	for L in loader preload; do
		for opts in "" "--no-rewrite" "-e trace=none"; do
			# shellcheck disable=SC2086
			LIMEN_LOADER=$L _run_to "$tmp/l" "$LIMEN" trace $opts -o "$tmp/trace" -- "$prog" $how
			same_file "$tmp/l.out" "$tmp/bare.out" \
				"a_sigreturn_of_an_unreadable_frame_faults_as_bare: output ($how, $L, ${opts:-full trace})"
			is "$(cat "$tmp/l.st")" "$(cat "$tmp/bare.st")" \
				"a_sigreturn_of_an_unreadable_frame_faults_as_bare: status ($how, $L, ${opts:-full trace})"
		done
	done
done
done_testing
