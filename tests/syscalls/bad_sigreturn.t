#!/bin/bash
# SPDX-License-Identifier: MIT
#
# An rt_sigreturn whose frame cannot be read: the kernel forces a SIGSEGV
# (SI_KERNEL) at the program's own context, which its handler takes or
# which kills. limen had already pointed the return at its own exit
# path (signals.c, limen_hook_sigreturn), so the fault came inside limen
# and the program died of SIGILL with nothing in the trace.
# The failed call's own line comes first, as strace -f prints it: the
# address of the mask it could not read, and 0, what the call returns
# (rt_sigreturn({mask=0x1128}) = 0); limen's trace went straight to the
# signal. tests/progs/bad_sigreturn.c.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin bad_sigreturn)
[ -x "$prog" ] || skip_all "tests/progs/bad_sigreturn not built ($prog)"

for how in handler dfl; do
	_run_to "$tmp/bare" "$prog" $how
	strace=
	if command -v strace >/dev/null; then
		(strace -f -o "$tmp/strace" "$prog" $how; :) >/dev/null 2>&1
		strace=$(trace_body "$tmp/strace" | grep -A1 '^rt_sigreturn')
	else
		skip "the_failed_sigreturn_is_traced_as_strace_shows_it" "no strace"
	fi
	for L in loader preload; do
		for opts in "" "--no-rewrite" "-e trace=none"; do
			# shellcheck disable=SC2086
			LIMEN_LOADER=$L _run_to "$tmp/l" "$LIMEN" trace $opts -o "$tmp/trace" -- "$prog" $how
			same_file "$tmp/l.out" "$tmp/bare.out" \
				"a_sigreturn_of_an_unreadable_frame_faults_as_bare: output ($how, $L, ${opts:-full trace})"
			is "$(cat "$tmp/l.st")" "$(cat "$tmp/bare.st")" \
				"a_sigreturn_of_an_unreadable_frame_faults_as_bare: status ($how, $L, ${opts:-full trace})"
			[ -n "$opts" ] && [ "$opts" != --no-rewrite ] && continue
			if [ -n "$strace" ]; then
				trace_body "$tmp/trace" | grep -A1 '^rt_sigreturn' >"$tmp/lines"
				is "$(cat "$tmp/lines")" "$strace" \
					"the_failed_sigreturn_is_traced_as_strace_shows_it ($how, $L, ${opts:-full trace})"
			fi
		done
	done
done
done_testing
