#!/bin/bash
# SPDX-License-Identifier: MIT
#
# limen itself run under a seccomp filter, as in a container: every image
# of the trace inherits the filter from outside the trace, and the filter
# let the collector and the runtime's start run. Sites are rewritten
# there as without a filter (the collector gives the runtime its own
# count of filters, ctl->outer_filters, which the runtime compares with
# its own: src/runtime/rewrite.c, unixpeer.c), where a filter that a
# traced program installed and exec'd under leaves them on Syscall User
# Dispatch (filter_inherited.t), inside a container too: a filter that
# kills at pwrite64 must not kill the program for limen's patching.
# tests/progs/killcall.c, quickrec.c.
. "$(dirname "$0")/../lib.sh"
need_limen
kill=$(testbin killcall)
prog=$(testbin quickrec)
[ -x "$kill" ] && [ -x "$prog" ] || skip_all "tests/progs/killcall or quickrec not built"
acct=163 # x86_64: a call neither limen nor the program makes
pwrite64=18 # what a patch makes (/proc/self/mem)

for L in loader preload; do
	export LIMEN_LOADER=$L
	_run_to "$tmp/bare" "$prog"
	_run_to "$tmp/outer" "$kill" "$acct" "$LIMEN" trace -o "$tmp/outer.trace" -- "$prog"
	is "$(cat "$tmp/outer.st")" "$(cat "$tmp/bare.st")" \
		"$L: under an outer filter, the program's status as bare"
	is "$(site outer sys)" e9 \
		"$L: a_filter_limen_itself_runs_under_leaves_sites_rewritten"
	is "$(count_calls "$tmp/outer.trace" kcmp)" 1 \
		"$L: the program's calls in the trace under the outer filter"
	# a filter inside the trace, inherited through exec: sites stay on SUD
	_run_to "$tmp/inner" "$LIMEN" trace -o "$tmp/inner.trace" -- "$kill" "$acct" "$prog"
	is "$(cat "$tmp/inner.st")" "$(cat "$tmp/bare.st")" \
		"$L: under a filter from inside the trace, status as bare"
	b=$(site inner sys)
	ok_if "$L: a_filter_a_traced_program_installed_keeps_its_exec_on_sud (site: $b)" \
		test -n "$b" -a "$b" != e9
	# both: limen under a filter, and the program's own before its exec
	_run_to "$tmp/both" "$kill" "$acct" "$LIMEN" trace -o "$tmp/both.trace" -- \
		"$kill" "$pwrite64" "$prog"
	is "$(cat "$tmp/both.st")" "$(cat "$tmp/bare.st")" \
		"$L: a_programs_own_filter_under_an_outer_one_is_not_tripped_by_patching"
	b=$(site both sys)
	ok_if "$L: ... its sites stay on SUD (site: $b)" test -n "$b" -a "$b" != e9
done
done_testing
