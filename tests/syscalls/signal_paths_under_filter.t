#!/bin/bash
# SPDX-License-Identifier: MIT
#
# limen's signal paths make no call of their own that a seccomp filter of
# the program's could kill:
# * a read of a pipe that a handler without SA_RESTART ends: limen
#   told a pipe (strace's ERESTARTSYS) by an fstat (5), which killed the
#   program; under a filter the line keeps -EINTR
#   (tests/progs/pipe_intr_filtered.c).
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin pipe_intr_filtered)
[ -x "$prog" ] || skip_all "tests/progs/pipe_intr_filtered not built ($prog)"

for L in loader preload; do
	export LIMEN_LOADER=$L
	for nr in 5 262; do
		bare_and_traced pi$nr -- $nr
		as_bare pi$nr "$L: a_pipe_read_a_handler_ends_under_a_filter_killing_$nr: as bare"
	done
	bare_and_traced pi0 -- 0
	as_bare pi0 "$L: a pipe read a handler ends, no filter: as bare"
	ok_if "$L: without a filter the read shows ERESTARTSYS" \
		grep -q '^[0-9 ]*read(3, .* = ? ERESTARTSYS' "$tmp/pi0.trace"
	ok_if "$L: under a filter the read shows EINTR" \
		grep -q '^[0-9 ]*read(3, .* = -1 EINTR' "$tmp/pi5.trace"
done
done_testing
