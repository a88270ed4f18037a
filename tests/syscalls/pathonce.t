#!/bin/bash
# SPDX-License-Identifier: MIT
#
# A call's path is read once (src/runtime/peek.c): the capture of a
# recorded openat, /proc/self/exe's view under limen's loader and user
# events' tracefs files all look at it, and each read of the program's
# memory costs. tests/progs/pathonce.c blocks SIGSEGV and SIGBUS, so that
# every read is a process_vm_readv, which strace counts.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin pathonce)
[ -x "$prog" ] || skip_all "tests/progs/pathonce not built ($prog)"
command -v strace >/dev/null || skip_all "no strace (apt-get install strace)"
N=300

# reads OPTS...: process_vm_readv calls made while tracing N open+close
# pairs with limen's OPTS
reads() {
	strace -f -qq -e trace=process_vm_readv -o "$tmp/st" \
		"$LIMEN" trace "$@" -o "$tmp/tr" -- "$prog" $N >"$tmp/out" 2>&1 ||
		true
	grep -c '^[0-9]* *process_vm_readv(' "$tmp/st"
}
r=$(reads -e trace=openat)
if [ "$(cat "$tmp/out")" != "$N of $N opened" ]; then
	fail "the program ran as bare under strace and limen" "$(head -5 "$tmp/out")"
fi
ok_if "the program's $N openat calls recorded" \
	[ "$(grep -c 'openat(AT_FDCWD, "/etc/hostname"' "$tmp/tr")" = $N ]
# start-up (ld.so's and libc's own paths) adds a few dozen at most
ok_if "a_recorded_openat_reads_its_path_once ($r reads for $N calls)" \
	[ "$r" -lt $((N + 100)) ]
r=$(reads -e trace=none)
ok_if "an_openat_not_recorded_reads_its_path_at_most_once ($r reads for $N calls)" \
	[ "$r" -lt $((N + 100)) ]
done_testing
