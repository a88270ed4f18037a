#!/bin/bash
# SPDX-License-Identifier: MIT
#
# A call limen answers itself (readlink of /proc/self/exe under limen's
# loader, whose real link names the loader: src/loader/exe_view.c) meets
# the program's own seccomp filter first, as it would without limen: a
# filter that refuses readlink with ENOENT, traps it (SIGSYS) or kills
# at it has that verdict; only a call the kernel lets through gets
# limen's answer, and the bytes of the buffer past it stay as they were.
# So with the signal calls limen answers from the state it keeps for the
# program (rt_sigaction, rt_sigprocmask, rt_sigpending, sigaltstack): a
# filter refusing one refuses it under limen too.
# /proc/self/cwd (the kernel's answer) for comparison. In each mode: the
# default, --no-rewrite, -y, -yy, -k, a small ring; under limen's loader
# and under LD_PRELOAD. tests/progs/own_filter.c.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin own_filter)
[ -x "$prog" ] || skip_all "tests/progs/own_filter not built ($prog)"

nok=$(no_stacks)
for L in loader preload; do
	export LIMEN_LOADER=$L
	for how in errno trap kill allow; do
		for mode in default --no-rewrite -y -yy -k --ring-size=16K; do
			if [ "$mode" = -k ] && [ -n "$nok" ]; then
				skip "$L $mode: readlink under a filter that says $how" "$nok"
				continue
			fi
			mode_opts "$mode"
			bare_and_traced "rl" "${opts[@]}" -- readlink "$how"
			as_bare rl "$L $mode: readlink of /proc/self/exe under a filter that says $how: as bare"
		done
	done
	# the signal state limen keeps for the program (src/runtime/signals.c)
	for nr in 13 14 127 131; do
		for mode in default --no-rewrite; do
			mode_opts "$mode"
			bare_and_traced sg "${opts[@]}" -- sigcalls $nr
			as_bare sg "$L $mode: signal calls limen answers, under a filter refusing call $nr: as bare"
		done
	done
done
done_testing
