#!/bin/bash
# SPDX-License-Identifier: MIT
#
# --syscall-limit=N (newer strace's: 6.1 here lacks it): the first N calls
# -e trace= selects are shown, then nothing (no later call, signal or exit
# line: as strace after it detaches); the program runs on, unrecorded.
. "$(dirname "$0")/../lib.sh"
need_limen
prog=$(testbin limitcalls)

run_limen trace -o "$tmp/t" --syscall-limit=3 -e trace=chdir,unlinkat -- "$prog" >/dev/null 2>&1
is "$?" 0 "the program runs to its end after the limit"
trace_body "$tmp/t" >"$tmp/b"
printf '%s\n' 'chdir(".") = 0' \
	'unlinkat(AT_FDCWD, "invalid.dir", AT_REMOVEDIR) = -1 ENOENT (No such file or directory)' \
	'chdir(".") = 0' >"$tmp/want"
same_file "$tmp/b" "$tmp/want" "--syscall-limit=3: the first three calls, nothing after"

run_limen trace -c --syscall-limit=3 -e trace=chdir,unlinkat -U calls,name -- "$prog" 2>"$tmp/c" >/dev/null
is "$(tail -n 1 "$tmp/c")" "        3 total" "-c: the table counts the three calls"

# the runtime records nothing more once told (its 20000 getppid come a
# second after the limit was reached)
LIMEN_STATS=1 run_limen trace -o /dev/null --syscall-limit=1 -- "$prog" 2>"$tmp/st" >/dev/null
n=$(sed -n -E 's/^limen: stats: ([0-9]+) records.*/\1/p' "$tmp/st")
ok_if "after the limit the runtime records nothing ($n records for 20000 calls)" \
	test "${n:-99999}" -lt 2000

# a recording keeps every call; its report takes the limit
out=$(run_limen record -o "$tmp/rec" --syscall-limit=3 -- true 2>&1)
is "$?" 1 "record --syscall-limit refused, saying why ($out)"
run_limen record -o "$tmp/rec2" -e trace=chdir,unlinkat -- "$prog" >/dev/null 2>&1
run_limen report --syscall-limit=3 -o "$tmp/r" "$tmp/rec2" >/dev/null 2>&1
trace_body "$tmp/r" >"$tmp/rb"
same_file "$tmp/rb" "$tmp/want" "report --syscall-limit=3: the recording's first three calls"

for v in 0 -1 x; do
	out=$(run_limen trace --syscall-limit=$v -- true 2>&1)
	is "$?" 1 "--syscall-limit=$v refused ($out)"
done
done_testing
