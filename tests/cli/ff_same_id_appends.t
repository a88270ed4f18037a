#!/bin/bash
# SPDX-License-Identifier: MIT
#
# -ff -o FILE: two threads with the same id write into one FILE.TID, the
# second after the first, and lose no line. Threads of sibling pid
# namespaces that ended before the collector could tell them apart keep
# their namespace's ids (each namespace's threads are 2, 3, ... there):
# the second one's fopen "w" truncated the first one's file, and whole
# threads' calls were missing from the files (the torture run: 4
# namespaces of 6 threads, far fewer than the 2,401 getppid calls -f
# shows). A file made earlier in the run is appended to (sinks/separate.c).
. "$(dirname "$0")/../lib.sh"
need_limen
need_pidns --mount-proc
prog=$(testbin threads)
[ -x "$prog" ] || skip_all "tests/progs/threads not built ($prog)"

LIMEN_TEST_TIMEOUT=120
cmd=(sh -c "for n in 1 2 3 4; do unshare -pf --mount-proc $prog & done; wait")
# reads and closes: 8 threads x 100 of each, in each of 4 namespaces
want=$((4 * 8 * 100 * 2))
calls() { grep -h -c -E '^(\[pid +[0-9]+\] |[0-9]+ +)?(read|close)\(' "$@" | awk '{ n += $1 } END { print n + 0 }'; }
for round in 1 2 3; do
	rm -rf "$tmp/ff"
	mkdir "$tmp/ff"
	run_limen trace -ff -o "$tmp/ff/t" -e trace=read,close -- "${cmd[@]}" >/dev/null 2>&1
	n=$(calls "$tmp"/ff/t.*)
	# the program's own reads of /etc/hostname before its threads: more
	# than want, never fewer
	ok_if "round $round: every thread's calls are in the files ($n, at least $want)" \
		test "$n" -ge "$want"
done
done_testing
