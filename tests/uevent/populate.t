#!/bin/bash
# SPDX-License-Identifier: MIT
#
# A thread's chunks of its ring for user events have their pages made
# present (madvise MADV_POPULATE_WRITE) so that the inline emit never
# faults; the ring's pages stay present while the thread lives, so each
# part of the ring (a 64th, a page at least) is populated once per thread,
# not once per chunk: after the ring's first lap, a new chunk costs no
# system call. tests/progs/uevent_inline.c's "mix" closes its chunk every
# 100 events (a system call), 20 000 events of 48 bytes in a 64 KiB ring
# (15 laps, 16 parts of a page): at most 16 madvise calls of the program,
# where one per chunk made 118; every event still in the trace, in order.
# strace counts the runtime's own calls (exempt from Syscall User
# Dispatch, they reach ptrace), not the collector's. Under limen's loader
# and under LD_PRELOAD.
. "$(dirname "$0")/../lib.sh"
need_limen
command -v strace >/dev/null || skip_all "strace is not installed"
prog=$(testbin uevent_inline)

for mode in all preload; do
	LIMEN_LOADER=$mode strace -f -qq -e trace=madvise,execve -e signal=none \
		-o "$tmp/st" "$LIMEN" trace -o "$tmp/t" --ring-size 65536 \
		-e uevent=seq -e trace=none -- "$prog" mix >"$tmp/out" 2>&1 \
		</dev/null
	is "$(cat "$tmp/out")" "mix=20000" "$mode: the program ran to its end"
	# the program's calls: not the collector's, which makes a busy
	# thread's ring present ahead of it (session.c, populate_ahead)
	cpid=$(grep -m1 -E '^[0-9]+ +execve\(' "$tmp/st" | awk '{print $1}')
	n=$(grep -v -E "^${cpid:-none} " "$tmp/st" |
		grep -c -E 'MADV_POPULATE_WRITE|, 0x17( /\*.*\*/)?\)' || true)
	if grep -q -E '(MADV_POPULATE_WRITE|0x17).*= -1' "$tmp/st"; then
		# before Linux 5.14: limen touches the pages, and asks again
		skip "$mode: the ring's parts made present once each" \
			"this kernel has no MADV_POPULATE_WRITE"
	else
		ok_if "$mode: the ring's parts made present once each ($n calls, at most 16)" \
			test "$n" -ge 1 -a "$n" -le 16
	fi
	trace_body "$tmp/t" >"$tmp/body"
	is "$(awk '/^seq\(/ { if ($0 != "seq(n=" n + 0 ", who=0, tag=\"mix\")") bad++; n++ }
		END { print n + 0, bad + 0 }' "$tmp/body")" "20000 0" \
		"$mode: every event, in order, whole"
	ok_if "$mode: no event reported lost" sh -c "! grep -q lost $tmp/body"
done
done_testing
