#!/bin/bash
# SPDX-License-Identifier: MIT
#
# -k: the calls of a thread while another thread's capture still reads
# the process's maps (/proc/self/maps, through a helper thread: hundreds
# of microseconds, milliseconds on a loaded machine) each get their stack.
# The maps record was stamped once read, and the other threads went on
# without one of their own as soon as the read began: their stacks,
# stamped earlier, reached the collector before the process had any
# modules, could not be unwound and were dropped, so the first calls of
# a thread had no " > " lines (tests/cli/stack_ring_min.t's hammer, 1 run
# in 6 to 8 under load; here most runs). The program (mapsinflight.c)
# times its second thread's calls into the main thread's first capture;
# a few runs, since a run may still miss it.
. "$(dirname "$0")/../lib.sh"
need_limen
if run_limen trace -k -- true 2>&1 | grep -q 'built without'; then
	skip_all "limen was built without libdw (Debian: libdw-dev, libelf-dev)"
fi
prog=$(testbin mapsinflight)

for run in 1 2 3 4 5; do
	run_limen trace -k -e trace=getppid -o "$tmp/t" -- "$prog" 50
	is "$?" 0 "run $run: the program ran"
	calls=$(grep -c 'getppid(' "$tmp/t")
	ok_if "run $run: the getppids ($calls)" test "$calls" -ge 51
	is "$(grep -c 'mapsinflight(\(main\|second\)+0x' "$tmp/t")" "$calls" \
		"run $run: every getppid's stack, the second thread's first ones too"
done
done_testing
